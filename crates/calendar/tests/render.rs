//! Renders calendars and reads them back with an independent parser, the `icalendar` crate,
//! so that the output is checked against someone else's reading of RFC 5545.

mod common;

use chrono::TimeDelta;
use chrono_tz::{America, Asia, Europe};
use cmnp_calendar::{EventStatus, Method};
use common::*;
use icalendar::parser::{read_calendar, unfold};

#[test]
fn lima_meeting_parses_with_a_fixed_time_zone() {
    let event = meeting(
        America::Lima,
        "2026-05-12T15:00:00Z",
        "2026-05-12T17:00:00Z",
    );
    let ics = render_checked("CMNP-TP-TIM", Method::Request, std::slice::from_ref(&event));
    let unfolded = unfold(&ics);
    let calendar = read_calendar(&unfolded).unwrap();

    assert_eq!(calendar_value(&calendar, "VERSION"), "2.0");
    assert_eq!(
        calendar_value(&calendar, "PRODID"),
        "-//CMNP-TP-TIM//cmnp//ES"
    );
    assert_eq!(calendar_value(&calendar, "CALSCALE"), "GREGORIAN");
    assert_eq!(calendar_value(&calendar, "METHOD"), "REQUEST");
    assert_eq!(calendar_value(&calendar, "X-WR-CALNAME"), "CMNP-TP-TIM");

    let zones = named(&calendar.components, "VTIMEZONE");
    assert_eq!(zones.len(), 1);
    assert_eq!(value(zones[0], "TZID"), "America/Lima");
    assert_eq!(
        observances(zones[0]),
        owned(&[("STANDARD", "19700101T000000", "-0500", "-0500")])
    );

    let events = named(&calendar.components, "VEVENT");
    assert_eq!(events.len(), 1);
    let vevent = events[0];
    let local = |instant: chrono::DateTime<chrono::Utc>| {
        (instant - TimeDelta::hours(5))
            .format("%Y%m%dT%H%M%S")
            .to_string()
    };
    assert_eq!(value(vevent, "DTSTART"), local(event.starts_at));
    assert_eq!(value(vevent, "DTSTART"), "20260512T100000");
    assert_eq!(param(vevent, "DTSTART", "TZID").unwrap(), "America/Lima");
    assert_eq!(value(vevent, "DTEND"), local(event.ends_at));
    assert_eq!(param(vevent, "DTEND", "TZID").unwrap(), "America/Lima");
    assert_eq!(value(vevent, "UID"), event.uid);
    assert_eq!(value(vevent, "SEQUENCE"), "3");
    assert_eq!(value(vevent, "STATUS"), "CONFIRMED");
    assert_eq!(value(vevent, "DTSTAMP"), "20260420T143005Z");
    assert_eq!(value(vevent, "LAST-MODIFIED"), "20260420T143005Z");
    assert_eq!(value(vevent, "SUMMARY"), event.summary);
    assert_eq!(value(vevent, "URL"), "https://meet.example.pe/cmnp-sesion");

    assert_eq!(
        value(vevent, "ORGANIZER"),
        "mailto:secretaria@mininter.gob.pe"
    );
    assert_eq!(
        param(vevent, "ORGANIZER", "CN").unwrap(),
        "Secretaría Técnica"
    );
    assert_eq!(
        values(vevent, "ATTENDEE"),
        ["mailto:aquispe@mimp.gob.pe", "mailto:lhuaman@minjus.gob.pe"]
    );
    assert_eq!(param(vevent, "ATTENDEE", "CN").unwrap(), "Ana Quispe, MIMP");
    assert_eq!(
        param(vevent, "ATTENDEE", "ROLE").unwrap(),
        "REQ-PARTICIPANT"
    );
    assert_eq!(
        param(vevent, "ATTENDEE", "PARTSTAT").unwrap(),
        "NEEDS-ACTION"
    );
    assert_eq!(param(vevent, "ATTENDEE", "RSVP").unwrap(), "TRUE");
    // The second attendee has answered that they will come.
    assert!(
        ics.replace("\r\n ", "")
            .contains("PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:lhuaman@")
    );
    assert!(ics.contains("CN=\"Ana Quispe, MIMP\""));
    assert!(ics.contains("CN=\"Luis Lucho Huamán\""));
}

#[test]
fn madrid_meetings_carry_the_real_2026_transitions() {
    let events = [
        // The day after the spring change: 08:00 UTC is 10:00 CEST (+0200).
        meeting(
            Europe::Madrid,
            "2026-03-30T08:00:00Z",
            "2026-03-30T09:30:00Z",
        ),
        // The day after the autumn change: 09:00 UTC is 10:00 CET (+0100).
        meeting(
            Europe::Madrid,
            "2026-10-26T09:00:00Z",
            "2026-10-26T10:30:00Z",
        ),
    ];
    let ics = render_checked("CMNP", Method::Publish, &events);
    let unfolded = unfold(&ics);
    let calendar = read_calendar(&unfolded).unwrap();

    let zones = named(&calendar.components, "VTIMEZONE");
    assert_eq!(zones.len(), 1);
    assert_eq!(value(zones[0], "TZID"), "Europe/Madrid");
    let found = observances(zones[0]);
    let spring_2026 = ("DAYLIGHT", "20260329T020000", "+0100", "+0200");
    let autumn_2026 = ("STANDARD", "20261025T030000", "+0200", "+0100");
    assert!(found.contains(&owned(&[spring_2026])[0]), "{found:?}");
    assert!(found.contains(&owned(&[autumn_2026])[0]), "{found:?}");
    // The window reaches a year either side of the events, and nothing else changes there.
    assert_eq!(
        found,
        owned(&[
            ("STANDARD", "20251026T030000", "+0200", "+0100"),
            spring_2026,
            autumn_2026,
            ("DAYLIGHT", "20270328T020000", "+0100", "+0200"),
        ])
    );
    let names: Vec<String> = zones[0]
        .components
        .iter()
        .map(|o| value(o, "TZNAME"))
        .collect();
    assert_eq!(names, ["CET", "CEST", "CET", "CEST"]);

    let vevents = named(&calendar.components, "VEVENT");
    assert_eq!(value(vevents[0], "DTSTART"), "20260330T100000");
    assert_eq!(value(vevents[0], "DTEND"), "20260330T113000");
    assert_eq!(value(vevents[1], "DTSTART"), "20261026T100000");
    assert_eq!(
        param(vevents[1], "DTSTART", "TZID").unwrap(),
        "Europe/Madrid"
    );
}

#[test]
fn cancellation_uses_cancel_method_and_cancelled_status() {
    let mut event = meeting(
        America::Lima,
        "2026-05-12T15:00:00Z",
        "2026-05-12T17:00:00Z",
    );
    event.sequence = 4;
    event.status = EventStatus::Cancelled;
    let ics = render_checked("CMNP", Method::Cancel, std::slice::from_ref(&event));
    let unfolded = unfold(&ics);
    let calendar = read_calendar(&unfolded).unwrap();

    assert_eq!(calendar_value(&calendar, "METHOD"), "CANCEL");
    let vevent = named(&calendar.components, "VEVENT")[0];
    assert_eq!(value(vevent, "STATUS"), "CANCELLED");
    assert_eq!(value(vevent, "SEQUENCE"), "4");
    assert_eq!(value(vevent, "UID"), event.uid);
}

#[test]
fn long_descriptions_fold_without_splitting_characters() {
    let phrase = "Reunión técnica; coordinación, niñas y adolescentes 🧒🏽✊ — acción 👩‍⚖️. ";
    let description: String = phrase.chars().cycle().take(300).collect();
    assert_eq!(description.chars().count(), 300);
    let mut event = meeting(
        America::Lima,
        "2026-05-12T15:00:00Z",
        "2026-05-12T17:00:00Z",
    );
    event.description = Some(description.clone());
    let ics = render_checked("CMNP", Method::Request, &[event]);

    let escaped = description.replace(';', "\\;").replace(',', "\\,");
    assert_eq!(
        logical_line(&ics, "DESCRIPTION:"),
        format!("DESCRIPTION:{escaped}")
    );
    let physical: Vec<&str> = ics
        .split("\r\n")
        .skip_while(|line| !line.starts_with("DESCRIPTION:"))
        .take_while(|line| line.starts_with("DESCRIPTION:") || line.starts_with(' '))
        .collect();
    assert!(physical.len() > 5, "{physical:?}");
    // Each fold uses the room it has: it only backs off to keep a character whole.
    let last = physical.len() - 1;
    assert!(
        physical[..last].iter().all(|line| line.len() > 71),
        "{physical:?}"
    );

    let unfolded = unfold(&ics);
    let calendar = read_calendar(&unfolded).unwrap();
    let vevent = named(&calendar.components, "VEVENT")[0];
    assert_eq!(value(vevent, "DESCRIPTION"), description);
}

#[test]
fn text_values_are_escaped_and_round_trip() {
    let summary = "Sesión; punto 3, \"trata\" \\ anexo";
    let description = "Agenda:\n1. Apertura\r\n2. Informe, MININTER; DP\\2026";
    let location = "Av. Abancay 5.º piso, Lima; Sala \\B\\";
    let mut event = meeting(
        America::Lima,
        "2026-05-12T15:00:00Z",
        "2026-05-12T17:00:00Z",
    );
    event.summary = summary.to_owned();
    event.description = Some(description.to_owned());
    event.location = Some(location.to_owned());
    let ics = render_checked("Comisión, TP; TIM", Method::Request, &[event]);

    assert!(ics.contains("X-WR-CALNAME:Comisión\\, TP\\; TIM\r\n"));
    assert!(ics.contains("SUMMARY:Sesión\\; punto 3\\, \"trata\" \\\\ anexo\r\n"));
    assert_eq!(
        logical_line(&ics, "DESCRIPTION:"),
        "DESCRIPTION:Agenda:\\n1. Apertura\\n2. Informe\\, MININTER\\; DP\\\\2026"
    );
    assert!(ics.contains("LOCATION:Av. Abancay 5.º piso\\, Lima\\; Sala \\\\B\\\\\r\n"));

    let unfolded = unfold(&ics);
    let calendar = read_calendar(&unfolded).unwrap();
    assert_eq!(
        calendar_value(&calendar, "X-WR-CALNAME"),
        "Comisión, TP; TIM"
    );
    let vevent = named(&calendar.components, "VEVENT")[0];
    assert_eq!(value(vevent, "SUMMARY"), summary);
    assert_eq!(
        value(vevent, "DESCRIPTION"),
        description.replace("\r\n", "\n")
    );
    assert_eq!(value(vevent, "LOCATION"), location);
}

#[test]
fn two_zones_give_two_deduplicated_vtimezones() {
    let events = [
        meeting(
            America::Lima,
            "2026-05-12T15:00:00Z",
            "2026-05-12T17:00:00Z",
        ),
        meeting(
            Europe::Madrid,
            "2026-06-02T08:00:00Z",
            "2026-06-02T10:00:00Z",
        ),
        meeting(
            America::Lima,
            "2026-07-07T15:00:00Z",
            "2026-07-07T17:00:00Z",
        ),
        meeting(
            Europe::Madrid,
            "2026-11-03T09:00:00Z",
            "2026-11-03T10:00:00Z",
        ),
    ];
    let ics = render_checked("CMNP", Method::Publish, &events);
    let unfolded = unfold(&ics);
    let calendar = read_calendar(&unfolded).unwrap();

    let zones = named(&calendar.components, "VTIMEZONE");
    let tzids: Vec<String> = zones.iter().map(|z| value(z, "TZID")).collect();
    assert_eq!(tzids, ["America/Lima", "Europe/Madrid"]);
    let vevents = named(&calendar.components, "VEVENT");
    assert_eq!(vevents.len(), 4);
    for vevent in vevents {
        assert!(tzids.contains(&param(vevent, "DTSTART", "TZID").unwrap()));
    }
    // Every VTIMEZONE comes before the first VEVENT.
    let names: Vec<&str> = calendar
        .components
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "VTIMEZONE",
            "VTIMEZONE",
            "VEVENT",
            "VEVENT",
            "VEVENT",
            "VEVENT"
        ]
    );
}

#[test]
fn fractional_hour_offsets_are_written_in_full() {
    let events = [
        meeting(
            Asia::Kolkata,
            "2026-01-15T05:30:00Z",
            "2026-01-15T06:30:00Z",
        ),
        meeting(
            America::St_Johns,
            "2026-07-15T12:30:00Z",
            "2026-07-15T13:30:00Z",
        ),
    ];
    let ics = render_checked("CMNP", Method::Publish, &events);
    let unfolded = unfold(&ics);
    let calendar = read_calendar(&unfolded).unwrap();

    let zones = named(&calendar.components, "VTIMEZONE");
    assert_eq!(
        observances(zones[0]),
        owned(&[("STANDARD", "19700101T000000", "+0530", "+0530")])
    );
    let st_johns = observances(zones[1]);
    let summer = ("DAYLIGHT", "20260308T020000", "-0330", "-0230");
    assert!(st_johns.contains(&owned(&[summer])[0]), "{st_johns:?}");
    let vevents = named(&calendar.components, "VEVENT");
    assert_eq!(value(vevents[0], "DTSTART"), "20260115T110000");
    assert_eq!(value(vevents[1], "DTSTART"), "20260715T100000");
}

#[test]
fn an_empty_calendar_is_still_a_calendar() {
    let ics = render_checked("CMNP", Method::Publish, &[]);
    assert_eq!(
        ics,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//CMNP-TP-TIM//cmnp//ES\r\n\
         CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:CMNP\r\nEND:VCALENDAR\r\n"
    );
    let unfolded = unfold(&ics);
    let calendar = read_calendar(&unfolded).unwrap();
    assert!(calendar.components.is_empty());
    assert_eq!(calendar_value(&calendar, "METHOD"), "PUBLISH");
}

#[test]
fn a_series_repeats_with_its_exceptions_and_an_override_keeps_its_slot() {
    let mut series = meeting(
        Europe::Madrid,
        "2027-01-14T09:00:00Z",
        "2027-01-14T11:00:00Z",
    );
    series.recurrence = Some(cmnp_calendar::Recurrence {
        rule: "FREQ=MONTHLY;BYDAY=2TH;COUNT=6".to_owned(),
        except: vec![at("2027-02-11T09:00:00Z")],
        covers_until: at("2027-12-31T00:00:00Z"),
    });
    // April's session (10:00 in Madrid, UTC+2 by then) moved to 12:00.
    let mut moved = meeting(
        Europe::Madrid,
        "2027-04-08T10:00:00Z",
        "2027-04-08T12:00:00Z",
    );
    moved.recurrence_id = Some(at("2027-04-08T08:00:00Z"));
    let ics = render_checked("CMNP", Method::Publish, &[series, moved]);
    let unfolded = unfold(&ics);
    let calendar = read_calendar(&unfolded).unwrap();
    let events = named(&calendar.components, "VEVENT");
    assert_eq!(value(events[0], "RRULE"), "FREQ=MONTHLY;BYDAY=2TH;COUNT=6");
    assert_eq!(value(events[0], "EXDATE"), "20270211T100000");
    assert_eq!(value(events[1], "RECURRENCE-ID"), "20270408T100000");
    assert_eq!(value(events[1], "DTSTART"), "20270408T120000");
    assert!(ics.contains("RECURRENCE-ID;TZID=Europe/Madrid:20270408T100000"));
    // The zone's definition reaches the rule's later sessions, past the summer change.
    let zones = named(&calendar.components, "VTIMEZONE");
    assert!(
        observances(zones[0])
            .iter()
            .any(|(kind, onset, _, _)| kind == "STANDARD" && onset.starts_with("20271031")),
        "{ics}"
    );
}
