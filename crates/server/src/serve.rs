//! `cmnp serve`: the HTTP server with graceful shutdown.

use std::fmt::Write as _;
use std::io::Write;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::cli::{open, redact};
use crate::config::Config;
use crate::{app, demo, live, mailer};

/// How often the planner's statistics are refreshed while serving.
const STATISTICS_EVERY: std::time::Duration = std::time::Duration::from_secs(3_600);

/// Refreshes the planner's statistics ([`cmnp_store::Store::optimize`]) at start-up and
/// every [`STATISTICS_EVERY`] until `stop`. A failure is logged; serving goes on.
async fn keep_statistics(store: cmnp_store::Store, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut every = tokio::time::interval(STATISTICS_EVERY);
    loop {
        tokio::select! {
            _ = every.tick() => {
                if let Err(error) = store.optimize().await {
                    tracing::warn!(%error, "cannot refresh the planner's statistics");
                }
            }
            _ = stop.changed() => return,
        }
    }
}

pub async fn run(config: Config, load_demo: bool) -> anyhow::Result<()> {
    let store = open(&config).await?;
    if load_demo {
        let loaded = demo::load(&store, config.time_zone, config.quorum_rule)
            .await
            .context("cannot load the demo data")?;
        tracing::info!(?loaded, "demo data loaded");
    }
    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    tracing::info!(
        address = %config.bind,
        database = %redact(&config.database_url),
        time_zone = %config.time_zone,
        "cmnp is serving"
    );
    if load_demo {
        print_demo_instructions(&config)?;
    }
    let sockets = std::sync::Arc::new(live::Sockets::default());
    let router = app::router_with(store.clone(), &config, sockets.clone());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let transport = mailer::Transport::from_config(&config)?;
    let worker = tokio::spawn(mailer::run(
        store.clone(),
        transport,
        crate::cli::commission(&config),
        std::time::Duration::from_secs(5),
        stopped,
    ));
    let scheduler = tokio::spawn(crate::reminders::run(
        store.clone(),
        config.clone(),
        stop.subscribe(),
    ));
    let optimizer = tokio::spawn(keep_statistics(store.clone(), stop.subscribe()));
    let webhooks = tokio::spawn(crate::webhooks::run(
        store.clone(),
        config.live,
        stop.subscribe(),
    ));
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the HTTP server failed")?;
    // Upgraded connections outlive the HTTP server: they are told to go away.
    sockets.close_all(std::time::Duration::from_secs(5)).await;
    // The worker finishes the messages it has claimed before it stops.
    let _ = stop.send(true);
    if let Err(error) = worker.await {
        tracing::error!(%error, "the delivery worker failed");
    }
    if let Err(error) = scheduler.await {
        tracing::error!(%error, "the reminder scheduler failed");
    }
    if let Err(error) = optimizer.await {
        tracing::error!(%error, "the statistics task failed");
    }
    if let Err(error) = webhooks.await {
        tracing::error!(%error, "the webhook worker failed");
    }
    tracing::info!("shutting down: in-flight requests and deliveries finished");
    store.close().await?;
    Ok(())
}

fn print_demo_instructions(config: &Config) -> anyhow::Result<()> {
    let url = &config.public_url;
    let mut text = format!(
        "\ncmnp is running with the demo commission.\n\n  Status pages:  {url}/app  (open it in a browser and sign in)\n  GraphiQL:      {url}/graphql\n\n  Demo users (password: {password}):\n",
        password = demo::DEMO_PASSWORD,
    );
    for (email, _, role, agency, _) in demo::USERS {
        let _ = writeln!(
            text,
            "    {email:<26} {role}{}",
            agency.map(|a| format!(" of {a}")).unwrap_or_default()
        );
    }
    let _ = write!(
        text,
        "\n  Sign in with:\n    mutation {{ login(input: {{ email: \"secretaria@cmnp.example\", password: \"{}\" }}) {{ token }} }}\n  and send the token as the header  Authorization: Bearer <token>\n\n",
        demo::DEMO_PASSWORD
    );
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM; the server then stops accepting connections and
/// finishes the requests it has.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
