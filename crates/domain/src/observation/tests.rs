use super::*;
use crate::meeting::{MeetingKind, MeetingStatus, QuorumRule};

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn actor(role: Role, agency_id: Option<Uuid>) -> Actor {
    Actor {
        user_id: Uuid::now_v7(),
        role,
        agency_id,
    }
}

/// A session held on Thursday 2026-03-05 in Lima, its minutes written and circulated on
/// `on` with the default period.
fn circulated(invited: Vec<Uuid>, on: DateTime<Utc>) -> Meeting {
    let starts_at = at("2026-03-05T15:00:00Z");
    let meeting = Meeting {
        id: Uuid::now_v7(),
        kind: MeetingKind::Extraordinary,
        year: 2026,
        number: 1,
        title: "Frontera norte".into(),
        status: MeetingStatus::Scheduled,
        starts_at,
        ends_at: starts_at + Duration::hours(3),
        time_zone: "America/Lima".into(),
        location: Some("Tumbes".into()),
        online_url: None,
        sequence: 0,
        version: 1,
        cancel_reason: None,
        invited_agency_ids: invited,
        quorum: None,
        held_at: None,
        minutes: None,
        series_id: None,
        recurrence_id: None,
        created_at: starts_at,
        updated_at: starts_at,
    };
    meeting
        .hold(QuorumRule::Majority, &[], &[], on)
        .unwrap()
        .edit_minutes("# Acta\n\nSe acordó reforzar el control.", on)
        .unwrap()
        .circulate_minutes(None, &WorkingCalendar::national(), on)
        .unwrap()
}

#[test]
fn the_default_period_ends_with_the_fifth_working_day_in_the_sessions_zone() {
    let calendar = WorkingCalendar::national();
    let zone = chrono_tz::America::Lima;
    // Friday 2026-03-06, 18:00 in Lima: the fifth working day after is Friday the 13th,
    // and the period ends at the midnight that closes it, 05:00 UTC.
    let friday = at("2026-03-06T23:00:00Z");
    assert_eq!(
        period_end(None, friday, zone, &calendar).unwrap(),
        at("2026-03-14T05:00:00Z")
    );
    // Holy Thursday and Good Friday (2026-04-02 and 03) are not worked.
    let monday = at("2026-03-30T15:00:00Z");
    assert_eq!(
        period_end(None, monday, zone, &calendar).unwrap(),
        at("2026-04-09T05:00:00Z")
    );
    let meeting = circulated(vec![], friday);
    assert_eq!(
        meeting.minutes.unwrap().observations_until,
        Some(at("2026-03-14T05:00:00Z"))
    );
}

#[test]
fn a_requested_deadline_lies_ahead_and_within_the_longest_period() {
    let calendar = WorkingCalendar::national();
    let zone = chrono_tz::America::Lima;
    let now = at("2026-03-06T15:00:00Z");
    let ahead = now + Duration::days(10);
    assert_eq!(period_end(Some(ahead), now, zone, &calendar), Ok(ahead));
    for wrong in [now, now - Duration::hours(1), now + Duration::days(61)] {
        assert_eq!(
            period_end(Some(wrong), now, zone, &calendar)
                .unwrap_err()
                .field,
            "observationsUntil"
        );
    }
}

#[test]
fn only_agencies_that_attended_send_observations_while_the_period_lasts() {
    let [present, absent] = [(); 2].map(|()| Uuid::now_v7());
    let now = at("2026-03-09T15:00:00Z");
    let meeting = circulated(vec![present, absent], now);
    let attended = [present];
    let sent = submit(
        &meeting,
        &attended,
        &actor(Role::Agency, Some(present)),
        "  Precisar la hora de inicio.  ",
        now,
    )
    .unwrap();
    assert_eq!(
        (sent.agency_id, sent.text.as_str(), sent.meeting_id),
        (present, "Precisar la hora de inicio.", meeting.id)
    );
    assert!(sent.reply.is_none());
    for who in [
        actor(Role::Agency, Some(absent)),
        actor(Role::Secretariat, None),
        actor(Role::Donor, Some(present)),
    ] {
        assert!(matches!(
            submit(&meeting, &attended, &who, "texto", now),
            Err(Refusal::Forbidden(_))
        ));
    }
    let agency = actor(Role::Agency, Some(present));
    // Who may send comes before the text: an empty one is refused under its field.
    assert!(matches!(
        submit(&meeting, &attended, &agency, " ", now),
        Err(Refusal::Invalid(error)) if error.field == "text"
    ));
    let long = "x".repeat(OBSERVATION_MAX_CHARS + 1);
    assert!(matches!(
        submit(&meeting, &attended, &agency, &long, now),
        Err(Refusal::Invalid(error)) if error.field == "text"
    ));
    let until = meeting
        .minutes
        .as_ref()
        .unwrap()
        .observations_until
        .unwrap();
    assert!(matches!(
        submit(&meeting, &attended, &agency, "tarde", until),
        Err(Refusal::Invalid(error)) if error.field == "meetingId" && error.message.contains("ended")
    ));
    let draft = Meeting {
        minutes: meeting.minutes.clone().map(|mut m| {
            m.status = MinutesStatus::Draft;
            m
        }),
        ..meeting.clone()
    };
    assert!(matches!(
        submit(&draft, &attended, &agency, "texto", now),
        Err(Refusal::Invalid(error)) if error.field == "meetingId"
    ));
}

#[test]
fn the_secretariat_answers_each_observation_once_and_may_revise_the_minutes() {
    let agency_id = Uuid::now_v7();
    let now = at("2026-03-09T15:00:00Z");
    let meeting = circulated(vec![agency_id], now);
    let observation = submit(
        &meeting,
        &[agency_id],
        &actor(Role::Agency, Some(agency_id)),
        "Falta consignar la abstención de RREE.",
        now,
    )
    .unwrap();
    let secretariat = actor(Role::Secretariat, None);
    let later = now + Duration::days(1);
    let answer = |who: &Actor, answer, reply: &str, revised: Option<&str>| {
        observation.answer(&meeting, who, answer, reply, revised, later)
    };
    assert!(matches!(
        answer(
            &actor(Role::Agency, Some(agency_id)),
            ObservationAnswer::Accepted,
            "sí",
            None
        ),
        Err(AnswerRefusal::Refused(Refusal::Forbidden(_)))
    ));
    assert!(matches!(
        answer(&secretariat, ObservationAnswer::Accepted, " ", None),
        Err(AnswerRefusal::Refused(Refusal::Invalid(error))) if error.field == "reply"
    ));
    assert!(matches!(
        answer(&secretariat, ObservationAnswer::NotAccepted, "No procede.", Some("# Acta")),
        Err(AnswerRefusal::Refused(Refusal::Invalid(error))) if error.field == "revisedMinutes"
    ));
    assert!(matches!(
        answer(&secretariat, ObservationAnswer::Accepted, "Se incorpora.", Some("  ")),
        Err(AnswerRefusal::Refused(Refusal::Invalid(error))) if error.field == "revisedMinutes"
    ));
    let revised_text = "# Acta\n\nSe acordó reforzar el control; RREE se abstuvo.";
    let answered = answer(
        &secretariat,
        ObservationAnswer::Accepted,
        "Se incorpora la abstención.",
        Some(revised_text),
    )
    .unwrap();
    let reply = answered.observation.reply.as_ref().unwrap();
    assert_eq!(
        (reply.answer, reply.answered_by, reply.answered_at),
        (ObservationAnswer::Accepted, secretariat.user_id, later)
    );
    let revised = answered.revised.unwrap();
    let minutes = revised.minutes.unwrap();
    assert_eq!(minutes.text, revised_text);
    assert_eq!(minutes.status, MinutesStatus::Circulated);
    // The answer is frozen.
    assert_eq!(
        answered.observation.answer(
            &meeting,
            &secretariat,
            ObservationAnswer::NotAccepted,
            "Otra respuesta.",
            None,
            later
        ),
        Err(AnswerRefusal::AlreadyAnswered)
    );
    // Without revised minutes, accepting leaves the text as it was.
    let plain = answer(
        &secretariat,
        ObservationAnswer::Accepted,
        "Se incorporará.",
        None,
    )
    .unwrap();
    assert!(plain.revised.is_none());
}
