//! Indexes in the order action items are listed: by due date, then id. The overdue list
//! reads the pending items from a partial index already in that order, and an agency's
//! items come from an index on the agency followed by that order; neither sorts the
//! matching rows before it can return the first page.

use sea_orm_migration::prelude::*;

use crate::helpers::index;

/// The pending statuses, in the order the store lists them in its filter: SQLite uses a
/// partial index only when the query repeats its condition.
const PENDING: [&str; 3] = ["OPEN", "IN_PROGRESS", "BLOCKED"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_action_items_pending_due")
                    .table(ActionItems::Table)
                    .col(ActionItems::DueOn)
                    .col(ActionItems::Id)
                    .and_where(Expr::col(ActionItems::Status).is_in(PENDING))
                    .to_owned(),
            )
            .await?;
        drop_index(manager, "idx_action_items_responsible").await?;
        index(
            manager,
            "idx_action_items_responsible_due",
            ActionItems::Table,
            &[
                ActionItems::ResponsibleAgencyId,
                ActionItems::DueOn,
                ActionItems::Id,
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_index(manager, "idx_action_items_responsible_due").await?;
        index(
            manager,
            "idx_action_items_responsible",
            ActionItems::Table,
            &[ActionItems::ResponsibleAgencyId],
        )
        .await?;
        drop_index(manager, "idx_action_items_pending_due").await
    }
}

async fn drop_index(manager: &SchemaManager<'_>, name: &str) -> Result<(), DbErr> {
    manager
        .drop_index(
            Index::drop()
                .name(name)
                .table(ActionItems::Table)
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden, Clone, Copy)]
enum ActionItems {
    Table,
    Id,
    ResponsibleAgencyId,
    DueOn,
    Status,
}
