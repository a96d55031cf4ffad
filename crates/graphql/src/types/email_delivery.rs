use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::outbox;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::types::enums::{DeliveryStatus, EmailKind};
use crate::types::id;

/// One e-mail of the outbox and what became of it.
pub struct EmailDelivery(outbox::EmailDelivery);

impl EmailDelivery {
    pub(crate) fn reveal(ctx: &Context<'_>, value: outbox::EmailDelivery) -> ApiResult<Self> {
        ctx.reveal(value).map(Self)
    }
}

#[Object]
impl EmailDelivery {
    pub(crate) async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn kind(&self) -> EmailKind {
        self.0.kind.into()
    }
    async fn status(&self) -> DeliveryStatus {
        self.0.status.into()
    }
    async fn recipient(&self) -> &str {
        &self.0.recipient
    }
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// The last failure, as the mail server or the file system reported it.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the next attempt is due (for pending messages).
    async fn next_attempt_at(&self) -> DateTime<Utc> {
        self.0.next_attempt_at
    }
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
}
