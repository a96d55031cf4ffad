//! Calendar files: one session (`/meetings/<id>.ics`, signed in with a bearer token) and
//! a user's subscription feed (`/calendar/<secret>.ics`, opened by a calendar token).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use cmnp_calendar::{Calendar, CalendarEvent, Method, meeting_event, render};
use cmnp_domain::meeting::Meeting;
use cmnp_domain::policy::{Actor, Permission, Visible};
use cmnp_domain::representative::Language;
use cmnp_domain::user::Surface;
use cmnp_store::{MeetingFilter, PageRequest, actor_of};
use uuid::Uuid;

use crate::app::AppState;
use crate::respond::{internal, not_found, signed_in};

/// How far back a feed reaches: calendars keep last year's sessions.
const FEED_HISTORY_DAYS: i64 = 365;
const FEED_LIMIT: u64 = 500;

pub async fn meeting(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(id) = file
        .strip_suffix(".ics")
        .and_then(|id| Uuid::parse_str(id).ok())
    else {
        return not_found();
    };
    let actor = match signed_in(&state, &headers).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    match state.store.meeting(id).await {
        Ok(Some(meeting)) if meeting.visible_to(&actor) => ics(&state, "CMNP-TP-TIM", &[meeting]),
        Ok(_) => not_found(),
        Err(error) => internal(&error),
    }
}

pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(secret) = file.strip_suffix(".ics") else {
        return not_found();
    };
    let actor = match state.store.authenticate_for(secret, Surface::Feed).await {
        Ok(Some(auth)) => actor_of(&auth.user),
        // An unknown, revoked or non-calendar secret gets the same answer as a wrong path.
        Ok(None) => return not_found(),
        Err(error) => return internal(&error),
    };
    match feed_meetings(&state, &actor).await {
        Ok(meetings) => ics(&state, "CMNP-TP-TIM · sesiones", &meetings),
        Err(error) => internal(&error),
    }
}

async fn feed_meetings(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<Meeting>, cmnp_store::StoreError> {
    if !actor.may(Permission::ReadCommissionWork) {
        return Ok(Vec::new());
    }
    let filter = MeetingFilter {
        from: Some(chrono::Utc::now() - chrono::Duration::days(FEED_HISTORY_DAYS)),
        invited_agency_id: actor.sessions_bound(),
        ..MeetingFilter::default()
    };
    let page = state
        .store
        .meetings(
            filter,
            PageRequest {
                first: FEED_LIMIT,
                after: None,
                with_total: false,
            },
        )
        .await?;
    Ok(page
        .items
        .into_iter()
        .filter(|meeting| meeting.visible_to(actor))
        .collect())
}

fn ics(state: &AppState, name: &str, meetings: &[Meeting]) -> Response {
    let events: Vec<CalendarEvent> = meetings
        .iter()
        .map(|m| meeting_event(m, Language::Es, &[], &state.public_url))
        .collect();
    let body = render(&Calendar {
        name,
        method: Method::Publish,
        events: &events,
    });
    (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response()
}
