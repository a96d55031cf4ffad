//! Seeds the large benchmark commission into the database named by `CMNP_DATABASE_URL`
//! (migrated first; it must be empty) and prints API tokens of its secretariat, agency
//! and donor users as JSON (`{"secretariat": …, "agency": …, "donor": …}`), for load
//! generators.
//!
//! ```sh
//! CMNP_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cmnp_bench cargo run --release -p cmnp-bench --bin seed
//! ```
#![allow(clippy::print_stdout)]

use anyhow::Context;
use chrono::Utc;
use cmnp_bench::{AGENCY_EMAIL, DONOR_EMAIL, SECRETARIAT_EMAIL, Size, seed};
use cmnp_domain::meeting::local_date;
use cmnp_store::Store;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("CMNP_DATABASE_URL").context("set CMNP_DATABASE_URL")?;
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    let today = local_date(Utc::now(), chrono_tz::America::Lima);
    seed(&store, Size::default(), today).await?;
    let mut tokens = serde_json::Map::new();
    for (role, email) in [
        ("secretariat", SECRETARIAT_EMAIL),
        ("agency", AGENCY_EMAIL),
        ("donor", DONOR_EMAIL),
    ] {
        let user = store
            .user_by_email(email)
            .await?
            .with_context(|| format!("the seeded user {email}"))?;
        let issued = store
            .create_api_token(None, user.id, "benchmark".into(), None)
            .await?;
        tokens.insert(role.into(), issued.secret.into());
    }
    println!("{}", serde_json::Value::Object(tokens));
    store.close().await?;
    Ok(())
}
