use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use cmnp_domain::ValidationError;
use cmnp_domain::action_item::{ActionItemUpdate, NewActionItem, check_planner};
use cmnp_domain::policy::Permission;
use cmnp_domain::working_days::{WorkingCalendar, due_date};

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::scalars::Date;
use crate::types::enums::ActionItemStatus;
use crate::types::{ActionItem, parse_id};

#[derive(Default)]
pub struct ActionItemMutations;

/// An action item to create with an agreement.
#[derive(InputObject)]
pub struct NewActionItemInput {
    pub title: String,
    pub description: Option<String>,
    pub responsible_agency_id: ID,
    pub supporting_agency_ids: Option<Vec<ID>>,
    /// The due date; give it or `dueInWorkingDays`.
    pub due_on: Option<Date>,
    /// The due date as a number of working days after a date.
    pub due_in_working_days: Option<DueInWorkingDaysInput>,
}

/// A due date counted in working days: Monday to Friday, less Peru's national holidays
/// and the secretariat's own days off (see `nonWorkingDays`). The day counted from is not
/// one of the days, and a count of zero on a day off gives the next working day.
#[derive(InputObject)]
pub struct DueInWorkingDaysInput {
    /// How many working days, from 0 to 2500.
    pub days: i32,
    /// The date counted from; today in the commission's time zone when absent.
    pub after: Option<Date>,
}

/// What due dates are read against: today, and the working calendar when a date is
/// given in working days (read once per request, and only then).
pub(crate) struct DueDates {
    today: NaiveDate,
    calendar: WorkingCalendar,
}

impl DueDates {
    pub(crate) async fn load(ctx: &Context<'_>, in_working_days: bool) -> ApiResult<Self> {
        let calendar = if in_working_days {
            ctx.store()?.working_calendar().await?
        } else {
            WorkingCalendar::national()
        };
        Ok(Self {
            today: ctx.settings()?.today(),
            calendar,
        })
    }

    /// The due date given as `dueOn` or `dueInWorkingDays`, if either is; errors name the
    /// field under `prefix`.
    fn read(
        &self,
        prefix: &str,
        due_on: Option<&Date>,
        in_working_days: Option<&DueInWorkingDaysInput>,
    ) -> ApiResult<Option<NaiveDate>> {
        due_date(
            due_on.map(|date| date.0),
            in_working_days.map(|due| (i64::from(due.days), due.after.as_ref().map(|d| d.0))),
            self.today,
            &self.calendar,
        )
        .map_err(|error| {
            let field = format!("{prefix}{}", error.field);
            ApiError::from(error.in_field(field))
        })
    }
}

impl NewActionItemInput {
    /// Validates the item; errors name the field under `prefix` ("actionItems[0].").
    pub(crate) fn parse(self, prefix: &str, due_dates: &DueDates) -> ApiResult<NewActionItem> {
        let field = |name: &str| format!("{prefix}{name}");
        let due_on = due_dates
            .read(
                prefix,
                self.due_on.as_ref(),
                self.due_in_working_days.as_ref(),
            )?
            .ok_or_else(|| {
                ApiError::bad_input(
                    field("dueOn"),
                    "give the due date as dueOn or dueInWorkingDays",
                )
            })?;
        let responsible = parse_id(&field("responsibleAgencyId"), &self.responsible_agency_id)?;
        let supporting = self
            .supporting_agency_ids
            .unwrap_or_default()
            .iter()
            .map(|id| parse_id(&field("supportingAgencyIds"), id))
            .collect::<ApiResult<Vec<_>>>()?;
        NewActionItem::parse(
            &self.title,
            self.description.as_deref(),
            responsible,
            supporting,
            due_on,
        )
        .map_err(|error: ValidationError| {
            let name = error.field.clone();
            ApiError::from(error.in_field(field(&name)))
        })
    }
}

#[derive(InputObject)]
pub struct CreateActionItemInput {
    pub title: String,
    pub description: Option<String>,
    pub responsible_agency_id: ID,
    pub supporting_agency_ids: Option<Vec<ID>>,
    /// The due date; give it or `dueInWorkingDays`.
    pub due_on: Option<Date>,
    /// The due date as a number of working days after a date.
    pub due_in_working_days: Option<DueInWorkingDaysInput>,
    pub agreement_id: Option<ID>,
    pub project_id: Option<ID>,
}

#[derive(InputObject)]
pub struct UpdateActionItemInput {
    pub id: ID,
    /// The `version` you read; a stale one gets CONFLICT and nothing changes.
    pub expected_version: i32,
    pub status: Option<ActionItemStatus>,
    pub progress_percent: Option<i32>,
    pub note: Option<String>,
    pub evidence_url: Option<String>,
    /// Secretariat only.
    pub due_on: Option<Date>,
    /// A new due date in working days, instead of `dueOn`. Secretariat only.
    pub due_in_working_days: Option<DueInWorkingDaysInput>,
    /// Secretariat only.
    pub responsible_agency_id: Option<ID>,
}

#[derive(InputObject)]
pub struct CancelActionItemInput {
    pub id: ID,
    pub expected_version: i32,
    pub reason: String,
}

#[derive(SimpleObject)]
pub struct ActionItemPayload {
    pub action_item: ActionItem,
}

#[Object]
impl ActionItemMutations {
    /// Creates an action item directly. Secretariat only.
    async fn create_action_item(
        &self,
        ctx: &Context<'_>,
        input: CreateActionItemInput,
    ) -> ApiResult<ActionItemPayload> {
        let actor = ctx.require(Permission::ManageActionItems)?;
        let agreement_id = input
            .agreement_id
            .as_ref()
            .map(|id| parse_id("agreementId", id))
            .transpose()?;
        let project_id = input
            .project_id
            .as_ref()
            .map(|id| parse_id("projectId", id))
            .transpose()?;
        let new = NewActionItemInput {
            title: input.title,
            description: input.description,
            responsible_agency_id: input.responsible_agency_id,
            supporting_agency_ids: input.supporting_agency_ids,
            due_on: input.due_on,
            due_in_working_days: input.due_in_working_days,
        };
        let due_dates = DueDates::load(ctx, new.due_in_working_days.is_some()).await?;
        let mut new = new.parse("", &due_dates)?;
        new.agreement_id = agreement_id;
        new.project_id = project_id;
        let item = ctx
            .store()?
            .create_action_item(Some(&actor), new, ctx.settings()?.today())
            .await?;
        Ok(ActionItemPayload {
            action_item: ActionItem::reveal(ctx, item)?,
        })
    }

    /// Updates status, progress, notes and evidence (the responsible agency; supporting
    /// agencies add notes and evidence), or plan fields (the secretariat).
    async fn update_action_item(
        &self,
        ctx: &Context<'_>,
        input: UpdateActionItemInput,
    ) -> ApiResult<ActionItemPayload> {
        let actor = ctx.require(Permission::UpdateActionItems)?;
        // The plan is the secretariat's: whoever else names a due date or a responsible
        // agency is refused before either is read.
        check_planner(
            input.due_on.is_some()
                || input.due_in_working_days.is_some()
                || input.responsible_agency_id.is_some(),
            &actor,
        )?;
        let id = parse_id("id", &input.id)?;
        let due_on = DueDates::load(ctx, input.due_in_working_days.is_some())
            .await?
            .read(
                "",
                input.due_on.as_ref(),
                input.due_in_working_days.as_ref(),
            )?;
        let update = ActionItemUpdate {
            status: input.status.map(Into::into),
            progress_percent: input.progress_percent,
            note: input.note,
            evidence_url: input.evidence_url,
            due_on,
            responsible_agency_id: input
                .responsible_agency_id
                .as_ref()
                .map(|id| parse_id("responsibleAgencyId", id))
                .transpose()?,
        };
        let item = ctx
            .store()?
            .update_action_item(
                &actor,
                id,
                input.expected_version,
                update,
                ctx.settings()?.today(),
            )
            .await?;
        Ok(ActionItemPayload {
            action_item: ActionItem::reveal(ctx, item)?,
        })
    }

    /// Cancels an action item, with a reason. Secretariat only.
    async fn cancel_action_item(
        &self,
        ctx: &Context<'_>,
        input: CancelActionItemInput,
    ) -> ApiResult<ActionItemPayload> {
        let actor = ctx.require(Permission::ManageActionItems)?;
        let item = ctx
            .store()?
            .cancel_action_item(
                &actor,
                parse_id("id", &input.id)?,
                input.expected_version,
                &input.reason,
            )
            .await?;
        Ok(ActionItemPayload {
            action_item: ActionItem::reveal(ctx, item)?,
        })
    }
}
