use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::agenda;
use cmnp_domain::document::OwnerKind;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::loaders::FollowUpOf;
use crate::types::enums::{AgendaItemKind, AttendanceMode, AttendanceStatus, AttendeeKind};
use crate::types::{ActionItem, Agency, Document, id};

/// An item of a session's agenda.
pub struct AgendaItem {
    item: agenda::AgendaItem,
    /// For a session already held, when it began: its follow-up lists only what existed
    /// then.
    held_since: Option<DateTime<Utc>>,
}

impl AgendaItem {
    pub(crate) fn reveal(
        ctx: &Context<'_>,
        value: agenda::AgendaItem,
        held_since: Option<DateTime<Utc>>,
    ) -> ApiResult<Self> {
        ctx.reveal(value).map(|item| Self { item, held_since })
    }
}

#[Object]
impl AgendaItem {
    pub(crate) async fn id(&self) -> ID {
        id(self.item.id)
    }

    /// 1-based position in the agenda.
    async fn position(&self) -> i32 {
        self.item.position
    }

    async fn title(&self) -> &str {
        &self.item.title
    }

    async fn description(&self) -> Option<&str> {
        self.item.description.as_deref()
    }

    async fn kind(&self) -> AgendaItemKind {
        self.item.kind.into()
    }

    async fn duration_minutes(&self) -> Option<i32> {
        self.item.duration_minutes
    }

    async fn presenter(&self, ctx: &Context<'_>) -> ApiResult<Option<Agency>> {
        let Some(agency_id) = self.item.presenter_agency_id else {
            return Ok(None);
        };
        Agency::by_id(ctx, agency_id).await
    }

    /// For a FOLLOW_UP item: the action items still pending (open, in progress, blocked;
    /// overdue or not) other than those this session adopted, carried over until done; for
    /// a session already held, only those that existed when it began. Empty for other
    /// kinds.
    async fn action_items(&self, ctx: &Context<'_>) -> ApiResult<Vec<ActionItem>> {
        if self.item.kind != agenda::AgendaItemKind::FollowUp {
            return Ok(Vec::new());
        }
        let items = ctx
            .loader()?
            .load_one(FollowUpOf {
                meeting_id: self.item.meeting_id,
                held_since: self.held_since,
            })
            .await?
            .unwrap_or_default();
        ctx.reveal_visible(items)?
            .into_iter()
            .map(|item| ActionItem::reveal(ctx, item))
            .collect()
    }

    /// The item's papers: the session's meeting pack, oldest first.
    async fn documents(&self, ctx: &Context<'_>) -> ApiResult<Vec<Document>> {
        Document::of(ctx, OwnerKind::AgendaItem, self.item.id).await
    }
}

/// One agency's attendance of a session.
pub struct AttendanceRecord(agenda::Attendance);

impl AttendanceRecord {
    pub(crate) fn reveal(ctx: &Context<'_>, value: agenda::Attendance) -> ApiResult<Self> {
        ctx.reveal(value).map(Self)
    }
}

#[Object(name = "Attendance")]
impl AttendanceRecord {
    async fn agency(&self, ctx: &Context<'_>) -> ApiResult<Option<Agency>> {
        Agency::by_id(ctx, self.0.agency_id).await
    }

    async fn status(&self) -> AttendanceStatus {
        self.0.status.into()
    }

    /// Principal, alternate or a named delegate.
    async fn attendee_kind(&self) -> Option<AttendeeKind> {
        self.0.attendee_kind.map(Into::into)
    }

    async fn attendee_name(&self) -> Option<&str> {
        self.0.attendee_name.as_deref()
    }

    async fn mode(&self) -> Option<AttendanceMode> {
        self.0.mode.map(Into::into)
    }

    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
}
