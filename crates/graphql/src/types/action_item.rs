use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use cmnp_domain::action_item;
use cmnp_domain::document::OwnerKind;
use cmnp_domain::policy::Permission;

use crate::boxed::{Boxed, boxed};
use crate::connection::{Conn, complexity, connection, page_request};
use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::loaders::{AgencyById, AgreementById, HistoryOf, ProjectById, UpdatesPage, UserById};
use crate::plain::plain_object;
use crate::scalars::Date;
use crate::types::enums::ActionItemStatus;
use crate::types::{Agency, Agreement, Document, Project, id};

/// A commitment an agency took on, with its full history.
pub struct ActionItem(Item);

/// What the schema shows of an action item, which [`ActionItem`] serves.
pub struct Item(action_item::ActionItem);

plain_object!(ActionItem(Item));

impl ActionItem {
    /// The id, as the `Node` interface asks for it.
    pub(crate) async fn id(&self, ctx: &Context<'_>) -> async_graphql::Result<ID> {
        self.0.id(ctx).await
    }

    pub(crate) fn reveal(ctx: &Context<'_>, value: action_item::ActionItem) -> ApiResult<Self> {
        ctx.reveal(value).map(|value| Self(Item(value)))
    }

    pub(crate) fn due_key(value: &action_item::ActionItem) -> (NaiveDate, uuid::Uuid) {
        (value.due_on, value.id)
    }
}

/// Donors read the reference, title and status of the items linked to what they fund;
/// everything else about an item stays with the commission.
fn details(ctx: &Context<'_>) -> ApiResult<()> {
    if ctx.actor()?.may(Permission::ReadCommissionWork) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "donors read the title and status of linked action items".into(),
        ))
    }
}

#[Object(name = "ActionItem")]
impl Item {
    async fn id(&self) -> ID {
        id(self.0.id)
    }

    /// "AI-2026-014".
    async fn reference(&self) -> String {
        self.0.reference()
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn description(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        details(ctx)?;
        Ok(self.0.description.as_deref())
    }

    async fn status(&self) -> ActionItemStatus {
        self.0.status.into()
    }

    async fn progress_percent(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        details(ctx)?;
        Ok(self.0.progress_percent)
    }

    async fn due_on(&self, ctx: &Context<'_>) -> ApiResult<Date> {
        details(ctx)?;
        Ok(Date(self.0.due_on))
    }

    /// Due before today in the commission's time zone, and neither done nor cancelled.
    async fn overdue(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        details(ctx)?;
        Ok(self.0.is_overdue(ctx.settings()?.today()))
    }

    async fn completed_on(&self, ctx: &Context<'_>) -> ApiResult<Option<Date>> {
        details(ctx)?;
        Ok(self.0.completed_on.map(Date))
    }

    async fn cancel_reason(&self, ctx: &Context<'_>) -> ApiResult<Option<&str>> {
        details(ctx)?;
        Ok(self.0.cancel_reason.as_deref())
    }

    /// Send it back as `expectedVersion` when updating the item.
    async fn version(&self, ctx: &Context<'_>) -> ApiResult<i32> {
        details(ctx)?;
        Ok(self.0.version)
    }

    async fn responsible(&self, ctx: &Context<'_>) -> ApiResult<Boxed<Agency>> {
        details(ctx)?;
        boxed(async {
            let agency = ctx
                .loader()?
                .load_one(AgencyById(self.0.responsible_agency_id))
                .await?
                .ok_or_else(|| ApiError::internal(&"action item without responsible agency"))?;
            Agency::reveal(ctx, agency)
        })
        .await
    }

    async fn supporting(&self, ctx: &Context<'_>) -> ApiResult<Boxed<Vec<Agency>>> {
        details(ctx)?;
        boxed(Agency::list(ctx, &self.0.supporting_agency_ids)).await
    }

    /// The agreement that created the item; null when there is none or the reader was not
    /// invited to the session that adopted it.
    async fn agreement(&self, ctx: &Context<'_>) -> ApiResult<Boxed<Option<Agreement>>> {
        details(ctx)?;
        boxed(async {
            let Some(agreement_id) = self.0.agreement_id else {
                return Ok(None);
            };
            match ctx.loader()?.load_one(AgreementById(agreement_id)).await? {
                Some(agreement) => Agreement::reveal_if_visible(ctx, agreement),
                None => Ok(None),
            }
        })
        .await
    }

    /// The project the item belongs to; null when there is none or the reader may not
    /// see it.
    async fn project(&self, ctx: &Context<'_>) -> ApiResult<Boxed<Option<Project>>> {
        boxed(async {
            let Some(project_id) = self.0.project_id else {
                return Ok(None);
            };
            match ctx.loader()?.load_one(ProjectById(project_id)).await? {
                Some(project) => Project::reveal_if_visible(ctx, project),
                None => Ok(None),
            }
        })
        .await
    }

    /// The latest 100 updates, oldest first (the history is append-only); `updates`
    /// pages through every one and counts them.
    async fn history(&self, ctx: &Context<'_>) -> ApiResult<Boxed<Vec<HistoryEntry>>> {
        details(ctx)?;
        boxed(async {
            let entries = ctx
                .loader()?
                .load_one(HistoryOf(self.0.id))
                .await?
                .unwrap_or_default();
            entries
                .into_iter()
                .map(|entry| ctx.reveal(entry).map(|entry| HistoryEntry(Update(entry))))
                .collect()
        })
        .await
    }

    /// Evidence attached to the item, oldest first.
    async fn documents(&self, ctx: &Context<'_>) -> ApiResult<Boxed<Vec<Document>>> {
        details(ctx)?;
        boxed(Document::of(ctx, OwnerKind::ActionItem, self.0.id)).await
    }

    /// Every update, oldest first, a page at a time.
    #[graphql(complexity = "complexity(first, child_complexity)")]
    async fn updates(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<Boxed<Conn<HistoryEntry>>> {
        details(ctx)?;
        boxed(async move {
            let request = page_request(ctx, first, after.as_deref())?;
            let page = ctx
                .loader()?
                .load_one(UpdatesPage {
                    item: self.0.id,
                    request,
                })
                .await?
                .ok_or_else(|| ApiError::internal(&"the loader returned no page"))?;
            connection(
                page,
                |entry| (entry.at, entry.id),
                |entry| {
                    ctx.reveal(Arc::new(entry))
                        .map(|entry| HistoryEntry(Update(entry)))
                },
            )
        })
        .await
    }

    async fn created_at(&self, ctx: &Context<'_>) -> ApiResult<DateTime<Utc>> {
        details(ctx)?;
        Ok(self.0.created_at)
    }

    async fn updated_at(&self, ctx: &Context<'_>) -> ApiResult<DateTime<Utc>> {
        details(ctx)?;
        Ok(self.0.updated_at)
    }
}

/// The author of an update, as the entry shows it.
#[derive(SimpleObject)]
pub struct Author {
    pub id: ID,
    pub name: String,
}

/// One update of an action item.
pub struct HistoryEntry(Update);

/// What the schema shows of an update, which [`HistoryEntry`] serves.
pub struct Update(Arc<action_item::HistoryEntry>);

plain_object!(HistoryEntry(Update));

#[Object(name = "ActionItemUpdate")]
impl Update {
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// Who made the update; null for the system or the command line. Whoever sees the
    /// entry sees the author's name (part of the entry); the full user record stays under
    /// the user rule.
    async fn author(&self, ctx: &Context<'_>) -> ApiResult<Boxed<Option<Author>>> {
        boxed(async {
            let Some(user_id) = self.0.author_user_id else {
                return Ok(None);
            };
            Ok(ctx
                .loader()?
                .load_one(UserById(user_id))
                .await?
                .map(|user| Author {
                    id: id(user.id),
                    name: user.name,
                }))
        })
        .await
    }

    /// The agency the author acted for.
    async fn agency(&self, ctx: &Context<'_>) -> ApiResult<Boxed<Option<Agency>>> {
        boxed(async {
            let Some(agency_id) = self.0.agency_id else {
                return Ok(None);
            };
            Agency::by_id(ctx, agency_id).await
        })
        .await
    }

    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    async fn status_from(&self) -> Option<ActionItemStatus> {
        self.0.status_from.map(Into::into)
    }

    async fn status_to(&self) -> Option<ActionItemStatus> {
        self.0.status_to.map(Into::into)
    }

    async fn progress_percent(&self) -> Option<i32> {
        self.0.progress_percent
    }

    async fn evidence_url(&self) -> Option<&str> {
        self.0.evidence_url.as_deref()
    }
}
