use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::{agreement, decision};

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::loaders::{ActionItemsOfAgreement, DecisionOf, MeetingById};
use crate::types::enums::{AttendeeKind, DecisionMethod, DecisionResult, VoteChoice, VoteRule};
use crate::types::{ActionItem, Agency, Meeting, id};

/// An agreement (acuerdo) adopted in a session.
pub struct Agreement(agreement::Agreement);

impl Agreement {
    pub(crate) fn reveal(ctx: &Context<'_>, value: agreement::Agreement) -> ApiResult<Self> {
        ctx.reveal(value).map(Self)
    }

    /// The agreement if the actor may see it, else `None`.
    pub(crate) fn reveal_if_visible(
        ctx: &Context<'_>,
        value: agreement::Agreement,
    ) -> ApiResult<Option<Self>> {
        Ok(ctx.reveal_if_visible(value)?.map(Self))
    }
}

#[Object]
impl Agreement {
    pub(crate) async fn id(&self) -> ID {
        id(self.0.id)
    }

    /// "Acuerdo N° 007-2026-CMNP-TP-TIM".
    async fn number(&self) -> String {
        self.0.label()
    }

    /// The number within its year (7 for "Acuerdo N° 007-2026-…").
    async fn sequence_number(&self) -> i32 {
        self.0.number
    }

    async fn year(&self) -> i32 {
        self.0.year
    }

    async fn text(&self) -> &str {
        &self.0.text
    }

    async fn agenda_item_id(&self) -> Option<ID> {
        self.0.agenda_item_id.map(id)
    }

    async fn meeting(&self, ctx: &Context<'_>) -> ApiResult<Meeting> {
        let meeting = ctx
            .loader()?
            .load_one(MeetingById(self.0.meeting_id))
            .await?
            .ok_or_else(|| ApiError::internal(&"agreement without meeting"))?;
        Meeting::reveal(ctx, meeting)
    }

    /// The action items this agreement created.
    async fn action_items(&self, ctx: &Context<'_>) -> ApiResult<Vec<ActionItem>> {
        let items = ctx
            .loader()?
            .load_one(ActionItemsOfAgreement(self.0.id))
            .await?
            .unwrap_or_default();
        items
            .into_iter()
            .map(|item| ActionItem::reveal(ctx, item))
            .collect()
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// How the agreement was decided (consensus or a vote), once the secretariat has
    /// recorded it with `recordConsensus` or `recordVote`; null until then.
    async fn decision(&self, ctx: &Context<'_>) -> ApiResult<Option<AgreementDecision>> {
        Ok(ctx
            .loader()?
            .load_one(DecisionOf(self.0.id))
            .await?
            .map(AgreementDecision))
    }
}

/// How an agreement was decided, frozen when recorded. Read with its agreement, under the
/// agreement's read rule.
pub struct AgreementDecision(decision::Decision);

#[Object]
impl AgreementDecision {
    async fn method(&self) -> DecisionMethod {
        self.0.method.into()
    }

    /// The rule of a vote; null for consensus.
    async fn rule(&self) -> Option<VoteRule> {
        self.0.rule.map(Into::into)
    }

    async fn result(&self) -> DecisionResult {
        self.0.result.into()
    }

    /// The voting members required for quorum at the moment of the decision.
    async fn quorum_required(&self) -> i32 {
        self.0.quorum_required
    }

    /// The voting members recorded present at that moment.
    async fn quorum_present(&self) -> i32 {
        self.0.quorum_present
    }

    async fn votes_for(&self) -> i32 {
        self.0.votes_for
    }

    async fn votes_against(&self) -> i32 {
        self.0.votes_against
    }

    async fn abstentions(&self) -> i32 {
        self.0.abstentions
    }

    async fn decided_at(&self) -> DateTime<Utc> {
        self.0.decided_at
    }

    /// Each voting agency's vote; empty for consensus.
    async fn votes(&self) -> Vec<AgreementVote> {
        self.0.votes.iter().cloned().map(AgreementVote).collect()
    }
}

/// One agency's vote and who cast it.
pub struct AgreementVote(decision::CastVote);

#[Object]
impl AgreementVote {
    async fn agency(&self, ctx: &Context<'_>) -> ApiResult<Option<Agency>> {
        Agency::by_id(ctx, self.0.agency_id).await
    }

    async fn vote(&self) -> VoteChoice {
        self.0.choice.into()
    }

    /// The principal, the alternate, or a delegate named with the designation.
    async fn voter_kind(&self) -> AttendeeKind {
        self.0.voter_kind.into()
    }

    async fn voter_name(&self) -> Option<&str> {
        self.0.voter_name.as_deref()
    }

    /// The reference of the document that designated a delegate.
    async fn designation_ref(&self) -> Option<&str> {
        self.0.designation_ref.as_deref()
    }
}
