//! Password reset links: the secretariat (or the command line) sends one to an account's
//! address through the outbox; whoever holds it sets a new password once, before it
//! expires, and every session of the account ends. Only the link's hash is kept with the
//! tokens; the outbox forgets the e-mail's text once it is sent.

use chrono::{DateTime, Duration, Utc};
use cmnp_domain::policy::Actor;
use cmnp_domain::user::{ApiToken, Password, RESET_LINK_HOURS, TokenKind, User, check_reset_link};
use sea_orm::{EntityTrait, QuerySelect};
use serde_json::json;
use uuid::Uuid;

use super::account::{Change, SignOut, revoke};
use super::to_domain;
use crate::audit::{self, Entry};
use crate::entity::{api_token, user};
use crate::tokens::{self, actor_of};
use crate::{Store, StoreError, outbox, password};

/// A reset link just issued: the secret (for the command line to print; the e-mail
/// carries it too), its token and the account it resets.
#[derive(Debug)]
pub struct IssuedReset {
    pub secret: String,
    pub token: ApiToken,
    pub user: User,
    /// Until when it works.
    pub expires_at: DateTime<Utc>,
    /// Whether the link was put in the outbox (a store without a planner sends nothing).
    pub emailed: bool,
}

impl Store {
    /// Issues a one-time link, valid for [`RESET_LINK_HOURS`], with which the account
    /// `user_id` chooses a new password, and plans its e-mail in the same transaction.
    /// Earlier links of the account stop working. Refused for a closed account.
    pub async fn request_password_reset(
        &self,
        actor: Option<&Actor>,
        user_id: Uuid,
    ) -> Result<IssuedReset, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let row = user::Entity::find_by_id(user_id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        let owner = to_domain(row)?;
        owner.check_reset_request()?;
        let replaced = revoke(&txn, user_id, SignOut::ResetLinks, now).await?;
        let expires_at = now + Duration::hours(RESET_LINK_HOURS);
        let issued = tokens::issue(
            &txn,
            &owner,
            TokenKind::PasswordReset,
            "password reset",
            Some(expires_at),
            now,
        )
        .await?;
        let emailed = match &self.planner {
            Some(planner) => {
                let message = planner.password_reset(&owner, issued.token.id, &issued.secret);
                outbox::enqueue(&txn, vec![message], planner.sender_domain(), now).await?;
                true
            }
            None => false,
        };
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "user.password.reset_link",
                object_type: "user",
                object_id: user_id,
                changes: json!({
                    "resetLink": issued.token.id,
                    "expiresAt": expires_at,
                    "emailed": emailed,
                    "replacedLinks": replaced,
                }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(IssuedReset {
            secret: issued.secret,
            token: issued.token,
            user: owner,
            expires_at,
            emailed,
        })
    }

    /// The account a reset link would set a password for, if the link still works: the
    /// check the form makes before it asks for the new password.
    pub async fn reset_link_owner(&self, secret: &str) -> Result<User, StoreError> {
        Ok(self.working_link(secret).await?.1)
    }

    /// Sets the password of the account a reset link was sent to, once: the link, every
    /// other reset link and every session of the account stop working; API tokens and
    /// calendar feeds stay. Returns the account.
    pub async fn reset_password(&self, secret: &str, new: Password) -> Result<User, StoreError> {
        let (token, owner) = self.working_link(secret).await?;
        let actor = actor_of(&owner);
        let change = Change {
            actor: Some(&actor),
            action: "user.password.reset",
            password_hash: Some(password::hash(new).await?),
            sign_out: SignOut::SessionsAndResetLinks,
        };
        // The account is locked before the link is read again: of two uses at once, the
        // second finds the link spent by the first.
        self.change_user(owner.id, change, async |txn, locked| {
            let current = api_token::Entity::find_by_id(token.id)
                .one(txn)
                .await?
                .map(tokens::to_domain)
                .transpose()?;
            check_reset_link(current.as_ref(), locked.active, Utc::now())?;
            Ok(None)
        })
        .await
    }

    /// The reset link a secret names and its account, if the link still works.
    async fn working_link(&self, secret: &str) -> Result<(ApiToken, User), StoreError> {
        let (token, owner) = tokens::with_owner(&self.db, secret).await?.unzip();
        check_reset_link(
            token.as_ref(),
            owner.as_ref().is_some_and(|owner| owner.active),
            Utc::now(),
        )?;
        token
            .zip(owner)
            .ok_or_else(|| StoreError::Internal("a checked reset link without its account".into()))
    }
}
