//! The e-mail outbox: rendered messages waiting for delivery, with their attempts.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    integer, pk_uuid, string_len, string_len_null, string_len_uniq, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null, uuid_null,
};

use crate::helpers::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EmailOutbox::Table)
                    .col(pk_uuid(EmailOutbox::Id))
                    .col(string_len_uniq(EmailOutbox::DedupeKey, 400))
                    .col(string_len(EmailOutbox::Kind, 40))
                    .col(string_len(EmailOutbox::Status, 20))
                    .col(string_len(EmailOutbox::Recipient, 254))
                    .col(string_len(EmailOutbox::RecipientName, 200))
                    .col(string_len(EmailOutbox::Language, 5))
                    .col(uuid_null(EmailOutbox::ObjectId))
                    .col(string_len(EmailOutbox::Subject, 1000))
                    .col(text(EmailOutbox::BodyText))
                    .col(text(EmailOutbox::BodyHtml))
                    .col(string_len_null(EmailOutbox::CalendarMethod, 20))
                    .col(text_null(EmailOutbox::CalendarIcs))
                    .col(string_len(EmailOutbox::MessageId, 300))
                    .col(integer(EmailOutbox::Attempts))
                    .col(timestamp_with_time_zone(EmailOutbox::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(EmailOutbox::LockedUntil))
                    .col(text_null(EmailOutbox::LastError))
                    .col(timestamp_with_time_zone(EmailOutbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(EmailOutbox::SentAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_email_outbox_due",
            EmailOutbox::Table,
            &[EmailOutbox::Status, EmailOutbox::NextAttemptAt],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EmailOutbox::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum EmailOutbox {
    Table,
    Id,
    DedupeKey,
    Kind,
    Status,
    Recipient,
    RecipientName,
    Language,
    ObjectId,
    Subject,
    BodyText,
    BodyHtml,
    CalendarMethod,
    CalendarIcs,
    MessageId,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    LastError,
    CreatedAt,
    SentAt,
}
