//! Agreements adopted in a session, with the action items they create.

use chrono::{NaiveDate, Utc};
use cmnp_domain::ValidationError;
use cmnp_domain::action_item::NewActionItem;
use cmnp_domain::agreement::Agreement;
use cmnp_domain::audit::changes;
use cmnp_domain::meeting::MeetingStatus;
use cmnp_domain::policy::Actor;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{agenda_item, agreement};
use crate::meetings::load;
use crate::{Store, StoreError, action_items, counters};

impl Store {
    /// Adopts an agreement in a session that has begun, creating its action items in the
    /// same transaction: all of them, or (on any error) none.
    pub async fn adopt_agreement(
        &self,
        actor: Option<&Actor>,
        meeting_id: Uuid,
        agenda_item_id: Option<Uuid>,
        text: String,
        items: Vec<NewActionItem>,
        today: NaiveDate,
    ) -> Result<Agreement, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let meeting = load(&txn, meeting_id).await?;
        if meeting.status == MeetingStatus::Cancelled || !meeting.has_started(now) {
            return Err(ValidationError::new(
                "meetingId",
                "agreements are adopted in a session that is under way or held",
            )
            .into());
        }
        if let Some(item_id) = agenda_item_id {
            let item = agenda_item::Entity::find_by_id(item_id).one(&txn).await?;
            if item.is_none_or(|item| item.meeting_id != meeting_id) {
                return Err(ValidationError::new(
                    "agendaItemId",
                    "not an item of this session's agenda",
                )
                .into());
            }
        }
        let number = counters::next(&txn, &format!("agreement:{}", meeting.year)).await?;
        let row = agreement::ActiveModel {
            id: Set(Uuid::now_v7()),
            meeting_id: Set(meeting_id),
            agenda_item_id: Set(agenda_item_id),
            year: Set(meeting.year),
            number: Set(number),
            text: Set(text),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let adopted = to_domain(row);
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "agreement.adopt",
                object_type: "agreement",
                object_id: adopted.id,
                changes: changes(None, Some(&adopted)),
            },
        )
        .await?;
        for (index, mut item) in items.into_iter().enumerate() {
            item.agreement_id = Some(adopted.id);
            action_items::insert(&txn, actor, item, today, &format!("actionItems[{index}]."))
                .await?;
        }
        txn.commit().await?;
        Ok(adopted)
    }

    pub async fn agreement(&self, id: Uuid) -> Result<Option<Agreement>, StoreError> {
        Ok(agreement::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(to_domain))
    }

    pub async fn agreements_by_ids(&self, ids: &[Uuid]) -> Result<Vec<Agreement>, StoreError> {
        Ok(agreement::Entity::find()
            .filter(agreement::Column::Id.is_in(ids.iter().copied()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect())
    }

    /// The agreements of these sessions, in number order.
    pub async fn agreements_of(&self, meeting_ids: &[Uuid]) -> Result<Vec<Agreement>, StoreError> {
        Ok(agreement::Entity::find()
            .filter(agreement::Column::MeetingId.is_in(meeting_ids.iter().copied()))
            .order_by_asc(agreement::Column::Year)
            .order_by_asc(agreement::Column::Number)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect())
    }
}

fn to_domain(row: agreement::Model) -> Agreement {
    Agreement {
        id: row.id,
        meeting_id: row.meeting_id,
        agenda_item_id: row.agenda_item_id,
        year: row.year,
        number: row.number,
        text: row.text,
        created_at: row.created_at,
    }
}
