//! The SQL statements cmnp issues for each request of a query set, as `pgbench` scripts.
//!
//! Connects to the database named by `CMNP_DATABASE_URL` as `cmnp serve` does (same
//! store, same router, with authentication), and for each request in the JSON file given
//! first (`[{"name", "slug", "token", "transaction", "bodies": [warm-up, measured]}]`)
//! posts the warm-up body, then the measured one while the store records every
//! statement. It writes `<slug>.sql` into the folder given second, one statement a line
//! with its values inlined (a `pgbench` transaction replays one request), and prints one
//! JSON line per request: its name, how many statements it took, and how many of them
//! authenticating its token takes on its own.
//!
//! ```sh
//! CMNP_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cmnp_bench \
//!   cargo run --release -p cmnp-bench --bin statements -- requests.json out/
//! ```
#![allow(clippy::print_stdout)]

use std::path::PathBuf;

use anyhow::{Context, bail};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use cmnp_domain::user::Surface;
use cmnp_server::Config;
use serde_json::{Value, json};
use tower::ServiceExt;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(requests), Some(out)) = (args.next(), args.next()) else {
        bail!("usage: statements <requests.json> <output folder>");
    };
    let requests: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(&requests).with_context(|| format!("cannot read {requests}"))?,
    )?;
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out)?;

    let config = Config::from_env(None)?;
    let store = cmnp_server::cli::open(&config).await?;
    let router = cmnp_server::router(store.clone(), &config);

    for request in &requests {
        let name = request["name"].as_str().context("a name")?;
        let slug = request["slug"].as_str().context("a slug")?;
        let token = request["token"].as_str().context("a token")?;
        let bodies = request["bodies"].as_array().context("bodies")?;
        let mut statements = Vec::new();
        for (i, body) in bodies.iter().enumerate() {
            let measured = i + 1 == bodies.len();
            if measured {
                store.start_recording();
            }
            let response = router
                .clone()
                .oneshot(
                    Request::post("/graphql")
                        .header(header::CONTENT_TYPE, "application/json")
                        .header(header::ACCEPT, "application/json")
                        .header(header::AUTHORIZATION, format!("Bearer {token}"))
                        .body(Body::from(body.to_string()))?,
                )
                .await?;
            let status = response.status();
            let answer = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
            if measured {
                statements = store.stop_recording();
            }
            let answer: Value = serde_json::from_slice(&answer)?;
            if status != StatusCode::OK || answer.get("errors").is_some() {
                bail!("{name}: {status} {answer}");
            }
        }

        store.start_recording();
        store
            .authenticate_for(token, Surface::Api)
            .await?
            .context("a valid token")?;
        let auth = store.stop_recording().len();

        let mut script = String::new();
        let transaction = request["transaction"].as_bool().unwrap_or(false);
        if transaction {
            script.push_str("BEGIN;\n");
        }
        for statement in &statements {
            script.push_str(&replayable(statement));
            script.push_str(";\n");
        }
        if transaction {
            script.push_str("COMMIT;\n");
        }
        std::fs::write(out.join(format!("{slug}.sql")), script)?;
        println!(
            "{}",
            json!({ "name": name, "slug": slug, "statements": statements.len(), "auth": auth })
        );
    }
    store.close().await?;
    Ok(())
}

/// The statement on one line; an insert that gives a new row its id literally gets a
/// fresh one each time instead (`gen_random_uuid()`), so that replaying it many times
/// does not collide with its own first row.
fn replayable(statement: &str) -> String {
    let statement = statement.replace(['\n', '\r'], " ");
    let fresh_id = statement.starts_with("INSERT INTO")
        && statement
            .split_once(" (")
            .is_some_and(|(_, columns)| columns.starts_with("\"id\""));
    if fresh_id && let Some(at) = statement.find(" VALUES ('") {
        let value = at + " VALUES (".len();
        let literal = &statement[value..];
        if literal.len() > 38 && literal.as_bytes().get(37) == Some(&b'\'') {
            return format!("{}gen_random_uuid(){}", &statement[..value], &literal[38..]);
        }
    }
    statement
}
