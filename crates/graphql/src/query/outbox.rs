//! The e-mail outbox, for the secretariat.

use async_graphql::{Context, InputObject, Object};
use cmnp_domain::policy::Permission;
use cmnp_store::DeliveryFilter;

use crate::connection::{Conn, complexity, connection, page_request};
use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::types::EmailDelivery;
use crate::types::enums::{DeliveryStatus, EmailKind};

#[derive(Default)]
pub struct OutboxQuery;

#[derive(InputObject, Default)]
pub struct EmailDeliveryFilter {
    pub status: Option<DeliveryStatus>,
    pub kind: Option<EmailKind>,
}

#[Object]
impl OutboxQuery {
    /// The e-mails cmnp has planned, oldest first. Secretariat only.
    #[graphql(complexity = "complexity(first, child_complexity)")]
    async fn email_deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<EmailDeliveryFilter>,
    ) -> ApiResult<Conn<EmailDelivery>> {
        ctx.require(Permission::ManageOutbox)?;
        let request = page_request(ctx, first, after.as_deref())?;
        let filter = filter.unwrap_or_default();
        let page = ctx
            .store()?
            .email_deliveries(
                DeliveryFilter {
                    status: filter.status.map(Into::into),
                    kind: filter.kind.map(Into::into),
                },
                request,
            )
            .await?;
        connection(
            page,
            |delivery| delivery.id,
            |delivery| EmailDelivery::reveal(ctx, delivery),
        )
    }
}
