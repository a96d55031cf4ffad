//! Documents: files attached to an agenda item (the meeting pack), to a session's
//! minutes, to an action item (evidence) or to a project (reports). A document is read
//! through the object it belongs to, under that object's read rule, and only some kinds
//! of file are taken: the bytes decide which ([`sniff`]), never the name or the type the
//! client claims, and nothing a browser would run (HTML, SVG, scripts) is kept.

mod sniff;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::action_item::ActionItem;
use crate::enums::string_enum;
use crate::meeting::Meeting;
use crate::policy::{self, Actor, Permission, Refusal, Visible};
use crate::project::Project;
use crate::{ValidationError, text};

pub use sniff::{FileKind, sniff};

string_enum! {
    /// What a document belongs to.
    OwnerKind, "ownerKind" {
        /// An agenda item of a session: its meeting pack.
        AgendaItem => "AGENDA_ITEM",
        /// A session's minutes; the owner is the session.
        MeetingMinutes => "MEETING_MINUTES",
        /// An action item: evidence of the work.
        ActionItem => "ACTION_ITEM",
        /// A project: reports and other papers.
        Project => "PROJECT",
    }
}

string_enum! {
    /// What a document is, where it matters: a project's reports are published in its
    /// IATI activity as `document-link`s.
    DocumentCategory, "category" {
        /// A report on a project's progress, results and outputs.
        Report => "REPORT",
        Other => "OTHER",
    }
}

/// The most characters of a document's title and of its file name.
const TITLE_MAX: usize = 200;
const FILE_NAME_MAX: usize = 200;

/// A stored document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Document {
    pub id: Uuid,
    pub owner_kind: OwnerKind,
    pub owner_id: Uuid,
    pub title: String,
    /// The uploader's file name, cleaned ([`clean_file_name`]): shown and offered when
    /// the file is downloaded, never used to store it.
    pub file_name: String,
    /// The IANA media type the bytes were found to be.
    pub content_type: String,
    pub size: i64,
    /// The SHA-256 of the bytes, in lowercase hexadecimal.
    pub sha256: String,
    /// Where the bytes are kept: made by the server, never from the client.
    #[serde(skip)]
    pub storage_key: String,
    pub category: DocumentCategory,
    pub uploaded_by: Option<Uuid>,
    pub uploaded_at: DateTime<Utc>,
}

/// A document about to be stored: its text checked and its bytes sniffed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub owner_kind: OwnerKind,
    pub owner_id: Uuid,
    pub title: String,
    pub file_name: String,
    pub kind: FileKind,
    pub category: DocumentCategory,
    pub size: i64,
    pub sha256: String,
}

/// What an upload brings, before it is checked.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub owner_kind: OwnerKind,
    pub owner_id: Uuid,
    pub title: &'a str,
    pub file_name: &'a str,
    pub category: Option<DocumentCategory>,
    pub bytes: &'a [u8],
}

impl NewDocument {
    /// Checks an upload: a title, a file of at most `max_bytes` whose bytes are one of the
    /// kinds taken, and a category that fits its owner. Errors name the input's fields
    /// (`title`, `file`, `category`).
    pub fn parse(upload: Upload<'_>, max_bytes: usize) -> Result<Self, ValidationError> {
        let title = text::required("title", upload.title, TITLE_MAX)?;
        if upload.bytes.len() > max_bytes {
            return Err(ValidationError::new(
                "file",
                format!(
                    "the file is {} bytes; at most {max_bytes} bytes are accepted",
                    upload.bytes.len()
                ),
            ));
        }
        if upload.bytes.is_empty() {
            return Err(ValidationError::new("file", "the file is empty"));
        }
        let file_name = clean_file_name(upload.file_name);
        let kind = sniff(upload.bytes, &file_name)?;
        let category = upload.category.unwrap_or(DocumentCategory::Other);
        if category == DocumentCategory::Report && upload.owner_kind != OwnerKind::Project {
            return Err(ValidationError::new(
                "category",
                "only a project's documents are reports",
            ));
        }
        Ok(Self {
            owner_kind: upload.owner_kind,
            owner_id: upload.owner_id,
            title,
            file_name,
            kind,
            category,
            size: i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX),
            sha256: sha256_hex(upload.bytes),
        })
    }
}

/// The last part of a client's file name (no folders), without control characters or
/// quotes, at most [`FILE_NAME_MAX`] characters; "documento" when nothing is left.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(FILE_NAME_MAX)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        "documento".to_owned()
    } else {
        cleaned.to_owned()
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(bytes);
    digest
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            use std::fmt::Write as _;
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// The object a document belongs to, as read for a decision about it.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    /// An agenda item, decided by its session.
    AgendaItem(&'a Meeting),
    /// A session's minutes.
    Minutes(&'a Meeting),
    ActionItem(&'a ActionItem),
    Project(&'a Project),
}

impl Owner<'_> {
    /// Whether `actor` may read the owner's documents: the owner's own read rule (a
    /// session's for its agenda, the minutes' for theirs); an action item's evidence is
    /// the commission's, as all of an item but its title and status.
    pub fn readable_by(&self, actor: &Actor) -> bool {
        match self {
            Owner::AgendaItem(meeting) => meeting.visible_to(actor),
            Owner::Minutes(meeting) => policy::minutes_visible_to(meeting, actor),
            Owner::ActionItem(_) => actor.may(Permission::ReadCommissionWork),
            Owner::Project(project) => project.visible_to(actor),
        }
    }

    /// Who attaches documents: the secretariat to a session's agenda and minutes; the
    /// responsible agency (and the secretariat) to an action item; those who report on a
    /// project ([`policy::may_report_on`]) to a project.
    pub fn check_uploader(&self, actor: &Actor) -> Result<(), Refusal> {
        let allowed = match self {
            Owner::AgendaItem(_) | Owner::Minutes(_) => actor.is_secretariat(),
            Owner::ActionItem(item) => {
                actor.is_secretariat() || actor.focal_agency() == Some(item.responsible_agency_id)
            }
            Owner::Project(project) => policy::may_report_on(project, actor),
        };
        if allowed {
            Ok(())
        } else {
            Err(Refusal::Forbidden(
                match self {
                    Owner::AgendaItem(_) | Owner::Minutes(_) => {
                        "only the secretariat attaches documents to a session"
                    }
                    Owner::ActionItem(_) => {
                        "only the secretariat and the responsible agency attach evidence to this action item"
                    }
                    Owner::Project(_) => {
                        "only the secretariat and implementing agencies attach documents to this project"
                    }
                }
                .into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests;
