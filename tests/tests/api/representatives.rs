//! Representatives: managed by the secretariat, read by agencies, hidden from donors.

use cmnp_domain::agency::Membership;
use cmnp_domain::user::Role;
use cmnp_tests::TestApp;
use serde_json::json;

const ADD: &str = "mutation ($input: AddRepresentativeInput!) {
    addRepresentative(input: $input) { representative { id name email kind language mandateStart mandateEnd agency { acronym } } }
}";

#[tokio::test]
async fn the_secretariat_adds_updates_and_removes_representatives() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let mimp = app.agency("MIMP", Membership::Member).await;
    let added = app
        .graphql(
            Some(&secretariat.token),
            ADD,
            json!({ "input": {
                "agencyId": mimp.id.to_string(),
                "name": "Carmen Flores",
                "email": "Carmen.Flores@MIMP.example",
                "kind": "ALTERNATE",
                "mandateStart": "2026-01-01",
                "language": "EN"
            } }),
        )
        .await;
    let representative = added.data()["addRepresentative"]["representative"].clone();
    assert_eq!(representative["email"], "carmen.flores@mimp.example");
    assert_eq!(representative["kind"], "ALTERNATE");
    assert_eq!(representative["language"], "EN");
    assert_eq!(representative["mandateStart"], "2026-01-01");
    assert_eq!(representative["agency"]["acronym"], "MIMP");

    let updated = app
        .graphql(
            Some(&secretariat.token),
            "mutation ($id: ID!) { updateRepresentative(input: { id: $id, kind: PRINCIPAL, mandateEnd: \"2026-12-31\" }) {
                representative { name kind mandateStart mandateEnd } } }",
            json!({ "id": representative["id"] }),
        )
        .await;
    assert_eq!(
        updated.data()["updateRepresentative"]["representative"],
        json!({ "name": "Carmen Flores", "kind": "PRINCIPAL", "mandateStart": "2026-01-01", "mandateEnd": "2026-12-31" })
    );

    let bad_mandate = app
        .graphql(
            Some(&secretariat.token),
            "mutation ($id: ID!) { updateRepresentative(input: { id: $id, mandateEnd: \"2025-12-31\" }) { representative { id } } }",
            json!({ "id": representative["id"] }),
        )
        .await;
    assert_eq!(bad_mandate.code(), "BAD_USER_INPUT");
    assert_eq!(bad_mandate.field(), "mandateEnd");

    let removed = app
        .graphql(
            Some(&secretariat.token),
            "mutation ($id: ID!) { removeRepresentative(input: { id: $id }) { representative { name } } }",
            json!({ "id": representative["id"] }),
        )
        .await;
    assert_eq!(
        removed.data()["removeRepresentative"]["representative"]["name"],
        "Carmen Flores"
    );
    let listed = app
        .graphql(
            Some(&secretariat.token),
            r#"{ agency(acronym: "MIMP") { representatives { id } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(listed.data()["agency"]["representatives"], json!([]));

    let audit = app
        .graphql(
            Some(&secretariat.token),
            "query ($id: ID!) { auditEvents(filter: { objectId: $id }, order: OLDEST_FIRST) { edges { node { action } } } }",
            json!({ "id": representative["id"] }),
        )
        .await;
    let actions: Vec<&str> = audit.data()["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "representative.add",
            "representative.update",
            "representative.remove"
        ]
    );
}

#[tokio::test]
async fn bad_representatives_are_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let mimp = app.agency("MIMP", Membership::Member).await;
    let id = mimp.id.to_string();
    for (input, field) in [
        (
            json!({ "agencyId": id, "name": "A", "email": "not-an-email" }),
            "email",
        ),
        (
            json!({ "agencyId": id, "name": " ", "email": "a@mimp.example" }),
            "name",
        ),
        (
            json!({ "agencyId": id, "name": "A", "email": "a@mimp.example", "phone": "call me" }),
            "phone",
        ),
        (
            json!({ "agencyId": id, "name": "A", "email": "a@mimp.example", "mandateStart": "2026-02-01", "mandateEnd": "2026-01-01" }),
            "mandateEnd",
        ),
        (
            json!({ "agencyId": uuid::Uuid::now_v7().to_string(), "name": "A", "email": "a@mimp.example" }),
            "agencyId",
        ),
    ] {
        let response = app
            .graphql(Some(&secretariat.token), ADD, json!({ "input": input }))
            .await;
        assert_eq!(response.code(), "BAD_USER_INPUT", "{input}");
        assert_eq!(response.field(), field, "{input}");
    }
    let bad_date = app
        .graphql(
            Some(&secretariat.token),
            ADD,
            json!({ "input": { "agencyId": id, "name": "A", "email": "a@mimp.example", "mandateStart": "01/02/2026" } }),
        )
        .await;
    assert_eq!(bad_date.code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn agencies_read_representatives_and_donors_do_not_reach_them_by_any_path() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let mimp = app.agency("MIMP", Membership::Member).await;
    let prm = app.agency("PRM", Membership::Partner).await;
    app.graphql(
        Some(&secretariat.token),
        ADD,
        json!({ "input": { "agencyId": mimp.id.to_string(), "name": "Carmen Flores", "email": "carmen@mimp.example" } }),
    )
    .await
    .data();
    app.graphql(
        Some(&secretariat.token),
        ADD,
        json!({ "input": { "agencyId": prm.id.to_string(), "name": "PRM officer", "email": "officer@prm.example" } }),
    )
    .await
    .data();
    let focal = app
        .user("focal@mimp.example", Role::Agency, Some(&mimp))
        .await;
    let donor = app
        .user("officer@prm.example", Role::Donor, Some(&prm))
        .await;

    let as_agency = app
        .graphql(
            Some(&focal.token),
            r#"{ agency(acronym: "MIMP") { representatives { email } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        as_agency.data()["agency"]["representatives"][0]["email"],
        "carmen@mimp.example"
    );
    let add = app
        .graphql(
            Some(&focal.token),
            ADD,
            json!({ "input": { "agencyId": mimp.id.to_string(), "name": "X", "email": "x@mimp.example" } }),
        )
        .await;
    assert_eq!(add.code(), "FORBIDDEN");

    for query in [
        r#"{ agency(acronym: "MIMP") { representatives { email } } }"#,
        "{ agencies { edges { node { representatives { email } } } } }",
        "{ me { agency { representatives { email } } } }",
    ] {
        let response = app.graphql(Some(&donor.token), query, json!({})).await;
        assert_eq!(response.code(), "FORBIDDEN", "{query}");
        assert!(
            !response.body.to_string().contains("carmen@mimp.example"),
            "{query}"
        );
    }
}
