//! How an agreement was decided: by consensus, or put to a vote of the voting agencies
//! present, under a rule, with quorum checked at the moment of the vote. A decision is
//! recorded once and then frozen: it is the commission's record of how the agreement
//! passed (or did not).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::agenda::AttendeeKind;
use crate::enums::string_enum;
use crate::meeting::{Quorum, QuorumRule};
use crate::{ValidationError, text};

string_enum! {
    DecisionMethod, "method" {
        Consensus => "CONSENSUS",
        Vote => "VOTE",
    }
}

string_enum! {
    /// What a vote needs to adopt an agreement, counted among the voting agencies present.
    VoteRule, "rule" {
        /// More votes in favour than half of the voting agencies present: abstentions
        /// count as not in favour, and a tie is not a majority.
        MajorityOfPresent => "MAJORITY_OF_PRESENT",
        /// At least two thirds of the voting agencies present in favour.
        TwoThirdsOfPresent => "TWO_THIRDS_OF_PRESENT",
        /// Every voting agency present in favour.
        Unanimity => "UNANIMITY",
    }
}

string_enum! {
    VoteChoice, "vote" {
        For => "FOR",
        Against => "AGAINST",
        Abstain => "ABSTAIN",
    }
}

string_enum! {
    DecisionResult, "result" {
        Adopted => "ADOPTED",
        Rejected => "REJECTED",
    }
}

/// The most characters of a delegate's name and designation.
const NAME_MAX: usize = 200;

/// One agency's vote, and who cast it: its principal, its alternate, or a delegate
/// designated for the session (named, with the reference of the designation).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CastVote {
    pub agency_id: Uuid,
    pub choice: VoteChoice,
    pub voter_kind: AttendeeKind,
    pub voter_name: Option<String>,
    pub designation_ref: Option<String>,
}

impl CastVote {
    /// Reads one vote; errors name the field under `prefix` ("votes[2].").
    pub fn parse(
        prefix: &str,
        agency_id: Uuid,
        choice: VoteChoice,
        voter_kind: Option<AttendeeKind>,
        voter_name: Option<&str>,
        designation_ref: Option<&str>,
    ) -> Result<Self, ValidationError> {
        let field = |name: &str| format!("{prefix}{name}");
        let voter_kind = voter_kind.unwrap_or(AttendeeKind::Principal);
        let voter_name = text::optional(&field("voterName"), voter_name, NAME_MAX)?;
        let designation_ref = text::optional(&field("designationRef"), designation_ref, NAME_MAX)?;
        if voter_kind == AttendeeKind::Delegate {
            if voter_name.is_none() {
                return Err(ValidationError::new(
                    field("voterName"),
                    "a delegate's vote names the delegate",
                ));
            }
            if designation_ref.is_none() {
                return Err(ValidationError::new(
                    field("designationRef"),
                    "a delegate's vote cites the designation (e.g. the oficio) that entitles them",
                ));
            }
        }
        Ok(Self {
            agency_id,
            choice,
            voter_kind,
            voter_name,
            designation_ref,
        })
    }
}

/// A decision as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Decision {
    pub agreement_id: Uuid,
    pub method: DecisionMethod,
    /// The rule of a vote; none for consensus.
    pub rule: Option<VoteRule>,
    /// The quorum at the moment of the decision.
    pub quorum_required: i32,
    pub quorum_present: i32,
    pub votes_for: i32,
    pub votes_against: i32,
    pub abstentions: i32,
    pub result: DecisionResult,
    pub decided_at: DateTime<Utc>,
    /// The votes, by agency; empty for consensus.
    pub votes: Vec<CastVote>,
}

/// Where a decision is taken: the agencies whose votes count (the voting members), and
/// those of them present in the session now.
#[derive(Debug, Clone)]
pub struct Floor {
    pub voting_members: i32,
    pub present_voting: BTreeSet<Uuid>,
    pub rule: QuorumRule,
    /// The quorum frozen when the session was held, if it was: its requirement stands,
    /// whatever the commission's membership or rule has become since.
    pub frozen: Option<Quorum>,
}

impl Floor {
    fn quorum(&self) -> Result<Quorum, ValidationError> {
        let present = i32::try_from(self.present_voting.len()).unwrap_or(i32::MAX);
        let quorum = match self.frozen {
            Some(frozen) => Quorum {
                required: frozen.required,
                present,
                reached: present >= frozen.required,
            },
            None => self.rule.quorum(self.voting_members, present),
        };
        if quorum.reached {
            Ok(quorum)
        } else {
            Err(ValidationError::new(
                "agreementId",
                format!(
                    "no quorum now: {} of {} voting members are recorded present and {} are required; record the attendance first",
                    quorum.present, self.voting_members, quorum.required
                ),
            ))
        }
    }

    /// Records adoption by consensus, which needs quorum as a vote does.
    pub fn consensus(
        &self,
        agreement_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<Decision, ValidationError> {
        let quorum = self.quorum()?;
        Ok(Decision {
            agreement_id,
            method: DecisionMethod::Consensus,
            rule: None,
            quorum_required: quorum.required,
            quorum_present: quorum.present,
            votes_for: 0,
            votes_against: 0,
            abstentions: 0,
            result: DecisionResult::Adopted,
            decided_at: now,
            votes: Vec::new(),
        })
    }

    /// Counts a vote: every voting agency present votes once (an abstention is a vote),
    /// and no one else does.
    pub fn vote(
        &self,
        agreement_id: Uuid,
        rule: VoteRule,
        mut votes: Vec<CastVote>,
        now: DateTime<Utc>,
    ) -> Result<Decision, ValidationError> {
        let quorum = self.quorum()?;
        let mut seen = BTreeSet::new();
        for (index, vote) in votes.iter().enumerate() {
            let field = format!("votes[{index}].agencyId");
            if !self.present_voting.contains(&vote.agency_id) {
                return Err(ValidationError::new(
                    field,
                    "not a voting member recorded present in this session",
                ));
            }
            if !seen.insert(vote.agency_id) {
                return Err(ValidationError::new(field, "this agency has voted already"));
            }
        }
        let missing = self.present_voting.difference(&seen).count();
        if missing > 0 {
            return Err(ValidationError::new(
                "votes",
                format!(
                    "{missing} voting member(s) present have no vote: every one votes FOR, AGAINST or ABSTAIN"
                ),
            ));
        }
        let count = |choice| {
            i32::try_from(votes.iter().filter(|v| v.choice == choice).count()).unwrap_or(i32::MAX)
        };
        let (votes_for, votes_against, abstentions) = (
            count(VoteChoice::For),
            count(VoteChoice::Against),
            count(VoteChoice::Abstain),
        );
        let present = quorum.present;
        let adopted = match rule {
            VoteRule::MajorityOfPresent => 2 * votes_for > present,
            VoteRule::TwoThirdsOfPresent => 3 * votes_for >= 2 * present,
            VoteRule::Unanimity => votes_for == present,
        };
        votes.sort_by_key(|vote| vote.agency_id);
        Ok(Decision {
            agreement_id,
            method: DecisionMethod::Vote,
            rule: Some(rule),
            quorum_required: quorum.required,
            quorum_present: present,
            votes_for,
            votes_against,
            abstentions,
            result: if adopted {
                DecisionResult::Adopted
            } else {
                DecisionResult::Rejected
            },
            decided_at: now,
            votes,
        })
    }
}

#[cfg(test)]
mod tests;
