//! How each agreement was decided: by consensus or by a vote under a rule, with the
//! quorum at that moment and, for a vote, each voting agency's vote and who cast it.
//! A decision is written once and never changed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    integer, string_len, string_len_null, timestamp_with_time_zone, uuid,
};

use crate::helpers::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AgreementDecisions::Table)
                    .col(uuid(AgreementDecisions::AgreementId).primary_key())
                    .col(string_len(AgreementDecisions::Method, 20))
                    .col(string_len_null(AgreementDecisions::Rule, 40))
                    .col(integer(AgreementDecisions::QuorumRequired))
                    .col(integer(AgreementDecisions::QuorumPresent))
                    .col(integer(AgreementDecisions::VotesFor))
                    .col(integer(AgreementDecisions::VotesAgainst))
                    .col(integer(AgreementDecisions::Abstentions))
                    .col(string_len(AgreementDecisions::Result, 20))
                    .col(timestamp_with_time_zone(AgreementDecisions::DecidedAt))
                    .foreign_key(&mut fk(
                        AgreementDecisions::Table,
                        AgreementDecisions::AgreementId,
                        Agreements::Table,
                        Agreements::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AgreementVotes::Table)
                    .col(uuid(AgreementVotes::AgreementId))
                    .col(uuid(AgreementVotes::AgencyId))
                    .col(string_len(AgreementVotes::Choice, 20))
                    .col(string_len(AgreementVotes::VoterKind, 20))
                    .col(string_len_null(AgreementVotes::VoterName, 800))
                    .col(string_len_null(AgreementVotes::DesignationRef, 800))
                    .primary_key(
                        Index::create()
                            .col(AgreementVotes::AgreementId)
                            .col(AgreementVotes::AgencyId),
                    )
                    .foreign_key(&mut fk(
                        AgreementVotes::Table,
                        AgreementVotes::AgreementId,
                        AgreementDecisions::Table,
                        AgreementDecisions::AgreementId,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        AgreementVotes::Table,
                        AgreementVotes::AgencyId,
                        Agencies::Table,
                        Agencies::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AgreementVotes::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AgreementDecisions::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum AgreementDecisions {
    Table,
    AgreementId,
    Method,
    Rule,
    QuorumRequired,
    QuorumPresent,
    VotesFor,
    VotesAgainst,
    Abstentions,
    Result,
    DecidedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AgreementVotes {
    Table,
    AgreementId,
    AgencyId,
    Choice,
    VoterKind,
    VoterName,
    DesignationRef,
}

#[derive(DeriveIden, Clone, Copy)]
enum Agreements {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Agencies {
    Table,
    Id,
}
