//! GraphiQL is served by cmnp itself, with nothing fetched from elsewhere: the page names
//! only the server's own files, and each is served with its type, gzipped, and
//! revalidated by its `ETag`. (`browser.rs` runs it in Chromium with the network cut.)

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use cmnp_tests::TestApp;

async fn get(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

/// The paths of the page's scripts and style sheets.
fn references(page: &str) -> Vec<String> {
    ["src=\"", "href=\""]
        .iter()
        .flat_map(|attribute| page.split(attribute).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_page_loads_only_files_the_server_serves_itself() {
    let app = TestApp::spawn().await;
    let (status, headers, body) = get(&app, "/graphql", &[("accept", "text/html")]).await;
    assert_eq!(status, StatusCode::OK);
    let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(policy.contains("script-src 'self';"), "{policy}");
    assert!(policy.contains("connect-src 'self';"), "{policy}");
    let page = String::from_utf8(body).unwrap();
    let references = references(&page);
    assert_eq!(references.len(), 6, "{references:?}");
    for reference in &references {
        assert!(
            reference.starts_with("/graphiql/"),
            "{reference} is not ours"
        );
        let (status, headers, body) =
            get(&app, reference, &[("accept-encoding", "gzip, deflate, br")]).await;
        assert_eq!(status, StatusCode::OK, "{reference}");
        let content_type = headers[header::CONTENT_TYPE].to_str().unwrap();
        let expected = if reference.ends_with(".js") {
            "text/javascript"
        } else {
            "text/css"
        };
        assert!(
            content_type.starts_with(expected),
            "{reference}: {content_type}"
        );
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        // The packages' files travel gzipped (the magic bytes 1f 8b); cmnp's own do not.
        let gzipped = headers.get(header::CONTENT_ENCODING).is_some();
        assert_eq!(gzipped, body.starts_with(&[0x1f, 0x8b]), "{reference}");
        assert!(body.len() > 50, "{reference}: {} bytes", body.len());
    }
    let (_, headers, body) = get(&app, "/graphiql/graphiql.min.js", &[]).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
    assert!(body.len() > 500_000, "{} bytes", body.len());
}

#[tokio::test]
async fn files_are_revalidated_by_etag_and_refused_to_clients_without_gzip() {
    let app = TestApp::spawn().await;
    let (status, headers, _) = get(&app, "/graphiql/react.production.min.js", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    let etag = headers[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.contains("18.3.1"), "{etag}");

    let (status, _, body) = get(
        &app,
        "/graphiql/react.production.min.js",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());

    let (status, _, body) = get(
        &app,
        "/graphiql/react.production.min.js",
        &[("accept-encoding", "identity")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert!(String::from_utf8(body).unwrap().contains("gzip"));

    let (status, _, _) = get(&app, "/graphiql/../Cargo.toml", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(&app, "/graphiql/secret.js", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
