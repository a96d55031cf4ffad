//! Times a reminder sweep over a large commission: 100,000 action items, 2,000 sessions
//! and 40 agencies by default, in SQLite, or in a new database on the PostgreSQL server
//! named by `TEST_DATABASE_URL`.
//!
//! ```sh
//! cargo run --release -p cmnp-bench --bin reminder-sweep [-- ITEMS]
//! TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo run --release -p cmnp-bench --bin reminder-sweep
//! ```
#![allow(clippy::print_stdout)]

use std::time::Instant;

use anyhow::Context;
use chrono::{Datelike, Duration, NaiveTime, TimeZone, Utc, Weekday};
use cmnp_bench::{Size, peak_rss_mib, reset_peak_rss, seed};
use cmnp_domain::meeting::local_date;
use cmnp_domain::reminder::{CronSchedule, Offsets};
use cmnp_notify::{Notifier, ReminderRules};
use cmnp_store::Store;
use cmnp_tests::TestDatabase;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut size = Size::default();
    if let Some(items) = std::env::args().nth(1) {
        size.action_items = items.parse().context("ITEMS must be a whole number")?;
    }
    let database = TestDatabase::create().await;
    let backend = if database.url().starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let notifier = Notifier::new(cmnp_mail::Commission::cmnp(
        "http://127.0.0.1:8080",
        "cmnp@bench.example",
    ));
    let store = Store::connect(database.url())
        .await?
        .with_planner(notifier.clone());
    store.migrate().await?;

    let zone = chrono_tz::America::Lima;
    // The sweep runs on a Monday at 08:30 in Lima, when the weekly digests are due too.
    let mut monday = local_date(Utc::now(), zone);
    while monday.weekday() != Weekday::Mon {
        monday += Duration::days(1);
    }
    let at = zone
        .from_local_datetime(&monday.and_time(NaiveTime::from_hms_opt(8, 30, 0).context("time")?))
        .single()
        .context("an unambiguous time")?
        .with_timezone(&Utc);

    let started = Instant::now();
    seed(&store, size, monday).await?;
    println!(
        "{backend}: seeded {} agencies, {} sessions, {} action items in {:.1} s",
        size.agencies,
        size.meetings,
        size.action_items,
        started.elapsed().as_secs_f64()
    );

    let rules = ReminderRules {
        time_zone: zone,
        meeting_days: Offsets::default(),
        due_days: Offsets::default(),
        overdue_digest: CronSchedule::parse("overdue", "0 8 * * Mon")?,
        secretariat_digest: CronSchedule::parse("secretariat", "0 8 * * Mon")?,
    };
    println!(
        "{backend}: peak resident memory while seeding {:.1} MiB",
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    reset_peak_rss();
    for (label, apply) in [
        ("preview", false),
        ("first sweep", true),
        ("repeated sweep", true),
    ] {
        let started = Instant::now();
        let report = notifier.sweep(&store, &rules, at, apply).await?;
        let elapsed = started.elapsed();
        let count = |kind: &str| {
            report
                .emails
                .iter()
                .filter(|e| e.kind.as_str() == kind)
                .count()
        };
        println!(
            "{backend}: {label}: {:.0} ms; {} messages due ({} new): {} meeting reminders, {} due reminders, {} overdue digests, {} secretariat digests",
            elapsed.as_secs_f64() * 1_000.0,
            report.emails.len(),
            report.new_count(),
            count("MEETING_REMINDER"),
            count("ACTION_ITEM_DUE"),
            count("OVERDUE_DIGEST"),
            count("SECRETARIAT_DIGEST"),
        );
    }
    println!(
        "{backend}: peak resident memory during the sweeps {:.1} MiB",
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    store.close().await?;
    drop(database);
    Ok(())
}
