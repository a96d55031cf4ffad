//! Running a session: its agenda, attendance, quorum when it is held, and its minutes.

use chrono::{DateTime, Utc};
use cmnp_domain::agenda::{
    AgendaItem, AgendaItemFields, Attendance, AttendanceFields, AttendanceStatus,
};
use cmnp_domain::audit::changes;
use cmnp_domain::meeting::{Meeting, QuorumRule, insert_position, move_position};
use cmnp_domain::policy::Actor;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{agenda_item, attendance};
use crate::error::column;
use crate::meetings::{Change, lock, require_agencies, voting_agency_ids};
use crate::{Store, StoreError, observations};

impl Store {
    /// Adds an agenda item at `position` (1-based; default: last).
    pub async fn add_agenda_item(
        &self,
        actor: Option<&Actor>,
        meeting_id: Uuid,
        fields: AgendaItemFields,
        position: Option<i32>,
    ) -> Result<Meeting, StoreError> {
        let txn = self.write().await?;
        let meeting = lock(&txn, meeting_id).await?;
        meeting.check_open("meetingId")?;
        if let Some(presenter) = fields.presenter_agency_id {
            require_agencies(&txn, vec![presenter], "presenterAgencyId").await?;
        }
        let item = insert(&txn, meeting_id, fields, position).await?;
        audit::record(
            &txn,
            Utc::now(),
            Entry {
                actor,
                action: "meeting.agenda.add",
                object_type: "agenda_item",
                object_id: item.id,
                changes: changes(None, Some(&item)),
            },
        )
        .await?;
        crate::live::announce_meeting(&txn, Utc::now(), "meeting.agenda.add", meeting_id).await?;
        txn.commit().await?;
        Ok(meeting)
    }

    /// Moves an agenda item to `position`, shifting the items in between.
    pub async fn move_agenda_item(
        &self,
        actor: Option<&Actor>,
        item_id: Uuid,
        position: i32,
    ) -> Result<Meeting, StoreError> {
        let txn = self.write().await?;
        let find = || async {
            agenda_item::Entity::find_by_id(item_id)
                .one(&txn)
                .await?
                .ok_or(StoreError::NotFound("agenda item"))
        };
        let meeting = lock(&txn, find().await?.meeting_id).await?;
        // Read the position again under the lock: a concurrent move may have changed it.
        let row = find().await?;
        meeting.check_open("id")?;
        let position = move_position(count(&txn, row.meeting_id).await?, position)?;
        let from = row.position;
        if position != from {
            // Close the gap the item leaves, then open one where it goes.
            shift(&txn, row.meeting_id, from + 1, i32::MAX, -1).await?;
            shift(&txn, row.meeting_id, position, i32::MAX, 1).await?;
            let mut active: agenda_item::ActiveModel = row.into();
            active.position = Set(position);
            active.update(&txn).await?;
            audit::record(&txn, Utc::now(), Entry {
                actor,
                action: "meeting.agenda.move",
                object_type: "agenda_item",
                object_id: item_id,
                changes: serde_json::json!({ "position": { "before": from, "after": position } }),
            })
            .await?;
            crate::live::announce_meeting(&txn, Utc::now(), "meeting.agenda.move", meeting.id)
                .await?;
        }
        txn.commit().await?;
        Ok(meeting)
    }

    /// The agenda of each of these meetings, in order.
    pub async fn agenda_of(&self, meeting_ids: &[Uuid]) -> Result<Vec<AgendaItem>, StoreError> {
        agenda_item::Entity::find()
            .filter(agenda_item::Column::MeetingId.is_in(meeting_ids.iter().copied()))
            .order_by_asc(agenda_item::Column::MeetingId)
            .order_by_asc(agenda_item::Column::Position)
            .all(&self.db)
            .await?
            .into_iter()
            .map(item_to_domain)
            .collect()
    }

    pub async fn agenda_item(&self, id: Uuid) -> Result<Option<AgendaItem>, StoreError> {
        agenda_item::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(item_to_domain)
            .transpose()
    }

    /// Records (or corrects) an invited agency's attendance of a scheduled session.
    pub async fn record_attendance(
        &self,
        actor: Option<&Actor>,
        meeting_id: Uuid,
        agency_id: Uuid,
        fields: AttendanceFields,
    ) -> Result<Meeting, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let meeting = lock(&txn, meeting_id).await?;
        meeting.check_attendance(agency_id)?;
        let before = attendance::Entity::find_by_id((meeting_id, agency_id))
            .one(&txn)
            .await?
            .map(attendance_to_domain)
            .transpose()?;
        let row = attendance::ActiveModel {
            meeting_id: Set(meeting_id),
            agency_id: Set(agency_id),
            status: Set(fields.status.as_str().to_owned()),
            attendee_kind: Set(fields.attendee_kind.map(|k| k.as_str().to_owned())),
            attendee_name: Set(fields.attendee_name),
            mode: Set(fields.mode.map(|m| m.as_str().to_owned())),
            recorded_at: Set(now),
        };
        attendance::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([attendance::Column::MeetingId, attendance::Column::AgencyId])
                    .update_columns([
                        attendance::Column::Status,
                        attendance::Column::AttendeeKind,
                        attendance::Column::AttendeeName,
                        attendance::Column::Mode,
                        attendance::Column::RecordedAt,
                    ])
                    .to_owned(),
            )
            .exec(&txn)
            .await?;
        let after = attendance::Entity::find_by_id((meeting_id, agency_id))
            .one(&txn)
            .await?
            .map(attendance_to_domain)
            .transpose()?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "meeting.attendance",
                object_type: "meeting",
                object_id: meeting_id,
                changes: changes(before.as_ref(), after.as_ref()),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(meeting)
    }

    pub async fn attendance_of(&self, meeting_ids: &[Uuid]) -> Result<Vec<Attendance>, StoreError> {
        attendance::Entity::find()
            .filter(attendance::Column::MeetingId.is_in(meeting_ids.iter().copied()))
            .order_by_asc(attendance::Column::MeetingId)
            .order_by_asc(attendance::Column::AgencyId)
            .all(&self.db)
            .await?
            .into_iter()
            .map(attendance_to_domain)
            .collect()
    }

    /// Marks a session held: attendance and quorum are frozen into the record, and its
    /// minutes start as an empty draft.
    pub async fn mark_meeting_held(
        &self,
        actor: Option<&Actor>,
        meeting_id: Uuid,
        rule: QuorumRule,
    ) -> Result<Meeting, StoreError> {
        let change = Change {
            actor,
            action: "meeting.held",
            expected_version: None,
            notice: None,
        };
        self.change_meeting(meeting_id, change, async |txn, before, now| {
            let voting = voting_agency_ids(txn).await?;
            let present: Vec<Uuid> = attendance::Entity::find()
                .select_only()
                .column(attendance::Column::AgencyId)
                .filter(attendance::Column::MeetingId.eq(meeting_id))
                .filter(attendance::Column::Status.eq(AttendanceStatus::Present.as_str()))
                .into_tuple::<Uuid>()
                .all(txn)
                .await?;
            Ok(Some(before.hold(rule, &voting, &present, now)?))
        })
        .await
    }

    /// Replaces the text of draft minutes, if the session is still at `expected_version`
    /// (when given).
    pub async fn update_minutes(
        &self,
        actor: Option<&Actor>,
        meeting_id: Uuid,
        expected_version: Option<i32>,
        text: &str,
    ) -> Result<Meeting, StoreError> {
        let change = Change {
            actor,
            action: "meeting.minutes.update",
            expected_version,
            notice: None,
        };
        self.change_meeting(meeting_id, change, async |_, before, now| {
            Ok(Some(before.edit_minutes(text, now)?))
        })
        .await
    }

    /// Sends draft minutes to the invited agencies, who send observations on them until
    /// `observations_until` (by default, the end of the fifth working day after today on
    /// the commission's calendar).
    pub async fn circulate_minutes(
        &self,
        actor: Option<&Actor>,
        meeting_id: Uuid,
        observations_until: Option<DateTime<Utc>>,
    ) -> Result<Meeting, StoreError> {
        let calendar = self.working_calendar().await?;
        let change = Change {
            actor,
            action: "meeting.minutes.circulate",
            expected_version: None,
            notice: None,
        };
        self.change_meeting(meeting_id, change, async |_, before, now| {
            Ok(Some(before.circulate_minutes(
                observations_until,
                &calendar,
                now,
            )?))
        })
        .await
    }

    /// Approves circulated minutes in a later session, which is recorded, once every
    /// observation on them has its answer.
    pub async fn approve_minutes(
        &self,
        actor: Option<&Actor>,
        meeting_id: Uuid,
        approved_at: Meeting,
    ) -> Result<Meeting, StoreError> {
        let change = Change {
            actor,
            action: "meeting.minutes.approve",
            expected_version: None,
            notice: None,
        };
        self.change_meeting(meeting_id, change, async |txn, before, now| {
            let unanswered = observations::unanswered(txn, meeting_id).await?;
            Ok(Some(before.approve_minutes(
                &approved_at,
                unanswered,
                now,
            )?))
        })
        .await
    }
}

/// Inserts an item at `position` (default: last), shifting later items down.
pub(crate) async fn insert<C: ConnectionTrait>(
    db: &C,
    meeting_id: Uuid,
    fields: AgendaItemFields,
    position: Option<i32>,
) -> Result<AgendaItem, StoreError> {
    let position = insert_position(count(db, meeting_id).await?, position)?;
    shift(db, meeting_id, position, i32::MAX, 1).await?;
    let row = agenda_item::ActiveModel {
        id: Set(Uuid::now_v7()),
        meeting_id: Set(meeting_id),
        position: Set(position),
        title: Set(fields.title),
        description: Set(fields.description),
        presenter_agency_id: Set(fields.presenter_agency_id),
        duration_minutes: Set(fields.duration_minutes),
        kind: Set(fields.kind.as_str().to_owned()),
    }
    .insert(db)
    .await?;
    item_to_domain(row)
}

/// How many items the agenda of a session has.
async fn count<C: ConnectionTrait>(db: &C, meeting_id: Uuid) -> Result<i32, StoreError> {
    let count = agenda_item::Entity::find()
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .count(db)
        .await?;
    Ok(i32::try_from(count).unwrap_or(i32::MAX))
}

async fn shift<C: ConnectionTrait>(
    db: &C,
    meeting_id: Uuid,
    from: i32,
    to: i32,
    by: i32,
) -> Result<(), StoreError> {
    agenda_item::Entity::update_many()
        .col_expr(
            agenda_item::Column::Position,
            Expr::col(agenda_item::Column::Position).add(by),
        )
        .filter(agenda_item::Column::MeetingId.eq(meeting_id))
        .filter(agenda_item::Column::Position.gte(from))
        .filter(agenda_item::Column::Position.lte(to))
        .exec(db)
        .await?;
    Ok(())
}

fn item_to_domain(row: agenda_item::Model) -> Result<AgendaItem, StoreError> {
    Ok(AgendaItem {
        id: row.id,
        meeting_id: row.meeting_id,
        position: row.position,
        title: row.title,
        description: row.description,
        presenter_agency_id: row.presenter_agency_id,
        duration_minutes: row.duration_minutes,
        kind: column(&row.kind, "agenda_items.kind")?,
    })
}

fn attendance_to_domain(row: attendance::Model) -> Result<Attendance, StoreError> {
    Ok(Attendance {
        meeting_id: row.meeting_id,
        agency_id: row.agency_id,
        status: column(&row.status, "attendance.status")?,
        attendee_kind: row
            .attendee_kind
            .as_deref()
            .map(|k| column(k, "attendance.attendee_kind"))
            .transpose()?,
        attendee_name: row.attendee_name,
        mode: row
            .mode
            .as_deref()
            .map(|m| column(m, "attendance.mode"))
            .transpose()?,
        recorded_at: row.recorded_at,
    })
}
