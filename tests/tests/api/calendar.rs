//! Calendar files, read back with a real iCalendar parser.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, TimeZone, Utc};
use icalendar::{Calendar, CalendarComponent, Component};
use serde_json::json;

use crate::work::Commission;

fn parse(body: &[u8]) -> Calendar {
    String::from_utf8(body.to_vec())
        .unwrap()
        .parse::<Calendar>()
        .unwrap()
}

fn events(calendar: &Calendar) -> Vec<&icalendar::Event> {
    calendar
        .components
        .iter()
        .filter_map(|component| match component {
            CalendarComponent::Event(event) => Some(event),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_meeting_across_a_dst_change_parses_with_its_zone_and_sequence() {
    let c = Commission::new().await;
    // Madrid moves its clocks on 28 March 2027 at 02:00; this session spans the change.
    let starts_at = Utc.with_ymd_and_hms(2027, 3, 27, 23, 0, 0).unwrap();
    let scheduled = c
        .as_secretariat(
            "mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id calendarPath } } }",
            json!({ "input": { "kind": "EXTRAORDINARY", "title": "Reunión con la cooperación española", "startsAt": starts_at.to_rfc3339(),
                "endsAt": (starts_at + Duration::hours(4)).to_rfc3339(), "timeZone": "Europe/Madrid", "onlineUrl": "https://meet.example/cmnp" } }),
        )
        .await;
    let meeting = &scheduled["scheduleMeeting"]["meeting"];
    c.as_secretariat(
        "mutation ($id: ID!) { updateMeeting(input: { id: $id, title: \"Reunión con AECID\" }) { meeting { sequence } } }",
        json!({ "id": meeting["id"] }),
    )
    .await;
    let path = meeting["calendarPath"].as_str().unwrap();
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
    let text = String::from_utf8(body.clone()).unwrap();
    assert!(
        text.contains("DTSTART;TZID=Europe/Madrid:20270328T000000"),
        "{text}"
    );
    // Four hours later in UTC is five on the wall clock, which skipped 02:00–03:00.
    assert!(
        text.contains("DTEND;TZID=Europe/Madrid:20270328T050000"),
        "local end after the change (+02:00): {text}"
    );
    assert!(
        text.contains("BEGIN:DAYLIGHT") && text.contains("TZOFFSETTO:+0200"),
        "{text}"
    );
    let calendar = parse(&body);
    let events = events(&calendar);
    assert_eq!(events.len(), 1);
    let event = events[0];
    assert_eq!(
        event.get_uid(),
        Some(format!("{}@cmnp", meeting["id"].as_str().unwrap()).as_str())
    );
    assert_eq!(event.get_sequence(), Some(1));
    assert!(event.get_summary().unwrap().contains("Reunión con AECID"));

    let anonymous = c
        .app
        .send(Request::get(path).body(Body::empty()).unwrap())
        .await;
    assert_eq!(anonymous.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_feed_lists_what_its_owner_may_see_and_marks_cancellations() {
    let c = Commission::new().await;
    let open = c.schedule("ORDINARY", Duration::days(5), None).await;
    let restricted = c
        .schedule("EXTRAORDINARY", Duration::days(6), Some(vec![&c.pnp]))
        .await;
    c.as_secretariat("mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"Feriado\" }) { meeting { id } } }", json!({ "id": open["id"] })).await;

    let feed = c
        .app
        .graphql(Some(&c.mimp_user.token), "mutation { createCalendarFeed(input: { name: \"Outlook\" }) { url apiToken { kind } } }", json!({}))
        .await;
    assert_eq!(
        feed.data()["createCalendarFeed"]["apiToken"]["kind"],
        "CALENDAR"
    );
    let url = feed.data()["createCalendarFeed"]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = &url[url.find("/calendar/").unwrap()..];
    let (status, _, body) = c
        .app
        .send(Request::get(path).body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    let calendar = parse(&body);
    let events = events(&calendar);
    assert_eq!(
        events.len(),
        1,
        "MIMP is not invited to the restricted session"
    );
    assert_eq!(
        events[0].get_uid(),
        Some(format!("{}@cmnp", open["id"].as_str().unwrap()).as_str())
    );
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("STATUS:CANCELLED")
    );
    assert_ne!(restricted["id"], open["id"]);

    let secret = path
        .trim_start_matches("/calendar/")
        .trim_end_matches(".ics");
    let as_api = c
        .app
        .graphql(Some(secret), "{ me { email } }", json!({}))
        .await;
    assert_eq!(
        as_api.status,
        StatusCode::UNAUTHORIZED,
        "a feed token opens the feed only"
    );
    let unknown = c
        .app
        .send(
            Request::get("/calendar/cmnp_nothing.ics")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(unknown.0, StatusCode::NOT_FOUND);
}
