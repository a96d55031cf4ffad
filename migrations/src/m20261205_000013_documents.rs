//! Documents attached to agenda items, minutes, action items and projects: what the file
//! is (its sniffed type, size and SHA-256), where its bytes are kept (a key the server
//! made) and who put it there. The owner is named by kind and id, so no foreign key
//! reaches it; the uploader is a user.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, string_len, timestamp_with_time_zone, uuid, uuid_null,
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
                    .table(Documents::Table)
                    .col(uuid(Documents::Id).primary_key())
                    .col(string_len(Documents::OwnerKind, 20))
                    .col(uuid(Documents::OwnerId))
                    .col(string_len(Documents::Title, 800))
                    .col(string_len(Documents::FileName, 800))
                    .col(string_len(Documents::ContentType, 100))
                    .col(big_integer(Documents::Size))
                    .col(string_len(Documents::Sha256, 64))
                    .col(string_len(Documents::StorageKey, 100))
                    .col(string_len(Documents::Category, 20))
                    .col(uuid_null(Documents::UploadedBy))
                    .col(timestamp_with_time_zone(Documents::UploadedAt))
                    .foreign_key(&mut fk(
                        Documents::Table,
                        Documents::UploadedBy,
                        Users::Table,
                        Users::Id,
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_documents_owner",
            Documents::Table,
            &[Documents::OwnerId, Documents::UploadedAt],
        )
        .await?;
        unique(
            manager,
            "idx_documents_storage_key",
            Documents::Table,
            &[Documents::StorageKey],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Documents::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Documents {
    Table,
    Id,
    OwnerKind,
    OwnerId,
    Title,
    FileName,
    ContentType,
    Size,
    Sha256,
    StorageKey,
    Category,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}
