use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use cmnp_domain::policy::Permission;
use cmnp_domain::representative::{RepresentativeFields, RepresentativeInput, RepresentativePatch};

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::mutation::patch;
use crate::scalars::Date;
use crate::types::enums::{Language, RepresentativeKind};
use crate::types::{Representative, parse_id};

#[derive(Default)]
pub struct RepresentativeMutations;

#[derive(InputObject)]
pub struct AddRepresentativeInput {
    pub agency_id: ID,
    pub name: String,
    pub email: String,
    /// Default: PRINCIPAL.
    pub kind: Option<RepresentativeKind>,
    pub phone: Option<String>,
    pub position: Option<String>,
    pub mandate_start: Option<Date>,
    pub mandate_end: Option<Date>,
    pub designation_ref: Option<String>,
    /// Default: ES.
    pub language: Option<Language>,
}

#[derive(SimpleObject)]
pub struct AddRepresentativePayload {
    pub representative: Representative,
}

/// Changes to a representative: absent fields stay, `null` clears an optional field.
#[derive(InputObject)]
pub struct UpdateRepresentativeInput {
    pub id: ID,
    pub name: Option<String>,
    pub email: Option<String>,
    pub kind: Option<RepresentativeKind>,
    pub phone: MaybeUndefined<String>,
    pub position: MaybeUndefined<String>,
    pub mandate_start: MaybeUndefined<Date>,
    pub mandate_end: MaybeUndefined<Date>,
    pub designation_ref: MaybeUndefined<String>,
    pub language: Option<Language>,
}

#[derive(SimpleObject)]
pub struct UpdateRepresentativePayload {
    pub representative: Representative,
}

#[derive(InputObject)]
pub struct RemoveRepresentativeInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct RemoveRepresentativePayload {
    /// The representative as it was before removal.
    pub representative: Representative,
}

#[Object]
impl RepresentativeMutations {
    /// Adds a representative to an agency. Secretariat only.
    async fn add_representative(
        &self,
        ctx: &Context<'_>,
        input: AddRepresentativeInput,
    ) -> ApiResult<AddRepresentativePayload> {
        let actor = ctx.require(Permission::ManageAgencies)?;
        let agency_id = parse_id("agencyId", &input.agency_id)?;
        let fields = RepresentativeFields::try_from(RepresentativeInput {
            name: input.name,
            email: input.email,
            phone: input.phone,
            position: input.position,
            kind: input.kind.map(Into::into),
            mandate_start: input.mandate_start.map(|d| d.0),
            mandate_end: input.mandate_end.map(|d| d.0),
            designation_ref: input.designation_ref,
            language: input.language.map(Into::into),
        })?;
        let representative = ctx
            .store()?
            .add_representative(Some(&actor), agency_id, fields)
            .await?;
        Ok(AddRepresentativePayload {
            representative: Representative::reveal(ctx, representative)?,
        })
    }

    /// Changes a representative. Secretariat only.
    async fn update_representative(
        &self,
        ctx: &Context<'_>,
        input: UpdateRepresentativeInput,
    ) -> ApiResult<UpdateRepresentativePayload> {
        let actor = ctx.require(Permission::ManageAgencies)?;
        let id = parse_id("id", &input.id)?;
        let changes = RepresentativePatch {
            name: input.name,
            email: input.email,
            kind: input.kind.map(Into::into),
            phone: patch(input.phone, |v| v),
            position: patch(input.position, |v| v),
            mandate_start: patch(input.mandate_start, |d| d.0),
            mandate_end: patch(input.mandate_end, |d| d.0),
            designation_ref: patch(input.designation_ref, |v| v),
            language: input.language.map(Into::into),
        };
        let representative = ctx
            .store()?
            .update_representative(Some(&actor), id, changes)
            .await?;
        Ok(UpdateRepresentativePayload {
            representative: Representative::reveal(ctx, representative)?,
        })
    }

    /// Removes a representative; the audit log keeps a copy. Secretariat only.
    async fn remove_representative(
        &self,
        ctx: &Context<'_>,
        input: RemoveRepresentativeInput,
    ) -> ApiResult<RemoveRepresentativePayload> {
        let actor = ctx.require(Permission::ManageAgencies)?;
        let id = parse_id("id", &input.id)?;
        let representative = ctx.store()?.remove_representative(Some(&actor), id).await?;
        Ok(RemoveRepresentativePayload {
            representative: Representative::reveal(ctx, representative)?,
        })
    }
}
