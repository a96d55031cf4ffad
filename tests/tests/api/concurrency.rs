//! Concurrent changes to one session are applied one after the other, on both databases.

use chrono::Duration;
use serde_json::json;

use crate::work::Commission;

#[tokio::test]
async fn concurrent_agenda_additions_keep_positions_contiguous() {
    let c = Commission::new().await;
    let meeting = c.schedule("EXTRAORDINARY", Duration::days(3), None).await;
    let query = "mutation ($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { meeting { id } } }".to_owned();
    let requests = (0..8)
        .map(|i| (query.clone(), json!({ "input": { "meetingId": meeting["id"], "title": format!("Punto {i}"), "position": 1 } })))
        .collect();
    for result in cmnp_tests::concurrently(&c.app, &c.secretariat.token, requests).await {
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
    let mut sequences: Vec<i64> = cmnp_tests::concurrently(&c.app, &c.secretariat.token, requests)
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
