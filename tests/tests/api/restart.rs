//! A real PostgreSQL restart under load. The machine's shared server must not be
//! restarted, so the test starts a private cluster of its own (initdb on a free loopback
//! port, removed afterwards), serves the app from it, and restarts it twice while four
//! clients write and read: once cleanly (`pg_ctl stop -m fast`), once as a crash
//! (`-m immediate`, with WAL recovery on start). Every request is answered in time,
//! failures are clean `INTERNAL` errors, the service recovers by itself within a bound,
//! and every write it confirmed is still there.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::StatusCode;
use cmnp_tests::{TestApp, TestDatabase, graphql_request};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// How long after the server is up again the first request must succeed: the pool's
/// acquire timeout (10 s), and a margin.
const RECOVERY_LIMIT: Duration = Duration::from_secs(15);
/// How long the server stays down during a restart.
const DOWNTIME: Duration = Duration::from_secs(1);

/// A PostgreSQL cluster of the test's own, in a temporary folder owned by the
/// `postgres` user (initdb and postgres refuse to run as root). Dropping it stops the
/// server and removes the folder, also when the test panics.
struct Cluster {
    folder: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    /// Whether commands run as the `postgres` user (when the test runs as root).
    as_postgres: bool,
}

impl Cluster {
    /// Creates the cluster (trust authentication, superuser `postgres`) and starts it.
    fn start() -> Self {
        let bin = server_binaries();
        let folder = tempfile::tempdir().expect("temporary folder");
        let as_postgres = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
        if as_postgres {
            let (uid, gid) = (postgres_id("-u"), postgres_id("-g"));
            std::os::unix::fs::chown(folder.path(), Some(uid), Some(gid))
                .expect("give the cluster's folder to the postgres user");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let cluster = Self {
            folder,
            bin,
            port,
            as_postgres,
        };
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-A".as_ref(),
                "trust".as_ref(),
                "-U".as_ref(),
                "postgres".as_ref(),
                "--no-sync".as_ref(),
            ],
        );
        cluster.up();
        cluster
    }

    fn data(&self) -> PathBuf {
        self.folder.path().join("data")
    }

    /// The URL of the cluster's maintenance database.
    fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the server and waits until it accepts connections.
    fn up(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.folder.path().display()
        );
        let log = self.folder.path().join("server.log");
        let data = self.data();
        self.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-o".as_ref(),
                options.as_ref(),
                "-w".as_ref(),
                "start".as_ref(),
            ],
        );
    }

    /// Stops the server: `fast` rolls back open transactions and checkpoints,
    /// `immediate` stops at once, as a crash would.
    fn down(&self, mode: &str) {
        let data = self.data();
        self.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-m".as_ref(),
                mode.as_ref(),
                "-w".as_ref(),
                "stop".as_ref(),
            ],
        );
    }

    /// The running server's process id, from `postmaster.pid`.
    fn server_pid(&self) -> String {
        let pid_file = self.data().join("postmaster.pid");
        std::fs::read_to_string(&pid_file)
            .expect("the server's pid file")
            .lines()
            .next()
            .expect("a pid")
            .to_owned()
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        };
        command.current_dir(self.folder.path());
        command
    }

    fn run(&self, program: &str, args: &[&std::ffi::OsStr]) {
        let output = self
            .command(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        assert!(
            output.status.success(),
            "{program} {args:?} failed: {}{}\nserver log:\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            std::fs::read_to_string(self.folder.path().join("server.log")).unwrap_or_default()
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        // The folder is removed afterwards whatever this answers.
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(data)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}

/// The folder of PostgreSQL's server programs: `pg_config --bindir`, or the newest
/// `/usr/lib/postgresql/<version>/bin` (Debian's layout).
fn server_binaries() -> PathBuf {
    let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()));
    if let Some(dir) = from_pg_config.filter(|dir| has_server(dir)) {
        return dir;
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            has_server(&bin).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).unwrap_or_else(|| {
        panic!(
            "TEST_DATABASE_URL is set, so the PostgreSQL restart test must run, but no \
             PostgreSQL server programs (initdb, pg_ctl) were found through \
             `pg_config --bindir` or in /usr/lib/postgresql/<version>/bin: install them \
             (Debian: apt-get install postgresql)"
        )
    })
}

/// The `postgres` user's id (`-u`) or group id (`-g`).
fn postgres_id(which: &str) -> u32 {
    let output = Command::new("id")
        .args([which, "postgres"])
        .output()
        .expect("run id");
    assert!(
        output.status.success(),
        "the test runs as root, so the private cluster must run as the `postgres` user, \
         which does not exist: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("a numeric id")
}

/// One request's outcome.
#[derive(Debug)]
struct Outcome {
    /// When the answer arrived, since the load started.
    at: Duration,
    ok: bool,
    status: StatusCode,
    codes: Vec<String>,
}

#[derive(Debug, Default)]
struct Tally {
    confirmed: Vec<String>,
    outcomes: Vec<Outcome>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL's server programs: run with TEST_DATABASE_URL and --include-ignored"]
async fn postgres_restarted_under_load_recovers_and_loses_no_confirmed_write() {
    cmnp_tests::required(
        "TEST_DATABASE_URL",
        "PostgreSQL (its server programs start a private cluster)",
    );
    // Declared before the app, so that it is dropped after it (the app drops its
    // database on the cluster).
    let cluster = Cluster::start();
    let app = TestApp::spawn_on(TestDatabase::postgres(cluster.admin_url()).await).await;
    let patience = app.config.request_timeout + Duration::from_secs(5);
    let secretariat = app.secretariat().await;
    let mut pids = vec![cluster.server_pid()];

    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    // When the latest successful answer arrived, in milliseconds since `started`.
    let last_ok = Arc::new(AtomicU64::new(0));
    let mut clients = Vec::new();
    for client in 0..4 {
        let router = app.router.clone();
        let token = secretariat.token.clone();
        let stop = stop.clone();
        let last_ok = last_ok.clone();
        clients.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let acronym = format!("R{client}-{n}");
                n += 1;
                let write = call(
                    &router,
                    &token,
                    patience,
                    "mutation ($a: String!) { createAgency(input: { acronym: $a, name: \"Entidad\", kind: MINISTRY, membership: MEMBER }) { agency { acronym } } }",
                    json!({ "a": acronym }),
                )
                .await;
                let confirmed = write.1["data"]["createAgency"]["agency"]["acronym"] == acronym;
                if confirmed {
                    tally.confirmed.push(acronym);
                }
                tally
                    .outcomes
                    .push(outcome(started, confirmed, &write, &last_ok));
                let read = call(
                    &router,
                    &token,
                    patience,
                    "{ agencies(first: 5) { totalCount edges { node { id acronym } } } }",
                    json!({}),
                )
                .await;
                let read_ok = read.1["data"]["agencies"]["totalCount"].is_number();
                tally
                    .outcomes
                    .push(outcome(started, read_ok, &read, &last_ok));
            }
            tally
        }));
    }

    // Load first, then two restarts, each followed by load until the service has
    // answered again and a while longer.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut ups = Vec::new();
    for mode in ["fast", "immediate"] {
        tokio::task::block_in_place(|| cluster.down(mode));
        tokio::time::sleep(DOWNTIME).await;
        tokio::task::block_in_place(|| cluster.up());
        let up = started.elapsed();
        ups.push(up);
        pids.push(cluster.server_pid());
        let deadline = Instant::now() + RECOVERY_LIMIT;
        while u128::from(last_ok.load(Ordering::Relaxed)) < up.as_millis()
            && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop.store(true, Ordering::Relaxed);
    let mut tallies = Vec::new();
    for client in clients {
        tallies.push(client.await.expect("client"));
    }

    let outcomes: Vec<&Outcome> = tallies.iter().flat_map(|t| &t.outcomes).collect();
    let confirmed: Vec<&String> = tallies.iter().flat_map(|t| &t.confirmed).collect();
    let refused: Vec<&&Outcome> = outcomes.iter().filter(|o| !o.ok).collect();
    let recoveries: Vec<Option<Duration>> = ups
        .iter()
        .map(|up| {
            outcomes
                .iter()
                .filter(|o| o.ok && o.at >= *up)
                .map(|o| o.at - *up)
                .min()
        })
        .collect();
    eprintln!(
        "restart under load: {} requests, {} confirmed writes, {} refused ({} with 500, {} with 503), recovery after each restart: {:?} ms; server pids {pids:?}",
        outcomes.len(),
        confirmed.len(),
        refused.len(),
        refused
            .iter()
            .filter(|o| o.status == StatusCode::INTERNAL_SERVER_ERROR)
            .count(),
        refused
            .iter()
            .filter(|o| o.status == StatusCode::SERVICE_UNAVAILABLE)
            .count(),
        recoveries
            .iter()
            .map(|r| r.map(|r| r.as_millis()))
            .collect::<Vec<_>>(),
    );

    // The server really restarted, twice.
    pids.dedup();
    assert_eq!(pids.len(), 3, "{pids:?}");
    // A failure is a clean answer of the design: an `INTERNAL` error (200 when the
    // operation failed, 500 when the token could not be checked), or the request
    // timeout's 503; never a client error such as UNAUTHENTICATED for a valid token.
    let unclean: Vec<&&&Outcome> = refused
        .iter()
        .filter(|o| {
            let internal = !o.codes.is_empty() && o.codes.iter().all(|c| c == "INTERNAL");
            !matches!(
                (o.status, internal),
                (StatusCode::OK | StatusCode::INTERNAL_SERVER_ERROR, true)
                    | (StatusCode::SERVICE_UNAVAILABLE, _)
            )
        })
        .collect();
    assert!(unclean.is_empty(), "{unclean:#?}");
    // The service recovered by itself, promptly, after each restart.
    for recovery in &recoveries {
        let recovery = recovery.expect("a request succeeded after the restart");
        assert!(recovery <= RECOVERY_LIMIT, "recovered after {recovery:?}");
    }

    // Every confirmed write is there, read page by page.
    let stored = app.agency_acronyms(&secretariat.token).await;
    let lost: Vec<&&String> = confirmed.iter().filter(|a| !stored.contains(a)).collect();
    eprintln!("confirmed writes lost: {}", lost.len());
    assert!(lost.is_empty(), "confirmed writes lost: {lost:?}");
    assert!(!confirmed.is_empty(), "the load wrote nothing");
}

/// One GraphQL request through the router, answered within `patience`: its status and
/// its body (`null` when the body is not JSON, as the timeout's is not).
async fn call(
    router: &Router,
    token: &str,
    patience: Duration,
    query: &str,
    variables: Value,
) -> (StatusCode, Value) {
    let request = graphql_request(token, query, variables);
    let response = tokio::time::timeout(patience, router.clone().oneshot(request))
        .await
        .expect("no request hangs past the request timeout")
        .expect("router answers");
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// What a request's answer tells, noting the time of a success in `last_ok`.
fn outcome(
    started: Instant,
    ok: bool,
    (status, body): &(StatusCode, Value),
    last_ok: &AtomicU64,
) -> Outcome {
    let at = started.elapsed();
    if ok {
        let millis = u64::try_from(at.as_millis()).unwrap_or(u64::MAX);
        last_ok.fetch_max(millis, Ordering::Relaxed);
    }
    let codes = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            e["extensions"]["code"]
                .as_str()
                .unwrap_or("NONE")
                .to_owned()
        })
        .collect();
    Outcome {
        at,
        ok,
        status: *status,
        codes,
    }
}
