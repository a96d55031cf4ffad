//! Calendar files: one session (`/meetings/<id>.ics`, signed in with a bearer token), one
//! series (`/meeting-series/<id>.ics`, likewise) and a user's subscription feed
//! (`/calendar/<secret>.ics`, opened by a calendar token). A session of a series is
//! always written with its series: one event with the rule and its exceptions
//! (`RRULE`, `EXDATE` for the cancelled sessions) and each session that is held or still
//! to come as the occurrence it overrides (`RECURRENCE-ID`), under the series' `UID`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use cmnp_calendar::{Calendar, CalendarEvent, Method, meeting_event, render, series_event};
use cmnp_domain::meeting::{Meeting, MeetingSeries, MeetingStatus};
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
/// The most sessions of one series a calendar file carries.
const SERIES_LIMIT: u64 = 1_000;
/// How far past a series' last known session the zone's definition reaches.
const SERIES_ZONE_DAYS: i64 = 366;

/// The id a calendar file is named after: `<id>.ics`.
fn ics_id(file: &str) -> Option<Uuid> {
    file.strip_suffix(".ics")
        .and_then(|id| Uuid::parse_str(id).ok())
}

pub async fn meeting(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(id) = ics_id(&file) else {
        return not_found();
    };
    let actor = match signed_in(&state, &headers).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    match state.store.meeting(id).await {
        Ok(Some(meeting)) if meeting.visible_to(&actor) => {
            match events(&state, &actor, vec![meeting]).await {
                Ok(events) => ics("CMNP-TP-TIM", &events),
                Err(error) => internal(&error),
            }
        }
        Ok(_) => not_found(),
        Err(error) => internal(&error),
    }
}

pub async fn series(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(id) = ics_id(&file) else {
        return not_found();
    };
    let actor = match signed_in(&state, &headers).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    let found = match state.store.meeting_series_by_ids(&[id]).await {
        Ok(mut found) => found.pop().filter(|series| series.visible_to(&actor)),
        Err(error) => return internal(&error),
    };
    let Some(series) = found else {
        return not_found();
    };
    match series_events(&state, &actor, &series).await {
        Ok(events) => ics("CMNP-TP-TIM", &events),
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
    let events = match feed_meetings(&state, &actor).await {
        Ok(meetings) => events(&state, &actor, meetings).await,
        Err(error) => Err(error),
    };
    match events {
        Ok(events) => ics("CMNP-TP-TIM · sesiones", &events),
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

/// The events of `meetings`: each single session as itself, and each series that any
/// of them belongs to once, whole, in place of its sessions. A session of a series the
/// reader may not read (invited to that session alone) is written as itself.
async fn events(
    state: &AppState,
    actor: &Actor,
    meetings: Vec<Meeting>,
) -> Result<Vec<CalendarEvent>, cmnp_store::StoreError> {
    let mut series_ids: Vec<Uuid> = meetings.iter().filter_map(|m| m.series_id).collect();
    series_ids.sort();
    series_ids.dedup();
    let readable: Vec<MeetingSeries> = state
        .store
        .meeting_series_by_ids(&series_ids)
        .await?
        .into_iter()
        .filter(|series| series.visible_to(actor))
        .collect();
    let mut events: Vec<CalendarEvent> = meetings
        .iter()
        .filter(|meeting| {
            meeting
                .series_id
                .is_none_or(|id| readable.iter().all(|series| series.id != id))
        })
        .map(|meeting| meeting_event(meeting, Language::Es, &[], &state.public_url))
        .collect();
    for series in &readable {
        events.extend(series_events(state, actor, series).await?);
    }
    Ok(events)
}

/// `series` as one repeating event, its cancelled sessions as exceptions, and its other
/// sessions the reader may see as the occurrences they override.
async fn series_events(
    state: &AppState,
    actor: &Actor,
    series: &MeetingSeries,
) -> Result<Vec<CalendarEvent>, cmnp_store::StoreError> {
    let sessions = state
        .store
        .series_meetings(series.id, None, false, SERIES_LIMIT)
        .await?;
    let (cancelled, held_or_coming): (Vec<Meeting>, Vec<Meeting>) = sessions
        .into_iter()
        .partition(|meeting| meeting.status == MeetingStatus::Cancelled);
    let cancelled: Vec<_> = cancelled.iter().filter_map(|m| m.recurrence_id).collect();
    let last = held_or_coming
        .iter()
        .map(|meeting| meeting.ends_at)
        .chain([series.starts_at, Utc::now()])
        .max()
        .unwrap_or(series.starts_at);
    let covers_until = last + Duration::days(SERIES_ZONE_DAYS);
    let mut events = vec![series_event(series, &cancelled, covers_until, Language::Es)];
    events.extend(
        held_or_coming
            .iter()
            .filter(|meeting| meeting.visible_to(actor))
            .map(|meeting| meeting_event(meeting, Language::Es, &[], &state.public_url)),
    );
    Ok(events)
}

fn ics(name: &str, events: &[CalendarEvent]) -> Response {
    let body = render(&Calendar {
        name,
        method: Method::Publish,
        events,
    });
    (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response()
}
