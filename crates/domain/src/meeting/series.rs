//! Recurring sessions: an RFC 5545 recurrence rule (`FREQ=MONTHLY;BYDAY=2TH`) read in
//! the series' own zone, so "10:00 in Lima" stays 10:00 on the wall clock whatever the
//! zone's offset on each day. The rule is expanded by the `rrule` crate; this module
//! decides what a series may say and which sessions it stands for.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rrule::{Frequency, RRule, RRuleSet, Unvalidated};
use uuid::Uuid;

use super::{MeetingKind, Schedule};
use crate::{ValidationError, words};

/// The longest a session of a series may last, as any session: three days.
const MAX_DURATION_MINUTES: i32 = 3 * 24 * 60;

/// The most sessions one expansion returns; a daily rule over the longest horizon stays
/// well below it.
const MAX_OCCURRENCES: u16 = 1_000;

/// A series of sessions, as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingSeries {
    pub id: Uuid,
    pub kind: MeetingKind,
    /// The title every session of the series takes.
    pub title: String,
    /// The `RRULE` value, e.g. `FREQ=MONTHLY;BYDAY=2TH;COUNT=12`.
    pub rule: String,
    pub time_zone: String,
    /// `DTSTART`: the first session's start. Its wall-clock time in `time_zone` is every
    /// session's.
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    /// `EXDATE`s given when the series was scheduled: days (in its zone) without session.
    pub except_on: Vec<NaiveDate>,
    pub location: Option<String>,
    pub online_url: Option<String>,
    /// `None`: every active member agency of the day a session is created.
    pub invited_agency_ids: Option<Vec<Uuid>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// What `scheduleMeetingSeries` asks for, as typed.
#[derive(Debug, Clone)]
pub struct SeriesRequest<'a> {
    pub title: &'a str,
    pub rule: &'a str,
    /// The first day the rule may fall on.
    pub starts_on: NaiveDate,
    /// The sessions' local start, `HH:MM`.
    pub start_time: &'a str,
    pub duration_minutes: i32,
    pub time_zone: &'a str,
    pub location: Option<&'a str>,
    pub online_url: Option<&'a str>,
    pub except_on: Vec<NaiveDate>,
}

/// A series checked field by field, ready to store: its `DTSTART` is its first session.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPlan {
    pub title: String,
    pub rule: String,
    pub time_zone: Tz,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub except_on: Vec<NaiveDate>,
    pub location: Option<String>,
    pub online_url: Option<String>,
}

impl SeriesPlan {
    /// The series this plan makes, new at `now` (version 1).
    pub fn into_series(
        self,
        id: Uuid,
        kind: MeetingKind,
        invited_agency_ids: Option<Vec<Uuid>>,
        now: DateTime<Utc>,
    ) -> MeetingSeries {
        MeetingSeries {
            id,
            kind,
            title: self.title,
            rule: self.rule,
            time_zone: self.time_zone.name().to_owned(),
            starts_at: self.starts_at,
            duration_minutes: self.duration_minutes,
            except_on: self.except_on,
            location: self.location,
            online_url: self.online_url,
            invited_agency_ids,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    /// Checks `request` at `now`: a rule the `rrule` crate accepts, no finer than daily,
    /// whose first session (on or after `starts_on`) is still to come.
    pub fn parse(request: SeriesRequest<'_>, now: DateTime<Utc>) -> Result<Self, ValidationError> {
        let time_zone: Tz = request.time_zone.trim().parse().map_err(|_| {
            ValidationError::new(
                "timeZone",
                format!(
                    "{:?} is not an IANA time zone such as America/Lima",
                    request.time_zone
                ),
            )
        })?;
        let start_time = NaiveTime::parse_from_str(request.start_time.trim(), "%H:%M")
            .map_err(|_| ValidationError::new("startTime", "give the local start as HH:MM"))?;
        if !(1..=MAX_DURATION_MINUTES).contains(&request.duration_minutes) {
            return Err(ValidationError::new(
                "durationMinutes",
                "a session lasts between one minute and three days",
            ));
        }
        let rule = normalized_rule(request.rule)?;
        let requested_start =
            local_instant(time_zone, request.starts_on, start_time).ok_or_else(|| {
                ValidationError::new("startTime", "that time does not exist on startsOn")
            })?;
        let starts_at = expand(&rule, time_zone, requested_start, &request.except_on)?
            .after(requested_start.with_timezone(&rrule::Tz::Tz(time_zone)))
            .all(1)
            .dates
            .first()
            .map(|first| first.with_timezone(&Utc))
            .ok_or_else(|| ValidationError::new("rule", "the rule gives no session"))?;
        if starts_at < now {
            return Err(ValidationError::new(
                "startsOn",
                "a series starts with a session still to come",
            ));
        }
        let duration = Duration::minutes(i64::from(request.duration_minutes));
        let checked = Schedule::parse(
            request.title,
            starts_at,
            starts_at + duration,
            time_zone.name(),
            request.location,
            request.online_url,
        )?;
        let mut except_on = request.except_on;
        except_on.sort();
        except_on.dedup();
        Ok(Self {
            title: checked.title,
            rule,
            time_zone,
            starts_at,
            duration_minutes: request.duration_minutes,
            except_on,
            location: checked.location,
            online_url: checked.online_url,
        })
    }
}

impl MeetingSeries {
    /// The zone the series is read in ([`words::TIME_ZONE`] should the stored name be
    /// unreadable, which validation prevents).
    pub fn zone(&self) -> Tz {
        self.time_zone.trim().parse().unwrap_or(words::TIME_ZONE)
    }

    /// The `UID` every session of the series carries in calendars.
    pub fn calendar_uid(&self) -> String {
        series_uid(self.id)
    }

    pub fn duration(&self) -> Duration {
        Duration::minutes(i64::from(self.duration_minutes))
    }

    /// The starts the rule gives from `from` to `to` (both included), without the
    /// `EXDATE`s: the `recurrence_id`s of the sessions the series stands for.
    pub fn occurrences(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, ValidationError> {
        let zone = self.zone();
        let set = expand(&self.rule, zone, self.starts_at, &self.except_on)?;
        let local = |at: DateTime<Utc>| at.with_timezone(&rrule::Tz::Tz(zone));
        Ok(set
            .after(local(from))
            .before(local(to))
            .all(MAX_OCCURRENCES)
            .dates
            .iter()
            .map(|at| at.with_timezone(&Utc))
            .collect())
    }

    /// The `EXDATE`s given when the series was scheduled, as the starts they take away.
    pub fn exceptions(&self) -> Vec<DateTime<Utc>> {
        let zone = self.zone();
        let time = self.starts_at.with_timezone(&zone).time();
        self.except_on
            .iter()
            .filter_map(|day| local_instant(zone, *day, time))
            .collect()
    }

    /// The session the series holds at `recurrence_id`, before any change of its own.
    pub fn occurrence(&self, recurrence_id: DateTime<Utc>) -> Schedule {
        Schedule {
            title: self.title.clone(),
            starts_at: recurrence_id,
            ends_at: recurrence_id + self.duration(),
            time_zone: self.zone(),
            location: self.location.clone(),
            online_url: self.online_url.clone(),
        }
    }

    /// The series ended just before its session at `recurrence_id` ("this and
    /// following"): `UNTIL` one second earlier, in UTC as RFC 5545 requires with a zoned
    /// `DTSTART`, in place of any `COUNT` or earlier `UNTIL`.
    pub fn ended_before(
        &self,
        recurrence_id: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Self, ValidationError> {
        if recurrence_id <= self.starts_at {
            return Err(ValidationError::new(
                "scope",
                "this is the series' first session: cancel the whole series with it",
            ));
        }
        let until = recurrence_id - Duration::seconds(1);
        let mut parts: Vec<String> = self
            .rule
            .split(';')
            .filter(|part| !(part.starts_with("COUNT=") || part.starts_with("UNTIL=")))
            .map(str::to_owned)
            .collect();
        parts.push(format!("UNTIL={}", until.format("%Y%m%dT%H%M%SZ")));
        let mut after = self.clone();
        after.rule = normalized_rule(&parts.join(";"))?;
        after.updated_at = now;
        after.version = self.version + 1;
        Ok(after)
    }
}

/// What "this and following" changes in a series: its sessions' local start, length,
/// title and place, from one session on.
#[derive(Debug, Clone)]
pub struct SeriesChange {
    pub title: String,
    pub start_time: NaiveTime,
    pub duration_minutes: i32,
    pub location: Option<String>,
    pub online_url: Option<String>,
    pub invited_agency_ids: Option<Vec<Uuid>>,
}

impl MeetingSeries {
    /// The series split at its session at `recurrence_id`: itself ended before it, and a
    /// new series `id` that goes on from that session's day with `change`, counting down
    /// what is left of a `COUNT`.
    pub fn split(
        &self,
        recurrence_id: DateTime<Utc>,
        change: SeriesChange,
        id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(Self, Self), ValidationError> {
        let ended = self.ended_before(recurrence_id, now)?;
        let zone = self.zone();
        let day = recurrence_id.with_timezone(&zone).date_naive();
        let starts_at = local_instant(zone, day, change.start_time).ok_or_else(|| {
            ValidationError::new("startsAt", "that time does not exist on the session's day")
        })?;
        let before = expand(&self.rule, zone, self.starts_at, &[])?
            .before((recurrence_id - Duration::seconds(1)).with_timezone(&rrule::Tz::Tz(zone)))
            .all(MAX_OCCURRENCES)
            .dates
            .len();
        let mut parts = Vec::new();
        for part in self.rule.split(';') {
            match part.strip_prefix("COUNT=") {
                Some(count) => {
                    let count: usize = count.parse().unwrap_or_default();
                    parts.push(format!("COUNT={}", count.saturating_sub(before).max(1)));
                }
                None => parts.push(part.to_owned()),
            }
        }
        let checked = Schedule::parse(
            &change.title,
            starts_at,
            starts_at + Duration::minutes(i64::from(change.duration_minutes)),
            zone.name(),
            change.location.as_deref(),
            change.online_url.as_deref(),
        )?;
        let continued = Self {
            id,
            title: checked.title,
            rule: normalized_rule(&parts.join(";"))?,
            starts_at,
            duration_minutes: change.duration_minutes,
            except_on: self
                .except_on
                .iter()
                .copied()
                .filter(|d| *d > day)
                .collect(),
            location: checked.location,
            online_url: checked.online_url,
            invited_agency_ids: change.invited_agency_ids,
            created_at: now,
            updated_at: now,
            version: 1,
            ..self.clone()
        };
        Ok((ended, continued))
    }

    /// The start, in the series, of its session on the day `at` falls on (in its zone).
    pub fn start_on_day_of(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let zone = self.zone();
        let time = self.starts_at.with_timezone(&zone).time();
        local_instant(zone, at.with_timezone(&zone).date_naive(), time)
    }
}

/// The calendar `UID` of series `id`.
pub fn series_uid(id: Uuid) -> String {
    format!("{id}@cmnp")
}

/// The rule as stored: upper case, without an `RRULE:` prefix, only the characters the
/// grammar uses, no finer than daily, and no `BYHOUR`, `BYMINUTE` or `BYSECOND` (the
/// series' start time is its sessions' time).
fn normalized_rule(text: &str) -> Result<String, ValidationError> {
    let text = text.trim().to_ascii_uppercase();
    let text = text.strip_prefix("RRULE:").unwrap_or(&text).to_owned();
    let invalid = |message: &str| ValidationError::new("rule", message);
    if text.is_empty() || text.len() > 500 {
        return Err(invalid("give a rule such as FREQ=MONTHLY;BYDAY=2TH"));
    }
    if !text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '=' | ';' | ',' | '+' | '-'))
    {
        return Err(invalid(
            "a rule holds only NAME=VALUE parts separated by semicolons",
        ));
    }
    for part in text.split(';') {
        let name = part.split('=').next().unwrap_or_default();
        if matches!(name, "BYHOUR" | "BYMINUTE" | "BYSECOND") {
            return Err(invalid(
                "the sessions' time is startTime; leave out BYHOUR, BYMINUTE and BYSECOND",
            ));
        }
    }
    let rule: RRule<Unvalidated> = text
        .parse()
        .map_err(|error: rrule::RRuleError| invalid(&error.to_string()))?;
    if matches!(
        rule.get_freq(),
        Frequency::Hourly | Frequency::Minutely | Frequency::Secondly
    ) {
        return Err(invalid("sessions recur at most daily"));
    }
    Ok(text)
}

/// The rule from `start`, in `zone`, without the sessions on `except_on`.
fn expand(
    rule: &str,
    zone: Tz,
    start: DateTime<Utc>,
    except_on: &[NaiveDate],
) -> Result<RRuleSet, ValidationError> {
    let start = start.with_timezone(&rrule::Tz::Tz(zone));
    let rule: RRule<Unvalidated> = rule
        .parse()
        .map_err(|error: rrule::RRuleError| ValidationError::new("rule", error.to_string()))?;
    let mut set = rule
        .build(start)
        .map_err(|error| ValidationError::new("rule", error.to_string()))?;
    let time = start.naive_local().time();
    for day in except_on {
        if let Some(at) = local_instant(zone, *day, time) {
            set = set.exdate(at.with_timezone(&rrule::Tz::Tz(zone)));
        }
    }
    Ok(set)
}

/// `day` at `time` in `zone` (the earlier instant when the clocks go back), or `None`
/// when the clocks skip that time.
fn local_instant(zone: Tz, day: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    zone.from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn request(rule: &str, starts_on: &str, zone: &str) -> SeriesRequest<'static> {
        SeriesRequest {
            title: "Sesión ordinaria",
            rule: Box::leak(rule.to_owned().into_boxed_str()),
            starts_on: starts_on.parse().unwrap(),
            start_time: "10:00",
            duration_minutes: 120,
            time_zone: Box::leak(zone.to_owned().into_boxed_str()),
            location: Some("MININTER"),
            online_url: None,
            except_on: Vec::new(),
        }
    }

    fn series(plan: SeriesPlan) -> MeetingSeries {
        let at = plan.starts_at;
        plan.into_series(Uuid::nil(), MeetingKind::Ordinary, None, at)
    }

    const NOW: &str = "2026-12-01T00:00:00Z";

    #[test]
    fn the_second_thursday_stays_at_ten_across_a_dst_change() {
        let plan = SeriesPlan::parse(
            request(
                "RRULE:freq=monthly;byday=2TH;count=4",
                "2027-01-01",
                "America/New_York",
            ),
            at(NOW),
        )
        .unwrap();
        assert_eq!(plan.rule, "FREQ=MONTHLY;BYDAY=2TH;COUNT=4");
        assert_eq!(plan.starts_at, at("2027-01-14T15:00:00Z"));
        let starts = series(plan)
            .occurrences(at(NOW), at("2028-01-01T00:00:00Z"))
            .unwrap();
        // New York moves to UTC-4 on 14 March 2027: 10:00 is 15:00 UTC before, 14:00 after.
        assert_eq!(
            starts,
            [
                at("2027-01-14T15:00:00Z"),
                at("2027-02-11T15:00:00Z"),
                at("2027-03-11T15:00:00Z"),
                at("2027-04-08T14:00:00Z"),
            ]
        );
    }

    #[test]
    fn the_thirty_first_skips_shorter_months_and_exceptions_are_left_out() {
        let mut asked = request("FREQ=MONTHLY;BYMONTHDAY=31", "2027-01-01", "America/Lima");
        asked.except_on = vec!["2027-03-31".parse().unwrap()];
        let series = series(SeriesPlan::parse(asked, at(NOW)).unwrap());
        let days: Vec<String> = series
            .occurrences(at(NOW), at("2027-08-01T00:00:00Z"))
            .unwrap()
            .iter()
            .map(|start| start.with_timezone(&series.zone()).date_naive().to_string())
            .collect();
        assert_eq!(days, ["2027-01-31", "2027-05-31", "2027-07-31"]);
        assert_eq!(series.exceptions(), [at("2027-03-31T15:00:00Z")]);
    }

    #[test]
    fn ending_before_a_session_keeps_the_earlier_ones() {
        let series = series(
            SeriesPlan::parse(
                request(
                    "FREQ=MONTHLY;BYDAY=2TH;COUNT=12",
                    "2027-01-01",
                    "America/Lima",
                ),
                at(NOW),
            )
            .unwrap(),
        );
        let ended = series
            .ended_before(at("2027-03-11T15:00:00Z"), at(NOW))
            .unwrap();
        assert_eq!(ended.rule, "FREQ=MONTHLY;BYDAY=2TH;UNTIL=20270311T145959Z");
        assert_eq!(ended.version, 2);
        let left = ended
            .occurrences(at(NOW), at("2028-01-01T00:00:00Z"))
            .unwrap();
        assert_eq!(
            left,
            [at("2027-01-14T15:00:00Z"), at("2027-02-11T15:00:00Z")]
        );
        assert_eq!(
            series
                .ended_before(series.starts_at, at(NOW))
                .unwrap_err()
                .field,
            "scope"
        );
    }

    #[test]
    fn splitting_goes_on_from_the_session_with_what_is_left_of_the_count() {
        let series = series(
            SeriesPlan::parse(
                request(
                    "FREQ=MONTHLY;BYDAY=2TH;COUNT=4",
                    "2027-01-01",
                    "America/New_York",
                ),
                at(NOW),
            )
            .unwrap(),
        );
        let change = SeriesChange {
            title: "Sesión vespertina".into(),
            start_time: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
            duration_minutes: 60,
            location: Some("MININTER".into()),
            online_url: None,
            invited_agency_ids: None,
        };
        let (ended, continued) = series
            .split(
                at("2027-02-11T15:00:00Z"),
                change,
                Uuid::from_u128(2),
                at(NOW),
            )
            .unwrap();
        assert_eq!(ended.rule, "FREQ=MONTHLY;BYDAY=2TH;UNTIL=20270211T145959Z");
        assert_eq!(continued.rule, "FREQ=MONTHLY;BYDAY=2TH;COUNT=3");
        assert_eq!(
            continued
                .occurrences(at(NOW), at("2028-01-01T00:00:00Z"))
                .unwrap(),
            [
                at("2027-02-11T20:00:00Z"),
                at("2027-03-11T20:00:00Z"),
                at("2027-04-08T19:00:00Z"),
            ]
        );
        assert_eq!(
            continued.start_on_day_of(at("2027-03-11T15:00:00Z")),
            Some(at("2027-03-11T20:00:00Z"))
        );
    }

    #[test]
    fn rules_are_checked_and_errors_name_their_field() {
        let cases = [
            (request("FREQ=HOURLY", "2027-01-01", "America/Lima"), "rule"),
            (
                request("FREQ=WEEKLY;BYHOUR=9", "2027-01-01", "America/Lima"),
                "rule",
            ),
            (
                request("FREQ=FORTNIGHTLY", "2027-01-01", "America/Lima"),
                "rule",
            ),
            (
                request("FREQ=DAILY\nX", "2027-01-01", "America/Lima"),
                "rule",
            ),
            (
                request(
                    "FREQ=MONTHLY;BYMONTHDAY=30;BYMONTH=2",
                    "2027-01-01",
                    "America/Lima",
                ),
                "rule",
            ),
            (
                request("FREQ=WEEKLY", "2026-01-01", "America/Lima"),
                "startsOn",
            ),
            (request("FREQ=WEEKLY", "2027-01-01", "Lima"), "timeZone"),
        ];
        for (asked, field) in cases {
            let rule = asked.rule;
            assert_eq!(
                SeriesPlan::parse(asked, at(NOW)).unwrap_err().field,
                field,
                "{rule}"
            );
        }
        let mut no_time = request("FREQ=WEEKLY", "2027-01-01", "America/Lima");
        no_time.start_time = "10h";
        assert_eq!(
            SeriesPlan::parse(no_time, at(NOW)).unwrap_err().field,
            "startTime"
        );
        let mut too_long = request("FREQ=WEEKLY", "2027-01-01", "America/Lima");
        too_long.duration_minutes = 0;
        assert_eq!(
            SeriesPlan::parse(too_long, at(NOW)).unwrap_err().field,
            "durationMinutes"
        );
    }
}
