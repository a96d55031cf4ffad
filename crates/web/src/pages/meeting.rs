//! A session's page: its agenda, who attended and whether quorum was reached, and the
//! agreements adopted with the status of the commitments they created.

use std::collections::HashMap;
use std::fmt::Write as _;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use cmnp_domain::agenda::AttendanceStatus;
use cmnp_domain::meeting::Meeting;
use cmnp_domain::policy::Visible;
use cmnp_domain::words::{self, Label, Note};
use uuid::Uuid;

use super::{Params, failed, not_found, render, signed_in};
use crate::WebState;
use crate::html::{esc, link, section};
use crate::i18n::Lang;
use crate::session::Viewer;

const QUERY: &str = r"
query Meeting($id: ID!) {
  meeting(id: $id) {
    label title status startsAt timeZone location
    agenda { position title kind }
    attendance { agency { acronym } status attendeeKind mode }
    quorum { required present reached frozen }
    agreements { number text actionItems { reference title status dueOn } }
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
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found(&visit);
    };
    let meeting = match state.store.meeting(id).await {
        Ok(Some(meeting)) if meeting.visible_to(&viewer.actor) => meeting,
        Ok(_) => return not_found(&visit),
        Err(error) => return failed(&error, visit.lang),
    };
    let body = body(&state, &viewer, visit.lang, &meeting).await;
    render(
        &visit,
        format!("{} — {}", meeting.label(), meeting.title),
        QUERY,
        body,
    )
}

async fn body(
    state: &WebState,
    viewer: &Viewer,
    lang: Lang,
    meeting: &Meeting,
) -> Result<String, cmnp_store::StoreError> {
    let store = &state.store;
    let zone = meeting.time_zone.parse().unwrap_or(state.time_zone);
    let starts = meeting.starts_at.with_timezone(&zone);
    let mut html = format!(
        "<dl class=\"facts\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{} {} ({})</dd><dt>{}</dt><dd>{}</dd></dl>",
        lang.word(Label::Status),
        lang.status(meeting.status),
        lang.word(Label::Date),
        lang.date(starts.date_naive()),
        starts.format("%H:%M"),
        esc(&meeting.time_zone),
        lang.word(Label::Place),
        esc(meeting
            .location
            .as_deref()
            .or(meeting.online_url.as_deref())
            .unwrap_or("—")),
    );

    let agenda = store.agenda_of(&[meeting.id]).await?;
    section(&mut html, "agenda", lang.word(Label::Agenda));
    if agenda.is_empty() {
        let _ = write!(html, "<p>{}</p>", lang.word(Note::NoAgendaItems));
    } else {
        html.push_str("<ol>");
        for item in &agenda {
            let _ = write!(html, "<li>{}</li>", esc(&item.title));
        }
        html.push_str("</ol>");
    }
    html.push_str("</section>\n");

    let names: HashMap<Uuid, String> = store
        .agencies_by_ids(&meeting.invited_agency_ids)
        .await?
        .into_iter()
        .map(|a| (a.id, a.acronym))
        .collect();
    let attendance = store.attendance_of(&[meeting.id]).await?;
    let voting = store.voting_agency_ids().await?;
    let quorum = match meeting.quorum {
        Some(frozen) => frozen,
        None => {
            let present = attendance
                .iter()
                .filter(|a| {
                    a.status == AttendanceStatus::Present
                        && voting.contains(&a.agency_id)
                        && meeting.invites(a.agency_id)
                })
                .count();
            state.quorum_rule.quorum(
                i32::try_from(voting.len()).unwrap_or(i32::MAX),
                i32::try_from(present).unwrap_or(i32::MAX),
            )
        }
    };
    let _ = write!(
        html,
        "<section id=\"attendance\" aria-labelledby=\"attendance-h\"><h2 id=\"attendance-h\">{}</h2><p class=\"quorum\">{}</p>",
        lang.word(Label::AttendanceAndQuorum),
        esc(&words::quorum_standing(
            lang.language(),
            meeting.status,
            quorum
        ))
    );
    let mut invited: Vec<(&String, Option<AttendanceStatus>)> = meeting
        .invited_agency_ids
        .iter()
        .filter_map(|id| {
            let status = attendance
                .iter()
                .find(|a| a.agency_id == *id)
                .map(|a| a.status);
            names.get(id).map(|name| (name, status))
        })
        .collect();
    invited.sort();
    let _ = write!(
        html,
        "<table><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        lang.word(Label::Agency),
        lang.word(Label::Attendance)
    );
    for (name, status) in invited {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td></tr>",
            link(&format!("/app/agencies/{name}"), name),
            status.map_or(lang.word(Label::NotRecorded), |s| lang.status(s)),
        );
    }
    html.push_str("</tbody></table></section>\n");

    let agreements: Vec<_> = store
        .agreements_of(&[meeting.id])
        .await?
        .into_iter()
        .filter(|a| a.visible_to(&viewer.actor))
        .collect();
    let ids: Vec<Uuid> = agreements.iter().map(|a| a.id).collect();
    let items = store.action_items_of_agreements(&ids).await?;
    section(&mut html, "agreements", lang.word(Label::Agreements));
    if agreements.is_empty() {
        let _ = write!(html, "<p>{}</p>", lang.word(Note::NoAgreement));
    }
    for agreement in &agreements {
        let _ = write!(
            html,
            "<article><h3>{}</h3><p>{}</p><ul>",
            esc(&agreement.label()),
            esc(&agreement.text)
        );
        for item in items
            .iter()
            .filter(|i| i.agreement_id == Some(agreement.id))
        {
            let _ = write!(
                html,
                "<li>{} — {} ({}, {})</li>",
                esc(&item.reference()),
                esc(&item.title),
                lang.status(item.status),
                words::due_on(lang.language(), &lang.date(item.due_on)),
            );
        }
        html.push_str("</ul></article>");
    }
    html.push_str("</section>\n");
    Ok(html)
}
