//! The commission at a glance: upcoming sessions, overdue items by agency, completion
//! month by month, an agency's own commitments, and the projects the viewer may see.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use cmnp_domain::action_item::{ActionItem, ActionItemStatus};
use cmnp_domain::meeting::{MeetingStatus, local_date};
use cmnp_domain::policy::Permission;
use cmnp_domain::words::{self, Label, Note};
use cmnp_store::{ActionItemFilter, ItemCounts, MeetingFilter, PageRequest, ProjectScope};
use maud::{Markup, html};

use super::items::{LISTED, item_table, listed_note};
use super::{Params, render, signed_in};
use crate::WebState;
use crate::charts::{self, Bar, Column};
use crate::html::{column_heads, link, percent, section};
use crate::i18n::Lang;
use crate::session::Viewer;

const QUERY: &str = r"
query Overview($now: DateTime!) {
  meetings(first: 10, filter: { status: SCHEDULED, from: $now }) {
    edges { node { id label title startsAt location } }
  }
  actionItems(first: 100, filter: { overdue: true }) {
    totalCount
    edges { node { reference title dueOn status responsible { acronym } } }
  }
  projects(first: 50) { edges { node { id title status iatiIdentifier } } }
}";

pub(crate) async fn page(
    State(state): State<WebState>,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Response {
    let (visit, viewer) = match signed_in(&state, &headers, &params).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let body = body(&state, &viewer, visit.lang, &params).await;
    render(
        &visit,
        visit.lang.word(Label::CommissionOverview),
        QUERY,
        body,
    )
}

async fn body(
    state: &WebState,
    viewer: &Viewer,
    lang: Lang,
    params: &Params,
) -> Result<Markup, cmnp_store::StoreError> {
    let now = Utc::now();
    let today = local_date(now, state.time_zone);
    let reads_work = viewer.actor.may(Permission::ReadCommissionWork);
    let mine = match (viewer.actor.focal_agency(), &viewer.agency_acronym) {
        (Some(agency_id), Some(acronym)) => {
            let items = state
                .store
                .action_items(
                    ActionItemFilter {
                        pending: true,
                        responsible_agency_id: Some(agency_id),
                        ..ActionItemFilter::default()
                    },
                    PageRequest {
                        first: LISTED,
                        after: None,
                        with_total: false,
                    },
                )
                .await?
                .items;
            let counts = state.store.item_counts(agency_id, today).await?;
            Some(my_items(lang, acronym, items, &counts, today, params))
        }
        _ => None,
    };
    let work = if reads_work {
        Some(html! {
            (upcoming(state, viewer, lang).await?)
            (overdue_by_agency(state, lang, today).await?)
            (completion(state, lang, today).await?)
        })
    } else {
        None
    };
    // Who cannot be written to is the concern of whoever runs the e-mail deliveries.
    let unreachable = if viewer.actor.may(Permission::ManageOutbox) {
        Some(unreachable(state, lang, today).await?)
    } else {
        None
    };
    let projects = projects(state, viewer, lang).await?;
    Ok(html! {
        @if let Some(mine) = mine { (mine) }
        @if let Some(work) = work { (work) }
        @if let Some(unreachable) = unreachable { (unreachable) }
        (projects)
    })
}

fn my_items(
    lang: Lang,
    acronym: &str,
    mut items: Vec<ActionItem>,
    counts: &ItemCounts,
    today: NaiveDate,
    params: &Params,
) -> Markup {
    let (pending, overdue) = (counts.pending(), counts.overdue);
    let content = html! {
        p { (words::pending_and_overdue(lang.language(), pending, overdue)) }
        (listed_note(lang, items.len(), pending))
        (item_table(lang, &mut items, today, params))
    };
    section(
        "my-items",
        &words::pending_commitments_of(lang.language(), acronym),
        &content,
    )
}

async fn upcoming(
    state: &WebState,
    viewer: &Viewer,
    lang: Lang,
) -> Result<Markup, cmnp_store::StoreError> {
    let invited = viewer.actor.sessions_bound();
    let sessions = state
        .store
        .meetings(
            MeetingFilter {
                status: Some(MeetingStatus::Scheduled),
                from: Some(Utc::now()),
                to: None,
                invited_agency_id: invited,
            },
            PageRequest {
                first: 10,
                after: None,
                with_total: false,
            },
        )
        .await?
        .items;
    let content = html! {
        @if sessions.is_empty() {
            p { (lang.word(Note::NoSessionsConvened)) }
        } @else {
            ul class="sessions" {
                @for meeting in &sessions {
                    @let zone = meeting.time_zone.parse().unwrap_or(state.time_zone);
                    @let starts = meeting.starts_at.with_timezone(&zone);
                    li {
                        (link(&format!("/app/meetings/{}", meeting.id), &meeting.label()))
                        " — "
                        (meeting.title)
                        " "
                        (lang.date(starts.date_naive()))
                        ", "
                        (maud::display(starts.format("%H:%M")))
                    }
                }
            }
        }
    };
    Ok(section(
        "upcoming",
        lang.word(Label::UpcomingSessions),
        &content,
    ))
}

async fn overdue_by_agency(
    state: &WebState,
    lang: Lang,
    today: NaiveDate,
) -> Result<Markup, cmnp_store::StoreError> {
    let counts = state.store.overdue_counts(today).await?;
    let ids: Vec<_> = counts.iter().map(|(id, _)| *id).collect();
    let acronyms: HashMap<_, _> = state
        .store
        .agencies_by_ids(&ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a.acronym))
        .collect();
    let mut rows: Vec<(String, i64)> = counts
        .into_iter()
        .map(|(id, n)| (acronyms.get(&id).cloned().unwrap_or_default(), n))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let title = lang.word(Label::OverdueItemsByAgency);
    if rows.is_empty() {
        let content = html! { p { (lang.word(Note::NoItemOverdue)) } };
        return Ok(section("overdue-by-agency", title, &content));
    }
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(acronym, n)| Bar {
            label: acronym.clone(),
            value: *n as f64,
            display: n.to_string(),
            alert: true,
        })
        .collect();
    let total: i64 = rows.iter().map(|(_, n)| n).sum();
    let description = words::overdue_across_agencies(lang.language(), total, rows.len());
    let content = html! {
        (charts::bars("overdue", title, &description, &bars))
        table class="figures" {
            caption { (title) }
            (column_heads(&[lang.word(Label::Agency), lang.word(Label::Overdue)]))
            tbody {
                @for (acronym, n) in &rows {
                    tr {
                        td { (link(&format!("/app/agencies/{acronym}"), acronym)) }
                        td { (n) }
                    }
                }
            }
        }
    };
    Ok(section("overdue-by-agency", title, &content))
}

/// The agencies nobody can be written to, so the secretariat can name someone.
async fn unreachable(
    state: &WebState,
    lang: Lang,
    today: NaiveDate,
) -> Result<Markup, cmnp_store::StoreError> {
    let agencies = state.store.unreachable_agencies(today).await?;
    let content = html! {
        @if agencies.is_empty() {
            p { (lang.word(Note::EveryAgencyReachable)) }
        } @else {
            p { (lang.word(Note::UnreachableExplained)) }
            ul {
                @for (_, acronym) in &agencies {
                    li { (link(&format!("/app/agencies/{acronym}"), acronym)) }
                }
            }
        }
    };
    Ok(section(
        "unreachable",
        lang.word(Label::UnreachableAgencies),
        &content,
    ))
}

async fn completion(
    state: &WebState,
    lang: Lang,
    today: NaiveDate,
) -> Result<Markup, cmnp_store::StoreError> {
    let first = month_start(today, 11);
    let dues = state.store.dues_between(first, today).await?;
    let mut months: Vec<(NaiveDate, u32, u32)> = (0..12)
        .rev()
        .map(|back| (month_start(today, back), 0, 0))
        .collect();
    for (due_on, status) in dues {
        if status == ActionItemStatus::Cancelled {
            continue;
        }
        if let Some(month) = months
            .iter_mut()
            .find(|(start, _, _)| start.year() == due_on.year() && start.month() == due_on.month())
        {
            month.2 += 1;
            if status == ActionItemStatus::Done {
                month.1 += 1;
            }
        }
    }
    let rate =
        |done: u32, total: u32| (total > 0).then(|| f64::from(done) * 100.0 / f64::from(total));
    let columns: Vec<Column> = months
        .iter()
        .map(|(start, done, total)| Column {
            label: lang.month(start.month()).trim_end_matches('.').to_owned(),
            percent: rate(*done, *total),
        })
        .collect();
    let title = lang.word(Label::CompletionByMonth);
    let description = lang.word(Note::CompletionExplained);
    let content = html! {
        p { (description) }
        (charts::columns("completion", title, description, &columns))
        table class="figures" {
            caption { (title) }
            (column_heads(&[lang.word(Label::Month), lang.word(Label::Done), lang.word(Label::FallingDue), "%"]))
            tbody {
                @for (start, done, total) in &months {
                    tr {
                        td { (lang.month(start.month())) " " (start.year()) }
                        td { (done) }
                        td { (total) }
                        td { (rate(*done, *total).map_or("—".to_owned(), |r| percent(lang, r))) }
                    }
                }
            }
        }
    };
    Ok(section("completion", title, &content))
}

/// The first day of the month `back` months before `today`'s.
fn month_start(today: NaiveDate, back: u32) -> NaiveDate {
    let months = today.year() * 12 + i32::try_from(today.month0()).unwrap_or(0)
        - i32::try_from(back).unwrap_or(0);
    NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(today - Duration::days(30 * i64::from(back)))
}

async fn projects(
    state: &WebState,
    viewer: &Viewer,
    lang: Lang,
) -> Result<Markup, cmnp_store::StoreError> {
    let projects = match ProjectScope::of(&viewer.actor) {
        Some(scope) => state.store.all_projects(scope).await?,
        None => Vec::new(),
    };
    let content = html! {
        @if projects.is_empty() {
            p { (lang.word(Note::NoneListed)) }
        } @else {
            table {
                (column_heads(&[lang.word(Label::Project), lang.word(Label::IatiIdentifier), lang.word(Label::Status)]))
                tbody {
                    @for project in &projects {
                        tr {
                            td { (link(&format!("/app/projects/{}", project.id), &project.title)) }
                            td { (project.iati_identifier) }
                            td { (lang.status(project.status)) }
                        }
                    }
                }
            }
        }
    };
    Ok(section("projects", lang.word(Label::Projects), &content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_starts_cross_year_ends() {
        let day = NaiveDate::from_ymd_opt(2026, 2, 14).unwrap();
        assert_eq!(
            month_start(day, 0),
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()
        );
        assert_eq!(
            month_start(day, 2),
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap()
        );
        assert_eq!(
            month_start(day, 11),
            NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
        );
    }
}
