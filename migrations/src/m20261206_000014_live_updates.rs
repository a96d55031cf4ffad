//! Live updates: the change feed (one row per committed change that subscribers and
//! webhooks hear of, numbered in commit order, with the changed object as the change
//! left it), the secretariat's webhook endpoints and their deliveries, an outbox like the
//! e-mail one.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_pk_auto, boolean, integer, integer_null, json_binary, json_binary_null,
    string_len, string_len_null, text, timestamp_with_time_zone, timestamp_with_time_zone_null,
    uuid, uuid_null,
};

use crate::helpers::{fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChangeEvents::Table)
                    .col(big_pk_auto(ChangeEvents::Seq))
                    .col(uuid(ChangeEvents::Id))
                    .col(string_len(ChangeEvents::Topic, 40))
                    .col(string_len(ChangeEvents::Action, 60))
                    .col(uuid(ChangeEvents::ObjectId))
                    .col(json_binary(ChangeEvents::Detail))
                    .col(json_binary_null(ChangeEvents::Snapshot))
                    .col(timestamp_with_time_zone(ChangeEvents::At))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "idx_change_events_id",
            ChangeEvents::Table,
            &[ChangeEvents::Id],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(Webhooks::Table)
                    .col(uuid(Webhooks::Id).primary_key())
                    .col(string_len(Webhooks::Url, 2000))
                    .col(json_binary(Webhooks::Events))
                    .col(uuid_null(Webhooks::AgencyScopeId))
                    .col(string_len(Webhooks::Secret, 100))
                    .col(boolean(Webhooks::Active))
                    .col(uuid_null(Webhooks::CreatedBy))
                    .col(timestamp_with_time_zone(Webhooks::CreatedAt))
                    .foreign_key(&mut fk(
                        Webhooks::Table,
                        Webhooks::AgencyScopeId,
                        Agencies::Table,
                        Agencies::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Webhooks::Table,
                        Webhooks::CreatedBy,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(uuid(WebhookDeliveries::Id).primary_key())
                    .col(uuid(WebhookDeliveries::WebhookId))
                    .col(big_integer(WebhookDeliveries::EventSeq))
                    .col(string_len(WebhookDeliveries::EventType, 40))
                    .col(text(WebhookDeliveries::Payload))
                    .col(string_len(WebhookDeliveries::Status, 20))
                    .col(integer(WebhookDeliveries::Attempts))
                    .col(timestamp_with_time_zone(WebhookDeliveries::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::LockedUntil,
                    ))
                    .col(integer_null(WebhookDeliveries::LastStatusCode))
                    .col(string_len_null(WebhookDeliveries::LastError, 1000))
                    .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::DeliveredAt,
                    ))
                    .foreign_key(&mut fk(
                        WebhookDeliveries::Table,
                        WebhookDeliveries::WebhookId,
                        Webhooks::Table,
                        Webhooks::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        // One delivery per endpoint and change, however often it is planned.
        unique(
            manager,
            "idx_webhook_deliveries_once",
            WebhookDeliveries::Table,
            &[WebhookDeliveries::WebhookId, WebhookDeliveries::EventSeq],
        )
        .await?;
        index(
            manager,
            "idx_webhook_deliveries_due",
            WebhookDeliveries::Table,
            &[WebhookDeliveries::Status, WebhookDeliveries::NextAttemptAt],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebhookDeliveries::Table.into_iden(),
            Webhooks::Table.into_iden(),
            ChangeEvents::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum ChangeEvents {
    Table,
    Seq,
    Id,
    Topic,
    Action,
    ObjectId,
    Detail,
    Snapshot,
    At,
}

#[derive(DeriveIden, Clone, Copy)]
enum Webhooks {
    Table,
    Id,
    Url,
    Events,
    AgencyScopeId,
    Secret,
    Active,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum WebhookDeliveries {
    Table,
    Id,
    WebhookId,
    EventSeq,
    EventType,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    LastStatusCode,
    LastError,
    CreatedAt,
    DeliveredAt,
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
