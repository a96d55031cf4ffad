//! Offset transitions of a chrono-tz zone, found by probing.
//!
//! chrono-tz does not expose its transition table, so the zone's offset is probed at a
//! fixed step over a window, and each change is bisected down to the second.

use chrono::{DateTime, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::{OffsetComponents, Tz, TzOffset};

/// How far apart offset probes are. No zone in the tz database changes its offset twice
/// within an hour, so an hourly probe sees every transition.
const PROBE_STEP: TimeDelta = TimeDelta::hours(1);

/// Whether an observance is standard time or daylight saving time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Standard,
    Daylight,
}

impl Kind {
    pub(crate) const fn component_name(self) -> &'static str {
        match self {
            Self::Standard => "STANDARD",
            Self::Daylight => "DAYLIGHT",
        }
    }
}

/// One STANDARD or DAYLIGHT sub-component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Observance {
    pub(crate) kind: Kind,
    /// The onset as local time in the offset that was in force before it.
    pub(crate) onset: NaiveDateTime,
    pub(crate) offset_from: i32,
    pub(crate) offset_to: i32,
    pub(crate) name: String,
}

/// A change of offset found by probing, with the UTC instant it takes effect.
pub(crate) struct Transition {
    pub(crate) onset_utc: DateTime<Utc>,
    pub(crate) observance: Observance,
}

/// Finds every instant in `[start, end]` where the zone's offset (or its DST part or its
/// abbreviation) changes.
pub(crate) fn transitions(zone: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<Transition> {
    let mut found = Vec::new();
    let mut cursor = start;
    let mut before = offset_at(zone, cursor);
    while cursor < end {
        let next = cursor
            .checked_add_signed(PROBE_STEP)
            .map_or(end, |next| next.min(end));
        let after = offset_at(zone, next);
        if after != before {
            let onset_utc = first_change(zone, cursor, next, before);
            found.push(Transition {
                onset_utc,
                observance: observance_at(zone, onset_utc, before),
            });
        }
        cursor = next;
        before = after;
    }
    found
}

/// Bisects `(lo, hi]` for the first whole second whose offset differs from `before`, given
/// that `lo` still has `before` and `hi` no longer does.
fn first_change(
    zone: Tz,
    mut lo: DateTime<Utc>,
    mut hi: DateTime<Utc>,
    before: TzOffset,
) -> DateTime<Utc> {
    while hi - lo > TimeDelta::seconds(1) {
        let mid = lo + (hi - lo) / 2;
        if offset_at(zone, mid) == before {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// Describes the transition at `onset_utc`, away from the offset `before`.
fn observance_at(zone: Tz, onset_utc: DateTime<Utc>, before: TzOffset) -> Observance {
    let after = offset_at(zone, onset_utc);
    let kind = if after.dst_offset().is_zero() {
        Kind::Standard
    } else {
        Kind::Daylight
    };
    Observance {
        kind,
        // RFC 5545 dates an onset in the local time that was in force until then.
        onset: onset_utc.with_timezone(&before.fix()).naive_local(),
        offset_from: before.fix().local_minus_utc(),
        offset_to: after.fix().local_minus_utc(),
        // The Display form of a chrono-tz offset is what `%Z` prints.
        name: after.to_string(),
    }
}

/// Returns the offset in force in `zone` at `instant`.
pub(crate) fn offset_at(zone: Tz, instant: DateTime<Utc>) -> TzOffset {
    zone.offset_from_utc_datetime(&instant.naive_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(instant: &str) -> DateTime<Utc> {
        instant.parse().unwrap()
    }

    #[test]
    fn madrid_2026_changes_are_found_to_the_second() {
        let found = transitions(
            chrono_tz::Europe::Madrid,
            at("2026-01-01T00:00:00Z"),
            at("2026-12-31T00:00:00Z"),
        );
        let onsets: Vec<DateTime<Utc>> = found.iter().map(|t| t.onset_utc).collect();
        assert_eq!(
            onsets,
            [at("2026-03-29T01:00:00Z"), at("2026-10-25T01:00:00Z")]
        );
        let spring = &found[0].observance;
        assert_eq!(spring.kind, Kind::Daylight);
        assert_eq!(spring.onset.to_string(), "2026-03-29 02:00:00");
        assert_eq!((spring.offset_from, spring.offset_to), (3600, 7200));
        assert_eq!(spring.name, "CEST");
        let autumn = &found[1].observance;
        assert_eq!(autumn.kind, Kind::Standard);
        assert_eq!(autumn.onset.to_string(), "2026-10-25 03:00:00");
        assert_eq!((autumn.offset_from, autumn.offset_to), (7200, 3600));
        assert_eq!(autumn.name, "CET");
    }

    #[test]
    fn a_change_on_the_window_end_is_found() {
        let found = transitions(
            chrono_tz::Europe::Madrid,
            at("2026-03-29T00:30:00Z"),
            at("2026-03-29T01:00:00Z"),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].onset_utc, at("2026-03-29T01:00:00Z"));
    }

    #[test]
    fn fixed_zones_have_no_transitions() {
        let found = transitions(
            chrono_tz::America::Lima,
            at("2020-01-01T00:00:00Z"),
            at("2030-01-01T00:00:00Z"),
        );
        assert!(found.is_empty());
    }
}
