use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use cmnp_domain::ValidationError;
use cmnp_domain::policy::Permission;
use cmnp_domain::user::{NewUser, Password, TokenKind, UserChanges, UserInput, token_fields};

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
pub struct UpdateUserInput {
    pub id: ID,
    pub name: Option<String>,
    /// Nobody changes their own role.
    pub role: Option<Role>,
    /// Required for AGENCY and DONOR users; null for SECRETARIAT users.
    pub agency_id: MaybeUndefined<ID>,
    pub locale: Option<Language>,
}

#[derive(InputObject)]
pub struct UserIdInput {
    pub id: ID,
}

/// The user after the change.
#[derive(SimpleObject)]
pub struct UserPayload {
    pub user: User,
}

#[derive(InputObject)]
pub struct ChangePasswordInput {
    #[graphql(secret)]
    pub current_password: String,
    /// At least 10 characters.
    #[graphql(secret)]
    pub new_password: String,
    /// End every other session of the user (API tokens and calendar feeds stay);
    /// default true.
    pub sign_out_elsewhere: Option<bool>,
}

#[derive(InputObject)]
pub struct RequestPasswordResetInput {
    pub user_id: ID,
}

#[derive(SimpleObject)]
pub struct RequestPasswordResetPayload {
    /// Whose password the link resets; it was sent to this user's address.
    pub user: User,
    /// Until when the link works, once.
    pub expires_at: DateTime<Utc>,
}

#[derive(InputObject)]
pub struct ResetPasswordInput {
    /// The secret of the link, its `token` parameter.
    #[graphql(secret)]
    pub token: String,
    /// At least 10 characters.
    #[graphql(secret)]
    pub new_password: String,
}

#[derive(SimpleObject)]
pub struct ResetPasswordPayload {
    /// The address of the account whose password was set: it signs in with it now.
    pub email: String,
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

    /// Changes a user's name, role, agency or language. Secretariat only; nobody changes
    /// their own role.
    async fn update_user(
        &self,
        ctx: &Context<'_>,
        input: UpdateUserInput,
    ) -> ApiResult<UserPayload> {
        let actor = ctx.require(Permission::ManageUsers)?;
        let changes = UserChanges {
            name: input.name,
            role: input.role.map(Into::into),
            agency_id: match input.agency_id {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(id) => Some(Some(parse_id("agencyId", &id)?)),
            },
            locale: input.locale.map(Into::into),
        };
        let user = ctx
            .store()?
            .update_user(Some(&actor), parse_id("id", &input.id)?, changes)
            .await?;
        user_payload(ctx, user)
    }

    /// Closes an account, for someone who has left: its password no longer signs in, and
    /// every session, page cookie, API token and calendar feed it holds stops working at
    /// once. Secretariat only; nobody closes their own account.
    async fn deactivate_user(
        &self,
        ctx: &Context<'_>,
        input: UserIdInput,
    ) -> ApiResult<UserPayload> {
        let actor = ctx.require(Permission::ManageUsers)?;
        let user = ctx
            .store()?
            .deactivate_user(Some(&actor), parse_id("id", &input.id)?)
            .await?;
        user_payload(ctx, user)
    }

    /// Reopens a closed account: its password signs in again; the tokens revoked when it
    /// was closed stay revoked. Secretariat only.
    async fn reactivate_user(
        &self,
        ctx: &Context<'_>,
        input: UserIdInput,
    ) -> ApiResult<UserPayload> {
        let actor = ctx.require(Permission::ManageUsers)?;
        let user = ctx
            .store()?
            .reactivate_user(Some(&actor), parse_id("id", &input.id)?)
            .await?;
        user_payload(ctx, user)
    }

    /// Changes the signed-in user's own password, given the current one. Wrong current
    /// passwords count as failed sign-ins.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        input: ChangePasswordInput,
    ) -> ApiResult<UserPayload> {
        let actor = ctx.actor()?;
        let new = new_password(input.new_password)?;
        let session = ctx.authenticated().map(|current| current.token.id);
        let user = ctx
            .store()?
            .change_password(
                &actor,
                session,
                input.current_password,
                new,
                input.sign_out_elsewhere.unwrap_or(true),
            )
            .await?;
        user_payload(ctx, user)
    }

    /// Sends a user a one-time link, valid for 24 hours, to choose a new password (by
    /// e-mail, through the outbox; the link is never shown here). An earlier link of the
    /// user stops working. Secretariat only; not for closed accounts.
    async fn request_password_reset(
        &self,
        ctx: &Context<'_>,
        input: RequestPasswordResetInput,
    ) -> ApiResult<RequestPasswordResetPayload> {
        let actor = ctx.require(Permission::ManageUsers)?;
        let issued = ctx
            .store()?
            .request_password_reset(Some(&actor), parse_id("userId", &input.user_id)?)
            .await?;
        Ok(RequestPasswordResetPayload {
            user: User::reveal(ctx, issued.user)?,
            expires_at: issued.expires_at,
        })
    }

    /// Sets a new password with the secret of a reset link, without signing in: the link
    /// works once, and every session of the account ends (its API tokens and calendar
    /// feeds stay). Sign in with the new password afterwards.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        input: ResetPasswordInput,
    ) -> ApiResult<ResetPasswordPayload> {
        let new = new_password(input.new_password)?;
        let user = ctx.store()?.reset_password(input.token.trim(), new).await?;
        Ok(ResetPasswordPayload { email: user.email })
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

/// A new password, refused by the name of the field it came in.
fn new_password(raw: String) -> Result<Password, ValidationError> {
    Password::parse(raw).map_err(|mut error| {
        error.field = "newPassword".into();
        error
    })
}

fn user_payload(ctx: &Context<'_>, user: cmnp_domain::user::User) -> ApiResult<UserPayload> {
    Ok(UserPayload {
        user: User::reveal(ctx, user)?,
    })
}
