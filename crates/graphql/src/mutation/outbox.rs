use async_graphql::{Context, InputObject, Object, SimpleObject};
use cmnp_domain::policy::Permission;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::types::{EmailDelivery, parse_id};

#[derive(InputObject)]
pub struct RetryEmailDeliveryInput {
    pub id: async_graphql::ID,
}

#[derive(SimpleObject)]
pub struct RetryEmailDeliveryPayload {
    pub email_delivery: EmailDelivery,
}

#[derive(Default)]
pub struct OutboxMutations;

#[Object]
impl OutboxMutations {
    /// Queues a dead letter again, with a fresh set of attempts. Secretariat only.
    async fn retry_email_delivery(
        &self,
        ctx: &Context<'_>,
        input: RetryEmailDeliveryInput,
    ) -> ApiResult<RetryEmailDeliveryPayload> {
        let actor = ctx.require(Permission::ManageOutbox)?;
        let delivery = ctx
            .store()?
            .retry_email_delivery(Some(&actor), parse_id("id", &input.id)?)
            .await?;
        Ok(RetryEmailDeliveryPayload {
            email_delivery: EmailDelivery::reveal(ctx, delivery)?,
        })
    }
}
