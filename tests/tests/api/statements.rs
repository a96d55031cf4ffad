//! Nested lists load in batches that follow the query's shape: a request returning ten
//! items with their agencies, supporters and history costs exactly as many SQL statements
//! as the same request returning a thousand.

use chrono::Duration;
use cmnp_domain::action_item::NewActionItem;
use cmnp_domain::agency::Membership;
use cmnp_tests::TestApp;
use serde_json::json;

use crate::work::lima_today;

/// Every list and object a client might nest under agencies' action items.
const NESTED: &str = "{ agencies(first: 10) { edges { node { acronym representatives { name }
    actionItems(first: 100) { edges { node { reference responsible { acronym } supporting { acronym }
      history { note statusTo author { name } agency { acronym } } agreement { number } project { title } } } } } } } }";

/// An app with ten agencies, each responsible for `per_agency` items supported by the
/// next agency; returns the app, a secretariat token and the statements the nested query
/// took on its second run (the first also marks the token as used).
async fn measured(per_agency: usize) -> (usize, u64) {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let mut agencies = Vec::new();
    for i in 0..10 {
        agencies.push(app.agency(&format!("AG{i}"), Membership::Member).await);
    }
    let today = lima_today();
    for (i, agency) in agencies.iter().enumerate() {
        let supporter = agencies[(i + 1) % agencies.len()].id;
        for n in 0..per_agency {
            let new = NewActionItem::parse(
                &format!("Compromiso {n}"),
                None,
                agency.id,
                vec![supporter],
                today + Duration::days(i64::try_from(n).unwrap() + 1),
            )
            .unwrap();
            app.store
                .create_action_item(None, new, today)
                .await
                .unwrap();
        }
    }
    let token = Some(secretariat.token.as_str());
    app.graphql(token, NESTED, json!({})).await;
    let before = app.store.statements_executed();
    let answer = app.graphql(token, NESTED, json!({})).await;
    let statements = app.store.statements_executed() - before;
    let rows: usize = answer.data()["agencies"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|agency| {
            agency["node"]["actionItems"]["edges"]
                .as_array()
                .unwrap()
                .len()
        })
        .sum();
    (rows, statements)
}

#[tokio::test]
async fn nested_lists_are_loaded_in_batches_not_per_item() {
    let (few_rows, few) = measured(1).await;
    let (many_rows, many) = measured(100).await;
    eprintln!("{few_rows} items: {few} statements; {many_rows} items: {many} statements");
    assert_eq!((few_rows, many_rows), (10, 1_000));
    assert_eq!(
        few, many,
        "{few} statements for {few_rows} items but {many} for {many_rows}"
    );
}
