//! Aggregates for the status pages: counted and grouped in SQL, so that a page costs the
//! same however long the commission's history grows.

use chrono::NaiveDate;
use cmnp_domain::action_item::ActionItemStatus;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entity::action_item;
use crate::error::column;
use crate::{Store, StoreError};

impl Store {
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
