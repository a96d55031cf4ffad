//! Faults under load: the database dropping every connection while clients read and
//! write. Every request is answered in time, failures are clean errors, the service
//! recovers by itself, and every write it confirmed is kept.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use cmnp_tests::{TestApp, graphql_request};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use tower::ServiceExt;

/// How long a request may take at most: the configured request timeout, and a margin.
const PATIENCE: Duration = Duration::from_secs(35);

#[derive(Debug, Default)]
struct Tally {
    confirmed: Vec<String>,
    failed_writes: usize,
    reads: usize,
    failed_reads: usize,
    codes: Vec<String>,
}

#[tokio::test]
#[ignore = "needs PostgreSQL: run with TEST_DATABASE_URL and --include-ignored"]
async fn postgres_dropping_every_connection_under_load_loses_no_confirmed_write() {
    let admin_url = cmnp_tests::required("TEST_DATABASE_URL", "a PostgreSQL server");
    let app = TestApp::spawn().await;
    let database = app
        .database
        .name()
        .expect("the test database is on PostgreSQL")
        .to_owned();
    let secretariat = app.secretariat().await;
    let admin = Database::connect(&admin_url).await.unwrap();

    // Another connection drops every session of the test database, again and again,
    // as a restarting server would.
    let stop = Arc::new(AtomicBool::new(false));
    let killer = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut rounds = 0;
            while !stop.load(Ordering::Relaxed) {
                admin
                    .execute_unprepared(&format!(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                         WHERE datname = '{database}' AND pid <> pg_backend_pid()"
                    ))
                    .await
                    .unwrap();
                rounds += 1;
                tokio::time::sleep(Duration::from_millis(40)).await;
            }
            rounds
        })
    };

    let mut clients = Vec::new();
    for client in 0..4 {
        let router = app.router.clone();
        let token = secretariat.token.clone();
        clients.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            for i in 0..30 {
                let acronym = format!("F{client}X{i}");
                let write = call(
                    &router,
                    &token,
                    "mutation ($a: String!) { createAgency(input: { acronym: $a, name: \"Entidad\", kind: MINISTRY, membership: MEMBER }) { agency { acronym } } }",
                    json!({ "a": acronym }),
                )
                .await;
                if write["data"]["createAgency"]["agency"]["acronym"] == acronym.as_str() {
                    tally.confirmed.push(acronym);
                } else {
                    tally.failed_writes += 1;
                    tally.codes.push(code(&write));
                }
                let read = call(
                    &router,
                    &token,
                    "{ agencies(first: 5) { edges { node { id } } } }",
                    json!({}),
                )
                .await;
                tally.reads += 1;
                if read["errors"].is_array() {
                    tally.failed_reads += 1;
                    tally.codes.push(code(&read));
                }
            }
            tally
        }));
    }
    let mut tallies = Vec::new();
    for client in clients {
        tallies.push(client.await.unwrap());
    }
    stop.store(true, Ordering::Relaxed);
    let rounds = killer.await.unwrap();

    let confirmed: Vec<&String> = tallies.iter().flat_map(|t| &t.confirmed).collect();
    let failed_writes: usize = tallies.iter().map(|t| t.failed_writes).sum();
    let failed_reads: usize = tallies.iter().map(|t| t.failed_reads).sum();
    let reads: usize = tallies.iter().map(|t| t.reads).sum();
    let codes: Vec<&String> = tallies.iter().flat_map(|t| &t.codes).collect();
    eprintln!(
        "connections dropped {rounds} times; writes: {} confirmed, {failed_writes} failed; reads: {reads}, {failed_reads} failed",
        confirmed.len()
    );
    // A failure is a clean, coded error: the database's trouble, not the client's.
    assert!(
        codes
            .iter()
            .all(|c| *c == "INTERNAL" || *c == "UNAUTHENTICATED"),
        "{codes:?}"
    );

    // The service recovers by itself, and every confirmed write is there (read page by
    // page: up to 120 agencies may have been written).
    let stored = app.agency_acronyms(&secretariat.token).await;
    let lost: Vec<&&String> = confirmed.iter().filter(|a| !stored.contains(a)).collect();
    assert!(lost.is_empty(), "confirmed writes lost: {lost:?}");
    assert!(stored.len() <= confirmed.len() + failed_writes);
}

/// One GraphQL request through the router; it must be answered within [`PATIENCE`].
async fn call(router: &Router, token: &str, query: &str, variables: Value) -> Value {
    let request = graphql_request(token, query, variables);
    let response = tokio::time::timeout(PATIENCE, router.clone().oneshot(request))
        .await
        .expect("no request hangs")
        .unwrap();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&body)
        .unwrap_or_else(|_| json!({ "errors": [{ "extensions": { "code": "NOT_JSON" } }] }))
}

fn code(answer: &Value) -> String {
    answer["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("NONE")
        .to_owned()
}

#[tokio::test]
async fn concurrent_writers_are_serialised_without_busy_errors_or_lost_updates() {
    let c = crate::work::Commission::new().await;
    let token = c.secretariat.token.clone();
    // Forty writers at once: on SQLite they queue for the write lock instead of failing.
    let creations: Vec<(String, Value)> = (0..40)
        .map(|i| {
            (
                "mutation ($a: String!) { createAgency(input: { acronym: $a, name: \"Entidad\", kind: MINISTRY, membership: MEMBER }) { agency { id } } }".to_owned(),
                json!({ "a": format!("W{i}") }),
            )
        })
        .collect();
    let answers = cmnp_tests::concurrently(&c.app, &token, creations).await;
    let failed: Vec<&Value> = answers.iter().filter(|a| a["errors"].is_array()).collect();
    assert!(failed.is_empty(), "{failed:?}");

    // Twenty updates of one item, all from the same version: one wins, the others are
    // told of the conflict, and none is silently overwritten.
    let item = c
        .item(
            &c.mimp,
            crate::work::lima_today() + chrono::Duration::days(30),
            &[],
        )
        .await;
    let updates: Vec<(String, Value)> = (0..20)
        .map(|i| {
            (
                "mutation ($id: ID!, $v: Int!, $p: Int!) { updateActionItem(input: { id: $id, expectedVersion: $v, progressPercent: $p }) { actionItem { version progressPercent } } }".to_owned(),
                json!({ "id": item["id"], "v": item["version"], "p": i + 1 }),
            )
        })
        .collect();
    let answers = cmnp_tests::concurrently(&c.app, &token, updates).await;
    let won: Vec<&Value> = answers.iter().filter(|a| !a["errors"].is_array()).collect();
    let conflicts = answers
        .iter()
        .filter(|a| a["errors"][0]["extensions"]["code"] == "CONFLICT")
        .count();
    assert_eq!(won.len(), 1, "{answers:?}");
    assert_eq!(conflicts, 19);
    let stored = c
        .as_secretariat(
            "query ($id: ID!) { actionItem(id: $id) { version progressPercent history { progressPercent } } }",
            json!({ "id": item["id"] }),
        )
        .await;
    assert_eq!(
        stored["actionItem"]["progressPercent"],
        won[0]["data"]["updateActionItem"]["actionItem"]["progressPercent"]
    );
}
