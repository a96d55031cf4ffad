//! A bounded soak: the three roles read and write at once through the real router, and
//! not one request fails. (Longer soaks with memory measured belong in `bench/`.)

use cmnp_server::demo;
use cmnp_tests::TestApp;
use serde_json::{Value, json};

const ROUNDS: usize = 60;

fn errors(answers: &[Value]) -> Vec<&Value> {
    answers.iter().filter(|a| a["errors"].is_array()).collect()
}

#[tokio::test]
async fn three_roles_reading_and_writing_at_once_get_no_error() {
    let app = TestApp::spawn().await;
    demo::load(&app.store, app.config.time_zone, app.config.quorum_rule)
        .await
        .unwrap();
    let secretariat = app.demo_token("secretaria@cmnp.example").await;
    let mimp = app.demo_token("mimp@cmnp.example").await;
    let prm = app.demo_token("prm@cmnp.example").await;
    let me = app
        .graphql(Some(&mimp), "{ me { agency { id } } }", json!({}))
        .await;
    let item = app
        .graphql(
            Some(&mimp),
            "query ($a: ID!) { actionItems(first: 1, filter: { responsibleAgencyId: $a, status: [IN_PROGRESS] }) { edges { node { id } } } }",
            json!({ "a": me.data()["me"]["agency"]["id"] }),
        )
        .await;
    let item_id = item.data()["actionItems"]["edges"][0]["node"]["id"].clone();

    let mut requests = 0;
    let mut failures = Vec::new();
    for round in 0..ROUNDS {
        // Each round sends, at once, what the three roles do all day.
        let reads_and_creations = vec![
            (
                "{ meetings(first: 10) { edges { node { label agenda { title } quorum { present required } } } } }".to_owned(),
                json!({}),
            ),
            (
                "{ actionItems(first: 50, filter: { overdue: true }) { totalCount edges { node { reference responsible { acronym } history { note } } } } }".to_owned(),
                json!({}),
            ),
            (
                "mutation ($a: String!) { createAgency(input: { acronym: $a, name: \"Entidad\", kind: MINISTRY, membership: PARTNER }) { agency { id } } }".to_owned(),
                json!({ "a": format!("SOAK{round}") }),
            ),
        ];
        let donor_reads = vec![(
            "{ projects(first: 10) { edges { node { title budget spent results { indicators { target actual } } } } } }".to_owned(),
            json!({}),
        ); 3];
        let agency_reads = vec![(
            "{ actionItems(first: 20) { edges { node { reference status dueOn supporting { acronym } } } } }".to_owned(),
            json!({}),
        ); 2];
        let (a, b, c) = tokio::join!(
            cmnp_tests::concurrently(&app, &secretariat, reads_and_creations),
            cmnp_tests::concurrently(&app, &prm, donor_reads),
            cmnp_tests::concurrently(&app, &mimp, agency_reads),
        );
        // The agency reports progress on its own item, with the version it just read.
        let current = app
            .graphql(
                Some(&mimp),
                "query ($id: ID!) { actionItem(id: $id) { version } }",
                json!({ "id": item_id }),
            )
            .await;
        let update = app
            .graphql(
                Some(&mimp),
                "mutation ($id: ID!, $v: Int!, $n: String!) { updateActionItem(input: { id: $id, expectedVersion: $v, note: $n }) { actionItem { version } } }",
                json!({ "id": item_id, "v": current.data()["actionItem"]["version"], "n": format!("Avance {round}") }),
            )
            .await;
        requests += a.len() + b.len() + c.len() + 2;
        for answer in errors(&a).into_iter().chain(errors(&b)).chain(errors(&c)) {
            failures.push(answer.clone());
        }
        if update.body["errors"].is_array() {
            failures.push(update.body.clone());
        }
    }
    eprintln!("soak: {requests} requests, {} errors", failures.len());
    assert!(failures.is_empty(), "{failures:#?}");
    let history = app
        .graphql(
            Some(&mimp),
            "query ($id: ID!) { actionItem(id: $id) { history { note } } }",
            json!({ "id": item_id }),
        )
        .await;
    let notes = history.data()["actionItem"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["note"].as_str().is_some_and(|n| n.starts_with("Avance ")))
        .count();
    assert_eq!(notes, ROUNDS, "every update is in the history");
}
