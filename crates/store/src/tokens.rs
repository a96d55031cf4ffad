//! Bearer tokens: sessions from signing in, and API tokens for client systems. Only a
//! SHA-256 hash of each secret is stored; the secret is shown once, when issued.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use cmnp_domain::audit::changes;
use cmnp_domain::policy::Actor;
use cmnp_domain::user::{ApiToken, Surface, TokenKind, User};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, Iterable, JoinType, QueryFilter,
    QueryOrder, QuerySelect, RelationTrait, Set,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{api_token, user};
use crate::error::column;
use crate::{Store, StoreError, password, row, users};

/// Tokens are recognisable in logs and secret scanners by this prefix.
const PREFIX: &str = "cmnp_";

/// A freshly issued token: the secret (shown once) and its record.
#[derive(Debug)]
pub struct IssuedToken {
    pub secret: String,
    pub token: ApiToken,
}

/// Who a bearer token authenticates.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub token: ApiToken,
    pub user: User,
}

impl Store {
    /// Signs a user in with e-mail and password and issues a session token for `surface`
    /// (a bearer session for the API, a cookie for the pages) that expires after
    /// `lifetime`.
    pub async fn login(
        &self,
        email: &str,
        password: String,
        lifetime: Duration,
        surface: Surface,
    ) -> Result<(IssuedToken, User), StoreError> {
        let kind = surface
            .session_kind()
            .ok_or_else(|| StoreError::Internal(format!("{surface:?} has no sign-in")))?;
        let address = email.trim().to_lowercase();
        let wait = self.throttle.wait(&address, Instant::now());
        if !wait.is_zero() {
            tracing::warn!(email = %address, "sign-in refused: too many recent failures");
            return Err(StoreError::TooManyAttempts {
                // Whole seconds, rounded up, so that a client waiting that long is heard.
                retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
            });
        }
        let found = user::Entity::find()
            .filter(user::Column::Email.eq(address.as_str()))
            .one(&self.db)
            .await?;
        // An unknown address is checked against a dummy hash: it costs as much as a
        // wrong password, so timing does not tell which addresses exist.
        let stored = match &found {
            Some(row) => row.password_hash.clone(),
            None => password::dummy_hash().await?,
        };
        let matches = password::verify(password, stored).await?;
        let known = found.filter(|row| matches && row.active);
        let Some(row) = known else {
            let failures = self.throttle.failed(&address, Instant::now());
            tracing::warn!(email = %address, failures, "failed sign-in");
            return Err(StoreError::BadCredentials);
        };
        self.throttle.succeeded(&address);
        let user = users::to_domain(row)?;
        let actor = actor_of(&user);
        let now = Utc::now();
        let txn = self.write().await?;
        let issued = issue(&txn, &user, kind, "session", Some(now + lifetime), now).await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor: Some(&actor),
                action: "session.login",
                object_type: "api_token",
                object_id: issued.token.id,
                changes: changes(None, Some(&issued.token)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok((issued, user))
    }

    /// Issues an API token for `user_id`.
    pub async fn create_api_token(
        &self,
        actor: Option<&Actor>,
        user_id: Uuid,
        name: String,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<IssuedToken, StoreError> {
        self.create_token(actor, user_id, TokenKind::Api, name, expires_at)
            .await
    }

    /// Issues a token of `kind` (API or calendar feed) for `user_id`.
    pub async fn create_token(
        &self,
        actor: Option<&Actor>,
        user_id: Uuid,
        kind: TokenKind,
        name: String,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<IssuedToken, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let owner = user::Entity::find_by_id(user_id)
            .one(&txn)
            .await?
            .ok_or_else(|| {
                cmnp_domain::ValidationError::new("userId", format!("no user has id {user_id}"))
            })?;
        let owner = users::to_domain(owner)?;
        let issued = issue(&txn, &owner, kind, &name, expires_at, now).await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "api_token.create",
                object_type: "api_token",
                object_id: issued.token.id,
                changes: changes(None, Some(&issued.token)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(issued)
    }

    /// Revokes a token (an API token, or a session at logout). Revoking twice keeps the
    /// first revocation time.
    pub async fn revoke_token(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
    ) -> Result<ApiToken, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let row = api_token::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("token"))?;
        let before = to_domain(row.clone())?;
        if before.revoked_at.is_some() {
            return Ok(before);
        }
        let mut active: api_token::ActiveModel = row.into();
        active.revoked_at = Set(Some(now));
        let revoked = to_domain(active.update(&txn).await?)?;
        let action = if revoked.kind.is_session() {
            "session.logout"
        } else {
            "api_token.revoke"
        };
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action,
                object_type: "api_token",
                object_id: id,
                changes: changes(Some(&before), Some(&revoked)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(revoked)
    }

    pub async fn token(&self, id: Uuid) -> Result<Option<ApiToken>, StoreError> {
        api_token::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(to_domain)
            .transpose()
    }

    /// The API and calendar tokens (not sessions, nor reset links) of these users, oldest
    /// first.
    pub async fn api_tokens_of(&self, user_ids: &[Uuid]) -> Result<Vec<ApiToken>, StoreError> {
        api_token::Entity::find()
            .filter(api_token::Column::UserId.is_in(user_ids.iter().copied()))
            .filter(
                api_token::Column::Kind
                    .is_in([TokenKind::Api.as_str(), TokenKind::Calendar.as_str()]),
            )
            .order_by_asc(api_token::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// Resolves a secret presented on `surface` to its token and active user, or `None`
    /// when the secret is unknown, revoked or expired, its user is inactive, or its kind
    /// of token does not open that surface. Every way in signs in through here.
    pub async fn authenticate_for(
        &self,
        secret: &str,
        surface: Surface,
    ) -> Result<Option<Authenticated>, StoreError> {
        if !secret.starts_with(PREFIX) || secret.len() > 100 {
            return Ok(None);
        }
        let Some((token, user)) = with_owner(&self.db, secret).await? else {
            return Ok(None);
        };
        let now = Utc::now();
        if !surface.accepts(token.kind) || !token.is_usable(now) {
            return Ok(None);
        }
        if !user.active {
            return Ok(None);
        }
        // Recording every use would turn each read into a write; a coarse mark is enough
        // to tell which tokens are still in use.
        if token
            .last_used_at
            .is_none_or(|last| now - last > Duration::minutes(5))
        {
            api_token::Entity::update_many()
                .col_expr(
                    api_token::Column::LastUsedAt,
                    sea_orm::sea_query::Expr::value(now),
                )
                .filter(api_token::Column::Id.eq(token.id))
                .exec(&self.db)
                .await?;
        }
        Ok(Some(Authenticated { token, user }))
    }
}

/// The token a secret names and its user, in one statement read by position (this runs
/// before every request).
pub(crate) async fn with_owner<C: ConnectionTrait>(
    db: &C,
    secret: &str,
) -> Result<Option<(ApiToken, User)>, StoreError> {
    let select = api_token::Entity::find()
        .join(JoinType::InnerJoin, api_token::Relation::User.def())
        .columns(user::Column::iter())
        .filter(api_token::Column::TokenHash.eq(digest(secret)));
    let found = row::all_as::<(api_token::Model, user::Model), _, _>(db, select).await?;
    found
        .into_iter()
        .next()
        .map(|(token, owner)| Ok((to_domain(token)?, users::to_domain(owner)?)))
        .transpose()
}

/// The actor a user acts as.
pub fn actor_of(user: &User) -> Actor {
    Actor {
        user_id: user.id,
        role: user.role,
        agency_id: user.agency_id,
    }
}

pub(crate) async fn issue<C: ConnectionTrait>(
    db: &C,
    owner: &User,
    kind: TokenKind,
    name: &str,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<IssuedToken, StoreError> {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let secret = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let row = api_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(owner.id),
        kind: Set(kind.as_str().to_owned()),
        name: Set(name.to_owned()),
        token_hash: Set(digest(&secret)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        last_used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(IssuedToken {
        secret,
        token: to_domain(row)?,
    })
}

/// Tokens are 256 random bits, so a fast unsalted hash is enough: there is nothing to
/// guess, and the lookup by hash never compares secrets byte by byte.
fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

pub(crate) fn to_domain(row: api_token::Model) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: row.id,
        user_id: row.user_id,
        kind: column(&row.kind, "api_tokens.kind")?,
        name: row.name,
        created_at: row.created_at,
        expires_at: row.expires_at,
        revoked_at: row.revoked_at,
        last_used_at: row.last_used_at,
    })
}
