//! GraphQL over HTTP, checked by an independent audit: the `graphql-http` package's
//! server audits (the specification's reference implementation) run against cmnp on a
//! real port, and every one of them passes: each MUST, each SHOULD and each MAY.
//!
//! It needs Node.js and the npm packages of `tests/browser`, so like the browser test it
//! is ignored unless run with `--include-ignored` and `CMNP_BROWSER_TESTS` set; then a
//! missing piece fails it.

use std::path::PathBuf;
use std::process::Command;

use cmnp_tests::TestApp;
use serde_json::Value;
use tokio::net::TcpListener;

/// The audits `graphql-http` 1.23.1 (pinned in `tests/browser/package.json`) runs.
const AUDITS: usize = 61;

#[tokio::test]
#[ignore = "needs Node.js and `npm ci --prefix tests/browser`: run with CMNP_BROWSER_TESTS=1 and --include-ignored"]
async fn the_graphql_over_http_audit_passes_every_check() {
    cmnp_tests::required(
        "CMNP_BROWSER_TESTS",
        "Node.js and `npm ci --prefix tests/browser`",
    );
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let script = root.join("tests/browser/audit.mjs");
    assert!(
        root.join("tests/browser/node_modules/graphql-http")
            .is_dir(),
        "run `npm ci --prefix tests/browser` first"
    );
    let app = TestApp::spawn().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/graphql", listener.local_addr().unwrap());
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    let output =
        tokio::task::spawn_blocking(move || Command::new("node").arg(script).arg(url).output())
            .await
            .unwrap()
            .expect("node runs (install Node.js)");
    server.abort();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    let failed: Vec<&Value> = results.iter().filter(|r| r["status"] != "ok").collect();
    for result in &failed {
        eprintln!(
            "{} {} [{}]: {}",
            result["status"], result["name"], result["id"], result["reason"]
        );
    }
    let count = |level: &str| {
        results
            .iter()
            .filter(|r| r["name"].as_str().unwrap_or_default().starts_with(level))
            .count()
    };
    eprintln!(
        "audits: {} ({} MUST, {} SHOULD, {} MAY); not ok: {}",
        results.len(),
        count("MUST"),
        count("SHOULD"),
        count("MAY"),
        failed.len()
    );
    assert_eq!(results.len(), AUDITS, "the audit ran another set of checks");
    assert!(count("MUST") > 0, "the audit ran no MUST checks");
    assert!(failed.is_empty(), "{failed:#?}");
}
