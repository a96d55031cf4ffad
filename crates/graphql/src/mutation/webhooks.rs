use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use cmnp_domain::live::Topic;
use cmnp_domain::policy::Permission;
use cmnp_domain::webhook::{TargetUrl, check_topics};

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::types::{Webhook, WebhookDelivery, WebhookEvent, parse_id};

#[derive(InputObject)]
pub struct CreateWebhookInput {
    /// Where to deliver: `https://` to a public address (the service's settings may
    /// allow `http://` to loopback, or private addresses).
    pub url: String,
    pub events: Vec<WebhookEvent>,
    /// Deliver only the changes that concern this agency: its action items, the
    /// sessions it is invited to, the projects it takes part in.
    pub agency_scope_id: Option<ID>,
}

#[derive(SimpleObject)]
pub struct CreateWebhookPayload {
    pub webhook: Webhook,
    /// The signing secret (`whsec_...`), shown this once: keep it where the receiver
    /// verifies signatures.
    pub secret: String,
}

#[derive(InputObject)]
pub struct RemoveWebhookInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct RemoveWebhookPayload {
    pub webhook: Webhook,
}

#[derive(InputObject)]
pub struct RetryWebhookDeliveryInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct RetryWebhookDeliveryPayload {
    pub webhook_delivery: WebhookDelivery,
}

#[derive(Default)]
pub struct WebhookMutations;

#[Object]
impl WebhookMutations {
    /// Registers an endpoint for signed deliveries of changes. Secretariat only.
    async fn create_webhook(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookInput,
    ) -> ApiResult<CreateWebhookPayload> {
        let actor = ctx.require(Permission::ManageWebhooks)?;
        let url = TargetUrl::parse(&input.url, ctx.settings()?.webhook_targets)?;
        let topics: Vec<Topic> = input.events.into_iter().map(Into::into).collect();
        let topics = check_topics(&topics)?;
        let scope = input
            .agency_scope_id
            .map(|value| parse_id("agencyScopeId", &value))
            .transpose()?;
        let created = ctx
            .store()?
            .create_webhook(&actor, &url, &topics, scope)
            .await?;
        Ok(CreateWebhookPayload {
            webhook: Webhook::reveal(ctx, created.webhook)?,
            secret: created.secret.shown(),
        })
    }

    /// Stops deliveries to an endpoint; its history stays. Secretariat only.
    async fn remove_webhook(
        &self,
        ctx: &Context<'_>,
        input: RemoveWebhookInput,
    ) -> ApiResult<RemoveWebhookPayload> {
        let actor = ctx.require(Permission::ManageWebhooks)?;
        let webhook = ctx
            .store()?
            .deactivate_webhook(&actor, parse_id("id", &input.id)?)
            .await?;
        Ok(RemoveWebhookPayload {
            webhook: Webhook::reveal(ctx, webhook)?,
        })
    }

    /// Queues a dead delivery again, with the same `webhook-id` and payload and a fresh
    /// set of attempts. Secretariat only.
    async fn retry_webhook_delivery(
        &self,
        ctx: &Context<'_>,
        input: RetryWebhookDeliveryInput,
    ) -> ApiResult<RetryWebhookDeliveryPayload> {
        let actor = ctx.require(Permission::ManageWebhooks)?;
        let delivery = ctx
            .store()?
            .retry_webhook_delivery(&actor, parse_id("id", &input.id)?)
            .await?;
        Ok(RetryWebhookDeliveryPayload {
            webhook_delivery: WebhookDelivery::reveal(ctx, delivery)?,
        })
    }
}
