use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use cmnp_domain::policy::{Permission, check_target_setter};
use cmnp_domain::project::{
    IndicatorFields, MoneyInput, NewBudgetLine, NewTransaction, PeriodFields, ProjectFields,
};

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::mutation::patch;
use crate::scalars::{Date, Decimal};
use crate::types::enums::{
    BudgetKind, BudgetStatus, IndicatorMeasure, ParticipantRole, ProjectStatus, ResultType,
    TransactionType,
};
use crate::types::{Project, parse_id};

#[derive(Default)]
pub struct ProjectMutations;

#[derive(InputObject)]
pub struct CreateProjectInput {
    /// The reporting organisation's IATI reference, a hyphen and the project's own id.
    pub iati_identifier: String,
    /// The agency that reports the project (it needs an IATI reference); default: the
    /// agency whose reference starts the identifier.
    pub reporting_agency_id: Option<ID>,
    pub title: String,
    pub description: Option<String>,
    /// Default: PIPELINE.
    pub status: Option<ProjectStatus>,
    /// ISO 4217.
    pub currency: String,
    pub planned_start: Option<Date>,
    pub planned_end: Option<Date>,
    pub actual_start: Option<Date>,
    pub actual_end: Option<Date>,
    pub regions: Option<Vec<String>>,
    /// OECD DAC 5-digit purpose codes.
    pub sectors: Option<Vec<String>>,
}

/// Changes to a project: absent fields stay, `null` clears an optional one.
#[derive(InputObject)]
pub struct UpdateProjectInput {
    pub id: ID,
    /// The project's `version` as read; a change against an older one answers
    /// `CONFLICT`. Without it the change is not checked.
    pub expected_version: Option<i32>,
    /// Only while the project is in PIPELINE.
    pub iati_identifier: Option<String>,
    pub title: Option<String>,
    pub description: MaybeUndefined<String>,
    pub status: Option<ProjectStatus>,
    /// Only before any money is recorded.
    pub currency: Option<String>,
    pub planned_start: MaybeUndefined<Date>,
    pub planned_end: MaybeUndefined<Date>,
    pub actual_start: MaybeUndefined<Date>,
    pub actual_end: MaybeUndefined<Date>,
    pub regions: Option<Vec<String>>,
    pub sectors: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct AddProjectParticipantInput {
    pub project_id: ID,
    pub agency_id: ID,
    pub role: ParticipantRole,
}

#[derive(InputObject)]
pub struct AddBudgetLineInput {
    pub project_id: ID,
    pub period_start: Date,
    pub period_end: Date,
    pub amount: Decimal,
    /// Default: the project's; another currency is refused.
    pub currency: Option<String>,
    /// Default: ORIGINAL.
    pub kind: Option<BudgetKind>,
    /// Default: COMMITTED.
    pub status: Option<BudgetStatus>,
}

#[derive(InputObject)]
pub struct RecordTransactionInput {
    pub project_id: ID,
    #[graphql(name = "type")]
    pub kind: TransactionType,
    pub date: Date,
    pub amount: Decimal,
    pub currency: Option<String>,
    pub provider_agency_id: Option<ID>,
    pub receiver_agency_id: Option<ID>,
    pub description: Option<String>,
}

#[derive(InputObject)]
pub struct AddResultInput {
    pub project_id: ID,
    #[graphql(name = "type")]
    pub kind: ResultType,
    pub title: String,
}

#[derive(InputObject)]
pub struct AddIndicatorInput {
    pub result_id: ID,
    pub title: String,
    pub measure: IndicatorMeasure,
    /// Whether higher is better; default true.
    pub ascending: Option<bool>,
    pub baseline: Decimal,
    pub baseline_year: Option<i32>,
    pub target: Decimal,
}

#[derive(InputObject)]
pub struct RecordIndicatorProgressInput {
    pub indicator_id: ID,
    pub period_start: Date,
    pub period_end: Date,
    pub target: Option<Decimal>,
    pub actual: Option<Decimal>,
    pub comment: Option<String>,
}

#[derive(InputObject)]
pub struct AddMilestoneInput {
    pub project_id: ID,
    pub title: String,
    pub planned_on: Date,
}

#[derive(InputObject)]
pub struct CompleteMilestoneInput {
    pub id: ID,
    pub done_on: Date,
}

#[derive(InputObject)]
pub struct SubmitProjectReportInput {
    pub project_id: ID,
    pub period_start: Date,
    pub period_end: Date,
    /// Progress in the period.
    pub narrative: String,
    pub risks: Option<String>,
}

/// The project after the change.
#[derive(SimpleObject)]
pub struct ProjectPayload {
    pub project: Project,
}

/// The project as the store returned it after the change, checked against its reader.
fn payload(ctx: &Context<'_>, project: cmnp_domain::project::Project) -> ApiResult<ProjectPayload> {
    Ok(ProjectPayload {
        project: Project::reveal(ctx, project)?,
    })
}

fn date(value: Option<Date>) -> Option<chrono::NaiveDate> {
    value.map(|d| d.0)
}

#[Object]
impl ProjectMutations {
    /// Records a funded project. Secretariat only.
    async fn create_project(
        &self,
        ctx: &Context<'_>,
        input: CreateProjectInput,
    ) -> ApiResult<ProjectPayload> {
        let actor = ctx.require(Permission::ManageProjects)?;
        let fields = ProjectFields {
            iati_identifier: input.iati_identifier,
            reporting_agency_id: input
                .reporting_agency_id
                .as_ref()
                .map(|id| parse_id("reportingAgencyId", id))
                .transpose()?,
            title: input.title,
            description: input.description,
            status: input.status.map(Into::into),
            currency: input.currency,
            planned_start: date(input.planned_start),
            planned_end: date(input.planned_end),
            actual_start: date(input.actual_start),
            actual_end: date(input.actual_end),
            regions: input.regions.unwrap_or_default(),
            sectors: input.sectors.unwrap_or_default(),
        };
        let project = ctx.store()?.create_project(Some(&actor), fields).await?;
        Ok(ProjectPayload {
            project: Project::reveal(ctx, project)?,
        })
    }

    /// Changes a project. Secretariat only.
    async fn update_project(
        &self,
        ctx: &Context<'_>,
        input: UpdateProjectInput,
    ) -> ApiResult<ProjectPayload> {
        let actor = ctx.require(Permission::ManageProjects)?;
        let id = parse_id("id", &input.id)?;
        let project = ctx
            .store()?
            .update_project(Some(&actor), id, input.expected_version, |mut fields| {
                if let Some(identifier) = input.iati_identifier {
                    fields.iati_identifier = identifier;
                }
                if let Some(title) = input.title {
                    fields.title = title;
                }
                if let Some(description) = patch(input.description, |v| v) {
                    fields.description = description;
                }
                if let Some(status) = input.status {
                    fields.status = Some(status.into());
                }
                if let Some(currency) = input.currency {
                    fields.currency = currency;
                }
                for (target, value) in [
                    (&mut fields.planned_start, input.planned_start),
                    (&mut fields.planned_end, input.planned_end),
                    (&mut fields.actual_start, input.actual_start),
                    (&mut fields.actual_end, input.actual_end),
                ] {
                    if let Some(day) = patch(value, |d| d.0) {
                        *target = day;
                    }
                }
                if let Some(regions) = input.regions {
                    fields.regions = regions;
                }
                if let Some(sectors) = input.sectors {
                    fields.sectors = sectors;
                }
                fields
            })
            .await?;
        Ok(ProjectPayload {
            project: Project::reveal(ctx, project)?,
        })
    }

    async fn add_project_participant(
        &self,
        ctx: &Context<'_>,
        input: AddProjectParticipantInput,
    ) -> ApiResult<ProjectPayload> {
        let actor = ctx.require(Permission::ManageProjects)?;
        let project_id = parse_id("projectId", &input.project_id)?;
        let project = ctx
            .store()?
            .add_project_participant(
                Some(&actor),
                project_id,
                parse_id("agencyId", &input.agency_id)?,
                input.role.into(),
            )
            .await?;
        payload(ctx, project)
    }

    async fn add_budget_line(
        &self,
        ctx: &Context<'_>,
        input: AddBudgetLineInput,
    ) -> ApiResult<ProjectPayload> {
        let actor = ctx.require(Permission::ManageProjects)?;
        let project_id = parse_id("projectId", &input.project_id)?;
        let money = MoneyInput {
            amount: input.amount.0,
            currency: input.currency,
        };
        let line = NewBudgetLine {
            period_start: input.period_start.0,
            period_end: input.period_end.0,
            money,
            kind: input
                .kind
                .map_or(cmnp_domain::project::BudgetKind::Original, Into::into),
            status: input
                .status
                .map_or(cmnp_domain::project::BudgetStatus::Committed, Into::into),
        };
        let project = ctx
            .store()?
            .add_budget_line(Some(&actor), project_id, line)
            .await?;
        payload(ctx, project)
    }

    /// Records a transaction of a project; a project records at most 1,000.
    async fn record_transaction(
        &self,
        ctx: &Context<'_>,
        input: RecordTransactionInput,
    ) -> ApiResult<ProjectPayload> {
        let actor = ctx.require(Permission::ManageProjects)?;
        let project_id = parse_id("projectId", &input.project_id)?;
        let provider = input
            .provider_agency_id
            .as_ref()
            .map(|id| parse_id("providerAgencyId", id))
            .transpose()?;
        let receiver = input
            .receiver_agency_id
            .as_ref()
            .map(|id| parse_id("receiverAgencyId", id))
            .transpose()?;
        let money = MoneyInput {
            amount: input.amount.0,
            currency: input.currency,
        };
        let project = ctx
            .store()?
            .record_transaction(
                Some(&actor),
                project_id,
                NewTransaction {
                    kind: input.kind.into(),
                    date: input.date.0,
                    money,
                    provider,
                    receiver,
                    description: input.description,
                },
            )
            .await?;
        payload(ctx, project)
    }

    async fn add_result(
        &self,
        ctx: &Context<'_>,
        input: AddResultInput,
    ) -> ApiResult<ProjectPayload> {
        let actor = ctx.require(Permission::ManageProjects)?;
        let project_id = parse_id("projectId", &input.project_id)?;
        let project = ctx
            .store()?
            .add_result(Some(&actor), project_id, input.kind.into(), &input.title)
            .await?;
        payload(ctx, project)
    }

    async fn add_indicator(
        &self,
        ctx: &Context<'_>,
        input: AddIndicatorInput,
    ) -> ApiResult<ProjectPayload> {
        let actor = ctx.require(Permission::ManageProjects)?;
        let fields = IndicatorFields::parse(
            &input.title,
            input.measure.into(),
            input.ascending,
            input.baseline.0,
            input.baseline_year,
            input.target.0,
        )?;
        let project = ctx
            .store()?
            .add_indicator(
                Some(&actor),
                parse_id("resultId", &input.result_id)?,
                fields,
            )
            .await?;
        payload(ctx, project)
    }

    /// Reports an indicator's value for a period. The secretariat and implementing
    /// agencies report. An indicator reports on at most 240 periods.
    async fn record_indicator_progress(
        &self,
        ctx: &Context<'_>,
        input: RecordIndicatorProgressInput,
    ) -> ApiResult<ProjectPayload> {
        let actor = ctx.require(Permission::ReportOnProjects)?;
        // Targets are the secretariat's to set: an implementer sending one is refused
        // before the target, or anything else, is read.
        check_target_setter(input.target.is_some(), &actor)?;
        let project = ctx
            .store()?
            .record_indicator_progress(
                &actor,
                parse_id("indicatorId", &input.indicator_id)?,
                |indicator| {
                    PeriodFields::parse(
                        indicator.measure,
                        input.period_start.0,
                        input.period_end.0,
                        input.target.map(|v| v.0),
                        input.actual.map(|v| v.0),
                        input.comment.as_deref(),
                    )
                },
            )
            .await?;
        payload(ctx, project)
    }

    async fn add_milestone(
        &self,
        ctx: &Context<'_>,
        input: AddMilestoneInput,
    ) -> ApiResult<ProjectPayload> {
        let actor = ctx.require(Permission::ReportOnProjects)?;
        let project_id = parse_id("projectId", &input.project_id)?;
        let project = ctx
            .store()?
            .add_milestone(&actor, project_id, &input.title, input.planned_on.0)
            .await?;
        payload(ctx, project)
    }

    async fn complete_milestone(
        &self,
        ctx: &Context<'_>,
        input: CompleteMilestoneInput,
    ) -> ApiResult<ProjectPayload> {
        let actor = ctx.require(Permission::ReportOnProjects)?;
        let project = ctx
            .store()?
            .complete_milestone(&actor, parse_id("id", &input.id)?, input.done_on.0)
            .await?;
        payload(ctx, project)
    }

    async fn submit_project_report(
        &self,
        ctx: &Context<'_>,
        input: SubmitProjectReportInput,
    ) -> ApiResult<ProjectPayload> {
        let actor = ctx.require(Permission::ReportOnProjects)?;
        let project_id = parse_id("projectId", &input.project_id)?;
        let project = ctx
            .store()?
            .submit_project_report(
                &actor,
                project_id,
                input.period_start.0,
                input.period_end.0,
                &input.narrative,
                input.risks.as_deref(),
            )
            .await?;
        payload(ctx, project)
    }
}
