//! Calendar clients' answers: an iCalendar `REPLY` (RFC 5546 section 3.2.3) posted to
//! `/meetings/<id>/reply` as `text/calendar`. Clients send a `REPLY` by e-mail (iMIP) to
//! the invitation's `ORGANIZER`, the secretariat's address; whatever reads that mailbox
//! posts each one here with a secretariat API token. The `ATTENDEE` must be a
//! representative of an invited agency and the `UID` the session's own; its `PARTSTAT`
//! becomes the representative's answer, as a link from the invitation would record it.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cmnp_domain::policy::Permission;
use cmnp_domain::rsvp::{Answer, AnswerVia, Recorded};
use cmnp_store::{Respondent, StoreError};
use icalendar::parser::{Component, read_calendar, unfold};
use uuid::Uuid;

use crate::app::AppState;
use crate::respond::{forbidden, internal, not_found, signed_in};

/// What a `REPLY` says: who answers what to which event.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reply {
    uid: String,
    attendee: String,
    partstat: String,
    /// The occurrence of a series the answer is about (`RECURRENCE-ID`), as written: the
    /// value and its `TZID`, if any.
    recurrence_id: Option<(String, Option<String>)>,
}

pub async fn post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found();
    };
    let actor = match signed_in(&state, &headers).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    if !actor.may(Permission::ManageMeetings) {
        return forbidden();
    }
    let calendar = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim_start().starts_with("text/calendar"));
    if !calendar {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the REPLY as text/calendar",
        );
    }
    let reply = match read_reply(&body) {
        Ok(reply) => reply,
        Err(message) => return refuse(StatusCode::BAD_REQUEST, &message),
    };
    let meeting = match state.store.meeting(id).await {
        Ok(Some(meeting)) => meeting,
        Ok(None) => return not_found(),
        Err(error) => return internal(&error),
    };
    if reply.uid != meeting.calendar_uid() {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the REPLY's UID is not this session's",
        );
    }
    // The sessions of a series share its UID: an answer about one of them names it, and
    // must name this one.
    if let Some((value, zone)) = &reply.recurrence_id {
        let named = occurrence(value, zone.as_deref(), meeting.zone());
        if named.is_none() || named != meeting.recurrence_id {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the REPLY's RECURRENCE-ID is not this session's",
            );
        }
    }
    let answer = match Answer::from_partstat(&reply.partstat) {
        Ok(answer) => answer,
        Err(error) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, &error.message),
    };
    let answered = state
        .store
        .answer_invitation(
            Some(&actor),
            id,
            Respondent::Address(reply.attendee.clone()),
            answer,
            AnswerVia::IcalReply,
        )
        .await;
    match answered {
        Ok(answered) if answered.recorded == Recorded::Unchanged => {
            (StatusCode::OK, "the same answer was already recorded").into_response()
        }
        Ok(_) => (StatusCode::OK, "answer recorded").into_response(),
        Err(StoreError::Invalid(error)) if error.field == "representativeId" => refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!(
                "{} is not a representative of an agency invited to this session",
                reply.attendee
            ),
        ),
        Err(StoreError::Invalid(error)) => refuse(StatusCode::UNPROCESSABLE_ENTITY, &error.message),
        Err(StoreError::NotFound(_)) => not_found(),
        Err(StoreError::Refused(_)) => forbidden(),
        Err(error) => internal(&error),
    }
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, message.to_owned()).into_response()
}

/// Reads a `REPLY` with the `icalendar` parser: its method, and the one `VEVENT`'s
/// `UID`, `ATTENDEE` address and `PARTSTAT`.
fn read_reply(text: &str) -> Result<Reply, String> {
    let unfolded = unfold(text);
    let calendar = read_calendar(&unfolded).map_err(|_| "the body is not iCalendar".to_owned())?;
    let method = calendar
        .properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case("METHOD"))
        .map(|p| p.val.as_str().trim().to_ascii_uppercase());
    if method.as_deref() != Some("REPLY") {
        return Err("the calendar's METHOD is not REPLY".to_owned());
    }
    let mut events = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT"));
    let (Some(event), None) = (events.next(), events.next()) else {
        return Err("a REPLY answers one VEVENT".to_owned());
    };
    let uid = property(event, "UID")
        .map(|p| p.val.as_str().trim().to_owned())
        .ok_or("the VEVENT has no UID")?;
    let attendee = property(event, "ATTENDEE").ok_or("the VEVENT has no ATTENDEE")?;
    let address = attendee.val.as_str().trim();
    let address = address
        .get(..7)
        .filter(|scheme| scheme.eq_ignore_ascii_case("mailto:"))
        .and_then(|_| address.get(7..))
        .ok_or("the ATTENDEE is not a mailto: address")?;
    let partstat = attendee
        .params
        .iter()
        .find(|p| p.key.as_str().eq_ignore_ascii_case("PARTSTAT"))
        .and_then(|p| p.val.as_ref())
        .map(|v| v.as_str().to_owned())
        .ok_or("the ATTENDEE has no PARTSTAT")?;
    let recurrence_id = property(event, "RECURRENCE-ID").map(|p| {
        let zone = p
            .params
            .iter()
            .find(|param| param.key.as_str().eq_ignore_ascii_case("TZID"))
            .and_then(|param| param.val.as_ref())
            .map(|v| v.as_str().to_owned());
        (p.val.as_str().trim().to_owned(), zone)
    });
    Ok(Reply {
        uid,
        attendee: address.to_owned(),
        partstat,
        recurrence_id,
    })
}

/// The instant a `RECURRENCE-ID` names: UTC when it ends in `Z`, else a local time in its
/// `TZID` (or, floating, in the session's zone); a date or an unreadable value names none.
fn occurrence(
    value: &str,
    zone: Option<&str>,
    fallback: chrono_tz::Tz,
) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    let (local, utc) = match value.strip_suffix('Z') {
        Some(local) => (local, true),
        None => (value, false),
    };
    let local = chrono::NaiveDateTime::parse_from_str(local, "%Y%m%dT%H%M%S").ok()?;
    if utc {
        return Some(local.and_utc());
    }
    let zone = match zone {
        Some(name) => name.parse::<chrono_tz::Tz>().ok()?,
        None => fallback,
    };
    zone.from_local_datetime(&local)
        .earliest()
        .map(|at| at.with_timezone(&chrono::Utc))
}

fn property<'c>(
    event: &'c Component<'_>,
    name: &str,
) -> Option<&'c icalendar::parser::Property<'c>> {
    event
        .properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPLY: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//EN\r\nMETHOD:REPLY\r\n\
        BEGIN:VEVENT\r\nUID:0196c1a2-7d3e-7c11-9a0b-5f2e8d4c3b21@cmnp\r\nDTSTAMP:20261201T120000Z\r\n\
        ATTENDEE;CN=\"Ana Quispe\";PARTSTAT=DECLINED:MAILTO:aquispe@mimp.gob.pe\r\n\
        END:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn a_reply_says_who_answers_what_to_which_event() {
        let reply = read_reply(REPLY).unwrap();
        assert_eq!(reply.uid, "0196c1a2-7d3e-7c11-9a0b-5f2e8d4c3b21@cmnp");
        assert_eq!(reply.attendee, "aquispe@mimp.gob.pe");
        assert_eq!(reply.partstat, "DECLINED");
    }

    #[test]
    fn what_is_not_a_reply_is_refused() {
        assert!(read_reply(&REPLY.replace("METHOD:REPLY", "METHOD:REQUEST")).is_err());
        assert!(read_reply(&REPLY.replace(";PARTSTAT=DECLINED", "")).is_err());
        assert!(read_reply(&REPLY.replace("MAILTO:", "")).is_err());
        assert!(read_reply("hello").is_err());
    }
}
