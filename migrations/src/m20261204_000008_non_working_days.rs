//! The secretariat's own days off: dates it does not work although the country does.
//! Deadlines counted in working days skip them as they skip weekends and the national
//! holidays, which are computed rather than stored.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{date, pk_uuid, string_len, timestamp_with_time_zone};

use crate::helpers::unique;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NonWorkingDays::Table)
                    .col(pk_uuid(NonWorkingDays::Id))
                    .col(date(NonWorkingDays::Date))
                    .col(string_len(NonWorkingDays::Note, 800))
                    .col(timestamp_with_time_zone(NonWorkingDays::CreatedAt))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "idx_non_working_days_date",
            NonWorkingDays::Table,
            &[NonWorkingDays::Date],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NonWorkingDays::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum NonWorkingDays {
    Table,
    Id,
    Date,
    Note,
    CreatedAt,
}
