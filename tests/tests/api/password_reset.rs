//! Password reset links: sent by the secretariat to the account's own address over real
//! SMTP, usable once and before they expire, refused when forged, replaced or belonging to
//! a closed account; using one ends every session of the account, on the API and on the
//! form in `/app`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use cmnp_tests::{PASSWORD, SmtpServer};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::credentials::{cookie_header, login, page_session, set_cookies};
use crate::email::{Received, deliver, smtp};
use crate::work::Commission;

const REQUEST: &str = "mutation ($id: ID!) { requestPasswordReset(input: { userId: $id }) { user { email } expiresAt } }";
const RESET: &str = "mutation ($token: String!, $password: String!) { resetPassword(input: { token: $token, newPassword: $password }) { email } }";
const NEW_PASSWORD: &str = "una clave nueva y larga";

/// Asks for a reset link for MIMP's focal point, delivers the outbox to a real SMTP server
/// and returns the secret read from the e-mail that arrived.
async fn link_by_email(c: &Commission) -> String {
    let server = SmtpServer::start(None);
    let before = server.messages().len();
    let asked = c
        .as_secretariat(REQUEST, json!({ "id": c.mimp_user.user.id }))
        .await;
    assert_eq!(
        asked["requestPasswordReset"]["user"]["email"],
        "carmen@mimp.example"
    );
    let expires_at: chrono::DateTime<chrono::Utc> = asked["requestPasswordReset"]["expiresAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let hours = (expires_at - chrono::Utc::now()).num_minutes();
    assert!((23 * 60..=24 * 60).contains(&hours), "{expires_at}");
    deliver(&c.app, &smtp(&server.url())).await;
    let messages = server.messages();
    assert_eq!(messages.len(), before + 1, "one e-mail: {messages:#?}");
    let raw = messages.last().unwrap();
    assert!(raw.contains("carmen@mimp.example"), "{raw}");
    let email = Received::parse(raw);
    assert_eq!(email.subject, "Elegir una nueva contraseña: CMNP-TP-TIM");
    let marker = "/app/reset?token=";
    let start = email.text.find(marker).expect("the link is in the text") + marker.len();
    let secret = email.text[start..]
        .split(['&', '\n', '\r', ' '])
        .next()
        .unwrap()
        .to_owned();
    assert!(email.html.contains(&secret), "the link is in the HTML part");
    secret
}

async fn reset(c: &Commission, secret: &str, password: &str) -> cmnp_tests::Gql {
    c.app
        .graphql(
            None,
            RESET,
            json!({ "token": secret, "password": password }),
        )
        .await
}

async fn me(c: &Commission, token: &str) -> Option<String> {
    let answer = c
        .app
        .graphql(Some(token), "{ me { email } }", json!({}))
        .await;
    answer.body["data"]["me"]["email"]
        .as_str()
        .map(str::to_owned)
}

async fn outbox_texts(c: &Commission) -> Vec<String> {
    let db = c.app.store.connection();
    db.query_all_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT body_text FROM email_outbox WHERE kind = 'PASSWORD_RESET'",
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| row.try_get::<String>("", "body_text").unwrap())
    .collect()
}

#[tokio::test]
async fn a_reset_link_arrives_works_once_and_ends_every_session() {
    let c = Commission::new().await;
    let email = "carmen@mimp.example";
    let session = login(&c, email, PASSWORD).await.unwrap();
    let page = page_session(&c, email).await;
    let api_token = c.mimp_user.token.clone();

    // Only the secretariat sends links; a focal point cannot send one, not even to itself.
    let own = c
        .app
        .graphql(
            Some(&api_token),
            REQUEST,
            json!({ "id": c.mimp_user.user.id }),
        )
        .await;
    assert_eq!(own.code(), "FORBIDDEN");

    let secret = link_by_email(&c).await;
    // Sent, the e-mail's text is not kept: the outbox holds no usable link.
    let texts = outbox_texts(&c).await;
    assert_eq!(texts.len(), 1);
    assert!(!texts[0].contains(&secret), "{texts:?}");
    // The link signs nobody in anywhere.
    assert_eq!(me(&c, &secret).await, None);

    // A password that is too short is refused by name and the link still works.
    let short = reset(&c, &secret, "short").await;
    assert_eq!(
        (short.code(), short.field()),
        ("BAD_USER_INPUT", "newPassword")
    );

    let done = reset(&c, &secret, NEW_PASSWORD).await;
    assert_eq!(done.data()["resetPassword"]["email"], email);
    assert_eq!(
        login(&c, email, PASSWORD).await,
        Err("UNAUTHENTICATED".into())
    );
    let fresh = login(&c, email, NEW_PASSWORD).await.unwrap();
    assert_eq!(me(&c, &fresh).await.as_deref(), Some(email));
    // Every earlier session ended, on the API and in the pages; the API token stays.
    assert_eq!(me(&c, &session).await, None);
    let (status, _, _) = c
        .app
        .send(
            Request::get("/app")
                .header(header::COOKIE, format!("cmnp_session={page}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the page cookie signs in no more"
    );
    assert_eq!(me(&c, &api_token).await.as_deref(), Some(email));

    // Used once, the link is spent.
    let reused = reset(&c, &secret, "otra clave más larga").await;
    assert_eq!((reused.code(), reused.field()), ("BAD_USER_INPUT", "token"));
    assert!(
        reused.error()["message"]
            .as_str()
            .unwrap()
            .contains("used already"),
        "{:#}",
        reused.body
    );
    assert!(login(&c, email, NEW_PASSWORD).await.is_ok());

    let audit = c
        .as_secretariat(
            "query ($id: ID!) { auditEvents(filter: { objectId: $id }) { edges { node { action changes } } } }",
            json!({ "id": c.mimp_user.user.id }),
        )
        .await;
    let actions: Vec<&Value> = audit["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .collect();
    let asked = actions
        .iter()
        .find(|node| node["action"] == "user.password.reset_link")
        .expect("the request is audited");
    assert_eq!(asked["changes"]["emailed"], true);
    let used = actions
        .iter()
        .find(|node| node["action"] == "user.password.reset")
        .expect("the reset is audited");
    assert_eq!(used["changes"]["password"], "changed");
    // Two sessions and the link itself.
    assert_eq!(used["changes"]["tokensRevoked"], 3, "{used}");
}

#[tokio::test]
async fn forged_replaced_expired_and_closed_account_links_are_refused() {
    let c = Commission::new().await;
    let refused = async |secret: &str, said: &str| {
        let answer = reset(&c, secret, NEW_PASSWORD).await;
        assert_eq!((answer.code(), answer.field()), ("BAD_USER_INPUT", "token"));
        let message = answer.error()["message"].as_str().unwrap().to_owned();
        assert!(message.contains(said), "{message}");
    };
    refused(
        "cmnp_not-a-link-anyone-was-sent",
        "not a password reset link",
    )
    .await;
    // Another kind of token is not a reset link either.
    refused(&c.mimp_user.token, "not a password reset link").await;

    let store = &c.app.store;
    let user = c.mimp_user.user.id;
    let first = store.request_password_reset(None, user).await.unwrap();
    let second = store.request_password_reset(None, user).await.unwrap();
    assert!(first.emailed && second.emailed);
    refused(&first.secret, "a newer link replaced it").await;

    store
        .connection()
        .execute_unprepared(
            "UPDATE api_tokens SET expires_at = created_at \
             WHERE kind = 'PASSWORD_RESET' AND revoked_at IS NULL",
        )
        .await
        .unwrap();
    refused(&second.secret, "expired").await;

    // A closed account gets no link, and a link sent before it closed stops working.
    let third = store.request_password_reset(None, user).await.unwrap();
    c.as_secretariat(
        "mutation ($id: ID!) { deactivateUser(input: { id: $id }) { user { active } } }",
        json!({ "id": user }),
    )
    .await;
    refused(&third.secret, "used already").await;
    let closed = c
        .app
        .graphql(Some(&c.secretariat.token), REQUEST, json!({ "id": user }))
        .await;
    assert_eq!(
        (closed.code(), closed.field()),
        ("BAD_USER_INPUT", "userId")
    );
    assert_eq!(
        login(&c, "carmen@mimp.example", PASSWORD).await,
        Err("UNAUTHENTICATED".into())
    );
}

/// The form's fields and cookies, as a browser following the link gets them.
async fn open_form(c: &Commission, secret: &str) -> (StatusCode, String, Vec<(String, String)>) {
    let (status, headers, body) = c
        .app
        .send(
            Request::get(format!("/app/reset?token={secret}&lang=en"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    if status == StatusCode::OK {
        assert_eq!(
            headers.get(header::REFERRER_POLICY).unwrap(),
            "no-referrer",
            "the page's links do not carry the secret away"
        );
    }
    (
        status,
        String::from_utf8(body).unwrap(),
        set_cookies(&headers),
    )
}

async fn submit(c: &Commission, cookies: &[(String, String)], form: &str) -> (StatusCode, String) {
    let (status, _, body) = c
        .app
        .send(
            Request::post("/app/reset")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie_header(cookies))
                .body(Body::from(form.to_owned()))
                .unwrap(),
        )
        .await;
    (status, String::from_utf8(body).unwrap())
}

#[tokio::test]
async fn the_form_in_the_pages_sets_the_password_once() {
    let c = Commission::new().await;
    let issued = c
        .app
        .store
        .request_password_reset(None, c.mimp_user.user.id)
        .await
        .unwrap();
    let secret = issued.secret;
    let (status, html, cookies) = open_form(&c, &secret).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Choose a new password"), "{html}");
    assert!(html.contains("value=\"carmen@mimp.example\""), "{html}");
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).unwrap() + marker.len();
    let csrf = html[start..].split('"').next().unwrap().to_owned();

    let forged = submit(
        &c,
        &cookies,
        &format!("token={secret}&password={}&csrf=forged", "x".repeat(12)),
    )
    .await;
    assert_eq!(forged.0, StatusCode::FORBIDDEN, "{}", forged.1);
    let short = submit(
        &c,
        &cookies,
        &format!("token={secret}&password=short&csrf={csrf}"),
    )
    .await;
    assert_eq!(short.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.1.contains("id=\"reset-error\""), "{}", short.1);

    let password = NEW_PASSWORD.replace(' ', "+");
    let done = submit(
        &c,
        &cookies,
        &format!("token={secret}&password={password}&csrf={csrf}"),
    )
    .await;
    assert_eq!(done.0, StatusCode::OK, "{}", done.1);
    assert!(done.1.contains("id=\"password-changed\""), "{}", done.1);
    assert!(login(&c, "carmen@mimp.example", NEW_PASSWORD).await.is_ok());

    let again = submit(
        &c,
        &cookies,
        &format!("token={secret}&password={password}&csrf={csrf}"),
    )
    .await;
    assert_eq!(again.0, StatusCode::GONE);
    assert!(again.1.contains("id=\"reset-link-invalid\""), "{}", again.1);
    let (status, html, _) = open_form(&c, &secret).await;
    assert_eq!(status, StatusCode::GONE, "{html}");
    let (status, _, _) = open_form(&c, "cmnp_forged").await;
    assert_eq!(status, StatusCode::GONE);
}
