//! Relay global object identification on the demo commission: `node(id:)` answers every
//! object type that has an id, as each role sees it through the type's own fields, and
//! `nodes(ids:)` answers the same in order.

use std::collections::{BTreeMap, BTreeSet};

use cmnp_server::demo;
use cmnp_tests::TestApp;
use serde_json::{Value, json};

/// What each role reads through the types' own fields: every object type with an id, with
/// its type name.
const LISTS: [&str; 9] = [
    "{ agencies(first: 100) { edges { node { __typename id } } } }",
    "{ agencies(first: 100) { edges { node { representatives { __typename id } } } } }",
    "{ meetings(first: 100) { edges { node { __typename id agenda { __typename id } agreements { __typename id }
        minutes { observations { __typename id } } } } } }",
    "{ actionItems(first: 100) { edges { node { __typename id } } } }",
    "{ projects(first: 100) { edges { node { __typename id budgetLines { __typename id }
        transactions { __typename id } results { __typename id indicators { __typename id } }
        milestones { __typename id } actionItems { __typename id } } } } }",
    "{ users(first: 100) { edges { node { __typename id apiTokens { __typename id } } } } }",
    "{ me { __typename id apiTokens { __typename id } } }",
    "{ auditEvents(first: 100) { edges { node { __typename id } } } }",
    "{ emailDeliveries(first: 100) { edges { node { __typename id } } } }",
];

/// Every `(id, __typename)` pair in `value`.
fn objects(value: &Value, into: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(fields) => {
            if let (Some(Value::String(id)), Some(Value::String(kind))) =
                (fields.get("id"), fields.get("__typename"))
            {
                into.insert(id.clone(), kind.clone());
            }
            fields.values().for_each(|field| objects(field, into));
        }
        Value::Array(values) => values.iter().for_each(|value| objects(value, into)),
        _ => {}
    }
}

/// What `token` reads through the lists; a list it may not read adds nothing.
async fn listed(app: &TestApp, token: &str) -> BTreeMap<String, String> {
    let mut seen = BTreeMap::new();
    for list in LISTS {
        let answer = app.graphql(Some(token), list, json!({})).await;
        objects(&answer.body["data"], &mut seen);
    }
    seen
}

#[tokio::test]
async fn node_answers_every_type_as_each_role_reads_it_through_its_own_fields() {
    let app = TestApp::spawn().await;
    demo::load(&app.store, app.config.time_zone, app.config.quorum_rule)
        .await
        .unwrap();
    let mut tokens = BTreeMap::new();
    for email in [
        "secretaria@cmnp.example",
        "mimp@cmnp.example",
        "oim@cmnp.example",
        "prm@cmnp.example",
    ] {
        let login = app
            .graphql(
                None,
                "mutation ($email: String!, $password: String!) {
                    login(input: { email: $email, password: $password }) { token } }",
                json!({ "email": email, "password": demo::DEMO_PASSWORD }),
            )
            .await;
        tokens.insert(
            email,
            login.data()["login"]["token"].as_str().unwrap().to_owned(),
        );
    }
    // A token of MIMP's, so that an ApiToken is among the objects.
    app.graphql(
        Some(&tokens["mimp@cmnp.example"]),
        "mutation { createApiToken(input: { name: \"seguimiento\" }) { token } }",
        json!({}),
    )
    .await
    .data();
    let everything = listed(&app, &tokens["secretaria@cmnp.example"]).await;
    let types: BTreeSet<&str> = everything.values().map(String::as_str).collect();
    assert_eq!(
        types,
        BTreeSet::from([
            "ActionItem",
            "Agency",
            "AgendaItem",
            "Agreement",
            "ApiToken",
            "AuditEvent",
            "BudgetLine",
            "EmailDelivery",
            "Indicator",
            "Meeting",
            "Milestone",
            "Observation",
            "Project",
            "ProjectResult",
            "Representative",
            "Transaction",
            "User",
        ]),
        "the demo has an object of every Node type"
    );

    for (email, token) in &tokens {
        let own = listed(&app, token).await;
        let mut wrong = Vec::new();
        for (id, kind) in &everything {
            let answer = app
                .graphql(
                    Some(token),
                    "query ($id: ID!) { node(id: $id) { __typename id } }",
                    json!({ "id": id }),
                )
                .await;
            let node = &answer.data()["node"];
            let expected = own.get(id).map(|_| json!({ "__typename": kind, "id": id }));
            let observed = (!node.is_null()).then(|| node.clone());
            if expected != observed {
                wrong.push(format!(
                    "{kind} {id}: expected {expected:?}, got {observed:?}"
                ));
            }
        }
        assert!(wrong.is_empty(), "{email}: {wrong:#?}");
        assert!(!own.is_empty(), "{email} reads something");

        // `nodes` answers the same, in the order asked, with null where `node` has null.
        let ids: Vec<&String> = everything.keys().take(100).collect();
        let answer = app
            .graphql(
                Some(token),
                "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                json!({ "ids": ids }),
            )
            .await;
        let answered: Vec<Option<&str>> = answer.data()["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|node| node["id"].as_str())
            .collect();
        let expected: Vec<Option<&str>> = ids
            .iter()
            .map(|id| own.contains_key(*id).then_some(id.as_str()))
            .collect();
        assert_eq!(answered, expected, "{email}");
    }

    // The objects of `nodes` are read by type, in batches: agencies, sessions, projects
    // and users cost one statement per type (after authentication and the lookup of the
    // ids' tables), however many ids there are.
    let batched: Vec<&String> = everything
        .iter()
        .filter(|(_, kind)| ["Agency", "Meeting", "Project", "User"].contains(&kind.as_str()))
        .map(|(id, _)| id)
        .collect();
    assert!(batched.len() > 20, "{}", batched.len());
    let before = app.store.statements_executed();
    let answer = app
        .graphql(
            Some(&tokens["secretaria@cmnp.example"]),
            "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": batched }),
        )
        .await;
    let statements = app.store.statements_executed() - before;
    assert!(
        answer.data()["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|node| !node.is_null())
    );
    assert!(
        statements <= 6,
        "{} ids took {statements} statements",
        batched.len()
    );

    // Ids that name nothing are null; what is not an id is refused by name.
    let secretariat = &tokens["secretaria@cmnp.example"];
    let nothing = app
        .graphql(
            Some(secretariat),
            "{ node(id: \"01890000-0000-7000-8000-000000000000\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(nothing.data()["node"], Value::Null);
    let garbage = app
        .graphql(
            Some(secretariat),
            "{ nodes(ids: [\"x\"]) { id } }",
            json!({}),
        )
        .await;
    assert_eq!((garbage.code(), garbage.field()), ("BAD_USER_INPUT", "ids"));
    let anonymous = app
        .graphql(None, "{ node(id: \"x\") { id } }", json!({}))
        .await;
    assert_eq!(anonymous.code(), "UNAUTHENTICATED");
}
