//! A funded project: indicators against their targets, budget execution against the time
//! elapsed, milestones on a timeline, the latest report, and the commitments linked to
//! it (for donors, only their title and status, as in the API).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use cmnp_domain::meeting::local_date;
use cmnp_domain::policy::{Permission, Visible};
use cmnp_domain::project::{ParticipantRole, Project, ProjectReport, figures, percent_achieved};
use cmnp_domain::words::{self, Label, Note};
use cmnp_store::ProjectParts;
use maud::{Markup, html};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use uuid::Uuid;

use super::{Params, failed, not_found, render, signed_in};
use crate::WebState;
use crate::charts::{self, Mark, Meter};
use crate::html::{column_heads, percent, section};
use crate::i18n::Lang;
use crate::session::Viewer;

const QUERY: &str = r"
query Project($id: ID!) {
  project(id: $id) {
    title iatiIdentifier status currency plannedStart plannedEnd
    participants { role agency { acronym name } }
    budget committed disbursed spent burnRate timeElapsed
    results { title indicators { title baseline target actual percentAchieved } }
    milestones { title plannedOn doneOn late }
    reports { periodStart periodEnd narrative risks }
    actionItems { reference title status dueOn }
  }
}";

pub(crate) async fn page(
    State(state): State<WebState>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Response {
    let (visit, viewer) = match signed_in(&state, &headers, &params).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let lang = visit.lang;
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found(&visit);
    };
    let project = match state.store.project(id).await {
        Ok(Some(project)) if project.visible_to(&viewer.actor) => project,
        Ok(_) => return not_found(&visit),
        Err(error) => return failed(&error, lang),
    };
    let body = body(&state, &viewer, lang, &project).await;
    render(&visit, project.title.clone(), QUERY, body)
}

fn number(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

/// "125,000.00".
fn amount(value: Decimal) -> String {
    let text = format!("{:.2}", value.round_dp(2));
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let (sign, digits) = whole.strip_prefix('-').map_or(("", whole), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{cents}")
}

async fn body(
    state: &WebState,
    viewer: &Viewer,
    lang: Lang,
    project: &Project,
) -> Result<Markup, cmnp_store::StoreError> {
    let today = local_date(Utc::now(), state.time_zone);
    let parts = state.store.project_parts(&[project.id]).await?;
    let agency_ids: Vec<Uuid> = project.participants.iter().map(|p| p.agency_id).collect();
    let names: HashMap<Uuid, String> = state
        .store
        .agencies_by_ids(&agency_ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a.acronym))
        .collect();
    let by_role = |role: ParticipantRole| {
        project
            .participants
            .iter()
            .filter(|p| p.role == role)
            .filter_map(|p| names.get(&p.agency_id).cloned())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let reports = state.store.project_reports(&[project.id]).await?;
    let items = state.store.action_items_of_projects(&[project.id]).await?;
    // Donors read only the title and status of linked items, as in the API.
    let details = viewer.actor.may(Permission::ReadCommissionWork);
    let linked = html! {
        @if items.is_empty() {
            p { (lang.word(Note::NoneListed)) }
        } @else {
            ul {
                @for item in items.iter().filter(|i| i.visible_to(&viewer.actor)) {
                    @if details {
                        li {
                            (item.reference()) " — " (item.title) " ("
                            (lang.status(item.status)) ", "
                            (words::due_on(lang.language(), &lang.date(item.due_on))) ")"
                        }
                    } @else {
                        li { (item.title) " (" (lang.status(item.status)) ")" }
                    }
                }
            }
        }
    };
    Ok(html! {
        dl class="facts" {
            dt { (lang.word(Label::IatiIdentifier)) }
            dd { (project.iati_identifier) }
            dt { (lang.word(Label::Status)) }
            dd { (lang.status(project.status)) }
            dt { (lang.word(Label::FundedBy)) }
            dd { (by_role(ParticipantRole::Funding)) }
            dt { (lang.word(Label::ImplementedBy)) }
            dd { (by_role(ParticipantRole::Implementing)) }
            dt { (lang.word(Label::PlannedPeriod)) }
            dd {
                @if let (Some(start), Some(end)) = (project.planned_start, project.planned_end) {
                    (lang.date(start)) " – " (lang.date(end))
                } @else {
                    "—"
                }
            }
        }
        (indicators(lang, &parts))
        (budget(lang, project, &parts, today))
        (milestones(lang, project, &parts, today))
        (report(lang, &reports))
        (section("linked-items", lang.word(Label::LinkedCommitments), &linked))
    })
}

/// An indicator's title, baseline, target, latest actual value and share achieved.
type IndicatorRow = (String, Decimal, Decimal, Option<Decimal>, Option<Decimal>);

fn indicators(lang: Lang, parts: &ProjectParts) -> Markup {
    let title = lang.word(Label::IndicatorsAgainstTargets);
    if parts.indicators.is_empty() {
        let content = html! { p { (lang.word(Note::NoIndicators)) } };
        return section("indicators", title, &content);
    }
    let rows: Vec<IndicatorRow> = parts
        .indicators
        .iter()
        .map(|indicator| {
            let actual = parts
                .periods
                .iter()
                .filter(|p| p.indicator_id == indicator.id && p.actual.is_some())
                .max_by_key(|p| p.period_end)
                .and_then(|p| p.actual);
            let achieved =
                actual.and_then(|a| percent_achieved(indicator.baseline, indicator.target, a));
            (
                indicator.title.clone(),
                indicator.baseline,
                indicator.target,
                actual,
                achieved,
            )
        })
        .collect();
    let meters: Vec<Meter> = rows
        .iter()
        .map(|(title, _, target, actual, achieved)| Meter {
            label: short(title),
            percent: achieved.map_or(0.0, number),
            display: format!(
                "{} / {}",
                actual.map_or("—".to_owned(), |a| a.normalize().to_string()),
                target.normalize()
            ),
        })
        .collect();
    let description = lang.word(Note::IndicatorsExplained);
    let content = html! {
        (charts::meters("indicators", title, description, &meters))
        table class="figures" {
            caption { (title) }
            (column_heads(&[lang.word(Label::Indicator), lang.word(Label::Baseline), lang.word(Label::Target), lang.word(Label::Actual), lang.word(Label::Achieved)]))
            tbody {
                @for (title, baseline, target, actual, achieved) in &rows {
                    tr {
                        td { (title) }
                        td { (maud::display(baseline.normalize())) }
                        td { (maud::display(target.normalize())) }
                        td { (actual.map_or("—".to_owned(), |a| a.normalize().to_string())) }
                        td { (achieved.map_or("—".to_owned(), |a| percent(lang, number(a)))) }
                    }
                }
            }
        }
    };
    section("indicators", title, &content)
}

/// A chart label: long titles are cut at a word, the table keeps them whole.
fn short(title: &str) -> String {
    if title.chars().count() <= 26 {
        return title.to_owned();
    }
    let cut: String = title.chars().take(25).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

fn budget(lang: Lang, project: &Project, parts: &ProjectParts, today: NaiveDate) -> Markup {
    let title = lang.word(Label::BudgetExecution);
    let Ok(figures) = figures(project, &parts.budget_lines, &parts.transactions, today) else {
        let content = html! { p { (lang.word(Note::MixedCurrencies)) } };
        return section("budget", title, &content);
    };
    let of_budget = |value: Decimal| {
        (!figures.budget.is_zero()).then(|| number(value) * 100.0 / number(figures.budget))
    };
    let mut meters = vec![
        Meter {
            label: lang.word(Label::Disbursed).to_owned(),
            percent: of_budget(figures.disbursed).unwrap_or(0.0),
            display: of_budget(figures.disbursed).map_or("—".into(), |p| percent(lang, p)),
        },
        Meter {
            label: lang.word(Label::Spent).to_owned(),
            percent: figures.burn_rate.map_or(0.0, number),
            display: figures
                .burn_rate
                .map_or("—".into(), |p| percent(lang, number(p))),
        },
    ];
    if let Some(elapsed) = figures.time_elapsed {
        meters.push(Meter {
            label: lang.word(Label::TimeElapsed).to_owned(),
            percent: number(elapsed),
            display: percent(lang, number(elapsed)),
        });
    }
    let description = lang.word(Note::BudgetExplained);
    let amounts = [
        (Label::Budget, figures.budget),
        (Label::Committed, figures.committed),
        (Label::Disbursed, figures.disbursed),
        (Label::Spent, figures.spent),
    ];
    let content = html! {
        (charts::meters("budget", title, description, &meters))
        table class="figures" {
            caption { (title) " (" (project.currency) ")" }
            tbody {
                @for (label, value) in amounts {
                    tr {
                        th scope="row" { (lang.word(label)) }
                        td { (amount(value)) }
                    }
                }
            }
        }
    };
    section("budget", title, &content)
}

fn milestones(lang: Lang, project: &Project, parts: &ProjectParts, today: NaiveDate) -> Markup {
    let title = lang.word(Label::Milestones);
    if parts.milestones.is_empty() {
        let content = html! { p { (lang.word(Note::NoMilestones)) } };
        return section("milestones", title, &content);
    }
    let dates = parts.milestones.iter().map(|m| m.planned_on);
    let from = project
        .planned_start
        .into_iter()
        .chain(dates.clone())
        .min()
        .unwrap_or(today);
    let to = project
        .planned_end
        .into_iter()
        .chain(dates)
        .max()
        .unwrap_or(today);
    let marks: Vec<Mark> = parts
        .milestones
        .iter()
        .map(|m| Mark {
            on: m.planned_on,
            label: m.title.clone(),
            done: m.done_on.is_some(),
            late: m.is_late(today),
        })
        .collect();
    let description = lang.word(Note::MilestonesExplained);
    let content = html! {
        (charts::timeline("milestones", title, description, (from, to), today, &marks))
        ol class="milestones" {
            @for milestone in &parts.milestones {
                @let state = match (milestone.done_on, milestone.is_late(today)) {
                    (Some(done), _) => words::done_on(lang.language(), &lang.date(done)),
                    (None, true) => lang.word(Label::Late).to_owned(),
                    (None, false) => lang.word(Label::Pending).to_owned(),
                };
                li {
                    (lang.date(milestone.planned_on)) " — " (milestone.title) " (" (state) ")"
                }
            }
        }
    };
    section("milestones", title, &content)
}

fn report(lang: Lang, reports: &[ProjectReport]) -> Markup {
    let latest = reports
        .iter()
        .max_by_key(|r| (r.period_end, r.submitted_at));
    let content = html! {
        @if let Some(latest) = latest {
            p class="period" {
                (lang.date(latest.period_start)) " – " (lang.date(latest.period_end))
            }
            p { (latest.narrative) }
            @if let Some(risks) = &latest.risks {
                p { strong { (lang.word(Label::Risks)) } " " (risks) }
            }
        } @else {
            p { (lang.word(Note::NoReportYet)) }
        }
    };
    section("report", lang.word(Label::LatestReport), &content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_by_thousands() {
        assert_eq!(amount(Decimal::new(12_500_000, 2)), "125,000.00");
        assert_eq!(amount(Decimal::new(4_625_075, 2)), "46,250.75");
        assert_eq!(amount(Decimal::new(-100_000, 2)), "-1,000.00");
        assert_eq!(amount(Decimal::ZERO), "0.00");
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        assert_eq!(short("Operadores capacitados"), "Operadores capacitados");
        assert_eq!(
            short("operadoras y operadores de frontera capacitados"),
            "operadoras y operadores…"
        );
    }
}
