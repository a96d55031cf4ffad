//! A session's page: its agenda, who attended and whether quorum was reached, the
//! agreements adopted with the status of the commitments they created, and, once the
//! minutes are circulated, the link to the acta as PDF.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use cmnp_domain::agenda::AttendanceStatus;
use cmnp_domain::document::{Document, Owner, OwnerKind};
use cmnp_domain::meeting::{Meeting, MeetingStatus, MinutesStatus};
use cmnp_domain::policy::{Visible, minutes_visible_to};
use cmnp_domain::rsvp::{self, Expectation};
use cmnp_domain::words::{self, Label, Note};
use maud::{Markup, html};
use uuid::Uuid;

use super::{Params, failed, not_found, render, signed_in};
use crate::WebState;
use crate::html::{column_heads, link, section};
use crate::i18n::Lang;
use crate::session::Viewer;

const QUERY: &str = r"
query Meeting($id: ID!) {
  meeting(id: $id) {
    label title status startsAt timeZone location
    agenda { position title kind documents { title fileName size downloadUrl } }
    attendance { agency { acronym } status attendeeKind mode }
    quorum { required present reached frozen }
    agreements { number text decision { method rule result votesFor votesAgainst abstentions }
                 actionItems { reference title status dueOn } }
    minutes { status observationsUntil
              observations { agency { acronym } text submittedAt answer reply answeredAt } }
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

/// The documents of the agenda's items (the meeting pack), by item, where the viewer may
/// read them.
async fn meeting_pack(
    store: &cmnp_store::Store,
    viewer: &Viewer,
    meeting: &Meeting,
    agenda: &[cmnp_domain::agenda::AgendaItem],
) -> Result<HashMap<Uuid, Vec<Document>>, cmnp_store::StoreError> {
    let mut pack: HashMap<Uuid, Vec<Document>> = HashMap::new();
    if !Owner::AgendaItem(meeting).readable_by(&viewer.actor) {
        return Ok(pack);
    }
    let ids: Vec<Uuid> = agenda.iter().map(|item| item.id).collect();
    for document in store.documents_of(OwnerKind::AgendaItem, &ids).await? {
        pack.entry(document.owner_id).or_default().push(document);
    }
    Ok(pack)
}

/// A size in kilobytes, rounded up: a file of a few bytes is 1 KB, not 0.
fn kilobytes(size: i64) -> i64 {
    (size + 1023) / 1024
}

async fn body(
    state: &WebState,
    viewer: &Viewer,
    lang: Lang,
    meeting: &Meeting,
) -> Result<Markup, cmnp_store::StoreError> {
    let store = &state.store;
    let zone = meeting.time_zone.parse().unwrap_or(state.time_zone);
    let starts = meeting.starts_at.with_timezone(&zone);
    let place = meeting
        .location
        .as_deref()
        .or(meeting.online_url.as_deref())
        .unwrap_or("—");
    let facts = html! {
        dl class="facts" {
            dt { (lang.word(Label::Status)) }
            dd { (lang.status(meeting.status)) }
            dt { (lang.word(Label::Date)) }
            dd {
                (lang.date(starts.date_naive())) " "
                (maud::display(starts.format("%H:%M"))) " (" (meeting.time_zone) ")"
            }
            dt { (lang.word(Label::Place)) }
            dd { (place) }
        }
        @if let Some(label) = acta_link(meeting) {
            p #acta {
                a href=(format!("/meetings/{}/acta.pdf?lang={}", meeting.id, lang.code())) download {
                    (lang.word(label))
                }
            }
        }
    };

    let agenda = store.agenda_of(&[meeting.id]).await?;
    let pack = meeting_pack(store, viewer, meeting, &agenda).await?;
    let agenda_part = html! {
        @if agenda.is_empty() {
            p { (lang.word(Note::NoAgendaItems)) }
        } @else {
            ol {
                @for item in &agenda {
                    li {
                        (item.title)
                        @if let Some(documents) = pack.get(&item.id) {
                            ul class="documents" {
                                @for document in documents {
                                    li {
                                        a href={ "/documents/" (document.id) } download=(document.file_name) {
                                            (document.title)
                                        }
                                        " (" (document.file_name) ", " (kilobytes(document.size)) " KB)"
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };

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
    let attendance_part = html! {
        p class="quorum" { (words::quorum_standing(lang.language(), meeting.status, quorum)) }
        table {
            (column_heads(&[lang.word(Label::Agency), lang.word(Label::Attendance)]))
            tbody {
                @for (name, status) in invited {
                    tr {
                        td { (link(&format!("/app/agencies/{name}"), name)) }
                        td { (status.map_or(lang.word(Label::NotRecorded), |s| lang.status(s))) }
                    }
                }
            }
        }
    };

    let agreements: Vec<_> = store
        .agreements_of(&[meeting.id])
        .await?
        .into_iter()
        .filter(|a| a.visible_to(&viewer.actor))
        .collect();
    let ids: Vec<Uuid> = agreements.iter().map(|a| a.id).collect();
    let items = store.action_items_of_agreements(&ids).await?;
    let decisions = store.decisions_of(&ids).await?;
    let agreements_part = html! {
        @if agreements.is_empty() {
            p { (lang.word(Note::NoAgreement)) }
        }
        @for agreement in &agreements {
            article {
                h3 { (agreement.label()) }
                p { (agreement.text) }
                @if let Some(decision) = decisions.iter().find(|d| d.agreement_id == agreement.id) {
                    p.decision { (words::decision(lang.language(), decision)) }
                }
                ul {
                    @for item in items.iter().filter(|i| i.agreement_id == Some(agreement.id)) {
                        li {
                            (item.reference()) " — " (item.title) " ("
                            (lang.status(item.status)) ", "
                            (words::due_on(lang.language(), &lang.date(item.due_on))) ")"
                        }
                    }
                }
            }
        }
    };

    let minutes_part = if minutes_visible_to(meeting, &viewer.actor) {
        minutes_section(state, lang, meeting, &zone, &names).await?
    } else {
        None
    };

    let expected_part =
        if viewer.actor.is_secretariat() && meeting.status == MeetingStatus::Scheduled {
            Some(expected_attendance(state, lang, meeting, &names, &voting).await?)
        } else {
            None
        };

    Ok(html! {
        (facts)
        (section("agenda", lang.word(Label::Agenda), &agenda_part))
        @if let Some(expected) = &expected_part {
            (section("expected-attendance", lang.word(Label::ExpectedAttendance), expected))
        }
        (section("attendance", lang.word(Label::AttendanceAndQuorum), &attendance_part))
        (section("agreements", lang.word(Label::Agreements), &agreements_part))
        @if let Some(minutes) = &minutes_part {
            (section("minutes", lang.word(Label::Minutes), minutes))
        }
    })
}

/// The state of the minutes, the end of their observations period, and each observation
/// with the secretariat's answer, for whoever reads the minutes; `None` without minutes.
async fn minutes_section(
    state: &WebState,
    lang: Lang,
    meeting: &Meeting,
    zone: &Tz,
    names: &HashMap<Uuid, String>,
) -> Result<Option<Markup>, cmnp_store::StoreError> {
    let Some(minutes) = &meeting.minutes else {
        return Ok(None);
    };
    let observations = state.store.observations_of(&[meeting.id]).await?;
    let moment = |at: DateTime<Utc>| {
        let local = at.with_timezone(zone);
        format!(
            "{} {}",
            lang.date(local.date_naive()),
            local.format("%H:%M")
        )
    };
    Ok(Some(html! {
        dl class="facts" {
            dt { (lang.word(Label::Status)) }
            dd { (lang.status(minutes.status)) }
            @if let Some(until) = minutes.observations_until {
                dt { (lang.word(Label::ObservationsUntil)) }
                dd { (moment(until)) }
            }
        }
        h3 { (lang.word(Label::Observations)) }
        @if observations.is_empty() {
            p { (lang.word(Note::NoObservation)) }
        }
        @for observation in &observations {
            article class="observation" {
                p {
                    strong { (names.get(&observation.agency_id).map_or("—", String::as_str)) }
                    " (" (moment(observation.submitted_at)) "): " (observation.text)
                }
                @if let Some(reply) = &observation.reply {
                    p class="reply" {
                        strong { (lang.word(Label::SecretariatReply)) }
                        " — " (lang.word(reply.answer)) " (" (moment(reply.answered_at)) "): "
                        (reply.text)
                    }
                } @else {
                    p class="reply" { (lang.word(Note::AwaitingReply)) }
                }
            }
        }
    }))
}

/// The link to the acta as PDF, once the minutes are out of draft: a draft for review
/// while they are circulated, the acta once approved.
fn acta_link(meeting: &Meeting) -> Option<Label> {
    match meeting.minutes.as_ref()?.status {
        MinutesStatus::Draft => None,
        MinutesStatus::Circulated => Some(Label::DraftActaPdf),
        MinutesStatus::Approved => Some(Label::ActaPdf),
    }
}

/// For the secretariat before the session: per invited agency, whether it is expected and
/// what each of its representatives answered, with the quorum the expected agencies would
/// make.
async fn expected_attendance(
    state: &WebState,
    lang: Lang,
    meeting: &Meeting,
    names: &HashMap<Uuid, String>,
    voting: &[Uuid],
) -> Result<Markup, cmnp_store::StoreError> {
    let answers = state.store.answers_of(&[meeting.id]).await?;
    let people = state
        .store
        .representatives_of(&meeting.invited_agency_ids)
        .await?;
    let mut rows: Vec<(&String, Expectation, Vec<String>)> = meeting
        .invited_agency_ids
        .iter()
        .filter_map(|agency| {
            let own: Vec<_> = answers.iter().filter(|a| a.agency_id == *agency).collect();
            let who = own
                .iter()
                .filter_map(|answer| {
                    let person = people.iter().find(|p| p.id == answer.representative_id)?;
                    Some(format!("{}: {}", person.name, lang.word(answer.answer)))
                })
                .collect();
            names
                .get(agency)
                .map(|name| (name, rsvp::expectation(own.iter().copied()), who))
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(b.0));
    let expected = rsvp::expected_agencies(meeting, &answers);
    let quorum = rsvp::expected_quorum(state.quorum_rule, meeting, voting, &expected);
    Ok(html! {
        p class="quorum" id="expected-quorum" { (words::expected_quorum_standing(lang.language(), quorum)) }
        table {
            (column_heads(&[
                lang.word(Label::Agency),
                lang.word(Label::ExpectedAttendance),
                lang.word(Label::Representatives),
            ]))
            tbody {
                @for (name, expectation, who) in &rows {
                    tr {
                        td { (link(&format!("/app/agencies/{name}"), name)) }
                        td { (lang.word(*expectation)) }
                        td { (who.join("; ")) }
                    }
                }
            }
        }
    })
}
