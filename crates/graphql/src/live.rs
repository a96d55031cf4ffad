//! Subscriptions: `actionItemChanged`, `meetingChanged` and `projectReported`, served
//! over WebSocket (`graphql-transport-ws`). Every change comes from the committed change
//! feed, published on [`Live`] by the server, with its object as the change left it; a
//! subscriber hears of it only if the object's read rule lets it see that object (and,
//! for an agency, only of its own items and the sessions it is invited to).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::dataloader::DataLoader;
use async_graphql::{ComplexObject, Context, Data, ID, InputObject, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use cmnp_domain::live::{Change, Concerns, Subject, Topic};
use cmnp_domain::policy::{Actor, Visible};
use cmnp_domain::user::Role;
use cmnp_domain::{action_item, meeting, project};
use cmnp_store::{Authenticated, Store};
use futures_util::Stream;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::context::{ContextExt, Session};
use crate::error::{ApiError, ApiResult};
use crate::loaders::StoreLoader;
use crate::types::enums::ActionItemStatus;
use crate::types::{ActionItem, Document, Meeting, Project, id, parse_id};

/// Changes a subscriber may fall behind by before it is told it missed some.
const BACKLOG: usize = 4_096;

/// The committed changes of this process's feed reader, for every open subscription,
/// and the count of subscriptions open.
pub struct Live {
    sender: broadcast::Sender<Arc<Change>>,
    open: AtomicUsize,
}

impl Default for Live {
    fn default() -> Self {
        Self {
            sender: broadcast::Sender::new(BACKLOG),
            open: AtomicUsize::new(0),
        }
    }
}

impl Live {
    /// Hands a committed change to every subscriber of this process.
    pub fn publish(&self, change: Change) {
        // No receiver is not an error: nobody is listening.
        let _ = self.sender.send(Arc::new(change));
    }

    /// Every change published from now on.
    pub fn changes(&self) -> broadcast::Receiver<Arc<Change>> {
        self.sender.subscribe()
    }

    /// Subscriptions open on this process.
    pub fn open_subscriptions(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }
}

/// How many subscriptions one connection may hold at once.
struct Slots {
    open: AtomicUsize,
    max: usize,
}

/// One open subscription: counted while its stream lives.
struct Slot {
    slots: Arc<Slots>,
    live: Arc<Live>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.slots.open.fetch_sub(1, Ordering::Relaxed);
        self.live.open.fetch_sub(1, Ordering::Relaxed);
    }
}

fn take_slot(ctx: &Context<'_>) -> ApiResult<Slot> {
    let slots = ctx
        .data_opt::<Arc<Slots>>()
        .ok_or_else(|| {
            ApiError::bad_input(
                "subscription",
                "subscribe over WebSocket (graphql-transport-ws) on /graphql",
            )
        })?
        .clone();
    let live = ctx
        .data::<Arc<Live>>()
        .map_err(|error| ApiError::internal(&error.message))?
        .clone();
    let taken = slots.open.fetch_add(1, Ordering::Relaxed);
    if taken >= slots.max {
        slots.open.fetch_sub(1, Ordering::Relaxed);
        return Err(ApiError::LimitExceeded(format!(
            "a connection holds at most {} subscriptions: complete one, or open another connection",
            slots.max
        )));
    }
    live.open.fetch_add(1, Ordering::Relaxed);
    Ok(Slot { slots, live })
}

/// What a WebSocket connection's operations run with: who signed in (by the token in
/// `connection_init`), a data loader of its own, and its subscription slots.
pub fn connection_data(
    store: &Store,
    authenticated: Authenticated,
    max_subscriptions: usize,
) -> Data {
    let mut data = Data::default();
    data.insert(store.clone());
    data.insert(Session::from(Some(authenticated)));
    data.insert(DataLoader::new(
        StoreLoader::new(store.clone()),
        tokio::spawn,
    ));
    data.insert(Arc::new(Slots {
        open: AtomicUsize::new(0),
        max: max_subscriptions,
    }));
    data
}

/// What every event says of its change.
#[derive(SimpleObject)]
struct Event {
    /// The change's id: the same on every replica, and the `webhook-id` of its webhook
    /// deliveries.
    event_id: ID,
    /// What was done, as the audit log names it (`action_item.update`, ...).
    action: String,
    /// When the change was made.
    occurred_at: DateTime<Utc>,
}

impl Event {
    fn of(change: &Change) -> Self {
        Self {
            event_id: id(change.id),
            action: change.action.clone(),
            occurred_at: change.at,
        }
    }
}

/// An action item was created or changed.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ActionItemChange {
    #[graphql(flatten)]
    event: Event,
    #[graphql(skip)]
    item: action_item::ActionItem,
}

#[ComplexObject]
impl ActionItemChange {
    /// The item as the change left it.
    async fn action_item(&self, ctx: &Context<'_>) -> ApiResult<ActionItem> {
        ActionItem::reveal(ctx, self.item.clone())
    }
}

/// A session was scheduled or changed.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct MeetingChange {
    #[graphql(flatten)]
    event: Event,
    #[graphql(skip)]
    meeting: meeting::Meeting,
}

#[ComplexObject]
impl MeetingChange {
    /// The session as the change left it.
    async fn meeting(&self, ctx: &Context<'_>) -> ApiResult<Meeting> {
        Meeting::reveal(ctx, self.meeting.clone())
    }
}

/// A report on a project landed: a narrative report, or a document of category REPORT.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ProjectReported {
    #[graphql(flatten)]
    event: Event,
    #[graphql(skip)]
    project: project::Project,
    #[graphql(skip)]
    document_id: Option<Uuid>,
}

#[ComplexObject]
impl ProjectReported {
    async fn project(&self, ctx: &Context<'_>) -> ApiResult<Project> {
        Project::reveal(ctx, self.project.clone())
    }
    /// The uploaded report, when the report is a document.
    async fn document(&self, ctx: &Context<'_>) -> ApiResult<Option<Document>> {
        let Some(document_id) = self.document_id else {
            return Ok(None);
        };
        Ok(ctx
            .store()?
            .document(document_id)
            .await?
            .map(Document::uploaded))
    }
}

/// Narrows `actionItemChanged`; all fields are optional and combine with AND.
#[derive(InputObject, Default)]
pub struct ActionItemChangeFilter {
    /// Only these items.
    pub ids: Option<Vec<ID>>,
    pub responsible_agency_id: Option<ID>,
    pub project_id: Option<ID>,
    /// Only changes that leave the item in one of these statuses.
    pub status: Option<Vec<ActionItemStatus>>,
}

struct ItemFilter {
    ids: Option<Vec<Uuid>>,
    responsible_agency_id: Option<Uuid>,
    project_id: Option<Uuid>,
    statuses: Option<Vec<action_item::ActionItemStatus>>,
}

impl ItemFilter {
    fn parse(filter: ActionItemChangeFilter) -> ApiResult<Self> {
        let one = |value: Option<ID>, field: &str| value.map(|v| parse_id(field, &v)).transpose();
        Ok(Self {
            ids: filter
                .ids
                .map(|ids| {
                    ids.iter()
                        .map(|value| parse_id("filter.ids", value))
                        .collect::<ApiResult<Vec<_>>>()
                })
                .transpose()?,
            responsible_agency_id: one(filter.responsible_agency_id, "filter.responsibleAgencyId")?,
            project_id: one(filter.project_id, "filter.projectId")?,
            statuses: filter
                .status
                .map(|statuses| statuses.into_iter().map(Into::into).collect()),
        })
    }

    fn matches(&self, item: &action_item::ActionItem) -> bool {
        self.ids.as_ref().is_none_or(|ids| ids.contains(&item.id))
            && self
                .responsible_agency_id
                .is_none_or(|agency| item.responsible_agency_id == agency)
            && self
                .project_id
                .is_none_or(|project| item.project_id == Some(project))
            && self
                .statuses
                .as_ref()
                .is_none_or(|statuses| statuses.contains(&item.status))
    }
}

/// Whether `actor` hears of a change to `object`: the object's read rule, narrowed for
/// an agency to what concerns it (its items, its sessions, its projects).
fn hears<T: Visible + Concerns>(actor: &Actor, object: &T) -> bool {
    object.visible_to(actor)
        && match (actor.role, actor.agency_id) {
            (Role::Agency, Some(agency)) => object.concerns(agency),
            _ => true,
        }
}

/// The changes a subscriber hears of: those `pick` turns into an event (from the object
/// as the change left it, which the subscriber may read). A subscriber that falls more
/// than the backlog behind gets an error and the stream ends: nothing is skipped
/// silently.
fn follow<T, F>(
    ctx: &Context<'_>,
    pick: F,
) -> ApiResult<impl Stream<Item = ApiResult<T>> + use<T, F>>
where
    T: Send + 'static,
    F: Fn(&Arc<Change>) -> Option<T> + Send + 'static,
{
    let slot = take_slot(ctx)?;
    let receiver = ctx
        .data::<Arc<Live>>()
        .map_err(|error| ApiError::internal(&error.message))?
        .changes();
    let state = Some((receiver, pick, slot));
    Ok(futures_util::stream::unfold(state, |state| async move {
        let (mut receiver, pick, slot) = state?;
        loop {
            match receiver.recv().await {
                Ok(change) => {
                    if let Some(event) = pick(&change) {
                        return Some((Ok(event), Some((receiver, pick, slot))));
                    }
                }
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    return Some((
                        Err(ApiError::Unavailable(format!(
                            "this subscription fell {missed} changes behind and was ended: subscribe again and read the current state with a query"
                        ))),
                        None,
                    ));
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }))
}

#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Action items as they are created and changed, by anyone. The secretariat hears of
    /// every item, an agency of the items it is responsible for, supports or funds, a
    /// donor of the items linked to projects it funds.
    async fn action_item_changed(
        &self,
        ctx: &Context<'_>,
        filter: Option<ActionItemChangeFilter>,
    ) -> Result<impl Stream<Item = Result<ActionItemChange, ApiError>>, ApiError> {
        let actor = ctx.actor()?;
        let filter = ItemFilter::parse(filter.unwrap_or_default())?;
        follow(ctx, move |change| match &change.subject {
            Some(Subject::ActionItem(item)) if hears(&actor, item) && filter.matches(item) => {
                Some(ActionItemChange {
                    event: Event::of(change),
                    item: item.clone(),
                })
            }
            _ => None,
        })
    }

    /// Sessions as they are scheduled and changed (time, place, invitations, agenda,
    /// attendance, minutes, cancellation). The secretariat hears of every session, an
    /// agency of the sessions it is invited to; donors of none.
    async fn meeting_changed(
        &self,
        ctx: &Context<'_>,
        meeting_id: Option<ID>,
    ) -> Result<impl Stream<Item = Result<MeetingChange, ApiError>>, ApiError> {
        let actor = ctx.actor()?;
        let only = meeting_id.map(|v| parse_id("meetingId", &v)).transpose()?;
        follow(ctx, move |change| match &change.subject {
            Some(Subject::Meeting(meeting))
                if only.is_none_or(|id| id == meeting.id) && hears(&actor, meeting) =>
            {
                Some(MeetingChange {
                    event: Event::of(change),
                    meeting: meeting.clone(),
                })
            }
            _ => None,
        })
    }

    /// Reports as they land on projects: narrative reports and documents of category
    /// REPORT. The secretariat hears of every project, an agency of the projects it
    /// takes part in, a donor of the projects it funds.
    async fn project_reported(
        &self,
        ctx: &Context<'_>,
        project_id: Option<ID>,
    ) -> Result<impl Stream<Item = Result<ProjectReported, ApiError>>, ApiError> {
        let actor = ctx.actor()?;
        let only = project_id.map(|v| parse_id("projectId", &v)).transpose()?;
        follow(ctx, move |change| match &change.subject {
            Some(Subject::Project(project))
                if change.topic == Topic::ProjectReported
                    && only.is_none_or(|id| id == project.id)
                    && hears(&actor, project) =>
            {
                Some(ProjectReported {
                    event: Event::of(change),
                    project: project.clone(),
                    document_id: change
                        .detail
                        .get("documentId")
                        .and_then(serde_json::Value::as_str)
                        .and_then(|text| text.parse().ok()),
                })
            }
            _ => None,
        })
    }
}
