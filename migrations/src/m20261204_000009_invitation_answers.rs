//! Invitees' answers to invitations (RSVP): one answer per session and representative,
//! how it came (a signed link, GraphQL, an iCalendar `REPLY`) and when; and the
//! installation's own secrets, such as the key the answer links are signed with, which
//! the service creates at its first start so that every replica signs alike.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len, timestamp_with_time_zone, uuid};

use crate::helpers::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InvitationAnswers::Table)
                    .col(uuid(InvitationAnswers::MeetingId))
                    .col(uuid(InvitationAnswers::RepresentativeId))
                    .col(uuid(InvitationAnswers::AgencyId))
                    .col(string_len(InvitationAnswers::Answer, 20))
                    .col(string_len(InvitationAnswers::Via, 20))
                    .col(timestamp_with_time_zone(InvitationAnswers::AnsweredAt))
                    .primary_key(
                        Index::create()
                            .col(InvitationAnswers::MeetingId)
                            .col(InvitationAnswers::RepresentativeId),
                    )
                    .foreign_key(&mut fk(
                        InvitationAnswers::Table,
                        InvitationAnswers::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        InvitationAnswers::Table,
                        InvitationAnswers::RepresentativeId,
                        Representatives::Table,
                        Representatives::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        InvitationAnswers::Table,
                        InvitationAnswers::AgencyId,
                        Agencies::Table,
                        Agencies::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_invitation_answers_representative",
            InvitationAnswers::Table,
            &[InvitationAnswers::RepresentativeId],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(InstallationSecrets::Table)
                    .col(
                        string_len(InstallationSecrets::Name, 50)
                            .primary_key()
                            .to_owned(),
                    )
                    .col(string_len(InstallationSecrets::Secret, 200))
                    .col(timestamp_with_time_zone(InstallationSecrets::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(InstallationSecrets::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(InvitationAnswers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum InvitationAnswers {
    Table,
    MeetingId,
    RepresentativeId,
    AgencyId,
    Answer,
    Via,
    AnsweredAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum InstallationSecrets {
    Table,
    Name,
    Secret,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Representatives {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
}
