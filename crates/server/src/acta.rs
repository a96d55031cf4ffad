//! `GET /meetings/<id>/acta.pdf?lang=es|en`: a session's acta as PDF, rendered by
//! `cmnp-acta` from the same store reads the API and the session page make. Approved
//! minutes give the acta; circulated minutes give a draft, marked as such on every page;
//! draft or missing minutes give `409 Conflict` and say so.
//!
//! The reader signs in as on the other downloads (`Authorization: Bearer`), or, for the
//! link on the session page, with the pages' session cookie. Whoever may not see the
//! session gets `404`, as for its calendar file; whoever may see it but not its minutes
//! (an agency, while they are a draft) gets the same `409` as when there are none.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use cmnp_acta::{
    Acta, ActionEntry, AgendaEntry, AgreementEntry, Attendee, ObservationEntry, Session, Signatory,
    SignatoryRole, Stage, VoteEntry,
};
use cmnp_domain::agency::{Agency, Membership};
use cmnp_domain::agenda::{AttendanceStatus, AttendeeKind};
use cmnp_domain::document::OwnerKind;
use cmnp_domain::meeting::{Meeting, MeetingKind, MinutesStatus};
use cmnp_domain::policy::{Actor, Visible, minutes_visible_to};
use cmnp_domain::representative::{Language, Representative, RepresentativeKind};
use cmnp_store::{AgencyFilter, PageRequest, StoreError};
use uuid::Uuid;

use crate::app::AppState;
use crate::respond::{internal, not_found, reader};

/// Why no acta was made.
enum Refused {
    BadLanguage(String),
    NotFound,
    NoMinutes,
    Store(StoreError),
    Render(cmnp_acta::ActaError),
}

impl From<StoreError> for Refused {
    fn from(error: StoreError) -> Self {
        Refused::Store(error)
    }
}

pub async fn meeting(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(parameters): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let Ok(id) = Uuid::parse_str(&id) else {
        return not_found();
    };
    let actor = match reader(&state, &headers).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    let made = match language(&parameters) {
        Ok(language) => acta(&state, &actor, id, language).await,
        Err(refused) => Err(refused),
    };
    match made {
        Ok((name, body)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.pdf\""),
                ),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
            body,
        )
            .into_response(),
        Err(Refused::BadLanguage(text)) => (
            StatusCode::BAD_REQUEST,
            format!("query parameter lang: {text:?} is not es or en"),
        )
            .into_response(),
        Err(Refused::NotFound) => not_found(),
        Err(Refused::NoMinutes) => (
            StatusCode::CONFLICT,
            "no acta yet: this session's minutes have not been circulated",
        )
            .into_response(),
        Err(Refused::Store(error)) => internal(&error),
        Err(Refused::Render(error)) => internal(&error),
    }
}

fn language(parameters: &[(String, String)]) -> Result<Language, Refused> {
    match parameters.iter().find(|(key, _)| key == "lang") {
        None => Ok(Language::Es),
        Some((_, value)) => match value.as_str() {
            "es" => Ok(Language::Es),
            "en" => Ok(Language::En),
            other => Err(Refused::BadLanguage(other.to_owned())),
        },
    }
}

/// The acta's file name (without `.pdf`) and bytes.
async fn acta(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    language: Language,
) -> Result<(String, Vec<u8>), Refused> {
    let store = &state.store;
    let meeting = match store.meeting(id).await? {
        Some(meeting) if meeting.visible_to(actor) => meeting,
        _ => return Err(Refused::NotFound),
    };
    let stage = match meeting
        .minutes
        .as_ref()
        .map(|m| (m.status, m.approved_at_meeting_id))
    {
        Some((MinutesStatus::Circulated, _)) if minutes_visible_to(&meeting, actor) => {
            Stage::Circulated
        }
        Some((MinutesStatus::Approved, at)) if minutes_visible_to(&meeting, actor) => {
            let in_session = match at {
                // Named only to a reader who may see that later session.
                Some(at) => store
                    .meeting(at)
                    .await?
                    .filter(|later| later.visible_to(actor))
                    .map(|later| cmnp_acta::session_label(language, later.kind, &later.label())),
                None => None,
            };
            Stage::Approved { in_session }
        }
        _ => return Err(Refused::NoMinutes),
    };
    let date = meeting.starts_on();
    let agreements: Vec<_> = store
        .agreements_of(&[meeting.id])
        .await?
        .into_iter()
        .filter(|agreement| agreement.visible_to(actor))
        .collect();
    let agreement_ids: Vec<Uuid> = agreements.iter().map(|a| a.id).collect();
    let decisions = store.decisions_of(&agreement_ids).await?;
    let mut items: Vec<_> = store
        .action_items_of_agreements(&agreement_ids)
        .await?
        .into_iter()
        .filter(|item| item.visible_to(actor))
        .collect();
    items.sort_by_key(|item| (item.year, item.number));
    let signing = signing_agencies(state).await?;
    let mut agency_ids: Vec<Uuid> = meeting
        .invited_agency_ids
        .iter()
        .copied()
        .chain(items.iter().map(|item| item.responsible_agency_id))
        .chain(signing.iter().map(|(_, agency)| agency.id))
        .collect();
    agency_ids.sort_unstable();
    agency_ids.dedup();
    let agencies: HashMap<Uuid, Agency> = store
        .agencies_by_ids(&agency_ids)
        .await?
        .into_iter()
        .map(|agency| (agency.id, agency))
        .collect();
    let acronym = |id: &Uuid| {
        agencies
            .get(id)
            .map(|a| a.acronym.clone())
            .unwrap_or_default()
    };
    let people = store.representatives_of(&agency_ids).await?;

    let attendance = store.attendance_of(&[meeting.id]).await?;
    let mut attendees: Vec<Attendee> = meeting
        .invited_agency_ids
        .iter()
        .filter_map(|id| agencies.get(id))
        .map(|agency| {
            let record = attendance.iter().find(|a| a.agency_id == agency.id);
            let kind = record.and_then(|r| r.attendee_kind);
            let person = record
                .filter(|r| r.status == AttendanceStatus::Present)
                .and_then(|r| {
                    r.attendee_name.clone().or_else(|| {
                        representative(&people, agency.id, kind, date).map(|p| p.name.clone())
                    })
                });
            Attendee {
                acronym: agency.acronym.clone(),
                name: agency_name(agency, language).to_owned(),
                status: record.map(|r| r.status),
                kind,
                person,
                mode: record.and_then(|r| r.mode),
            }
        })
        .collect();
    attendees.sort_by(|a, b| a.acronym.cmp(&b.acronym));

    let agenda = store.agenda_of(&[meeting.id]).await?;
    let ids: Vec<Uuid> = agenda.iter().map(|item| item.id).collect();
    let papers = store.documents_of(OwnerKind::AgendaItem, &ids).await?;
    let agenda = agenda
        .into_iter()
        .map(|item| AgendaEntry {
            documents: papers
                .iter()
                .filter(|paper| paper.owner_id == item.id)
                .map(|paper| paper.title.clone())
                .collect(),
            title: item.title,
        })
        .collect();
    let observations = store
        .observations_of(&[meeting.id])
        .await?
        .into_iter()
        .map(|observation| ObservationEntry {
            acronym: acronym(&observation.agency_id),
            answer: observation.reply.map(|reply| (reply.answer, reply.text)),
            text: observation.text,
        })
        .collect();
    let agreements = agreements
        .iter()
        .map(|agreement| {
            let decision = decisions
                .iter()
                .find(|d| d.agreement_id == agreement.id)
                .cloned();
            let votes = decision
                .iter()
                .flat_map(|d| &d.votes)
                .map(|vote| VoteEntry {
                    acronym: acronym(&vote.agency_id),
                    choice: vote.choice,
                })
                .collect();
            AgreementEntry {
                label: agreement.label(),
                text: agreement.text.clone(),
                decision,
                votes,
                action_items: items
                    .iter()
                    .filter(|item| item.agreement_id == Some(agreement.id))
                    .map(|item| ActionEntry {
                        reference: item.reference(),
                        title: item.title.clone(),
                        owner: acronym(&item.responsible_agency_id),
                        due_on: item.due_on,
                    })
                    .collect(),
            }
        })
        .collect();
    let signatories = signing
        .iter()
        .map(|(role, agency)| {
            let person = representative(&people, agency.id, Some(AttendeeKind::Principal), date);
            Signatory {
                role: *role,
                agency: agency_name(agency, language).to_owned(),
                person: person.map(|p| p.name.clone()),
                position: person.and_then(|p| p.position.clone()),
            }
        })
        .collect();

    let zone = meeting.zone();
    let acta = Acta {
        language,
        session: Session {
            label: meeting.label(),
            title: meeting.title.clone(),
            kind: meeting.kind,
            date,
            starts: meeting
                .starts_at
                .with_timezone(&zone)
                .format("%H:%M")
                .to_string(),
            zone: meeting.time_zone.clone(),
            place: meeting
                .location
                .clone()
                .or_else(|| meeting.online_url.clone())
                .unwrap_or_else(|| "—".to_owned()),
        },
        stage,
        attendance: attendees,
        quorum: meeting.quorum,
        agenda,
        minutes: meeting
            .minutes
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default(),
        agreements,
        observations,
        signatories,
    };
    let name = file_name(&meeting, language, acta.stage == Stage::Circulated);
    let bytes = cmnp_acta::render(&acta).map_err(Refused::Render)?;
    Ok((name, bytes))
}

/// The presidency and the technical secretariat: the agencies whose representatives
/// sign, in that order.
async fn signing_agencies(state: &AppState) -> Result<Vec<(SignatoryRole, Agency)>, StoreError> {
    let mut signing = Vec::new();
    for (role, membership) in [
        (SignatoryRole::Presidency, Membership::Presidency),
        (
            SignatoryRole::TechnicalSecretariat,
            Membership::TechnicalSecretariat,
        ),
    ] {
        let filter = AgencyFilter {
            membership: Some(membership),
            active: Some(true),
            search: None,
        };
        let request = PageRequest {
            first: 1,
            after: None,
            with_total: false,
        };
        if let Some(agency) = state.store.agencies(filter, request).await?.items.pop() {
            signing.push((role, agency));
        }
    }
    Ok(signing)
}

/// The agency's representative of `kind` whose mandate covered the session's day: who
/// attended when the record names no one, or who signs.
fn representative(
    people: &[Representative],
    agency: Uuid,
    kind: Option<AttendeeKind>,
    date: NaiveDate,
) -> Option<&Representative> {
    let kind = match kind? {
        AttendeeKind::Principal => RepresentativeKind::Principal,
        AttendeeKind::Alternate => RepresentativeKind::Alternate,
        AttendeeKind::Delegate => return None,
    };
    people
        .iter()
        .filter(|p| p.agency_id == agency && p.kind == kind && p.is_current(date))
        .min_by(|a, b| a.name.cmp(&b.name))
}

fn agency_name(agency: &Agency, language: Language) -> &str {
    match language {
        Language::En => agency.name_en.as_deref().unwrap_or(&agency.name),
        Language::Es => &agency.name,
    }
}

/// "acta-sesion-ordinaria-3-2026", "proyecto-acta-…", "minutes-ordinary-session-3-2026".
fn file_name(meeting: &Meeting, language: Language, draft: bool) -> String {
    let kind = match (language, meeting.kind) {
        (Language::Es, MeetingKind::Ordinary) => "acta-sesion-ordinaria",
        (Language::Es, MeetingKind::Extraordinary) => "acta-sesion-extraordinaria",
        (Language::En, MeetingKind::Ordinary) => "minutes-ordinary-session",
        (Language::En, MeetingKind::Extraordinary) => "minutes-extraordinary-session",
    };
    let draft = match (draft, language) {
        (false, _) => "",
        (true, Language::Es) => "proyecto-",
        (true, Language::En) => "draft-",
    };
    format!("{draft}{kind}-{}-{}", meeting.number, meeting.year)
}
