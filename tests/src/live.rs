//! For the live-update tests: the router on a real port, and subscribers that are real
//! `graphql-ws` clients under Node (`tests/browser/live.mjs`), whose every message the
//! test reads.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use axum::Router;
use serde_json::Value;
use tokio::net::TcpListener;

use http_body_util::BodyExt;
use tower::ServiceExt;

/// Serves `router` on a free loopback port; returns the WebSocket URL of `/graphql`.
pub async fn serve(router: Router) -> (String, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let address = listener.local_addr().expect("the port");
    let task = tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    (format!("ws://{address}/graphql"), task)
}

/// Node processes of `graphql-ws` clients, and what they heard, line by line.
pub struct Subscribers {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<Value>,
    /// Everything heard so far, in the order it arrived.
    pub heard: Vec<Value>,
}

impl Subscribers {
    /// Starts the subscribers of `spec` (see `live.mjs`) against `url`.
    pub fn start(url: &str, spec: &Value) -> Self {
        crate::required(
            "CMNP_BROWSER_TESTS",
            "Node.js and `npm ci --prefix tests/browser`",
        );
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/browser/live.mjs");
        let mut child = Command::new("node")
            .arg(script)
            .arg(url)
            .arg(spec.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node runs (install Node.js)");
        let stdout = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                let value = serde_json::from_str(&line)
                    .unwrap_or_else(|_| panic!("live.mjs printed {line:?}"));
                if sender.send(value).is_err() {
                    return;
                }
            }
        });
        Self {
            child,
            stdin,
            lines,
            heard: Vec::new(),
        }
    }

    /// Waits (at most `patience`) until what was heard satisfies `done`; panics with
    /// everything heard otherwise.
    pub async fn until(&mut self, what: &str, patience: Duration, done: impl Fn(&[Value]) -> bool) {
        let deadline = Instant::now() + patience;
        loop {
            while let Ok(line) = self.lines.try_recv() {
                self.heard.push(line);
            }
            if done(&self.heard) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "waited {patience:?} for {what}; heard:\n{:#?}",
                self.heard
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Takes in whatever arrives during `quiet`, to catch what should not come.
    pub async fn settle(&mut self, quiet: Duration) {
        tokio::time::sleep(quiet).await;
        while let Ok(line) = self.lines.try_recv() {
            self.heard.push(line);
        }
    }

    /// The payloads subscriber `name` received on its subscription `index`, in order.
    pub fn events(&self, name: &str, index: u64) -> Vec<&Value> {
        self.heard
            .iter()
            .filter(|line| {
                line["name"] == name && line["index"] == index && line.get("next").is_some()
            })
            .map(|line| &line["next"])
            .collect()
    }

    /// The line of `name` that has `key`, if any.
    pub fn line(&self, name: &str, key: &str) -> Option<&Value> {
        self.heard
            .iter()
            .find(|line| line["name"] == name && line.get(key).is_some())
    }
}

impl Drop for Subscribers {
    fn drop(&mut self) {
        // Closing standard input ends the clients; a stuck one is killed.
        self.stdin.take();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The value of a gauge on `/metrics` of `router` (0 when absent).
pub async fn gauge(router: &Router, name: &str) -> i64 {
    let response = router
        .clone()
        .oneshot(
            axum::http::Request::get("/metrics")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .expect("the router answers");
    let body = response
        .into_body()
        .collect()
        .await
        .expect("the body")
        .to_bytes();
    String::from_utf8_lossy(&body)
        .lines()
        .find_map(|line| {
            line.strip_prefix(&format!("{name} "))
                .map(str::trim)
                .map(str::to_owned)
        })
        .and_then(|value| value.parse().ok())
        .unwrap_or(0)
}

/// Waits until `router` counts `open` subscriptions: the subscribers are listening.
pub async fn wait_for_subscriptions(router: &Router, open: i64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let now_open = gauge(router, "cmnp_subscriptions_open").await;
        if now_open >= open {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{now_open} subscriptions open, waiting for {open}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
