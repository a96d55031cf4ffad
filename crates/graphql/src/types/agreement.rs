use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::agreement;

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::loaders::{ActionItemsOfAgreement, MeetingById};
use crate::types::{ActionItem, Meeting, id};

/// An agreement (acuerdo) adopted in a session.
pub struct Agreement(agreement::Agreement);

impl Agreement {
    pub(crate) fn reveal(ctx: &Context<'_>, value: agreement::Agreement) -> ApiResult<Self> {
        ctx.reveal(value).map(Self)
    }

    /// The agreement if the actor may see it, else `None`.
    pub(crate) fn reveal_if_visible(
        ctx: &Context<'_>,
        value: agreement::Agreement,
    ) -> ApiResult<Option<Self>> {
        Ok(ctx.reveal_if_visible(value)?.map(Self))
    }
}

#[Object]
impl Agreement {
    pub(crate) async fn id(&self) -> ID {
        id(self.0.id)
    }

    /// "Acuerdo N° 007-2026-CMNP-TP-TIM".
    async fn number(&self) -> String {
        self.0.label()
    }

    /// The number within its year (7 for "Acuerdo N° 007-2026-…").
    async fn sequence_number(&self) -> i32 {
        self.0.number
    }

    async fn year(&self) -> i32 {
        self.0.year
    }

    async fn text(&self) -> &str {
        &self.0.text
    }

    async fn agenda_item_id(&self) -> Option<ID> {
        self.0.agenda_item_id.map(id)
    }

    async fn meeting(&self, ctx: &Context<'_>) -> ApiResult<Meeting> {
        let meeting = ctx
            .loader()?
            .load_one(MeetingById(self.0.meeting_id))
            .await?
            .ok_or_else(|| ApiError::internal(&"agreement without meeting"))?;
        Meeting::reveal(ctx, meeting)
    }

    /// The action items this agreement created.
    async fn action_items(&self, ctx: &Context<'_>) -> ApiResult<Vec<ActionItem>> {
        let items = ctx
            .loader()?
            .load_one(ActionItemsOfAgreement(self.0.id))
            .await?
            .unwrap_or_default();
        items
            .into_iter()
            .map(|item| ActionItem::reveal(ctx, item))
            .collect()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}
