//! Documents: their bytes in an object store (a local folder by default, S3 in
//! production), their record in the database. An upload writes the object first and then
//! the row with its audit event in one transaction; should the row fail, the object is
//! removed again, so nothing is half kept.

use std::sync::Arc;

use chrono::Utc;
use cmnp_domain::audit::changes;
use cmnp_domain::document::{Document, DocumentCategory, NewDocument, Owner, OwnerKind};
use cmnp_domain::live::Topic;
use cmnp_domain::policy::Actor;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::document;
use crate::error::column;
use crate::live::Announcement;
use crate::{Store, StoreError};

/// Where documents' bytes are kept: any `object_store` backend. Keys are made here (a
/// random UUID), never taken from a client's file name.
#[derive(Clone, Debug)]
pub struct DocumentFiles(Arc<dyn ObjectStore>);

impl DocumentFiles {
    pub fn new(store: Arc<dyn ObjectStore>) -> Self {
        Self(store)
    }
}

/// The object a document belongs to, as read from the database.
#[derive(Debug, Clone)]
pub enum OwnerObject {
    AgendaItem(cmnp_domain::meeting::Meeting),
    Minutes(cmnp_domain::meeting::Meeting),
    ActionItem(cmnp_domain::action_item::ActionItem),
    Project(cmnp_domain::project::Project),
}

impl OwnerObject {
    /// The owner, for the domain's decisions about its documents.
    pub fn as_owner(&self) -> Owner<'_> {
        match self {
            OwnerObject::AgendaItem(meeting) => Owner::AgendaItem(meeting),
            OwnerObject::Minutes(meeting) => Owner::Minutes(meeting),
            OwnerObject::ActionItem(item) => Owner::ActionItem(item),
            OwnerObject::Project(project) => Owner::Project(project),
        }
    }
}

impl Store {
    /// Keeps documents' bytes in `files`; without it, uploads and downloads fail.
    pub fn with_document_files(mut self, files: DocumentFiles) -> Self {
        self.files = Some(files);
        self
    }

    fn files(&self) -> Result<&DocumentFiles, StoreError> {
        self.files
            .as_ref()
            .ok_or_else(|| StoreError::Internal("no document storage is configured".into()))
    }

    /// The object a document of `kind` with `owner_id` belongs to, if it exists.
    pub async fn document_owner(
        &self,
        kind: OwnerKind,
        owner_id: Uuid,
    ) -> Result<Option<OwnerObject>, StoreError> {
        Ok(match kind {
            OwnerKind::AgendaItem => match self.agenda_item(owner_id).await? {
                Some(item) => self
                    .meeting(item.meeting_id)
                    .await?
                    .map(OwnerObject::AgendaItem),
                None => None,
            },
            OwnerKind::MeetingMinutes => self.meeting(owner_id).await?.map(OwnerObject::Minutes),
            OwnerKind::ActionItem => self
                .action_item(owner_id)
                .await?
                .map(OwnerObject::ActionItem),
            OwnerKind::Project => self.project(owner_id).await?.map(OwnerObject::Project),
        })
    }

    /// Stores `new` with `bytes` for `actor`, who must be allowed to attach it to its
    /// owner (the domain decides). The object is written first, then the row and its
    /// audit event; if the row cannot be written the object is removed.
    pub async fn add_document(
        &self,
        actor: &Actor,
        new: NewDocument,
        bytes: Vec<u8>,
    ) -> Result<Document, StoreError> {
        let files = self.files()?;
        let owner = self
            .document_owner(new.owner_kind, new.owner_id)
            .await?
            .ok_or(StoreError::NotFound("owner"))?;
        owner.as_owner().check_uploader(actor)?;
        let now = Utc::now();
        let document = Document {
            id: Uuid::now_v7(),
            owner_kind: new.owner_kind,
            owner_id: new.owner_id,
            title: new.title,
            file_name: new.file_name,
            content_type: new.kind.media_type().to_owned(),
            size: new.size,
            sha256: new.sha256,
            storage_key: Uuid::new_v4().simple().to_string(),
            category: new.category,
            uploaded_by: Some(actor.user_id),
            uploaded_at: now,
        };
        let location = Path::from(document.storage_key.as_str());
        files
            .0
            .put(&location, PutPayload::from(bytes))
            .await
            .map_err(|error| StoreError::Internal(format!("cannot store the document: {error}")))?;
        match self.record_document(actor, &document).await {
            Ok(()) => Ok(document),
            Err(error) => {
                if let Err(cleanup) = files.0.delete(&location).await {
                    tracing::error!(%cleanup, key = %document.storage_key, "an orphan document object was left");
                }
                Err(error)
            }
        }
    }

    async fn record_document(&self, actor: &Actor, document: &Document) -> Result<(), StoreError> {
        let txn = self.write().await?;
        document::ActiveModel {
            id: Set(document.id),
            owner_kind: Set(document.owner_kind.as_str().to_owned()),
            owner_id: Set(document.owner_id),
            title: Set(document.title.clone()),
            file_name: Set(document.file_name.clone()),
            content_type: Set(document.content_type.clone()),
            size: Set(document.size),
            sha256: Set(document.sha256.clone()),
            storage_key: Set(document.storage_key.clone()),
            category: Set(document.category.as_str().to_owned()),
            uploaded_by: Set(document.uploaded_by),
            uploaded_at: Set(document.uploaded_at),
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            document.uploaded_at,
            Entry {
                actor: Some(actor),
                action: "document.upload",
                object_type: "document",
                object_id: document.id,
                changes: changes(None, Some(document)),
            },
        )
        .await?;
        if document.owner_kind == OwnerKind::Project
            && document.category == DocumentCategory::Report
        {
            crate::live::announce(
                &txn,
                document.uploaded_at,
                Announcement {
                    topic: Topic::ProjectReported,
                    action: "document.upload",
                    object_id: document.owner_id,
                    detail: json!({
                        "kind": "DOCUMENT",
                        "documentId": document.id,
                        "title": document.title,
                    }),
                },
            )
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// One document's record.
    pub async fn document(&self, id: Uuid) -> Result<Option<Document>, StoreError> {
        document::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(to_domain)
            .transpose()
    }

    /// The documents of these owners of `kind`, oldest first.
    pub async fn documents_of(
        &self,
        kind: OwnerKind,
        owner_ids: &[Uuid],
    ) -> Result<Vec<Document>, StoreError> {
        document::Entity::find()
            .filter(document::Column::OwnerKind.eq(kind.as_str()))
            .filter(document::Column::OwnerId.is_in(owner_ids.iter().copied()))
            .order_by_asc(document::Column::UploadedAt)
            .order_by_asc(document::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// The contents of `document` as the storage hands them out: a download streams them
    /// (`GetResult::into_stream`) and never holds the whole file.
    pub async fn document_contents(
        &self,
        document: &Document,
    ) -> Result<object_store::GetResult, StoreError> {
        let location = Path::from(document.storage_key.as_str());
        Ok(self.files()?.0.get(&location).await?)
    }
}

impl From<object_store::Error> for StoreError {
    fn from(error: object_store::Error) -> Self {
        StoreError::Internal(format!("document storage: {error}"))
    }
}

fn to_domain(row: document::Model) -> Result<Document, StoreError> {
    Ok(Document {
        id: row.id,
        owner_kind: column(&row.owner_kind, "documents.owner_kind")?,
        owner_id: row.owner_id,
        title: row.title,
        file_name: row.file_name,
        content_type: row.content_type,
        size: row.size,
        sha256: row.sha256,
        storage_key: row.storage_key,
        category: column(&row.category, "documents.category")?,
        uploaded_by: row.uploaded_by,
        uploaded_at: row.uploaded_at,
    })
}
