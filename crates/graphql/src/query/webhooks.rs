//! Webhook endpoints and their deliveries, for the secretariat.

use async_graphql::{Context, Object};
use cmnp_domain::policy::Permission;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::types::Webhook;

#[derive(Default)]
pub struct WebhookQuery;

#[Object]
impl WebhookQuery {
    /// Every registered endpoint, oldest first, removed ones included. Secretariat only.
    async fn webhooks(&self, ctx: &Context<'_>) -> ApiResult<Vec<Webhook>> {
        ctx.require(Permission::ManageWebhooks)?;
        ctx.store()?
            .webhooks()
            .await?
            .into_iter()
            .map(|webhook| Webhook::reveal(ctx, webhook))
            .collect()
    }
}
