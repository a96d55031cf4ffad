//! Agencies: who may create and change them, validation, filters, pages, audit.

use cmnp_domain::agency::Membership;
use cmnp_domain::user::Role;
use cmnp_tests::TestApp;
use serde_json::{Value, json};

const CREATE: &str = "mutation ($input: CreateAgencyInput!) {
    createAgency(input: $input) { agency { id acronym name nameEn kind membership votes iatiRef active } }
}";

const UPDATE: &str = "mutation ($input: UpdateAgencyInput!) {
    updateAgency(input: $input) { agency { id acronym nameEn membership votes iatiRef active } }
}";

async fn audit_count(app: &TestApp, token: &str, object_id: &Value) -> u64 {
    let response = app
        .graphql(
            Some(token),
            "query ($id: ID!) { auditEvents(filter: { objectId: $id }) { totalCount } }",
            json!({ "id": object_id }),
        )
        .await;
    response.data()["auditEvents"]["totalCount"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn the_secretariat_creates_and_updates_agencies_with_an_audit_trail() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let created = app
        .graphql(
            Some(&secretariat.token),
            CREATE,
            json!({ "input": {
                "acronym": " oim ",
                "name": "Organización Internacional para las Migraciones",
                "nameEn": "International Organization for Migration",
                "kind": "INTERNATIONAL_ORGANIZATION",
                "membership": "PARTNER",
                "iatiRef": "XM-DAC-47066"
            } }),
        )
        .await;
    let agency = created.data()["createAgency"]["agency"].clone();
    assert_eq!(agency["acronym"], "OIM");
    assert_eq!(agency["membership"], "PARTNER");
    assert_eq!(agency["votes"], false, "partners do not vote");
    assert_eq!(agency["active"], true);

    let updated = app
        .graphql(
            Some(&secretariat.token),
            UPDATE,
            json!({ "input": { "id": agency["id"], "nameEn": null, "active": false } }),
        )
        .await;
    let updated = &updated.data()["updateAgency"]["agency"];
    assert_eq!(updated["nameEn"], json!(null));
    assert_eq!(updated["iatiRef"], "XM-DAC-47066", "untouched fields stay");
    assert_eq!(updated["active"], false);

    let events = app
        .graphql(
            Some(&secretariat.token),
            "query ($id: ID!) { auditEvents(filter: { objectId: $id }, order: OLDEST_FIRST) { edges { node {
                action objectType actor { email } changes } } } }",
            json!({ "id": agency["id"] }),
        )
        .await;
    let edges = events.data()["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(edges.len(), 2);
    assert_eq!(edges[0]["node"]["action"], "agency.create");
    assert_eq!(
        edges[0]["node"]["actor"]["email"],
        "secretaria@test.example"
    );
    let change = &edges[1]["node"];
    assert_eq!(change["action"], "agency.update");
    assert_eq!(
        change["changes"]["active"],
        json!({ "before": true, "after": false })
    );
    assert_eq!(
        change["changes"]["nameEn"]["before"],
        "International Organization for Migration"
    );
    assert!(
        change["changes"].get("acronym").is_none(),
        "only changed fields are recorded"
    );
}

#[tokio::test]
async fn invalid_agencies_are_refused_naming_the_field_and_leave_no_trace() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    app.agency("MIMP", Membership::Member).await;
    let cases = [
        (json!({ "acronym": "mimp", "name": "Otra" }), "acronym"),
        (json!({ "acronym": "MI MP", "name": "Otra" }), "acronym"),
        (json!({ "acronym": "NEW", "name": "  " }), "name"),
        (
            json!({ "acronym": "NEW", "name": "X", "iatiRef": "47066" }),
            "iatiRef",
        ),
        (
            json!({ "acronym": "NEW", "name": "X", "membership": "OBSERVER", "votes": true }),
            "votes",
        ),
    ];
    for (input, field) in cases {
        let response = app
            .graphql(Some(&secretariat.token), CREATE, json!({ "input": input }))
            .await;
        assert_eq!(response.code(), "BAD_USER_INPUT", "{input}");
        assert_eq!(response.field(), field, "{input}");
    }
    let bad_enum = app
        .graphql(
            Some(&secretariat.token),
            CREATE,
            json!({ "input": { "acronym": "NEW", "name": "X", "membership": "DONOR" } }),
        )
        .await;
    assert_eq!(bad_enum.code(), "BAD_USER_INPUT");

    let agencies = app
        .graphql(
            Some(&secretariat.token),
            "{ agencies { totalCount } auditEvents(filter: { objectType: \"agency\" }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        agencies.data()["agencies"]["totalCount"],
        1,
        "nothing was created"
    );
    assert_eq!(
        agencies.data()["auditEvents"]["totalCount"],
        1,
        "only MIMP's creation is audited"
    );
}

#[tokio::test]
async fn renaming_onto_an_existing_acronym_is_refused() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    app.agency("MIMP", Membership::Member).await;
    let pnp = app.agency("PNP", Membership::Member).await;
    let response = app
        .graphql(
            Some(&secretariat.token),
            UPDATE,
            json!({ "input": { "id": pnp.id.to_string(), "acronym": "mimp" } }),
        )
        .await;
    assert_eq!(response.code(), "BAD_USER_INPUT");
    assert_eq!(response.field(), "acronym");
    assert_eq!(
        audit_count(&app, &secretariat.token, &json!(pnp.id.to_string())).await,
        1
    );

    let missing = app
        .graphql(
            Some(&secretariat.token),
            UPDATE,
            json!({ "input": { "id": uuid::Uuid::now_v7().to_string(), "name": "X" } }),
        )
        .await;
    assert_eq!(missing.code(), "NOT_FOUND");
    let malformed = app
        .graphql(
            Some(&secretariat.token),
            UPDATE,
            json!({ "input": { "id": "MIMP", "name": "X" } }),
        )
        .await;
    assert_eq!(malformed.code(), "BAD_USER_INPUT");
    assert_eq!(malformed.field(), "id");
}

#[tokio::test]
async fn agency_and_donor_users_read_agencies_but_cannot_change_them() {
    let app = TestApp::spawn().await;
    let mimp = app.agency("MIMP", Membership::Member).await;
    let prm = app.agency("PRM", Membership::Partner).await;
    let focal = app
        .user("focal@mimp.example", Role::Agency, Some(&mimp))
        .await;
    let donor = app
        .user("officer@prm.example", Role::Donor, Some(&prm))
        .await;
    for user in [&focal, &donor] {
        let list = app
            .graphql(Some(&user.token), "{ agencies { totalCount } }", json!({}))
            .await;
        assert_eq!(list.data()["agencies"]["totalCount"], 2);
        let create = app
            .graphql(
                Some(&user.token),
                CREATE,
                json!({ "input": { "acronym": "NEW", "name": "X" } }),
            )
            .await;
        assert_eq!(create.code(), "FORBIDDEN");
        let update = app
            .graphql(
                Some(&user.token),
                UPDATE,
                json!({ "input": { "id": mimp.id.to_string(), "name": "X" } }),
            )
            .await;
        assert_eq!(update.code(), "FORBIDDEN");
        let audit = app
            .graphql(
                Some(&user.token),
                "{ auditEvents { totalCount } }",
                json!({}),
            )
            .await;
        assert_eq!(audit.code(), "FORBIDDEN");
    }
}

#[tokio::test]
async fn lists_filter_and_page_through_every_agency_once() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let members = ["MIMP", "PNP", "MINSA", "MINEDU", "MTPE"];
    for acronym in members {
        app.agency(acronym, Membership::Member).await;
    }
    app.agency("OIM", Membership::Partner).await;
    app.agency("PRM", Membership::Partner).await;

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    // Seven agencies in pages of three: three pages, and a fourth request would mean
    // the list never says it has ended.
    for request in 1.. {
        assert!(
            request <= 3,
            "more pages than seven agencies fill: {seen:?}"
        );
        let page = app
            .graphql(
                Some(&secretariat.token),
                "query ($after: String) { agencies(first: 3, after: $after) {
                    totalCount pageInfo { hasNextPage endCursor } edges { node { acronym } } } }",
                json!({ "after": after }),
            )
            .await;
        let agencies = page.data()["agencies"].clone();
        assert_eq!(agencies["totalCount"], 7);
        for edge in agencies["edges"].as_array().unwrap() {
            seen.push(edge["node"]["acronym"].as_str().unwrap().to_owned());
        }
        match agencies["pageInfo"]["hasNextPage"].as_bool() {
            Some(false) => break,
            Some(true) => {}
            None => panic!("hasNextPage must be a boolean: {agencies}"),
        }
        after = agencies["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
    }
    let mut expected: Vec<String> = members
        .iter()
        .chain(&["OIM", "PRM"])
        .map(|s| (*s).to_owned())
        .collect();
    expected.sort();
    assert_eq!(seen, expected, "every agency once, in acronym order");

    let partners = app
        .graphql(
            Some(&secretariat.token),
            "{ agencies(filter: { membership: PARTNER }) { totalCount edges { node { acronym } } } }",
            json!({}),
        )
        .await;
    assert_eq!(partners.data()["agencies"]["totalCount"], 2);

    let search = app
        .graphql(
            Some(&secretariat.token),
            r#"{ agencies(filter: { search: "agencia mi" }) { edges { node { acronym } } } }"#,
            json!({}),
        )
        .await;
    let found: Vec<&str> = search.data()["agencies"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["acronym"].as_str().unwrap())
        .collect();
    assert_eq!(found, ["MIMP", "MINEDU", "MINSA"]);

    let wildcard = app
        .graphql(
            Some(&secretariat.token),
            r#"{ agencies(filter: { search: "%" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        wildcard.data()["agencies"]["totalCount"],
        0,
        "% is matched literally"
    );

    let by_acronym = app
        .graphql(
            Some(&secretariat.token),
            r#"{ agency(acronym: "pnp") { acronym } }"#,
            json!({}),
        )
        .await;
    assert_eq!(by_acronym.data()["agency"]["acronym"], "PNP");
    let unknown = app
        .graphql(
            Some(&secretariat.token),
            r#"{ agency(acronym: "NOPE") { acronym } }"#,
            json!({}),
        )
        .await;
    assert_eq!(unknown.data()["agency"], json!(null));
}

#[tokio::test]
async fn the_audit_log_reads_newest_first_and_pages_in_either_order() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let created = app
        .graphql(
            Some(&secretariat.token),
            CREATE,
            json!({ "input": { "acronym": "MIMP", "name": "Ministerio de la Mujer" } }),
        )
        .await;
    let id = created.data()["createAgency"]["agency"]["id"].clone();
    for active in [false, true, false] {
        app.graphql(
            Some(&secretariat.token),
            UPDATE,
            json!({ "input": { "id": id, "active": active } }),
        )
        .await
        .data();
    }
    // Two events a page, following the cursors of each order to its end.
    let read = async |order: &str| {
        let query = format!(
            "query ($id: ID!, $after: String) {{ auditEvents(first: 2, after: $after, filter: {{ objectId: $id }}{order}) {{
                pageInfo {{ hasNextPage endCursor }} edges {{ node {{ id action changes }} }} }} }}"
        );
        let mut events = Vec::new();
        let mut after = Value::Null;
        loop {
            let page = app
                .graphql(
                    Some(&secretariat.token),
                    &query,
                    json!({ "id": id, "after": after }),
                )
                .await;
            let page = &page.data()["auditEvents"];
            events.extend(page["edges"].as_array().unwrap().iter().map(|edge| {
                let node = &edge["node"];
                (
                    node["action"].as_str().unwrap().to_owned(),
                    node["changes"]["active"]["after"].clone(),
                )
            }));
            if page["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = page["pageInfo"]["endCursor"].clone();
        }
        events
    };
    let newest_first = read("").await;
    let update = |active: bool| ("agency.update".to_owned(), json!(active));
    assert_eq!(
        newest_first,
        [
            update(false),
            update(true),
            update(false),
            // Created active: its record shows every field as it began.
            ("agency.create".to_owned(), json!(true)),
        ]
    );
    let mut oldest_first = read(", order: OLDEST_FIRST").await;
    oldest_first.reverse();
    assert_eq!(oldest_first, newest_first);
    assert_eq!(read(", order: NEWEST_FIRST").await, newest_first);
}
