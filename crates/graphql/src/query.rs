//! Root queries: people and agencies here, the work loop in [`work`].

mod outbox;
mod projects;
mod webhooks;
mod work;
mod working_days;

use async_graphql::{Context, Enum, ID, InputObject, MergedObject, Object};
use cmnp_domain::policy::Permission;
use cmnp_store::{
    AgencyFilter as StoreAgencyFilter, AuditFilter, Direction, UserFilter as StoreUserFilter,
};

use crate::connection::{Conn, complexity, connection, page_request};
use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::types::enums::{Membership, Role};
use crate::types::{Agency, AuditEvent, Node, User, nodes, parse_id};

pub(crate) use work::{ActionItemFilter, ListOf, action_items_page};
pub(crate) use working_days::NonWorkingDay;

#[derive(MergedObject, Default)]
pub struct Query(
    NodeQuery,
    PeopleQuery,
    work::WorkQuery,
    projects::ProjectQuery,
    outbox::OutboxQuery,
    webhooks::WebhookQuery,
    working_days::WorkingDaysQuery,
);

#[derive(Default)]
pub struct NodeQuery;

#[derive(Default)]
pub struct PeopleQuery;

/// How many ids `nodes` reads at once.
const MAX_NODES: usize = 100;

/// Narrows the agency list; all fields are optional and combine with AND.
#[derive(InputObject, Default)]
pub struct AgencyFilter {
    pub membership: Option<Membership>,
    pub active: Option<bool>,
    /// Part of the acronym, Spanish or English name, ignoring case.
    pub search: Option<String>,
}

#[derive(InputObject, Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub agency_id: Option<ID>,
}

/// Which end of the audit log comes first.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum AuditOrder {
    /// The latest change first, as audit consoles list them.
    NewestFirst,
    OldestFirst,
}

#[derive(InputObject, Default)]
pub struct AuditEventFilter {
    /// "agency", "representative", "user", "api_token", …
    pub object_type: Option<String>,
    pub object_id: Option<ID>,
    /// Only changes made by this user.
    pub actor_id: Option<ID>,
}

/// Relay global object identification.
#[Object]
impl NodeQuery {
    /// The object with this id, of any type that has one: null when no object has it or
    /// the signed-in user may not see it (as its type's own field would answer).
    async fn node(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Node>> {
        Ok(nodes(ctx, "id", std::slice::from_ref(&id))
            .await?
            .into_iter()
            .next()
            .flatten())
    }

    /// The objects with these ids, in their order, each as `node` answers it; at most
    /// 100.
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> ApiResult<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(ApiError::bad_input(
                "ids",
                format!("at most {MAX_NODES} ids at once"),
            ));
        }
        nodes(ctx, "ids", &ids).await
    }
}

#[Object]
impl PeopleQuery {
    /// The signed-in user; null when anonymous.
    async fn me(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        ctx.authenticated()
            .map(|auth| User::reveal(ctx, auth.user))
            .transpose()
    }

    /// Agencies in acronym order.
    #[graphql(complexity = "complexity(first, child_complexity)")]
    async fn agencies(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<AgencyFilter>,
    ) -> ApiResult<Conn<Agency>> {
        ctx.actor()?;
        let request = page_request(ctx, first, after.as_deref())?;
        let filter = filter.unwrap_or_default();
        let page = ctx
            .store()?
            .agencies(
                StoreAgencyFilter {
                    membership: filter.membership.map(Into::into),
                    active: filter.active,
                    search: filter.search,
                },
                request,
            )
            .await?;
        connection(page, Agency::acronym_key, |agency| {
            Agency::reveal(ctx, agency)
        })
    }

    /// One agency, by id or by acronym (exactly one of them).
    async fn agency(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        acronym: Option<String>,
    ) -> ApiResult<Option<Agency>> {
        ctx.actor()?;
        let store = ctx.store()?;
        let found = match (id, acronym) {
            (Some(id), None) => store.agency(parse_id("id", &id)?).await?,
            (None, Some(acronym)) => store.agency_by_acronym(&acronym).await?,
            _ => return Err(ApiError::bad_input("id", "give either id or acronym")),
        };
        found.map(|agency| Agency::reveal(ctx, agency)).transpose()
    }

    /// Users in e-mail order. Secretariat only.
    #[graphql(complexity = "complexity(first, child_complexity)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<UserFilter>,
    ) -> ApiResult<Conn<User>> {
        ctx.require(Permission::ManageUsers)?;
        let request = page_request(ctx, first, after.as_deref())?;
        let filter = filter.unwrap_or_default();
        let page = ctx
            .store()?
            .users(
                StoreUserFilter {
                    role: filter.role.map(Into::into),
                    agency_id: filter
                        .agency_id
                        .as_ref()
                        .map(|id| parse_id("filter.agencyId", id))
                        .transpose()?,
                },
                request,
            )
            .await?;
        connection(page, User::email_key, |user| User::reveal(ctx, user))
    }

    /// The audit log, newest first unless `order` says otherwise; a cursor continues the
    /// order it came from. Secretariat only.
    #[graphql(complexity = "complexity(first, child_complexity)")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<AuditEventFilter>,
        #[graphql(default_with = "AuditOrder::NewestFirst")] order: AuditOrder,
    ) -> ApiResult<Conn<AuditEvent>> {
        ctx.require(Permission::ReadAuditLog)?;
        let request = page_request(ctx, first, after.as_deref())?;
        let filter = filter.unwrap_or_default();
        let page = ctx
            .store()?
            .audit_events(
                AuditFilter {
                    object_type: filter.object_type,
                    object_id: filter
                        .object_id
                        .as_ref()
                        .map(|id| parse_id("filter.objectId", id))
                        .transpose()?,
                    actor_user_id: filter
                        .actor_id
                        .as_ref()
                        .map(|id| parse_id("filter.actorId", id))
                        .transpose()?,
                },
                match order {
                    AuditOrder::NewestFirst => Direction::Descending,
                    AuditOrder::OldestFirst => Direction::Ascending,
                },
                request,
            )
            .await?;
        connection(
            page,
            |event| event.id,
            |event| AuditEvent::reveal(ctx, event),
        )
    }
}
