//! Aggregates for the status pages: counted and grouped in SQL, so that a page costs the
//! same however long the commission's history grows.

use chrono::NaiveDate;
use cmnp_domain::action_item::ActionItemStatus;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entity::action_item;
use crate::error::column;
use crate::{Store, StoreError};

/// How many items an agency is responsible for, by status, and how many of them are
/// overdue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemCounts {
    /// Every status, in [`ActionItemStatus::ALL`]'s order, with zeros.
    pub by_status: Vec<(ActionItemStatus, u64)>,
    pub overdue: u64,
}

impl ItemCounts {
    pub fn total(&self) -> u64 {
        self.by_status.iter().map(|(_, n)| n).sum()
    }

    /// Open, in progress or blocked.
    pub fn pending(&self) -> u64 {
        self.by_status
            .iter()
            .filter(|(status, _)| status.is_pending())
            .map(|(_, n)| n)
            .sum()
    }
}

impl Store {
    /// The counts of the items `agency_id` is responsible for, grouped in SQL, so that
    /// a page can state them whatever number of items it lists.
    pub async fn item_counts(
        &self,
        agency_id: Uuid,
        today: NaiveDate,
    ) -> Result<ItemCounts, StoreError> {
        let rows: Vec<(String, i64)> = action_item::Entity::find()
            .select_only()
            .column(action_item::Column::Status)
            .column_as(action_item::Column::Id.count(), "count")
            .filter(action_item::Column::ResponsibleAgencyId.eq(agency_id))
            .group_by(action_item::Column::Status)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut counted = Vec::with_capacity(rows.len());
        for (status, count) in rows {
            let status: ActionItemStatus = column(&status, "action_items.status")?;
            counted.push((status, u64::try_from(count).unwrap_or_default()));
        }
        let overdue: Option<i64> = action_item::Entity::find()
            .select_only()
            .column_as(action_item::Column::Id.count(), "count")
            .filter(action_item::Column::ResponsibleAgencyId.eq(agency_id))
            .filter(crate::action_items::pending())
            .filter(action_item::Column::DueOn.lt(today))
            .into_tuple()
            .one(&self.db)
            .await?;
        Ok(ItemCounts {
            by_status: ActionItemStatus::ALL
                .iter()
                .map(|status| {
                    let n = counted.iter().find(|(s, _)| s == status).map_or(0, |c| c.1);
                    (*status, n)
                })
                .collect(),
            overdue: overdue
                .and_then(|n| u64::try_from(n).ok())
                .unwrap_or_default(),
        })
    }

    /// How many pending items each agency has that were due before `today`.
    pub async fn overdue_counts(&self, today: NaiveDate) -> Result<Vec<(Uuid, i64)>, StoreError> {
        Ok(action_item::Entity::find()
            .select_only()
            .column(action_item::Column::ResponsibleAgencyId)
            .column_as(action_item::Column::Id.count(), "overdue")
            .filter(crate::action_items::pending())
            .filter(action_item::Column::DueOn.lt(today))
            .group_by(action_item::Column::ResponsibleAgencyId)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// The due date and status of every item due from `from` to `to`, for completion
    /// rates: two columns, not whole items.
    pub async fn dues_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(NaiveDate, ActionItemStatus)>, StoreError> {
        let rows: Vec<(NaiveDate, String)> = action_item::Entity::find()
            .select_only()
            .column(action_item::Column::DueOn)
            .column(action_item::Column::Status)
            .filter(action_item::Column::DueOn.gte(from))
            .filter(action_item::Column::DueOn.lte(to))
            .order_by_asc(action_item::Column::DueOn)
            .into_tuple()
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|(due_on, status)| Ok((due_on, column(&status, "action_items.status")?)))
            .collect()
    }
}
