//! Running a session: its agenda, attendance, quorum when it is held, and its minutes.

use chrono::Utc;
use cmnp_domain::ValidationError;
use cmnp_domain::agenda::{
    AgendaItem, AgendaItemFields, Attendance, AttendanceFields, AttendanceStatus,
};
use cmnp_domain::audit::changes;
use cmnp_domain::meeting::{Meeting, MeetingStatus, MinutesStatus, QuorumRule};
use cmnp_domain::policy::Actor;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{agenda_item, attendance, meeting};
use crate::error::column;
use crate::meetings::{load, lock, require_agencies, voting_agency_ids};
use crate::{Store, StoreError};

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
        require_scheduled(&meeting, "meetingId")?;
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
        require_scheduled(&meeting, "id")?;
        let count = i32::try_from(
            agenda_item::Entity::find()
                .filter(agenda_item::Column::MeetingId.eq(row.meeting_id))
                .count(&txn)
                .await?,
        )
        .unwrap_or(i32::MAX);
        if !(1..=count).contains(&position) {
            return Err(
                ValidationError::new("position", format!("must be between 1 and {count}")).into(),
            );
        }
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
        require_scheduled(&meeting, "meetingId")?;
        if !meeting.invites(agency_id) {
            return Err(ValidationError::new(
                "agencyId",
                "the agency is not invited to this session",
            )
            .into());
        }
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
        let now = Utc::now();
        let txn = self.write().await?;
        let before = lock(&txn, meeting_id).await?;
        require_scheduled(&before, "meetingId")?;
        if before.starts_at > now {
            return Err(ValidationError::new(
                "meetingId",
                "a session cannot be held before it starts",
            )
            .into());
        }
        let voting = voting_agency_ids(&txn).await?;
        let present = attendance::Entity::find()
            .filter(attendance::Column::MeetingId.eq(meeting_id))
            .filter(attendance::Column::Status.eq(AttendanceStatus::Present.as_str()))
            .all(&txn)
            .await?
            .iter()
            .filter(|row| voting.contains(&row.agency_id) && before.invites(row.agency_id))
            .count();
        let quorum = rule.quorum(
            i32::try_from(voting.len()).unwrap_or(i32::MAX),
            i32::try_from(present).unwrap_or(i32::MAX),
        );
        meeting::ActiveModel {
            id: Set(meeting_id),
            status: Set(MeetingStatus::Held.as_str().to_owned()),
            quorum_required: Set(Some(quorum.required)),
            quorum_present: Set(Some(quorum.present)),
            quorum_reached: Set(Some(quorum.reached)),
            held_at: Set(Some(now)),
            minutes_text: Set(Some(
                before
                    .minutes
                    .as_ref()
                    .map(|m| m.text.clone())
                    .unwrap_or_default(),
            )),
            minutes_status: Set(Some(
                before
                    .minutes
                    .as_ref()
                    .map_or(MinutesStatus::Draft, |m| m.status)
                    .as_str()
                    .to_owned(),
            )),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        let after = load(&txn, meeting_id).await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "meeting.held",
                object_type: "meeting",
                object_id: meeting_id,
                changes: changes(Some(&before), Some(&after)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Replaces the text of draft minutes.
    pub async fn update_minutes(
        &self,
        actor: Option<&Actor>,
        meeting_id: Uuid,
        text: &str,
    ) -> Result<Meeting, StoreError> {
        let text = cmnp_domain::text::optional("text", Some(text), 200_000)?.unwrap_or_default();
        self.change_minutes(actor, meeting_id, "meeting.minutes.update", |meeting| {
            if meeting.status == MeetingStatus::Cancelled {
                return Err(ValidationError::new(
                    "meetingId",
                    "a cancelled session has no minutes",
                ));
            }
            match meeting.minutes.as_ref().map(|m| m.status) {
                None | Some(MinutesStatus::Draft) => {}
                Some(status) => {
                    return Err(ValidationError::new(
                        "text",
                        format!("{status} minutes cannot be edited"),
                    ));
                }
            }
            Ok(minutes_columns(
                meeting_id,
                Some(text),
                MinutesStatus::Draft,
            ))
        })
        .await
    }

    /// Sends draft minutes to the invited agencies.
    pub async fn circulate_minutes(
        &self,
        actor: Option<&Actor>,
        meeting_id: Uuid,
    ) -> Result<Meeting, StoreError> {
        self.change_minutes(actor, meeting_id, "meeting.minutes.circulate", |meeting| {
            if meeting.status != MeetingStatus::Held {
                return Err(ValidationError::new(
                    "meetingId",
                    "minutes are circulated once the session is held",
                ));
            }
            match &meeting.minutes {
                Some(minutes)
                    if minutes.status == MinutesStatus::Draft
                        && !minutes.text.trim().is_empty() => {}
                Some(minutes) if minutes.status != MinutesStatus::Draft => {
                    return Err(ValidationError::new(
                        "meetingId",
                        format!("the minutes are already {}", minutes.status),
                    ));
                }
                _ => {
                    return Err(ValidationError::new(
                        "meetingId",
                        "write the minutes before circulating them",
                    ));
                }
            }
            let mut columns = minutes_columns(meeting_id, None, MinutesStatus::Circulated);
            columns.minutes_circulated_at = Set(Some(Utc::now()));
            Ok(columns)
        })
        .await
    }

    /// Approves circulated minutes in a later session, which is recorded.
    pub async fn approve_minutes(
        &self,
        actor: Option<&Actor>,
        meeting_id: Uuid,
        approved_at: Meeting,
    ) -> Result<Meeting, StoreError> {
        let now = Utc::now();
        self.change_minutes(actor, meeting_id, "meeting.minutes.approve", |meeting| {
            if meeting.minutes.as_ref().map(|m| m.status) != Some(MinutesStatus::Circulated) {
                return Err(ValidationError::new(
                    "meetingId",
                    "only circulated minutes can be approved",
                ));
            }
            if approved_at.id == meeting.id
                || approved_at.starts_at <= meeting.starts_at
                || !approved_at.has_started(now)
            {
                return Err(ValidationError::new(
                    "approvedAtMeetingId",
                    "minutes are approved in a later session that has begun",
                ));
            }
            let mut columns = minutes_columns(meeting_id, None, MinutesStatus::Approved);
            columns.minutes_approved_at_meeting_id = Set(Some(approved_at.id));
            Ok(columns)
        })
        .await
    }

    async fn change_minutes(
        &self,
        actor: Option<&Actor>,
        meeting_id: Uuid,
        action: &str,
        change: impl FnOnce(&Meeting) -> Result<meeting::ActiveModel, ValidationError>,
    ) -> Result<Meeting, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let before = lock(&txn, meeting_id).await?;
        let mut columns = change(&before)?;
        columns.updated_at = Set(now);
        columns.update(&txn).await?;
        let after = load(&txn, meeting_id).await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action,
                object_type: "meeting",
                object_id: meeting_id,
                changes: changes(Some(&before), Some(&after)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }
}

fn minutes_columns(
    meeting_id: Uuid,
    text: Option<String>,
    status: MinutesStatus,
) -> meeting::ActiveModel {
    let mut columns = meeting::ActiveModel {
        id: Set(meeting_id),
        minutes_status: Set(Some(status.as_str().to_owned())),
        ..Default::default()
    };
    if let Some(text) = text {
        columns.minutes_text = Set(Some(text));
    }
    columns
}

fn require_scheduled(meeting: &Meeting, field: &str) -> Result<(), ValidationError> {
    if meeting.status == MeetingStatus::Scheduled {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!("the session is {}; its record is closed", meeting.status),
        ))
    }
}

/// Inserts an item at `position` (default: last), shifting later items down.
pub(crate) async fn insert<C: ConnectionTrait>(
    db: &C,
    meeting_id: Uuid,
    fields: AgendaItemFields,
    position: Option<i32>,
) -> Result<AgendaItem, StoreError> {
    let count = i32::try_from(
        agenda_item::Entity::find()
            .filter(agenda_item::Column::MeetingId.eq(meeting_id))
            .count(db)
            .await?,
    )
    .unwrap_or(i32::MAX);
    let position = match position {
        None => count + 1,
        Some(p) if (1..=count + 1).contains(&p) => p,
        Some(_) => {
            return Err(ValidationError::new(
                "position",
                format!("must be between 1 and {}", count + 1),
            )
            .into());
        }
    };
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
