use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use cmnp_domain::policy::Permission;
use cmnp_domain::user::{NewUser, TokenKind, UserInput, token_fields};

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::types::enums::{Language, Role};
use crate::types::{ApiToken, User, parse_id};

#[derive(Default)]
pub struct UserMutations;

#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    pub name: String,
    pub role: Role,
    /// Required for AGENCY and DONOR users; not allowed for SECRETARIAT users.
    pub agency_id: Option<ID>,
    /// At least 10 characters.
    #[graphql(secret)]
    pub password: String,
    /// Default: ES.
    pub locale: Option<Language>,
}

#[derive(SimpleObject)]
pub struct CreateUserPayload {
    pub user: User,
}

#[derive(InputObject)]
pub struct CreateApiTokenInput {
    /// Whose token; default: the signed-in user. Only the secretariat creates tokens for
    /// others.
    pub user_id: Option<ID>,
    /// What the token is for ("sistema de seguimiento MIMP").
    pub name: String,
    /// When it stops working; default: never (until revoked).
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(SimpleObject)]
pub struct CreateApiTokenPayload {
    /// The secret, shown this once: send it as `Authorization: Bearer <token>`.
    pub token: String,
    pub api_token: ApiToken,
}

#[derive(InputObject)]
pub struct RevokeApiTokenInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct RevokeApiTokenPayload {
    pub api_token: ApiToken,
}

#[derive(InputObject)]
pub struct CreateCalendarFeedInput {
    /// What the feed is for ("Outlook"); default: "calendar".
    pub name: Option<String>,
}

#[derive(SimpleObject)]
pub struct CreateCalendarFeedPayload {
    /// Subscribe to this address in a calendar application; it is shown this once.
    pub url: String,
    pub api_token: ApiToken,
}

#[Object]
impl UserMutations {
    /// Creates a subscription feed of the sessions the signed-in user may see. The
    /// address holds a secret that opens this feed and nothing else; revoke it with
    /// `revokeApiToken`.
    async fn create_calendar_feed(
        &self,
        ctx: &Context<'_>,
        input: CreateCalendarFeedInput,
    ) -> ApiResult<CreateCalendarFeedPayload> {
        let actor = ctx.actor()?;
        let (name, _) = token_fields(
            input.name.as_deref().unwrap_or("calendar"),
            None,
            Utc::now(),
        )?;
        let issued = ctx
            .store()?
            .create_token(Some(&actor), actor.user_id, TokenKind::Calendar, name, None)
            .await?;
        Ok(CreateCalendarFeedPayload {
            url: format!(
                "{}/calendar/{}.ics",
                ctx.settings()?.public_url,
                issued.secret
            ),
            api_token: ApiToken::reveal(ctx, issued.token)?,
        })
    }

    /// Creates a user who can sign in. Secretariat only.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: CreateUserInput,
    ) -> ApiResult<CreateUserPayload> {
        let actor = ctx.require(Permission::ManageUsers)?;
        let new = NewUser::try_from(UserInput {
            email: input.email,
            name: input.name,
            role: Some(input.role.into()),
            agency_id: input
                .agency_id
                .as_ref()
                .map(|id| parse_id("agencyId", id))
                .transpose()?,
            password: input.password,
            locale: input.locale.map(Into::into),
        })?;
        let user = ctx.store()?.create_user(Some(&actor), new).await?;
        Ok(CreateUserPayload {
            user: User::reveal(ctx, user)?,
        })
    }

    /// Creates an API token for a client system.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        input: CreateApiTokenInput,
    ) -> ApiResult<CreateApiTokenPayload> {
        let actor = ctx.actor()?;
        let user_id = match &input.user_id {
            Some(id) => parse_id("userId", id)?,
            None => actor.user_id,
        };
        if !actor.may_manage_tokens_of(user_id) {
            return Err(ApiError::forbidden());
        }
        let (name, expires_at) = token_fields(&input.name, input.expires_at, Utc::now())?;
        let issued = ctx
            .store()?
            .create_api_token(Some(&actor), user_id, name, expires_at)
            .await?;
        Ok(CreateApiTokenPayload {
            token: issued.secret,
            api_token: ApiToken::reveal(ctx, issued.token)?,
        })
    }

    /// Revokes an API token: it stops working at once.
    async fn revoke_api_token(
        &self,
        ctx: &Context<'_>,
        input: RevokeApiTokenInput,
    ) -> ApiResult<RevokeApiTokenPayload> {
        let actor = ctx.actor()?;
        let id = parse_id("id", &input.id)?;
        let store = ctx.store()?;
        let token = store
            .token(id)
            .await?
            .ok_or_else(|| ApiError::NotFound("token not found".into()))?;
        // Tokens of other users are not even acknowledged to exist.
        if !actor.may_manage_tokens_of(token.user_id) {
            return Err(ApiError::NotFound("token not found".into()));
        }
        let revoked = store.revoke_token(Some(&actor), id).await?;
        Ok(RevokeApiTokenPayload {
            api_token: ApiToken::reveal(ctx, revoked)?,
        })
    }
}
