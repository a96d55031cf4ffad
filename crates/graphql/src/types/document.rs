use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::document::{self, OwnerKind};

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::loaders::DocumentsOf;
use crate::types::enums::{DocumentCategory, DocumentOwnerKind};
use crate::types::id;

/// A file attached to an agenda item, a session's minutes, an action item or a project.
/// Its bytes are downloaded from `downloadUrl` with the same credentials.
pub struct Document(document::Document);

impl Document {
    /// The documents of an owner. A document is read through its owner: this is called
    /// from a field of an owner that passed its own read rule, once the rule of its
    /// documents ([`cmnp_domain::document::Owner::readable_by`]) allowed them.
    pub(crate) async fn of(
        ctx: &Context<'_>,
        kind: OwnerKind,
        owner_id: uuid::Uuid,
    ) -> ApiResult<Vec<Self>> {
        Ok(ctx
            .loader()?
            .load_one(DocumentsOf(kind, owner_id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Self)
            .collect())
    }

    /// A document its uploader has just stored (which they could only do on an owner
    /// they may read).
    pub(crate) fn uploaded(value: document::Document) -> Self {
        Self(value)
    }
}

#[Object]
impl Document {
    async fn id(&self) -> ID {
        id(self.0.id)
    }

    /// What the document belongs to.
    async fn owner_kind(&self) -> DocumentOwnerKind {
        self.0.owner_kind.into()
    }

    /// The id of the agenda item, session (for minutes), action item or project.
    async fn owner_id(&self) -> ID {
        id(self.0.owner_id)
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The uploader's file name, without folders.
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }

    /// The IANA media type found in the file's bytes (not the one the client claimed).
    async fn content_type(&self) -> &str {
        &self.0.content_type
    }

    /// Size in bytes.
    async fn size(&self) -> i64 {
        self.0.size
    }

    /// SHA-256 of the bytes, in lowercase hexadecimal.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }

    async fn category(&self) -> DocumentCategory {
        self.0.category.into()
    }

    async fn uploaded_at(&self) -> DateTime<Utc> {
        self.0.uploaded_at
    }

    /// Where the file is downloaded (`GET`, with a bearer token or the pages' session),
    /// always as an attachment.
    async fn download_url(&self, ctx: &Context<'_>) -> ApiResult<String> {
        Ok(format!(
            "{}/documents/{}",
            ctx.settings()?.public_url,
            self.0.id
        ))
    }
}
