//! The commission at a glance: upcoming sessions, overdue items by agency, completion
//! month by month, an agency's own commitments, and the projects the viewer may see.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use cmnp_domain::action_item::{ActionItem, ActionItemStatus};
use cmnp_domain::meeting::{MeetingStatus, local_date};
use cmnp_domain::policy::Permission;
use cmnp_domain::words::{self, Label, Note};
use cmnp_store::{ActionItemFilter, ItemCounts, MeetingFilter, PageRequest, ProjectScope};

use super::items::{LISTED, item_table, listed_note};
use super::{Params, render, signed_in};
use crate::WebState;
use crate::charts::{self, Bar, Column};
use crate::html::{esc, link, percent, section};
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
) -> Result<String, cmnp_store::StoreError> {
    let now = Utc::now();
    let today = local_date(now, state.time_zone);
    let mut html = String::new();
    let reads_work = viewer.actor.may(Permission::ReadCommissionWork);
    if let (Some(agency_id), Some(acronym)) = (viewer.actor.focal_agency(), &viewer.agency_acronym)
    {
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
        my_items(&mut html, lang, acronym, items, &counts, today, params);
    }
    if reads_work {
        upcoming(&mut html, state, viewer, lang).await?;
        overdue_by_agency(&mut html, state, lang, today).await?;
        completion(&mut html, state, lang, today).await?;
    }
    // Who cannot be written to is the concern of whoever runs the e-mail deliveries.
    if viewer.actor.may(Permission::ManageOutbox) {
        unreachable(&mut html, state, lang, today).await?;
    }
    projects(&mut html, state, viewer, lang).await?;
    Ok(html)
}

fn my_items(
    html: &mut String,
    lang: Lang,
    acronym: &str,
    mut items: Vec<ActionItem>,
    counts: &ItemCounts,
    today: NaiveDate,
    params: &Params,
) {
    let (pending, overdue) = (counts.pending(), counts.overdue);
    let _ = write!(
        html,
        "<section id=\"my-items\" aria-labelledby=\"my-items-h\"><h2 id=\"my-items-h\">{}</h2><p>{}</p>",
        esc(&words::pending_commitments_of(lang.language(), acronym)),
        esc(&words::pending_and_overdue(
            lang.language(),
            pending,
            overdue
        )),
    );
    listed_note(html, lang, items.len(), pending);
    item_table(html, lang, &mut items, today, params);
    html.push_str("</section>\n");
}

async fn upcoming(
    html: &mut String,
    state: &WebState,
    viewer: &Viewer,
    lang: Lang,
) -> Result<(), cmnp_store::StoreError> {
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
    section(html, "upcoming", lang.word(Label::UpcomingSessions));
    if sessions.is_empty() {
        let _ = write!(html, "<p>{}</p>", lang.word(Note::NoSessionsConvened));
    } else {
        html.push_str("<ul class=\"sessions\">");
        for meeting in &sessions {
            let zone = meeting.time_zone.parse().unwrap_or(state.time_zone);
            let starts = meeting.starts_at.with_timezone(&zone);
            let _ = write!(
                html,
                "<li>{} — {} {}, {}</li>",
                link(&format!("/app/meetings/{}", meeting.id), &meeting.label()),
                esc(&meeting.title),
                lang.date(starts.date_naive()),
                starts.format("%H:%M"),
            );
        }
        html.push_str("</ul>");
    }
    html.push_str("</section>\n");
    Ok(())
}

async fn overdue_by_agency(
    html: &mut String,
    state: &WebState,
    lang: Lang,
    today: NaiveDate,
) -> Result<(), cmnp_store::StoreError> {
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
    section(html, "overdue-by-agency", title);
    if rows.is_empty() {
        let _ = write!(html, "<p>{}</p>", lang.word(Note::NoItemOverdue));
    } else {
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
        html.push_str(&charts::bars("overdue", title, &description, &bars));
        let _ = write!(
            html,
            "<table class=\"figures\"><caption>{title}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            lang.word(Label::Agency),
            lang.word(Label::Overdue),
        );
        for (acronym, n) in &rows {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{n}</td></tr>",
                link(&format!("/app/agencies/{acronym}"), acronym)
            );
        }
        html.push_str("</tbody></table>");
    }
    html.push_str("</section>\n");
    Ok(())
}

/// The agencies nobody can be written to, so the secretariat can name someone.
async fn unreachable(
    html: &mut String,
    state: &WebState,
    lang: Lang,
    today: NaiveDate,
) -> Result<(), cmnp_store::StoreError> {
    let agencies = state.store.unreachable_agencies(today).await?;
    section(html, "unreachable", lang.word(Label::UnreachableAgencies));
    if agencies.is_empty() {
        let _ = write!(html, "<p>{}</p>", lang.word(Note::EveryAgencyReachable));
    } else {
        let _ = write!(html, "<p>{}</p><ul>", lang.word(Note::UnreachableExplained));
        for (_, acronym) in &agencies {
            let _ = write!(
                html,
                "<li>{}</li>",
                link(&format!("/app/agencies/{acronym}"), acronym)
            );
        }
        html.push_str("</ul>");
    }
    html.push_str("</section>\n");
    Ok(())
}

async fn completion(
    html: &mut String,
    state: &WebState,
    lang: Lang,
    today: NaiveDate,
) -> Result<(), cmnp_store::StoreError> {
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
    let _ = write!(
        html,
        "<section id=\"completion\" aria-labelledby=\"completion-h\"><h2 id=\"completion-h\">{title}</h2><p>{description}</p>{}",
        charts::columns("completion", title, description, &columns)
    );
    let _ = write!(
        html,
        "<table class=\"figures\"><caption>{title}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">%</th></tr></thead><tbody>",
        lang.word(Label::Month),
        lang.word(Label::Done),
        lang.word(Label::FallingDue),
    );
    for (start, done, total) in &months {
        let _ = write!(
            html,
            "<tr><td>{} {}</td><td>{done}</td><td>{total}</td><td>{}</td></tr>",
            lang.month(start.month()),
            start.year(),
            rate(*done, *total).map_or("—".to_owned(), |r| percent(lang, r)),
        );
    }
    html.push_str("</tbody></table></section>\n");
    Ok(())
}

/// The first day of the month `back` months before `today`'s.
fn month_start(today: NaiveDate, back: u32) -> NaiveDate {
    let months = today.year() * 12 + i32::try_from(today.month0()).unwrap_or(0)
        - i32::try_from(back).unwrap_or(0);
    NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or(today - Duration::days(30 * i64::from(back)))
}

async fn projects(
    html: &mut String,
    state: &WebState,
    viewer: &Viewer,
    lang: Lang,
) -> Result<(), cmnp_store::StoreError> {
    section(html, "projects", lang.word(Label::Projects));
    let projects = match ProjectScope::of(&viewer.actor) {
        Some(scope) => state.store.all_projects(scope).await?,
        None => Vec::new(),
    };
    if projects.is_empty() {
        let _ = write!(html, "<p>{}</p>", lang.word(Note::NoneListed));
    } else {
        let _ = write!(
            html,
            "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            lang.word(Label::Project),
            lang.word(Label::IatiIdentifier),
            lang.word(Label::Status),
        );
        for project in &projects {
            let _ = write!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                link(&format!("/app/projects/{}", project.id), &project.title),
                esc(&project.iati_identifier),
                lang.status(project.status),
            );
        }
        html.push_str("</tbody></table>");
    }
    html.push_str("</section>\n");
    Ok(())
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
