use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::agency;

use crate::connection::Conn;
use cmnp_domain::policy::Permission;

use crate::boxed::{Boxed, boxed};
use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::loaders::{AgencyById, RepresentativesOf};
use crate::plain::plain_object;
use crate::query::{ActionItemFilter, ListOf, action_items_page};
use crate::types::enums::{AgencyKind, Membership};
use crate::types::{ActionItem, Representative, id};

/// A member agency of the commission, or a partner such as a donor.
pub struct Agency(Fields);

/// What the schema shows of an agency, which [`Agency`] serves.
pub struct Fields(Arc<agency::Agency>);

plain_object!(Agency(Fields));

impl Agency {
    /// The id, as the `Node` interface asks for it.
    pub(crate) async fn id(&self, ctx: &Context<'_>) -> async_graphql::Result<ID> {
        self.0.id(ctx).await
    }

    pub(crate) fn reveal(
        ctx: &Context<'_>,
        value: impl Into<Arc<agency::Agency>>,
    ) -> ApiResult<Self> {
        ctx.reveal(value.into()).map(|value| Self(Fields(value)))
    }

    /// The agency with this id through the request's loader and its read rule; `None`
    /// when no agency has it.
    pub(crate) async fn by_id(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Option<Self>> {
        ctx.loader()?
            .load_one(AgencyById(id))
            .await?
            .map(|agency| Self::reveal(ctx, agency))
            .transpose()
    }

    /// The agencies with these ids, in acronym order, each through its read rule.
    pub(crate) async fn list(ctx: &Context<'_>, ids: &[uuid::Uuid]) -> ApiResult<Vec<Self>> {
        let mut agencies: Vec<_> = ctx
            .loader()?
            .load_many(ids.iter().copied().map(AgencyById))
            .await?
            .into_values()
            .collect();
        agencies.sort_by(|a, b| a.acronym.cmp(&b.acronym));
        agencies
            .into_iter()
            .map(|agency| Self::reveal(ctx, agency))
            .collect()
    }

    /// The agency's id, for resolvers that match other values to it.
    pub(crate) fn id_value(&self) -> uuid::Uuid {
        (self.0).0.id
    }

    pub(crate) fn acronym_key(value: &agency::Agency) -> String {
        value.acronym.clone()
    }
}

#[Object(name = "Agency")]
impl Fields {
    async fn id(&self) -> ID {
        id(self.0.id)
    }

    /// Unique short name, upper-case ("MININTER").
    async fn acronym(&self) -> &str {
        &self.0.acronym
    }

    /// Name in Spanish.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Name in English, where it has one.
    async fn name_en(&self) -> Option<&str> {
        self.0.name_en.as_deref()
    }

    async fn kind(&self) -> AgencyKind {
        self.0.kind.into()
    }

    async fn membership(&self) -> Membership {
        self.0.membership.into()
    }

    /// Whether the agency votes in the commission's sessions (counts towards quorum).
    async fn votes(&self) -> bool {
        self.0.votes
    }

    /// IATI organisation identifier, such as XM-DAC-47066.
    async fn iati_ref(&self) -> Option<&str> {
        self.0.iati_ref.as_deref()
    }

    async fn active(&self) -> bool {
        self.0.active
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// The action items this agency is responsible for, by due date.
    #[graphql(complexity = "crate::connection::complexity(first, child_complexity)")]
    async fn action_items(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<ActionItemFilter>,
    ) -> ApiResult<Boxed<Conn<ActionItem>>> {
        boxed(async move {
            let mut filter = filter.unwrap_or_default().into_store(ctx).await?;
            // The agency is the page's parent, not a filter of it.
            filter.responsible_agency_id = None;
            action_items_page(ctx, first, after, filter, ListOf::OfAgency(self.0.id)).await
        })
        .await
    }

    /// The agency's representatives, principals first. Not for donors.
    async fn representatives(&self, ctx: &Context<'_>) -> ApiResult<Boxed<Vec<Representative>>> {
        // Refused as a whole, so that an empty list never reads as "no representatives".
        ctx.require(Permission::ReadRepresentatives)?;
        boxed(async {
            ctx.loader()?
                .load_one(RepresentativesOf(self.0.id))
                .await?
                .unwrap_or_default()
                .into_iter()
                .map(|representative| Representative::reveal(ctx, representative))
                .collect()
        })
        .await
    }
}
