//! Every kind of credential against every way in: each token opens its own surface and
//! nothing else, and a revoked or expired one opens none.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Duration;
use cmnp_domain::user::Surface;
use cmnp_tests::PASSWORD;
use serde_json::{Value, json};

use crate::work::Commission;

/// The ways in, in the order of the expectation rows below.
const SURFACES: [&str; 5] = ["graphql", "meeting .ics", "iati", "/app cookie", "feed"];

/// What the sign-in form sets as `cmnp_session` for `email`, following the form as a
/// browser would.
pub(crate) async fn page_session(c: &Commission, email: &str) -> String {
    let (_, headers, body) = c
        .app
        .send(Request::get("/app/login").body(Body::empty()).unwrap())
        .await;
    let cookies = set_cookies(&headers);
    let html = String::from_utf8(body).unwrap();
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).unwrap() + marker.len();
    let csrf = html[start..].split('"').next().unwrap();
    let (status, headers, _) = c
        .app
        .send(
            Request::post("/app/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie_header(&cookies))
                .body(Body::from(format!(
                    "email={email}&password={PASSWORD}&csrf={csrf}"
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    set_cookies(&headers)
        .into_iter()
        .find(|(name, _)| name == "cmnp_session")
        .expect("the form sets the session cookie")
        .1
}

pub(crate) fn set_cookies(headers: &axum::http::HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|value| {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            (name.to_owned(), value.to_owned())
        })
        .collect()
}

pub(crate) fn cookie_header(cookies: &[(String, String)]) -> String {
    cookies
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Whether `secret` opens each surface as the secretariat user `who`, asserting the
/// refusal each one answers with.
async fn opens(c: &Commission, who: uuid::Uuid, meeting_ics: &str, secret: &str) -> [bool; 5] {
    let bearer = |path: &str| {
        Request::get(path)
            .header(header::AUTHORIZATION, format!("Bearer {secret}"))
            .body(Body::empty())
            .unwrap()
    };
    let graphql = c
        .app
        .graphql(Some(secret), "{ me { id } }", json!({}))
        .await;
    let graphql = match graphql.status {
        StatusCode::OK => graphql.data()["me"]["id"] == json!(who),
        status => {
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{:#}", graphql.body);
            assert_eq!(graphql.code(), "UNAUTHENTICATED");
            false
        }
    };
    let mut opened = [graphql, false, false, false, false];
    for (slot, path) in [(1, meeting_ics), (2, "/iati/activities.xml")] {
        let (status, _, _) = c.app.send(bearer(path)).await;
        assert!(
            [StatusCode::OK, StatusCode::UNAUTHORIZED].contains(&status),
            "{path}: {status}"
        );
        opened[slot] = status == StatusCode::OK;
    }
    let (status, headers, _) = c
        .app
        .send(
            Request::get("/app")
                .header(header::COOKIE, format!("cmnp_session={secret}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    opened[3] = match status {
        StatusCode::OK => true,
        StatusCode::SEE_OTHER => {
            assert_eq!(headers[header::LOCATION], "/app/login");
            false
        }
        other => panic!("/app: {other}"),
    };
    let (status, _, _) = c
        .app
        .send(
            Request::get(format!("/calendar/{secret}.ics"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!([StatusCode::OK, StatusCode::NOT_FOUND].contains(&status));
    opened[4] = status == StatusCode::OK;
    opened
}

#[tokio::test]
async fn each_credential_opens_its_own_surface_and_nothing_else() {
    let c = Commission::new().await;
    let meeting = c.schedule("ORDINARY", Duration::days(3), None).await;
    let meeting_ics = format!("/meetings/{}.ics", meeting["id"].as_str().unwrap());
    let store = &c.app.store;
    let user = c.secretariat.user.id;

    let login = c
        .app
        .graphql(
            None,
            "mutation ($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { token } }",
            json!({ "email": c.secretariat.user.email, "password": PASSWORD }),
        )
        .await;
    let login = login.data()["login"]["token"].as_str().unwrap().to_owned();
    let page = page_session(&c, &c.secretariat.user.email).await;
    let api = c.secretariat.token.clone();
    let feed: Value = c
        .as_secretariat(
            "mutation { createCalendarFeed(input: { name: \"Outlook\" }) { url apiToken { id } } }",
            json!({}),
        )
        .await;
    let url = feed["createCalendarFeed"]["url"].as_str().unwrap();
    let feed_secret = url[url.find("/calendar/").unwrap() + "/calendar/".len()..]
        .trim_end_matches(".ics")
        .to_owned();

    let revoked_api = store
        .create_api_token(None, user, "revoked".into(), None)
        .await
        .unwrap();
    store
        .revoke_token(None, revoked_api.token.id)
        .await
        .unwrap();
    let feed_id = feed["createCalendarFeed"]["apiToken"]["id"]
        .as_str()
        .unwrap();
    let revoked_feed = c
        .as_secretariat(
            "mutation { createCalendarFeed(input: { name: \"Old phone\" }) { url apiToken { id } } }",
            json!({}),
        )
        .await;
    let revoked_feed_url = revoked_feed["createCalendarFeed"]["url"].as_str().unwrap();
    let revoked_feed_secret = revoked_feed_url
        [revoked_feed_url.find("/calendar/").unwrap() + "/calendar/".len()..]
        .trim_end_matches(".ics")
        .to_owned();
    let revoked_feed_id = revoked_feed["createCalendarFeed"]["apiToken"]["id"]
        .as_str()
        .unwrap();
    assert_ne!(revoked_feed_id, feed_id);
    c.as_secretariat(
        "mutation ($id: ID!) { revokeApiToken(input: { id: $id }) { apiToken { revokedAt } } }",
        json!({ "id": revoked_feed_id }),
    )
    .await;
    let expired_api = store
        .create_api_token(
            None,
            user,
            "expired".into(),
            Some(chrono::Utc::now() - Duration::minutes(1)),
        )
        .await
        .unwrap();
    let (expired_page, _) = store
        .login(
            &c.secretariat.user.email,
            PASSWORD.into(),
            Duration::seconds(-1),
            Surface::Pages,
        )
        .await
        .unwrap();
    let (expired_session, _) = store
        .login(
            &c.secretariat.user.email,
            PASSWORD.into(),
            Duration::seconds(-1),
            Surface::Api,
        )
        .await
        .unwrap();

    const Y: bool = true;
    const N: bool = false;
    let table: [(&str, &str, [bool; 5]); 9] = [
        ("login session", &login, [Y, Y, Y, N, N]),
        ("sign-in form session", &page, [N, N, N, Y, N]),
        ("API token", &api, [Y, Y, Y, N, N]),
        ("calendar-feed secret", &feed_secret, [N, N, N, N, Y]),
        ("revoked API token", &revoked_api.secret, [N; 5]),
        ("revoked feed secret", &revoked_feed_secret, [N; 5]),
        ("expired API token", &expired_api.secret, [N; 5]),
        ("expired form session", &expired_page.secret, [N; 5]),
        ("expired login session", &expired_session.secret, [N; 5]),
    ];
    let mut wrong = Vec::new();
    for (credential, secret, expected) in table {
        let opened = opens(&c, user, &meeting_ics, secret).await;
        for (surface, (expected, opened)) in SURFACES.iter().zip(expected.iter().zip(opened)) {
            if *expected != opened {
                wrong.push(format!(
                    "{credential} on {surface}: expected {}, got {}",
                    if *expected { "open" } else { "refused" },
                    if opened { "open" } else { "refused" },
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Signs `email` in through the GraphQL `login`; the session token, or the error code.
pub(crate) async fn login(c: &Commission, email: &str, password: &str) -> Result<String, String> {
    let answer = c
        .app
        .graphql(
            None,
            "mutation ($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { token } }",
            json!({ "email": email, "password": password }),
        )
        .await;
    match answer.body["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => Err(code.to_owned()),
        None => Ok(answer.data()["login"]["token"].as_str().unwrap().to_owned()),
    }
}

#[tokio::test]
async fn a_closed_account_is_refused_by_every_credential_and_by_its_password() {
    let c = Commission::new().await;
    let meeting = c.schedule("ORDINARY", Duration::days(3), None).await;
    let meeting_ics = format!("/meetings/{}.ics", meeting["id"].as_str().unwrap());
    let leaving = c
        .app
        .user(
            "colega@cmnp.example",
            cmnp_domain::user::Role::Secretariat,
            None,
        )
        .await;
    let email = leaving.user.email.as_str();
    let session = login(&c, email, PASSWORD).await.unwrap();
    let page = page_session(&c, email).await;
    let feed = c
        .app
        .graphql(
            Some(&leaving.token),
            "mutation { createCalendarFeed(input: { name: \"Outlook\" }) { url } }",
            json!({}),
        )
        .await;
    let url = feed.data()["createCalendarFeed"]["url"].as_str().unwrap();
    let feed = url[url.find("/calendar/").unwrap() + "/calendar/".len()..]
        .trim_end_matches(".ics")
        .to_owned();
    const Y: bool = true;
    const N: bool = false;
    let credentials: [(&str, &str, [bool; 5]); 4] = [
        ("login session", &session, [Y, Y, Y, N, N]),
        ("sign-in form session", &page, [N, N, N, Y, N]),
        ("API token", &leaving.token, [Y, Y, Y, N, N]),
        ("calendar-feed secret", &feed, [N, N, N, N, Y]),
    ];
    let who = leaving.user.id;
    for (credential, secret, expected) in credentials {
        assert_eq!(
            opens(&c, who, &meeting_ics, secret).await,
            expected,
            "{credential}, open account"
        );
    }

    let close = "mutation ($id: ID!) { deactivateUser(input: { id: $id }) { user { active } } }";
    let closed = c.as_secretariat(close, json!({ "id": who })).await;
    assert_eq!(closed["deactivateUser"]["user"]["active"], false);
    for (credential, secret, _) in credentials {
        assert_eq!(
            opens(&c, who, &meeting_ics, secret).await,
            [N; 5],
            "{credential}, closed account"
        );
    }
    assert_eq!(
        login(&c, email, PASSWORD).await,
        Err("UNAUTHENTICATED".to_owned())
    );
    let audit = c
        .as_secretariat(
            "query ($id: ID!) { auditEvents(filter: { objectId: $id }) { edges { node { action changes } } } }",
            json!({ "id": who }),
        )
        .await;
    let deactivation = audit["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .find(|node| node["action"] == "user.deactivate")
        .expect("the closing is audited")
        .clone();
    assert_eq!(
        deactivation["changes"]["tokensRevoked"], 4,
        "{deactivation}"
    );
    assert_eq!(
        deactivation["changes"]["active"],
        json!({ "before": true, "after": false })
    );

    // Reopened, the password signs in again and the revoked tokens stay revoked.
    let reopened = c
        .as_secretariat(
            "mutation ($id: ID!) { reactivateUser(input: { id: $id }) { user { active } } }",
            json!({ "id": who }),
        )
        .await;
    assert_eq!(reopened["reactivateUser"]["user"]["active"], true);
    for (credential, secret, _) in credentials {
        assert_eq!(
            opens(&c, who, &meeting_ics, secret).await,
            [N; 5],
            "{credential}, reopened account"
        );
    }
    let again = login(&c, email, PASSWORD).await.unwrap();
    assert_eq!(opens(&c, who, &meeting_ics, &again).await, [Y, Y, Y, N, N]);

    // Nobody closes their own account.
    let own = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            close,
            json!({ "id": c.secretariat.user.id }),
        )
        .await;
    assert_eq!((own.code(), own.field()), ("BAD_USER_INPUT", "id"));
}
