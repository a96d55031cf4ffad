//! The working calendar: which days are not worked, and deadlines counted in working days.

use async_graphql::{Context, Enum, Object, SimpleObject};
use cmnp_domain::representative::Language;
use cmnp_domain::working_days::DayOff;

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::scalars::Date;

#[derive(Default)]
pub struct WorkingDaysQuery;

/// Why a weekday is not worked.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum NonWorkingDayKind {
    /// A national holiday of Peru (a holiday on a weekend is listed too).
    NationalHoliday,
    /// A day off the secretariat declared with `addNonWorkingDay`.
    Secretariat,
}

/// A day that deadlines in working days skip, other than a plain Saturday or Sunday.
#[derive(SimpleObject)]
pub struct NonWorkingDay {
    pub date: Date,
    pub kind: NonWorkingDayKind,
    /// The holiday's name in Spanish, or the secretariat's note as it was written.
    pub reason: String,
    /// The holiday's name in English, or the secretariat's note as it was written.
    pub reason_en: String,
}

impl NonWorkingDay {
    pub(crate) fn new(date: chrono::NaiveDate, day_off: DayOff<'_>) -> Self {
        Self {
            date: Date(date),
            kind: match day_off {
                DayOff::Secretariat { .. } => NonWorkingDayKind::Secretariat,
                DayOff::Holiday(_) | DayOff::Saturday | DayOff::Sunday => {
                    NonWorkingDayKind::NationalHoliday
                }
            },
            reason: day_off.reason(Language::Es).to_owned(),
            reason_en: day_off.reason(Language::En).to_owned(),
        }
    }
}

#[Object]
impl WorkingDaysQuery {
    /// The national holidays and the secretariat's days off from `from` to `to`, both
    /// included and at most three years apart, by date. Weekends are not listed.
    async fn non_working_days(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> ApiResult<Vec<NonWorkingDay>> {
        ctx.actor()?;
        let calendar = ctx.store()?.working_calendar().await?;
        Ok(calendar
            .days_off(from.0, to.0)
            .map_err(ApiError::from)?
            .into_iter()
            .map(|(date, day_off)| NonWorkingDay::new(date, day_off))
            .collect())
    }

    /// The date `days` working days after `after` (today in the commission's time zone
    /// when absent), which is not itself counted: the due date `dueInWorkingDays` gives.
    async fn working_days_after(
        &self,
        ctx: &Context<'_>,
        days: i32,
        after: Option<Date>,
    ) -> ApiResult<Date> {
        ctx.actor()?;
        let calendar = ctx.store()?.working_calendar().await?;
        let after = match after {
            Some(date) => date.0,
            None => ctx.settings()?.today(),
        };
        Ok(Date(
            calendar
                .deadline("days", i64::from(days), after)
                .map_err(ApiError::from)?,
        ))
    }
}
