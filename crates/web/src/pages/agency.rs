//! An agency's page: its action items by status and due date, and its attendance at
//! the sessions the viewer may see.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Utc;
use cmnp_domain::agency::Agency;
use cmnp_domain::meeting::{MeetingStatus, local_date};
use cmnp_domain::policy::{Permission, Visible};
use cmnp_domain::words::{self, Label, Note};
use cmnp_store::{ActionItemFilter, MeetingFilter, PageRequest};
use maud::{Markup, html};

use super::items::{LISTED, item_table, listed_note};
use super::{Params, denied, failed, not_found, render, signed_in};
use crate::WebState;
use crate::charts::{self, Bar};
use crate::html::{column_heads, link, section};
use crate::i18n::Lang;
use crate::session::Viewer;

const QUERY: &str = r"
query Agency($acronym: String!) {
  agency(acronym: $acronym) {
    acronym name
    actionItems(first: 100) { edges { node { reference title dueOn status progressPercent overdue } } }
  }
  meetings(first: 100, filter: { status: HELD }) {
    edges { node { id label startsAt attendance { agency { acronym } status } } }
  }
}";

pub(crate) async fn page(
    State(state): State<WebState>,
    Path(acronym): Path<String>,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Response {
    let (visit, viewer) = match signed_in(&state, &headers, &params).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    if !viewer.actor.may(Permission::ReadCommissionWork) {
        return denied(&visit);
    }
    let agency = match state.store.agency_by_acronym(&acronym).await {
        Ok(Some(agency)) if agency.visible_to(&viewer.actor) => agency,
        Ok(_) => return not_found(&visit),
        Err(error) => return failed(&error, visit.lang),
    };
    let body = body(&state, &viewer, visit.lang, &agency, &params).await;
    render(
        &visit,
        format!("{} — {}", agency.acronym, agency.name),
        QUERY,
        body,
    )
}

async fn body(
    state: &WebState,
    viewer: &Viewer,
    lang: Lang,
    agency: &Agency,
    params: &Params,
) -> Result<Markup, cmnp_store::StoreError> {
    let today = local_date(Utc::now(), state.time_zone);
    let mut items = state
        .store
        .action_items(
            ActionItemFilter {
                responsible_agency_id: Some(agency.id),
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
    items.retain(|item| item.visible_to(&viewer.actor));
    let counts = state.store.item_counts(agency.id, today).await?;
    let title = lang.word(Label::ItemsByStatus);
    let overdue = counts.overdue;
    let mut bars: Vec<Bar> = counts
        .by_status
        .iter()
        .map(|(status, n)| Bar {
            label: lang.status(*status).to_owned(),
            value: *n as f64,
            display: n.to_string(),
            alert: false,
        })
        .collect();
    bars.push(Bar {
        label: lang.word(Label::Overdue).to_owned(),
        value: overdue as f64,
        display: overdue.to_string(),
        alert: true,
    });
    let description = words::items_and_overdue(lang.language(), counts.total(), overdue);
    let its_items = html! {
        (charts::bars("statuses", title, &description, &bars))
        (listed_note(lang, items.len(), counts.total()))
        (item_table(lang, &mut items, today, params))
    };

    let held = state
        .store
        .meetings(
            MeetingFilter {
                status: Some(MeetingStatus::Held),
                from: None,
                to: None,
                invited_agency_id: Some(agency.id),
            },
            PageRequest {
                first: 100,
                after: None,
                with_total: false,
            },
        )
        .await?
        .items;
    let held: Vec<_> = held
        .into_iter()
        .filter(|m| m.visible_to(&viewer.actor))
        .collect();
    let ids: Vec<_> = held.iter().map(|m| m.id).collect();
    let mut attendance = state.store.attendance_of(&ids).await?;
    attendance.retain(|record| record.visible_to(&viewer.actor));
    let present = attendance
        .iter()
        .filter(|a| {
            a.agency_id == agency.id && a.status == cmnp_domain::agenda::AttendanceStatus::Present
        })
        .count();
    let its_attendance = html! {
        @if held.is_empty() {
            p { (lang.word(Note::NoHeldSession)) }
        } @else {
            p { (words::present_at(lang.language(), present, held.len())) }
            table {
                (column_heads(&[lang.word(Label::Session), lang.word(Label::Date), lang.word(Label::Attendance)]))
                tbody {
                    @for meeting in &held {
                        @let href = format!("/app/meetings/{}", meeting.id);
                        @let record = attendance
                            .iter()
                            .find(|a| a.meeting_id == meeting.id && a.agency_id == agency.id);
                        @let standing = record
                            .map_or(lang.word(Label::NotRecorded), |r| lang.status(r.status));
                        tr {
                            td { (link(&href, &meeting.label())) }
                            td { (lang.date(meeting.starts_on())) }
                            td { (standing) }
                        }
                    }
                }
            }
        }
    };
    Ok(html! {
        (section("items", lang.word(Label::ItsActionItems), &its_items))
        (section("attendance", lang.word(Label::AttendanceAtSessions), &its_attendance))
    })
}
