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

/// The nested query of the query engine's benchmark: twenty agencies with their
/// representatives and a page of their items, each with its agencies, agreement and
/// history.
const AGENCY_PAGES: &str = "{ agencies(first: 20) { edges { node { acronym representatives { name }
    actionItems(first: 50) { totalCount edges { node { reference status dueOn overdue responsible { acronym }
      supporting { acronym } agreement { number } history { note statusTo } } } } } } } }";

/// What one request cost.
struct Cost {
    /// Items listed.
    rows: usize,
    statements: u64,
    /// Connections taken from the pool.
    connections: u64,
}

/// An app with `agency_count` agencies, each responsible for `per_agency` items supported
/// by the next agency; returns what `query` cost on its second run (the first also marks
/// the token as used).
async fn measured(query: &str, agency_count: usize, per_agency: usize) -> Cost {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let mut agencies = Vec::new();
    for i in 0..agency_count {
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
    app.graphql(token, query, json!({})).await;
    let (before, held) = (
        app.store.statements_executed(),
        app.store.connections_held(),
    );
    let answer = app.graphql(token, query, json!({})).await;
    let statements = app.store.statements_executed() - before;
    let connections = app.store.connections_held() - held;
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
    Cost {
        rows,
        statements,
        connections,
    }
}

#[tokio::test]
async fn nested_lists_are_loaded_in_batches_not_per_item() {
    let Cost {
        rows: few_rows,
        statements: few,
        ..
    } = measured(NESTED, 10, 1).await;
    let Cost {
        rows: many_rows,
        statements: many,
        ..
    } = measured(NESTED, 10, 100).await;
    eprintln!("{few_rows} items: {few} statements; {many_rows} items: {many} statements");
    assert_eq!((few_rows, many_rows), (10, 1_000));
    assert_eq!(
        few, many,
        "{few} statements for {few_rows} items but {many} for {many_rows}"
    );
}

#[tokio::test]
async fn a_page_of_items_under_every_agency_is_one_read_for_all_of_them_on_one_connection() {
    // Ten agencies with one item each, then twenty with fifty: 10 items, then 1,000.
    let few = measured(AGENCY_PAGES, 10, 1).await;
    let many = measured(AGENCY_PAGES, 20, 50).await;
    eprintln!(
        "{} items: {} statements; {} items: {} statements",
        few.rows, few.statements, many.rows, many.statements
    );
    assert_eq!((few.rows, many.rows), (10, 1_000));
    assert_eq!(
        few.statements, many.statements,
        "{} statements for {} items under 10 agencies, {} for {} under 20",
        few.statements, few.rows, many.statements, many.rows
    );
    assert!(many.statements <= 12, "{} statements", many.statements);
    // Authentication and every level of the query read through one pooled connection.
    assert_eq!((few.connections, many.connections), (1, 1));
}

#[tokio::test]
async fn the_page_under_each_agency_is_the_page_its_own_list_gives() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let token = Some(secretariat.token.as_str());
    let today = lima_today();
    let mut agencies = Vec::new();
    for i in 0..4 {
        agencies.push(app.agency(&format!("AG{i}"), Membership::Member).await);
    }
    // 0, 2, 4 and 6 items, on interleaved due dates, some on the same day.
    for (i, agency) in agencies.iter().enumerate() {
        for n in 0..2 * i {
            let due = today + Duration::days(i64::try_from(n / 2 + i).unwrap());
            let new =
                NewActionItem::parse(&format!("C{i}-{n}"), None, agency.id, vec![], due).unwrap();
            app.store
                .create_action_item(None, new, today)
                .await
                .unwrap();
        }
    }
    let nested = "query ($after: String) { agencies { edges { node { id actionItems(first: 3, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { reference dueOn } } } } } } }";
    let own = "query ($id: ID!, $after: String) { actionItems(first: 3, after: $after, filter: { responsibleAgencyId: $id }) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { reference dueOn } } } }";
    // The first page, then the page after the second item of the agency with the most.
    let first = app.graphql(token, nested, json!({})).await;
    let busiest = first.data()["agencies"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| &edge["node"]["actionItems"])
        .max_by_key(|items| items["totalCount"].as_u64())
        .unwrap()
        .clone();
    let cursor = busiest["edges"][1]["cursor"].clone();
    for after in [json!(null), cursor] {
        let answer = app.graphql(token, nested, json!({ "after": after })).await;
        let edges = answer.data()["agencies"]["edges"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(edges.len(), 4);
        for edge in edges {
            let id = &edge["node"]["id"];
            let alone = app
                .graphql(token, own, json!({ "id": id, "after": after }))
                .await;
            assert_eq!(
                edge["node"]["actionItems"],
                alone.data()["actionItems"],
                "agency {id} after {after}"
            );
        }
    }
}

#[tokio::test]
async fn sqlite_gets_statistics_for_its_planner() {
    let app = TestApp::spawn().await;
    let agency = app.agency("AG0", Membership::Member).await;
    let today = lima_today();
    for n in 0..50 {
        let new = NewActionItem::parse(
            &format!("C{n}"),
            None,
            agency.id,
            vec![],
            today + Duration::days(n),
        )
        .unwrap();
        app.store
            .create_action_item(None, new, today)
            .await
            .unwrap();
    }
    app.store.optimize().await.unwrap();
    if app.store.backend() == cmnp_store::Backend::Sqlite {
        use sea_orm::ConnectionTrait;
        let analysed = app
            .store
            .connection()
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "SELECT count(*) AS n FROM sqlite_stat1 WHERE tbl = 'action_items'",
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get::<i64>("", "n")
            .unwrap();
        assert!(analysed > 0, "no statistics for action_items");
    }
}
