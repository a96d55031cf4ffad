use super::*;

fn floor(members: i32, present: &[u128]) -> Floor {
    Floor {
        voting_members: members,
        present_voting: present.iter().map(|n| Uuid::from_u128(*n)).collect(),
        rule: QuorumRule::Majority,
        frozen: None,
    }
}

fn vote(agency: u128, choice: VoteChoice) -> CastVote {
    CastVote::parse("", Uuid::from_u128(agency), choice, None, None, None).unwrap()
}

fn result(
    floor: &Floor,
    rule: VoteRule,
    votes: &[(u128, VoteChoice)],
) -> Result<Decision, ValidationError> {
    let votes = votes.iter().map(|(a, c)| vote(*a, *c)).collect();
    floor.vote(Uuid::nil(), rule, votes, Utc::now())
}

use VoteChoice::{Abstain, Against, For};

#[test]
fn a_vote_needs_quorum_at_its_moment() {
    let error = result(
        &floor(5, &[1, 2]),
        VoteRule::MajorityOfPresent,
        &[(1, For), (2, For)],
    )
    .unwrap_err();
    assert_eq!(error.field, "agreementId");
    assert!(error.message.contains("2 of 5"), "{}", error.message);
    assert!(
        floor(5, &[1, 2])
            .consensus(Uuid::nil(), Utc::now())
            .is_err()
    );
    let decided = result(
        &floor(5, &[1, 2, 3]),
        VoteRule::MajorityOfPresent,
        &[(1, For), (2, For), (3, Against)],
    )
    .unwrap();
    assert_eq!((decided.quorum_required, decided.quorum_present), (3, 3));
    assert_eq!(decided.result, DecisionResult::Adopted);
}

#[test]
fn a_tie_and_abstentions_are_no_majority_and_unanimity_takes_everyone() {
    let four = floor(5, &[1, 2, 3, 4]);
    let tie = result(
        &four,
        VoteRule::MajorityOfPresent,
        &[(1, For), (2, For), (3, Against), (4, Against)],
    )
    .unwrap();
    assert_eq!(
        (tie.votes_for, tie.votes_against, tie.result),
        (2, 2, DecisionResult::Rejected)
    );
    let abstained = result(
        &four,
        VoteRule::MajorityOfPresent,
        &[(1, For), (2, For), (3, Abstain), (4, Abstain)],
    )
    .unwrap();
    assert_eq!(abstained.result, DecisionResult::Rejected);
    let three = result(
        &four,
        VoteRule::MajorityOfPresent,
        &[(1, For), (2, For), (3, For), (4, Abstain)],
    )
    .unwrap();
    assert_eq!(
        (three.abstentions, three.result),
        (1, DecisionResult::Adopted)
    );
    assert_eq!(
        result(
            &four,
            VoteRule::Unanimity,
            &[(1, For), (2, For), (3, For), (4, Abstain)]
        )
        .unwrap()
        .result,
        DecisionResult::Rejected
    );
    assert_eq!(
        result(
            &four,
            VoteRule::TwoThirdsOfPresent,
            &[(1, For), (2, For), (3, For), (4, Against)]
        )
        .unwrap()
        .result,
        DecisionResult::Adopted
    );
    assert_eq!(
        result(
            &four,
            VoteRule::TwoThirdsOfPresent,
            &[(1, For), (2, For), (3, Against), (4, Against)]
        )
        .unwrap()
        .result,
        DecisionResult::Rejected
    );
}

#[test]
fn every_present_voting_member_votes_once_and_no_one_else_does() {
    let three = floor(5, &[1, 2, 3]);
    let missing = result(&three, VoteRule::MajorityOfPresent, &[(1, For), (2, For)]).unwrap_err();
    assert_eq!(missing.field, "votes");
    let stranger = result(
        &three,
        VoteRule::MajorityOfPresent,
        &[(1, For), (2, For), (9, For)],
    )
    .unwrap_err();
    assert_eq!(stranger.field, "votes[2].agencyId");
    let twice = result(
        &three,
        VoteRule::MajorityOfPresent,
        &[(1, For), (1, Against), (2, For), (3, For)],
    )
    .unwrap_err();
    assert_eq!(twice.field, "votes[1].agencyId");
}

#[test]
fn a_delegate_is_named_with_the_designation() {
    let agency = Uuid::from_u128(1);
    let unnamed = CastVote::parse(
        "votes[0].",
        agency,
        For,
        Some(AttendeeKind::Delegate),
        None,
        Some("Oficio 12"),
    );
    assert_eq!(unnamed.unwrap_err().field, "votes[0].voterName");
    let undesignated = CastVote::parse(
        "votes[0].",
        agency,
        For,
        Some(AttendeeKind::Delegate),
        Some("Ana Soto"),
        Some("  "),
    );
    assert_eq!(undesignated.unwrap_err().field, "votes[0].designationRef");
    let delegate = CastVote::parse(
        "votes[0].",
        agency,
        For,
        Some(AttendeeKind::Delegate),
        Some("Ana Soto"),
        Some("Oficio N° 12-2026"),
    )
    .unwrap();
    assert_eq!(delegate.voter_name.as_deref(), Some("Ana Soto"));
}

#[test]
fn a_held_sessions_frozen_quorum_stands() {
    let mut held = floor(5, &[1, 2]);
    held.frozen = Some(Quorum {
        required: 2,
        present: 2,
        reached: true,
    });
    let decided = result(&held, VoteRule::MajorityOfPresent, &[(1, For), (2, For)]).unwrap();
    assert_eq!((decided.quorum_required, decided.quorum_present), (2, 2));
}
