//! The parts of a project: budget lines and transactions, results with indicators and
//! their periods, milestones and narrative reports.

use chrono::{NaiveDate, Utc};
use cmnp_domain::ValidationError;
use cmnp_domain::audit::changes;
use cmnp_domain::live::Topic;
use cmnp_domain::policy::{Actor, check_reporter, check_target_setter};
use cmnp_domain::project::{
    BudgetLine, Indicator, IndicatorFields, IndicatorPeriod, MAX_PERIODS, MAX_TRANSACTIONS,
    Milestone, NewBudgetLine, NewTransaction, PeriodFields, Project, ProjectReport, ReportText,
    ResultRecord, ResultType, Transaction, check_room, part_title, transaction_description,
};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{
    budget_line, indicator, indicator_period, milestone, project_report, result, transaction,
};
use crate::error::column;
use crate::meetings::require_agencies;
use crate::projects::{lock, touch};
use crate::{Store, StoreError};

/// What is recorded under some projects, each list in a stable order: their money,
/// results and milestones. Narrative reports, long and seldom asked for together with
/// the rest, are read on their own ([`Store::project_reports`]).
#[derive(Debug, Clone, Default)]
pub struct ProjectParts {
    pub budget_lines: Vec<BudgetLine>,
    pub transactions: Vec<Transaction>,
    pub results: Vec<ResultRecord>,
    pub indicators: Vec<Indicator>,
    pub periods: Vec<IndicatorPeriod>,
    pub milestones: Vec<Milestone>,
}

impl Store {
    pub async fn add_budget_line(
        &self,
        actor: Option<&Actor>,
        project_id: Uuid,
        line: NewBudgetLine,
    ) -> Result<Project, StoreError> {
        let NewBudgetLine {
            period_start,
            period_end,
            money,
            kind,
            status,
        } = line;
        self.change_project(
            actor,
            project_id,
            "project.budget.add",
            async |txn, project| {
                cmnp_domain::project::period(Some(period_start), Some(period_end), "periodEnd")?;
                let (value, currency) = money.in_currency_of(project)?;
                let line = budget_line::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    project_id: Set(project_id),
                    period_start: Set(period_start),
                    period_end: Set(period_end),
                    amount: Set(value.to_string()),
                    currency: Set(currency),
                    kind: Set(kind.as_str().to_owned()),
                    status: Set(status.as_str().to_owned()),
                }
                .insert(txn)
                .await?;
                Ok(added("budgetLine", &budget_to_domain(line)?))
            },
        )
        .await
    }

    pub async fn record_transaction(
        &self,
        actor: Option<&Actor>,
        project_id: Uuid,
        record: NewTransaction,
    ) -> Result<Project, StoreError> {
        let NewTransaction {
            kind,
            date,
            money,
            provider,
            receiver,
            description,
        } = record;
        self.change_project(
            actor,
            project_id,
            "project.transaction.record",
            async |txn, project| {
                let recorded = transaction::Entity::find()
                    .filter(transaction::Column::ProjectId.eq(project_id))
                    .count(txn)
                    .await?;
                check_room(recorded, MAX_TRANSACTIONS, "projectId", "transactions")?;
                let (value, currency) = money.in_currency_of(project)?;
                if let Some(provider) = provider {
                    require_agencies(txn, vec![provider], "providerAgencyId").await?;
                }
                if let Some(receiver) = receiver {
                    require_agencies(txn, vec![receiver], "receiverAgencyId").await?;
                }
                let row = transaction::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    project_id: Set(project_id),
                    kind: Set(kind.as_str().to_owned()),
                    date: Set(date),
                    amount: Set(value.to_string()),
                    currency: Set(currency),
                    provider_agency_id: Set(provider),
                    receiver_agency_id: Set(receiver),
                    description: Set(transaction_description(description.as_deref())?),
                }
                .insert(txn)
                .await?;
                Ok(added("transaction", &transaction_to_domain(row)?))
            },
        )
        .await
    }

    pub async fn add_result(
        &self,
        actor: Option<&Actor>,
        project_id: Uuid,
        kind: ResultType,
        title: &str,
    ) -> Result<Project, StoreError> {
        let title = part_title(title)?;
        self.change_project(actor, project_id, "project.result.add", async |txn, _| {
            let row = result::ActiveModel {
                id: Set(Uuid::now_v7()),
                project_id: Set(project_id),
                kind: Set(kind.as_str().to_owned()),
                title: Set(title),
            }
            .insert(txn)
            .await?;
            Ok(added("result", &result_to_domain(row)?))
        })
        .await
    }

    pub async fn add_indicator(
        &self,
        actor: Option<&Actor>,
        result_id: Uuid,
        fields: IndicatorFields,
    ) -> Result<Project, StoreError> {
        let parent = result::Entity::find_by_id(result_id)
            .one(&self.db)
            .await?
            .ok_or_else(|| {
                ValidationError::new("resultId", format!("no result has id {result_id}"))
            })?;
        self.change_project(
            actor,
            parent.project_id,
            "project.indicator.add",
            async |txn, _| {
                let row = indicator::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    result_id: Set(result_id),
                    title: Set(fields.title),
                    measure: Set(fields.measure.as_str().to_owned()),
                    ascending: Set(fields.ascending),
                    baseline: Set(fields.baseline.to_string()),
                    baseline_year: Set(fields.baseline_year),
                    target: Set(fields.target.to_string()),
                }
                .insert(txn)
                .await?;
                Ok(added("indicator", &indicator_to_domain(row)?))
            },
        )
        .await
    }

    /// Records an indicator's target and actual for a period (replacing what was recorded
    /// for the same period). The secretariat and implementing agencies report.
    pub async fn record_indicator_progress(
        &self,
        actor: &Actor,
        indicator_id: Uuid,
        fields: impl FnOnce(&Indicator) -> Result<PeriodFields, ValidationError>,
    ) -> Result<Project, StoreError> {
        let row = indicator::Entity::find_by_id(indicator_id)
            .one(&self.db)
            .await?
            .ok_or_else(|| {
                ValidationError::new("indicatorId", format!("no indicator has id {indicator_id}"))
            })?;
        let parent = result::Entity::find_by_id(row.result_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound("result"))?;
        let current = indicator_to_domain(row)?;
        self.report(
            actor,
            parent.project_id,
            "project.indicator.progress",
            async |txn, _| {
                let fields = fields(&current)?;
                check_target_setter(fields.target.is_some(), actor)?;
                let existing = indicator_period::Entity::find()
                    .filter(indicator_period::Column::IndicatorId.eq(indicator_id))
                    .filter(indicator_period::Column::PeriodStart.eq(fields.period_start))
                    .filter(indicator_period::Column::PeriodEnd.eq(fields.period_end))
                    .one(txn)
                    .await?;
                let before = existing.clone().map(period_to_domain).transpose()?;
                let period = match existing {
                    Some(row) => {
                        let mut active: indicator_period::ActiveModel = row.into();
                        if let Some(target) = fields.target {
                            active.target = Set(Some(target.to_string()));
                        }
                        if let Some(actual) = fields.actual {
                            active.actual = Set(Some(actual.to_string()));
                        }
                        if fields.comment.is_some() {
                            active.comment = Set(fields.comment);
                        }
                        active.update(txn).await?
                    }
                    None => {
                        let reported = indicator_period::Entity::find()
                            .filter(indicator_period::Column::IndicatorId.eq(indicator_id))
                            .count(txn)
                            .await?;
                        check_room(reported, MAX_PERIODS, "indicatorId", "periods")?;
                        indicator_period::ActiveModel {
                            id: Set(Uuid::now_v7()),
                            indicator_id: Set(indicator_id),
                            period_start: Set(fields.period_start),
                            period_end: Set(fields.period_end),
                            target: Set(fields.target.map(|v| v.to_string())),
                            actual: Set(fields.actual.map(|v| v.to_string())),
                            comment: Set(fields.comment),
                        }
                        .insert(txn)
                        .await?
                    }
                };
                let after = period_to_domain(period)?;
                Ok(changes(before.as_ref(), Some(&after)))
            },
        )
        .await
    }

    pub async fn add_milestone(
        &self,
        actor: &Actor,
        project_id: Uuid,
        title: &str,
        planned_on: NaiveDate,
    ) -> Result<Project, StoreError> {
        self.report(
            actor,
            project_id,
            "project.milestone.add",
            async |txn, _| {
                let title = part_title(title)?;
                let row = milestone::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    project_id: Set(project_id),
                    title: Set(title),
                    planned_on: Set(planned_on),
                    done_on: Set(None),
                }
                .insert(txn)
                .await?;
                Ok(added("milestone", &milestone_to_domain(row)))
            },
        )
        .await
    }

    pub async fn complete_milestone(
        &self,
        actor: &Actor,
        milestone_id: Uuid,
        done_on: NaiveDate,
    ) -> Result<Project, StoreError> {
        let row = milestone::Entity::find_by_id(milestone_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound("milestone"))?;
        self.report(
            actor,
            row.project_id,
            "project.milestone.complete",
            async |txn, _| {
                let before = milestone_to_domain(row.clone());
                let mut active: milestone::ActiveModel = row.into();
                active.done_on = Set(Some(done_on));
                let after = milestone_to_domain(active.update(txn).await?);
                Ok(changes(Some(&before), Some(&after)))
            },
        )
        .await
    }

    pub async fn submit_project_report(
        &self,
        actor: &Actor,
        project_id: Uuid,
        period_start: NaiveDate,
        period_end: NaiveDate,
        narrative: &str,
        risks: Option<&str>,
    ) -> Result<Project, StoreError> {
        self.report(
            actor,
            project_id,
            "project.report.submit",
            async |txn, _| {
                let ReportText { narrative, risks } =
                    ReportText::check(period_start, period_end, narrative, risks)?;
                let row = project_report::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    project_id: Set(project_id),
                    period_start: Set(period_start),
                    period_end: Set(period_end),
                    narrative: Set(narrative),
                    risks: Set(risks),
                    submitted_at: Set(Utc::now()),
                }
                .insert(txn)
                .await?;
                crate::live::announce(
                    txn,
                    row.submitted_at,
                    crate::live::Announcement {
                        topic: Topic::ProjectReported,
                        action: "project.report.submit",
                        object_id: project_id,
                        detail: serde_json::json!({
                            "kind": "NARRATIVE",
                            "reportId": row.id,
                            "periodStart": row.period_start,
                            "periodEnd": row.period_end,
                        }),
                    },
                )
                .await?;
                Ok(added("report", &report_to_domain(row)))
            },
        )
        .await
    }

    /// A change by someone who reports on the project: the secretariat or an implementer.
    /// Whether the actor reports on it is decided before `change` runs, so that `change`
    /// validates the values only for those who may make it: others are refused whatever
    /// they sent.
    async fn report(
        &self,
        actor: &Actor,
        project_id: Uuid,
        action: &str,
        change: impl AsyncFnOnce(
            &sea_orm::DatabaseTransaction,
            &Project,
        ) -> Result<serde_json::Value, StoreError>,
    ) -> Result<Project, StoreError> {
        self.change_project(Some(actor), project_id, action, async |txn, project| {
            check_reporter(project, actor)?;
            change(txn, project).await
        })
        .await
    }

    /// Runs `change` on a locked project in one transaction with its audit event, and
    /// returns the project as the change left it.
    pub(crate) async fn change_project(
        &self,
        actor: Option<&Actor>,
        project_id: Uuid,
        action: &str,
        change: impl AsyncFnOnce(
            &sea_orm::DatabaseTransaction,
            &Project,
        ) -> Result<serde_json::Value, StoreError>,
    ) -> Result<Project, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let project = lock(&txn, project_id).await?;
        let recorded = change(&txn, &project).await?;
        touch(&txn, project_id, now).await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action,
                object_type: "project",
                object_id: project_id,
                changes: recorded,
            },
        )
        .await?;
        let after = lock(&txn, project_id).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Everything recorded under these projects.
    pub async fn project_parts(&self, project_ids: &[Uuid]) -> Result<ProjectParts, StoreError> {
        let ids = || project_ids.iter().copied();
        let db = &self.db;
        let results: Vec<ResultRecord> = result::Entity::find()
            .filter(result::Column::ProjectId.is_in(ids()))
            .order_by_asc(result::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(result_to_domain)
            .collect::<Result<_, _>>()?;
        let indicators: Vec<Indicator> = indicator::Entity::find()
            .filter(indicator::Column::ResultId.is_in(results.iter().map(|r| r.id)))
            .order_by_asc(indicator::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(indicator_to_domain)
            .collect::<Result<_, _>>()?;
        let periods = indicator_period::Entity::find()
            .filter(indicator_period::Column::IndicatorId.is_in(indicators.iter().map(|i| i.id)))
            .order_by_asc(indicator_period::Column::PeriodStart)
            .order_by_asc(indicator_period::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(period_to_domain)
            .collect::<Result<_, _>>()?;
        Ok(ProjectParts {
            budget_lines: budget_line::Entity::find()
                .filter(budget_line::Column::ProjectId.is_in(ids()))
                .order_by_asc(budget_line::Column::PeriodStart)
                .order_by_asc(budget_line::Column::Id)
                .all(db)
                .await?
                .into_iter()
                .map(budget_to_domain)
                .collect::<Result<_, _>>()?,
            transactions: transaction::Entity::find()
                .filter(transaction::Column::ProjectId.is_in(ids()))
                .order_by_asc(transaction::Column::Date)
                .order_by_asc(transaction::Column::Id)
                .all(db)
                .await?
                .into_iter()
                .map(transaction_to_domain)
                .collect::<Result<_, _>>()?,
            results,
            indicators,
            periods,
            milestones: milestone::Entity::find()
                .filter(milestone::Column::ProjectId.is_in(ids()))
                .order_by_asc(milestone::Column::PlannedOn)
                .order_by_asc(milestone::Column::Id)
                .all(db)
                .await?
                .into_iter()
                .map(milestone_to_domain)
                .collect(),
        })
    }

    /// The narrative reports of these projects, by period.
    pub async fn project_reports(
        &self,
        project_ids: &[Uuid],
    ) -> Result<Vec<ProjectReport>, StoreError> {
        Ok(project_report::Entity::find()
            .filter(project_report::Column::ProjectId.is_in(project_ids.iter().copied()))
            .order_by_asc(project_report::Column::PeriodStart)
            .order_by_asc(project_report::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(report_to_domain)
            .collect())
    }
}

/// The audit record of a part added to a project, in the shape of `audit::changes`: the
/// part goes from nothing to its value.
pub(crate) fn added<T: serde::Serialize>(part: &str, value: &T) -> serde_json::Value {
    json!({ part: { "before": null, "after": value } })
}

/// Validates an amount and its currency against the project's.
fn decimal(text: &str, name: &str) -> Result<Decimal, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Internal(format!("unreadable amount in {name}")))
}

fn budget_to_domain(row: budget_line::Model) -> Result<BudgetLine, StoreError> {
    Ok(BudgetLine {
        id: row.id,
        project_id: row.project_id,
        period_start: row.period_start,
        period_end: row.period_end,
        amount: decimal(&row.amount, "budget_lines")?,
        currency: row.currency,
        kind: column(&row.kind, "budget_lines.kind")?,
        status: column(&row.status, "budget_lines.status")?,
    })
}

fn transaction_to_domain(row: transaction::Model) -> Result<Transaction, StoreError> {
    Ok(Transaction {
        id: row.id,
        project_id: row.project_id,
        kind: column(&row.kind, "transactions.kind")?,
        date: row.date,
        amount: decimal(&row.amount, "transactions")?,
        currency: row.currency,
        provider_agency_id: row.provider_agency_id,
        receiver_agency_id: row.receiver_agency_id,
        description: row.description,
    })
}

fn result_to_domain(row: result::Model) -> Result<ResultRecord, StoreError> {
    Ok(ResultRecord {
        id: row.id,
        project_id: row.project_id,
        kind: column(&row.kind, "results.kind")?,
        title: row.title,
    })
}

fn indicator_to_domain(row: indicator::Model) -> Result<Indicator, StoreError> {
    Ok(Indicator {
        id: row.id,
        result_id: row.result_id,
        title: row.title,
        measure: column(&row.measure, "indicators.measure")?,
        ascending: row.ascending,
        baseline: decimal(&row.baseline, "indicators.baseline")?,
        baseline_year: row.baseline_year,
        target: decimal(&row.target, "indicators.target")?,
    })
}

fn period_to_domain(row: indicator_period::Model) -> Result<IndicatorPeriod, StoreError> {
    Ok(IndicatorPeriod {
        id: row.id,
        indicator_id: row.indicator_id,
        period_start: row.period_start,
        period_end: row.period_end,
        target: row
            .target
            .as_deref()
            .map(|v| decimal(v, "indicator_periods.target"))
            .transpose()?,
        actual: row
            .actual
            .as_deref()
            .map(|v| decimal(v, "indicator_periods.actual"))
            .transpose()?,
        comment: row.comment,
    })
}

fn milestone_to_domain(row: milestone::Model) -> Milestone {
    Milestone {
        id: row.id,
        project_id: row.project_id,
        title: row.title,
        planned_on: row.planned_on,
        done_on: row.done_on,
    }
}

fn report_to_domain(row: project_report::Model) -> ProjectReport {
    ProjectReport {
        id: row.id,
        project_id: row.project_id,
        period_start: row.period_start,
        period_end: row.period_end,
        narrative: row.narrative,
        risks: row.risks,
        submitted_at: row.submitted_at,
    }
}
