//! Invitees' answers: the signed links of the invitation e-mail (used, reused, changed,
//! forged, expired, and of a cancelled session), `respondToInvitation` with the expected
//! attendance and quorum it feeds, and a calendar client's `REPLY`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, Utc};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::credentials::{cookie_header, page_session, set_cookies};
use crate::email::two_languages;
use crate::work::Commission;

const ANSWERS: &str = "query ($id: ID!) { meeting(id: $id) {
    invitationAnswers { representative { email } agency { acronym } answer via answeredAt }
    expectedAttendance { agency { acronym } expectation answers { answer } }
    expectedQuorum { required expected reached } } }";

const RESPOND: &str = "mutation ($id: ID!, $answer: Answer!, $representative: ID) {
    respondToInvitation(input: { meetingId: $id, answer: $answer, representativeId: $representative }) {
        changed answer { answer via representative { email } } } }";

/// The invitation's text and calendar for `recipient`, as planned in the outbox.
async fn invitation(
    c: &Commission,
    meeting: &Value,
    recipient: &str,
    kind: &str,
) -> (String, String) {
    let db = c.app.store.connection();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT body_text, calendar_ics FROM email_outbox WHERE kind = $1 AND recipient = $2 AND object_id = $3",
            [
                kind.into(),
                recipient.into(),
                uuid::Uuid::parse_str(meeting["id"].as_str().unwrap()).unwrap().into(),
            ],
        ))
        .await
        .unwrap();
    let row = rows
        .last()
        .unwrap_or_else(|| panic!("no {kind} for {recipient}"));
    (
        row.try_get::<String>("", "body_text").unwrap(),
        row.try_get::<String>("", "calendar_ics").unwrap(),
    )
}

/// The answer links of an e-mail's text, in the order ATTENDING, NOT_ATTENDING,
/// SENDING_ALTERNATE.
fn tokens(text: &str) -> Vec<String> {
    text.split("/app/answer?token=")
        .skip(1)
        .map(|rest| {
            rest.split(['&', '\n', '\r', ' '])
                .next()
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// Opens a link as a browser (or a mail scanner) would: its status, page and cookies.
async fn open(c: &Commission, token: &str) -> (StatusCode, String, Vec<(String, String)>) {
    let (status, headers, body) = c
        .app
        .send(
            Request::get(format!("/app/answer?token={token}&lang=es"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    (
        status,
        String::from_utf8(body).unwrap(),
        set_cookies(&headers),
    )
}

/// Opens the link and presses its button.
async fn confirm(c: &Commission, token: &str) -> (StatusCode, String) {
    let (_, html, cookies) = open(c, token).await;
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("none")
        .to_owned();
    let (status, _, body) = c
        .app
        .send(
            Request::post("/app/answer")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie_header(&cookies))
                .body(Body::from(format!("token={token}&csrf={csrf}")))
                .unwrap(),
        )
        .await;
    (status, String::from_utf8(body).unwrap())
}

async fn answers(c: &Commission, meeting: &Value) -> Value {
    c.as_secretariat(ANSWERS, json!({ "id": meeting["id"] }))
        .await["meeting"]
        .clone()
}

#[tokio::test]
async fn an_answer_link_is_used_reused_changed_forged_and_expired() {
    let c = Commission::new().await;
    two_languages(&c).await;
    let meeting = c
        .schedule("ORDINARY", Duration::days(10), Some(vec![&c.mimp, &c.pnp]))
        .await;
    let (text, ics) = invitation(&c, &meeting, "carmen@mimp.example", "MEETING_INVITATION").await;
    let links = tokens(&text);
    assert_eq!(links.len(), 3, "{text}");
    assert!(
        text.contains("Asistiré") && text.contains("Enviaré a mi alterno"),
        "{text}"
    );
    assert!(
        ics.replace("\r\n ", "")
            .contains("PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:carmen@")
    );
    let (attending, declining) = (&links[0], &links[1]);

    // Opening the link (as a mail scanner does) answers nothing: it asks to confirm.
    let (status, html, _) = open(&c, attending).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("Asistiré") && html.contains("confirm-answer"),
        "{html}"
    );
    assert_eq!(answers(&c, &meeting).await["invitationAnswers"], json!([]));

    let (status, html) = confirm(&c, attending).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("id=\"answer-recorded\""), "{html}");
    let first = answers(&c, &meeting).await;
    let recorded = &first["invitationAnswers"][0];
    assert_eq!(recorded["answer"], "ATTENDING");
    assert_eq!(recorded["via"], "LINK");
    assert_eq!(recorded["representative"]["email"], "carmen@mimp.example");

    // Used again, the link records nothing new and says so.
    let (status, html) = confirm(&c, attending).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"answer-unchanged\""), "{html}");
    assert_eq!(
        answers(&c, &meeting).await["invitationAnswers"][0]["answeredAt"],
        recorded["answeredAt"]
    );

    // Another answer's link changes it.
    let (status, html) = confirm(&c, declining).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"answer-changed\""), "{html}");
    let changed = answers(&c, &meeting).await;
    assert_eq!(changed["invitationAnswers"][0]["answer"], "NOT_ATTENDING");
    let mimp = changed["expectedAttendance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["agency"]["acronym"] == "MIMP")
        .unwrap()
        .clone();
    assert_eq!(mimp["expectation"], "NOT_EXPECTED");

    // A forged or altered token is refused as if there were no page, and records nothing.
    let mut altered = attending.clone().into_bytes();
    altered[10] = if altered[10] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(altered).unwrap();
    for forged in [altered.as_str(), "not-a-token", ""] {
        let (status, html, _) = open(&c, forged).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{forged}: {html}");
        assert!(html.contains("answer-link-invalid"), "{html}");
        let (status, _) = confirm(&c, forged).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    assert_eq!(
        answers(&c, &meeting).await["invitationAnswers"][0]["answer"],
        "NOT_ATTENDING"
    );

    // Once the session has started the link has expired, and so does the API's answer.
    let db = c.app.store.connection();
    db.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        "UPDATE meetings SET starts_at = $1 WHERE id = $2",
        [
            (chrono::Utc::now() - Duration::minutes(5)).into(),
            uuid::Uuid::parse_str(meeting["id"].as_str().unwrap())
                .unwrap()
                .into(),
        ],
    ))
    .await
    .unwrap();
    let (status, html, _) = open(&c, attending).await;
    assert_eq!(status, StatusCode::GONE, "{html}");
    assert!(
        html.contains("answers-closed") && html.contains("este enlace venció"),
        "{html}"
    );
    let (status, _) = confirm(&c, attending).await;
    assert_eq!(status, StatusCode::GONE);
    let late = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            RESPOND,
            json!({ "id": meeting["id"], "answer": "ATTENDING" }),
        )
        .await;
    assert_eq!((late.code(), late.field()), ("BAD_USER_INPUT", "meetingId"));
    assert_eq!(
        answers(&c, &meeting).await["invitationAnswers"][0]["answer"],
        "NOT_ATTENDING"
    );
}

#[tokio::test]
async fn a_cancelled_sessions_links_say_so() {
    let c = Commission::new().await;
    two_languages(&c).await;
    let meeting = c
        .schedule("EXTRAORDINARY", Duration::days(5), Some(vec![&c.pnp]))
        .await;
    let (text, _) = invitation(&c, &meeting, "john@pnp.example", "MEETING_INVITATION").await;
    assert!(text.contains("I will send my alternate"), "{text}");
    let links = tokens(&text);
    c.as_secretariat(
        "mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"Sin sala\" }) { meeting { status } } }",
        json!({ "id": meeting["id"] }),
    )
    .await;
    let (cancellation, _) =
        invitation(&c, &meeting, "john@pnp.example", "MEETING_CANCELLATION").await;
    assert!(tokens(&cancellation).is_empty(), "{cancellation}");
    let (status, html) = confirm(&c, &links[0]).await;
    assert_eq!(status, StatusCode::GONE, "{html}");
    assert!(html.contains("La sesión fue cancelada"), "{html}");
    assert_eq!(answers(&c, &meeting).await["invitationAnswers"], json!([]));
}

#[tokio::test]
async fn agencies_answer_for_their_own_and_the_secretariat_sees_the_expected_quorum() {
    let c = Commission::new().await;
    two_languages(&c).await;
    let meeting = c.schedule("ORDINARY", Duration::days(7), None).await;
    let id = meeting["id"].clone();

    // MIMP's focal point is its representative: no id needed.
    let own = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            RESPOND,
            json!({ "id": id, "answer": "ATTENDING" }),
        )
        .await;
    let answered = &own.data()["respondToInvitation"];
    assert_eq!(answered["changed"], true);
    assert_eq!(answered["answer"]["via"], "GRAPHQL");
    assert_eq!(
        answered["answer"]["representative"]["email"],
        "carmen@mimp.example"
    );

    // It may not answer for PNP's representative.
    let pnp_person = c
        .as_secretariat(
            "query ($id: ID!) { agency(id: $id) { representatives { id } } }",
            json!({ "id": c.pnp.id.to_string() }),
        )
        .await["agency"]["representatives"][0]["id"]
        .clone();
    let other = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            RESPOND,
            json!({ "id": id, "answer": "NOT_ATTENDING", "representative": pnp_person }),
        )
        .await;
    assert_eq!(other.code(), "FORBIDDEN");

    // Four voting members: three required, MIMP alone expected.
    let before = answers(&c, &meeting).await;
    assert_eq!(
        before["expectedQuorum"],
        json!({ "required": 3, "expected": 1, "reached": false })
    );
    // The secretariat answers for PNP: its alternate comes, so PNP is expected.
    let secretariat = c
        .as_secretariat(
            RESPOND,
            json!({ "id": id, "answer": "SENDING_ALTERNATE", "representative": pnp_person }),
        )
        .await;
    assert_eq!(secretariat["respondToInvitation"]["changed"], true);
    let after = answers(&c, &meeting).await;
    assert_eq!(after["expectedQuorum"]["expected"], 2);
    // The tally of other agencies' answers is the secretariat's.
    let agency_view = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            ANSWERS,
            json!({ "id": meeting["id"] }),
        )
        .await;
    assert_eq!(agency_view.data()["meeting"]["expectedQuorum"], Value::Null);
    let expectations: Vec<(String, String)> = after["expectedAttendance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["agency"]["acronym"].as_str().unwrap().to_owned(),
                row["expectation"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        expectations.contains(&("PNP".into(), "EXPECTED".into())),
        "{expectations:?}"
    );
    assert!(
        expectations.contains(&("MINSA".into(), "UNKNOWN".into())),
        "{expectations:?}"
    );

    // An agency reads its own answers and expectation only.
    let seen_by_mimp = c
        .app
        .graphql(Some(&c.mimp_user.token), ANSWERS, json!({ "id": id }))
        .await;
    let seen = &seen_by_mimp.data()["meeting"];
    assert_eq!(seen["invitationAnswers"].as_array().unwrap().len(), 1);
    assert_eq!(seen["expectedAttendance"].as_array().unwrap().len(), 1);
    assert_eq!(seen["expectedAttendance"][0]["agency"]["acronym"], "MIMP");

    // The session's update carries each attendee's answer as PARTSTAT.
    c.as_secretariat(
        "mutation ($id: ID!) { updateMeeting(input: { id: $id, title: \"Sesión revisada\" }) { meeting { id } } }",
        json!({ "id": id }),
    )
    .await;
    let (_, ics) = invitation(&c, &meeting, "carmen@mimp.example", "MEETING_UPDATE").await;
    assert!(
        ics.replace("\r\n ", "")
            .contains("PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:carmen@"),
        "{ics}"
    );

    // The session's page shows the secretariat who is expected.
    let cookie = page_session(&c, &c.secretariat.user.email).await;
    let (status, _, body) = c
        .app
        .send(
            Request::get(format!("/app/meetings/{}?lang=en", id.as_str().unwrap()))
                .header(header::COOKIE, format!("cmnp_session={cookie}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let html = String::from_utf8(body).unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Expected attendance"), "{html}");
    assert!(
        html.contains("Expected quorum: 2 voting agencies confirmed of 3 required"),
        "{html}"
    );
    assert!(
        html.contains("John Smith: I will send my alternate"),
        "{html}"
    );
}

fn reply(uid: &str, attendee: &str, partstat: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Calendario//ES\r\nMETHOD:REPLY\r\n\
         BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261201T120000Z\r\nSEQUENCE:0\r\n\
         ATTENDEE;PARTSTAT={partstat}:mailto:{attendee}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

async fn post_reply(
    c: &Commission,
    meeting: &Value,
    token: Option<&str>,
    body: String,
) -> (StatusCode, String) {
    let mut request = Request::post(format!(
        "/meetings/{}/reply",
        meeting["id"].as_str().unwrap()
    ))
    .header(
        header::CONTENT_TYPE,
        "text/calendar; method=REPLY; charset=utf-8",
    );
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let (status, _, body) = c.app.send(request.body(Body::from(body)).unwrap()).await;
    (status, String::from_utf8(body).unwrap())
}

#[tokio::test]
async fn a_calendar_reply_counts_and_one_from_another_address_is_refused() {
    let c = Commission::new().await;
    two_languages(&c).await;
    let meeting = c
        .schedule("ORDINARY", Duration::days(3), Some(vec![&c.mimp, &c.pnp]))
        .await;
    let uid = format!("{}@cmnp", meeting["id"].as_str().unwrap());
    let secretariat = c.secretariat.token.clone();

    let (status, text) = post_reply(
        &c,
        &meeting,
        Some(&secretariat),
        reply(&uid, "intruso@example.com", "ACCEPTED"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(
        text.contains("intruso@example.com is not a representative"),
        "{text}"
    );
    // Only the secretariat's mailbox posts replies; a wrong UID is another event.
    let declined = reply(&uid, "Carmen@MIMP.example", "DECLINED");
    assert_eq!(
        post_reply(&c, &meeting, None, declined.clone()).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        post_reply(&c, &meeting, Some(&c.mimp_user.token), declined.clone())
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, _) = post_reply(
        &c,
        &meeting,
        Some(&secretariat),
        reply("otro@cmnp", "carmen@mimp.example", "DECLINED"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answers(&c, &meeting).await["invitationAnswers"], json!([]));

    let (status, text) = post_reply(&c, &meeting, Some(&secretariat), declined.clone()).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let recorded = answers(&c, &meeting).await;
    let answer = &recorded["invitationAnswers"][0];
    assert_eq!(answer["answer"], "NOT_ATTENDING");
    assert_eq!(answer["via"], "ICAL_REPLY");
    assert_eq!(answer["representative"]["email"], "carmen@mimp.example");
    let (status, text) = post_reply(&c, &meeting, Some(&secretariat), declined).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("already recorded"), "{text}");
    let (status, _) = post_reply(
        &c,
        &meeting,
        Some(&secretariat),
        reply(&uid, "carmen@mimp.example", "TENTATIVE"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_reply_about_one_session_of_a_series_counts_only_for_that_session() {
    let c = Commission::new().await;
    two_languages(&c).await;
    let starts_on = (Utc::now() + Duration::days(10)).date_naive();
    let scheduled = c
        .as_secretariat(
            "mutation ($input: ScheduleMeetingSeriesInput!) { scheduleMeetingSeries(input: $input) {
                meetingSeries { id occurrences { id recurrenceId } } } }",
            json!({ "input": {
                "kind": "ORDINARY", "title": "Sesión ordinaria", "rule": "FREQ=WEEKLY;COUNT=2",
                "startsOn": starts_on.to_string(), "startTime": "10:00", "durationMinutes": 120,
                "timeZone": "America/Lima", "invitedAgencyIds": [c.mimp.id.to_string()],
                "location": "Sala de sesiones, MININTER",
            } }),
        )
        .await;
    let series = &scheduled["scheduleMeetingSeries"]["meetingSeries"];
    let uid = format!("{}@cmnp", series["id"].as_str().unwrap());
    let [first, second] = [0, 1].map(|n| series["occurrences"][n].clone());
    // The second session's RECURRENCE-ID, as a client writes it: local time in its zone.
    let second_start: chrono::DateTime<Utc> =
        second["recurrenceId"].as_str().unwrap().parse().unwrap();
    let local = second_start
        .with_timezone(&chrono_tz::America::Lima)
        .format("%Y%m%dT%H%M%S");
    let about_second = reply(&uid, "carmen@mimp.example", "DECLINED").replace(
        "SEQUENCE:0\r\n",
        &format!("SEQUENCE:0\r\nRECURRENCE-ID;TZID=America/Lima:{local}\r\n"),
    );
    let secretariat = c.secretariat.token.clone();
    let (status, text) = post_reply(&c, &first, Some(&secretariat), about_second.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(text.contains("RECURRENCE-ID"), "{text}");
    let (status, text) = post_reply(&c, &second, Some(&secretariat), about_second).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let answers = |meeting: Value| {
        let c = &c;
        async move {
            c.as_secretariat(
                "query ($id: ID!) { meeting(id: $id) { invitationAnswers { answer via } } }",
                json!({ "id": meeting["id"] }),
            )
            .await["meeting"]["invitationAnswers"]
                .clone()
        }
    };
    assert_eq!(answers(first).await, json!([]));
    assert_eq!(
        answers(second).await,
        json!([{ "answer": "NOT_ATTENDING", "via": "ICAL_REPLY" }])
    );
}

#[tokio::test]
async fn a_representative_whose_mandate_ended_answers_nothing() {
    let c = Commission::new().await;
    let meeting = c
        .schedule("ORDINARY", Duration::days(5), Some(vec![&c.mimp]))
        .await;
    let former = c
        .as_secretariat(
            "mutation ($agency: ID!) { addRepresentative(input: { agencyId: $agency, name: \"Ex representante\",
                email: \"ex@mimp.example\", kind: ALTERNATE, mandateStart: \"2025-01-01\", mandateEnd: \"2025-12-31\" }) {
                representative { id } } }",
            json!({ "agency": c.mimp.id.to_string() }),
        )
        .await["addRepresentative"]["representative"]["id"]
        .clone();
    let refused = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            RESPOND,
            json!({ "id": meeting["id"], "answer": "ATTENDING", "representative": former }),
        )
        .await;
    assert_eq!(
        (refused.code(), refused.field()),
        ("BAD_USER_INPUT", "representativeId")
    );
    assert_eq!(answers(&c, &meeting).await["invitationAnswers"], json!([]));
}
