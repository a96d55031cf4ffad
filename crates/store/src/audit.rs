//! Writing and reading the audit log.

use chrono::{DateTime, Utc};
use cmnp_domain::audit::AuditEvent;
use cmnp_domain::live::Topic;
use cmnp_domain::policy::Actor;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::Value;
use uuid::Uuid;

use crate::entity::audit_event;
use crate::live::Announcement;
use crate::page::{self, Direction, Page, PageRequest};
use crate::{Store, StoreError};

/// One audited change, written with [`record`] inside the transaction that makes it. A
/// change to an action item or a session, or to someone's access, is also announced on
/// the change feed ([`crate::live`]).
pub(crate) struct Entry<'a> {
    pub actor: Option<&'a Actor>,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: Uuid,
    pub changes: Value,
}

pub(crate) async fn record<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
    entry: Entry<'_>,
) -> Result<(), StoreError> {
    let announced = Topic::of_audited(entry.object_type, entry.action).map(|topic| Announcement {
        topic,
        action: entry.action,
        object_id: entry.object_id,
        detail: Value::Null,
    });
    audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(at),
        actor_user_id: Set(entry.actor.map(|actor| actor.user_id)),
        actor_agency_id: Set(entry.actor.and_then(|actor| actor.agency_id)),
        action: Set(entry.action.to_owned()),
        object_type: Set(entry.object_type.to_owned()),
        object_id: Set(entry.object_id),
        changes: Set(entry.changes),
    }
    .insert(db)
    .await?;
    if let Some(announcement) = announced {
        crate::live::announce(db, at, announcement).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub object_type: Option<String>,
    pub object_id: Option<Uuid>,
    pub actor_user_id: Option<Uuid>,
}

impl Store {
    /// Audit events, newest first (`Direction::Descending`) or oldest first.
    pub async fn audit_events(
        &self,
        filter: AuditFilter,
        direction: Direction,
        request: PageRequest<Uuid>,
    ) -> Result<Page<AuditEvent>, StoreError> {
        let mut select = audit_event::Entity::find();
        if let Some(object_type) = filter.object_type {
            select = select.filter(audit_event::Column::ObjectType.eq(object_type));
        }
        if let Some(object_id) = filter.object_id {
            select = select.filter(audit_event::Column::ObjectId.eq(object_id));
        }
        if let Some(actor) = filter.actor_user_id {
            select = select.filter(audit_event::Column::ActorUserId.eq(actor));
        }
        let page = page::fetch_in::<_, _, _, audit_event::Model>(
            &self.db,
            select,
            (audit_event::Column::Id, direction),
            request,
            |page| page,
        )
        .await?;
        page.try_map(|row| Ok(to_domain(row)))
    }

    /// One audit event.
    pub async fn audit_event(&self, id: Uuid) -> Result<Option<AuditEvent>, StoreError> {
        Ok(audit_event::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(to_domain))
    }
}

fn to_domain(row: audit_event::Model) -> AuditEvent {
    AuditEvent {
        id: row.id,
        at: row.at,
        actor_user_id: row.actor_user_id,
        actor_agency_id: row.actor_agency_id,
        action: row.action,
        object_type: row.object_type,
        object_id: row.object_id,
        changes: row.changes,
    }
}
