use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use cmnp_domain::agency::{AgencyInput, AgencyPatch, NewAgency};
use cmnp_domain::policy::Permission;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::mutation::patch;
use crate::types::enums::{AgencyKind, Membership};
use crate::types::{Agency, parse_id};

#[derive(Default)]
pub struct AgencyMutations;

#[derive(InputObject)]
pub struct CreateAgencyInput {
    /// Unique short name; stored upper-case.
    pub acronym: String,
    /// Name in Spanish.
    pub name: String,
    pub name_en: Option<String>,
    /// Default: PUBLIC_AGENCY.
    pub kind: Option<AgencyKind>,
    /// Default: MEMBER.
    pub membership: Option<Membership>,
    /// Default: true for members, false otherwise (only members may vote).
    pub votes: Option<bool>,
    pub iati_ref: Option<String>,
}

#[derive(SimpleObject)]
pub struct CreateAgencyPayload {
    pub agency: Agency,
}

/// Changes to an agency: absent fields stay, `null` clears an optional field.
#[derive(InputObject)]
pub struct UpdateAgencyInput {
    pub id: ID,
    pub acronym: Option<String>,
    pub name: Option<String>,
    pub name_en: MaybeUndefined<String>,
    pub kind: Option<AgencyKind>,
    pub membership: Option<Membership>,
    pub votes: Option<bool>,
    pub iati_ref: MaybeUndefined<String>,
    /// Inactive agencies are kept with their history but no longer invited.
    pub active: Option<bool>,
}

#[derive(SimpleObject)]
pub struct UpdateAgencyPayload {
    pub agency: Agency,
}

#[Object]
impl AgencyMutations {
    /// Adds an agency to the commission (or a partner). Secretariat only.
    async fn create_agency(
        &self,
        ctx: &Context<'_>,
        input: CreateAgencyInput,
    ) -> ApiResult<CreateAgencyPayload> {
        let actor = ctx.require(Permission::ManageAgencies)?;
        let new = NewAgency::try_from(AgencyInput {
            acronym: input.acronym,
            name: input.name,
            name_en: input.name_en,
            kind: input.kind.map(Into::into),
            membership: input.membership.map(Into::into),
            votes: input.votes,
            iati_ref: input.iati_ref,
        })?;
        let agency = ctx.store()?.create_agency(Some(&actor), new).await?;
        Ok(CreateAgencyPayload {
            agency: Agency::reveal(ctx, agency)?,
        })
    }

    /// Changes an agency. Secretariat only.
    async fn update_agency(
        &self,
        ctx: &Context<'_>,
        input: UpdateAgencyInput,
    ) -> ApiResult<UpdateAgencyPayload> {
        let actor = ctx.require(Permission::ManageAgencies)?;
        let id = parse_id("id", &input.id)?;
        let changes = AgencyPatch {
            acronym: input.acronym,
            name: input.name,
            name_en: patch(input.name_en, |v| v),
            kind: input.kind.map(Into::into),
            membership: input.membership.map(Into::into),
            votes: input.votes,
            iati_ref: patch(input.iati_ref, |v| v),
            active: input.active,
        };
        let agency = ctx
            .store()?
            .update_agency(Some(&actor), id, changes)
            .await?;
        Ok(UpdateAgencyPayload {
            agency: Agency::reveal(ctx, agency)?,
        })
    }
}
