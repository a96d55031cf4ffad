//! Meeting series: scheduled once, created as numbered sessions up to the horizon,
//! changed one session at a time or "this and following", and exported as one repeating
//! event whose expansion, by real parsers, gives the sessions the service lists.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, CalendarComponent, Component};
use serde_json::{Value, json};

use crate::work::Commission;

const SCHEDULE: &str = "mutation ($input: ScheduleMeetingSeriesInput!) { scheduleMeetingSeries(input: $input) { meetingSeries { id rule startTime calendarPath
    occurrences { id number year kind startsAt status recurrenceId agenda { kind } series { id } } nextOccurrence { id } } } }";

/// Five sessions on the last day of the month at 10:00 in New York, from January 2027:
/// months of 31, 28, 31, 30 and 31 days, and the clocks move on 14 March.
fn last_days() -> Value {
    json!({
        "kind": "ORDINARY",
        "title": "Sesión ordinaria mensual",
        "rule": "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=5",
        "startsOn": "2027-01-01",
        "startTime": "10:00",
        "durationMinutes": 120,
        "timeZone": "America/New_York",
        "location": "Consulado General del Perú en Nueva York",
        "exceptOn": ["2027-04-30"],
    })
}

async fn ics(c: &Commission, path: &str) -> String {
    let (status, headers, body) = c
        .app
        .send(
            Request::get(path)
                .header(
                    header::AUTHORIZATION,
                    format!("Bearer {}", c.mimp_user.token),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    String::from_utf8(body).unwrap()
}

fn starts(meetings: &Value, status: &str) -> BTreeSet<DateTime<Utc>> {
    meetings
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["status"] == status)
        .map(|m| m["startsAt"].as_str().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn a_monthly_series_across_a_dst_change_exports_its_moves_and_cancellations() {
    let listed = monthly_series_exported().await;
    let calendar: Calendar = listed.text.parse().unwrap();
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|component| match component {
            CalendarComponent::Event(event) => Some(event),
            _ => None,
        })
        .collect();
    // The series, and the three sessions that still take place as its occurrences.
    assert_eq!(events.len(), 4, "{}", listed.text);
    assert!(
        events
            .iter()
            .all(|e| e.get_uid() == Some(listed.uid.as_str()))
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| e.property_value("RRULE").is_some())
            .count(),
        1
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| e.property_value("RECURRENCE-ID").is_some())
            .count(),
        3
    );
}

#[tokio::test]
#[ignore = "needs Python with tests/python/requirements.txt: run with CMNP_PYTHON=/path/to/python and --include-ignored"]
async fn python_icalendar_expands_a_series_to_the_sessions_the_service_lists() {
    let python = cmnp_tests::required(
        "CMNP_PYTHON",
        "a Python with icalendar and recurring_ical_events (tests/python/requirements.txt)",
    );
    let listed = monthly_series_exported().await;
    assert_eq!(
        expand_in_python(&python, &listed.text),
        listed.held_or_coming
    );
}

/// A series' calendar file, its `UID`, and the starts of the sessions the service lists
/// as still taking place.
struct Exported {
    text: String,
    uid: String,
    held_or_coming: BTreeSet<DateTime<Utc>>,
}

/// Schedules [`last_days`], moves February's session, cancels March's, checks what the
/// service lists and writes, and returns the series' calendar file.
async fn monthly_series_exported() -> Exported {
    let c = Commission::configured(&[("CMNP_SERIES_HORIZON_DAYS", "400")]).await;
    let scheduled = c
        .as_secretariat(SCHEDULE, json!({ "input": last_days() }))
        .await;
    let series = &scheduled["scheduleMeetingSeries"]["meetingSeries"];
    assert_eq!(series["rule"], "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=5");
    assert_eq!(series["startTime"], "10:00");
    let sessions = series["occurrences"].as_array().unwrap();
    // The last of April is an exception; New York is UTC-5 until 14 March, UTC-4 after.
    let expected: Vec<DateTime<Utc>> = [
        "2027-01-31T15:00:00Z",
        "2027-02-28T15:00:00Z",
        "2027-03-31T14:00:00Z",
        "2027-05-31T14:00:00Z",
    ]
    .iter()
    .map(|at| at.parse().unwrap())
    .collect();
    let listed: Vec<DateTime<Utc>> = sessions
        .iter()
        .map(|m| m["startsAt"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(listed, expected);
    for (index, session) in sessions.iter().enumerate() {
        assert_eq!(session["number"], index + 1, "numbered in 2027: {session}");
        assert_eq!(session["year"], 2027);
        assert_eq!(session["startsAt"], session["recurrenceId"]);
        assert_eq!(session["series"]["id"], series["id"]);
        assert_eq!(session["agenda"][0]["kind"], "FOLLOW_UP");
    }
    assert_eq!(series["nextOccurrence"]["id"], sessions[0]["id"]);

    // The scheduler's tick finds nothing left to create, however often it runs.
    let horizon = Duration::days(400);
    let (first, second) = tokio::join!(
        c.app.store.create_series_sessions(horizon),
        c.app.store.create_series_sessions(horizon)
    );
    assert_eq!((first.unwrap(), second.unwrap()), (0, 0));

    // February's session moves to 1 March at 11:00; March's is cancelled.
    let moved = c
        .as_secretariat(
            "mutation ($id: ID!) { updateMeeting(input: { id: $id, startsAt: \"2027-03-01T16:00:00Z\", endsAt: \"2027-03-01T18:00:00Z\" }) { meeting { recurrenceId sequence } } }",
            json!({ "id": sessions[1]["id"] }),
        )
        .await;
    assert_eq!(
        moved["updateMeeting"]["meeting"]["recurrenceId"],
        "2027-02-28T15:00:00+00:00"
    );
    c.as_secretariat(
        "mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"Feriado\" }) { meeting { status } } }",
        json!({ "id": sessions[2]["id"] }),
    )
    .await;

    let text = ics(&c, series["calendarPath"].as_str().unwrap()).await;
    for line in [
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=5",
        "DTSTART;TZID=America/New_York:20270131T100000",
        "EXDATE;TZID=America/New_York:20270331T100000",
        "EXDATE;TZID=America/New_York:20270430T100000",
        "RECURRENCE-ID;TZID=America/New_York:20270228T100000",
        "DTSTART;TZID=America/New_York:20270301T110000",
        "TZOFFSETTO:-0400",
    ] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
    let uid = format!("{}@cmnp", series["id"].as_str().unwrap());

    // A session's own file is its series' file, and so is the feed's entry.
    let session_file = ics(
        &c,
        &format!("/meetings/{}.ics", sessions[0]["id"].as_str().unwrap()),
    )
    .await;
    assert!(session_file.contains("RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=5"));
    assert_eq!(session_file.matches("BEGIN:VEVENT").count(), 4);

    let listed = c
        .as_secretariat(
            "query ($id: ID!) { meeting(id: $id) { series { occurrences { startsAt status } } } }",
            json!({ "id": sessions[0]["id"] }),
        )
        .await;
    let occurrences = &listed["meeting"]["series"]["occurrences"];
    assert_eq!(starts(occurrences, "CANCELLED").len(), 1);
    let held_or_coming = starts(occurrences, "SCHEDULED");
    assert_eq!(
        held_or_coming,
        [
            "2027-01-31T15:00:00Z",
            "2027-03-01T16:00:00Z",
            "2027-05-31T14:00:00Z"
        ]
        .iter()
        .map(|at| at.parse().unwrap())
        .collect()
    );
    Exported {
        text,
        uid,
        held_or_coming,
    }
}

/// The instants `recurring_ical_events` expands `text` to, through
/// `tests/python/expand.py`.
fn expand_in_python(python: &str, text: &str) -> BTreeSet<DateTime<Utc>> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("series.ics");
    std::fs::write(&file, text).unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("python/expand.py");
    let output = std::process::Command::new(python)
        .arg(script)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| line.parse().unwrap())
        .collect()
}

#[tokio::test]
async fn this_and_following_cancels_the_rest_and_ends_the_series() {
    let c = Commission::new().await;
    let next_month = (Utc::now() + Duration::days(31)).date_naive();
    let mut input = last_days();
    input["rule"] = json!("FREQ=WEEKLY;COUNT=4");
    input["startsOn"] = json!(next_month.to_string());
    input["timeZone"] = json!("America/Lima");
    input["exceptOn"] = json!([]);
    input["invitedAgencyIds"] = json!([c.mimp.id.to_string()]);
    let scheduled = c.as_secretariat(SCHEDULE, json!({ "input": input })).await;
    let series = &scheduled["scheduleMeetingSeries"]["meetingSeries"];
    let sessions = series["occurrences"].as_array().unwrap();
    assert_eq!(sessions.len(), 4);

    let single = c.schedule("EXTRAORDINARY", Duration::days(3), None).await;
    let refused = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            "mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"x\", scope: THIS_AND_FOLLOWING }) { meeting { id } } }",
            json!({ "id": single["id"] }),
        )
        .await;
    assert_eq!(
        (refused.code(), refused.field()),
        ("BAD_USER_INPUT", "scope")
    );

    let cancelled = c
        .as_secretariat(
            "mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"Cambio de sede\", scope: THIS_AND_FOLLOWING }) {
                meeting { status series { rule version occurrences { status } } } } }",
            json!({ "id": sessions[2]["id"] }),
        )
        .await;
    let meeting = &cancelled["cancelMeeting"]["meeting"];
    assert_eq!(meeting["status"], "CANCELLED");
    let ended = &meeting["series"];
    assert_eq!(ended["version"], 2);
    let rule = ended["rule"].as_str().unwrap();
    assert!(
        rule.starts_with("FREQ=WEEKLY;UNTIL=") && !rule.contains("COUNT"),
        "{rule}"
    );
    let statuses: Vec<&str> = ended["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["SCHEDULED", "SCHEDULED", "CANCELLED", "CANCELLED"]
    );
    assert_eq!(
        c.app
            .store
            .create_series_sessions(Duration::days(400))
            .await
            .unwrap(),
        0,
        "an ended series creates nothing more"
    );
    let text = ics(&c, series["calendarPath"].as_str().unwrap()).await;
    assert!(text.contains(&format!("RRULE:{rule}")), "{text}");

    // PNP is not invited: the series is not its to see.
    let hidden = c
        .app
        .graphql(
            Some(&c.pnp_user.token),
            "query ($id: ID!) { meeting(id: $id) { id } }",
            json!({ "id": sessions[0]["id"] }),
        )
        .await;
    assert!(
        hidden.body["data"]["meeting"].is_null(),
        "{:#}",
        hidden.body
    );
}

#[tokio::test]
async fn rules_are_checked_before_anything_is_written() {
    let c = Commission::new().await;
    for (rule, field) in [
        ("FREQ=MINUTELY", "rule"),
        ("FREQ=MONTHLY;BYDAY=2XX", "rule"),
        ("FREQ=DAILY;BYHOUR=9", "rule"),
    ] {
        let mut input = last_days();
        input["rule"] = json!(rule);
        let refused = c
            .app
            .graphql(
                Some(&c.secretariat.token),
                SCHEDULE,
                json!({ "input": input }),
            )
            .await;
        assert_eq!(
            (refused.code(), refused.field()),
            ("BAD_USER_INPUT", field),
            "{rule}"
        );
    }
    let mut past = last_days();
    past["startsOn"] = json!("2020-01-01");
    past["rule"] = json!("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=2");
    let refused = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            SCHEDULE,
            json!({ "input": past }),
        )
        .await;
    assert_eq!(refused.field(), "startsOn");
    let listed = c
        .as_secretariat("{ meetings { totalCount } }", json!({}))
        .await;
    assert_eq!(listed["meetings"]["totalCount"], 0);
}

#[tokio::test]
async fn this_and_following_moves_the_rest_to_a_new_series() {
    let c = Commission::new().await;
    let next_month = (Utc::now() + Duration::days(31)).date_naive();
    let mut input = last_days();
    input["rule"] = json!("FREQ=WEEKLY;COUNT=4");
    input["startsOn"] = json!(next_month.to_string());
    input["timeZone"] = json!("America/Lima");
    input["exceptOn"] = json!([]);
    let scheduled = c.as_secretariat(SCHEDULE, json!({ "input": input })).await;
    let series = &scheduled["scheduleMeetingSeries"]["meetingSeries"];
    let sessions = series["occurrences"].as_array().unwrap();
    let second: DateTime<Utc> = sessions[1]["startsAt"].as_str().unwrap().parse().unwrap();

    let to_another_day = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            "mutation ($id: ID!, $at: DateTime!, $end: DateTime!) { updateMeeting(input: { id: $id, startsAt: $at, endsAt: $end, scope: THIS_AND_FOLLOWING }) { meeting { id } } }",
            json!({ "id": sessions[1]["id"], "at": (second + Duration::days(1)).to_rfc3339(), "end": (second + Duration::days(1) + Duration::hours(2)).to_rfc3339() }),
        )
        .await;
    assert_eq!(to_another_day.field(), "startsAt");

    // From the second session on: 11:00 instead of 10:00 (Lima has no DST), one hour long.
    let updated = c
        .as_secretariat(
            "mutation ($id: ID!, $at: DateTime!, $end: DateTime!) { updateMeeting(input: { id: $id, startsAt: $at, endsAt: $end, title: \"Sesión semanal\", scope: THIS_AND_FOLLOWING }) {
                meeting { startsAt recurrenceId title sequence series { id rule startTime occurrences { startsAt title sequence } } } } }",
            json!({ "id": sessions[1]["id"], "at": (second + Duration::hours(1)).to_rfc3339(), "end": (second + Duration::hours(2)).to_rfc3339() }),
        )
        .await;
    let meeting = &updated["updateMeeting"]["meeting"];
    assert_eq!(meeting["title"], "Sesión semanal");
    assert_eq!(meeting["startsAt"], meeting["recurrenceId"]);
    let continued = &meeting["series"];
    assert_ne!(continued["id"], series["id"]);
    assert_eq!(continued["rule"], "FREQ=WEEKLY;COUNT=3");
    assert_eq!(continued["startTime"], "11:00");
    let moved: Vec<DateTime<Utc>> = continued["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert_eq!(m["title"], "Sesión semanal");
            assert_eq!(m["sequence"], 1);
            m["startsAt"].as_str().unwrap().parse().unwrap()
        })
        .collect();
    assert_eq!(
        moved,
        (1..4)
            .map(|week| second + Duration::hours(1) + Duration::weeks(week - 1))
            .collect::<Vec<_>>()
    );
    let ended = c
        .as_secretariat(
            "query ($id: ID!) { meeting(id: $id) { title series { rule occurrences { id } } } }",
            json!({ "id": sessions[0]["id"] }),
        )
        .await;
    assert_eq!(ended["meeting"]["title"], "Sesión ordinaria mensual");
    assert!(
        ended["meeting"]["series"]["rule"]
            .as_str()
            .unwrap()
            .contains("UNTIL=")
    );
    assert_eq!(
        ended["meeting"]["series"]["occurrences"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        c.app
            .store
            .create_series_sessions(Duration::days(400))
            .await
            .unwrap(),
        0,
        "neither series has a session left to create"
    );
}

#[tokio::test]
async fn a_series_without_a_list_invites_and_shows_itself_to_the_members_only() {
    let c = Commission::new().await;
    let partner = c.app.store.agency_by_acronym("OIM").await.unwrap().unwrap();
    let oim = c
        .app
        .user(
            "focal@oim.example",
            cmnp_domain::user::Role::Agency,
            Some(&partner),
        )
        .await;
    let mut input = last_days();
    input["startsOn"] = json!((Utc::now() + Duration::days(40)).date_naive().to_string());
    input["exceptOn"] = json!([]);
    let scheduled = c.as_secretariat(SCHEDULE, json!({ "input": input })).await;
    let series = &scheduled["scheduleMeetingSeries"]["meetingSeries"];
    let path = series["calendarPath"].as_str().unwrap().to_owned();
    // MIMP, a member, reads it; OIM, a partner, is not invited and is not told it exists.
    assert!(ics(&c, &path).await.contains("RRULE:"));
    let (status, _, _) = c
        .app
        .send(
            Request::get(&path)
                .header(header::AUTHORIZATION, format!("Bearer {}", oim.token))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let session = series["occurrences"][0]["id"].clone();
    let seen = c
        .app
        .graphql(
            Some(&oim.token),
            "query ($id: ID!) { node(id: $id) { id } }",
            json!({ "id": session }),
        )
        .await;
    assert_eq!(seen.data()["node"], Value::Null);
}

#[tokio::test]
async fn this_and_following_carries_the_series_not_one_sessions_own_changes() {
    let c = Commission::new().await;
    let mut input = last_days();
    input["rule"] = json!("FREQ=WEEKLY;COUNT=4");
    input["startsOn"] = json!((Utc::now() + Duration::days(31)).date_naive().to_string());
    input["timeZone"] = json!("America/Lima");
    input["exceptOn"] = json!([]);
    let scheduled = c.as_secretariat(SCHEDULE, json!({ "input": input })).await;
    let sessions = scheduled["scheduleMeetingSeries"]["meetingSeries"]["occurrences"]
        .as_array()
        .unwrap()
        .clone();
    // The second session alone becomes a special one; the first is cancelled.
    c.as_secretariat(
        "mutation ($id: ID!) { updateMeeting(input: { id: $id, title: \"Sesión especial\" }) { meeting { id } } }",
        json!({ "id": sessions[1]["id"] }),
    )
    .await;
    c.as_secretariat(
        "mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"Feriado regional\" }) { meeting { id } } }",
        json!({ "id": sessions[0]["id"] }),
    )
    .await;
    let from_cancelled = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            "mutation ($id: ID!) { updateMeeting(input: { id: $id, location: \"Auditorio\", scope: THIS_AND_FOLLOWING }) { meeting { id } } }",
            json!({ "id": sessions[0]["id"] }),
        )
        .await;
    assert_eq!(
        (from_cancelled.code(), from_cancelled.field()),
        ("BAD_USER_INPUT", "scope")
    );
    // From the special session on, the place changes; the sessions take the series'
    // title, not the special session's one-off title.
    let moved = c
        .as_secretariat(
            "mutation ($id: ID!) { updateMeeting(input: { id: $id, location: \"Auditorio del MIMP\", scope: THIS_AND_FOLLOWING }) {
                meeting { series { title location occurrences { title location } } } } }",
            json!({ "id": sessions[1]["id"] }),
        )
        .await;
    let series = &moved["updateMeeting"]["meeting"]["series"];
    assert_eq!(series["occurrences"].as_array().unwrap().len(), 3);
    assert_eq!(series["title"], "Sesión ordinaria mensual");
    assert_eq!(series["location"], "Auditorio del MIMP");
    for session in series["occurrences"].as_array().unwrap() {
        assert_eq!(session["title"], "Sesión ordinaria mensual");
        assert_eq!(session["location"], "Auditorio del MIMP");
    }
}
