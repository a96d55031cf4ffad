//! An agency's representatives: add, change, remove, read.

use chrono::{DateTime, Utc};
use cmnp_domain::ValidationError;
use cmnp_domain::audit::changes;
use cmnp_domain::policy::Actor;
use cmnp_domain::representative::{Representative, RepresentativeFields, RepresentativePatch};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{agency, representative};
use crate::error::column;
use crate::{Store, StoreError};

impl Store {
    pub async fn add_representative(
        &self,
        actor: Option<&Actor>,
        agency_id: Uuid,
        fields: RepresentativeFields,
    ) -> Result<Representative, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        require_agency(&txn, agency_id).await?;
        let row = active_model(Uuid::now_v7(), agency_id, fields, now, now)
            .insert(&txn)
            .await?;
        let added = to_domain(row)?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "representative.add",
                object_type: "representative",
                object_id: added.id,
                changes: changes(None, Some(&added)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(added)
    }

    pub async fn update_representative(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
        patch: RepresentativePatch,
    ) -> Result<Representative, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let before = representative::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("representative"))
            .and_then(to_domain)?;
        let fields = patch.apply(&before)?;
        let row = active_model(id, before.agency_id, fields, before.created_at, now)
            .update(&txn)
            .await?;
        let updated = to_domain(row)?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "representative.update",
                object_type: "representative",
                object_id: id,
                changes: changes(Some(&before), Some(&updated)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(updated)
    }

    /// Removes a representative; the audit event keeps what was removed.
    pub async fn remove_representative(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
    ) -> Result<Representative, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let row = representative::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("representative"))?;
        let removed = to_domain(row.clone())?;
        row.delete(&txn).await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "representative.remove",
                object_type: "representative",
                object_id: id,
                changes: changes(Some(&removed), None),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(removed)
    }

    pub async fn representative(&self, id: Uuid) -> Result<Option<Representative>, StoreError> {
        representative::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(to_domain)
            .transpose()
    }

    /// The representatives of these agencies, principals first, then by name.
    pub async fn representatives_of(
        &self,
        agency_ids: &[Uuid],
    ) -> Result<Vec<Representative>, StoreError> {
        representative::Entity::find()
            .filter(representative::Column::AgencyId.is_in(agency_ids.iter().copied()))
            .order_by_desc(representative::Column::Kind)
            .order_by_asc(representative::Column::Name)
            .order_by_asc(representative::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect()
    }
}

/// Fails with a validation error on `agencyId` unless the agency exists.
pub(crate) async fn require_agency<C: ConnectionTrait>(
    db: &C,
    agency_id: Uuid,
) -> Result<(), StoreError> {
    if agency::Entity::find_by_id(agency_id)
        .one(db)
        .await?
        .is_none()
    {
        return Err(
            ValidationError::new("agencyId", format!("no agency has id {agency_id}")).into(),
        );
    }
    Ok(())
}

fn active_model(
    id: Uuid,
    agency_id: Uuid,
    fields: RepresentativeFields,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
) -> representative::ActiveModel {
    representative::ActiveModel {
        id: Set(id),
        agency_id: Set(agency_id),
        name: Set(fields.name),
        email: Set(fields.email.to_string()),
        phone: Set(fields.phone),
        position: Set(fields.position),
        kind: Set(fields.kind.as_str().to_owned()),
        mandate_start: Set(fields.mandate_start),
        mandate_end: Set(fields.mandate_end),
        designation_ref: Set(fields.designation_ref),
        language: Set(fields.language.as_str().to_owned()),
        created_at: Set(created_at),
        updated_at: Set(updated_at),
    }
}

pub(crate) fn to_domain(row: representative::Model) -> Result<Representative, StoreError> {
    Ok(Representative {
        id: row.id,
        agency_id: row.agency_id,
        kind: column(&row.kind, "representatives.kind")?,
        language: column(&row.language, "representatives.language")?,
        name: row.name,
        email: row.email,
        phone: row.phone,
        position: row.position,
        mandate_start: row.mandate_start,
        mandate_end: row.mandate_end,
        designation_ref: row.designation_ref,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}
