//! The IATI 2.03 export: the projects a reader may see, as `<iati-activities>` XML.

use std::collections::HashMap;

use chrono::{Datelike, Utc};
use chrono_tz::Tz;
use cmnp_domain::agency::{Agency, AgencyKind};
use cmnp_domain::document::{Document, DocumentCategory, OwnerKind};
use cmnp_domain::meeting::local_date;
use cmnp_domain::project::{self, ParticipantRole, Project, ProjectStatus};
use cmnp_iati as iati;
use cmnp_store::{ProjectParts, ProjectScope, Store, StoreError};
use uuid::Uuid;

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::respond::{forbidden, internal, signed_in};

/// Peru, where every project of the commission takes place.
const RECIPIENT_COUNTRY: &str = "PE";

/// `GET /iati/activities.xml`: the projects the signed-in reader may see.
pub async fn activities(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let actor = match signed_in(&state, &headers).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    let Some(scope) = ProjectScope::of(&actor) else {
        return forbidden();
    };
    match export(&state.store, scope, &state.public_url, state.time_zone).await {
        Ok(xml) => (
            [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
            xml,
        )
            .into_response(),
        Err(error) => internal(&error),
    }
}

/// Renders every project `scope` may see; its reports link to their download under
/// `public_url`.
/// The IATI document of the projects in `scope`, with the days of its dates (a report's,
/// a project's recording) as they were in the commission's `zone`.
pub async fn export(
    store: &Store,
    scope: ProjectScope,
    public_url: &str,
    zone: Tz,
) -> Result<String, StoreError> {
    let projects = store.all_projects(scope).await?;
    let ids: Vec<Uuid> = projects.iter().map(|p| p.id).collect();
    let parts = store.project_parts(&ids).await?;
    let reports: Vec<Document> = store
        .documents_of(OwnerKind::Project, &ids)
        .await?
        .into_iter()
        .filter(|d| d.category == DocumentCategory::Report)
        .collect();
    let mut agency_ids: Vec<Uuid> = projects
        .iter()
        .flat_map(|p| {
            p.participants
                .iter()
                .map(|x| x.agency_id)
                .chain([p.reporting_agency_id])
        })
        .chain(
            parts
                .transactions
                .iter()
                .flat_map(|t| t.provider_agency_id.into_iter().chain(t.receiver_agency_id)),
        )
        .collect();
    agency_ids.sort();
    agency_ids.dedup();
    let agencies: HashMap<Uuid, Agency> = store
        .agencies_by_ids(&agency_ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let activities: Vec<iati::Activity> = projects
        .iter()
        .map(|p| {
            let documents = reports
                .iter()
                .filter(|d| d.owner_id == p.id)
                .map(|d| document_link(d, public_url, zone))
                .collect();
            activity(p, &parts, &agencies, documents, zone)
        })
        .collect();
    iati::render(&activities, Utc::now()).map_err(|error| {
        StoreError::Internal(format!("the IATI document could not be written: {error}"))
    })
}

/// A project's report as a `document-link`: where the API serves it, its sniffed type,
/// and the day it was uploaded as its date.
fn document_link(document: &Document, public_url: &str, zone: Tz) -> iati::DocumentLink {
    iati::DocumentLink {
        url: format!("{public_url}/documents/{}", document.id),
        format: document.content_type.clone(),
        title: document.title.clone(),
        category: iati::DocumentCategory::Results,
        date: Some(local_date(document.uploaded_at, zone)),
    }
}

fn organisation(agencies: &HashMap<Uuid, Agency>, id: Uuid) -> iati::Organisation {
    match agencies.get(&id) {
        Some(agency) => iati::Organisation {
            reference: agency.iati_ref.clone(),
            name: agency.name.clone(),
        },
        None => iati::Organisation {
            reference: None,
            name: id.to_string(),
        },
    }
}

/// IATI OrganisationType of an agency.
fn organisation_type(kind: AgencyKind) -> &'static str {
    match kind {
        AgencyKind::RegionalGovernment => "11",
        AgencyKind::CivilSociety => "22",
        AgencyKind::InternationalOrganization => "40",
        AgencyKind::Other => "90",
        _ => "10",
    }
}

fn activity(
    project: &Project,
    parts: &ProjectParts,
    agencies: &HashMap<Uuid, Agency>,
    documents: Vec<iati::DocumentLink>,
    zone: Tz,
) -> iati::Activity {
    let money = |amount: rust_decimal::Decimal, currency: &str, value_date| iati::Money {
        amount: format!("{amount:.2}"),
        currency: currency.to_owned(),
        value_date,
    };
    let mut participants: Vec<iati::Participant> = project
        .participants
        .iter()
        .map(|p| iati::Participant {
            role: match p.role {
                ParticipantRole::Funding => iati::OrganisationRole::Funding,
                ParticipantRole::Accountable => iati::OrganisationRole::Accountable,
                ParticipantRole::Extending => iati::OrganisationRole::Extending,
                ParticipantRole::Implementing => iati::OrganisationRole::Implementing,
            },
            organisation: organisation(agencies, p.agency_id),
        })
        .collect();
    // IATI requires at least one participating organisation: the reporting one is
    // accountable for what it reports.
    if participants.is_empty() {
        participants.push(iati::Participant {
            role: iati::OrganisationRole::Accountable,
            organisation: organisation(agencies, project.reporting_agency_id),
        });
    }
    // IATI requires at least one activity date; a project without any counts as planned
    // from the day it was recorded.
    let planned_start = project.planned_start.or_else(|| {
        project
            .actual_start
            .is_none()
            .then(|| local_date(project.created_at, zone))
    });
    let indicators_of = |result_id: Uuid| -> Vec<iati::Indicator> {
        parts
            .indicators
            .iter()
            .filter(|i| i.result_id == result_id)
            .map(|indicator| iati::Indicator {
                title: indicator.title.clone(),
                measure: match indicator.measure {
                    project::IndicatorMeasure::Unit => iati::IndicatorMeasure::Unit,
                    project::IndicatorMeasure::Percentage => iati::IndicatorMeasure::Percentage,
                },
                ascending: indicator.ascending,
                baseline: Some(iati::Baseline {
                    year: indicator.baseline_year.unwrap_or_else(|| {
                        planned_start.map_or(project.created_at.year(), |d| d.year())
                    }),
                    value: indicator.baseline.normalize().to_string(),
                }),
                periods: periods(project, indicator, &parts.periods),
            })
            .collect()
    };
    iati::Activity {
        identifier: project.iati_identifier.clone(),
        reporting_org: organisation(agencies, project.reporting_agency_id),
        reporting_org_type: agencies
            .get(&project.reporting_agency_id)
            .map_or("10", |a| organisation_type(a.kind))
            .to_owned(),
        default_currency: project.currency.clone(),
        language: "es".into(),
        last_updated: project.updated_at,
        title: project.title.clone(),
        description: project.description.clone(),
        participants,
        status: match project.status {
            ProjectStatus::Pipeline => iati::ActivityStatus::Pipeline,
            ProjectStatus::Implementation => iati::ActivityStatus::Implementation,
            ProjectStatus::Finalisation => iati::ActivityStatus::Finalisation,
            ProjectStatus::Closed => iati::ActivityStatus::Closed,
            ProjectStatus::Cancelled => iati::ActivityStatus::Cancelled,
            ProjectStatus::Suspended => iati::ActivityStatus::Suspended,
        },
        planned_start,
        actual_start: project.actual_start,
        planned_end: project.planned_end,
        actual_end: project.actual_end,
        recipient_country: RECIPIENT_COUNTRY.into(),
        locations: project.regions.clone(),
        sectors: project.sectors.clone(),
        budgets: parts
            .budget_lines
            .iter()
            .filter(|l| l.project_id == project.id)
            .map(|line| iati::Budget {
                kind: match line.kind {
                    project::BudgetKind::Original => iati::BudgetType::Original,
                    project::BudgetKind::Revised => iati::BudgetType::Revised,
                },
                status: match line.status {
                    project::BudgetStatus::Indicative => iati::BudgetStatus::Indicative,
                    project::BudgetStatus::Committed => iati::BudgetStatus::Committed,
                },
                period_start: line.period_start,
                period_end: line.period_end,
                value: money(line.amount, &line.currency, line.period_start),
            })
            .collect(),
        transactions: parts
            .transactions
            .iter()
            .filter(|t| t.project_id == project.id)
            .map(|t| iati::Transaction {
                kind: match t.kind {
                    project::TransactionType::IncomingFunds => iati::TransactionType::IncomingFunds,
                    project::TransactionType::Commitment => iati::TransactionType::Commitment,
                    project::TransactionType::Disbursement => iati::TransactionType::Disbursement,
                    project::TransactionType::Expenditure => iati::TransactionType::Expenditure,
                },
                date: t.date,
                value: money(t.amount, &t.currency, t.date),
                description: t.description.clone(),
                provider: t.provider_agency_id.map(|id| organisation(agencies, id)),
                receiver: t.receiver_agency_id.map(|id| organisation(agencies, id)),
            })
            .collect(),
        documents,
        // IATI requires an indicator in every result; results still without one wait.
        results: parts
            .results
            .iter()
            .filter(|r| r.project_id == project.id)
            .map(|r| iati::ResultFramework {
                kind: match r.kind {
                    project::ResultType::Output => iati::ResultType::Output,
                    project::ResultType::Outcome => iati::ResultType::Outcome,
                    project::ResultType::Impact => iati::ResultType::Impact,
                },
                title: r.title.clone(),
                indicators: indicators_of(r.id),
            })
            .filter(|r| !r.indicators.is_empty())
            .collect(),
    }
}

/// An indicator's reporting periods, led by one spanning the planned duration that carries
/// the overall target (IATI 2.03 has targets only on periods).
fn periods(
    project: &Project,
    indicator: &project::Indicator,
    recorded: &[project::IndicatorPeriod],
) -> Vec<iati::IndicatorPeriod> {
    let text = |value: rust_decimal::Decimal| value.normalize().to_string();
    let mut periods: Vec<iati::IndicatorPeriod> = recorded
        .iter()
        .filter(|p| p.indicator_id == indicator.id)
        .map(|p| iati::IndicatorPeriod {
            start: p.period_start,
            end: p.period_end,
            target: p.target.map(text),
            actual: p.actual.map(text),
            comment: p.comment.clone(),
        })
        .collect();
    if let (Some(start), Some(end)) = (project.planned_start, project.planned_end)
        && !periods.iter().any(|p| p.start == start && p.end == end)
    {
        periods.insert(
            0,
            iati::IndicatorPeriod {
                start,
                end,
                target: Some(text(indicator.target)),
                actual: None,
                comment: None,
            },
        );
    }
    periods
}
