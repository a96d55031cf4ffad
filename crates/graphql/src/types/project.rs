use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use cmnp_domain::project::{self, figures, percent_achieved};
use tokio::sync::OnceCell;

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::loaders::{ActionItemsOfProject, AgencyById, PartsOf, ReportsOf};
use crate::scalars::{Date, Decimal};
use crate::types::enums::{
    BudgetKind, BudgetStatus, IndicatorMeasure, ParticipantRole, ProjectStatus, ResultType,
    TransactionType,
};
use crate::types::{ActionItem, Agency, Document, Node, id};
use cmnp_domain::document::OwnerKind;
use cmnp_domain::node::NodeKind;

/// A funded project (an IATI activity). Its parts are loaded once per object: the money
/// figures, results and milestones all read them; its reports only when asked.
pub struct Project(project::Project, OnceCell<cmnp_store::ProjectParts>);

impl Project {
    pub(crate) fn reveal(ctx: &Context<'_>, value: project::Project) -> ApiResult<Self> {
        ctx.reveal(value)
            .map(|project| Self(project, OnceCell::new()))
    }

    pub(crate) fn reveal_if_visible(
        ctx: &Context<'_>,
        value: project::Project,
    ) -> ApiResult<Option<Self>> {
        Ok(ctx
            .reveal_if_visible(value)?
            .map(|project| Self(project, OnceCell::new())))
    }

    pub(crate) fn identifier_key(value: &project::Project) -> String {
        value.iati_identifier.clone()
    }

    async fn parts(&self, ctx: &Context<'_>) -> ApiResult<&cmnp_store::ProjectParts> {
        self.1
            .get_or_try_init(|| async {
                Ok(ctx
                    .loader()?
                    .load_one(PartsOf(self.0.id))
                    .await?
                    .unwrap_or_default())
            })
            .await
    }

    /// The part `part` of this project, of kind `kind`, as the project's own fields show
    /// it; `None` when it is not one of them.
    pub(crate) async fn part(
        &self,
        ctx: &Context<'_>,
        kind: NodeKind,
        part: uuid::Uuid,
    ) -> ApiResult<Option<Node>> {
        let parts = self.parts(ctx).await?;
        Ok(match kind {
            NodeKind::BudgetLine => parts
                .budget_lines
                .iter()
                .find(|line| line.id == part)
                .map(|line| Node::BudgetLine(BudgetLine(line.clone()))),
            NodeKind::Transaction => parts
                .transactions
                .iter()
                .find(|transaction| transaction.id == part)
                .map(|transaction| Node::Transaction(Transaction(transaction.clone()))),
            NodeKind::ProjectResult => results_of(parts)
                .into_iter()
                .find(|result| result.id == id(part))
                .map(Node::ProjectResult),
            NodeKind::Indicator => results_of(parts)
                .into_iter()
                .flat_map(|result| result.indicators)
                .find(|indicator| indicator.indicator.id == part)
                .map(Node::Indicator),
            NodeKind::Milestone => milestones_of(parts, ctx.settings()?.today())
                .into_iter()
                .find(|milestone| milestone.milestone.id == part)
                .map(Node::Milestone),
            _ => None,
        })
    }

    async fn figures(&self, ctx: &Context<'_>) -> ApiResult<project::Figures> {
        let parts = self.parts(ctx).await?;
        figures(
            &self.0,
            &parts.budget_lines,
            &parts.transactions,
            ctx.settings()?.today(),
        )
        .map_err(|mixed| ApiError::Conflict(mixed.to_string()))
    }
}

/// A project's results with their indicators and periods, as `results` shows them.
fn results_of(parts: &cmnp_store::ProjectParts) -> Vec<ProjectResult> {
    parts
        .results
        .iter()
        .map(|result| ProjectResult {
            id: id(result.id),
            kind: result.kind.into(),
            title: result.title.clone(),
            indicators: parts
                .indicators
                .iter()
                .filter(|i| i.result_id == result.id)
                .map(|i| Indicator {
                    indicator: i.clone(),
                    periods: parts
                        .periods
                        .iter()
                        .filter(|p| p.indicator_id == i.id)
                        .cloned()
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// A project's milestones, late or not on `today`.
fn milestones_of(parts: &cmnp_store::ProjectParts, today: chrono::NaiveDate) -> Vec<Milestone> {
    parts
        .milestones
        .iter()
        .cloned()
        .map(|m| Milestone {
            late: m.is_late(today),
            milestone: m,
        })
        .collect()
}

async fn agency(ctx: &Context<'_>, agency_id: uuid::Uuid) -> ApiResult<Option<Agency>> {
    ctx.loader()?
        .load_one(AgencyById(agency_id))
        .await?
        .map(|agency| Agency::reveal(ctx, agency))
        .transpose()
}

#[Object]
impl Project {
    pub(crate) async fn id(&self) -> ID {
        id(self.0.id)
    }

    async fn iati_identifier(&self) -> &str {
        &self.0.iati_identifier
    }

    async fn reporting_agency(&self, ctx: &Context<'_>) -> ApiResult<Option<Agency>> {
        agency(ctx, self.0.reporting_agency_id).await
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn status(&self) -> ProjectStatus {
        self.0.status.into()
    }

    /// ISO 4217 code every amount of the project is in.
    async fn currency(&self) -> &str {
        &self.0.currency
    }

    async fn planned_start(&self) -> Option<Date> {
        self.0.planned_start.map(Date)
    }

    async fn planned_end(&self) -> Option<Date> {
        self.0.planned_end.map(Date)
    }

    async fn actual_start(&self) -> Option<Date> {
        self.0.actual_start.map(Date)
    }

    async fn actual_end(&self) -> Option<Date> {
        self.0.actual_end.map(Date)
    }

    async fn regions(&self) -> &[String] {
        &self.0.regions
    }

    /// OECD DAC 5-digit purpose codes.
    async fn sectors(&self) -> &[String] {
        &self.0.sectors
    }

    async fn participants(&self) -> Vec<ProjectParticipant> {
        self.0
            .participants
            .iter()
            .map(|p| ProjectParticipant(*p))
            .collect()
    }

    /// The current budget: for each period its revised line, else its original.
    async fn budget(&self, ctx: &Context<'_>) -> ApiResult<Decimal> {
        Ok(Decimal(self.figures(ctx).await?.budget))
    }

    async fn committed(&self, ctx: &Context<'_>) -> ApiResult<Decimal> {
        Ok(Decimal(self.figures(ctx).await?.committed))
    }

    async fn disbursed(&self, ctx: &Context<'_>) -> ApiResult<Decimal> {
        Ok(Decimal(self.figures(ctx).await?.disbursed))
    }

    async fn spent(&self, ctx: &Context<'_>) -> ApiResult<Decimal> {
        Ok(Decimal(self.figures(ctx).await?.spent))
    }

    /// Spent as a percentage of the budget; compare with `timeElapsed`.
    async fn burn_rate(&self, ctx: &Context<'_>) -> ApiResult<Option<Decimal>> {
        Ok(self.figures(ctx).await?.burn_rate.map(Decimal))
    }

    /// Percentage of the planned duration elapsed today.
    async fn time_elapsed(&self, ctx: &Context<'_>) -> ApiResult<Option<Decimal>> {
        Ok(self.figures(ctx).await?.time_elapsed.map(Decimal))
    }

    async fn budget_lines(&self, ctx: &Context<'_>) -> ApiResult<Vec<BudgetLine>> {
        Ok(self
            .parts(ctx)
            .await?
            .budget_lines
            .iter()
            .cloned()
            .map(BudgetLine)
            .collect())
    }

    /// Every transaction: a project records at most 1,000 (`recordTransaction` refuses
    /// more), so the list is bounded.
    async fn transactions(&self, ctx: &Context<'_>) -> ApiResult<Vec<Transaction>> {
        Ok(self
            .parts(ctx)
            .await?
            .transactions
            .iter()
            .cloned()
            .map(Transaction)
            .collect())
    }

    async fn results(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProjectResult>> {
        Ok(results_of(self.parts(ctx).await?))
    }

    async fn milestones(&self, ctx: &Context<'_>) -> ApiResult<Vec<Milestone>> {
        let today = ctx.settings()?.today();
        Ok(milestones_of(self.parts(ctx).await?, today))
    }

    async fn reports(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProjectReport>> {
        Ok(ctx
            .loader()?
            .load_one(ReportsOf(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(ProjectReport)
            .collect())
    }

    /// The project's documents (reports and other papers), oldest first; its reports
    /// are published in the IATI export as `document-link`s.
    async fn documents(&self, ctx: &Context<'_>) -> ApiResult<Vec<Document>> {
        Document::of(ctx, OwnerKind::Project, self.0.id).await
    }

    /// Action items linked to the project.
    async fn action_items(&self, ctx: &Context<'_>) -> ApiResult<Vec<ActionItem>> {
        let items = ctx
            .loader()?
            .load_one(ActionItemsOfProject(self.0.id))
            .await?
            .unwrap_or_default();
        items
            .into_iter()
            .map(|item| ActionItem::reveal(ctx, item))
            .collect()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Grows with every change to the project or its parts. Send it back as
    /// `expectedVersion` when updating the project.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// An agency taking part in a project, in an IATI role.
pub struct ProjectParticipant(project::Participant);

#[Object]
impl ProjectParticipant {
    async fn agency(&self, ctx: &Context<'_>) -> ApiResult<Option<Agency>> {
        agency(ctx, self.0.agency_id).await
    }

    async fn role(&self) -> ParticipantRole {
        self.0.role.into()
    }
}

pub struct BudgetLine(project::BudgetLine);

#[Object]
impl BudgetLine {
    pub(crate) async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn period_start(&self) -> Date {
        Date(self.0.period_start)
    }
    async fn period_end(&self) -> Date {
        Date(self.0.period_end)
    }
    async fn amount(&self) -> Decimal {
        Decimal(self.0.amount)
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn kind(&self) -> BudgetKind {
        self.0.kind.into()
    }
    async fn status(&self) -> BudgetStatus {
        self.0.status.into()
    }
}

pub struct Transaction(project::Transaction);

#[Object]
impl Transaction {
    pub(crate) async fn id(&self) -> ID {
        id(self.0.id)
    }
    #[graphql(name = "type")]
    async fn kind(&self) -> TransactionType {
        self.0.kind.into()
    }
    async fn date(&self) -> Date {
        Date(self.0.date)
    }
    async fn amount(&self) -> Decimal {
        Decimal(self.0.amount)
    }
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    async fn provider(&self, ctx: &Context<'_>) -> ApiResult<Option<Agency>> {
        match self.0.provider_agency_id {
            Some(agency_id) => agency(ctx, agency_id).await,
            None => Ok(None),
        }
    }
    async fn receiver(&self, ctx: &Context<'_>) -> ApiResult<Option<Agency>> {
        match self.0.receiver_agency_id {
            Some(agency_id) => agency(ctx, agency_id).await,
            None => Ok(None),
        }
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
}

/// A result (output, outcome or impact) of a project, with its indicators.
#[derive(SimpleObject)]
pub struct ProjectResult {
    #[graphql(owned)]
    pub id: ID,
    #[graphql(name = "type")]
    pub kind: ResultType,
    pub title: String,
    pub indicators: Vec<Indicator>,
}

pub struct Indicator {
    indicator: project::Indicator,
    periods: Vec<project::IndicatorPeriod>,
}

impl Indicator {
    /// The latest reported actual value.
    fn latest_actual(&self) -> Option<rust_decimal::Decimal> {
        self.periods.iter().rev().find_map(|p| p.actual)
    }
}

#[Object]
impl Indicator {
    pub(crate) async fn id(&self) -> ID {
        id(self.indicator.id)
    }
    async fn title(&self) -> &str {
        &self.indicator.title
    }
    async fn measure(&self) -> IndicatorMeasure {
        self.indicator.measure.into()
    }
    /// Whether higher values are better.
    async fn ascending(&self) -> bool {
        self.indicator.ascending
    }
    async fn baseline(&self) -> Decimal {
        Decimal(self.indicator.baseline)
    }
    async fn baseline_year(&self) -> Option<i32> {
        self.indicator.baseline_year
    }
    async fn target(&self) -> Decimal {
        Decimal(self.indicator.target)
    }
    /// The latest reported value.
    async fn actual(&self) -> Option<Decimal> {
        self.latest_actual().map(Decimal)
    }
    /// How far the latest value has moved from the baseline towards the target, in
    /// percent.
    async fn percent_achieved(&self) -> Option<Decimal> {
        self.latest_actual()
            .and_then(|actual| {
                percent_achieved(self.indicator.baseline, self.indicator.target, actual)
            })
            .map(Decimal)
    }
    /// Every reported period: an indicator reports on at most 240 (twenty years of
    /// months; `recordIndicatorProgress` refuses more), so the list is bounded.
    async fn periods(&self) -> Vec<IndicatorPeriod> {
        self.periods
            .iter()
            .map(|p| IndicatorPeriod {
                period_start: Date(p.period_start),
                period_end: Date(p.period_end),
                target: p.target.map(Decimal),
                actual: p.actual.map(Decimal),
                comment: p.comment.clone(),
                percent_achieved: p
                    .actual
                    .and_then(|actual| {
                        percent_achieved(
                            self.indicator.baseline,
                            p.target.unwrap_or(self.indicator.target),
                            actual,
                        )
                    })
                    .map(Decimal),
            })
            .collect()
    }
}

/// Target and actual of an indicator in one reporting period.
#[derive(SimpleObject)]
pub struct IndicatorPeriod {
    pub period_start: Date,
    pub period_end: Date,
    pub target: Option<Decimal>,
    pub actual: Option<Decimal>,
    pub comment: Option<String>,
    pub percent_achieved: Option<Decimal>,
}

pub struct Milestone {
    milestone: project::Milestone,
    late: bool,
}

#[Object]
impl Milestone {
    pub(crate) async fn id(&self) -> ID {
        id(self.milestone.id)
    }
    async fn title(&self) -> &str {
        &self.milestone.title
    }
    async fn planned_on(&self) -> Date {
        Date(self.milestone.planned_on)
    }
    async fn done_on(&self) -> Option<Date> {
        self.milestone.done_on.map(Date)
    }
    /// Not done and past its planned date.
    async fn late(&self) -> bool {
        self.late
    }
}

pub struct ProjectReport(project::ProjectReport);

#[Object]
impl ProjectReport {
    async fn period_start(&self) -> Date {
        Date(self.0.period_start)
    }
    async fn period_end(&self) -> Date {
        Date(self.0.period_end)
    }
    async fn narrative(&self) -> &str {
        &self.0.narrative
    }
    async fn risks(&self) -> Option<&str> {
        self.0.risks.as_deref()
    }
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.0.submitted_at
    }
}
