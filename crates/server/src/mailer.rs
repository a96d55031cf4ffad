//! Delivery of the outbox: a worker claims due messages, sends them over SMTP (pooled;
//! STARTTLS or TLS and credentials from the URL) or writes them as `.eml` files, and
//! records each outcome. Nothing is sent from inside a request.

use std::path::PathBuf;
use std::time::Duration as StdDuration;

use anyhow::Context;
use chrono::{Duration, Utc};
use cmnp_domain::outbox::DeliveryStatus;
use cmnp_mail::Commission;
use cmnp_store::{Claimed, Store};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tokio::sync::watch;

use crate::config::Config;

/// How long a claimed message stays with one worker before another may take it over.
const LEASE_SECONDS: i64 = 120;
const BATCH: u64 = 20;

/// Where e-mails go.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// A folder of `.eml` files, one per message, named after its Message-ID.
    Files(PathBuf),
}

impl Transport {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        match &config.smtp_url {
            Some(url) => Ok(Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("CMNP_SMTP_URL is not a usable SMTP address")?
                    .timeout(Some(StdDuration::from_secs(20)))
                    .build(),
            )),
            None => Ok(Transport::Files(config.outbox_dir.clone())),
        }
    }

    /// Sends one message; the error says whether trying again could help.
    async fn send(&self, message: lettre::Message, message_id: &str) -> Result<(), Failure> {
        match self {
            Transport::Smtp(smtp) => {
                smtp.send(message)
                    .await
                    .map(|_| ())
                    .map_err(|error| Failure {
                        permanent: error.is_permanent(),
                        text: error.to_string(),
                    })
            }
            Transport::Files(folder) => {
                let written = async {
                    tokio::fs::create_dir_all(folder).await?;
                    tokio::fs::write(
                        folder.join(format!("{message_id}.eml")),
                        message.formatted(),
                    )
                    .await
                };
                written.await.map_err(|error| Failure {
                    permanent: false,
                    text: error.to_string(),
                })
            }
        }
    }
}

struct Failure {
    permanent: bool,
    text: String,
}

/// What one pass over the outbox did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub retried: usize,
    pub dead: usize,
}

/// Delivers what is due now, batch after batch, until nothing due is left.
pub async fn deliver_due(
    store: &Store,
    transport: &Transport,
    commission: &Commission,
) -> anyhow::Result<Pass> {
    let mut pass = Pass::default();
    loop {
        let claimed = store
            .claim_due(Utc::now(), BATCH, Duration::seconds(LEASE_SECONDS))
            .await?;
        if claimed.is_empty() {
            return Ok(pass);
        }
        for message in claimed {
            deliver(store, transport, commission, &message, &mut pass).await?;
        }
    }
}

async fn deliver(
    store: &Store,
    transport: &Transport,
    commission: &Commission,
    claimed: &Claimed,
    pass: &mut Pass,
) -> anyhow::Result<()> {
    let outcome = match cmnp_mail::message(commission, &claimed.email, &claimed.message_id) {
        Ok(message) => transport.send(message, &claimed.message_id).await,
        // A message that cannot even be built will not build next time either.
        Err(error) => Err(Failure {
            permanent: true,
            text: error.to_string(),
        }),
    };
    match outcome {
        Ok(()) => {
            store.mark_sent(claimed.id, Utc::now()).await?;
            pass.sent += 1;
        }
        Err(failure) => {
            tracing::warn!(to = %claimed.email.to.email, error = %failure.text, permanent = failure.permanent, "e-mail not delivered");
            match store
                .mark_failed(claimed, &failure.text, failure.permanent, Utc::now())
                .await?
            {
                DeliveryStatus::Dead => pass.dead += 1,
                _ => pass.retried += 1,
            }
        }
    }
    Ok(())
}

/// The delivery worker of `cmnp serve`: a pass every `every`, until `shutdown` turns
/// true; the pass under way finishes first, so no claimed message is abandoned.
pub async fn run(
    store: Store,
    transport: Transport,
    commission: Commission,
    every: StdDuration,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        match deliver_due(&store, &transport, &commission).await {
            Ok(pass) if pass != Pass::default() => tracing::info!(?pass, "outbox delivered"),
            Ok(_) => {}
            Err(error) => tracing::error!("{error:#}"),
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    return;
                }
            }
        }
    }
}
