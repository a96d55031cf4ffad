//! Users: created by the secretariat, validated, listed.

use cmnp_domain::agency::Membership;
use cmnp_domain::user::Role;
use cmnp_tests::{PASSWORD, TestApp};
use serde_json::json;

const CREATE: &str = "mutation ($input: CreateUserInput!) {
    createUser(input: $input) { user { id email name role locale agency { acronym } } }
}";

#[tokio::test]
async fn the_secretariat_creates_users_who_can_sign_in() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let prm = app.agency("PRM", Membership::Partner).await;
    let created = app
        .graphql(
            Some(&secretariat.token),
            CREATE,
            json!({ "input": {
                "email": "Officer@PRM.example", "name": "Programme officer", "role": "DONOR",
                "agencyId": prm.id.to_string(), "password": "a long donor password", "locale": "EN"
            } }),
        )
        .await;
    assert_eq!(
        created.data()["createUser"]["user"]["agency"]["acronym"],
        "PRM"
    );
    assert_eq!(
        created.data()["createUser"]["user"]["email"],
        "officer@prm.example"
    );
    assert_eq!(created.data()["createUser"]["user"]["locale"], "EN");
    let body = created.body.to_string();
    assert!(!body.contains("a long donor password"));

    let login = app
        .graphql(
            None,
            r#"mutation { login(input: { email: "officer@prm.example", password: "a long donor password" }) { user { role } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(login.data()["login"]["user"]["role"], "DONOR");

    let audit = app
        .graphql(
            Some(&secretariat.token),
            r#"{ auditEvents(filter: { objectType: "user" }) { edges { node { changes } } } }"#,
            json!({}),
        )
        .await;
    let changes = audit.data()["auditEvents"]["edges"].to_string();
    assert!(changes.contains("officer@prm.example"));
    assert!(
        !changes.contains("argon2") && !changes.contains("a long donor password"),
        "{changes}"
    );
}

#[tokio::test]
async fn invalid_users_are_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let mimp = app.agency("MIMP", Membership::Member).await;
    let id = mimp.id.to_string();
    let unknown = uuid::Uuid::now_v7().to_string();
    for (input, field) in [
        (
            json!({ "email": "bad-email", "name": "A", "role": "AGENCY", "agencyId": id, "password": PASSWORD }),
            "email",
        ),
        (
            json!({ "email": "SECRETARIA@test.example", "name": "A", "role": "SECRETARIAT", "password": PASSWORD }),
            "email",
        ),
        (
            json!({ "email": "a@mimp.example", "name": "A", "role": "AGENCY", "password": PASSWORD }),
            "agencyId",
        ),
        (
            json!({ "email": "a@mimp.example", "name": "A", "role": "AGENCY", "agencyId": unknown, "password": PASSWORD }),
            "agencyId",
        ),
        (
            json!({ "email": "a@mimp.example", "name": "A", "role": "SECRETARIAT", "agencyId": id, "password": PASSWORD }),
            "agencyId",
        ),
        (
            json!({ "email": "a@mimp.example", "name": "A", "role": "AGENCY", "agencyId": id, "password": "short" }),
            "password",
        ),
        (
            json!({ "email": "a@mimp.example", "name": "", "role": "AGENCY", "agencyId": id, "password": PASSWORD }),
            "name",
        ),
    ] {
        let response = app
            .graphql(Some(&secretariat.token), CREATE, json!({ "input": input }))
            .await;
        assert_eq!(response.code(), "BAD_USER_INPUT", "{input}");
        assert_eq!(response.field(), field, "{input}");
    }
    let users = app
        .graphql(
            Some(&secretariat.token),
            "{ users { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        users.data()["users"]["totalCount"],
        1,
        "only the secretariat user exists"
    );
}

#[tokio::test]
async fn only_the_secretariat_lists_and_creates_users() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let mimp = app.agency("MIMP", Membership::Member).await;
    let prm = app.agency("PRM", Membership::Partner).await;
    let focal = app
        .user("focal@mimp.example", Role::Agency, Some(&mimp))
        .await;
    let donor = app
        .user("officer@prm.example", Role::Donor, Some(&prm))
        .await;

    let list = app
        .graphql(
            Some(&secretariat.token),
            "{ users(filter: { role: AGENCY }) { totalCount edges { node { email agency { acronym } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(list.data()["users"]["totalCount"], 1);
    assert_eq!(
        list.data()["users"]["edges"][0]["node"]["agency"]["acronym"],
        "MIMP"
    );

    for user in [&focal, &donor] {
        let list = app
            .graphql(Some(&user.token), "{ users { totalCount } }", json!({}))
            .await;
        assert_eq!(list.code(), "FORBIDDEN");
        let create = app
            .graphql(
                Some(&user.token),
                CREATE,
                json!({ "input": { "email": "x@x.example", "name": "X", "role": "SECRETARIAT", "password": PASSWORD } }),
            )
            .await;
        assert_eq!(create.code(), "FORBIDDEN");
        let me = app
            .graphql(
                Some(&user.token),
                "{ me { email apiTokens { name } } }",
                json!({}),
            )
            .await;
        assert_eq!(me.data()["me"]["apiTokens"][0]["name"], "test");
    }
}
