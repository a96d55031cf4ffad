//! How agreements were decided: consensus or a vote, recorded once and then frozen.

use std::collections::{BTreeSet, HashMap};

use chrono::Utc;
use cmnp_domain::agenda::AttendanceStatus;
use cmnp_domain::audit::changes;
use cmnp_domain::decision::{CastVote, Decision, Floor, VoteRule};
use cmnp_domain::meeting::QuorumRule;
use cmnp_domain::policy::Actor;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{agreement, agreement_decision, agreement_vote, attendance};
use crate::error::column;
use crate::meetings::{lock, voting_agency_ids};
use crate::{Store, StoreError};

/// How the secretariat records an agreement's decision.
#[derive(Debug, Clone)]
pub enum Deciding {
    Consensus,
    Vote {
        rule: VoteRule,
        votes: Vec<CastVote>,
    },
}

impl Store {
    /// Records how `agreement_id` was decided, checking quorum among the voting members
    /// recorded present in its session now. The decision is frozen: a second one is a
    /// conflict, and the first stands.
    pub async fn decide_agreement(
        &self,
        actor: &Actor,
        agreement_id: Uuid,
        deciding: Deciding,
        rule: QuorumRule,
    ) -> Result<Decision, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let agreement = agreement::Entity::find_by_id(agreement_id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("agreement"))?;
        let meeting = lock(&txn, agreement.meeting_id).await?;
        meeting
            .check_adoption(now)
            .map_err(|error| error.in_field("agreementId"))?;
        if agreement_decision::Entity::find_by_id(agreement_id)
            .one(&txn)
            .await?
            .is_some()
        {
            return Err(frozen());
        }
        let voting = voting_agency_ids(&txn).await?;
        let present: BTreeSet<Uuid> = attendance::Entity::find()
            .select_only()
            .column(attendance::Column::AgencyId)
            .filter(attendance::Column::MeetingId.eq(meeting.id))
            .filter(attendance::Column::Status.eq(AttendanceStatus::Present.as_str()))
            .into_tuple::<Uuid>()
            .all(&txn)
            .await?
            .into_iter()
            .filter(|id| voting.contains(id) && meeting.invited_agency_ids.contains(id))
            .collect();
        let floor = Floor {
            voting_members: i32::try_from(voting.len()).unwrap_or(i32::MAX),
            present_voting: present,
            rule,
            frozen: meeting.quorum,
        };
        let decision = match deciding {
            Deciding::Consensus => floor.consensus(agreement_id, now)?,
            Deciding::Vote { rule, votes } => floor.vote(agreement_id, rule, votes, now)?,
        };
        agreement_decision::ActiveModel {
            agreement_id: Set(agreement_id),
            method: Set(decision.method.as_str().to_owned()),
            rule: Set(decision.rule.map(|rule| rule.as_str().to_owned())),
            quorum_required: Set(decision.quorum_required),
            quorum_present: Set(decision.quorum_present),
            votes_for: Set(decision.votes_for),
            votes_against: Set(decision.votes_against),
            abstentions: Set(decision.abstentions),
            result: Set(decision.result.as_str().to_owned()),
            decided_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(|error| match StoreError::unique(error, "agreementId", "") {
            StoreError::Invalid(_) => frozen(),
            other => other,
        })?;
        for vote in &decision.votes {
            agreement_vote::ActiveModel {
                agreement_id: Set(agreement_id),
                agency_id: Set(vote.agency_id),
                choice: Set(vote.choice.as_str().to_owned()),
                voter_kind: Set(vote.voter_kind.as_str().to_owned()),
                voter_name: Set(vote.voter_name.clone()),
                designation_ref: Set(vote.designation_ref.clone()),
            }
            .insert(&txn)
            .await?;
        }
        audit::record(
            &txn,
            now,
            Entry {
                actor: Some(actor),
                action: "agreement.decide",
                object_type: "agreement",
                object_id: agreement_id,
                changes: changes(None, Some(&decision)),
            },
        )
        .await?;
        crate::live::announce_meeting(&txn, now, "agreement.decide", meeting.id).await?;
        txn.commit().await?;
        Ok(decision)
    }

    /// The decisions recorded for these agreements, with their votes.
    pub async fn decisions_of(&self, agreement_ids: &[Uuid]) -> Result<Vec<Decision>, StoreError> {
        let rows = agreement_decision::Entity::find()
            .filter(agreement_decision::Column::AgreementId.is_in(agreement_ids.iter().copied()))
            .all(&self.db)
            .await?;
        let mut votes: HashMap<Uuid, Vec<CastVote>> = HashMap::new();
        for vote in agreement_vote::Entity::find()
            .filter(agreement_vote::Column::AgreementId.is_in(agreement_ids.iter().copied()))
            .order_by_asc(agreement_vote::Column::AgencyId)
            .all(&self.db)
            .await?
        {
            votes.entry(vote.agreement_id).or_default().push(CastVote {
                agency_id: vote.agency_id,
                choice: column(&vote.choice, "agreement_votes.choice")?,
                voter_kind: column(&vote.voter_kind, "agreement_votes.voter_kind")?,
                voter_name: vote.voter_name,
                designation_ref: vote.designation_ref,
            });
        }
        rows.into_iter()
            .map(|row| {
                Ok(Decision {
                    agreement_id: row.agreement_id,
                    method: column(&row.method, "agreement_decisions.method")?,
                    rule: row
                        .rule
                        .as_deref()
                        .map(|rule| column(rule, "agreement_decisions.rule"))
                        .transpose()?,
                    quorum_required: row.quorum_required,
                    quorum_present: row.quorum_present,
                    votes_for: row.votes_for,
                    votes_against: row.votes_against,
                    abstentions: row.abstentions,
                    result: column(&row.result, "agreement_decisions.result")?,
                    decided_at: row.decided_at,
                    votes: votes.remove(&row.agreement_id).unwrap_or_default(),
                })
            })
            .collect()
    }
}

fn frozen() -> StoreError {
    StoreError::Conflict(
        "this agreement's decision is recorded already, and a recorded decision is not changed"
            .into(),
    )
}
