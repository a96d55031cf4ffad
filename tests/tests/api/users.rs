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

const SIGN_IN: &str = "mutation ($email: String!, $password: String!) {
    login(input: { email: $email, password: $password }) { token } }";
const CHANGE_PASSWORD: &str = "mutation ($input: ChangePasswordInput!) {
    changePassword(input: $input) { user { id } } }";

#[tokio::test]
async fn the_secretariat_changes_an_account_and_it_takes_effect_at_once() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let mimp = app.agency("MIMP", Membership::Member).await;
    let moved = app
        .user("focal@mimp.example", Role::Donor, Some(&mimp))
        .await;
    let update = "mutation ($input: UpdateUserInput!) {
        updateUser(input: $input) { user { name role locale agency { acronym } } } }";
    let promoted = app
        .graphql(
            Some(&secretariat.token),
            update,
            json!({ "input": { "id": moved.user.id, "role": "SECRETARIAT" } }),
        )
        .await;
    assert_eq!(
        (promoted.code(), promoted.field()),
        ("BAD_USER_INPUT", "agencyId")
    );
    let changed = app
        .graphql(
            Some(&secretariat.token),
            update,
            json!({ "input": { "id": moved.user.id, "name": "Punto focal MIMP", "role": "AGENCY", "locale": "EN" } }),
        )
        .await;
    assert_eq!(
        changed.data()["updateUser"]["user"],
        json!({ "name": "Punto focal MIMP", "role": "AGENCY", "locale": "EN", "agency": { "acronym": "MIMP" } })
    );
    // The user's own token acts with the new role from its next request.
    let me = app
        .graphql(Some(&moved.token), "{ me { role } }", json!({}))
        .await;
    assert_eq!(me.data()["me"]["role"], "AGENCY");
    let refused = app
        .graphql(
            Some(&moved.token),
            update,
            json!({ "input": { "id": moved.user.id, "role": "SECRETARIAT", "agencyId": null } }),
        )
        .await;
    assert_eq!(refused.code(), "FORBIDDEN");
    let own_role = app
        .graphql(
            Some(&secretariat.token),
            update,
            json!({ "input": { "id": secretariat.user.id, "role": "DONOR", "agencyId": mimp.id } }),
        )
        .await;
    assert_eq!(
        (own_role.code(), own_role.field()),
        ("BAD_USER_INPUT", "role")
    );

    let audit = app
        .graphql(
            Some(&secretariat.token),
            "query ($id: ID!) { auditEvents(filter: { objectId: $id }) { edges { node { action changes } } } }",
            json!({ "id": moved.user.id }),
        )
        .await;
    let updates: Vec<_> = audit.data()["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["action"] == "user.update")
        .map(|e| e["node"]["changes"].clone())
        .collect();
    assert_eq!(
        updates.len(),
        1,
        "refused changes are not audited: {updates:?}"
    );
    assert_eq!(
        updates[0]["role"],
        json!({ "before": "DONOR", "after": "AGENCY" })
    );
    assert_eq!(
        updates[0]["locale"],
        json!({ "before": "es", "after": "en" })
    );
}

#[tokio::test]
async fn a_user_changes_their_password_with_the_current_one_and_other_sessions_end() {
    let app = TestApp::spawn().await;
    let user = app.secretariat().await;
    let email = user.user.email.clone();
    let sign_in = async |password: &str| {
        app.graphql(
            None,
            SIGN_IN,
            json!({ "email": email, "password": password }),
        )
        .await
    };
    let here = sign_in(PASSWORD).await.data()["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let elsewhere = sign_in(PASSWORD).await.data()["login"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let change = |current: &str, new: &str| json!({ "input": { "currentPassword": current, "newPassword": new } });
    let wrong = app
        .graphql(
            Some(&here),
            CHANGE_PASSWORD,
            change("not my password", "a brand new password"),
        )
        .await;
    assert_eq!(
        (wrong.code(), wrong.field()),
        ("BAD_USER_INPUT", "currentPassword")
    );
    let short = app
        .graphql(Some(&here), CHANGE_PASSWORD, change(PASSWORD, "short"))
        .await;
    assert_eq!(
        (short.code(), short.field()),
        ("BAD_USER_INPUT", "newPassword")
    );
    let anonymous = app
        .graphql(
            None,
            CHANGE_PASSWORD,
            change(PASSWORD, "a brand new password"),
        )
        .await;
    assert_eq!(anonymous.code(), "UNAUTHENTICATED");

    let changed = app
        .graphql(
            Some(&here),
            CHANGE_PASSWORD,
            change(PASSWORD, "a brand new password"),
        )
        .await;
    assert_eq!(
        changed.data()["changePassword"]["user"]["id"],
        json!(user.user.id)
    );
    let me = async |token: &str| {
        app.graphql(Some(token), "{ me { id } }", json!({}))
            .await
            .body["data"]["me"]["id"]
            .clone()
    };
    assert_eq!(
        me(&here).await,
        json!(user.user.id),
        "the session it was changed in stays"
    );
    assert_eq!(
        me(&user.token).await,
        json!(user.user.id),
        "API tokens stay"
    );
    let ended = app
        .graphql(Some(&elsewhere), "{ me { id } }", json!({}))
        .await;
    assert_eq!(ended.code(), "UNAUTHENTICATED", "the other session ended");
    assert_eq!(sign_in(PASSWORD).await.code(), "UNAUTHENTICATED");
    assert!(sign_in("a brand new password").await.body["errors"].is_null());
}
