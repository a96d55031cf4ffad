//! VTIMEZONE components (RFC 5545 section 3.6.5) derived from chrono-tz.
//!
//! Every transition found in a window around the events becomes its own STANDARD or
//! DAYLIGHT sub-component, rather than a recurrence rule, which keeps the output exact
//! even in years where a government moved its DST dates. How transitions are found is in
//! the `transition` module.

use chrono::{DateTime, Months, Offset, SubsecRound, Utc};
use chrono_tz::Tz;

use crate::CalendarEvent;
use crate::fold::ContentLines;
use crate::text::escape_text;
use crate::transition::{Kind, Observance, offset_at, transitions};

/// How much history and future the VTIMEZONE covers beyond the events, so that clients
/// which expand the zone around an event find the rules in force on either side of it.
const MARGIN: Months = Months::new(12);

/// A time zone used by at least one event, with the instants its events span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ZoneSpan {
    zone: Tz,
    first: DateTime<Utc>,
    last: DateTime<Utc>,
}

/// Returns the distinct zones of `events` in order of first use, each with the earliest and
/// latest instant of its events.
pub(crate) fn zone_spans(events: &[CalendarEvent]) -> Vec<ZoneSpan> {
    let mut spans: Vec<ZoneSpan> = Vec::new();
    for event in events {
        // Taking both ends in either order keeps the window right even for an event whose
        // end was mistakenly set before its start.
        let earliest = event.starts_at.min(event.ends_at);
        let mut latest = event.starts_at.max(event.ends_at);
        if let Some(recurrence) = &event.recurrence {
            latest = latest.max(recurrence.covers_until);
        }
        match spans.iter_mut().find(|span| span.zone == event.time_zone) {
            Some(span) => {
                span.first = span.first.min(earliest);
                span.last = span.last.max(latest);
            }
            None => spans.push(ZoneSpan {
                zone: event.time_zone,
                first: earliest,
                last: latest,
            }),
        }
    }
    spans
}

/// Writes the VTIMEZONE component for one zone.
pub(crate) fn write_vtimezone(lines: &mut ContentLines, span: &ZoneSpan) {
    lines.push("BEGIN:VTIMEZONE");
    lines.push(&format!("TZID:{}", escape_text(span.zone.name())));
    for observance in observances(span) {
        let component = observance.kind.component_name();
        lines.push(&format!("BEGIN:{component}"));
        lines.push(&format!(
            "DTSTART:{}",
            observance.onset.format("%Y%m%dT%H%M%S")
        ));
        lines.push(&format!(
            "TZOFFSETFROM:{}",
            format_offset(observance.offset_from)
        ));
        lines.push(&format!(
            "TZOFFSETTO:{}",
            format_offset(observance.offset_to)
        ));
        lines.push(&format!("TZNAME:{}", escape_text(&observance.name)));
        lines.push(&format!("END:{component}"));
    }
    lines.push("END:VTIMEZONE");
}

/// Returns the observances that describe `span.zone` around its events.
///
/// When no transition happens at or before the earliest event, the rules in force at that
/// event would be undefined, so a STANDARD observance with equal offsets is put first,
/// dated 1970 (the customary start for such a fixed observance) or earlier if the window
/// itself starts earlier.
fn observances(span: &ZoneSpan) -> Vec<Observance> {
    let start = span
        .first
        .checked_sub_months(MARGIN)
        .unwrap_or(span.first)
        .trunc_subsecs(0);
    let end = span.last.checked_add_months(MARGIN).unwrap_or(span.last);
    let transitions = transitions(span.zone, start, end);

    if transitions
        .first()
        .is_some_and(|first| first.onset_utc <= span.first)
    {
        return transitions.into_iter().map(|t| t.observance).collect();
    }
    let in_force = offset_at(span.zone, span.first);
    let seconds = in_force.fix().local_minus_utc();
    let window_start = start.with_timezone(&in_force.fix()).naive_local();
    let baseline = Observance {
        kind: Kind::Standard,
        onset: DateTime::UNIX_EPOCH.naive_utc().min(window_start),
        offset_from: seconds,
        offset_to: seconds,
        name: in_force.to_string(),
    };
    std::iter::once(baseline)
        .chain(transitions.into_iter().map(|t| t.observance))
        .collect()
}

/// Formats a UTC offset as `±HHMM`, or `±HHMMSS` for the historical offsets that have
/// seconds (RFC 5545 section 3.3.14). Zero is `+0000`, since `-0000` is not allowed.
fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let total = seconds.unsigned_abs();
    let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60);
    if secs == 0 {
        format!("{sign}{hours:02}{minutes:02}")
    } else {
        format!("{sign}{hours:02}{minutes:02}{secs:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(zone: Tz, first: &str, last: &str) -> ZoneSpan {
        ZoneSpan {
            zone,
            first: first.parse().unwrap(),
            last: last.parse().unwrap(),
        }
    }

    fn describe(observances: &[Observance]) -> Vec<String> {
        observances
            .iter()
            .map(|o| {
                format!(
                    "{} {} {} {} {}",
                    o.kind.component_name(),
                    o.onset.format("%Y%m%dT%H%M%S"),
                    format_offset(o.offset_from),
                    format_offset(o.offset_to),
                    o.name
                )
            })
            .collect()
    }

    #[test]
    fn formats_offsets() {
        assert_eq!(format_offset(0), "+0000");
        assert_eq!(format_offset(-5 * 3600), "-0500");
        assert_eq!(format_offset(5 * 3600 + 30 * 60), "+0530");
        assert_eq!(format_offset(-(3 * 3600 + 30 * 60)), "-0330");
        assert_eq!(format_offset(-(4 * 3600 + 56 * 60 + 16)), "-045616");
    }

    #[test]
    fn lima_has_a_single_fixed_observance() {
        let lima = span(
            chrono_tz::America::Lima,
            "2026-05-12T15:00:00Z",
            "2026-05-12T17:00:00Z",
        );
        assert_eq!(
            describe(&observances(&lima)),
            ["STANDARD 19700101T000000 -0500 -0500 -05"]
        );
    }

    #[test]
    fn madrid_observances_cover_a_year_either_side() {
        let madrid = span(
            chrono_tz::Europe::Madrid,
            "2026-06-01T08:00:00Z",
            "2026-06-01T09:00:00Z",
        );
        assert_eq!(
            describe(&observances(&madrid)),
            [
                "STANDARD 20251026T030000 +0200 +0100 CET",
                "DAYLIGHT 20260329T020000 +0100 +0200 CEST",
                "STANDARD 20261025T030000 +0200 +0100 CET",
                "DAYLIGHT 20270328T020000 +0100 +0200 CEST",
            ]
        );
    }

    #[test]
    fn half_hour_offsets_work() {
        let st_johns = span(
            chrono_tz::America::St_Johns,
            "2026-01-15T12:00:00Z",
            "2026-01-15T13:00:00Z",
        );
        let described = describe(&observances(&st_johns));
        assert_eq!(described[0], "DAYLIGHT 20250309T020000 -0330 -0230 NDT");
        assert_eq!(described[1], "STANDARD 20251102T020000 -0230 -0330 NST");

        let kolkata = span(
            chrono_tz::Asia::Kolkata,
            "2026-01-15T12:00:00Z",
            "2026-01-15T13:00:00Z",
        );
        assert_eq!(
            describe(&observances(&kolkata)),
            ["STANDARD 19700101T000000 +0530 +0530 IST"]
        );
    }

    #[test]
    fn a_change_after_the_events_gets_a_baseline_before_it() {
        // Venezuela moved from UTC-04:30 to UTC-04:00 on 2016-05-01, after eight years
        // without a change, so nothing in the window precedes an event in January 2016.
        let caracas = span(
            chrono_tz::America::Caracas,
            "2016-01-15T12:00:00Z",
            "2016-01-15T13:00:00Z",
        );
        assert_eq!(
            describe(&observances(&caracas)),
            [
                "STANDARD 19700101T000000 -0430 -0430 -0430",
                "STANDARD 20160501T023000 -0430 -0400 -04",
            ]
        );
    }

    #[test]
    fn zones_are_deduplicated_in_order_of_first_use() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let event = |zone: Tz, start: &str, end: &str| CalendarEvent {
            uid: String::from("x@cmnp"),
            sequence: 0,
            summary: String::from("x"),
            description: None,
            location: None,
            url: None,
            starts_at: at(start),
            ends_at: at(end),
            time_zone: zone,
            status: crate::EventStatus::Confirmed,
            stamp: at(start),
            organizer: None,
            attendees: Vec::new(),
            recurrence: None,
            recurrence_id: None,
        };
        let events = [
            event(
                chrono_tz::America::Lima,
                "2026-03-01T10:00:00Z",
                "2026-03-01T11:00:00Z",
            ),
            event(
                chrono_tz::Europe::Madrid,
                "2026-04-01T10:00:00Z",
                "2026-04-01T11:00:00Z",
            ),
            event(
                chrono_tz::America::Lima,
                "2026-01-01T10:00:00Z",
                "2026-05-01T11:00:00Z",
            ),
        ];
        assert_eq!(
            zone_spans(&events),
            [
                span(
                    chrono_tz::America::Lima,
                    "2026-01-01T10:00:00Z",
                    "2026-05-01T11:00:00Z"
                ),
                span(
                    chrono_tz::Europe::Madrid,
                    "2026-04-01T10:00:00Z",
                    "2026-04-01T11:00:00Z"
                ),
            ]
        );
    }
}
