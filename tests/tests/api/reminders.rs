//! Reminders and digests: planned by sweeps on the right local days, once however often
//! sweeps run, skipped when their reason vanished, and delivered over real SMTP.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use cmnp_domain::reminder::{CronSchedule, Offsets};
use cmnp_notify::{ReminderRules, SweepReport};
use cmnp_server::mailer::Pass;
use cmnp_tests::{SmtpServer, TestApp};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use serde_json::{Value, json};

use crate::email::{deliver, smtp, two_languages};
use crate::work::Commission;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn rules(zone: Tz) -> ReminderRules {
    ReminderRules {
        time_zone: zone,
        meeting_days: Offsets::default(),
        due_days: Offsets::default(),
        overdue_digest: CronSchedule::parse("overdue", "0 8 * * Mon").unwrap(),
        secretariat_digest: CronSchedule::parse("secretariat", "0 8 * * Mon").unwrap(),
    }
}

async fn sweep(app: &TestApp, rules: &ReminderRules, now: &str) -> SweepReport {
    app.sweep_reminders(rules, at(now), true).await.unwrap()
}

/// The kinds and recipients a sweep planned anew, sorted.
fn planned(report: &SweepReport) -> Vec<String> {
    let mut planned: Vec<String> = report
        .emails
        .iter()
        .filter(|e| e.new)
        .map(|e| format!("{} {}", e.kind, e.recipient))
        .collect();
    planned.sort();
    planned
}

/// Sweeps plan at simulated moments; the worker delivers at the real one, so make every
/// pending message due now.
async fn due_now(app: &TestApp) {
    let update = Query::update()
        .table(Alias::new("email_outbox"))
        .value(
            Alias::new("next_attempt_at"),
            Utc::now() - Duration::minutes(1),
        )
        .and_where(Expr::col(Alias::new("status")).eq("PENDING"))
        .to_owned();
    app.store.connection().execute(&update).await.unwrap();
}

/// Schedules a session at `starts_at` in `zone`, inviting MIMP and PNP.
async fn session(c: &Commission, starts_at: &str, zone: &str) -> Value {
    let starts = at(starts_at);
    let data = c
        .as_secretariat(
            "mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id label } } }",
            json!({ "input": {
                "kind": "ORDINARY",
                "title": "Sesión de la Comisión",
                "startsAt": starts.to_rfc3339(),
                "endsAt": (starts + Duration::hours(2)).to_rfc3339(),
                "timeZone": zone,
                "location": "Sala de sesiones",
                "invitedAgencyIds": [c.mimp.id.to_string(), c.pnp.id.to_string()],
            } }),
        )
        .await;
    data["scheduleMeeting"]["meeting"].clone()
}

#[tokio::test]
async fn due_reminders_fall_on_the_right_local_days_around_month_ends() {
    let c = Commission::new().await;
    two_languages(&c).await;
    c.item(&c.pnp, day("2027-03-01"), &[]).await;
    let lima = rules(chrono_tz::America::Lima);
    let pnp = vec!["ACTION_ITEM_DUE john@pnp.example".to_owned()];

    // Lima is UTC-5: 21 February ends at 05:00 UTC on the 22nd.
    assert!(planned(&sweep(&c.app, &lima, "2027-02-22T04:59:00Z").await).is_empty());
    assert_eq!(
        planned(&sweep(&c.app, &lima, "2027-02-22T05:00:00Z").await),
        pnp,
        "7 days before"
    );
    assert!(planned(&sweep(&c.app, &lima, "2027-02-27T12:00:00Z").await).is_empty());
    // 28 February is the last day of the month and the day before.
    assert_eq!(
        planned(&sweep(&c.app, &lima, "2027-02-28T05:00:00Z").await),
        pnp,
        "1 day before"
    );
    assert!(planned(&sweep(&c.app, &lima, "2027-03-01T12:00:00Z").await).is_empty());

    let server = SmtpServer::start(None);
    due_now(&c.app).await;
    let pass = deliver(&c.app, &smtp(&server.url())).await;
    assert_eq!(pass.sent, 2);
    let subjects: Vec<String> = server
        .messages()
        .iter()
        .filter_map(|m| {
            m.lines()
                .find(|l| l.starts_with("Subject:"))
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(
        subjects,
        [
            "Subject: Action AI-2026-001 due in 7 days",
            "Subject: Action AI-2026-001 due tomorrow"
        ]
    );
}

#[tokio::test]
async fn meeting_reminders_follow_the_local_day_across_a_daylight_saving_change() {
    let c = Commission::new().await;
    two_languages(&c).await;
    // Madrid moves to summer time on 28 March 2027 at 02:00. A session at 00:30 on the
    // 29th (22:30 UTC on the 28th) is reminded on the 22nd and on the 28th, local time.
    session(&c, "2027-03-28T22:30:00Z", "Europe/Madrid").await;
    let madrid = rules(chrono_tz::Europe::Madrid);
    let both = vec![
        "MEETING_REMINDER carmen@mimp.example".to_owned(),
        "MEETING_REMINDER john@pnp.example".to_owned(),
    ];
    // 21 March, 23:59 in Madrid (UTC+1).
    assert!(planned(&sweep(&c.app, &madrid, "2027-03-21T22:59:00Z").await).is_empty());
    assert_eq!(
        planned(&sweep(&c.app, &madrid, "2027-03-21T23:00:00Z").await),
        both
    );
    // 27 March, 23:59 local is still two days before.
    assert!(planned(&sweep(&c.app, &madrid, "2027-03-27T22:59:00Z").await).is_empty());
    assert_eq!(
        planned(&sweep(&c.app, &madrid, "2027-03-27T23:00:00Z").await),
        both
    );
    // After the change: the session's own day, nothing more.
    assert!(planned(&sweep(&c.app, &madrid, "2027-03-28T22:00:00Z").await).is_empty());

    let server = SmtpServer::start(None);
    due_now(&c.app).await;
    let pass = deliver(&c.app, &smtp(&server.url())).await;
    // Two invitations and four reminders.
    assert_eq!(pass.sent, 6);
    let english: Vec<String> = server
        .messages()
        .into_iter()
        .filter(|m| m.contains("john@pnp.example") && m.contains("Subject: Reminder"))
        .collect();
    assert_eq!(english.len(), 2);
    assert!(english.iter().any(|m| m.contains("in 7 days")));
    assert!(english.iter().any(|m| m.contains("tomorrow")));
}

#[tokio::test]
async fn nothing_reminds_of_done_or_cancelled_items_or_cancelled_sessions() {
    let c = Commission::new().await;
    two_languages(&c).await;
    let today = crate::work::lima_today();
    let lima = rules(chrono_tz::America::Lima);
    let open = c.item(&c.pnp, today + Duration::days(1), &[]).await;
    let done = c.item(&c.pnp, today + Duration::days(1), &[]).await;
    let cancelled = c.item(&c.pnp, today + Duration::days(1), &[]).await;
    c.as_secretariat(
        "mutation ($id: ID!, $v: Int!) { updateActionItem(input: { id: $id, expectedVersion: $v, status: DONE }) { actionItem { status } } }",
        json!({ "id": done["id"], "v": done["version"] }),
    )
    .await;
    c.as_secretariat(
        "mutation ($id: ID!, $v: Int!) { cancelActionItem(input: { id: $id, expectedVersion: $v, reason: \"Ya no aplica\" }) { actionItem { status } } }",
        json!({ "id": cancelled["id"], "v": cancelled["version"] }),
    )
    .await;
    let meeting = c.schedule("ORDINARY", Duration::days(3), None).await;
    c.as_secretariat(
        "mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"Feriado\" }) { meeting { id } } }",
        json!({ "id": meeting["id"] }),
    )
    .await;

    let report = sweep(&c.app, &lima, &Utc::now().to_rfc3339()).await;
    let about: Vec<&str> = report.emails.iter().map(|e| e.about.as_str()).collect();
    assert_eq!(about, [open["reference"].as_str().unwrap()]);
    assert!(
        report
            .emails
            .iter()
            .all(|e| e.kind.as_str() == "ACTION_ITEM_DUE")
    );
}

#[tokio::test]
async fn a_reminder_whose_reason_vanished_before_sending_is_skipped() {
    let c = Commission::new().await;
    two_languages(&c).await;
    let today = crate::work::lima_today();
    let lima = rules(chrono_tz::America::Lima);
    let item = c.item(&c.pnp, today + Duration::days(1), &[]).await;
    let meeting = c.schedule("ORDINARY", Duration::days(3), None).await;
    let report = sweep(&c.app, &lima, &Utc::now().to_rfc3339()).await;
    assert_eq!(report.new_count(), 3, "{report:?}");

    // Before the worker runs, the item is done and the session moves a week later.
    c.as_secretariat(
        "mutation ($id: ID!, $v: Int!) { updateActionItem(input: { id: $id, expectedVersion: $v, status: DONE }) { actionItem { status } } }",
        json!({ "id": item["id"], "v": item["version"] }),
    )
    .await;
    let later = Utc::now() + Duration::days(10);
    c.as_secretariat(
        "mutation ($id: ID!, $s: DateTime!, $e: DateTime!) { updateMeeting(input: { id: $id, startsAt: $s, endsAt: $e }) { meeting { sequence } } }",
        json!({ "id": meeting["id"], "s": later.to_rfc3339(), "e": (later + Duration::hours(2)).to_rfc3339() }),
    )
    .await;

    let server = SmtpServer::start(None);
    let pass = deliver(&c.app, &smtp(&server.url())).await;
    // Only the invitations and their update arrive.
    assert_eq!(pass.sent, 4, "{pass:?}");
    assert!(
        server
            .messages()
            .iter()
            .all(|m| !m.contains("Subject: Reminder") && !m.contains("Subject: Action"))
    );
    let data = c
        .as_secretariat(
            "{ emailDeliveries(first: 50, filter: { status: SKIPPED }) { edges { node { kind lastError } } } }",
            json!({}),
        )
        .await;
    let skipped = data["emailDeliveries"]["edges"].as_array().unwrap();
    assert_eq!(skipped.len(), 3);
    assert!(skipped.iter().any(|e| {
        e["node"]["lastError"]
            .as_str()
            .unwrap()
            .contains("the item is DONE")
    }));
    assert!(skipped.iter().any(|e| {
        e["node"]["lastError"]
            .as_str()
            .unwrap()
            .contains("moved from")
    }));
}

#[tokio::test]
async fn sweeps_repeated_and_overlapping_plan_each_reminder_once() {
    let c = Commission::new().await;
    two_languages(&c).await;
    let today = crate::work::lima_today();
    let lima = rules(chrono_tz::America::Lima);
    for offset in [1, 3, 7] {
        c.item(&c.pnp, today + Duration::days(offset), &[]).await;
        c.item(&c.mimp, today + Duration::days(offset), &[]).await;
    }
    c.schedule("ORDINARY", Duration::days(5), None).await;
    let now = Utc::now();
    let (a, b, d) = tokio::join!(
        c.app.sweep_reminders(&lima, now, true),
        c.app.sweep_reminders(&lima, now, true),
        c.app.sweep_reminders(&lima, now, true),
    );
    for report in [a, b, d] {
        assert_eq!(
            report.unwrap().emails.len(),
            8,
            "six items and a session for two people"
        );
    }
    let again = c
        .app
        .sweep_reminders(&lima, now + Duration::hours(3), true)
        .await
        .unwrap();
    assert_eq!(again.new_count(), 0);

    let server = SmtpServer::start(None);
    let pass = deliver(&c.app, &smtp(&server.url())).await;
    // Two invitations and eight reminders, each once.
    assert_eq!(
        pass,
        Pass {
            sent: 10,
            retried: 0,
            dead: 0
        }
    );
    assert_eq!(server.messages().len(), 10);
}

#[tokio::test]
async fn digests_go_out_when_their_schedule_fires_once_per_firing() {
    let c = Commission::new().await;
    two_languages(&c).await;
    let lima = rules(chrono_tz::America::Lima);
    // Overdue at the time of the sweeps below: due 2026-11-20.
    let overdue = c.item(&c.pnp, day("2026-11-20"), &[]).await;
    c.item(&c.mimp, day("2027-06-01"), &[]).await;

    // Monday 7 December 2026, 08:00 in Lima is 13:00 UTC.
    let before = sweep(&c.app, &lima, "2026-12-07T12:59:00Z").await;
    assert!(
        before
            .emails
            .iter()
            .all(|e| !e.kind.as_str().contains("DIGEST"))
    );
    let fired = sweep(&c.app, &lima, "2026-12-07T13:05:00Z").await;
    assert_eq!(
        planned(&fired),
        [
            "OVERDUE_DIGEST john@pnp.example",
            "SECRETARIAT_DIGEST secretaria@test.example",
        ]
    );
    // The same firing, caught up later that day, is planned already.
    let later = sweep(&c.app, &lima, "2026-12-07T20:00:00Z").await;
    assert_eq!(later.new_count(), 0);
    assert_eq!(later.emails.len(), 2);
    // A day after the firing the catch-up window has closed.
    assert!(
        sweep(&c.app, &lima, "2026-12-08T13:01:00Z")
            .await
            .emails
            .is_empty()
    );

    let server = SmtpServer::start(None);
    due_now(&c.app).await;
    let pass = deliver(&c.app, &smtp(&server.url())).await;
    assert_eq!(pass.sent, 2);
    let digest = server
        .messages()
        .into_iter()
        .find(|m| m.contains("john@pnp.example"))
        .unwrap();
    assert!(
        digest.contains(overdue["reference"].as_str().unwrap()),
        "{digest}"
    );
}

#[tokio::test]
async fn focal_points_hear_once_and_agencies_nobody_can_be_written_to_are_named() {
    let c = Commission::new().await;
    // carmen@mimp.example is MIMP's representative and its focal point; PNP has only its
    // focal point, john@pnp.example; MININTER, MINSA and CHS have nobody.
    crate::email::representative(
        &c.app,
        &c.mimp,
        "Carmen Flores",
        "Carmen@mimp.example",
        cmnp_domain::representative::Language::Es,
    )
    .await;
    c.item(&c.mimp, day("2027-03-01"), &[]).await;
    c.item(&c.pnp, day("2027-03-01"), &[]).await;
    let lima = rules(chrono_tz::America::Lima);
    let week_before = sweep(&c.app, &lima, "2027-02-22T05:00:00Z").await;
    assert_eq!(
        planned(&week_before),
        [
            "ACTION_ITEM_DUE carmen@mimp.example",
            "ACTION_ITEM_DUE john@pnp.example",
        ]
    );
    assert_eq!(week_before.unreachable, ["CHS", "MININTER", "MINSA"]);
    let preview = cmnp_server::reminders::describe(&week_before);
    assert!(
        preview.contains(
            "no recipient (no current representative, no active focal point): CHS, MININTER, MINSA"
        ),
        "{preview}"
    );

    // Monday 1 March 2027, 08:00 in Lima: the secretariat digest names them.
    let digest_day = sweep(&c.app, &lima, "2027-03-01T13:05:00Z").await;
    assert!(
        planned(&digest_day).contains(&"SECRETARIAT_DIGEST secretaria@test.example".to_owned())
    );
    let server = SmtpServer::start(None);
    due_now(&c.app).await;
    deliver(&c.app, &smtp(&server.url())).await;
    let digest = server
        .messages()
        .into_iter()
        .find(|m| m.contains("secretaria@test.example"))
        .unwrap();
    let digest = crate::email::Received::parse(&digest);
    assert!(
        digest.text.contains("MINSA — sin destinatario"),
        "{}",
        digest.text
    );
    assert!(!digest.text.contains("PNP — sin destinatario"));
}
