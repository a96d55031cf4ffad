use async_graphql::{Context, InputObject, Object, SimpleObject};
use cmnp_domain::policy::Permission;
use cmnp_domain::working_days::SecretariatDayOff;

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::query::NonWorkingDay;
use crate::scalars::Date;

#[derive(Default)]
pub struct WorkingDayMutations;

#[derive(InputObject)]
pub struct AddNonWorkingDayInput {
    /// A weekday that is not a national holiday.
    pub date: Date,
    /// Why the secretariat does not work that day, as people will read it.
    pub note: String,
}

#[derive(InputObject)]
pub struct RemoveNonWorkingDayInput {
    pub date: Date,
}

#[derive(SimpleObject)]
pub struct NonWorkingDayPayload {
    /// The day off, as declared (or, after `removeNonWorkingDay`, as it was).
    pub non_working_day: NonWorkingDay,
}

#[Object]
impl WorkingDayMutations {
    /// Declares a day the secretariat does not work: deadlines given in working days
    /// from now on skip it. Secretariat only.
    async fn add_non_working_day(
        &self,
        ctx: &Context<'_>,
        input: AddNonWorkingDayInput,
    ) -> ApiResult<NonWorkingDayPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let day = SecretariatDayOff::declare(input.date.0, &input.note).map_err(ApiError::from)?;
        let day = ctx.store()?.add_non_working_day(&actor, day).await?;
        Ok(payload(&day))
    }

    /// Takes back one of the secretariat's days off. Due dates counted while it stood keep
    /// their dates. Secretariat only.
    async fn remove_non_working_day(
        &self,
        ctx: &Context<'_>,
        input: RemoveNonWorkingDayInput,
    ) -> ApiResult<NonWorkingDayPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let day = ctx
            .store()?
            .remove_non_working_day(&actor, input.date.0)
            .await?;
        Ok(payload(&day))
    }
}

fn payload(day: &SecretariatDayOff) -> NonWorkingDayPayload {
    NonWorkingDayPayload {
        non_working_day: NonWorkingDay::new(
            day.date(),
            cmnp_domain::working_days::DayOff::Secretariat { note: day.note() },
        ),
    }
}
