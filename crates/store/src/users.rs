//! Users: create, read, list; `account` changes them, `reset` sends and follows
//! password reset links.

mod account;
mod reset;

pub use reset::IssuedReset;

use chrono::Utc;
use cmnp_domain::audit::changes;
use cmnp_domain::policy::Actor;
use cmnp_domain::user::{NewUser, Role, User};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::user;
use crate::error::column;
use crate::page::{self, Page, PageRequest};
use crate::representatives::require_agency;
use crate::{Store, StoreError, password};

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub agency_id: Option<Uuid>,
}

impl Store {
    pub async fn create_user(
        &self,
        actor: Option<&Actor>,
        new: NewUser,
    ) -> Result<User, StoreError> {
        let password_hash = password::hash(new.password).await?;
        let now = Utc::now();
        let email = new.email.to_string();
        let txn = self.write().await?;
        if let Some(agency_id) = new.agency_id {
            require_agency(&txn, agency_id).await?;
        }
        let row = user::ActiveModel {
            id: Set(Uuid::now_v7()),
            email: Set(email.clone()),
            name: Set(new.name),
            role: Set(new.role.as_str().to_owned()),
            agency_id: Set(new.agency_id),
            password_hash: Set(password_hash),
            locale: Set(new.locale.as_str().to_owned()),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(|e| {
            StoreError::unique(
                e,
                "email",
                format!("a user with e-mail {email} already exists"),
            )
        })?;
        let created = to_domain(row)?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "user.create",
                object_type: "user",
                object_id: created.id,
                changes: changes(None, Some(&created)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(created)
    }

    pub async fn user(&self, id: Uuid) -> Result<Option<User>, StoreError> {
        user::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(to_domain)
            .transpose()
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        user::Entity::find()
            .filter(user::Column::Email.eq(email.trim().to_lowercase()))
            .one(&self.db)
            .await?
            .map(to_domain)
            .transpose()
    }

    /// The users with these ids, in no particular order; unknown ids are left out.
    pub async fn users_by_ids(&self, ids: &[Uuid]) -> Result<Vec<User>, StoreError> {
        user::Entity::find()
            .filter(user::Column::Id.is_in(ids.iter().copied()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// Users in e-mail order.
    pub async fn users(
        &self,
        filter: UserFilter,
        request: PageRequest<String>,
    ) -> Result<Page<User>, StoreError> {
        let mut select = user::Entity::find();
        if let Some(role) = filter.role {
            select = select.filter(user::Column::Role.eq(role.as_str()));
        }
        if let Some(agency_id) = filter.agency_id {
            select = select.filter(user::Column::AgencyId.eq(agency_id));
        }
        page::fetch::<_, _, _, user::Model>(
            &self.db,
            select,
            user::Column::Email,
            request,
            |page| page,
        )
        .await?
        .try_map(to_domain)
    }
}

pub(crate) fn to_domain(row: user::Model) -> Result<User, StoreError> {
    Ok(User {
        id: row.id,
        role: column(&row.role, "users.role")?,
        locale: column(&row.locale, "users.locale")?,
        email: row.email,
        name: row.name,
        agency_id: row.agency_id,
        active: row.active,
        created_at: row.created_at,
    })
}
