//! Hostile and malformed requests: each gets a clear 4xx or a GraphQL error with a code,
//! never a 5xx, and nothing is written. The cases are a table; the test reports how many
//! it tried and how each ended.

use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use cmnp_graphql::Introspection;
use cmnp_tests::TestApp;
use serde_json::{Value, json};
use tower::ServiceExt;

/// What a case should end in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// An HTTP status with no GraphQL execution (400, 413, 415…).
    Status(StatusCode),
    /// A GraphQL error with this `extensions.code`, whatever the status (200 or 400).
    Code(&'static str),
    /// A validation error for the document (400, errors without a code from resolvers).
    Invalid,
    /// `data` holds this field as null, without an error: nothing to reveal.
    Null(&'static str),
}

struct Case {
    name: &'static str,
    body: Vec<u8>,
    content_type: &'static str,
    signed_in: bool,
    expect: Expect,
}

fn case(name: &'static str, body: Value, signed_in: bool, expect: Expect) -> Case {
    Case {
        name,
        body: serde_json::to_vec(&body).unwrap(),
        content_type: "application/json",
        signed_in,
        expect,
    }
}

fn raw(name: &'static str, body: Vec<u8>, expect: Expect) -> Case {
    Case {
        name,
        body,
        content_type: "application/json",
        signed_in: true,
        expect,
    }
}

/// Spreads of `levels` fragments, each spreading the previous one twice: a document a
/// few hundred bytes long that would expand to 2^levels selections.
fn fragment_bomb(levels: usize) -> String {
    let mut document = String::from("query { ...F0 }\nfragment F0 on Query { me { id } }\n");
    for level in 1..levels {
        let previous = level - 1;
        document = document.replace("query { ...F0 }", &format!("query {{ ...F{level} }}"));
        document.push_str(&format!(
            "fragment F{level} on Query {{ ...F{previous} ...F{previous} }}\n"
        ));
    }
    document
}

fn cases() -> Vec<Case> {
    let aliases: String = (0..300)
        .map(|i| format!("a{i}: agencies(first: 100) {{ edges {{ node {{ id name }} }} }}"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut nested_json = String::from("{\"query\":\"{ me { id } }\",\"variables\":{\"x\":");
    nested_json.push_str(&"[".repeat(5_000));
    nested_json.push_str(&"]".repeat(5_000));
    nested_json.push_str("}}");
    vec![
        case("alias bomb", json!({ "query": format!("{{ {aliases} }}") }), true, Expect::Invalid),
        case("fragment cycle", json!({ "query": "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }" }), true, Expect::Invalid),
        case("fragment bomb", json!({ "query": fragment_bomb(40) }), true, Expect::Invalid),
        case("deep nesting", json!({ "query": format!("{{ {}id{} }}", "me { agency { ".repeat(20), " } }".repeat(20)) }), true, Expect::Invalid),
        case("huge page", json!({ "query": "{ agencies(first: 1000000) { totalCount } }" }), true, Expect::Code("BAD_USER_INPUT")),
        case("negative page", json!({ "query": "{ agencies(first: -5) { totalCount } }" }), true, Expect::Code("BAD_USER_INPUT")),
        case("tampered cursor", json!({ "query": "{ agencies(after: \"Zm9vOmJhcg\") { totalCount } }" }), true, Expect::Code("BAD_USER_INPUT")),
        case("cursor of another list", json!({ "query": "{ meetings(after: \"MjAyNi0xMS0yOFQwMDowMDowMFo\") { totalCount } }" }), true, Expect::Code("BAD_USER_INPUT")),
        case("malformed id", json!({ "query": "{ meeting(id: \"1 OR 1=1\") { id } }" }), true, Expect::Code("BAD_USER_INPUT")),
        case("unknown id", json!({ "query": "{ project(id: \"00000000-0000-0000-0000-000000000000\") { id } }" }), true, Expect::Null("project")),
        case("SQL in a string", json!({ "query": "{ agency(acronym: \"x' OR '1'='1\") { id } }" }), true, Expect::Null("agency")),
        case("NUL in input", json!({ "query": "mutation { createAgency(input: { acronym: \"A\\u0000B\", name: \"x\", kind: MINISTRY, membership: MEMBER }) { agency { id } } }" }), true, Expect::Code("BAD_USER_INPUT")),
        case("very long input", json!({ "query": "mutation ($n: String!) { createAgency(input: { acronym: \"LONG\", name: $n, kind: MINISTRY, membership: MEMBER }) { agency { id } } }", "variables": { "n": "x".repeat(200_000) } }), true, Expect::Code("BAD_USER_INPUT")),
        case("variable of the wrong type", json!({ "query": "query ($n: Int) { agencies(first: $n) { totalCount } }", "variables": { "n": "ten" } }), true, Expect::Invalid),
        case("variables not an object", json!({ "query": "{ me { id } }", "variables": [1, 2] }), true, Expect::Status(StatusCode::BAD_REQUEST)),
        case("query not a string", json!({ "query": 42 }), true, Expect::Status(StatusCode::BAD_REQUEST)),
        case("unknown operation name", json!({ "query": "query A { me { id } }", "operationName": "B" }), true, Expect::Invalid),
        case("two operations, none named", json!({ "query": "query A { me { id } } query B { me { id } }" }), true, Expect::Invalid),
        case("batch", json!([{ "query": "{ me { id } }" }, { "query": "{ me { id } }" }]), true, Expect::Status(StatusCode::BAD_REQUEST)),
        case("mutation as anonymous", json!({ "query": "mutation { createAgency(input: { acronym: \"ANON\", name: \"x\", kind: MINISTRY, membership: MEMBER }) { agency { id } } }" }), false, Expect::Code("UNAUTHENTICATED")),
        raw("invalid UTF-8", b"{\"query\":\"{ me { id \xff\xfe } }\"}".to_vec(), Expect::Status(StatusCode::BAD_REQUEST)),
        raw("truncated JSON", b"{\"query\":\"{ me { id } }\"".to_vec(), Expect::Status(StatusCode::BAD_REQUEST)),
        raw("deeply nested JSON", nested_json.into_bytes(), Expect::Status(StatusCode::BAD_REQUEST)),
        raw("oversized variables", serde_json::to_vec(&json!({ "query": "{ me { id } }", "variables": { "x": "y".repeat(2 * 1024 * 1024) } })).unwrap(), Expect::Status(StatusCode::PAYLOAD_TOO_LARGE)),
        Case { name: "form body", body: b"query=%7B+me+%7B+id+%7D+%7D".to_vec(), content_type: "application/x-www-form-urlencoded", signed_in: true, expect: Expect::Status(StatusCode::UNSUPPORTED_MEDIA_TYPE) },
    ]
}

#[tokio::test]
async fn hostile_requests_get_a_clear_4xx_or_coded_error_and_never_a_5xx() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let mut failures = Vec::new();
    let all = cases();
    for case in &all {
        let mut request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, case.content_type)
            .header(header::ACCEPT, "application/graphql-response+json");
        if case.signed_in {
            request = request.header(
                header::AUTHORIZATION,
                format!("Bearer {}", secretariat.token),
            );
        }
        let started = Instant::now();
        let (status, _, body) = app
            .send(request.body(Body::from(case.body.clone())).unwrap())
            .await;
        let elapsed = started.elapsed();
        let json: Option<Value> = serde_json::from_slice(&body).ok();
        let code = json.as_ref().and_then(|j| {
            j["errors"][0]["extensions"]["code"]
                .as_str()
                .map(str::to_owned)
        });
        let has_errors = json.as_ref().is_some_and(|j| j["errors"].is_array());
        let ok = !status.is_server_error()
            && match case.expect {
                Expect::Status(expected) => status == expected,
                Expect::Code(expected) => code.as_deref() == Some(expected),
                Expect::Invalid => status == StatusCode::BAD_REQUEST && has_errors,
                Expect::Null(field) => {
                    status == StatusCode::OK
                        && !has_errors
                        && json.as_ref().is_some_and(|j| j["data"][field].is_null())
                }
            };
        eprintln!(
            "{:<28} {status} {:<16} {elapsed:?}",
            case.name,
            code.as_deref().unwrap_or("-")
        );
        if !ok {
            failures.push(format!(
                "{}: expected {:?}, got {status} {}",
                case.name,
                case.expect,
                String::from_utf8_lossy(&body)
                    .chars()
                    .take(300)
                    .collect::<String>()
            ));
        }
    }
    eprintln!(
        "hostile cases tried: {}, as expected: {}",
        all.len(),
        all.len() - failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    // Nothing the hostile mutations tried was written.
    let agencies = app
        .graphql(
            Some(&secretariat.token),
            "{ agencies { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(agencies.data()["agencies"]["totalCount"], 0);
}

#[tokio::test]
async fn introspection_follows_the_configured_policy() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let probe = |policy: Introspection, token: Option<String>| {
        let mut config = app.config.clone();
        config.introspection = policy;
        let router = cmnp_server::router(app.store.clone(), &config);
        async move {
            let mut request =
                Request::post("/graphql").header(header::CONTENT_TYPE, "application/json");
            if let Some(token) = token {
                request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            let response = router
                .oneshot(
                    request
                        .body(Body::from(
                            r#"{"query":"{ __schema { queryType { name } } }"}"#,
                        ))
                        .unwrap(),
                )
                .await
                .unwrap();
            let body = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            let json: Value = serde_json::from_slice(&body).unwrap();
            json["data"]["__schema"]["queryType"]["name"] == "Query"
        }
    };
    let token = Some(secretariat.token.clone());
    assert!(probe(Introspection::Everyone, None).await);
    assert!(!probe(Introspection::SignedIn, None).await);
    assert!(probe(Introspection::SignedIn, token.clone()).await);
    assert!(!probe(Introspection::Nobody, token).await);
}
