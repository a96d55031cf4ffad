use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::user;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::loaders::{AgencyById, ApiTokensOf};
use crate::types::enums::{Language, Role};
use crate::types::{Agency, ApiToken, id};

/// Someone who signs in to cmnp.
pub struct User(user::User);

impl User {
    pub(crate) fn reveal(ctx: &Context<'_>, value: user::User) -> ApiResult<Self> {
        ctx.reveal(value).map(Self)
    }

    pub(crate) fn email_key(value: &user::User) -> String {
        value.email.clone()
    }
}

#[Object]
impl User {
    pub(crate) async fn id(&self) -> ID {
        id(self.0.id)
    }

    /// Sign-in e-mail, lower-case.
    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn role(&self) -> Role {
        self.0.role.into()
    }

    /// The agency an `AGENCY` or `DONOR` user acts for.
    async fn agency(&self, ctx: &Context<'_>) -> ApiResult<Option<Agency>> {
        let Some(agency_id) = self.0.agency_id else {
            return Ok(None);
        };
        ctx.loader()?
            .load_one(AgencyById(agency_id))
            .await?
            .map(|agency| Agency::reveal(ctx, agency))
            .transpose()
    }

    /// The language cmnp writes to this user in.
    async fn locale(&self) -> Language {
        self.0.locale.into()
    }

    async fn active(&self) -> bool {
        self.0.active
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// The user's API tokens (never their secrets), oldest first.
    async fn api_tokens(&self, ctx: &Context<'_>) -> ApiResult<Vec<ApiToken>> {
        ctx.loader()?
            .load_one(ApiTokensOf(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|token| ApiToken::reveal(ctx, token))
            .collect()
    }
}
