//! VEVENT components (RFC 5545 section 3.6.1).

use chrono::{DateTime, Utc};

use crate::fold::ContentLines;
use crate::text::{clean_uri, escape_text, quote_param};
use cmnp_domain::rsvp::Answer;

use crate::{CalendarEvent, EventStatus, Person};

/// Writes one VEVENT.
///
/// DTSTART and DTEND are local times tagged with the zone's TZID rather than UTC, so that
/// clients show the meeting at its wall-clock time and keep it there if the zone's rules
/// change; the matching VTIMEZONE is written separately by the caller.
pub(crate) fn write_vevent(lines: &mut ContentLines, event: &CalendarEvent) {
    lines.push("BEGIN:VEVENT");
    lines.push(&format!("UID:{}", escape_text(&event.uid)));
    lines.push(&format!("SEQUENCE:{}", event.sequence));
    lines.push(&format!("DTSTAMP:{}", utc_date_time(event.stamp)));
    lines.push(&format!("LAST-MODIFIED:{}", utc_date_time(event.stamp)));
    lines.push(&local_date_time("DTSTART", event, event.starts_at));
    lines.push(&local_date_time("DTEND", event, event.ends_at));
    if let Some(recurrence_id) = event.recurrence_id {
        lines.push(&local_date_time("RECURRENCE-ID", event, recurrence_id));
    }
    if let Some(recurrence) = &event.recurrence {
        lines.push(&format!("RRULE:{}", recurrence.rule));
        for except in &recurrence.except {
            lines.push(&local_date_time("EXDATE", event, *except));
        }
    }
    lines.push(&format!("SUMMARY:{}", escape_text(&event.summary)));
    if let Some(description) = &event.description {
        lines.push(&format!("DESCRIPTION:{}", escape_text(description)));
    }
    if let Some(location) = &event.location {
        lines.push(&format!("LOCATION:{}", escape_text(location)));
    }
    if let Some(url) = &event.url {
        lines.push(&format!("URL:{}", clean_uri(url)));
    }
    lines.push(&format!("STATUS:{}", status_value(event.status)));
    if let Some(organizer) = &event.organizer {
        lines.push(&format!(
            "ORGANIZER{}:{}",
            common_name(organizer),
            mailto(organizer)
        ));
    }
    for attendee in &event.attendees {
        lines.push(&format!(
            "ATTENDEE{};ROLE=REQ-PARTICIPANT;PARTSTAT={};RSVP=TRUE:{}",
            common_name(&attendee.person),
            attendee.answer.map_or("NEEDS-ACTION", Answer::partstat),
            mailto(&attendee.person)
        ));
    }
    lines.push("END:VEVENT");
}

const fn status_value(status: EventStatus) -> &'static str {
    match status {
        EventStatus::Confirmed => "CONFIRMED",
        EventStatus::Cancelled => "CANCELLED",
    }
}

/// Formats a UTC DATE-TIME (RFC 5545 section 3.3.5, form 2).
fn utc_date_time(instant: DateTime<Utc>) -> String {
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Formats a property whose DATE-TIME is local to the event's zone (section 3.3.5, form 3).
fn local_date_time(property: &str, event: &CalendarEvent, instant: DateTime<Utc>) -> String {
    let zone = event.time_zone;
    let local = instant.with_timezone(&zone).naive_local();
    format!(
        "{property};TZID={}:{}",
        zone.name(),
        local.format("%Y%m%dT%H%M%S")
    )
}

/// Returns the `;CN="…"` parameter, or nothing for a person without a name, since an empty
/// common name would show as a blank in invitees' clients.
fn common_name(person: &Person) -> String {
    if person.name.trim().is_empty() {
        String::new()
    } else {
        format!(";CN={}", quote_param(&person.name))
    }
}

fn mailto(person: &Person) -> String {
    format!("mailto:{}", clean_uri(person.email.trim()))
}
