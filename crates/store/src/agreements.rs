//! Agreements adopted in a session, with the action items they create.

use chrono::{NaiveDate, Utc};
use cmnp_domain::ValidationError;
use cmnp_domain::action_item::NewActionItem;
use cmnp_domain::agreement::Agreement;
use cmnp_domain::audit::changes;
use cmnp_domain::policy::Actor;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select,
    Set,
};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{agenda_item, agreement};
use crate::meetings::lock;
use crate::row::{self, WithIds};
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
        let meeting = lock(&txn, meeting_id).await?;
        meeting.check_adoption(now)?;
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
        let adopted = to_domain(row, meeting.invited_agency_ids.clone());
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
        crate::live::announce_meeting(&txn, now, "agreement.adopt", meeting_id).await?;
        for (index, mut item) in items.into_iter().enumerate() {
            item.agreement_id = Some(adopted.id);
            action_items::insert(&txn, actor, item, today, &format!("actionItems[{index}]."))
                .await?;
        }
        txn.commit().await?;
        Ok(adopted)
    }

    pub async fn agreement(&self, id: Uuid) -> Result<Option<Agreement>, StoreError> {
        Ok(self.agreements_by_ids(&[id]).await?.pop())
    }

    pub async fn agreements_by_ids(&self, ids: &[Uuid]) -> Result<Vec<Agreement>, StoreError> {
        read(
            &self.db,
            agreement::Entity::find().filter(agreement::Column::Id.is_in(ids.iter().copied())),
        )
        .await
    }

    /// The agreements of these sessions, in number order.
    pub async fn agreements_of(&self, meeting_ids: &[Uuid]) -> Result<Vec<Agreement>, StoreError> {
        let select = agreement::Entity::find()
            .filter(agreement::Column::MeetingId.is_in(meeting_ids.iter().copied()))
            .order_by_asc(agreement::Column::Year)
            .order_by_asc(agreement::Column::Number);
        read(&self.db, select).await
    }
}

/// The agreements `select` finds, each in one row with the agencies its session invites,
/// which decide who reads it.
async fn read<C: ConnectionTrait>(
    db: &C,
    select: Select<agreement::Entity>,
) -> Result<Vec<Agreement>, StoreError> {
    let select = row::with_id_lists(
        select,
        [row::id_list(
            db.get_database_backend(),
            "agency_id",
            "meeting_invitations",
            "meeting_invitations.meeting_id = agreements.meeting_id",
        )],
    );
    Ok(
        row::all_as::<WithIds<agreement::Model, 1>, _, _>(db, select)
            .await?
            .into_iter()
            .map(
                |WithIds {
                     model,
                     ids: [invited],
                 }| to_domain(model, invited),
            )
            .collect(),
    )
}

fn to_domain(row: agreement::Model, invited_agency_ids: Vec<Uuid>) -> Agreement {
    Agreement {
        invited_agency_ids,
        id: row.id,
        meeting_id: row.meeting_id,
        agenda_item_id: row.agenda_item_id,
        year: row.year,
        number: row.number,
        text: row.text,
        created_at: row.created_at,
    }
}
