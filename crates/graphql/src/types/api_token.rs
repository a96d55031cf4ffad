use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::user;

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::loaders::UserById;
use crate::types::enums::TokenKind;
use crate::types::{User, id};

/// A bearer token's record. Its secret is shown once, when it is created, and never again.
pub struct ApiToken(user::ApiToken);

impl ApiToken {
    pub(crate) fn reveal(ctx: &Context<'_>, value: user::ApiToken) -> ApiResult<Self> {
        ctx.reveal(value).map(Self)
    }
}

#[Object]
impl ApiToken {
    pub(crate) async fn id(&self) -> ID {
        id(self.0.id)
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn kind(&self) -> TokenKind {
        self.0.kind.into()
    }

    async fn user(&self, ctx: &Context<'_>) -> ApiResult<User> {
        let user = ctx
            .loader()?
            .load_one(UserById(self.0.user_id))
            .await?
            .ok_or_else(|| ApiError::internal(&"token without user"))?;
        User::reveal(ctx, user)
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }

    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }

    /// When the token last authenticated a request (to within five minutes).
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }

    /// Whether the token authenticates requests now: not revoked, not expired.
    async fn active(&self) -> bool {
        self.0.is_usable(Utc::now())
    }
}
