//! Helpers shared by the integration tests: sample meetings, wire-format checks and
//! look-ups in the tree produced by the `icalendar` crate's parser.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use cmnp_calendar::{Attendee, Calendar, CalendarEvent, EventStatus, Method, Person, render};
use cmnp_domain::rsvp::Answer;
use icalendar::parser::{Calendar as Parsed, Component};

pub fn at(instant: &str) -> DateTime<Utc> {
    instant
        .parse()
        .unwrap_or_else(|error| panic!("{instant:?} is not an instant: {error}"))
}

pub fn person(name: &str, email: &str) -> Person {
    Person {
        name: name.to_owned(),
        email: email.to_owned(),
    }
}

/// A confirmed meeting with an organizer and two attendees.
pub fn meeting(zone: Tz, starts_at: &str, ends_at: &str) -> CalendarEvent {
    CalendarEvent {
        uid: "0196c1a2-7d3e-7c11-9a0b-5f2e8d4c3b21@cmnp".to_owned(),
        sequence: 3,
        summary: "Sesión ordinaria de la CMNP-TP-TIM".to_owned(),
        description: Some("Revisión del plan de acción".to_owned()),
        location: Some("Sala de reuniones del MININTER".to_owned()),
        url: Some("https://meet.example.pe/cmnp-sesion".to_owned()),
        starts_at: at(starts_at),
        ends_at: at(ends_at),
        time_zone: zone,
        status: EventStatus::Confirmed,
        stamp: at("2026-04-20T14:30:05Z"),
        organizer: Some(person("Secretaría Técnica", "secretaria@mininter.gob.pe")),
        attendees: vec![
            Attendee {
                person: person("Ana Quispe, MIMP", "aquispe@mimp.gob.pe"),
                answer: None,
            },
            Attendee {
                person: person("Luis \"Lucho\" Huamán", "lhuaman@minjus.gob.pe"),
                answer: Some(Answer::Attending),
            },
        ],
        recurrence: None,
        recurrence_id: None,
    }
}

/// Checks the framing that RFC 5545 section 3.1 requires of every output: CRLF after each
/// line, no bare CR or LF, at most 75 octets per physical line, and each physical line
/// valid UTF-8 on its own (so no fold fell inside a multi-byte character).
pub fn assert_wire_format(ics: &str) {
    assert!(ics.ends_with("\r\n"), "output must end with CRLF");
    for line in ics.as_bytes().split_inclusive(|&b| b == b'\n') {
        let line = line
            .strip_suffix(b"\r\n")
            .unwrap_or_else(|| panic!("LF without CR before it in {ics:?}"));
        assert!(!line.contains(&b'\r'), "bare CR in {ics:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        assert!(std::str::from_utf8(line).is_ok(), "split UTF-8 in {line:?}");
    }
}

/// Returns the logical line that starts with `prefix`, joined from its physical lines by
/// removing each CRLF and the single space that follows it.
pub fn logical_line(ics: &str, prefix: &str) -> String {
    let mut physical = ics
        .split("\r\n")
        .skip_while(|line| !line.starts_with(prefix));
    let first = physical.next();
    let mut logical = first
        .unwrap_or_else(|| panic!("no line starts with {prefix:?}"))
        .to_owned();
    for continuation in physical.map_while(|line| line.strip_prefix(' ')) {
        logical.push_str(continuation);
    }
    logical
}

pub fn calendar_value(calendar: &Parsed<'_>, name: &str) -> String {
    let property = calendar.properties.iter().find(|p| p.name == name);
    let property = property.unwrap_or_else(|| panic!("{name} missing in VCALENDAR"));
    property.val.as_str().to_owned()
}

pub fn value(component: &Component<'_>, name: &str) -> String {
    let property = component.find_prop(name);
    let property = property.unwrap_or_else(|| panic!("{name} missing in {}", component.name));
    property.val.as_str().to_owned()
}

pub fn values(component: &Component<'_>, name: &str) -> Vec<String> {
    let properties = component.properties.iter().filter(|p| p.name == name);
    properties.map(|p| p.val.as_str().to_owned()).collect()
}

pub fn param(component: &Component<'_>, property: &str, key: &str) -> Option<String> {
    let property = component.find_prop(property)?;
    let parameter = property.params.iter().find(|p| p.key == key)?;
    parameter.val.as_ref().map(|v| v.as_str().to_owned())
}

pub fn named<'c, 'a>(components: &'c [Component<'a>], name: &str) -> Vec<&'c Component<'a>> {
    components.iter().filter(|c| c.name == name).collect()
}

/// Returns the `(kind, DTSTART, TZOFFSETFROM, TZOFFSETTO)` of each observance of a
/// VTIMEZONE, in order.
pub fn observances(vtimezone: &Component<'_>) -> Vec<(String, String, String, String)> {
    vtimezone
        .components
        .iter()
        .map(|o| {
            (
                o.name.as_str().to_owned(),
                value(o, "DTSTART"),
                value(o, "TZOFFSETFROM"),
                value(o, "TZOFFSETTO"),
            )
        })
        .collect()
}

/// Renders a calendar and checks its wire format before handing it to a test.
pub fn render_checked(name: &str, method: Method, events: &[CalendarEvent]) -> String {
    let ics = render(&Calendar {
        name,
        method,
        events,
    });
    assert_wire_format(&ics);
    ics
}

/// Turns borrowed observance tuples into the owned form that [`observances`] returns.
pub fn owned(pairs: &[(&str, &str, &str, &str)]) -> Vec<(String, String, String, String)> {
    let own = |s: &str| s.to_owned();
    pairs
        .iter()
        .map(|&(a, b, c, d)| (own(a), own(b), own(c), own(d)))
        .collect()
}
