//! CSV exports for the secretariat's annual report: action items (filtered as in the
//! API), attendance per agency in a year, and indicators per period. Each is a UTF-8 CSV
//! file with a header row, as spreadsheets and Python's `csv` module read it.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use cmnp_domain::action_item::{ActionItem, ActionItemStatus};
use cmnp_domain::agency::Agency;
use cmnp_domain::agenda::AttendanceStatus;
use cmnp_domain::meeting::{Meeting, MeetingStatus, local_date};
use cmnp_domain::policy::{Actor, Permission, Visible};
use cmnp_store::{
    ActionItemFilter, MeetingFilter, Page, PageRequest, ProjectScope, Store, StoreError,
};
use uuid::Uuid;

use crate::app::AppState;
use crate::respond::{forbidden, internal, signed_in};

/// The most rows an export holds; a filter that matches more is refused, not cut short.
const MAX_ROWS: usize = 20_000;
const PAGE: u64 = 500;

/// Why an export was not made.
enum Refused {
    /// A query parameter the export cannot read, named.
    BadParameter(String, String),
    TooMany,
    /// A filter naming a session the reader may not see.
    Forbidden,
    Store(StoreError),
}

impl From<StoreError> for Refused {
    fn from(error: StoreError) -> Self {
        Refused::Store(error)
    }
}

impl From<csv::Error> for Refused {
    fn from(error: csv::Error) -> Self {
        Refused::Store(StoreError::Internal(format!("cannot write CSV: {error}")))
    }
}

type Parameters = Query<Vec<(String, String)>>;

/// `GET /exports/action-items.csv`: the action items the API lists, with its filter as
/// query parameters (`status` repeated, `responsibleAgencyId`, `overdue`, `dueBefore`,
/// `meetingId`, `projectId`).
pub async fn action_items(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(parameters): Parameters,
) -> Response {
    let actor = match permitted(&state, &headers, Permission::ReadCommissionWork).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    let today = local_date(Utc::now(), state.time_zone);
    respond(
        "acciones",
        action_items_csv(&state.store, &actor, &parameters, today).await,
    )
}

/// `GET /exports/attendance.csv?year=2026`: per agency, the sessions of the year it was
/// invited to and how it attended those held. Secretariat only.
pub async fn attendance(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(parameters): Parameters,
) -> Response {
    if let Err(response) = permitted(&state, &headers, Permission::ManageMeetings).await {
        return response;
    }
    let year = match single(&parameters, "year") {
        Some(text) => match text.parse::<i32>() {
            Ok(year) if (2000..=2100).contains(&year) => year,
            _ => {
                return respond(
                    "asistencia",
                    Err(Refused::BadParameter(
                        "year".into(),
                        format!("{text:?} is not a year between 2000 and 2100"),
                    )),
                );
            }
        },
        None => local_date(Utc::now(), state.time_zone).year(),
    };
    respond(
        &format!("asistencia-{year}"),
        attendance_csv(&state.store, year, state.time_zone).await,
    )
}

/// `GET /exports/indicators.csv`: every indicator period of the projects the reader may
/// see, with the indicator's baseline and target.
pub async fn indicators(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let actor = match signed_in(&state, &headers).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    let Some(scope) = ProjectScope::of(&actor) else {
        return forbidden();
    };
    respond("indicadores", indicators_csv(&state.store, scope).await)
}

async fn permitted(
    state: &AppState,
    headers: &HeaderMap,
    permission: Permission,
) -> Result<Actor, Response> {
    let actor = signed_in(state, headers).await?;
    if actor.may(permission) {
        Ok(actor)
    } else {
        Err(forbidden())
    }
}

fn respond(name: &str, made: Result<Vec<u8>, Refused>) -> Response {
    match made {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}.csv\""),
                ),
            ],
            body,
        )
            .into_response(),
        Err(Refused::BadParameter(name, message)) => (
            StatusCode::BAD_REQUEST,
            format!("query parameter {name}: {message}"),
        )
            .into_response(),
        Err(Refused::TooMany) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the export would hold more than {MAX_ROWS} rows: narrow the filter"),
        )
            .into_response(),
        Err(Refused::Forbidden) => forbidden(),
        Err(Refused::Store(error)) => internal(&error),
    }
}

fn single<'a>(parameters: &'a [(String, String)], name: &str) -> Option<&'a str> {
    parameters
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn parsed<T: std::str::FromStr>(
    parameters: &[(String, String)],
    name: &str,
    what: &str,
) -> Result<Option<T>, Refused> {
    single(parameters, name)
        .map(|text| {
            text.parse().map_err(|_| {
                Refused::BadParameter(name.to_owned(), format!("{text:?} is not {what}"))
            })
        })
        .transpose()
}

fn item_filter(
    parameters: &[(String, String)],
    today: NaiveDate,
) -> Result<ActionItemFilter, Refused> {
    const KNOWN: [&str; 6] = [
        "status",
        "responsibleAgencyId",
        "overdue",
        "dueBefore",
        "meetingId",
        "projectId",
    ];
    if let Some((unknown, _)) = parameters
        .iter()
        .find(|(key, _)| !KNOWN.contains(&key.as_str()))
    {
        return Err(Refused::BadParameter(
            unknown.clone(),
            format!("unknown; the filters are {}", KNOWN.join(", ")),
        ));
    }
    let statuses = parameters
        .iter()
        .filter(|(key, _)| key == "status")
        .map(|(_, value)| {
            value
                .parse::<ActionItemStatus>()
                .map_err(|error| Refused::BadParameter("status".into(), error.message))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ActionItemFilter {
        statuses,
        responsible_agency_id: parsed::<Uuid>(parameters, "responsibleAgencyId", "an id")?,
        overdue: parsed::<bool>(parameters, "overdue", "true or false")?
            .map(|overdue| (overdue, today)),
        due_before: parsed::<NaiveDate>(parameters, "dueBefore", "a date (YYYY-MM-DD)")?,
        meeting_id: parsed::<Uuid>(parameters, "meetingId", "an id")?,
        project_id: parsed::<Uuid>(parameters, "projectId", "an id")?,
        ..ActionItemFilter::default()
    })
}

async fn action_items_csv(
    store: &Store,
    actor: &Actor,
    parameters: &[(String, String)],
    today: NaiveDate,
) -> Result<Vec<u8>, Refused> {
    let filter = item_filter(parameters, today)?;
    // As in the API: filtering by a session asks to see it.
    if let Some(meeting_id) = filter.meeting_id {
        let visible = store
            .meeting(meeting_id)
            .await?
            .is_some_and(|meeting| meeting.visible_to(actor));
        if !visible {
            return Err(Refused::Forbidden);
        }
    }
    let mut items = every_page(
        |request| store.action_items(filter.clone(), request),
        |item: &ActionItem| (item.due_on, item.id),
    )
    .await?;
    items.retain(|item| item.visible_to(actor));
    let agencies = acronyms(
        store,
        items.iter().flat_map(|item| {
            item.supporting_agency_ids
                .iter()
                .copied()
                .chain([item.responsible_agency_id])
        }),
    )
    .await?;
    let name = |id: &Uuid| agencies.get(id).cloned().unwrap_or_default();
    let mut csv = csv::Writer::from_writer(Vec::new());
    write_row(
        &mut csv,
        [
            "reference",
            "title",
            "responsible",
            "supporting",
            "status",
            "progress_percent",
            "due_on",
            "overdue",
            "completed_on",
        ],
    )?;
    for item in &items {
        let supporting: Vec<String> = item.supporting_agency_ids.iter().map(name).collect();
        write_row(
            &mut csv,
            [
                item.reference(),
                item.title.clone(),
                name(&item.responsible_agency_id),
                supporting.join("; "),
                item.status.as_str().to_owned(),
                item.progress_percent.to_string(),
                item.due_on.to_string(),
                item.is_overdue(today).to_string(),
                item.completed_on.map(|d| d.to_string()).unwrap_or_default(),
            ],
        )?;
    }
    finish(csv)
}

async fn attendance_csv(store: &Store, year: i32, zone: chrono_tz::Tz) -> Result<Vec<u8>, Refused> {
    let bound = |year: i32| {
        NaiveDate::from_ymd_opt(year, 1, 1)
            .and_then(|day| day.and_hms_opt(0, 0, 0))
            .and_then(|midnight| zone.from_local_datetime(&midnight).earliest())
            .map(|at| at.with_timezone(&Utc))
    };
    let (Some(from), Some(to)) = (bound(year), bound(year + 1)) else {
        return Err(Refused::BadParameter(
            "year".into(),
            format!("{year} is out of range"),
        ));
    };
    let filter = MeetingFilter {
        from: Some(from),
        to: Some(to),
        ..MeetingFilter::default()
    };
    let mut meetings = every_page(
        |request| store.meetings(filter.clone(), request),
        |meeting: &Meeting| (meeting.starts_at, meeting.id),
    )
    .await?;
    meetings.retain(|m| m.status != MeetingStatus::Cancelled && m.starts_at < to);
    let held: Vec<Uuid> = meetings
        .iter()
        .filter(|m| m.status == MeetingStatus::Held)
        .map(|m| m.id)
        .collect();
    let records = store.attendance_of(&held).await?;
    let mut rows: BTreeMap<Uuid, Tally> = BTreeMap::new();
    for meeting in &meetings {
        for agency in &meeting.invited_agency_ids {
            let tally = rows.entry(*agency).or_default();
            tally.invited += 1;
            if meeting.status == MeetingStatus::Held {
                tally.held += 1;
            }
        }
    }
    for record in &records {
        let tally = rows.entry(record.agency_id).or_default();
        match record.status {
            AttendanceStatus::Present => tally.present += 1,
            AttendanceStatus::Absent => tally.absent += 1,
            AttendanceStatus::Excused => tally.excused += 1,
        }
    }
    let agencies: Vec<Agency> = store
        .agencies_by_ids(&rows.keys().copied().collect::<Vec<_>>())
        .await?;
    let mut agencies: Vec<&Agency> = agencies.iter().collect();
    agencies.sort_by(|a, b| a.acronym.cmp(&b.acronym));
    let mut csv = csv::Writer::from_writer(Vec::new());
    write_row(
        &mut csv,
        [
            "year",
            "agency",
            "agency_name",
            "sessions_invited",
            "sessions_held",
            "present",
            "absent",
            "excused",
            "not_recorded",
        ],
    )?;
    for agency in agencies {
        let tally = rows.get(&agency.id).copied().unwrap_or_default();
        let recorded = tally.present + tally.absent + tally.excused;
        write_row(
            &mut csv,
            [
                year.to_string(),
                agency.acronym.clone(),
                agency.name.clone(),
                tally.invited.to_string(),
                tally.held.to_string(),
                tally.present.to_string(),
                tally.absent.to_string(),
                tally.excused.to_string(),
                tally.held.saturating_sub(recorded).to_string(),
            ],
        )?;
    }
    finish(csv)
}

#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    invited: u32,
    held: u32,
    present: u32,
    absent: u32,
    excused: u32,
}

async fn indicators_csv(store: &Store, scope: ProjectScope) -> Result<Vec<u8>, Refused> {
    let projects = store.all_projects(scope).await?;
    let ids: Vec<Uuid> = projects.iter().map(|p| p.id).collect();
    let parts = store.project_parts(&ids).await?;
    let projects: HashMap<Uuid, _> = projects.iter().map(|p| (p.id, p)).collect();
    let results: HashMap<Uuid, _> = parts.results.iter().map(|r| (r.id, r)).collect();
    let indicators: HashMap<Uuid, _> = parts.indicators.iter().map(|i| (i.id, i)).collect();
    let mut csv = csv::Writer::from_writer(Vec::new());
    write_row(
        &mut csv,
        [
            "project",
            "project_title",
            "result",
            "indicator",
            "baseline",
            "target",
            "period_start",
            "period_end",
            "period_target",
            "actual",
        ],
    )?;
    for period in &parts.periods {
        let Some(indicator) = indicators.get(&period.indicator_id) else {
            continue;
        };
        let Some(result) = results.get(&indicator.result_id) else {
            continue;
        };
        let Some(project) = projects.get(&result.project_id) else {
            continue;
        };
        let decimal =
            |value: Option<rust_decimal::Decimal>| value.map(|v| v.to_string()).unwrap_or_default();
        write_row(
            &mut csv,
            [
                project.iati_identifier.clone(),
                project.title.clone(),
                result.title.clone(),
                indicator.title.clone(),
                indicator.baseline.to_string(),
                indicator.target.to_string(),
                period.period_start.to_string(),
                period.period_end.to_string(),
                decimal(period.target),
                decimal(period.actual),
            ],
        )?;
    }
    finish(csv)
}

/// Every page `fetch` reads, in order, each after the `key` of the last row before it;
/// more than [`MAX_ROWS`] rows are refused rather than cut short.
async fn every_page<T, K, F>(
    mut fetch: impl FnMut(PageRequest<K>) -> F,
    key: impl Fn(&T) -> K,
) -> Result<Vec<T>, Refused>
where
    F: Future<Output = Result<Page<T>, StoreError>>,
{
    let mut rows = Vec::new();
    let mut after = None;
    loop {
        let page = fetch(PageRequest {
            first: PAGE,
            after,
            with_total: false,
        })
        .await?;
        after = page.items.last().map(&key);
        rows.extend(page.items);
        if rows.len() > MAX_ROWS {
            return Err(Refused::TooMany);
        }
        if !page.has_next_page {
            return Ok(rows);
        }
    }
}

async fn acronyms(
    store: &Store,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, String>, StoreError> {
    let mut ids: Vec<Uuid> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(store
        .agencies_by_ids(&ids)
        .await?
        .into_iter()
        .map(|agency| (agency.id, agency.acronym))
        .collect())
}

/// Writes one row. A cell that a spreadsheet would read as a formula (starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return) is written behind an apostrophe, so that a
/// title someone typed can never run in the secretariat's spreadsheet. A number (a
/// negative indicator value, say) is left as it is.
fn write_row<const N: usize>(
    csv: &mut csv::Writer<Vec<u8>>,
    cells: [impl AsRef<str>; N],
) -> Result<(), csv::Error> {
    csv.write_record(cells.into_iter().map(|cell| {
        let cell = cell.as_ref();
        if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err() {
            format!("'{cell}")
        } else {
            cell.to_owned()
        }
    }))
}

fn finish(csv: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, Refused> {
    csv.into_inner()
        .map_err(|error| Refused::Store(StoreError::Internal(format!("cannot write CSV: {error}"))))
}
