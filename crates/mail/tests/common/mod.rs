//! Helpers shared by the integration tests: sample meetings, items and recipients, and a
//! reading of built messages by independent parsers (`mail-parser` for MIME, `icalendar`
//! for the attachment), so that the output is checked against someone else's reading of
//! the standards rather than against our own.

// Helpers fail loudly, as tests do; and each test file uses only some of them, which the
// compiler would otherwise report as dead code in the others.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use chrono::{DateTime, NaiveDate, Utc};
use cmnp_domain::action_item::{ActionItem, ActionItemStatus};
use cmnp_domain::meeting::{Meeting, MeetingKind, MeetingStatus};
use cmnp_domain::representative::Language;
use cmnp_mail::{Commission, Email, ItemLine, Recipient, message};
use icalendar::parser::{Component, read_calendar, unfold};
use mail_parser::{MessageParser, MimeHeaders};
use uuid::Uuid;

pub const MEETING_ID: &str = "0196c1a2-7d3e-7c11-9a0b-5f2e8d4c3b21";
pub const MESSAGE_ID: &str = "meeting-notice.0196c1a2.ana@cmnp.example.gob.pe";

pub fn at(instant: &str) -> DateTime<Utc> {
    instant.parse().unwrap()
}

pub fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

pub fn commission() -> Commission {
    // The trailing slash is deliberate: links must not come out with a double slash.
    Commission::cmnp(
        "https://cmnp.example.gob.pe/",
        "secretaria@cmnp.example.gob.pe",
    )
}

pub fn recipient(language: Language) -> Recipient {
    Recipient {
        name: "Ana Quispe Mamani".to_owned(),
        email: "aquispe@mimp.gob.pe".to_owned(),
        language,
    }
}

/// Ordinary session 3-2026, on Thursday 3 December 2026 from 15:00 to 17:00 UTC, shown in
/// `zone`.
pub fn meeting(zone: &str) -> Meeting {
    Meeting {
        id: Uuid::parse_str(MEETING_ID).unwrap(),
        kind: MeetingKind::Ordinary,
        year: 2026,
        number: 3,
        title: "Seguimiento del Plan Nacional 2030".to_owned(),
        status: MeetingStatus::Scheduled,
        starts_at: at("2026-12-03T15:00:00Z"),
        ends_at: at("2026-12-03T17:00:00Z"),
        time_zone: zone.to_owned(),
        location: Some("Sala de sesiones del MININTER, Lima".to_owned()),
        online_url: Some("https://meet.example.pe/cmnp-3".to_owned()),
        sequence: 2,
        version: 3,
        cancel_reason: None,
        invited_agency_ids: Vec::new(),
        quorum: None,
        held_at: None,
        minutes: None,
        series_id: None,
        recurrence_id: None,
        created_at: at("2026-11-02T14:00:00Z"),
        updated_at: at("2026-11-20T16:30:00Z"),
    }
}

pub fn agenda() -> Vec<String> {
    vec![
        "Aprobación del acta anterior".to_owned(),
        "Seguimiento de acciones vencidas".to_owned(),
    ]
}

pub fn action_item() -> ActionItem {
    ActionItem {
        id: Uuid::parse_str("0196c1a2-0000-7000-8000-000000000014").unwrap(),
        year: 2026,
        number: 14,
        title: "Actualizar el protocolo de atención a víctimas".to_owned(),
        description: None,
        agreement_id: None,
        project_id: None,
        project_funder_ids: Vec::new(),
        responsible_agency_id: Uuid::nil(),
        supporting_agency_ids: Vec::new(),
        due_on: date("2026-12-10"),
        status: ActionItemStatus::InProgress,
        progress_percent: 40,
        completed_on: None,
        cancel_reason: None,
        version: 3,
        created_at: at("2026-10-01T12:00:00Z"),
        updated_at: at("2026-11-20T12:00:00Z"),
    }
}

pub fn item_line(number: u32, title: &str, agency: &str, days_overdue: i64) -> ItemLine {
    ItemLine {
        reference: format!("AI-2026-{number:03}"),
        title: title.to_owned(),
        agency: agency.to_owned(),
        due_on: date("2026-11-26"),
        days_overdue,
        url: format!("https://cmnp.example.gob.pe/action-items/AI-2026-{number:03}"),
    }
}

/// What a receiving client reads from a built message.
pub struct Received {
    pub from: (Option<String>, String),
    pub to: (Option<String>, String),
    pub subject: String,
    /// The Subject header as sent, before decoding.
    pub raw_subject: String,
    pub message_id: String,
    /// Every part's content type, depth first, such as `multipart/mixed`.
    pub structure: Vec<String>,
    pub text: String,
    pub html: String,
    pub calendar: Option<CalendarAttachment>,
}

/// The `text/calendar` part: its content-type parameters, file name and contents.
pub struct CalendarAttachment {
    pub method: String,
    pub charset: String,
    pub file_name: String,
    pub ics: String,
}

/// Builds `email` with [`message`], formats it as it would go on the wire and parses it
/// back.
pub fn receive(commission: &Commission, email: &Email) -> Received {
    let bytes = message(commission, email, MESSAGE_ID).unwrap().formatted();
    let parsed = MessageParser::default().parse(&bytes).unwrap();
    let mailbox = |address: Option<&mail_parser::Address<'_>>| {
        let first = address.unwrap().first().unwrap();
        (
            first.name().map(str::to_owned),
            first.address().unwrap().to_owned(),
        )
    };
    let content_type = |part: &mail_parser::MessagePart<'_>| {
        let ct = part.content_type().unwrap();
        format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default())
    };
    let only = |wanted: &str| {
        let mut found = parsed.parts.iter().filter(|p| content_type(p) == wanted);
        let part = found.next().unwrap_or_else(|| panic!("no {wanted} part"));
        assert!(found.next().is_none(), "more than one {wanted} part");
        // Text travels with CRLF line endings on the wire; tests compare with the LF
        // endings the renderer writes.
        part.text_contents().unwrap().replace("\r\n", "\n")
    };
    let calendar = parsed
        .parts
        .iter()
        .find(|p| content_type(p) == "text/calendar")
        .map(|part| {
            let ct = part.content_type().unwrap();
            CalendarAttachment {
                method: ct.attribute("method").unwrap().to_owned(),
                charset: ct.attribute("charset").unwrap().to_owned(),
                file_name: part.attachment_name().unwrap().to_owned(),
                ics: part.text_contents().unwrap().to_owned(),
            }
        });
    Received {
        from: mailbox(parsed.from()),
        to: mailbox(parsed.to()),
        subject: parsed.subject().unwrap().to_owned(),
        raw_subject: parsed.header_raw("Subject").unwrap().trim().to_owned(),
        message_id: parsed.message_id().unwrap().to_owned(),
        structure: parsed.parts.iter().map(content_type).collect(),
        text: only("text/plain"),
        html: only("text/html"),
        calendar,
    }
}

/// The VEVENT of an iCalendar file, with the calendar's METHOD, as `(name, value)` pairs
/// read by the `icalendar` parser; parameters are kept as `NAME;KEY` entries.
pub fn read_event(ics: &str) -> (String, Vec<(String, String)>) {
    let unfolded = unfold(ics);
    let calendar = read_calendar(&unfolded).unwrap();
    let method = calendar
        .properties
        .iter()
        .find(|p| p.name == "METHOD")
        .map(|p| p.val.as_str().to_owned())
        .unwrap();
    let events: Vec<&Component<'_>> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    assert_eq!(events.len(), 1, "one VEVENT expected");
    let mut properties = Vec::new();
    for property in events.iter().flat_map(|event| &event.properties) {
        let name = property.name.as_str().to_owned();
        properties.push((name.clone(), property.val.as_str().to_owned()));
        for param in &property.params {
            let value = param.val.as_ref().map(|v| v.as_str().to_owned());
            properties.push((
                format!("{name};{}", param.key.as_str()),
                value.unwrap_or_default(),
            ));
        }
    }
    (method, properties)
}

/// The value of the first property (or `NAME;KEY` parameter) called `name`.
pub fn prop<'p>(properties: &'p [(String, String)], name: &str) -> &'p str {
    properties
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("{name} missing"))
}

pub const MIXED_WITH_CALENDAR: [&str; 5] = [
    "multipart/mixed",
    "multipart/alternative",
    "text/plain",
    "text/html",
    "text/calendar",
];

pub const MIXED_WITHOUT_CALENDAR: [&str; 4] = [
    "multipart/mixed",
    "multipart/alternative",
    "text/plain",
    "text/html",
];
