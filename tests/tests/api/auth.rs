//! Signing in and out, bearer tokens, and what anonymous requests may do.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, Utc};
use cmnp_domain::agency::Membership;
use cmnp_domain::user::Role;
use cmnp_tests::{PASSWORD, TestApp};
use serde_json::json;

const LOGIN: &str = "mutation ($email: String!, $password: String!) {
    login(input: { email: $email, password: $password }) { token expiresAt user { email role agency { acronym } } }
}";

#[tokio::test]
async fn login_issues_a_session_token_that_works_until_logout() {
    let app = TestApp::spawn().await;
    let mimp = app.agency("MIMP", Membership::Member).await;
    app.user("focal@mimp.example", Role::Agency, Some(&mimp))
        .await;

    let login = app
        .graphql(
            None,
            LOGIN,
            json!({ "email": "  Focal@MIMP.example ", "password": PASSWORD }),
        )
        .await;
    let data = login.data();
    assert_eq!(data["login"]["user"]["email"], "focal@mimp.example");
    assert_eq!(data["login"]["user"]["agency"]["acronym"], "MIMP");
    let token = data["login"]["token"].as_str().unwrap().to_owned();
    let expires_at: chrono::DateTime<Utc> = data["login"]["expiresAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let lifetime = expires_at - Utc::now();
    assert!(
        lifetime > Duration::hours(11) && lifetime <= Duration::hours(12),
        "{lifetime}"
    );

    let me = app
        .graphql(Some(&token), "{ me { email role } }", json!({}))
        .await;
    assert_eq!(
        me.data()["me"],
        json!({ "email": "focal@mimp.example", "role": "AGENCY" })
    );

    let logout = app
        .graphql(Some(&token), "mutation { logout }", json!({}))
        .await;
    assert_eq!(logout.data()["logout"], true);

    let after = app
        .graphql(Some(&token), "{ me { email } }", json!({}))
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.code(), "UNAUTHENTICATED");
    assert_eq!(after.headers[header::WWW_AUTHENTICATE], "Bearer");
}

#[tokio::test]
async fn wrong_password_and_unknown_email_look_the_same() {
    let app = TestApp::spawn().await;
    app.secretariat().await;
    let wrong = app
        .graphql(
            None,
            LOGIN,
            json!({ "email": "secretaria@test.example", "password": "not the password" }),
        )
        .await;
    let unknown = app
        .graphql(
            None,
            LOGIN,
            json!({ "email": "nobody@test.example", "password": PASSWORD }),
        )
        .await;
    for response in [&wrong, &unknown] {
        assert_eq!(response.code(), "UNAUTHENTICATED");
        assert_eq!(response.error()["message"], "invalid e-mail or password");
        assert!(
            !response.body.to_string().contains("cmnp_"),
            "no token leaks"
        );
    }
}

#[tokio::test]
async fn anonymous_requests_get_only_login_and_me() {
    let app = TestApp::spawn().await;
    let me = app.graphql(None, "{ me { id } }", json!({})).await;
    assert_eq!(me.data()["me"], json!(null));
    for operation in [
        "{ agencies { totalCount } }",
        r#"{ agency(acronym: "MIMP") { id } }"#,
        "{ users { totalCount } }",
        "{ auditEvents { totalCount } }",
        r#"mutation { createAgency(input: { acronym: "X", name: "X" }) { agency { id } } }"#,
        r#"mutation { updateAgency(input: { id: "00000000-0000-0000-0000-000000000000", name: "X" }) { agency { id } } }"#,
        r#"mutation { addRepresentative(input: { agencyId: "00000000-0000-0000-0000-000000000000", name: "X", email: "x@x.example" }) { representative { id } } }"#,
        r#"mutation { updateRepresentative(input: { id: "00000000-0000-0000-0000-000000000000", name: "X" }) { representative { id } } }"#,
        r#"mutation { removeRepresentative(input: { id: "00000000-0000-0000-0000-000000000000" }) { representative { id } } }"#,
        r#"mutation { createUser(input: { email: "x@x.example", name: "X", role: SECRETARIAT, password: "long enough password" }) { user { id } } }"#,
        r#"mutation { createApiToken(input: { name: "X" }) { token } }"#,
        r#"mutation { revokeApiToken(input: { id: "00000000-0000-0000-0000-000000000000" }) { apiToken { id } } }"#,
        "mutation { logout }",
    ] {
        let response = app.graphql(None, operation, json!({})).await;
        assert_eq!(
            response.code(),
            "UNAUTHENTICATED",
            "{operation}: {}",
            response.body
        );
    }
}

#[tokio::test]
async fn bad_expired_and_revoked_tokens_are_refused_with_401() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let expiring = app
        .store
        .create_api_token(
            None,
            secretariat.user.id,
            "short".into(),
            Some(Utc::now() + Duration::milliseconds(300)),
        )
        .await
        .unwrap();
    let works = app
        .graphql(Some(&expiring.secret), "{ me { email } }", json!({}))
        .await;
    assert_eq!(works.data()["me"]["email"], "secretaria@test.example");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let expired = app
        .graphql(Some(&expiring.secret), "{ me { email } }", json!({}))
        .await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.code(), "UNAUTHENTICATED");

    let revoke = app
        .graphql(
            Some(&secretariat.token),
            "mutation ($id: ID!) { revokeApiToken(input: { id: $id }) { apiToken { active revokedAt } } }",
            json!({ "id": expiring.token.id.to_string() }),
        )
        .await;
    assert_eq!(revoke.data()["revokeApiToken"]["apiToken"]["active"], false);

    let own = app
        .graphql(
            Some(&secretariat.token),
            "{ me { apiTokens { id name } } }",
            json!({}),
        )
        .await;
    let own_id = own.data()["me"]["apiTokens"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.graphql(
        Some(&secretariat.token),
        "mutation ($id: ID!) { revokeApiToken(input: { id: $id }) { apiToken { id } } }",
        json!({ "id": own_id }),
    )
    .await
    .data();
    let revoked = app
        .graphql(Some(&secretariat.token), "{ me { email } }", json!({}))
        .await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);

    for header_value in ["Basic dXNlcjpwYXNz", "Bearer cmnp_unknown", "Bearer "] {
        let response = app
            .gql(
                Request::post("/graphql")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::AUTHORIZATION, header_value)
                    .body(Body::from(json!({ "query": "{ me { id } }" }).to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{header_value}");
        assert_eq!(response.code(), "UNAUTHENTICATED");
    }
}

#[tokio::test]
async fn users_manage_their_own_api_tokens_and_only_those() {
    let app = TestApp::spawn().await;
    let mimp = app.agency("MIMP", Membership::Member).await;
    let pnp = app.agency("PNP", Membership::Member).await;
    let focal = app
        .user("focal@mimp.example", Role::Agency, Some(&mimp))
        .await;
    let other = app
        .user("focal@pnp.example", Role::Agency, Some(&pnp))
        .await;

    let created = app
        .graphql(
            Some(&focal.token),
            r#"mutation { createApiToken(input: { name: "sistema MIMP" }) { token apiToken { id name kind user { email } } } }"#,
            json!({}),
        )
        .await;
    let data = created.data()["createApiToken"].clone();
    assert!(data["token"].as_str().unwrap().starts_with("cmnp_"));
    assert_eq!(data["apiToken"]["kind"], "API");
    assert_eq!(data["apiToken"]["user"]["email"], "focal@mimp.example");
    let new_token = data["token"].as_str().unwrap();
    let me = app
        .graphql(Some(new_token), "{ me { email } }", json!({}))
        .await;
    assert_eq!(me.data()["me"]["email"], "focal@mimp.example");

    let for_other = app
        .graphql(
            Some(&focal.token),
            r#"mutation ($id: ID!) { createApiToken(input: { userId: $id, name: "x" }) { token } }"#,
            json!({ "id": other.user.id.to_string() }),
        )
        .await;
    assert_eq!(for_other.code(), "FORBIDDEN");

    let revoke_other = app
        .graphql(
            Some(&other.token),
            "mutation ($id: ID!) { revokeApiToken(input: { id: $id }) { apiToken { id } } }",
            json!({ "id": data["apiToken"]["id"] }),
        )
        .await;
    assert_eq!(revoke_other.code(), "NOT_FOUND");

    let past = app
        .graphql(
            Some(&focal.token),
            r#"mutation { createApiToken(input: { name: "x", expiresAt: "2020-01-01T00:00:00Z" }) { token } }"#,
            json!({}),
        )
        .await;
    assert_eq!(past.code(), "BAD_USER_INPUT");
    assert_eq!(past.field(), "expiresAt");
}

#[tokio::test]
async fn logout_with_an_api_token_keeps_it() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let logout = app
        .graphql(Some(&secretariat.token), "mutation { logout }", json!({}))
        .await;
    assert_eq!(logout.data()["logout"], false);
    let me = app
        .graphql(Some(&secretariat.token), "{ me { email } }", json!({}))
        .await;
    assert_eq!(me.data()["me"]["email"], "secretaria@test.example");
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_spaced_out_for_that_address_only() {
    let app = TestApp::spawn().await;
    app.secretariat().await;
    app.user("otra@test.example", Role::Secretariat, None).await;
    let attempt = |email: &'static str, password: &'static str| {
        let app = &app;
        async move {
            app.graphql(None, LOGIN, json!({ "email": email, "password": password }))
                .await
        }
    };
    for _ in 0..3 {
        let wrong = attempt("secretaria@test.example", "guess").await;
        assert_eq!(wrong.code(), "UNAUTHENTICATED");
    }
    // Even the right password is not heard until the wait is over.
    let held = attempt("SECRETARIA@test.example", PASSWORD).await;
    assert_eq!(held.code(), "RATE_LIMITED");
    assert_eq!(held.error()["extensions"]["retryAfter"], 1);
    assert!(
        !held.body.to_string().contains("cmnp_"),
        "no token is issued"
    );
    // Another address is not held up by someone guessing this one.
    let other = attempt("otra@test.example", PASSWORD).await;
    assert!(other.data()["login"]["token"].is_string());

    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let after = attempt("secretaria@test.example", PASSWORD).await;
    assert!(after.data()["login"]["token"].is_string());
    // Success clears the record: the next mistake is an ordinary one.
    let mistake = attempt("secretaria@test.example", "guess").await;
    assert_eq!(mistake.code(), "UNAUTHENTICATED");
}
