//! GraphQL over HTTP: media types, status codes, limits, and the other endpoints.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use cmnp_tests::{Gql, TestApp};
use serde_json::json;

fn post() -> axum::http::request::Builder {
    Request::post("/graphql").header(header::CONTENT_TYPE, "application/json")
}

/// POSTs `body` to `/graphql`, accepting `accept`.
async fn post_accepting(app: &TestApp, accept: &str, body: &serde_json::Value) -> Gql {
    app.gql(
        post()
            .header(header::ACCEPT, accept)
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn answers_in_the_media_type_the_client_accepts() {
    let app = TestApp::spawn().await;
    let body = json!({ "query": "{ me { id } }" }).to_string();
    for (accept, expected) in [
        (
            Some("application/graphql-response+json"),
            "application/graphql-response+json",
        ),
        (Some("application/json"), "application/json"),
        (Some("*/*"), "application/json"),
        (None, "application/json"),
    ] {
        let mut request = post();
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT, accept);
        }
        let response = app
            .gql(request.body(Body::from(body.clone())).unwrap())
            .await;
        assert_eq!(response.status, StatusCode::OK);
        let content_type = response.headers[header::CONTENT_TYPE].to_str().unwrap();
        assert!(
            content_type.starts_with(expected),
            "{accept:?} -> {content_type}"
        );
        assert_eq!(response.data()["me"], json!(null));
    }
}

#[tokio::test]
async fn refuses_what_it_cannot_serve_with_4xx() {
    let app = TestApp::spawn().await;
    let query = json!({ "query": "{ me { id } }" }).to_string();

    let not_acceptable = app
        .send(
            post()
                .header(header::ACCEPT, "text/csv")
                .body(Body::from(query.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(not_acceptable.0, StatusCode::NOT_ACCEPTABLE);

    let wrong_type = app
        .gql(
            Request::post("/graphql")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from(query.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let not_json = app.gql(post().body(Body::from("{ me")).unwrap()).await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    assert_eq!(not_json.code(), "BAD_USER_INPUT");

    let invalid_utf8 = app
        .gql(
            post()
                .body(Body::from(vec![b'{', 0xff, 0xfe, b'}']))
                .unwrap(),
        )
        .await;
    assert_eq!(invalid_utf8.status, StatusCode::BAD_REQUEST);

    let batch = json!([{ "query": "{ me { id } }" }, { "query": "{ me { id } }" }]).to_string();
    let batched = app.gql(post().body(Body::from(batch)).unwrap()).await;
    assert_eq!(batched.status, StatusCode::BAD_REQUEST);

    let wrong_shape = app
        .gql(post().body(Body::from(r#"{"query": 42}"#)).unwrap())
        .await;
    assert_eq!(wrong_shape.status, StatusCode::BAD_REQUEST);
}

/// A document that cannot be parsed or validated, or whose variables cannot be coerced,
/// never runs: no `data`, a `BAD_USER_INPUT` error, and `400` under
/// `application/graphql-response+json` but `200` under the legacy `application/json`, as
/// the GraphQL-over-HTTP specification asks.
#[tokio::test]
async fn documents_that_cannot_run_get_no_data_and_a_status_by_media_type() {
    let app = TestApp::spawn().await;
    for (query, variables) in [
        ("{ me { id ", json!({})),
        ("{ me { noSuchField } }", json!({})),
        ("query ($x: Int!) { me { id } }", json!({})),
        ("query ($x: Int!) { me { id } }", json!({ "x": "ten" })),
    ] {
        for (accept, status) in [
            ("application/graphql-response+json", StatusCode::BAD_REQUEST),
            ("application/json", StatusCode::OK),
        ] {
            let body = json!({ "query": query, "variables": variables });
            let response = post_accepting(&app, accept, &body).await;
            assert_eq!(response.status, status, "{query} {variables} as {accept}");
            assert_eq!(response.code(), "BAD_USER_INPUT", "{query} {variables}");
            assert!(
                response.body.get("data").is_none(),
                "{query} {variables}: {}",
                response.body
            );
        }
    }
}

/// Without its `query` parameter a request is malformed, not a document that fails: `400`
/// under either media type, by POST or GET.
#[tokio::test]
async fn a_request_without_a_query_is_400_under_either_media_type() {
    let app = TestApp::spawn().await;
    for accept in ["application/json", "application/graphql-response+json"] {
        let posted = post_accepting(&app, accept, &json!({ "qeury": "{ __typename }" })).await;
        let got = app
            .gql(
                Request::get("/graphql?qeury=%7B__typename%7D")
                    .header(header::ACCEPT, accept)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        for response in [posted, got] {
            assert_eq!(response.status, StatusCode::BAD_REQUEST, "{accept}");
            assert_eq!(response.code(), "BAD_USER_INPUT");
            assert!(
                response.error()["message"]
                    .as_str()
                    .unwrap()
                    .contains("no `query`"),
                "{}",
                response.body
            );
        }
    }
}

#[tokio::test]
async fn a_subscription_over_http_is_refused_once_pointing_to_websocket() {
    let app = TestApp::spawn().await;
    let response = app
        .graphql(
            None,
            "subscription { actionItemChanged { eventId } }",
            json!({}),
        )
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    let errors = response.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{:#}", response.body);
    assert_eq!(errors[0]["extensions"]["code"], "BAD_USER_INPUT");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("graphql-transport-ws"),
        "{:#}",
        response.body
    );
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let app = TestApp::spawn().await;
    let huge =
        json!({ "query": format!("{{ me {{ id }} }} #{}", "x".repeat(app.config.max_body_bytes)) })
            .to_string();
    let response = app.gql(post().body(Body::from(huge)).unwrap()).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.code(), "BAD_USER_INPUT");
}

#[tokio::test]
async fn get_runs_queries_refuses_mutations_and_serves_graphiql_to_browsers() {
    let app = TestApp::spawn().await;
    let query = app
        .gql(
            Request::get("/graphql?query=%7B%20me%20%7B%20id%20%7D%20%7D")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(query.status, StatusCode::OK);
    assert_eq!(query.data()["me"], json!(null));

    let mutation = app
        .gql(
            Request::get("/graphql?query=mutation%20%7B%20logout%20%7D")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(mutation.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(mutation.headers[header::ALLOW], "POST");

    let (status, headers, body) = app
        .send(
            Request::get("/graphql")
                .header(header::ACCEPT, "text/html")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(String::from_utf8(body).unwrap().contains("GraphiQL"));
}

#[tokio::test]
async fn depth_and_complexity_limits_refuse_expensive_queries() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let deep = "{ me { agency { representatives { agency { representatives { agency { representatives { agency { representatives { agency { representatives { agency { acronym } } } } } } } } } } } }";
    let response = app.graphql(Some(&secretariat.token), deep, json!({})).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(response.code(), "BAD_USER_INPUT");

    let aliases: String = (0..600)
        .map(|i| format!("a{i}: agencies(first: 100) {{ edges {{ node {{ acronym }} }} }} "))
        .collect();
    let response = app
        .graphql(
            Some(&secretariat.token),
            &format!("{{ {aliases} }}"),
            json!({}),
        )
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(
        response.error()["message"]
            .as_str()
            .unwrap()
            .contains("complex"),
        "{}",
        response.body
    );
}

#[tokio::test]
async fn page_size_and_cursors_are_validated() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let response = app
        .graphql(
            Some(&secretariat.token),
            "{ agencies(first: 1000000) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(response.code(), "BAD_USER_INPUT");
    assert_eq!(response.field(), "first");

    let response = app
        .graphql(
            Some(&secretariat.token),
            r#"{ agencies(after: "not-a-cursor") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(response.code(), "BAD_USER_INPUT");
    assert_eq!(response.field(), "after");
}

#[tokio::test]
async fn health_readiness_metrics_and_request_ids() {
    let app = TestApp::spawn().await;
    let (status, headers, body) = app
        .send(Request::get("/healthz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, b"ok");
    assert!(!headers["x-request-id"].is_empty());

    let (status, _, _) = app
        .send(Request::get("/readyz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, headers, body) = app
        .send(Request::get("/metrics").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = String::from_utf8(body).unwrap();
    assert!(
        text.contains(r#"cmnp_http_requests_total{method="GET",path="/healthz",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains("cmnp_http_request_duration_seconds_bucket"),
        "{text}"
    );
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    app.store.connection().clone().close().await.unwrap();
    let (status, _, _) = app
        .send(Request::get("/readyz").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn made_up_methods_and_paths_do_not_grow_the_metrics() {
    let app = TestApp::spawn().await;
    let made_up = async |from: usize, to: usize| {
        for n in from..to {
            for path in ["/healthz".to_owned(), format!("/made-up/{n}")] {
                let request = Request::builder()
                    .method(format!("FOO{n}").as_str())
                    .uri(path)
                    .body(Body::empty())
                    .unwrap();
                app.send(request).await;
            }
        }
    };
    let metrics = async || {
        let (_, _, body) = app
            .send(Request::get("/metrics").body(Body::empty()).unwrap())
            .await;
        let text = String::from_utf8(body).unwrap();
        let series = text
            .lines()
            .filter(|line| line.starts_with("cmnp_http_requests_total{"))
            .count();
        (text, series)
    };
    made_up(0, 50).await;
    let (_, before) = metrics().await;
    made_up(50, 100).await;
    let (text, after) = metrics().await;
    assert!(!text.contains("FOO"), "{text}");
    assert!(
        text.contains(
            r#"cmnp_http_requests_total{method="OTHER",path="/healthz",status="405"} 100"#
        ),
        "{text}"
    );
    assert!(!text.contains("made-up"), "{text}");
    // Fifty more made-up methods and paths add no series; the first scrape may add its own.
    assert!(after <= before + 1, "{before} series, then {after}: {text}");
}
