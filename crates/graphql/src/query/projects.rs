//! Root queries of funded projects, scoped to who may see them.

use async_graphql::{Context, ID, InputObject, Object};
use cmnp_store::{ProjectFilter as StoreFilter, ProjectScope};

use crate::connection::{Conn, complexity, connection, page_request};
use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::types::enums::ProjectStatus;
use crate::types::{Project, parse_id};

#[derive(Default)]
pub struct ProjectQuery;

#[derive(InputObject, Default)]
pub struct ProjectFilter {
    pub status: Option<ProjectStatus>,
    /// Projects this agency takes part in, in any role.
    pub agency_id: Option<ID>,
}

#[Object]
impl ProjectQuery {
    /// Projects in identifier order: all for the secretariat, those an agency takes part
    /// in, those a donor funds.
    #[graphql(complexity = "complexity(first, child_complexity)")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<ProjectFilter>,
    ) -> ApiResult<Conn<Project>> {
        let actor = ctx.actor()?;
        let request = page_request(ctx, first, after.as_deref())?;
        let filter = filter.unwrap_or_default();
        let page = ctx
            .store()?
            .projects(
                StoreFilter {
                    scope: ProjectScope::of(&actor).ok_or_else(ApiError::forbidden)?,
                    status: filter.status.map(Into::into),
                    agency_id: filter
                        .agency_id
                        .as_ref()
                        .map(|id| parse_id("filter.agencyId", id))
                        .transpose()?,
                },
                request,
            )
            .await?;
        connection(page, Project::identifier_key, |project| {
            Project::reveal(ctx, project)
        })
    }

    async fn project(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Project>> {
        ctx.actor()?;
        let found = ctx.store()?.project(parse_id("id", &id)?).await?;
        found
            .map(|project| Project::reveal(ctx, project))
            .transpose()
    }
}
