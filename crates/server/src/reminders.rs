//! The reminder scheduler of `cmnp serve`, and the `cmnp reminders` commands. A tick
//! runs at start-up (catching up what downtime missed) and at every firing of the
//! reminder and digest schedules, read in the commission's time zone: it creates the
//! sessions of meeting series that have come within `CMNP_SERIES_HORIZON_DAYS`, then
//! sweeps; the delivery worker sends what it plans.

use std::fmt::Write as _;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use cmnp_notify::SweepReport;
use cmnp_store::Store;
use tokio::sync::watch;

use crate::config::Config;

/// Sweeps now, then at every firing of the schedules, until `shutdown` turns true.
pub async fn run(store: Store, config: Config, mut shutdown: watch::Receiver<bool>) {
    let rules = &config.reminders;
    let notifier = crate::cli::notifier(&config);
    loop {
        match store.create_series_sessions(config.series_horizon).await {
            Ok(0) => {}
            Ok(created) => tracing::info!(created, "sessions of meeting series created"),
            Err(error) => tracing::error!(%error, "creating the sessions of meeting series failed"),
        }
        match notifier.sweep(&store, rules, Utc::now(), true).await {
            Ok(report) => {
                if report.new_count() > 0 {
                    tracing::info!(planned = report.new_count(), "reminders planned");
                }
                if !report.unreachable.is_empty() {
                    tracing::warn!(
                        agencies = %report.unreachable.join(", "),
                        "agencies with no current representative and no active focal point hear nothing"
                    );
                }
            }
            Err(error) => tracing::error!(%error, "the reminder sweep failed"),
        }
        let now = Utc::now();
        let next = [
            &config.reminder_schedule,
            &rules.overdue_digest,
            &rules.secretariat_digest,
        ]
        .into_iter()
        .filter_map(|schedule| schedule.next_after(now, rules.time_zone))
        .min();
        // A schedule that never fires again leaves nothing to wait for but shutdown.
        let wait = next.map(|at| (at - now).to_std().unwrap_or_default());
        tokio::select! {
            () = sleep(wait) => {}
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    return;
                }
            }
        }
    }
}

async fn sleep(wait: Option<std::time::Duration>) {
    match wait {
        Some(wait) => tokio::time::sleep(wait).await,
        None => std::future::pending().await,
    }
}

/// The moment a preview for `day` stands for: the end of that day in the commission's
/// zone, so it shows everything that day's sweeps plan.
pub fn end_of_day(config: &Config, day: NaiveDate) -> anyhow::Result<DateTime<Utc>> {
    let last_second = day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default());
    config
        .time_zone
        .from_local_datetime(&last_second)
        .latest()
        .map(|at| at.with_timezone(&Utc))
        .with_context(|| format!("{day} has no end of day in {}", config.time_zone))
}

/// One line per message: kind, recipient, what it is about, and whether it is new.
pub fn describe(report: &SweepReport) -> String {
    let mut text = String::new();
    for email in &report.emails {
        let state = if email.new { "new" } else { "planned already" };
        let _ = writeln!(
            text,
            "{:<20} {:<36} {:<32} {state}",
            email.kind.as_str(),
            email.recipient,
            email.about
        );
    }
    if !report.unreachable.is_empty() {
        let _ = writeln!(
            text,
            "no recipient (no current representative, no active focal point): {}",
            report.unreachable.join(", ")
        );
    }
    let _ = write!(
        text,
        "{} messages due, {} not yet planned",
        report.emails.len(),
        report.new_count()
    );
    text
}

/// `cmnp reminders run-once`: one tick now (series' sessions, then the sweep), then one
/// delivery pass.
pub async fn run_once(store: &Store, config: &Config) -> anyhow::Result<String> {
    let created = store
        .create_series_sessions(config.series_horizon)
        .await
        .context("creating the sessions of meeting series failed")?;
    let report = crate::cli::notifier(config)
        .sweep(store, &config.reminders, Utc::now(), true)
        .await
        .context("the reminder sweep failed")?;
    let transport = crate::mailer::Transport::from_config(config)?;
    let pass =
        crate::mailer::deliver_due(store, &transport, &crate::cli::commission(config)).await?;
    Ok(format!(
        "{}\nsessions of series created {created}; planned {}; delivered: {} sent, {} to retry, {} dead",
        describe(&report),
        report.new_count(),
        pass.sent,
        pass.retried,
        pass.dead
    ))
}
