//! Concurrent changes to one session are applied one after the other, on both databases.

use chrono::Duration;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::work::Commission;

async fn concurrently(c: &Commission, requests: Vec<(String, Value)>) -> Vec<Value> {
    let mut tasks = Vec::new();
    for (query, variables) in requests {
        let router = c.app.router.clone();
        let token = c.secretariat.token.clone();
        tasks.push(tokio::spawn(async move {
            let response = router
                .oneshot(
                    axum::http::Request::post("/graphql")
                        .header("content-type", "application/json")
                        .header("authorization", format!("Bearer {token}"))
                        .body(axum::body::Body::from(
                            json!({ "query": query, "variables": variables }).to_string(),
                        ))
                        .unwrap(),
                )
                .await
                .unwrap();
            let body = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            serde_json::from_slice::<Value>(&body).unwrap()
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

#[tokio::test]
async fn concurrent_agenda_additions_keep_positions_contiguous() {
    let c = Commission::new().await;
    let meeting = c.schedule("EXTRAORDINARY", Duration::days(3), None).await;
    let query = "mutation ($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { meeting { id } } }".to_owned();
    let requests = (0..8)
        .map(|i| (query.clone(), json!({ "input": { "meetingId": meeting["id"], "title": format!("Punto {i}"), "position": 1 } })))
        .collect();
    for result in concurrently(&c, requests).await {
        assert!(result.get("errors").is_none(), "{result}");
    }
    let agenda = c
        .as_secretariat(
            "query ($id: ID!) { meeting(id: $id) { agenda { position } } }",
            json!({ "id": meeting["id"] }),
        )
        .await;
    let positions: Vec<i64> = agenda["meeting"]["agenda"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, (1..=8).collect::<Vec<i64>>());
}

#[tokio::test]
async fn concurrent_changes_each_advance_the_calendar_sequence() {
    let c = Commission::new().await;
    let meeting = c.schedule("ORDINARY", Duration::days(3), None).await;
    let query = "mutation ($input: UpdateMeetingInput!) { updateMeeting(input: $input) { meeting { sequence } } }".to_owned();
    let requests = (0..6)
        .map(|i| (query.clone(), json!({ "input": { "id": meeting["id"], "title": format!("Sesión, versión {i}") } })))
        .collect();
    let mut sequences: Vec<i64> = concurrently(&c, requests)
        .await
        .iter()
        .map(|result| {
            result["data"]["updateMeeting"]["meeting"]["sequence"]
                .as_i64()
                .unwrap()
        })
        .collect();
    sequences.sort_unstable();
    assert_eq!(
        sequences,
        [1, 2, 3, 4, 5, 6],
        "every change invitees hear about gets its own sequence"
    );
}
