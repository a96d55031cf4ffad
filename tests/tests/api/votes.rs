//! Votes on agreements: quorum at the moment of the vote, a delegate's vote, a tie,
//! consensus, and a decision frozen once recorded.

use chrono::Duration;
use cmnp_domain::agency::Agency;
use cmnp_tests::Gql;
use serde_json::{Value, json};

use crate::work::Commission;

const VOTE: &str = "mutation ($input: RecordVoteInput!) { recordVote(input: $input) { agreement {
    decision { method rule result quorumRequired quorumPresent votesFor votesAgainst abstentions
               votes { agency { acronym } vote voterKind voterName designationRef } } } } }";
const CONSENSUS: &str =
    "mutation ($id: ID!) { recordConsensus(input: { agreementId: $id }) { agreement {
    decision { method rule result quorumRequired quorumPresent votes { vote } } } } }";

async fn agreement(c: &Commission, meeting: &Value, text: &str) -> String {
    let data = c
        .as_secretariat(
            "mutation ($id: ID!, $text: String!) { adoptAgreement(input: { meetingId: $id, text: $text }) { agreement { id } } }",
            json!({ "id": meeting["id"], "text": text }),
        )
        .await;
    data["adoptAgreement"]["agreement"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn cast(agency: &Agency, vote: &str) -> Value {
    json!({ "agencyId": agency.id.to_string(), "vote": vote })
}

/// The votes of the four voting members, in the order MININTER, MIMP, PNP, MINSA.
fn all_four(c: &Commission, votes: [&str; 4]) -> Vec<Value> {
    [&c.mininter, &c.mimp, &c.pnp, &c.minsa]
        .into_iter()
        .zip(votes)
        .map(|(agency, vote)| cast(agency, vote))
        .collect()
}

async fn vote(c: &Commission, agreement: &str, rule: &str, votes: Vec<Value>) -> Gql {
    c.app
        .graphql(
            Some(&c.secretariat.token),
            VOTE,
            json!({ "input": { "agreementId": agreement, "rule": rule, "votes": votes } }),
        )
        .await
}

async fn decision(c: &Commission, agreement: &str) -> Value {
    c.as_secretariat(
        "query ($id: ID!) { agreement(id: $id) { decision { result votesFor } } }",
        json!({ "id": agreement }),
    )
    .await["agreement"]["decision"]
        .clone()
}

#[tokio::test]
async fn a_vote_needs_quorum_then_counts_a_delegate_and_is_frozen() {
    let c = Commission::new().await;
    let session = c.schedule("ORDINARY", -Duration::hours(1), None).await;
    let first = agreement(&c, &session, "Aprobar el protocolo intersectorial").await;
    // Two of the four voting members present: the majority quorum is three.
    c.attend(&session, &c.mininter, "PRESENT").await;
    c.attend(&session, &c.mimp, "PRESENT").await;
    c.attend(&session, &c.chs, "PRESENT").await;
    let without = vote(
        &c,
        &first,
        "MAJORITY_OF_PRESENT",
        vec![cast(&c.mininter, "FOR"), cast(&c.mimp, "FOR")],
    )
    .await;
    assert_eq!(without.code(), "BAD_USER_INPUT");
    assert_eq!(without.field(), "agreementId");
    let message = without.error()["message"].as_str().unwrap();
    assert!(message.contains("2 of 4"), "{message}");
    assert_eq!(decision(&c, &first).await, Value::Null, "nothing recorded");
    let consensus = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            CONSENSUS,
            json!({ "id": first }),
        )
        .await;
    assert_eq!(consensus.field(), "agreementId");

    // PNP arrives, represented by a delegate.
    c.as_secretariat(
        "mutation ($input: RecordAttendanceInput!) { recordAttendance(input: $input) { meeting { id } } }",
        json!({ "input": { "meetingId": session["id"], "agencyId": c.pnp.id.to_string(), "status": "PRESENT",
                           "attendeeKind": "DELEGATE", "attendeeName": "Cmdte. Rosa Quispe" } }),
    )
    .await;
    let mut delegate = cast(&c.pnp, "FOR");
    delegate["voterKind"] = json!("DELEGATE");
    delegate["voterName"] = json!("Cmdte. Rosa Quispe");
    let undesignated = vote(
        &c,
        &first,
        "MAJORITY_OF_PRESENT",
        vec![
            cast(&c.mininter, "FOR"),
            cast(&c.mimp, "AGAINST"),
            delegate.clone(),
        ],
    )
    .await;
    assert_eq!(undesignated.field(), "votes[2].designationRef");
    let outsider = vote(
        &c,
        &first,
        "MAJORITY_OF_PRESENT",
        vec![
            cast(&c.mininter, "FOR"),
            cast(&c.mimp, "AGAINST"),
            cast(&c.chs, "FOR"),
        ],
    )
    .await;
    assert_eq!(outsider.field(), "votes[2].agencyId", "CHS has no vote");
    let short = vote(
        &c,
        &first,
        "MAJORITY_OF_PRESENT",
        vec![cast(&c.mininter, "FOR")],
    )
    .await;
    assert_eq!(short.field(), "votes");

    delegate["designationRef"] = json!("Oficio N° 145-2026-PNP");
    let passed = vote(
        &c,
        &first,
        "MAJORITY_OF_PRESENT",
        vec![cast(&c.mininter, "FOR"), cast(&c.mimp, "AGAINST"), delegate],
    )
    .await;
    let recorded = &passed.data()["recordVote"]["agreement"]["decision"];
    assert_eq!(
        (
            &recorded["method"],
            &recorded["rule"],
            &recorded["result"],
            &recorded["quorumRequired"],
            &recorded["quorumPresent"],
            &recorded["votesFor"],
            &recorded["votesAgainst"],
        ),
        (
            &json!("VOTE"),
            &json!("MAJORITY_OF_PRESENT"),
            &json!("ADOPTED"),
            &json!(3),
            &json!(3),
            &json!(2),
            &json!(1)
        )
    );
    let pnp = recorded["votes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["agency"]["acronym"] == "PNP")
        .unwrap();
    assert_eq!(
        pnp,
        &json!({ "agency": { "acronym": "PNP" }, "vote": "FOR", "voterKind": "DELEGATE",
                 "voterName": "Cmdte. Rosa Quispe", "designationRef": "Oficio N° 145-2026-PNP" })
    );

    // Frozen: a second vote, or consensus, is a conflict, and the first stands.
    let again = vote(
        &c,
        &first,
        "MAJORITY_OF_PRESENT",
        vec![
            cast(&c.mininter, "AGAINST"),
            cast(&c.mimp, "AGAINST"),
            cast(&c.pnp, "AGAINST"),
        ],
    )
    .await;
    assert_eq!(again.code(), "CONFLICT");
    let again = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            CONSENSUS,
            json!({ "id": first }),
        )
        .await;
    assert_eq!(again.code(), "CONFLICT");
    assert_eq!(
        decision(&c, &first).await,
        json!({ "result": "ADOPTED", "votesFor": 2 })
    );

    // Only the secretariat records decisions.
    let second = agreement(&c, &session, "Encargar el informe anual").await;
    let refused = c
        .app
        .graphql(Some(&c.mimp_user.token), CONSENSUS, json!({ "id": second }))
        .await;
    assert_eq!(refused.code(), "FORBIDDEN");
}

#[tokio::test]
async fn a_tie_is_no_majority_and_consensus_is_recorded_as_such() {
    let c = Commission::new().await;
    let session = c.schedule("ORDINARY", -Duration::hours(1), None).await;
    for agency in [&c.mininter, &c.mimp, &c.pnp, &c.minsa] {
        c.attend(&session, agency, "PRESENT").await;
    }
    let tied = agreement(&c, &session, "Crear una subcomisión regional").await;
    let tie = vote(
        &c,
        &tied,
        "MAJORITY_OF_PRESENT",
        all_four(&c, ["FOR", "FOR", "AGAINST", "AGAINST"]),
    )
    .await;
    let tie = &tie.data()["recordVote"]["agreement"]["decision"];
    assert_eq!(tie["result"], "REJECTED");
    assert_eq!(
        (&tie["votesFor"], &tie["votesAgainst"]),
        (&json!(2), &json!(2))
    );

    let unanimous = agreement(&c, &session, "Saludar la labor de la PNP").await;
    let short = vote(
        &c,
        &unanimous,
        "UNANIMITY",
        all_four(&c, ["FOR", "FOR", "FOR", "ABSTAIN"]),
    )
    .await;
    let short = &short.data()["recordVote"]["agreement"]["decision"];
    assert_eq!(
        (&short["result"], &short["abstentions"]),
        (&json!("REJECTED"), &json!(1))
    );

    let agreed = agreement(&c, &session, "Aprobar el cronograma").await;
    let consensus = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            CONSENSUS,
            json!({ "id": agreed }),
        )
        .await;
    assert_eq!(
        consensus.data()["recordConsensus"]["agreement"]["decision"],
        json!({ "method": "CONSENSUS", "rule": null, "result": "ADOPTED",
                "quorumRequired": 3, "quorumPresent": 4, "votes": [] })
    );
}
