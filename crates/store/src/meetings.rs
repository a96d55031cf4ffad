//! Meetings: scheduling, changes, cancellation, and reading them with their invitations.

use chrono::{DateTime, Utc};
use cmnp_domain::ValidationError;
use cmnp_domain::agenda::{AgendaItemFields, AgendaItemKind};
use cmnp_domain::audit::changes;
use cmnp_domain::meeting::{
    Meeting, MeetingChanges, MeetingKind, MeetingStatus, Minutes, Quorum, Schedule,
};
use cmnp_domain::outbox::MeetingNotice;
use cmnp_domain::policy::Actor;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Select, Set,
};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{agency, agreement, attendance, meeting, meeting_invitation};
use crate::error::column;
use crate::page::{self, Page, PageRequest};
use crate::row::{self, WithIds};
use crate::{Store, StoreError, agenda, counters};

/// A new session to schedule.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub kind: MeetingKind,
    pub schedule: Schedule,
    /// `None` invites every active member agency.
    pub invited_agency_ids: Option<Vec<Uuid>>,
}

#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    pub status: Option<MeetingStatus>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Only sessions this agency is invited to.
    pub invited_agency_id: Option<Uuid>,
}

impl Store {
    pub async fn schedule_meeting(
        &self,
        actor: Option<&Actor>,
        new: NewMeeting,
    ) -> Result<Meeting, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let invited = match new.invited_agency_ids {
            Some(ids) => require_agencies(&txn, ids, "invitedAgencyIds").await?,
            None => active_member_ids(&txn).await?,
        };
        let scheduled = self
            .insert_meeting(&txn, actor, new.kind, new.schedule, &invited, None, now)
            .await?;
        txn.commit().await?;
        Ok(scheduled)
    }

    /// Writes a new session numbered in its kind and year, with its invitations, its
    /// agenda (an ordinary session reviews what earlier ones committed to), the
    /// invitations' e-mails and its audit event; `occurrence` places it in a series.
    #[expect(clippy::too_many_arguments, reason = "one session's every part")]
    pub(crate) async fn insert_meeting(
        &self,
        txn: &DatabaseTransaction,
        actor: Option<&Actor>,
        kind: MeetingKind,
        schedule: Schedule,
        invited: &[Uuid],
        occurrence: Option<(Uuid, DateTime<Utc>)>,
        now: DateTime<Utc>,
    ) -> Result<Meeting, StoreError> {
        let year = schedule.year();
        let number = counters::next(txn, &format!("meeting:{kind}:{year}")).await?;
        let id = Uuid::now_v7();
        meeting::ActiveModel {
            id: Set(id),
            kind: Set(kind.as_str().to_owned()),
            year: Set(year),
            number: Set(number),
            title: Set(schedule.title),
            status: Set(MeetingStatus::Scheduled.as_str().to_owned()),
            starts_at: Set(schedule.starts_at),
            ends_at: Set(schedule.ends_at),
            time_zone: Set(schedule.time_zone.name().to_owned()),
            location: Set(schedule.location),
            online_url: Set(schedule.online_url),
            sequence: Set(0),
            cancel_reason: Set(None),
            quorum_required: Set(None),
            quorum_present: Set(None),
            quorum_reached: Set(None),
            held_at: Set(None),
            minutes_text: Set(None),
            minutes_status: Set(None),
            minutes_circulated_at: Set(None),
            minutes_approved_at_meeting_id: Set(None),
            minutes_observations_until: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            series_id: Set(occurrence.map(|(series_id, _)| series_id)),
            recurrence_id: Set(occurrence.map(|(_, recurrence_id)| recurrence_id)),
        }
        .insert(txn)
        .await?;
        replace_invitations(txn, id, invited).await?;
        if kind == MeetingKind::Ordinary {
            let follow_up = AgendaItemFields::parse(
                "Seguimiento de acuerdos y compromisos pendientes",
                Some("Revisión de las acciones abiertas y vencidas de sesiones anteriores."),
                None,
                None,
                Some(AgendaItemKind::FollowUp),
            )?;
            agenda::insert(txn, id, follow_up, None).await?;
        }
        let scheduled = load(txn, id).await?;
        self.notify_meeting(txn, &scheduled, MeetingNotice::Invitation, now)
            .await?;
        audit::record(
            txn,
            now,
            Entry {
                actor,
                action: "meeting.schedule",
                object_type: "meeting",
                object_id: id,
                changes: changes(None, Some(&scheduled)),
            },
        )
        .await?;
        Ok(scheduled)
    }

    /// Changes a scheduled session, if it is still at `expected_version` (when given).
    /// Any change invitees must hear about (when, where, who) advances its calendar
    /// sequence.
    pub async fn update_meeting(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
        expected_version: Option<i32>,
        requested: MeetingChanges,
    ) -> Result<Meeting, StoreError> {
        let change = Change {
            actor,
            action: "meeting.update",
            expected_version,
            notice: Some(MeetingNotice::Update),
        };
        self.change_meeting(id, change, async |txn, before, now| {
            changed(txn, before, requested, now).await
        })
        .await
    }

    pub async fn cancel_meeting(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
        reason: &str,
    ) -> Result<Meeting, StoreError> {
        let change = Change {
            actor,
            action: "meeting.cancel",
            expected_version: None,
            notice: Some(MeetingNotice::Cancellation),
        };
        self.change_meeting(id, change, async |txn, before, now| {
            cancelled(txn, before, reason, now).await
        })
        .await
    }

    /// One change to a session, in the shape every change to it takes: lock the session,
    /// refuse a stale version, let `decide` read what the domain needs inside the
    /// transaction and ask the domain for the session after the change (`None`: nothing
    /// to change), write it with its version advanced, plan the notice invitees must
    /// hear, audit, commit, and return the session as it was stored.
    pub(crate) async fn change_meeting(
        &self,
        id: Uuid,
        change: Change<'_>,
        decide: impl AsyncFnOnce(
            &DatabaseTransaction,
            &Meeting,
            DateTime<Utc>,
        ) -> Result<Option<Meeting>, StoreError>,
    ) -> Result<Meeting, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let after = self.change_within(&txn, id, change, decide, now).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// [`Store::change_meeting`] inside a transaction the caller commits, for changes
    /// to several sessions that stand or fall together.
    pub(crate) async fn change_within(
        &self,
        txn: &DatabaseTransaction,
        id: Uuid,
        change: Change<'_>,
        decide: impl AsyncFnOnce(
            &DatabaseTransaction,
            &Meeting,
            DateTime<Utc>,
        ) -> Result<Option<Meeting>, StoreError>,
        now: DateTime<Utc>,
    ) -> Result<Meeting, StoreError> {
        let before = lock(txn, id).await?;
        StoreError::unless_stale("session", before.version, change.expected_version)?;
        let Some(mut decided) = decide(txn, &before, now).await? else {
            return Ok(before);
        };
        decided.version = before.version + 1;
        columns(&decided).update(txn).await?;
        if decided.invited_agency_ids != before.invited_agency_ids {
            replace_invitations(txn, id, &decided.invited_agency_ids).await?;
        }
        let after = load(txn, id).await?;
        if let Some(notice) = change.notice {
            self.notify_meeting(txn, &after, notice, now).await?;
        }
        audit::record(
            txn,
            now,
            Entry {
                actor: change.actor,
                action: change.action,
                object_type: "meeting",
                object_id: id,
                changes: changes(Some(&before), Some(&after)),
            },
        )
        .await?;
        Ok(after)
    }

    pub async fn meeting(&self, id: Uuid) -> Result<Option<Meeting>, StoreError> {
        match load(&self.db, id).await {
            Ok(meeting) => Ok(Some(meeting)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(error) => Err(error),
        }
    }

    pub async fn meetings_by_ids(&self, ids: &[Uuid]) -> Result<Vec<Meeting>, StoreError> {
        read(
            &self.db,
            meeting::Entity::find().filter(meeting::Column::Id.is_in(ids.iter().copied())),
        )
        .await
    }

    /// Sessions in order of their start.
    pub async fn meetings(
        &self,
        filter: MeetingFilter,
        request: PageRequest<(DateTime<Utc>, Uuid)>,
    ) -> Result<Page<Meeting>, StoreError> {
        let mut select = meeting::Entity::find();
        if let Some(status) = filter.status {
            select = select.filter(meeting::Column::Status.eq(status.as_str()));
        }
        if let Some(from) = filter.from {
            select = select.filter(meeting::Column::StartsAt.gte(from));
        }
        if let Some(to) = filter.to {
            select = select.filter(meeting::Column::StartsAt.lt(to));
        }
        if let Some(agency_id) = filter.invited_agency_id {
            select = select.filter(
                meeting::Column::Id.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(meeting_invitation::Column::MeetingId)
                        .from(meeting_invitation::Entity)
                        .and_where(meeting_invitation::Column::AgencyId.eq(agency_id))
                        .to_owned(),
                ),
            );
        }
        let backend = self.db.get_database_backend();
        let page: Page<MeetingRow> = page::fetch_pair(
            &self.db,
            select,
            (meeting::Column::StartsAt, meeting::Column::Id),
            request,
            |select| with_invited(select, backend),
        )
        .await?;
        page.try_map(to_domain)
    }

    /// The ids of the agencies whose presence counts towards quorum: active members that
    /// vote.
    pub async fn voting_agency_ids(&self) -> Result<Vec<Uuid>, StoreError> {
        voting_agency_ids(&self.db).await
    }
}

pub(crate) async fn voting_agency_ids<C: ConnectionTrait>(db: &C) -> Result<Vec<Uuid>, StoreError> {
    Ok(agency::Entity::find()
        .select_only()
        .column(agency::Column::Id)
        .filter(agency::Column::Active.eq(true))
        .filter(agency::Column::Votes.eq(true))
        .filter(agency::Column::Membership.is_in(member_memberships()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?)
}

fn member_memberships() -> Vec<&'static str> {
    cmnp_domain::agency::Membership::ALL
        .iter()
        .filter(|m| m.is_member())
        .map(|m| m.as_str())
        .collect()
}

pub(crate) async fn active_member_ids<C: ConnectionTrait>(db: &C) -> Result<Vec<Uuid>, StoreError> {
    Ok(agency::Entity::find()
        .select_only()
        .column(agency::Column::Id)
        .filter(agency::Column::Active.eq(true))
        .filter(agency::Column::Membership.is_in(member_memberships()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?)
}

/// `before` after `requested`, as the domain decides from the agencies that attended;
/// the agencies to invite must exist.
pub(crate) async fn changed(
    txn: &DatabaseTransaction,
    before: &Meeting,
    mut requested: MeetingChanges,
    now: DateTime<Utc>,
) -> Result<Option<Meeting>, StoreError> {
    if let Some(ids) = requested.invited_agency_ids.take() {
        requested.invited_agency_ids = Some(require_agencies(txn, ids, "invitedAgencyIds").await?);
    }
    let attended: Vec<Uuid> = attendance::Entity::find()
        .select_only()
        .column(attendance::Column::AgencyId)
        .filter(attendance::Column::MeetingId.eq(before.id))
        .into_tuple::<Uuid>()
        .all(txn)
        .await?;
    Ok(before.apply_changes(requested, &attended, now)?)
}

/// `before` cancelled for `reason`, as the domain decides from its record.
pub(crate) async fn cancelled(
    txn: &DatabaseTransaction,
    before: &Meeting,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Option<Meeting>, StoreError> {
    let adopted = agreement::Entity::find()
        .filter(agreement::Column::MeetingId.eq(before.id))
        .count(txn)
        .await?;
    let attended = attendance::Entity::find()
        .filter(attendance::Column::MeetingId.eq(before.id))
        .count(txn)
        .await?;
    Ok(Some(before.cancel(reason, adopted + attended > 0, now)?))
}

/// Who changes a session, what the audit calls the change, the version the change was
/// made against, and the notice invitees hear of it.
pub(crate) struct Change<'a> {
    pub actor: Option<&'a Actor>,
    pub action: &'static str,
    pub expected_version: Option<i32>,
    pub notice: Option<MeetingNotice>,
}

/// The columns of a session that change after it is scheduled, from the domain's value.
fn columns(meeting: &Meeting) -> meeting::ActiveModel {
    let quorum = meeting.quorum;
    let minutes = meeting.minutes.as_ref();
    meeting::ActiveModel {
        id: Set(meeting.id),
        title: Set(meeting.title.clone()),
        status: Set(meeting.status.as_str().to_owned()),
        starts_at: Set(meeting.starts_at),
        ends_at: Set(meeting.ends_at),
        time_zone: Set(meeting.time_zone.clone()),
        location: Set(meeting.location.clone()),
        online_url: Set(meeting.online_url.clone()),
        sequence: Set(meeting.sequence),
        cancel_reason: Set(meeting.cancel_reason.clone()),
        quorum_required: Set(quorum.map(|q| q.required)),
        quorum_present: Set(quorum.map(|q| q.present)),
        quorum_reached: Set(quorum.map(|q| q.reached)),
        held_at: Set(meeting.held_at),
        minutes_text: Set(minutes.map(|m| m.text.clone())),
        minutes_status: Set(minutes.map(|m| m.status.as_str().to_owned())),
        minutes_circulated_at: Set(minutes.and_then(|m| m.circulated_at)),
        minutes_approved_at_meeting_id: Set(minutes.and_then(|m| m.approved_at_meeting_id)),
        minutes_observations_until: Set(minutes.and_then(|m| m.observations_until)),
        updated_at: Set(meeting.updated_at),
        version: Set(meeting.version),
        ..Default::default()
    }
}

/// Checks that every id names an agency; returns them without duplicates.
pub(crate) async fn require_agencies<C: ConnectionTrait>(
    db: &C,
    mut ids: Vec<Uuid>,
    field: &str,
) -> Result<Vec<Uuid>, StoreError> {
    ids.sort();
    ids.dedup();
    let found: Vec<Uuid> = agency::Entity::find()
        .select_only()
        .column(agency::Column::Id)
        .filter(agency::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    if let Some(missing) = ids.iter().find(|id| !found.contains(id)) {
        return Err(ValidationError::new(field, format!("no agency has id {missing}")).into());
    }
    Ok(ids)
}

async fn replace_invitations<C: ConnectionTrait>(
    db: &C,
    meeting_id: Uuid,
    agency_ids: &[Uuid],
) -> Result<(), StoreError> {
    meeting_invitation::Entity::delete_many()
        .filter(meeting_invitation::Column::MeetingId.eq(meeting_id))
        .exec(db)
        .await?;
    if agency_ids.is_empty() {
        return Ok(());
    }
    meeting_invitation::Entity::insert_many(agency_ids.iter().map(|agency_id| {
        meeting_invitation::ActiveModel {
            meeting_id: Set(meeting_id),
            agency_id: Set(*agency_id),
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Reads one meeting inside a write transaction and locks its row until the transaction
/// ends (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's write transactions are already
/// exclusive), so that concurrent changes to one session run one after the other.
pub(crate) async fn lock<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Meeting, StoreError> {
    read(db, meeting::Entity::find_by_id(id).lock_exclusive())
        .await?
        .pop()
        .ok_or(StoreError::NotFound("meeting"))
}

/// Reads one meeting with its invitations, in one statement, inside or outside a
/// transaction.
pub(crate) async fn load<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Meeting, StoreError> {
    read(db, meeting::Entity::find_by_id(id))
        .await?
        .pop()
        .ok_or(StoreError::NotFound("meeting"))
}

/// A session's row with the agencies it invites, whom its read rule needs.
type MeetingRow = WithIds<meeting::Model, 1>;

/// `select` with each session's invited agencies: a session invited to forty agencies is
/// still one row.
fn with_invited(select: Select<meeting::Entity>, backend: DbBackend) -> Select<meeting::Entity> {
    row::with_id_lists(
        select,
        [row::id_list(
            backend,
            "agency_id",
            "meeting_invitations",
            "meeting_invitations.meeting_id = meetings.id",
        )],
    )
}

/// The meetings `select` finds, each in one row with its invited agencies.
pub(crate) async fn read<C: ConnectionTrait>(
    db: &C,
    select: Select<meeting::Entity>,
) -> Result<Vec<Meeting>, StoreError> {
    let select = with_invited(select, db.get_database_backend());
    row::all_as::<MeetingRow, _, _>(db, select)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

pub(crate) fn to_domain(row: MeetingRow) -> Result<Meeting, StoreError> {
    let WithIds {
        model: row,
        ids: [invited_agency_ids],
    } = row;
    let quorum = match (row.quorum_required, row.quorum_present, row.quorum_reached) {
        (Some(required), Some(present), Some(reached)) => Some(Quorum {
            required,
            present,
            reached,
        }),
        _ => None,
    };
    let minutes = match (row.minutes_text, row.minutes_status) {
        (Some(text), Some(status)) => Some(Minutes {
            text,
            status: column(&status, "meetings.minutes_status")?,
            circulated_at: row.minutes_circulated_at,
            approved_at_meeting_id: row.minutes_approved_at_meeting_id,
            observations_until: row.minutes_observations_until,
        }),
        _ => None,
    };
    Ok(Meeting {
        id: row.id,
        kind: column(&row.kind, "meetings.kind")?,
        year: row.year,
        number: row.number,
        title: row.title,
        status: column(&row.status, "meetings.status")?,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        time_zone: row.time_zone,
        location: row.location,
        online_url: row.online_url,
        sequence: row.sequence,
        cancel_reason: row.cancel_reason,
        invited_agency_ids,
        quorum,
        held_at: row.held_at,
        minutes,
        series_id: row.series_id,
        recurrence_id: row.recurrence_id,
        created_at: row.created_at,
        updated_at: row.updated_at,
        version: row.version,
    })
}
