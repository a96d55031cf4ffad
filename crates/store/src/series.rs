//! Meeting series: scheduling one, creating its sessions up to a horizon (at scheduling
//! time and at every tick of the scheduler), and ending it before one of its sessions.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use cmnp_domain::ValidationError;
use cmnp_domain::audit::changes;
use cmnp_domain::meeting::{
    Meeting, MeetingChanges, MeetingKind, MeetingSeries, MeetingStatus, SeriesChange, SeriesPlan,
};
use cmnp_domain::outbox::MeetingNotice;
use cmnp_domain::policy::Actor;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{meeting, meeting_series};
use crate::error::column;
use crate::meetings::{self, Change, active_member_ids, require_agencies};
use crate::{Store, StoreError};

/// A series to schedule.
#[derive(Debug, Clone)]
pub struct NewSeries {
    pub kind: MeetingKind,
    pub plan: SeriesPlan,
    /// `None` invites every active member agency of the day each session is created.
    pub invited_agency_ids: Option<Vec<Uuid>>,
}

impl Store {
    /// Writes the series and creates its sessions up to `horizon` from now, in one
    /// transaction.
    pub async fn schedule_meeting_series(
        &self,
        actor: Option<&Actor>,
        new: NewSeries,
        horizon: Duration,
    ) -> Result<MeetingSeries, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        // Without a list, the members of the day the series is scheduled: a list that
        // says whom the series invites, and who may read it.
        let invited = match new.invited_agency_ids {
            Some(ids) => require_agencies(&txn, ids, "invitedAgencyIds").await?,
            None => active_member_ids(&txn).await?,
        };
        let series = new
            .plan
            .into_series(Uuid::now_v7(), new.kind, Some(invited), now);
        row(&series)?.insert(&txn).await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "meeting_series.schedule",
                object_type: "meeting_series",
                object_id: series.id,
                changes: changes(None, Some(&series)),
            },
        )
        .await?;
        self.create_sessions(&txn, actor, &series, now, now + horizon)
            .await?;
        txn.commit().await?;
        Ok(series)
    }

    /// Creates the sessions every series is due to have by `now + horizon` and does not
    /// have yet; returns how many. Each series is settled in its own transaction with its
    /// row locked, so two processes ticking at once create each session once.
    pub async fn create_series_sessions(&self, horizon: Duration) -> Result<usize, StoreError> {
        let ids: Vec<Uuid> = meeting_series::Entity::find()
            .select_only()
            .column(meeting_series::Column::Id)
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await?;
        let mut created = 0;
        for id in ids {
            let now = Utc::now();
            let txn = self.write().await?;
            let series = lock(&txn, id).await?;
            created += self
                .create_sessions(&txn, None, &series, now, now + horizon)
                .await?;
            txn.commit().await?;
        }
        Ok(created)
    }

    /// Cancels a session of a series and every later one, and ends the series before it
    /// ("this and following"), in one transaction.
    pub async fn cancel_following_meetings(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
        reason: &str,
    ) -> Result<Meeting, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let first = meetings::lock(&txn, id).await?;
        let (Some(series_id), Some(recurrence_id)) = (first.series_id, first.recurrence_id) else {
            return Err(
                ValidationError::new("scope", "the session is not part of a series").into(),
            );
        };
        let before = lock(&txn, series_id).await?;
        let after = before.ended_before(recurrence_id, now)?;
        row(&after)?.update(&txn).await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "meeting_series.end",
                object_type: "meeting_series",
                object_id: series_id,
                changes: changes(Some(&before), Some(&after)),
            },
        )
        .await?;
        let following: Vec<Uuid> = meeting::Entity::find()
            .select_only()
            .column(meeting::Column::Id)
            .filter(meeting::Column::SeriesId.eq(series_id))
            .filter(meeting::Column::RecurrenceId.gte(recurrence_id))
            .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled.as_str()))
            .order_by_asc(meeting::Column::RecurrenceId)
            .into_tuple::<Uuid>()
            .all(&txn)
            .await?;
        let mut cancelled = first;
        for meeting_id in following {
            let change = Change {
                actor,
                action: "meeting.cancel",
                expected_version: None,
                notice: Some(MeetingNotice::Cancellation),
            };
            let after = self
                .change_within(
                    &txn,
                    meeting_id,
                    change,
                    async |txn, before, now| meetings::cancelled(txn, before, reason, now).await,
                    now,
                )
                .await?;
            if meeting_id == id {
                cancelled = after;
            }
        }
        txn.commit().await?;
        Ok(cancelled)
    }

    /// Changes a session of a series and every later one ("this and following"): the
    /// series ends before it and a new series, with the change, goes on from its day;
    /// the later sessions move to the new series, each at the new time on its own day,
    /// and invitees hear of each change, in one transaction.
    pub async fn update_following_meetings(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
        expected_version: Option<i32>,
        requested: MeetingChanges,
    ) -> Result<Meeting, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let first = meetings::lock(&txn, id).await?;
        StoreError::unless_stale("session", first.version, expected_version)?;
        let (Some(series_id), Some(recurrence_id)) = (first.series_id, first.recurrence_id) else {
            return Err(
                ValidationError::new("scope", "the session is not part of a series").into(),
            );
        };
        if first.status != MeetingStatus::Scheduled {
            return Err(ValidationError::new(
                "scope",
                "this and following starts from a session still scheduled",
            )
            .into());
        }
        if requested
            .time_zone
            .as_ref()
            .is_some_and(|zone| *zone != first.time_zone)
        {
            return Err(ValidationError::new(
                "timeZone",
                "a series keeps its zone; schedule a new series instead",
            )
            .into());
        }
        let before = lock(&txn, series_id).await?;
        let zone = before.zone();
        let starts_at = requested.starts_at.unwrap_or(first.starts_at);
        let ends_at = requested.ends_at.unwrap_or(first.ends_at);
        if starts_at.with_timezone(&zone).date_naive()
            != recurrence_id.with_timezone(&zone).date_naive()
        {
            return Err(ValidationError::new(
                "startsAt",
                "this and following keeps each session's day; move a session to another day alone",
            )
            .into());
        }
        let invited = match requested.invited_agency_ids.clone() {
            Some(ids) => Some(require_agencies(&txn, ids, "invitedAgencyIds").await?),
            None => before.invited_agency_ids.clone(),
        };
        let change = SeriesChange {
            title: requested
                .title
                .clone()
                .unwrap_or_else(|| before.title.clone()),
            start_time: starts_at.with_timezone(&zone).time(),
            duration_minutes: i32::try_from((ends_at - starts_at).num_minutes())
                .unwrap_or_default(),
            location: requested
                .location
                .clone()
                .unwrap_or_else(|| before.location.clone()),
            online_url: requested
                .online_url
                .clone()
                .unwrap_or_else(|| before.online_url.clone()),
            invited_agency_ids: invited,
        };
        let (ended, continued) = before.split(recurrence_id, change, Uuid::now_v7(), now)?;
        row(&ended)?.update(&txn).await?;
        row(&continued)?.insert(&txn).await?;
        for (action, object_id, old, new) in [
            ("meeting_series.end", ended.id, Some(&before), &ended),
            ("meeting_series.schedule", continued.id, None, &continued),
        ] {
            audit::record(
                &txn,
                now,
                Entry {
                    actor,
                    action,
                    object_type: "meeting_series",
                    object_id,
                    changes: changes(old, Some(new)),
                },
            )
            .await?;
        }
        let following = meetings::read(
            &txn,
            meeting::Entity::find()
                .filter(meeting::Column::SeriesId.eq(series_id))
                .filter(meeting::Column::RecurrenceId.gte(recurrence_id))
                .order_by_asc(meeting::Column::RecurrenceId),
        )
        .await?;
        let mut changed = first;
        for session in following {
            let Some(start) = session
                .recurrence_id
                .and_then(|at| continued.start_on_day_of(at))
            else {
                continue;
            };
            meeting::Entity::update_many()
                .col_expr(meeting::Column::SeriesId, Expr::value(continued.id))
                .col_expr(meeting::Column::RecurrenceId, Expr::value(start))
                .filter(meeting::Column::Id.eq(session.id))
                .exec(&txn)
                .await?;
            if session.status != MeetingStatus::Scheduled {
                continue;
            }
            let moved = MeetingChanges {
                title: Some(continued.title.clone()),
                starts_at: Some(start),
                ends_at: Some(start + continued.duration()),
                time_zone: None,
                location: Some(continued.location.clone()),
                online_url: Some(continued.online_url.clone()),
                invited_agency_ids: requested.invited_agency_ids.clone(),
            };
            let change = Change {
                actor,
                action: "meeting.update",
                expected_version: None,
                notice: Some(MeetingNotice::Update),
            };
            let after = self
                .change_within(
                    &txn,
                    session.id,
                    change,
                    async |txn, before, now| meetings::changed(txn, before, moved, now).await,
                    now,
                )
                .await?;
            if session.id == id {
                changed = after;
            }
        }
        let changed = meetings::load(&txn, changed.id).await?;
        txn.commit().await?;
        Ok(changed)
    }

    pub async fn meeting_series_by_ids(
        &self,
        ids: &[Uuid],
    ) -> Result<Vec<MeetingSeries>, StoreError> {
        meeting_series::Entity::find()
            .filter(meeting_series::Column::Id.is_in(ids.iter().copied()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// At most `limit` sessions of a series starting at or after `from`, in the order of
    /// the starts its rule gave them; with `scheduled_only`, only those still to be held.
    pub async fn series_meetings(
        &self,
        series_id: Uuid,
        from: Option<DateTime<Utc>>,
        scheduled_only: bool,
        limit: u64,
    ) -> Result<Vec<Meeting>, StoreError> {
        let mut select = meeting::Entity::find().filter(meeting::Column::SeriesId.eq(series_id));
        if let Some(from) = from {
            select = select.filter(meeting::Column::StartsAt.gte(from));
        }
        if scheduled_only {
            select = select.filter(meeting::Column::Status.eq(MeetingStatus::Scheduled.as_str()));
        }
        meetings::read(
            &self.db,
            select
                .order_by_asc(meeting::Column::RecurrenceId)
                .limit(limit),
        )
        .await
    }

    /// Creates the sessions of `series` from `from` to `to` that do not exist yet.
    async fn create_sessions(
        &self,
        txn: &DatabaseTransaction,
        actor: Option<&Actor>,
        series: &MeetingSeries,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let existing: Vec<DateTime<Utc>> = meeting::Entity::find()
            .select_only()
            .column(meeting::Column::RecurrenceId)
            .filter(meeting::Column::SeriesId.eq(series.id))
            .filter(meeting::Column::RecurrenceId.is_not_null())
            .into_tuple::<DateTime<Utc>>()
            .all(txn)
            .await?;
        let due: Vec<DateTime<Utc>> = series
            .occurrences(from, to)?
            .into_iter()
            .filter(|start| !existing.contains(start))
            .collect();
        if due.is_empty() {
            return Ok(0);
        }
        let invited = match &series.invited_agency_ids {
            Some(ids) => ids.clone(),
            None => active_member_ids(txn).await?,
        };
        for recurrence_id in &due {
            self.insert_meeting(
                txn,
                actor,
                series.kind,
                series.occurrence(*recurrence_id),
                &invited,
                Some((series.id, *recurrence_id)),
                from,
            )
            .await?;
        }
        Ok(due.len())
    }
}

/// Reads a series inside a write transaction and locks its row until the transaction
/// ends (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's write transactions are already
/// exclusive).
async fn lock<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<MeetingSeries, StoreError> {
    meeting_series::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(StoreError::NotFound("meeting series"))
        .and_then(to_domain)
}

fn row(series: &MeetingSeries) -> Result<meeting_series::ActiveModel, StoreError> {
    let invited = series
        .invited_agency_ids
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|error| StoreError::Internal(format!("meeting_series: {error}")))?;
    let except_on: Vec<String> = series.except_on.iter().map(ToString::to_string).collect();
    Ok(meeting_series::ActiveModel {
        id: Set(series.id),
        kind: Set(series.kind.as_str().to_owned()),
        title: Set(series.title.clone()),
        rule: Set(series.rule.clone()),
        time_zone: Set(series.time_zone.clone()),
        starts_at: Set(series.starts_at),
        duration_minutes: Set(series.duration_minutes),
        except_on: Set(except_on.join(",")),
        location: Set(series.location.clone()),
        online_url: Set(series.online_url.clone()),
        invited_agency_ids: Set(invited),
        created_at: Set(series.created_at),
        updated_at: Set(series.updated_at),
        version: Set(series.version),
    })
}

fn to_domain(row: meeting_series::Model) -> Result<MeetingSeries, StoreError> {
    let invited_agency_ids = row
        .invited_agency_ids
        .as_deref()
        .map(serde_json::from_str::<Vec<Uuid>>)
        .transpose()
        .map_err(|error| StoreError::Internal(format!("meeting_series: {error}")))?;
    let except_on = row
        .except_on
        .split(',')
        .filter(|day| !day.is_empty())
        .map(str::parse::<NaiveDate>)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| StoreError::Internal(format!("meeting_series: {error}")))?;
    Ok(MeetingSeries {
        id: row.id,
        kind: column(&row.kind, "meeting_series.kind")?,
        title: row.title,
        rule: row.rule,
        time_zone: row.time_zone,
        starts_at: row.starts_at,
        duration_minutes: row.duration_minutes,
        except_on,
        location: row.location,
        online_url: row.online_url,
        invited_agency_ids,
        created_at: row.created_at,
        updated_at: row.updated_at,
        version: row.version,
    })
}
