use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use cmnp_domain::decision::CastVote;
use cmnp_domain::policy::Permission;
use cmnp_store::Deciding;

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::types::enums::{AttendeeKind, VoteChoice, VoteRule};
use crate::types::{Agreement, parse_id};

#[derive(Default)]
pub struct DecisionMutations;

#[derive(InputObject)]
pub struct RecordConsensusInput {
    pub agreement_id: ID,
}

#[derive(InputObject)]
pub struct RecordVoteInput {
    pub agreement_id: ID,
    pub rule: VoteRule,
    /// One vote for every voting agency recorded present, and no other.
    pub votes: Vec<VoteInput>,
}

/// One agency's vote.
#[derive(InputObject)]
pub struct VoteInput {
    pub agency_id: ID,
    pub vote: VoteChoice,
    /// Who cast it; the principal when absent.
    pub voter_kind: Option<AttendeeKind>,
    /// Required for a delegate.
    pub voter_name: Option<String>,
    /// The designation (e.g. "Oficio N° 045-2026-MIMP") entitling a delegate; required
    /// for one.
    pub designation_ref: Option<String>,
}

#[derive(SimpleObject)]
pub struct DecisionPayload {
    /// The agreement, with its decision.
    pub agreement: Agreement,
}

#[Object]
impl DecisionMutations {
    /// Records that an agreement was adopted by consensus, with quorum checked among the
    /// voting members recorded present now. Frozen once recorded. Secretariat only.
    async fn record_consensus(
        &self,
        ctx: &Context<'_>,
        input: RecordConsensusInput,
    ) -> ApiResult<DecisionPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let id = parse_id("agreementId", &input.agreement_id)?;
        decided(ctx, &actor, id, Deciding::Consensus).await
    }

    /// Records a vote on an agreement under `rule`: quorum is checked among the voting
    /// members recorded present now, each of them votes once, and the result is frozen.
    /// Secretariat only.
    async fn record_vote(
        &self,
        ctx: &Context<'_>,
        input: RecordVoteInput,
    ) -> ApiResult<DecisionPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let id = parse_id("agreementId", &input.agreement_id)?;
        let votes = input
            .votes
            .iter()
            .enumerate()
            .map(|(index, vote)| {
                let prefix = format!("votes[{index}].");
                let agency_id = parse_id(&format!("{prefix}agencyId"), &vote.agency_id)?;
                CastVote::parse(
                    &prefix,
                    agency_id,
                    vote.vote.into(),
                    vote.voter_kind.map(Into::into),
                    vote.voter_name.as_deref(),
                    vote.designation_ref.as_deref(),
                )
                .map_err(ApiError::from)
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let deciding = Deciding::Vote {
            rule: input.rule.into(),
            votes,
        };
        decided(ctx, &actor, id, deciding).await
    }
}

async fn decided(
    ctx: &Context<'_>,
    actor: &cmnp_domain::policy::Actor,
    id: uuid::Uuid,
    deciding: Deciding,
) -> ApiResult<DecisionPayload> {
    let store = ctx.store()?;
    store
        .decide_agreement(actor, id, deciding, ctx.settings()?.quorum_rule)
        .await?;
    let agreement = store
        .agreement(id)
        .await?
        .ok_or_else(|| ApiError::internal(&"the agreement vanished"))?;
    Ok(DecisionPayload {
        agreement: Agreement::reveal(ctx, agreement)?,
    })
}
