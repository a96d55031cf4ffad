//! The observations period of circulated minutes: its deadline on the session, and the
//! observations the agencies that attended send, each with the secretariat's answer.
//! Observations are never deleted, so the sessions, agencies and users they name cannot
//! be either.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    string_len_null, text, text_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
    uuid, uuid_null,
};

use crate::helpers::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .add_column(timestamp_with_time_zone_null(
                        Meetings::MinutesObservationsUntil,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MinutesObservations::Table)
                    .col(uuid(MinutesObservations::Id).primary_key())
                    .col(uuid(MinutesObservations::MeetingId))
                    .col(uuid(MinutesObservations::AgencyId))
                    .col(uuid(MinutesObservations::AuthorId))
                    .col(text(MinutesObservations::Text))
                    .col(timestamp_with_time_zone(MinutesObservations::SubmittedAt))
                    .col(string_len_null(MinutesObservations::Answer, 20))
                    .col(text_null(MinutesObservations::Reply))
                    .col(uuid_null(MinutesObservations::AnsweredBy))
                    .col(timestamp_with_time_zone_null(
                        MinutesObservations::AnsweredAt,
                    ))
                    .foreign_key(&mut fk(
                        MinutesObservations::Table,
                        MinutesObservations::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        MinutesObservations::Table,
                        MinutesObservations::AgencyId,
                        Agencies::Table,
                        Agencies::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        MinutesObservations::Table,
                        MinutesObservations::AuthorId,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        MinutesObservations::Table,
                        MinutesObservations::AnsweredBy,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_minutes_observations_meeting",
            MinutesObservations::Table,
            &[
                MinutesObservations::MeetingId,
                MinutesObservations::SubmittedAt,
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MinutesObservations::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Meetings::Table)
                    .drop_column(Meetings::MinutesObservationsUntil)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum MinutesObservations {
    Table,
    Id,
    MeetingId,
    AgencyId,
    AuthorId,
    Text,
    SubmittedAt,
    Answer,
    Reply,
    AnsweredBy,
    AnsweredAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Meetings {
    Table,
    Id,
    MinutesObservationsUntil,
}

#[derive(DeriveIden, Clone, Copy)]
enum Agencies {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}
