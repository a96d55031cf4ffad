//! Nested lists that grow are bounded: an item's `history` shows its latest 100 updates
//! and `updates` pages through every one, batched across items; a project's transactions
//! and an indicator's periods stop at their documented bounds with an error naming the
//! field, and nothing already recorded is lost.

use chrono::Duration;
use serde_json::{Value, json};

use crate::work::{Commission, lima_today};

const UPDATE: &str = "mutation ($id: ID!, $v: Int!, $note: String!) { updateActionItem(input: { id: $id, expectedVersion: $v, note: $note }) { actionItem { version } } }";
const PAGE: &str =
    "query ($id: ID!, $after: String) { actionItem(id: $id) { updates(first: 40, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { note } } } } }";

fn notes(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["note"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn history_shows_the_latest_hundred_and_updates_pages_through_all() {
    let c = Commission::new().await;
    let item = c
        .item(&c.mimp, lima_today() + Duration::days(30), &[])
        .await;
    let other = c.item(&c.pnp, lima_today() + Duration::days(40), &[]).await;
    let id = item["id"].as_str().unwrap();
    let mut version = item["version"].as_i64().unwrap();
    for n in 1..=104 {
        let data = c
            .as_secretariat(
                UPDATE,
                json!({ "id": id, "v": version, "note": format!("avance {n}") }),
            )
            .await;
        version = data["updateActionItem"]["actionItem"]["version"]
            .as_i64()
            .unwrap();
    }

    // The creation entry and 104 updates: history shows the latest 100, oldest first.
    let read = c
        .as_secretariat(
            "query ($id: ID!) { actionItem(id: $id) { history { note } } }",
            json!({ "id": id }),
        )
        .await;
    let history = notes(&read["actionItem"]["history"]);
    let expected: Vec<String> = (5..=104).map(|n| format!("avance {n}")).collect();
    assert_eq!(history, expected);

    // `updates` pages through every entry, in order, once each, and counts them.
    let mut all = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = c
            .as_secretariat(PAGE, json!({ "id": id, "after": after }))
            .await;
        let updates = &page["actionItem"]["updates"];
        assert_eq!(updates["totalCount"], 105);
        all.extend(
            updates["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|edge| edge["node"]["note"].as_str().unwrap_or_default().to_owned()),
        );
        if updates["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = updates["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(all.len(), 105);
    assert_eq!(
        all[1..],
        (1..=104).map(|n| format!("avance {n}")).collect::<Vec<_>>()
    );

    // Under a list of items, each item gets its own first page.
    let nested = c
        .as_secretariat(
            "{ actionItems(first: 10) { edges { node { id updates(first: 2) { totalCount edges { node { note } } } } } } }",
            json!({}),
        )
        .await;
    let pages: Vec<(String, u64, usize)> = nested["actionItems"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| {
            let updates = &edge["node"]["updates"];
            (
                edge["node"]["id"].as_str().unwrap().to_owned(),
                updates["totalCount"].as_u64().unwrap(),
                updates["edges"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert!(pages.contains(&(id.to_owned(), 105, 2)), "{pages:?}");
    let other_id = other["id"].as_str().unwrap().to_owned();
    assert!(pages.contains(&(other_id, 1, 1)), "{pages:?}");

    // A cursor from another list is refused by name.
    let bad = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            PAGE,
            json!({ "id": id, "after": "not-a-cursor" }),
        )
        .await;
    assert_eq!((bad.code(), bad.field()), ("BAD_USER_INPUT", "after"));
}
