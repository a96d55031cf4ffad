//! iCalendar (RFC 5545) files for the commission's meetings, so that invitations can be
//! added to any calendar client. Rendering is pure: it takes values and returns text, and
//! performs no I/O.
//!
//! Event times are written as local wall-clock times with a `TZID`, and each zone used gets
//! a VTIMEZONE built from the chrono-tz database, so clients that do not know a zone (or
//! know an outdated version of it) still place the meeting correctly.

mod event;
mod fold;
mod meeting;
mod text;
mod timezone;
mod transition;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use cmnp_domain::rsvp::Answer;

use crate::fold::ContentLines;
use crate::text::escape_text;

/// The iTIP method of a calendar (RFC 5546), as the domain names it.
pub use cmnp_domain::outbox::CalendarMethod as Method;
pub use meeting::{meeting_event, series_event};

/// Whether a meeting is going ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventStatus {
    /// The meeting takes place as described.
    Confirmed,
    /// The meeting has been called off.
    Cancelled,
}

/// An organizer or attendee.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Person {
    /// The display name; it is sent as the `CN` parameter and omitted when blank.
    pub name: String,
    /// The e-mail address, sent as a `mailto:` URI.
    pub email: String,
}

/// An invitee and their answer so far.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attendee {
    pub person: Person,
    /// Sent as `PARTSTAT`; `None` is `NEEDS-ACTION`.
    pub answer: Option<Answer>,
}

/// One meeting, rendered as a VEVENT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// A globally unique identifier that stays the same across updates, e.g. `<uuid>@cmnp`.
    pub uid: String,
    /// The revision number; it must grow with each change sent to invitees, or clients
    /// ignore the update.
    pub sequence: u32,
    /// The title.
    pub summary: String,
    /// Free text, such as the agenda.
    pub description: Option<String>,
    /// Where the meeting takes place.
    pub location: Option<String>,
    /// The online meeting link.
    pub url: Option<String>,
    /// When the meeting starts.
    pub starts_at: DateTime<Utc>,
    /// When the meeting ends.
    pub ends_at: DateTime<Utc>,
    /// The zone in which start and end are shown, written as its IANA name.
    pub time_zone: Tz,
    /// Whether the meeting is going ahead.
    pub status: EventStatus,
    /// When this version of the event was produced (DTSTAMP and LAST-MODIFIED).
    pub stamp: DateTime<Utc>,
    /// Who calls the meeting; iTIP requires one for REQUEST and CANCEL.
    pub organizer: Option<Person>,
    /// Who is invited; each is asked to reply (`RSVP=TRUE`).
    pub attendees: Vec<Attendee>,
    /// For the event that stands for a whole series: its rule and exceptions.
    pub recurrence: Option<Recurrence>,
    /// For one session of a series: the start the series' rule gave it
    /// (`RECURRENCE-ID`), which stays when the session moves.
    pub recurrence_id: Option<DateTime<Utc>>,
}

/// How a series' event repeats (RFC 5545 sections 3.8.5.1 and 3.8.5.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    /// The `RRULE` value, already checked by the domain (`FREQ=MONTHLY;BYDAY=2TH`).
    pub rule: String,
    /// The starts the rule gives that do not take place (`EXDATE`).
    pub except: Vec<DateTime<Utc>>,
    /// How far the zone's definition must reach: the last start the calendar expects
    /// clients to show, since the rule's own end may lie beyond any known date.
    pub covers_until: DateTime<Utc>,
}

/// A calendar object: a name, a method and the events it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calendar<'a> {
    /// The name clients show for the calendar (`X-WR-CALNAME`).
    pub name: &'a str,
    /// What the receiving client should do with the events.
    pub method: Method,
    /// The events, in the order they are written.
    pub events: &'a [CalendarEvent],
}

/// Renders `calendar` as an iCalendar file: CRLF line endings, lines folded at 75 octets,
/// one VTIMEZONE per distinct zone and one VEVENT per event.
///
/// With no events the result is a calendar with only its properties, which clients accept
/// as an empty calendar.
pub fn render(calendar: &Calendar<'_>) -> String {
    let mut lines = ContentLines::default();
    lines.push("BEGIN:VCALENDAR");
    lines.push("VERSION:2.0");
    lines.push("PRODID:-//CMNP-TP-TIM//cmnp//ES");
    lines.push("CALSCALE:GREGORIAN");
    lines.push(&format!("METHOD:{}", calendar.method.as_str()));
    lines.push(&format!("X-WR-CALNAME:{}", escape_text(calendar.name)));
    for span in timezone::zone_spans(calendar.events) {
        timezone::write_vtimezone(&mut lines, &span);
    }
    for event in calendar.events {
        event::write_vevent(&mut lines, event);
    }
    lines.push("END:VCALENDAR");
    lines.into_string()
}
