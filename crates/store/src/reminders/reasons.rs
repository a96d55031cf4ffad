//! Whether a reminder still applies when a worker is about to send it: the session is
//! still scheduled on the same day, the item still pending with the same due date.

use std::collections::HashMap;

use chrono::NaiveDate;
use cmnp_domain::action_item::ActionItemStatus;
use cmnp_domain::meeting::MeetingStatus;
use cmnp_domain::outbox::EmailKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::StoreError;
use crate::entity::{action_item, email_outbox, meeting};
use crate::error::column;

/// The reminders among `rows` whose reason vanished, by outbox id, with why.
pub(crate) async fn vanished<C: ConnectionTrait>(
    db: &C,
    rows: &[email_outbox::Model],
) -> Result<HashMap<Uuid, String>, StoreError> {
    let reminders: Vec<(&email_outbox::Model, Uuid, NaiveDate)> = rows
        .iter()
        .filter(|row| {
            row.kind == EmailKind::MeetingReminder.as_str()
                || row.kind == EmailKind::ActionItemDue.as_str()
        })
        .filter_map(|row| Some((row, row.object_id?, row.occurs_on?)))
        .collect();
    let about = |kind: EmailKind| {
        reminders
            .iter()
            .filter(|(row, _, _)| row.kind == kind.as_str())
            .map(|(_, object, _)| *object)
            .collect::<Vec<_>>()
    };
    // Each session's or item's date now, or why it no longer calls for reminders.
    let mut current: HashMap<Uuid, Result<NaiveDate, String>> = HashMap::new();
    let meeting_ids = about(EmailKind::MeetingReminder);
    if !meeting_ids.is_empty() {
        for row in meeting::Entity::find()
            .filter(meeting::Column::Id.is_in(meeting_ids))
            .all(db)
            .await?
        {
            // Invitations do not matter here: only the status and the start are read.
            let meeting = crate::meetings::to_domain(crate::row::WithIds {
                model: row,
                ids: [Vec::new()],
            })?;
            let state = match meeting.status {
                MeetingStatus::Scheduled => Ok(meeting.starts_on()),
                other => Err(format!("the session is {other}")),
            };
            current.insert(meeting.id, state);
        }
    }
    let item_ids = about(EmailKind::ActionItemDue);
    if !item_ids.is_empty() {
        for row in action_item::Entity::find()
            .filter(action_item::Column::Id.is_in(item_ids))
            .all(db)
            .await?
        {
            let status: ActionItemStatus = column(&row.status, "action_items.status")?;
            let state = if status.is_pending() {
                Ok(row.due_on)
            } else {
                Err(format!("the item is {status}"))
            };
            current.insert(row.id, state);
        }
    }
    Ok(reminders
        .into_iter()
        .filter_map(|(row, object, on)| {
            let reason = match current.get(&object) {
                None => "it no longer exists".to_owned(),
                Some(Err(reason)) => reason.clone(),
                Some(Ok(date)) if *date == on => return None,
                Some(Ok(date)) => format!("its date moved from {on} to {date}"),
            };
            Some((row.id, format!("not sent: {reason}")))
        })
        .collect())
}
