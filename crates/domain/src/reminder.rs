//! Reminder planning as rules over dates in the commission's time zone: which reminder an
//! upcoming meeting or due date calls for today, and when a digest schedule last fired.
//! A sweep applies these rules and plans each message under a dedupe key built from the
//! occurrence they name, so sweeps can repeat, overlap or catch up and plan nothing twice.

use std::str::FromStr;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::ValidationError;

/// The furthest ahead a reminder may go out.
pub const MAX_OFFSET_DAYS: u32 = 90;

/// How far back a sweep looks for a digest it has not planned yet: a service that was
/// down at the scheduled hour sends that day's digest when it comes back, but not one
/// from last week.
pub fn digest_catch_up() -> Duration {
    Duration::hours(24)
}

/// The days before an event at which reminders go out ("7,1"), largest first. Empty
/// means no reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offsets(Vec<u32>);

impl Default for Offsets {
    fn default() -> Self {
        Self(vec![7, 1])
    }
}

/// The reminder an event calls for on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// The configured offset this reminder stands for.
    pub offset: u32,
    /// Days from today to the event, which the message announces.
    pub days_before: i64,
    /// The event's date; a rescheduled event gets reminders of its own.
    pub event_on: NaiveDate,
}

impl Reminder {
    /// The occurrence part of the dedupe key: "7d:2026-12-10".
    pub fn occurrence(&self) -> String {
        format!("{}d:{}", self.offset, self.event_on)
    }
}

impl Offsets {
    /// Reads a comma-separated list of whole days between 1 and [`MAX_OFFSET_DAYS`].
    pub fn parse(field: &str, text: &str) -> Result<Self, ValidationError> {
        let mut days = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let day: u32 = part.parse().map_err(|_| {
                ValidationError::new(field, format!("{part:?} is not a whole number of days"))
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
        }
        days.sort_unstable_by(|a, b| b.cmp(a));
        days.dedup();
        Ok(Self(days))
    }

    pub fn days(&self) -> &[u32] {
        &self.0
    }

    /// The furthest ahead any reminder goes out, in days (zero when there are none).
    pub fn furthest(&self) -> u32 {
        self.0.first().copied().unwrap_or(0)
    }

    /// The reminder due on `today` for an event on `event_on`: the one whose day came
    /// most recently, while the event is still ahead. A sweep that missed days (the
    /// service was down) sends the latest reminder, never a pile of stale ones; on the
    /// event's own day there is none.
    pub fn due(&self, event_on: NaiveDate, today: NaiveDate) -> Option<Reminder> {
        let days_before = (event_on - today).num_days();
        if days_before < 1 {
            return None;
        }
        self.0
            .iter()
            .rev()
            .find(|&&offset| i64::from(offset) >= days_before)
            .map(|&offset| Reminder {
                offset,
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
