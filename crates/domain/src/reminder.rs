//! Reminder planning as rules over dates in the commission's time zone: which reminder an
//! upcoming meeting or due date calls for today, and when a digest schedule last fired.
//! A sweep applies these rules and plans each message under a dedupe key built from the
//! occurrence they name, so sweeps can repeat, overlap or catch up and plan nothing twice.

use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::ValidationError;
use crate::working_days::{WorkingCalendar, WorkingDays};

/// The furthest ahead a reminder may go out.
pub const MAX_OFFSET_DAYS: u32 = 90;

/// How far back a sweep looks for a digest it has not planned yet: a service that was
/// down at the scheduled hour sends that day's digest when it comes back, but not one
/// from last week.
pub fn digest_catch_up() -> Duration {
    Duration::hours(24)
}

/// The days before an event at which reminders go out ("7,1"), largest first, counted in
/// calendar days or, written "5wd,1wd", in working days. Empty means no reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offsets {
    days: Vec<u32>,
    count: DayCount,
}

/// What reminder offsets count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayCount {
    /// Every day.
    Calendar,
    /// The secretariat's working days ([`WorkingCalendar`]): a reminder one working day
    /// before a Monday goes out on the Friday.
    Working,
}

impl Default for Offsets {
    fn default() -> Self {
        Self {
            days: vec![7, 1],
            count: DayCount::Calendar,
        }
    }
}

/// The reminder an event calls for on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// The configured offset this reminder stands for.
    pub offset: u32,
    /// What the offset counts.
    pub count: DayCount,
    /// Calendar days from today to the event, which the message announces.
    pub days_before: i64,
    /// The event's date; a rescheduled event gets reminders of its own.
    pub event_on: NaiveDate,
}

impl Reminder {
    /// The occurrence part of the dedupe key: "7d:2026-12-10", or "5wd:2026-12-10" for an
    /// offset in working days.
    pub fn occurrence(&self) -> String {
        let unit = match self.count {
            DayCount::Calendar => "d",
            DayCount::Working => "wd",
        };
        format!("{}{unit}:{}", self.offset, self.event_on)
    }
}

impl Offsets {
    /// Reads a comma-separated list of whole days between 1 and [`MAX_OFFSET_DAYS`]: all
    /// calendar days ("7,1") or all working days ("5wd,1wd").
    pub fn parse(field: &str, text: &str) -> Result<Self, ValidationError> {
        let mut days = Vec::new();
        let mut counts = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (number, count) = match part.strip_suffix("wd") {
                Some(number) => (number.trim_end(), DayCount::Working),
                None => (part, DayCount::Calendar),
            };
            let day: u32 = number.parse().map_err(|_| {
                ValidationError::new(
                    field,
                    format!(
                        "{part:?} is not a whole number of days (write working days as \"5wd\")"
                    ),
                )
            })?;
            if !(1..=MAX_OFFSET_DAYS).contains(&day) {
                return Err(ValidationError::new(
                    field,
                    format!(
                        "reminders go out between 1 and {MAX_OFFSET_DAYS} days before (got {day})"
                    ),
                ));
            }
            days.push(day);
            counts.push(count);
        }
        counts.dedup();
        let count = match counts.as_slice() {
            [] => DayCount::Calendar,
            [count] => *count,
            _ => {
                return Err(ValidationError::new(
                    field,
                    format!(
                        "{text:?} mixes calendar days and working days: write all of them as days (\"7,1\") or all as working days (\"5wd,1wd\")"
                    ),
                ));
            }
        };
        days.sort_unstable_by(|a, b| b.cmp(a));
        days.dedup();
        Ok(Self { days, count })
    }

    pub fn days(&self) -> &[u32] {
        &self.days
    }

    /// How many calendar days after `today` an event may lie and still be due a reminder
    /// from today on (zero when there are none). In working days that reaches up to the
    /// day before the working day after the furthest offset, so that an event on a
    /// weekend or a holiday counts as well.
    pub fn reach(&self, today: NaiveDate, calendar: &WorkingCalendar) -> u32 {
        let Some(&furthest) = self.days.first() else {
            return 0;
        };
        match self.count {
            DayCount::Calendar => furthest,
            DayCount::Working => WorkingDays::parse("reach", i64::from(furthest) + 1)
                .and_then(|days| calendar.add_working_days(today, days))
                .ok()
                .and_then(|after| u32::try_from((after - today).num_days() - 1).ok())
                .unwrap_or(furthest),
        }
    }

    /// The reminder due on `today` for an event on `event_on`: the one whose day came
    /// most recently, while the event is still ahead. A sweep that missed days (the
    /// service was down) sends the latest reminder, never a pile of stale ones; on the
    /// event's own day there is none. Offsets in working days measure the distance as
    /// the working days after today up to and including the event's day.
    pub fn due(
        &self,
        event_on: NaiveDate,
        today: NaiveDate,
        calendar: &WorkingCalendar,
    ) -> Option<Reminder> {
        let days_before = (event_on - today).num_days();
        if days_before < 1 {
            return None;
        }
        let distance = match self.count {
            DayCount::Calendar => days_before,
            DayCount::Working => calendar.working_days_between(today, event_on),
        };
        self.days
            .iter()
            .rev()
            .find(|&&offset| i64::from(offset) >= distance)
            .map(|&offset| Reminder {
                offset,
                count: self.count,
                days_before,
                event_on,
            })
    }
}

/// A cron schedule, read in the commission's time zone.
#[derive(Debug, Clone)]
pub struct CronSchedule {
    expression: String,
    schedule: cron::Schedule,
}

impl PartialEq for CronSchedule {
    fn eq(&self, other: &Self) -> bool {
        self.expression == other.expression
    }
}

impl CronSchedule {
    /// Reads five fields as crontab has them (minute hour day month weekday), or six or
    /// seven with seconds first (and years last). Weekdays must be names (`Mon`,
    /// `Mon-Fri`): crontab counts Monday as 1 and the `cron` crate Sunday, so a number
    /// would mean different days to different readers.
    pub fn parse(field: &str, text: &str) -> Result<Self, ValidationError> {
        let expression = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut fields: Vec<&str> = expression.split(' ').collect();
        if fields.len() == 5 {
            fields.insert(0, "0");
        }
        if !(6..=7).contains(&fields.len()) {
            return Err(ValidationError::new(
                field,
                format!(
                    "{expression:?} is not a cron expression: give five fields (minute hour day month weekday), such as \"0 8 * * Mon\""
                ),
            ));
        }
        if fields
            .get(5)
            .is_some_and(|weekdays| weekdays.chars().any(|c| c.is_ascii_digit()))
        {
            return Err(ValidationError::new(
                field,
                format!("{expression:?}: write weekdays as names, such as Mon or Mon-Fri"),
            ));
        }
        let schedule = cron::Schedule::from_str(&fields.join(" ")).map_err(|error| {
            ValidationError::new(
                field,
                format!("{expression:?} is not a cron expression: {error}"),
            )
        })?;
        Ok(Self {
            expression,
            schedule,
        })
    }

    /// The expression as it was written.
    pub fn expression(&self) -> &str {
        &self.expression
    }

    /// The latest time the schedule fired at or before `now`, if that was within
    /// `window`.
    pub fn latest(&self, now: DateTime<Utc>, zone: Tz, window: Duration) -> Option<DateTime<Utc>> {
        self.schedule
            .after(&(now - window).with_timezone(&zone))
            .map(|at| at.with_timezone(&Utc))
            .take_while(|at| *at <= now)
            .last()
    }

    /// The first time the schedule fires after `now`.
    pub fn next_after(&self, now: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
        self.schedule
            .after(&now.with_timezone(&zone))
            .next()
            .map(|at| at.with_timezone(&Utc))
    }
}

/// The occurrence part of a digest's dedupe key: the local time it was scheduled for,
/// "2026-11-30T08:00".
pub fn digest_occurrence(fired_at: DateTime<Utc>, zone: Tz) -> String {
    fired_at
        .with_timezone(&zone)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

#[cfg(test)]
mod tests;
