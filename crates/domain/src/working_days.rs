//! Working days: the days the secretariat works, and deadlines counted in them. Peruvian
//! administrative deadlines run in working days ("días hábiles"), so a due date given as
//! "N working days after" a date skips Saturdays, Sundays, the national holidays and the
//! days the secretariat itself does not work.
//!
//! Counting follows the deadlines' own rule: the day a deadline starts from is not one of
//! its days, and a deadline whose last day is not a working day moves to the next one.

mod holidays;

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::ops::Bound;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use crate::representative::Language;
use crate::words::Named;
use crate::{ValidationError, text};

pub use holidays::{Holiday, easter_sunday, national_holidays};

/// The most working days a deadline may run for: about ten years, longer than any
/// deadline the commission sets, and few enough that counting them day by day is instant.
pub const MAX_WORKING_DAYS: u32 = 2_500;

/// How long the note on one of the secretariat's days off may be.
pub const NOTE_MAX_CHARS: usize = 200;

/// A number of working days a deadline runs for, from 0 to [`MAX_WORKING_DAYS`].
/// Deadlines run forward only, so a negative number is refused rather than counted back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WorkingDays(u32);

impl WorkingDays {
    /// Reads a number of working days as a client sends it.
    pub fn parse(field: &str, days: i64) -> Result<Self, ValidationError> {
        if days < 0 {
            return Err(ValidationError::new(
                field,
                format!("must not be negative (got {days})"),
            ));
        }
        u32::try_from(days)
            .ok()
            .filter(|days| *days <= MAX_WORKING_DAYS)
            .map(Self)
            .ok_or_else(|| {
                ValidationError::new(
                    field,
                    format!("must be at most {MAX_WORKING_DAYS} working days (got {days})"),
                )
            })
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// A day the secretariat does not work although the country does (a day off it grants, a
/// move of its offices), with the note that says why, in the words it was written in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretariatDayOff {
    date: NaiveDate,
    note: String,
}

impl SecretariatDayOff {
    pub fn new(date: NaiveDate, note: &str) -> Result<Self, ValidationError> {
        Ok(Self {
            date,
            note: text::required("note", note, NOTE_MAX_CHARS)?,
        })
    }

    /// A day off the secretariat declares now: as [`Self::new`], and refused when the
    /// country does not work that day anyway, since declaring it would change nothing.
    pub fn declare(date: NaiveDate, note: &str) -> Result<Self, ValidationError> {
        let day = Self::new(date, note)?;
        match WorkingCalendar::national().day_off(date) {
            Some(reason) => Err(ValidationError::new(
                "date",
                format!(
                    "{date} is not a working day already ({})",
                    reason.reason(Language::En)
                ),
            )),
            None => Ok(day),
        }
    }

    pub fn date(&self) -> NaiveDate {
        self.date
    }

    pub fn note(&self) -> &str {
        &self.note
    }
}

/// Why a day is not a working day. A day with several reasons reports the one a reader
/// learns most from: a national holiday before the weekend it falls on, and either of
/// those before a day off the secretariat also declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOff<'a> {
    Holiday(Holiday),
    Saturday,
    Sunday,
    Secretariat { note: &'a str },
}

impl<'a> DayOff<'a> {
    /// The reason as a person reads it: the holiday's or the weekday's name in `language`,
    /// or the secretariat's note as it was written.
    pub fn reason(self, language: Language) -> &'a str {
        let (es, en) = match self {
            DayOff::Holiday(holiday) => return holiday.name(language),
            DayOff::Secretariat { note } => return note,
            DayOff::Saturday => ("Sábado", "Saturday"),
            DayOff::Sunday => ("Domingo", "Sunday"),
        };
        match language {
            Language::Es => es,
            Language::En => en,
        }
    }
}

/// The days the secretariat works: Monday to Friday, except the national holidays and its
/// own days off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkingCalendar {
    /// The secretariat's own days off, with their notes.
    own_days_off: BTreeMap<NaiveDate, String>,
}

impl WorkingCalendar {
    /// The national calendar alone, without days off of the secretariat's own.
    pub fn national() -> Self {
        Self::default()
    }

    /// The national calendar with the secretariat's own days off. A date listed twice is
    /// refused, since one of its two notes would be silently lost.
    pub fn new(
        own_days_off: impl IntoIterator<Item = SecretariatDayOff>,
    ) -> Result<Self, ValidationError> {
        let mut days = BTreeMap::new();
        for SecretariatDayOff { date, note } in own_days_off {
            match days.entry(date) {
                Entry::Vacant(entry) => {
                    entry.insert(note);
                }
                Entry::Occupied(_) => {
                    return Err(ValidationError::new(
                        "date",
                        format!("{date} is already one of the secretariat's days off"),
                    ));
                }
            }
        }
        Ok(Self { own_days_off: days })
    }

    /// Why `date` is not a working day, or `None` when it is one.
    pub fn day_off(&self, date: NaiveDate) -> Option<DayOff<'_>> {
        if let Some(holiday) = Holiday::on(date) {
            return Some(DayOff::Holiday(holiday));
        }
        match date.weekday() {
            Weekday::Sat => Some(DayOff::Saturday),
            Weekday::Sun => Some(DayOff::Sunday),
            _ => self
                .own_days_off
                .get(&date)
                .map(|note| DayOff::Secretariat { note }),
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.day_off(date).is_none()
    }

    /// The date `days` working days after `start`: the day `start` itself is not counted,
    /// so one working day after a Friday is the Monday, if that is worked. Zero days give
    /// `start` when it is a working day and the next working day otherwise, as a deadline
    /// falling on a day off moves to the next working day. That is the one case where
    /// [`Self::working_days_between`] `start` and the result is not `days` but 1.
    ///
    /// A result past the last date chrono holds is refused under `workingDays` (a caller
    /// whose field has another name renames it with [`ValidationError::in_field`]).
    pub fn add_working_days(
        &self,
        start: NaiveDate,
        days: WorkingDays,
    ) -> Result<NaiveDate, ValidationError> {
        let beyond = || {
            ValidationError::new(
                "workingDays",
                format!(
                    "{} working days after {start} fall past the last date cmnp can hold",
                    days.get()
                ),
            )
        };
        let mut date = start;
        let mut left = days.get();
        if left == 0 {
            while !self.is_working_day(date) {
                date = date.succ_opt().ok_or_else(beyond)?;
            }
        }
        while left > 0 {
            date = date.succ_opt().ok_or_else(beyond)?;
            if self.is_working_day(date) {
                left -= 1;
            }
        }
        Ok(date)
    }

    /// How many working days lie after `from` up to and including `to`, the days
    /// [`Self::add_working_days`] steps through; when `to` comes before `from`, the count
    /// from `to` to `from`, negated. It is worked out from whole weeks and whole 400-year
    /// cycles rather than day by day, so any two dates chrono holds are compared at once.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            -self.working_days_after(to, from)
        } else {
            self.working_days_after(from, to)
        }
    }

    /// The working days in `(from, to]`, for `from <= to`: the weekdays, less the national
    /// holidays on weekdays, less the secretariat's days off that are neither.
    fn working_days_after(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (first, last) = (from.year(), to.year());
        let in_range = |year| {
            weekday_holidays(year)
                .filter(|date| from < *date && *date <= to)
                .map(|_| 1)
                .sum::<i64>()
        };
        let holidays = if first == last {
            in_range(first)
        } else {
            in_range(first) + in_range(last) + weekday_holidays_in_years(first + 1, last - 1)
        };
        let own_days_off: i64 = self
            .own_days_off
            .range((Bound::Excluded(from), Bound::Included(to)))
            .filter(|(date, _)| !is_weekend(**date) && Holiday::on(**date).is_none())
            .map(|_| 1)
            .sum();
        weekdays_after(from, to) - holidays - own_days_off
    }
}

/// The most days [`WorkingCalendar::days_off`] lists at once: three years.
pub const MAX_LISTED_DAYS: i64 = 3 * 366;

impl WorkingCalendar {
    /// The days from `from` to `to`, both included, that are not worked for a reason
    /// other than the weekend: the national holidays (also those on a weekend) and the
    /// secretariat's own days off. A span longer than [`MAX_LISTED_DAYS`] is refused
    /// under `to`, and one that ends before it starts under `from`.
    pub fn days_off(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, DayOff<'_>)>, ValidationError> {
        if to < from {
            return Err(ValidationError::new(
                "from",
                format!("must not come after `to` ({from} is after {to})"),
            ));
        }
        if (to - from).num_days() >= MAX_LISTED_DAYS {
            return Err(ValidationError::new(
                "to",
                format!("lists at most {MAX_LISTED_DAYS} days at once"),
            ));
        }
        Ok(from
            .iter_days()
            .take_while(|date| *date <= to)
            .filter_map(|date| match self.day_off(date) {
                Some(DayOff::Saturday | DayOff::Sunday) | None => None,
                Some(reason) => Some((date, reason)),
            })
            .collect())
    }
}

/// A due date as a client gives it: a date (`dueOn`), or a number of working days after a
/// date (`dueInWorkingDays`), counted from `today` when no date is given. Both at once are
/// refused; neither gives `None`, which a caller that needs a due date refuses itself.
pub fn due_date(
    due_on: Option<NaiveDate>,
    in_working_days: Option<(i64, Option<NaiveDate>)>,
    today: NaiveDate,
    calendar: &WorkingCalendar,
) -> Result<Option<NaiveDate>, ValidationError> {
    match (due_on, in_working_days) {
        (Some(_), Some(_)) => Err(ValidationError::new(
            "dueInWorkingDays",
            "give either dueOn or dueInWorkingDays, not both",
        )),
        (due_on, None) => Ok(due_on),
        (None, Some((days, after))) => calendar
            .deadline("dueInWorkingDays.days", days, after.unwrap_or(today))
            .map(Some),
    }
}

impl WorkingCalendar {
    /// The date `days` working days after `after`, as a client asks for it: a count that
    /// is negative, too large or lands past the last date cmnp holds is refused under
    /// `field`.
    pub fn deadline(
        &self,
        field: &str,
        days: i64,
        after: NaiveDate,
    ) -> Result<NaiveDate, ValidationError> {
        self.add_working_days(after, WorkingDays::parse(field, days)?)
            .map_err(|error| error.in_field(field))
    }
}

/// The dates of `year`'s national holidays that fall on a weekday.
fn weekday_holidays(year: i32) -> impl Iterator<Item = NaiveDate> {
    national_holidays(year)
        .into_iter()
        .map(|(date, _)| date)
        .filter(|date| !is_weekend(*date))
}

/// How many national holidays fall on weekdays in the whole years `first..=last`. A year's
/// number depends only on the weekdays of its fixed dates, since Holy Thursday and Good
/// Friday are weekdays whatever the date of Easter, and the Gregorian calendar repeats its
/// weekdays every 400 years (146,097 days, a whole number of weeks). So one cycle is counted
/// and multiplied, and only the years left over are counted one by one.
fn weekday_holidays_in_years(first: i32, last: i32) -> i64 {
    let in_year = |year: i64| {
        i32::try_from(year).map_or(0, |year| weekday_holidays(year).map(|_| 1).sum::<i64>())
    };
    let (first, last) = (i64::from(first), i64::from(last));
    let cycles = (last - first + 1).max(0) / 400;
    let cycle: i64 = if cycles > 0 {
        (first..first + 400).map(in_year).sum()
    } else {
        0
    };
    let left_over: i64 = (first + cycles * 400..=last).map(in_year).sum();
    cycles * cycle + left_over
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The Mondays to Fridays in `(from, to]`: five in each whole week, and those among the
/// days left over.
fn weekdays_after(from: NaiveDate, to: NaiveDate) -> i64 {
    let days = to.signed_duration_since(from).num_days();
    let first = i64::from(from.weekday().num_days_from_monday()) + 1;
    let left_over: i64 = (0..days % 7)
        .filter(|offset| (first + offset) % 7 < 5)
        .map(|_| 1)
        .sum();
    days / 7 * 5 + left_over
}

#[cfg(test)]
mod tests;
