//! Action items: status moves, who may change what, concurrency, overdue, filters.

use chrono::Duration;
use serde_json::{Value, json};

use crate::work::{Commission, UPDATE_ITEM, lima_today};

async fn update(c: &Commission, token: &str, item: &Value, changes: Value) -> cmnp_tests::Gql {
    let input = cmnp_tests::merged(
        &json!({ "id": item["id"], "expectedVersion": item["version"] }),
        changes,
    );
    c.app
        .graphql(Some(token), UPDATE_ITEM, json!({ "input": input }))
        .await
}

#[tokio::test]
async fn status_moves_follow_the_design_and_bad_moves_name_the_move() {
    let c = Commission::new().await;
    let item = c
        .item(&c.mimp, lima_today() + Duration::days(10), &[])
        .await;
    let token = c.mimp_user.token.clone();

    let progress = update(
        &c,
        &token,
        &item,
        json!({ "status": "IN_PROGRESS", "progressPercent": 30 }),
    )
    .await;
    let item = progress.data()["updateActionItem"]["actionItem"].clone();
    assert_eq!(item["version"], 2);
    let blocked = update(
        &c,
        &token,
        &item,
        json!({ "status": "BLOCKED", "note": "Falta presupuesto" }),
    )
    .await;
    let item = blocked.data()["updateActionItem"]["actionItem"].clone();

    let bad = update(&c, &token, &item, json!({ "status": "DONE" })).await;
    assert_eq!(bad.code(), "BAD_USER_INPUT");
    assert_eq!(bad.field(), "status");
    assert!(
        bad.error()["message"]
            .as_str()
            .unwrap()
            .contains("BLOCKED to DONE"),
        "{}",
        bad.body
    );

    let resumed = update(&c, &token, &item, json!({ "status": "IN_PROGRESS" })).await;
    let item = resumed.data()["updateActionItem"]["actionItem"].clone();
    let done = update(
        &c,
        &token,
        &item,
        json!({ "status": "DONE", "evidenceUrl": "https://example.org/informe.pdf" }),
    )
    .await;
    let item = done.data()["updateActionItem"]["actionItem"].clone();
    assert_eq!(item["progressPercent"], 100);
    assert_eq!(item["completedOn"], lima_today().to_string());

    let reopen = update(&c, &token, &item, json!({ "status": "IN_PROGRESS" })).await;
    assert_eq!(reopen.code(), "FORBIDDEN", "only the secretariat reopens");
    let reopened = update(
        &c,
        &c.secretariat.token,
        &item,
        json!({ "status": "IN_PROGRESS", "progressPercent": 80, "note": "Reabierto" }),
    )
    .await;
    let item = reopened.data()["updateActionItem"]["actionItem"].clone();
    assert_eq!(item["completedOn"], json!(null));

    let cancel_by_agency = c
        .app
        .graphql(
            Some(&token),
            "mutation ($id: ID!, $v: Int!) { cancelActionItem(input: { id: $id, expectedVersion: $v, reason: \"x\" }) { actionItem { id } } }",
            json!({ "id": item["id"], "v": item["version"] }),
        )
        .await;
    assert_eq!(cancel_by_agency.code(), "FORBIDDEN");
    let cancelled = c
        .as_secretariat(
            "mutation ($id: ID!, $v: Int!) { cancelActionItem(input: { id: $id, expectedVersion: $v, reason: \"Duplicado\" }) { actionItem { status cancelReason history { statusFrom statusTo note author { name } agency { acronym } } } } }",
            json!({ "id": item["id"], "v": item["version"] }),
        )
        .await;
    let item = &cancelled["cancelActionItem"]["actionItem"];
    assert_eq!(item["status"], "CANCELLED");
    let history = item["history"].as_array().unwrap();
    let moves: Vec<(Value, Value)> = history
        .iter()
        .map(|h| (h["statusFrom"].clone(), h["statusTo"].clone()))
        .collect();
    assert_eq!(
        moves,
        [
            (json!(null), json!("OPEN")),
            (json!("OPEN"), json!("IN_PROGRESS")),
            (json!("IN_PROGRESS"), json!("BLOCKED")),
            (json!("BLOCKED"), json!("IN_PROGRESS")),
            (json!("IN_PROGRESS"), json!("DONE")),
            (json!("DONE"), json!("IN_PROGRESS")),
            (json!("IN_PROGRESS"), json!("CANCELLED")),
        ],
        "the history keeps every move, refused ones excluded"
    );
    assert_eq!(history[2]["note"], "Falta presupuesto");
    assert_eq!(history[2]["agency"]["acronym"], "MIMP");
    assert_eq!(history[2]["author"]["name"], "User carmen@mimp.example");
}

#[tokio::test]
async fn concurrent_updates_with_the_same_version_let_exactly_one_win() {
    let c = Commission::new().await;
    let item = c
        .item(&c.mimp, lima_today() + Duration::days(10), &[])
        .await;
    let attempts = 8;
    let requests = (0..attempts)
        .map(|i| {
            let input = json!({ "input": { "id": item["id"], "expectedVersion": item["version"], "progressPercent": 10 + i, "note": format!("intento {i}") } });
            (UPDATE_ITEM.to_owned(), input)
        })
        .collect();
    let answers = cmnp_tests::concurrently(&c.app, &c.mimp_user.token, requests).await;
    let mut won = 0;
    let mut conflicts = 0;
    for body in answers {
        match body["errors"][0]["extensions"]["code"].as_str() {
            None => won += 1,
            Some("CONFLICT") => conflicts += 1,
            Some(other) => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((won, conflicts), (1, attempts - 1));
    let after = c
        .as_secretariat(
            "query ($id: ID!) { actionItem(id: $id) { version history { note } } }",
            json!({ "id": item["id"] }),
        )
        .await;
    assert_eq!(after["actionItem"]["version"], 2);
    assert_eq!(
        after["actionItem"]["history"].as_array().unwrap().len(),
        2,
        "creation and the one winning update"
    );
}

#[tokio::test]
async fn agencies_touch_only_their_items_and_supporters_only_add_notes() {
    let c = Commission::new().await;
    let item = c
        .item(&c.mimp, lima_today() + Duration::days(10), &[&c.pnp])
        .await;
    let pnp_status = update(
        &c,
        &c.pnp_user.token,
        &item,
        json!({ "status": "IN_PROGRESS" }),
    )
    .await;
    assert_eq!(pnp_status.code(), "FORBIDDEN");
    let pnp_note = update(
        &c,
        &c.pnp_user.token,
        &item,
        json!({ "note": "La PNP apoyará con instructores" }),
    )
    .await;
    assert_eq!(
        pnp_note.data()["updateActionItem"]["actionItem"]["status"],
        "OPEN"
    );
    let current = pnp_note.data()["updateActionItem"]["actionItem"].clone();

    let other = c
        .item(&c.minsa, lima_today() + Duration::days(10), &[])
        .await;
    let outsider = update(&c, &c.mimp_user.token, &other, json!({ "note": "x" })).await;
    assert_eq!(outsider.code(), "FORBIDDEN");
    // The outsider is refused before the version it names is compared: a stale one gets
    // the same answer as a current one, not CONFLICT.
    let stale_other = json!({ "id": other["id"], "version": 99 });
    let outsider = update(&c, &c.mimp_user.token, &stale_other, json!({ "note": "x" })).await;
    assert_eq!(outsider.code(), "FORBIDDEN", "{}", outsider.body);
    let replan = update(
        &c,
        &c.mimp_user.token,
        &current,
        json!({ "dueOn": "2030-01-01" }),
    )
    .await;
    assert_eq!(replan.code(), "FORBIDDEN");
    let create = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            "mutation ($a: ID!) { createActionItem(input: { title: \"x\", responsibleAgencyId: $a, dueOn: \"2030-01-01\" }) { actionItem { id } } }",
            json!({ "a": c.mimp.id.to_string() }),
        )
        .await;
    assert_eq!(create.code(), "FORBIDDEN");
    let stale = update(
        &c,
        &c.mimp_user.token,
        &item,
        json!({ "note": "versión vieja" }),
    )
    .await;
    assert_eq!(
        stale.code(),
        "CONFLICT",
        "the supporter's note moved the version"
    );
}

#[tokio::test]
async fn overdue_is_read_in_the_commissions_time_zone_and_filters_combine() {
    let c = Commission::new().await;
    let today = lima_today();
    let yesterday = c.item(&c.mimp, today - Duration::days(1), &[]).await;
    let due_today = c.item(&c.mimp, today, &[]).await;
    let later = c.item(&c.pnp, today + Duration::days(5), &[]).await;
    assert_eq!(yesterday["overdue"], true, "due yesterday in Lima");
    assert_eq!(due_today["overdue"], false, "due today is not yet overdue");
    assert_eq!(later["overdue"], false);

    let overdue = c
        .as_secretariat(
            "{ actionItems(filter: { overdue: true }) { totalCount edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(overdue["actionItems"]["totalCount"], 1);
    assert_eq!(
        overdue["actionItems"]["edges"][0]["node"]["id"],
        yesterday["id"]
    );

    let by_agency = c
        .as_secretariat(
            "query ($a: ID!) { actionItems(filter: { responsibleAgencyId: $a, overdue: false }) { totalCount } agency(id: $a) { actionItems { totalCount } } }",
            json!({ "a": c.mimp.id.to_string() }),
        )
        .await;
    assert_eq!(by_agency["actionItems"]["totalCount"], 1);
    assert_eq!(by_agency["agency"]["actionItems"]["totalCount"], 2);

    let due_before = c
        .as_secretariat("query ($d: Date!) { actionItems(filter: { dueBefore: $d }) { edges { node { id } } } }", json!({ "d": (today + Duration::days(1)).to_string() }))
        .await;
    let ids: Vec<&Value> = due_before["actionItems"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"]["id"])
        .collect();
    assert_eq!(
        ids,
        [&yesterday["id"], &due_today["id"]],
        "ordered by due date"
    );

    let page = c
        .as_secretariat(
            "{ actionItems(first: 2) { pageInfo { hasNextPage endCursor } } }",
            json!({}),
        )
        .await;
    let cursor = page["actionItems"]["pageInfo"]["endCursor"].clone();
    let rest = c
        .as_secretariat("query ($after: String) { actionItems(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage } } }", json!({ "after": cursor }))
        .await;
    assert_eq!(rest["actionItems"]["edges"][0]["node"]["id"], later["id"]);
    assert_eq!(rest["actionItems"]["pageInfo"]["hasNextPage"], false);
}

#[tokio::test]
async fn bad_action_items_are_refused_naming_the_field() {
    let c = Commission::new().await;
    let meeting = c.schedule("EXTRAORDINARY", Duration::hours(-1), None).await;
    let response = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            "mutation ($input: AdoptAgreementInput!) { adoptAgreement(input: $input) { agreement { id } } }",
            json!({ "input": { "meetingId": meeting["id"], "text": "Acuerdo", "actionItems": [
                { "title": "ok", "responsibleAgencyId": c.mimp.id.to_string(), "dueOn": "2030-01-01" },
                { "title": "bad", "responsibleAgencyId": uuid::Uuid::now_v7().to_string(), "dueOn": "2030-01-01" }
            ] } }),
        )
        .await;
    assert_eq!(response.code(), "BAD_USER_INPUT");
    assert_eq!(response.field(), "actionItems[1].responsibleAgencyId");
    let nothing = c.as_secretariat("query ($id: ID!) { meeting(id: $id) { agreements { id } } actionItems { totalCount } }", json!({ "id": meeting["id"] })).await;
    assert_eq!(
        nothing["meeting"]["agreements"],
        json!([]),
        "the agreement rolled back with its items"
    );
    assert_eq!(nothing["actionItems"]["totalCount"], 0);

    let item = c.item(&c.mimp, lima_today(), &[]).await;
    for (changes, field) in [
        (json!({ "progressPercent": 120 }), "progressPercent"),
        (json!({ "evidenceUrl": "not a link" }), "evidenceUrl"),
        (json!({}), "input"),
    ] {
        let response = update(&c, &c.secretariat.token, &item, changes.clone()).await;
        assert_eq!(response.code(), "BAD_USER_INPUT", "{changes}");
        assert_eq!(response.field(), field, "{changes}");
    }
}

#[tokio::test]
async fn outsiders_learn_nothing_and_links_must_exist() {
    let c = Commission::new().await;
    let item = c.item(&c.mimp, lima_today(), &[]).await;
    let prm = c
        .app
        .agency("PRM", cmnp_domain::agency::Membership::Partner)
        .await;
    let donor = c
        .app
        .user(
            "officer@prm.example",
            cmnp_domain::user::Role::Donor,
            Some(&prm),
        )
        .await;
    let stale = json!({ "id": item["id"], "expectedVersion": 99, "note": "x" });
    let response = c
        .app
        .graphql(Some(&donor.token), UPDATE_ITEM, json!({ "input": stale }))
        .await;
    assert_eq!(
        response.code(),
        "FORBIDDEN",
        "not CONFLICT, which would reveal the item"
    );
    let project = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            "mutation ($a: ID!, $p: ID!) { createActionItem(input: { title: \"x\", responsibleAgencyId: $a, dueOn: \"2030-01-01\", projectId: $p }) { actionItem { id } } }",
            json!({ "a": c.mimp.id.to_string(), "p": uuid::Uuid::now_v7().to_string() }),
        )
        .await;
    assert_eq!(project.code(), "BAD_USER_INPUT");
    assert_eq!(project.field(), "projectId");
}
