//! Root queries of the work loop: meetings, agreements, action items.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::policy::Permission;
use cmnp_store::{ActionItemFilter as StoreItemFilter, MeetingFilter as StoreMeetingFilter};

use crate::connection::{Conn, complexity, connection, page_request};
use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::loaders::ActionItemPage;
use crate::scalars::Date;
use crate::types::enums::{ActionItemStatus, MeetingStatus};
use crate::types::{ActionItem, Agreement, Meeting, parse_id};

#[derive(Default)]
pub struct WorkQuery;

#[derive(InputObject, Default)]
pub struct MeetingFilter {
    pub status: Option<MeetingStatus>,
    /// Sessions starting at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Sessions starting before this instant.
    pub to: Option<DateTime<Utc>>,
}

/// Narrows the action-item list; all fields are optional and combine with AND.
#[derive(InputObject, Default)]
pub struct ActionItemFilter {
    /// Any of these statuses.
    pub status: Option<Vec<ActionItemStatus>>,
    pub responsible_agency_id: Option<ID>,
    /// Overdue in the commission's time zone (or, with false, not overdue).
    pub overdue: Option<bool>,
    /// Due strictly before this date.
    pub due_before: Option<Date>,
    /// Created by agreements of this session.
    pub meeting_id: Option<ID>,
    pub agreement_id: Option<ID>,
    pub project_id: Option<ID>,
}

impl ActionItemFilter {
    /// The store's filter. Filtering by session asks to see that session: an agency not
    /// invited to it gets `FORBIDDEN` rather than a count of what it adopted.
    pub(crate) async fn into_store(self, ctx: &Context<'_>) -> ApiResult<StoreItemFilter> {
        let id = |value: &Option<ID>, field: &str| {
            value.as_ref().map(|v| parse_id(field, v)).transpose()
        };
        let meeting_id = id(&self.meeting_id, "filter.meetingId")?;
        if let Some(meeting_id) = meeting_id {
            let meeting = ctx.store()?.meeting(meeting_id).await?.ok_or_else(|| {
                ApiError::bad_input(
                    "filter.meetingId",
                    format!("no session has id {meeting_id}"),
                )
            })?;
            ctx.reveal(meeting)?;
        }
        Ok(StoreItemFilter {
            statuses: self
                .status
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            pending: false,
            responsible_agency_id: id(&self.responsible_agency_id, "filter.responsibleAgencyId")?,
            overdue: match self.overdue {
                Some(overdue) => Some((overdue, ctx.settings()?.today())),
                None => None,
            },
            due_before: self.due_before.map(|d| d.0),
            meeting_id,
            agreement_id: id(&self.agreement_id, "filter.agreementId")?,
            project_id: id(&self.project_id, "filter.projectId")?,
        })
    }
}

/// Where a list of action items sits in the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListOf {
    /// The root list: read at once.
    Root,
    /// The list under one agency of a parent list (its items as responsible agency):
    /// read through the loader, together with its siblings' lists ([`ActionItemPage`]).
    OfAgency(uuid::Uuid),
}

/// One page of action items matching `filter`, for the root list and agency lists alike.
pub(crate) async fn action_items_page(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
    filter: StoreItemFilter,
    list: ListOf,
) -> ApiResult<Conn<ActionItem>> {
    ctx.require(Permission::ReadCommissionWork)?;
    let request = page_request(ctx, first, after.as_deref())?;
    let page = match list {
        ListOf::Root => ctx.store()?.action_items(filter, request).await?,
        ListOf::OfAgency(agency) => ctx
            .loader()?
            .load_one(ActionItemPage {
                agency,
                filter,
                request,
            })
            .await?
            .ok_or_else(|| ApiError::internal(&"the loader returned no page"))?,
    };
    connection(page, ActionItem::due_key, |item| {
        ActionItem::reveal(ctx, item)
    })
}

#[Object]
impl WorkQuery {
    /// Sessions in order of their start. Agencies see the sessions they are invited to.
    #[graphql(complexity = "complexity(first, child_complexity)")]
    async fn meetings(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<MeetingFilter>,
    ) -> ApiResult<Conn<Meeting>> {
        let actor = ctx.require(Permission::ReadCommissionWork)?;
        let request = page_request(ctx, first, after.as_deref())?;
        let filter = filter.unwrap_or_default();
        let page = ctx
            .store()?
            .meetings(
                StoreMeetingFilter {
                    status: filter.status.map(Into::into),
                    from: filter.from,
                    to: filter.to,
                    invited_agency_id: actor.sessions_bound(),
                },
                request,
            )
            .await?;
        connection(page, Meeting::start_key, |meeting| {
            Meeting::reveal(ctx, meeting)
        })
    }

    async fn meeting(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Meeting>> {
        ctx.actor()?;
        let found = ctx.store()?.meeting(parse_id("id", &id)?).await?;
        found
            .map(|meeting| Meeting::reveal(ctx, meeting))
            .transpose()
    }

    async fn agreement(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Agreement>> {
        ctx.actor()?;
        let found = ctx.store()?.agreement(parse_id("id", &id)?).await?;
        found
            .map(|agreement| Agreement::reveal(ctx, agreement))
            .transpose()
    }

    /// Action items in order of due date.
    #[graphql(complexity = "complexity(first, child_complexity)")]
    async fn action_items(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<ActionItemFilter>,
    ) -> ApiResult<Conn<ActionItem>> {
        let filter = filter.unwrap_or_default().into_store(ctx).await?;
        action_items_page(ctx, first, after, filter, ListOf::Root).await
    }

    async fn action_item(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<ActionItem>> {
        ctx.actor()?;
        let found = ctx.store()?.action_item(parse_id("id", &id)?).await?;
        found.map(|item| ActionItem::reveal(ctx, item)).transpose()
    }
}
