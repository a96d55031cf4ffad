//! Recurring sessions: a series holds an RFC 5545 recurrence rule read in its own zone,
//! and each occurrence the scheduler creates is an ordinary session that remembers its
//! series and the start the rule gave it (`recurrence_id`, in UTC), so a moved session
//! keeps its place in the series. One session per series and occurrence, whoever
//! creates it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    integer, pk_uuid, string_len, string_len_null, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid_null,
};

use crate::helpers::unique;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MeetingSeries::Table)
                    .col(pk_uuid(MeetingSeries::Id))
                    .col(string_len(MeetingSeries::Kind, 20))
                    .col(string_len(MeetingSeries::Title, 300))
                    .col(string_len(MeetingSeries::Rule, 500))
                    .col(string_len(MeetingSeries::TimeZone, 64))
                    .col(timestamp_with_time_zone(MeetingSeries::StartsAt))
                    .col(integer(MeetingSeries::DurationMinutes))
                    .col(text(MeetingSeries::ExceptOn))
                    .col(string_len_null(MeetingSeries::Location, 300))
                    .col(string_len_null(MeetingSeries::OnlineUrl, 500))
                    .col(text_null(MeetingSeries::InvitedAgencyIds))
                    .col(timestamp_with_time_zone(MeetingSeries::CreatedAt))
                    .col(timestamp_with_time_zone(MeetingSeries::UpdatedAt))
                    .col(integer(MeetingSeries::Version))
                    .to_owned(),
            )
            .await?;
        // SQLite cannot add a column with a foreign key to an existing table, so the
        // link is kept by the store, which only writes series it has just read.
        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .add_column(uuid_null(Meetings::SeriesId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .add_column(timestamp_with_time_zone_null(Meetings::RecurrenceId))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "ux_meetings_occurrence",
            Meetings::Table,
            &[Meetings::SeriesId, Meetings::RecurrenceId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_meetings_occurrence")
                    .table(Meetings::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Meetings::RecurrenceId, Meetings::SeriesId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Meetings::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(MeetingSeries::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum MeetingSeries {
    Table,
    Id,
    Kind,
    Title,
    Rule,
    TimeZone,
    StartsAt,
    DurationMinutes,
    ExceptOn,
    Location,
    OnlineUrl,
    InvitedAgencyIds,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Meetings {
    Table,
    SeriesId,
    RecurrenceId,
}
