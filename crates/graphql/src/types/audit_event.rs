use async_graphql::{Context, ID, Json, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::audit;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::loaders::UserById;
use crate::types::{Agency, User, id};

/// One change to the commission's data: who, when, what, and the fields before and after.
pub struct AuditEvent(audit::AuditEvent);

impl AuditEvent {
    pub(crate) fn reveal(ctx: &Context<'_>, value: audit::AuditEvent) -> ApiResult<Self> {
        ctx.reveal(value).map(Self)
    }
}

#[Object]
impl AuditEvent {
    pub(crate) async fn id(&self) -> ID {
        id(self.0.id)
    }

    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// The user who made the change; null for the command line and the system itself.
    async fn actor(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        let Some(user_id) = self.0.actor_user_id else {
            return Ok(None);
        };
        ctx.loader()?
            .load_one(UserById(user_id))
            .await?
            .map(|user| User::reveal(ctx, user))
            .transpose()
    }

    /// The agency the actor acted for.
    async fn agency(&self, ctx: &Context<'_>) -> ApiResult<Option<Agency>> {
        let Some(agency_id) = self.0.actor_agency_id else {
            return Ok(None);
        };
        Agency::by_id(ctx, agency_id).await
    }

    /// What was done, as `object.verb` ("agency.update").
    async fn action(&self) -> &str {
        &self.0.action
    }

    async fn object_type(&self) -> &str {
        &self.0.object_type
    }

    async fn object_id(&self) -> ID {
        id(self.0.object_id)
    }

    /// The changed fields: `{ "field": { "before": …, "after": … } }`.
    async fn changes(&self) -> Json<&serde_json::Value> {
        Json(&self.0.changes)
    }
}
