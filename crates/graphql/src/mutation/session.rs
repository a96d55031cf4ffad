use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use cmnp_domain::user::{Surface, TokenKind};
use cmnp_store::Authenticated;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::types::User;

#[derive(Default)]
pub struct SessionMutations;

#[derive(InputObject)]
pub struct LoginInput {
    pub email: String,
    #[graphql(secret)]
    pub password: String,
}

#[derive(SimpleObject)]
pub struct LoginPayload {
    /// A session token: send it as `Authorization: Bearer <token>`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: User,
}

#[Object]
impl SessionMutations {
    /// Signs in with e-mail and password and returns a session token. A wrong e-mail or
    /// password gets `UNAUTHENTICATED` without saying which was wrong.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> ApiResult<LoginPayload> {
        let lifetime = ctx.settings()?.session_lifetime;
        let (issued, user) = ctx
            .store()?
            .login(&input.email, input.password, lifetime, Surface::Api)
            .await?;
        let expires_at = issued
            .token
            .expires_at
            .unwrap_or_else(|| Utc::now() + lifetime);
        // The payload, and anything after it in this request, is resolved as the user who
        // has just signed in.
        ctx.switch_session(Some(Authenticated {
            token: issued.token,
            user: user.clone(),
        }))?;
        Ok(LoginPayload {
            token: issued.secret,
            expires_at,
            user: User::reveal(ctx, user)?,
        })
    }

    /// Ends the current session: its token stops working. Returns false when the request
    /// was authenticated with an API token, which stays valid (revoke it with
    /// `revokeApiToken`).
    async fn logout(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let actor = ctx.actor()?;
        let Some(auth) = ctx.authenticated() else {
            return Ok(false);
        };
        if auth.token.kind != TokenKind::Session {
            return Ok(false);
        }
        ctx.store()?
            .revoke_token(Some(&actor), auth.token.id)
            .await?;
        ctx.switch_session(None)?;
        Ok(true)
    }
}
