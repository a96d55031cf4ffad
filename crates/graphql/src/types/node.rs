//! Relay global object identification: every object type with an id of its own is a
//! `Node`, and `node(id:)` / `nodes(ids:)` read any of them by id alone. An id is the
//! object's own (a UUID, unique across types), so the ids clients already hold are global
//! ids. Each object is read as its type's own field reads it and passes the same read
//! rule; what the reader may not see is null, exactly like an id that names nothing.
//! The objects of `nodes` are read together, each type's through its loader in one batch.

use std::collections::HashMap;

use async_graphql::futures_util::future::try_join_all;
use async_graphql::{Context, ID, Interface};
use cmnp_domain::node::NodeKind;
use cmnp_domain::policy::{Actor, Visible, minutes_visible_to};
use cmnp_domain::user::TokenKind;
use cmnp_store::NodeRef;
use uuid::Uuid;

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::loaders::{
    AgencyById, AgreementById, MeetingById, ObservationsOf, ProjectById, UserById,
};
use crate::types::{
    ActionItem, Agency, AgendaItem, Agreement, ApiToken, AuditEvent, BudgetLine, EmailDelivery,
    Indicator, Meeting, Milestone, Observation, Project, ProjectResult, Representative,
    Transaction, User,
};

/// An object with an id of its own, which `node(id:)` reads by that id alone.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The object's id, unique across every type: `node(id:)` reads it back."
))]
pub enum Node {
    ActionItem(ActionItem),
    Agency(Agency),
    AgendaItem(AgendaItem),
    Agreement(Agreement),
    ApiToken(ApiToken),
    AuditEvent(AuditEvent),
    BudgetLine(BudgetLine),
    EmailDelivery(EmailDelivery),
    Indicator(Indicator),
    Meeting(Meeting),
    Milestone(Milestone),
    Observation(Observation),
    Project(Project),
    ProjectResult(ProjectResult),
    Representative(Representative),
    Transaction(Transaction),
    User(User),
}

/// The objects `ids` name, in their order: null for an id that names nothing the actor
/// may see. Which table holds each id is one statement for all of them.
pub async fn nodes(ctx: &Context<'_>, field: &str, ids: &[ID]) -> ApiResult<Vec<Option<Node>>> {
    let actor = ctx.actor()?;
    let parsed = ids
        .iter()
        .map(|id| {
            Uuid::parse_str(id.as_str())
                .map_err(|_| ApiError::bad_input(field, format!("{:?} is not an id", id.as_str())))
        })
        .collect::<ApiResult<Vec<Uuid>>>()?;
    let found: HashMap<Uuid, NodeRef> = ctx
        .store()?
        .node_refs(&parsed)
        .await?
        .into_iter()
        .map(|found| (found.id, found))
        .collect();
    // Read together, so that the loaders batch the ids of each type into one statement.
    try_join_all(parsed.iter().map(|id| {
        let found = found.get(id).copied();
        let actor = &actor;
        async move {
            match found {
                Some(found) => node(ctx, actor, found).await,
                None => Ok(None),
            }
        }
    }))
    .await
}

/// `found` if the actor may see it.
fn seen<T: Visible>(actor: &Actor, found: Option<T>) -> Option<T> {
    found.filter(|value| value.visible_to(actor))
}

/// The object at `found`, through its read rule (and its parent's, for parts).
async fn node(ctx: &Context<'_>, actor: &Actor, found: NodeRef) -> ApiResult<Option<Node>> {
    let store = ctx.store()?;
    let loader = ctx.loader()?;
    let NodeRef { id, kind, parent } = found;
    Ok(match kind {
        NodeKind::ActionItem => seen(actor, store.action_item(id).await?)
            .map(|item| ActionItem::reveal(ctx, item))
            .transpose()?
            .map(Node::ActionItem),
        NodeKind::Agency => seen(actor, loader.load_one(AgencyById(id)).await?)
            .map(|agency| Agency::reveal(ctx, agency))
            .transpose()?
            .map(Node::Agency),
        NodeKind::Agreement => seen(actor, loader.load_one(AgreementById(id)).await?)
            .map(|agreement| Agreement::reveal(ctx, agreement))
            .transpose()?
            .map(Node::Agreement),
        NodeKind::ApiToken => seen(
            actor,
            store
                .token(id)
                .await?
                .filter(|token| matches!(token.kind, TokenKind::Api | TokenKind::Calendar)),
        )
        .map(|token| ApiToken::reveal(ctx, token))
        .transpose()?
        .map(Node::ApiToken),
        NodeKind::AuditEvent => seen(actor, store.audit_event(id).await?)
            .map(|event| AuditEvent::reveal(ctx, event))
            .transpose()?
            .map(Node::AuditEvent),
        NodeKind::EmailDelivery => seen(actor, store.email_delivery(id).await?)
            .map(|delivery| EmailDelivery::reveal(ctx, delivery))
            .transpose()?
            .map(Node::EmailDelivery),
        NodeKind::Meeting => seen(actor, loader.load_one(MeetingById(id)).await?)
            .map(|meeting| Meeting::reveal(ctx, meeting))
            .transpose()?
            .map(Node::Meeting),
        NodeKind::Project => seen(actor, loader.load_one(ProjectById(id)).await?)
            .map(|project| Project::reveal(ctx, project))
            .transpose()?
            .map(Node::Project),
        NodeKind::Representative => seen(actor, store.representative(id).await?)
            .map(|representative| Representative::reveal(ctx, representative))
            .transpose()?
            .map(Node::Representative),
        NodeKind::User => seen(actor, loader.load_one(UserById(id)).await?)
            .map(|user| User::reveal(ctx, user))
            .transpose()?
            .map(Node::User),
        NodeKind::AgendaItem => {
            let Some(meeting) = seen(actor, loader.load_one(MeetingById(parent)).await?) else {
                return Ok(None);
            };
            let held_since = meeting.held_since();
            seen(actor, store.agenda_item(id).await?)
                .map(|item| AgendaItem::reveal(ctx, item, held_since))
                .transpose()?
                .map(Node::AgendaItem)
        }
        NodeKind::Observation => {
            // An observation is read through its session's minutes, as `Minutes.observations`.
            let Some(meeting) = seen(actor, loader.load_one(MeetingById(parent)).await?)
                .filter(|meeting| minutes_visible_to(meeting, actor))
            else {
                return Ok(None);
            };
            let found = loader
                .load_one(ObservationsOf(meeting.id))
                .await?
                .unwrap_or_default()
                .into_iter()
                .find(|observation| observation.id == id);
            seen(actor, found)
                .map(|observation| Observation::reveal(ctx, observation))
                .transpose()?
                .map(Node::Observation)
        }
        NodeKind::BudgetLine
        | NodeKind::Transaction
        | NodeKind::ProjectResult
        | NodeKind::Indicator
        | NodeKind::Milestone => match seen(actor, loader.load_one(ProjectById(parent)).await?) {
            Some(project) => Project::reveal(ctx, project)?.part(ctx, kind, id).await?,
            None => None,
        },
    })
}
