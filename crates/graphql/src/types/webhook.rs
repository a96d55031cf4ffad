use async_graphql::{Context, Enum, ID, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::live::Topic;
use cmnp_domain::webhook;

use crate::connection::{Conn, complexity, connection, page_request};
use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::loaders::AgencyById;
use crate::types::enums::DeliveryStatus;
use crate::types::{Agency, id};

/// The events an endpoint may listen to, as their `type` names them in the payload.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum WebhookEvent {
    /// `action_item.changed`: an action item was created or changed.
    ActionItemChanged,
    /// `meeting.changed`: a session was scheduled or changed.
    MeetingChanged,
    /// `project.reported`: a narrative report or a REPORT document landed on a project.
    ProjectReported,
}

impl From<WebhookEvent> for Topic {
    fn from(event: WebhookEvent) -> Self {
        match event {
            WebhookEvent::ActionItemChanged => Topic::ActionItem,
            WebhookEvent::MeetingChanged => Topic::Meeting,
            WebhookEvent::ProjectReported => Topic::ProjectReported,
        }
    }
}

impl WebhookEvent {
    fn of(topic: Topic) -> Option<Self> {
        match topic {
            Topic::ActionItem => Some(Self::ActionItemChanged),
            Topic::Meeting => Some(Self::MeetingChanged),
            Topic::ProjectReported => Some(Self::ProjectReported),
            Topic::Access => None,
        }
    }
}

/// An endpoint the secretariat registered. Deliveries are signed per the Standard
/// Webhooks specification with the secret shown once, by `createWebhook`.
pub struct Webhook(webhook::Webhook);

impl Webhook {
    pub(crate) fn reveal(ctx: &Context<'_>, value: webhook::Webhook) -> ApiResult<Self> {
        ctx.reveal(value).map(Self)
    }
}

#[Object]
impl Webhook {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn url(&self) -> &str {
        &self.0.url
    }
    async fn events(&self) -> Vec<WebhookEvent> {
        self.0
            .topics
            .iter()
            .copied()
            .filter_map(WebhookEvent::of)
            .collect()
    }
    /// When set, only changes that concern this agency are delivered.
    async fn agency_scope(&self, ctx: &Context<'_>) -> ApiResult<Option<Agency>> {
        let Some(agency) = self.0.agency_scope_id else {
            return Ok(None);
        };
        match ctx.loader()?.load_one(AgencyById(agency)).await? {
            Some(agency) => Agency::reveal(ctx, agency).map(Some),
            None => Ok(None),
        }
    }
    /// False once removed: nothing more is delivered to it.
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Its deliveries, newest first.
    #[graphql(complexity = "complexity(first, child_complexity)")]
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        status: Option<DeliveryStatus>,
    ) -> ApiResult<Conn<WebhookDelivery>> {
        let request = page_request(ctx, first, after.as_deref())?;
        let page = ctx
            .store()?
            .webhook_deliveries(self.0.id, status.map(Into::into), request)
            .await?;
        connection(
            page,
            |delivery| delivery.id,
            |delivery| WebhookDelivery::reveal(ctx, delivery),
        )
    }
}

/// One event on its way to one endpoint, and what became of it.
pub struct WebhookDelivery(webhook::WebhookDelivery);

impl WebhookDelivery {
    pub(crate) fn reveal(ctx: &Context<'_>, value: webhook::WebhookDelivery) -> ApiResult<Self> {
        ctx.reveal(value).map(Self)
    }
}

#[Object]
impl WebhookDelivery {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// The event's `type`, such as `project.reported`.
    async fn event_type(&self) -> &str {
        &self.0.event_type
    }
    /// The `webhook-id` header every attempt carries, by which a receiver drops a
    /// delivery it has seen.
    async fn message_id(&self) -> &str {
        &self.0.message_id
    }
    /// The signed body, exactly as sent.
    async fn payload(&self) -> &str {
        &self.0.payload
    }
    /// SENT once the endpoint answered 2xx.
    async fn status(&self) -> DeliveryStatus {
        self.0.status.into()
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// The HTTP status of the last attempt, if the endpoint answered.
    async fn last_status_code(&self) -> Option<i32> {
        self.0.last_status_code
    }
    /// Why the last attempt failed.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn next_attempt_at(&self) -> DateTime<Utc> {
        self.0.next_attempt_at
    }
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }
}
