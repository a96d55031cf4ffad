use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use cmnp_domain::document::{self, NewDocument};
use cmnp_domain::policy::Permission;

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::scalars::Upload;
use crate::types::enums::{DocumentCategory, DocumentOwnerKind};
use crate::types::{Document, parse_id};

#[derive(Default)]
pub struct DocumentMutations;

#[derive(InputObject)]
pub struct UploadDocumentInput {
    /// What the document belongs to.
    pub owner_kind: DocumentOwnerKind,
    /// The agenda item, session (for minutes), action item or project.
    pub owner_id: ID,
    pub title: String,
    /// The file, sent as a part of a `multipart/form-data` request (the GraphQL multipart
    /// request specification). Its bytes decide its type: PDF, PNG, JPEG, Word, Excel or
    /// PowerPoint (OOXML), OpenDocument, CSV or plain text; never HTML, SVG or scripts.
    pub file: Upload,
    /// `REPORT` for a project's reports (published in its IATI activity); `OTHER` when
    /// absent.
    pub category: Option<DocumentCategory>,
}

#[derive(SimpleObject)]
pub struct UploadDocumentPayload {
    /// The stored document.
    pub document: Document,
}

#[Object]
impl DocumentMutations {
    /// Attaches a file to an agenda item (the meeting pack) or a session's minutes
    /// (secretariat), an action item (its responsible agency and the secretariat) or a
    /// project (its implementing agencies and the secretariat). Files larger than the
    /// configured limit are refused, naming `file`.
    async fn upload_document(
        &self,
        ctx: &Context<'_>,
        input: UploadDocumentInput,
    ) -> ApiResult<UploadDocumentPayload> {
        let actor = ctx.require(Permission::AttachDocuments)?;
        let owner_id = parse_id("ownerId", &input.owner_id)?;
        let owner_kind = input.owner_kind.into();
        let store = ctx.store()?;
        // Who may attach to the object is decided before the file is looked at.
        store
            .document_owner(owner_kind, owner_id)
            .await?
            .ok_or_else(|| ApiError::NotFound("owner not found".into()))?
            .as_owner()
            .check_uploader(&actor)?;
        let file = input.file.content(ctx).ok_or_else(|| {
            ApiError::bad_input("file", "send the file as a part of a multipart request")
        })?;
        let new = NewDocument::parse(
            document::Upload {
                owner_kind,
                owner_id,
                title: &input.title,
                file_name: &file.filename,
                category: input.category.map(Into::into),
                bytes: &file.content,
            },
            ctx.settings()?.document_max_bytes,
        )?;
        let document = store
            .add_document(&actor, new, file.content.to_vec())
            .await?;
        Ok(UploadDocumentPayload {
            document: Document::uploaded(document),
        })
    }
}
