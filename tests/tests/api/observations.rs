//! The observations period of circulated minutes: the agencies that attended send
//! observations until the deadline, the secretariat answers each once (accepting one
//! with the revised text), approval waits for every answer, and everything is kept.

use chrono::{DateTime, Duration, Utc};
use cmnp_domain::agency::Membership;
use cmnp_domain::user::Role;
use cmnp_tests::{Gql, TestUser};
use serde_json::{Value, json};

use crate::work::Commission;

const SUBMIT: &str =
    "mutation ($input: SubmitObservationInput!) { submitObservation(input: $input) {
    observation { id agency { acronym } text answer reply }
    meeting { minutes { observations { id } } } } }";
const ANSWER: &str =
    "mutation ($input: AnswerObservationInput!) { answerObservation(input: $input) {
    observation { id answer reply answeredAt answeredBy { email } }
    meeting { version minutes { text status } } } }";
const CIRCULATE: &str = "mutation ($id: ID!, $until: DateTime) { circulateMinutes(input: {
    meetingId: $id, observationsUntil: $until }) { meeting { version minutes { status observationsUntil } } } }";
const APPROVE: &str = "mutation ($id: ID!, $at: ID!) { approveMinutes(input: {
    meetingId: $id, approvedAtMeetingId: $at }) { meeting { minutes { status } } } }";
const MINUTES: &str = "query ($id: ID!) { meeting(id: $id) { version minutes { text status
    observations { agency { acronym } text submittedAt answer reply answeredAt author { email } } } } }";

const FIRST_TEXT: &str = "# Acta\n\nSe acordó reforzar la atención de víctimas en Tumbes.";

/// A session that began an hour ago, to which MININTER, MIMP and PNP are invited: MININTER
/// and MIMP attended, PNP did not. It is held and its minutes written.
async fn held_session(c: &Commission) -> Value {
    let session = c
        .schedule(
            "EXTRAORDINARY",
            -Duration::hours(1),
            Some(vec![&c.mininter, &c.mimp, &c.pnp]),
        )
        .await;
    c.attend(&session, &c.mininter, "PRESENT").await;
    c.attend(&session, &c.mimp, "PRESENT").await;
    c.attend(&session, &c.pnp, "ABSENT").await;
    c.hold(&session).await;
    c.as_secretariat(
        "mutation ($id: ID!, $text: String!) { updateMinutes(input: { meetingId: $id, text: $text }) { meeting { id } } }",
        json!({ "id": session["id"], "text": FIRST_TEXT }),
    )
    .await;
    session
}

async fn submit(c: &Commission, user: &TestUser, session: &Value, text: &str) -> Gql {
    c.app
        .graphql(
            Some(&user.token),
            SUBMIT,
            json!({ "input": { "meetingId": session["id"], "text": text } }),
        )
        .await
}

async fn answer(c: &Commission, user: &TestUser, input: Value) -> Gql {
    c.app
        .graphql(Some(&user.token), ANSWER, json!({ "input": input }))
        .await
}

fn at(value: &Value) -> DateTime<Utc> {
    value.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_round_of_observations_is_answered_before_approval_and_kept() {
    let c = Commission::new().await;
    let session = held_session(&c).await;
    let donor_agency = c.app.agency("PRM", Membership::Partner).await;
    let donor = c
        .app
        .user("prm@donor.example", Role::Donor, Some(&donor_agency))
        .await;

    // A deadline already past is refused; by default the period lasts five working days.
    let past = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            CIRCULATE,
            json!({ "id": session["id"], "until": (Utc::now() - Duration::hours(1)).to_rfc3339() }),
        )
        .await;
    assert_eq!(
        (past.code(), past.field()),
        ("BAD_USER_INPUT", "observationsUntil")
    );
    let circulated = c
        .as_secretariat(CIRCULATE, json!({ "id": session["id"], "until": null }))
        .await;
    let minutes = &circulated["circulateMinutes"]["meeting"]["minutes"];
    assert_eq!(minutes["status"], "CIRCULATED");
    let until = at(&minutes["observationsUntil"]);
    let ahead = until - Utc::now();
    // Five working days end between five and, over a weekend and holidays, eleven days on.
    assert!(
        ahead > Duration::days(5) && ahead < Duration::days(12),
        "{until}"
    );

    // MIMP attended: its observation is recorded, unanswered.
    let first = submit(
        &c,
        &c.mimp_user,
        &session,
        "  Falta consignar la asistencia del CEBAF.  ",
    )
    .await;
    let observation = &first.data()["submitObservation"]["observation"];
    assert_eq!(
        (
            &observation["agency"]["acronym"],
            &observation["text"],
            &observation["answer"]
        ),
        (
            &json!("MIMP"),
            &json!("Falta consignar la asistencia del CEBAF."),
            &Value::Null
        )
    );
    let first_id = observation["id"].clone();

    // PNP was invited but absent, a donor and the secretariat send none; a blank text
    // from MIMP is refused under its field.
    let absent = submit(&c, &c.pnp_user, &session, "Una observación").await;
    assert_eq!(absent.code(), "FORBIDDEN");
    let from_donor = submit(&c, &donor, &session, "Una observación").await;
    assert_eq!(from_donor.code(), "FORBIDDEN");
    let from_secretariat = submit(&c, &c.secretariat, &session, "Una observación").await;
    assert_eq!(from_secretariat.code(), "FORBIDDEN");
    let blank = submit(&c, &c.mimp_user, &session, "   ").await;
    assert_eq!((blank.code(), blank.field()), ("BAD_USER_INPUT", "text"));

    let second = submit(
        &c,
        &c.mimp_user,
        &session,
        "Precisar el número del acuerdo.",
    )
    .await;
    let second_id = second.data()["submitObservation"]["observation"]["id"].clone();
    assert_eq!(
        second.data()["submitObservation"]["meeting"]["minutes"]["observations"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Approval waits while observations are unanswered.
    let later = c.schedule("ORDINARY", -Duration::minutes(30), None).await;
    let approve = || {
        c.app.graphql(
            Some(&c.secretariat.token),
            APPROVE,
            json!({ "id": session["id"], "at": later["id"] }),
        )
    };
    let waiting = approve().await;
    assert_eq!(
        (waiting.code(), waiting.field()),
        ("BAD_USER_INPUT", "meetingId")
    );
    let message = waiting.error()["message"].as_str().unwrap();
    assert!(message.contains("2 observation(s)"), "{message}");

    // Only the secretariat answers; accepting with the revised text replaces the
    // circulated text and advances the session's version.
    let by_agency = answer(
        &c,
        &c.mimp_user,
        json!({ "observationId": first_id, "answer": "ACCEPTED", "reply": "Sí" }),
    )
    .await;
    assert_eq!(by_agency.code(), "FORBIDDEN");
    let before = c
        .as_secretariat(MINUTES, json!({ "id": session["id"] }))
        .await;
    let revised = format!("{FIRST_TEXT}\n\nAsistió también el CEBAF Tumbes.");
    let accepted = answer(
        &c,
        &c.secretariat,
        json!({ "observationId": first_id, "answer": "ACCEPTED",
                "reply": "Se incorpora al acta.", "revisedMinutes": revised }),
    )
    .await;
    let payload = &accepted.data()["answerObservation"];
    assert_eq!(payload["observation"]["answer"], "ACCEPTED");
    assert_eq!(
        payload["observation"]["answeredBy"]["email"],
        json!(c.secretariat.user.email.as_str())
    );
    assert_eq!(payload["meeting"]["minutes"]["text"], json!(revised));
    assert_eq!(payload["meeting"]["minutes"]["status"], "CIRCULATED");
    assert_eq!(
        payload["meeting"]["version"].as_i64().unwrap(),
        before["meeting"]["version"].as_i64().unwrap() + 1
    );

    // An answer is given once: the second is a conflict, and the first stands.
    let again = answer(
        &c,
        &c.secretariat,
        json!({ "observationId": first_id, "answer": "NOT_ACCEPTED", "reply": "Otra respuesta." }),
    )
    .await;
    assert_eq!(again.code(), "CONFLICT");
    let unknown = answer(
        &c,
        &c.secretariat,
        json!({ "observationId": uuid::Uuid::now_v7().to_string(), "answer": "ACCEPTED", "reply": "Sí" }),
    )
    .await;
    assert_eq!(unknown.code(), "NOT_FOUND");
    let revising_refusal = answer(
        &c,
        &c.secretariat,
        json!({ "observationId": second_id, "answer": "NOT_ACCEPTED",
                "reply": "No procede.", "revisedMinutes": "# Otra acta" }),
    )
    .await;
    assert_eq!(
        (revising_refusal.code(), revising_refusal.field()),
        ("BAD_USER_INPUT", "revisedMinutes")
    );
    answer(
        &c,
        &c.secretariat,
        json!({ "observationId": second_id, "answer": "NOT_ACCEPTED",
                "reply": "El número consta en el acuerdo adoptado." }),
    )
    .await
    .data();

    // Every observation answered: the minutes are approved, and take no more.
    let approved = approve().await;
    assert_eq!(
        approved.data()["approveMinutes"]["meeting"]["minutes"]["status"],
        "APPROVED"
    );
    let closed = submit(&c, &c.mimp_user, &session, "Tarde").await;
    assert_eq!(
        (closed.code(), closed.field()),
        ("BAD_USER_INPUT", "meetingId")
    );

    // All is kept, and every agency that reads the minutes reads every observation: PNP,
    // invited, sees MIMP's, without its author.
    let read = c
        .app
        .graphql(
            Some(&c.pnp_user.token),
            MINUTES,
            json!({ "id": session["id"] }),
        )
        .await;
    let minutes = &read.data()["meeting"]["minutes"];
    assert_eq!(minutes["text"], json!(revised));
    let kept = minutes["observations"].as_array().unwrap();
    let summary: Vec<(&Value, &Value, &Value, &Value)> = kept
        .iter()
        .map(|o| {
            (
                &o["agency"]["acronym"],
                &o["answer"],
                &o["reply"],
                &o["author"],
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                &json!("MIMP"),
                &json!("ACCEPTED"),
                &json!("Se incorpora al acta."),
                &Value::Null
            ),
            (
                &json!("MIMP"),
                &json!("NOT_ACCEPTED"),
                &json!("El número consta en el acuerdo adoptado."),
                &Value::Null
            ),
        ]
    );
    let as_secretariat = c
        .as_secretariat(MINUTES, json!({ "id": session["id"] }))
        .await;
    assert_eq!(
        as_secretariat["meeting"]["minutes"]["observations"][0]["author"]["email"],
        json!(c.mimp_user.user.email.as_str())
    );
    // A donor reads no minutes, and so no observations.
    let hidden = c
        .app
        .graphql(Some(&donor.token), MINUTES, json!({ "id": session["id"] }))
        .await;
    assert_eq!(hidden.body["data"]["meeting"], Value::Null);

    // Each change has its audit event.
    let events = c
        .as_secretariat(
            "{ auditEvents(first: 100) { edges { node { action objectType } } } }",
            json!({}),
        )
        .await;
    let count = |action: &str| {
        events["auditEvents"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["node"]["action"] == action)
            .count()
    };
    assert_eq!(
        (
            count("minutes.observation.submit"),
            count("minutes.observation.answer"),
            count("meeting.minutes.revise")
        ),
        (2, 2, 1)
    );
}

#[tokio::test]
async fn observations_end_with_their_deadline() {
    let c = Commission::new().await;
    let session = held_session(&c).await;
    let until = Utc::now() + Duration::seconds(2);
    let circulated = c
        .as_secretariat(
            CIRCULATE,
            json!({ "id": session["id"], "until": until.to_rfc3339() }),
        )
        .await;
    let stored = at(&circulated["circulateMinutes"]["meeting"]["minutes"]["observationsUntil"]);
    assert!((stored - until).num_milliseconds().abs() < 1, "{stored}");
    let wait = until - Utc::now() + Duration::milliseconds(200);
    tokio::time::sleep(wait.to_std().unwrap_or_default()).await;
    let late = submit(&c, &c.mimp_user, &session, "Una observación tardía").await;
    assert_eq!((late.code(), late.field()), ("BAD_USER_INPUT", "meetingId"));
    let message = late.error()["message"].as_str().unwrap();
    assert!(message.contains("ended"), "{message}");
    let read = c
        .as_secretariat(MINUTES, json!({ "id": session["id"] }))
        .await;
    assert_eq!(read["meeting"]["minutes"]["observations"], json!([]));
}
