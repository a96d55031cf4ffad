//! The policy of the mutations on sessions: scheduling, agenda, attendance, minutes and
//! agreements.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use super::{A, F, NOT_AN_ID, Rule, U, call, rule};

pub(super) fn meeting_mutations() -> Vec<Rule> {
    let secretariat_only = [U, F, F, F, F, A];
    vec![
        rule("scheduleMeeting", secretariat_only, |s| {
            call(
                &s.token,
                SCHEDULE,
                json!({ "input": session("EXTRAORDINARY", Duration::days(40)) }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                SCHEDULE,
                json!({ "input": backwards(session("EXTRAORDINARY", Duration::days(40))) }),
            )
        }),
        rule("scheduleMeetingSeries", secretariat_only, |s| {
            call(&s.token, SCHEDULE_SERIES, json!({ "input": series("FREQ=MONTHLY;BYDAY=2TH;COUNT=2") }))
        })
        .invalid(|s| {
            call(&s.token, SCHEDULE_SERIES, json!({ "input": series("FREQ=HOURLY") }))
        }),
        rule("updateMeeting", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateMeeting(input: { id: $id, title: \"Sesión revisada\" }) { meeting { id } } }",
                json!({ "id": s.demo.upcoming }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateMeeting(input: { id: $id, title: \"\" }) { meeting { id } } }",
                json!({ "id": s.demo.upcoming }),
            )
        }),
        rule("cancelMeeting", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"Sesión de prueba\" }) { meeting { id } } }",
                json!({ "id": s.demo.cancellable }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"\" }) { meeting { id } } }",
                json!({ "id": s.demo.cancellable }),
            )
        }),
        rule("addAgendaItem", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { addAgendaItem(input: { meetingId: $id, title: \"Punto de prueba\" }) { meeting { id } } }",
                json!({ "id": s.demo.upcoming }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { addAgendaItem(input: { meetingId: $id, title: \"\" }) { meeting { id } } }",
                json!({ "id": s.demo.upcoming }),
            )
        }),
        rule("moveAgendaItem", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { moveAgendaItem(input: { id: $id, position: 1 }) { meeting { id } } }",
                json!({ "id": s.demo.agenda_item }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { moveAgendaItem(input: { id: $id, position: 0 }) { meeting { id } } }",
                json!({ "id": s.demo.agenda_item }),
            )
        }),
        rule("recordAttendance", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!, $agency: ID!) { recordAttendance(input: {
                    meetingId: $id, agencyId: $agency, status: PRESENT }) { meeting { id } } }",
                json!({ "id": s.demo.upcoming, "agency": s.demo.mimp }),
            )
        })
        // A delegate attended, but who is not said.
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!, $agency: ID!) { recordAttendance(input: { meetingId: $id,
                    agencyId: $agency, status: PRESENT, attendeeKind: DELEGATE }) { meeting { id } } }",
                json!({ "id": s.demo.upcoming, "agency": s.demo.mimp }),
            )
        }),
        rule("markMeetingHeld", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { markMeetingHeld(input: { meetingId: $id }) { meeting { id } } }",
                json!({ "id": s.demo.begun }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { markMeetingHeld(input: { meetingId: $id }) { meeting { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        // Minutes may be empty while they are drafted: the session's id is what can be
        // wrong.
        rule("updateMinutes", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateMinutes(input: { meetingId: $id, text: \"# Acta de prueba\" }) { meeting { id } } }",
                json!({ "id": s.demo.begun }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateMinutes(input: { meetingId: $id, text: \"# Acta de prueba\" }) { meeting { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("circulateMinutes", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { circulateMinutes(input: { meetingId: $id }) { meeting { id } } }",
                json!({ "id": s.demo.begun }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { circulateMinutes(input: { meetingId: $id }) { meeting { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("approveMinutes", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!, $at: ID!) { approveMinutes(input: {
                    meetingId: $id, approvedAtMeetingId: $at }) { meeting { id } } }",
                json!({ "id": s.demo.second, "at": s.demo.border }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!, $at: ID!) { approveMinutes(input: {
                    meetingId: $id, approvedAtMeetingId: $at }) { meeting { id } } }",
                json!({ "id": s.demo.second, "at": NOT_AN_ID }),
            )
        }),
        rule("adoptAgreement", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { adoptAgreement(input: { meetingId: $id, text: \"Acuerdo de prueba.\" }) { agreement { id } } }",
                json!({ "id": s.demo.border }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { adoptAgreement(input: { meetingId: $id, text: \"\" }) { agreement { id } } }",
                json!({ "id": s.demo.border }),
            )
        }),
        rule("recordConsensus", secretariat_only, |s| {
            call(&s.token, CONSENSUS, json!({ "id": s.demo.consensual }))
        })
        .invalid(|s| call(&s.token, CONSENSUS, json!({ "id": NOT_AN_ID }))),
        rule("recordVote", secretariat_only, |s| {
            let votes: Vec<Value> = s
                .demo
                .voters
                .iter()
                .map(|agency| json!({ "agencyId": agency, "vote": "FOR" }))
                .collect();
            call(&s.token, VOTE, json!({ "id": s.demo.votable, "votes": votes }))
        })
        // A vote missing the present members' votes.
        .invalid(|s| call(&s.token, VOTE, json!({ "id": s.demo.votable, "votes": [] }))),
        // MIMP attended the border session and observes its circulated minutes; OIM was
        // not there, donors send none, and the secretariat answers rather than observes.
        rule("submitObservation", [U, A, F, F, F, F], |s| {
            call(
                &s.token,
                SUBMIT_OBSERVATION,
                json!({ "id": s.demo.border, "text": "Observación de prueba." }),
            )
        })
        // A blank observation.
        .invalid(|s| {
            call(
                &s.token,
                SUBMIT_OBSERVATION,
                json!({ "id": s.demo.border, "text": " " }),
            )
        }),
        rule("answerObservation", secretariat_only, |s| {
            call(
                &s.token,
                ANSWER_OBSERVATION,
                json!({ "id": s.demo.observation, "reply": "Respuesta de prueba." }),
            )
        })
        // A blank reply.
        .invalid(|s| {
            call(
                &s.token,
                ANSWER_OBSERVATION,
                json!({ "id": s.demo.observation, "reply": " " }),
            )
        }),
        // The secretariat declares a day off and, in the next rule, takes it back.
        rule("addNonWorkingDay", secretariat_only, |s| {
            call(&s.token, ADD_DAY_OFF, json!({ "date": DAY_OFF }))
        })
        .invalid(|s| call(&s.token, ADD_DAY_OFF, json!({ "date": "2031-06-14" }))),
        rule("removeNonWorkingDay", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($date: Date!) { removeNonWorkingDay(input: { date: $date }) { nonWorkingDay { date } } }",
                json!({ "date": DAY_OFF }),
            )
        })
        .nothing_invalid(
            "its one input is a date, which the Date scalar checks; a date that is no day off is not found",
        ),
        // The secretariat answers for any representative, an agency for its own; the
        // other agency is refused on MIMP's representative, donors answer for nobody.
        rule("respondToInvitation", [U, A, F, F, F, A], |s| {
            call(
                &s.token,
                RESPOND,
                json!({ "id": s.demo.upcoming, "representative": s.demo.representative }),
            )
        })
        // A session that has begun takes no answers.
        .invalid(|s| {
            call(
                &s.token,
                RESPOND,
                json!({ "id": s.demo.begun, "representative": s.demo.representative }),
            )
        }),
    ]
}

const CONSENSUS: &str = "mutation ($id: ID!) { recordConsensus(input: { agreementId: $id }) { agreement { id decision { method } } } }";
const VOTE: &str = "mutation ($id: ID!, $votes: [VoteInput!]!) { recordVote(input: { agreementId: $id, rule: MAJORITY_OF_PRESENT, votes: $votes }) { agreement { id decision { result } } } }";

pub(super) const SUBMIT_OBSERVATION: &str =
    "mutation ($id: ID!, $text: String!) { submitObservation(input: {
    meetingId: $id, text: $text }) { observation { id } } }";
const ANSWER_OBSERVATION: &str = "mutation ($id: ID!, $reply: String!) { answerObservation(input: {
    observationId: $id, answer: NOT_ACCEPTED, reply: $reply }) { observation { id answer } } }";

/// A Tuesday that is no holiday; the 14th is a Saturday, and declaring it is refused.
const DAY_OFF: &str = "2031-06-10";
const ADD_DAY_OFF: &str = "mutation ($date: Date!) { addNonWorkingDay(input: { date: $date, note: \"Día de prueba\" }) { nonWorkingDay { date } } }";

const RESPOND: &str = "mutation ($id: ID!, $representative: ID!) { respondToInvitation(input: {
    meetingId: $id, answer: ATTENDING, representativeId: $representative }) { meeting { id } } }";

pub(super) const SCHEDULE: &str = "mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id agenda { id } } } }";

/// A session of `kind` starting `starts_in` from now (negative: already begun).
pub(super) fn session(kind: &str, starts_in: Duration) -> Value {
    let starts_at = Utc::now() + starts_in;
    json!({
        "kind": kind,
        "title": "Sesión de prueba",
        "startsAt": starts_at.to_rfc3339(),
        "endsAt": (starts_at + Duration::hours(2)).to_rfc3339(),
        "location": "Sala de sesiones, MININTER",
    })
}

const SCHEDULE_SERIES: &str = "mutation ($input: ScheduleMeetingSeriesInput!) { scheduleMeetingSeries(input: $input) { meetingSeries { id } } }";

/// A series following `rule` from next month, invited to nobody so that it sends nothing.
fn series(rule: &str) -> Value {
    json!({
        "kind": "EXTRAORDINARY",
        "title": "Serie de prueba",
        "rule": rule,
        "startsOn": (Utc::now() + Duration::days(30)).date_naive().to_string(),
        "startTime": "10:00",
        "durationMinutes": 120,
        "location": "Sala de sesiones, MININTER",
        "invitedAgencyIds": [],
    })
}

/// `session` with its start and end swapped: it ends before it starts.
fn backwards(mut session: Value) -> Value {
    let starts_at = session["startsAt"].take();
    session["startsAt"] = session["endsAt"].take();
    session["endsAt"] = starts_at;
    session
}
