//! Agencies: create, change, read, list.

use chrono::Utc;
use cmnp_domain::agency::{Agency, AgencyPatch, Membership, NewAgency};
use cmnp_domain::audit::changes;
use cmnp_domain::policy::Actor;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::agency;
use crate::error::column;
use crate::page::{self, Page, PageRequest};
use crate::{Store, StoreError, row};

#[derive(Debug, Clone, Default)]
pub struct AgencyFilter {
    pub membership: Option<Membership>,
    pub active: Option<bool>,
    /// Matches the acronym or either name, case-insensitively.
    pub search: Option<String>,
}

impl Store {
    pub async fn create_agency(
        &self,
        actor: Option<&Actor>,
        new: NewAgency,
    ) -> Result<Agency, StoreError> {
        let now = Utc::now();
        let acronym = new.acronym.as_str().to_owned();
        let txn = self.write().await?;
        let row = agency::ActiveModel {
            id: Set(Uuid::now_v7()),
            acronym: Set(acronym.clone()),
            name: Set(new.name),
            name_en: Set(new.name_en),
            kind: Set(new.kind.as_str().to_owned()),
            membership: Set(new.membership.as_str().to_owned()),
            votes: Set(new.votes),
            iati_ref: Set(new.iati_ref.map(|r| r.as_str().to_owned())),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(|e| duplicate_acronym(e, &acronym))?;
        let created = to_domain(row)?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "agency.create",
                object_type: "agency",
                object_id: created.id,
                changes: changes(None, Some(&created)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(created)
    }

    pub async fn update_agency(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
        patch: AgencyPatch,
    ) -> Result<Agency, StoreError> {
        let txn = self.write().await?;
        let row = agency::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("agency"))?;
        let before = to_domain(row)?;
        let mut after = patch.apply(&before)?;
        let now = Utc::now();
        after.updated_at = now;
        let row = agency::ActiveModel {
            id: Set(id),
            acronym: Set(after.acronym.clone()),
            name: Set(after.name.clone()),
            name_en: Set(after.name_en.clone()),
            kind: Set(after.kind.as_str().to_owned()),
            membership: Set(after.membership.as_str().to_owned()),
            votes: Set(after.votes),
            iati_ref: Set(after.iati_ref.clone()),
            active: Set(after.active),
            created_at: Set(before.created_at),
            updated_at: Set(now),
        }
        .update(&txn)
        .await
        .map_err(|e| duplicate_acronym(e, &after.acronym))?;
        let updated = to_domain(row)?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "agency.update",
                object_type: "agency",
                object_id: id,
                changes: changes(Some(&before), Some(&updated)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(updated)
    }

    pub async fn agency(&self, id: Uuid) -> Result<Option<Agency>, StoreError> {
        agency::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(to_domain)
            .transpose()
    }

    pub async fn agency_by_acronym(&self, acronym: &str) -> Result<Option<Agency>, StoreError> {
        agency::Entity::find()
            .filter(agency::Column::Acronym.eq(acronym.trim().to_uppercase()))
            .one(&self.db)
            .await?
            .map(to_domain)
            .transpose()
    }

    /// The agencies with these ids, in no particular order; unknown ids are left out.
    pub async fn agencies_by_ids(&self, ids: &[Uuid]) -> Result<Vec<Agency>, StoreError> {
        let select = agency::Entity::find().filter(agency::Column::Id.is_in(ids.iter().copied()));
        row::all(&self.db, select)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }

    /// Agencies in acronym order.
    pub async fn agencies(
        &self,
        filter: AgencyFilter,
        request: PageRequest<String>,
    ) -> Result<Page<Agency>, StoreError> {
        let mut select = agency::Entity::find();
        if let Some(membership) = filter.membership {
            select = select.filter(agency::Column::Membership.eq(membership.as_str()));
        }
        if let Some(active) = filter.active {
            select = select.filter(agency::Column::Active.eq(active));
        }
        if let Some(search) = filter.search.filter(|s| !s.trim().is_empty()) {
            let pattern = page::contains_pattern(&search);
            let matches = |col: agency::Column| {
                Expr::expr(Func::lower(Expr::col(col)))
                    .like(LikeExpr::new(pattern.clone()).escape('\\'))
            };
            select = select.filter(
                Condition::any()
                    .add(matches(agency::Column::Acronym))
                    .add(matches(agency::Column::Name))
                    .add(matches(agency::Column::NameEn)),
            );
        }
        page::fetch::<_, _, _, agency::Model>(
            &self.db,
            select,
            agency::Column::Acronym,
            request,
            |page| page,
        )
        .await?
        .try_map(to_domain)
    }
}

fn duplicate_acronym(error: sea_orm::DbErr, acronym: &str) -> StoreError {
    StoreError::unique(
        error,
        "acronym",
        format!("an agency with acronym {acronym} already exists"),
    )
}

pub(crate) fn to_domain(row: agency::Model) -> Result<Agency, StoreError> {
    Ok(Agency {
        id: row.id,
        kind: column(&row.kind, "agencies.kind")?,
        membership: column(&row.membership, "agencies.membership")?,
        acronym: row.acronym,
        name: row.name,
        name_en: row.name_en,
        votes: row.votes,
        iati_ref: row.iati_ref,
        active: row.active,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
