//! Agencies, their representatives, users, bearer tokens and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, date_null, json_binary, pk_uuid, string_len, string_len_null, string_len_uniq, text,
    timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Agencies::Table)
                    .col(pk_uuid(Agencies::Id))
                    .col(string_len_uniq(Agencies::Acronym, 20))
                    .col(string_len(Agencies::Name, 200))
                    .col(string_len_null(Agencies::NameEn, 200))
                    .col(string_len(Agencies::Kind, 40))
                    .col(string_len(Agencies::Membership, 40))
                    .col(boolean(Agencies::Votes))
                    .col(string_len_null(Agencies::IatiRef, 64))
                    .col(boolean(Agencies::Active))
                    .col(timestamp_with_time_zone(Agencies::CreatedAt))
                    .col(timestamp_with_time_zone(Agencies::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Representatives::Table)
                    .col(pk_uuid(Representatives::Id))
                    .col(uuid(Representatives::AgencyId))
                    .col(string_len(Representatives::Name, 200))
                    .col(string_len(Representatives::Email, 254))
                    .col(string_len_null(Representatives::Phone, 40))
                    .col(string_len_null(Representatives::Position, 200))
                    .col(string_len(Representatives::Kind, 20))
                    .col(date_null(Representatives::MandateStart))
                    .col(date_null(Representatives::MandateEnd))
                    .col(string_len_null(Representatives::DesignationRef, 200))
                    .col(string_len(Representatives::Language, 5))
                    .col(timestamp_with_time_zone(Representatives::CreatedAt))
                    .col(timestamp_with_time_zone(Representatives::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_representatives_agency")
                            .from(Representatives::Table, Representatives::AgencyId)
                            .to(Agencies::Table, Agencies::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_representatives_agency")
                    .table(Representatives::Table)
                    .col(Representatives::AgencyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(pk_uuid(Users::Id))
                    .col(string_len_uniq(Users::Email, 254))
                    .col(string_len(Users::Name, 200))
                    .col(string_len(Users::Role, 20))
                    .col(uuid_null(Users::AgencyId))
                    .col(text(Users::PasswordHash))
                    .col(string_len(Users::Locale, 5))
                    .col(boolean(Users::Active))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_agency")
                            .from(Users::Table, Users::AgencyId)
                            .to(Agencies::Table, Agencies::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_users_agency")
                    .table(Users::Table)
                    .col(Users::AgencyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(pk_uuid(ApiTokens::Id))
                    .col(uuid(ApiTokens::UserId))
                    .col(string_len(ApiTokens::Kind, 20))
                    .col(string_len(ApiTokens::Name, 100))
                    .col(string_len_uniq(ApiTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_tokens_user")
                            .from(ApiTokens::Table, ApiTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_tokens_user")
                    .table(ApiTokens::Table)
                    .col(ApiTokens::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(pk_uuid(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::At))
                    .col(uuid_null(AuditEvents::ActorUserId))
                    .col(uuid_null(AuditEvents::ActorAgencyId))
                    .col(string_len(AuditEvents::Action, 100))
                    .col(string_len(AuditEvents::ObjectType, 50))
                    .col(uuid(AuditEvents::ObjectId))
                    .col(json_binary(AuditEvents::Changes))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_events_object")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::ObjectType)
                    .col(AuditEvents::ObjectId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_events_actor")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::ActorUserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEvents::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            Users::Table.into_iden(),
            Representatives::Table.into_iden(),
            Agencies::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
    Acronym,
    Name,
    NameEn,
    Kind,
    Membership,
    Votes,
    IatiRef,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Representatives {
    Table,
    Id,
    AgencyId,
    Name,
    Email,
    Phone,
    Position,
    Kind,
    MandateStart,
    MandateEnd,
    DesignationRef,
    Language,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    Role,
    AgencyId,
    PasswordHash,
    Locale,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Kind,
    Name,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    ActorUserId,
    ActorAgencyId,
    Action,
    ObjectType,
    ObjectId,
    Changes,
}
