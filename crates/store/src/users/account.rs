//! Closing and reopening accounts, changing their fields and passwords. The domain
//! decides what may change; every change here locks the user, writes what the domain
//! returns, revokes the tokens the change ends, audits and commits in one transaction.

use std::time::Instant;

use chrono::{DateTime, Utc};
use cmnp_domain::ValidationError;
use cmnp_domain::audit::changes;
use cmnp_domain::policy::Actor;
use cmnp_domain::user::{Password, TokenKind, User, UserChanges};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::to_domain;
use crate::audit::{self, Entry};
use crate::entity::{api_token, user};
use crate::representatives::require_agency;
use crate::{Store, StoreError, password};

/// Which of a user's tokens a change revokes.
#[derive(Debug, Clone, Copy)]
pub(super) enum SignOut {
    Nowhere,
    /// Every token: sessions, API tokens and calendar feeds.
    Everywhere,
    /// Every session but the one the change is made in (if any); API tokens and feeds
    /// stay.
    SessionsBut(Option<Uuid>),
    /// Every session and every password reset link (a password set from one).
    SessionsAndResetLinks,
    /// Every password reset link (a newer one is sent).
    ResetLinks,
}

/// One change to an account: who makes it, what the audit calls it, a new password hash,
/// and the tokens it ends.
pub(super) struct Change<'a> {
    pub actor: Option<&'a Actor>,
    pub action: &'static str,
    pub password_hash: Option<String>,
    pub sign_out: SignOut,
}

impl Store {
    /// Changes a user's name, role, agency or language. Secretariat (or command line).
    pub async fn update_user(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
        changes: UserChanges,
    ) -> Result<User, StoreError> {
        let change = Change {
            actor,
            action: "user.update",
            password_hash: None,
            sign_out: SignOut::Nowhere,
        };
        let agency_id = changes.agency_id.flatten();
        let by = actor.map(|a| a.user_id);
        self.change_user(id, change, async |txn, before| {
            if let Some(agency_id) = agency_id {
                require_agency(txn, agency_id).await?;
            }
            Ok(before.apply_changes(changes, by)?)
        })
        .await
    }

    /// Closes an account: its password no longer signs in, and every token it holds
    /// (sessions, page cookies, API tokens, calendar feeds) is revoked at once.
    pub async fn deactivate_user(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
    ) -> Result<User, StoreError> {
        let change = Change {
            actor,
            action: "user.deactivate",
            password_hash: None,
            sign_out: SignOut::Everywhere,
        };
        let by = actor.map(|a| a.user_id);
        self.change_user(id, change, async |_, before| Ok(before.deactivate(by)?))
            .await
    }

    /// Reopens an account: its password signs in again. The tokens revoked when it was
    /// closed stay revoked.
    pub async fn reactivate_user(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
    ) -> Result<User, StoreError> {
        let change = Change {
            actor,
            action: "user.reactivate",
            password_hash: None,
            sign_out: SignOut::Nowhere,
        };
        self.change_user(id, change, async |_, before| Ok(before.reactivate()))
            .await
    }

    /// The signed-in user changes their own password, proving it with the current one.
    /// Wrong guesses count towards the same throttle as failed sign-ins. With
    /// `sign_out_elsewhere`, every other session of the user ends (`session` is the one
    /// the change is made in); API tokens and calendar feeds stay.
    pub async fn change_password(
        &self,
        actor: &Actor,
        session: Option<Uuid>,
        current: String,
        new: Password,
        sign_out_elsewhere: bool,
    ) -> Result<User, StoreError> {
        let row = user::Entity::find_by_id(actor.user_id)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        let wait = self.throttle.wait(&row.email, Instant::now());
        if !wait.is_zero() {
            return Err(StoreError::TooManyAttempts {
                retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
            });
        }
        if !password::verify(current, row.password_hash).await? {
            self.throttle.failed(&row.email, Instant::now());
            return Err(
                ValidationError::new("currentPassword", "is not your current password").into(),
            );
        }
        self.throttle.succeeded(&row.email);
        let change = Change {
            actor: Some(actor),
            action: "user.password.change",
            password_hash: Some(password::hash(new).await?),
            sign_out: if sign_out_elsewhere {
                SignOut::SessionsBut(session)
            } else {
                SignOut::Nowhere
            },
        };
        self.change_user(actor.user_id, change, async |_, _| Ok(None))
            .await
    }

    /// Sets a user's password without the current one (the command line, for the first
    /// administrator or a user locked out): every session of the user ends.
    pub async fn set_password(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
        new: Password,
    ) -> Result<User, StoreError> {
        let change = Change {
            actor,
            action: "user.password.set",
            password_hash: Some(password::hash(new).await?),
            sign_out: SignOut::SessionsBut(None),
        };
        self.change_user(id, change, async |_, _| Ok(None)).await
    }

    /// Locks the user, lets `decide` ask the domain for the account after the change
    /// (`None`: the fields stay), writes it with any new password, revokes the tokens
    /// the change ends, audits and commits; returns the account as stored.
    pub(super) async fn change_user(
        &self,
        id: Uuid,
        change: Change<'_>,
        decide: impl AsyncFnOnce(
            &sea_orm::DatabaseTransaction,
            &User,
        ) -> Result<Option<User>, StoreError>,
    ) -> Result<User, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let row = user::Entity::find_by_id(id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        let before = to_domain(row)?;
        let decided = decide(&txn, &before).await?;
        if decided.is_none() && change.password_hash.is_none() {
            return Ok(before);
        }
        let after = decided.unwrap_or_else(|| before.clone());
        let mut columns = user::ActiveModel {
            id: Set(id),
            name: Set(after.name.clone()),
            role: Set(after.role.as_str().to_owned()),
            agency_id: Set(after.agency_id),
            locale: Set(after.locale.as_str().to_owned()),
            active: Set(after.active),
            updated_at: Set(now),
            ..Default::default()
        };
        let password_changed = change.password_hash.is_some();
        if let Some(hash) = change.password_hash {
            columns.password_hash = Set(hash);
        }
        let stored = to_domain(columns.update(&txn).await?)?;
        let revoked = revoke(&txn, id, change.sign_out, now).await?;
        let mut recorded = changes(Some(&before), Some(&stored));
        if let Some(fields) = recorded.as_object_mut() {
            if password_changed {
                fields.insert("password".into(), json!("changed"));
            }
            if revoked > 0 {
                fields.insert("tokensRevoked".into(), json!(revoked));
            }
        }
        audit::record(
            &txn,
            now,
            Entry {
                actor: change.actor,
                action: change.action,
                object_type: "user",
                object_id: id,
                changes: recorded,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(stored)
    }
}

/// Revokes the user's tokens that `sign_out` names and are not revoked yet; returns how
/// many.
pub(super) async fn revoke<C: ConnectionTrait>(
    db: &C,
    user_id: Uuid,
    sign_out: SignOut,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut update = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now))
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null());
    match sign_out {
        SignOut::Nowhere => return Ok(0),
        SignOut::Everywhere => {}
        SignOut::SessionsBut(keep) => {
            let sessions = TokenKind::ALL
                .iter()
                .filter(|kind| kind.is_session())
                .map(|kind| kind.as_str());
            update = update.filter(api_token::Column::Kind.is_in(sessions));
            if let Some(keep) = keep {
                update = update.filter(api_token::Column::Id.ne(keep));
            }
        }
        SignOut::SessionsAndResetLinks | SignOut::ResetLinks => {
            let sessions = matches!(sign_out, SignOut::SessionsAndResetLinks);
            let kinds = TokenKind::ALL
                .iter()
                .filter(|kind| {
                    (sessions && kind.is_session()) || **kind == TokenKind::PasswordReset
                })
                .map(|kind| kind.as_str());
            update = update.filter(api_token::Column::Kind.is_in(kinds));
        }
    }
    Ok(update.exec(db).await?.rows_affected)
}
