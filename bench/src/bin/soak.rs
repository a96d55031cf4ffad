//! A long soak of the real server: starts the release `cmnp serve --demo` as a child
//! process on a fresh SQLite database and a loopback port, and drives it over HTTP with
//! mixed reads and writes as the three roles (the secretariat reads sessions, overdue
//! items with their history and agencies, and creates agencies; agency focal points of
//! MIMP and IOM list their items and note progress on one of their own, sending back the
//! version they read; the PRM donor reads its projects with budgets and results) for a
//! given time, while the server's resident memory (`VmRSS` of its `/proc/<pid>/status`)
//! is sampled every two seconds.
//!
//! ```sh
//! cargo build --release -p cmnp-server -p cmnp-bench
//! target/release/soak                      # 10 minutes, 6 clients
//! target/release/soak --minutes 30 --clients 9
//! target/release/soak --seconds 60 --server target/release/cmnp
//! ```
//!
//! It fails (exit status 1) on any error, an answer that is not `200` or that carries
//! `errors`, and when the server's memory grows: no sample after the warm-up (the first
//! minute, or the first fifth of a shorter soak) may exceed the sample taken as the
//! warm-up ends by more than [`GROWTH_PERCENT`] % or [`GROWTH_FLOOR_MIB`] MiB, whichever
//! is larger.
#![allow(clippy::print_stdout)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::{Request, StatusCode, header};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpStream;

/// How much the server's memory may grow after the warm-up, in percent of its size then…
const GROWTH_PERCENT: f64 = 20.0;
/// …or in MiB, whichever is larger (a small heap's ordinary ups and downs are a few MiB).
const GROWTH_FLOOR_MIB: f64 = 16.0;
/// How often the server's memory is sampled.
const SAMPLE_EVERY: Duration = Duration::from_secs(2);
/// The demo users' password (`cmnp_server::demo::DEMO_PASSWORD`).
const DEMO_PASSWORD: &str = "cmnp-demo-2026";

struct Options {
    duration: Duration,
    clients: usize,
    server: PathBuf,
}

fn options() -> anyhow::Result<Options> {
    let mut duration = Duration::from_secs(10 * 60);
    let mut clients = 6;
    let mut server = std::env::current_exe()?
        .parent()
        .context("the soak program's folder")?
        .join("cmnp");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--minutes" => {
                duration = Duration::from_secs(60 * value()?.parse::<u64>()?);
            }
            "--seconds" => duration = Duration::from_secs(value()?.parse()?),
            "--clients" => clients = value()?.parse()?,
            "--server" => server = PathBuf::from(value()?),
            other => bail!(
                "unknown argument {other:?}; usage: soak [--minutes N | --seconds N] [--clients N] [--server PATH]"
            ),
        }
    }
    if duration.is_zero() || clients == 0 {
        bail!("the duration and the number of clients must be greater than zero");
    }
    if !server.is_file() {
        bail!(
            "no server at {}: build it with `cargo build --release -p cmnp-server`, or name it with --server",
            server.display()
        );
    }
    Ok(Options {
        duration,
        clients,
        server,
    })
}

/// The server process, killed when dropped.
struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One keep-alive HTTP/1.1 connection to the server.
struct Client {
    sender: SendRequest<Full<Bytes>>,
    host: String,
}

impl Client {
    async fn connect(host: &str) -> anyhow::Result<Self> {
        let stream = TcpStream::connect(host).await?;
        stream.set_nodelay(true)?;
        let (sender, connection) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        Ok(Self {
            sender,
            host: host.to_owned(),
        })
    }

    async fn get(&mut self, path: &str) -> anyhow::Result<StatusCode> {
        let request = Request::get(path)
            .header(header::HOST, &self.host)
            .body(Full::default())?;
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let status = response.status();
        response.into_body().collect().await?;
        Ok(status)
    }

    /// Sends a GraphQL operation; an error unless the answer is `200` without `errors`.
    async fn graphql(
        &mut self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> anyhow::Result<Value> {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let mut request = Request::post("/graphql")
            .header(header::HOST, &self.host)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = request.body(Full::new(Bytes::from(body)))?;
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let status = response.status();
        let bytes = response.into_body().collect().await?.to_bytes();
        let answer: Value = serde_json::from_slice(&bytes).with_context(|| {
            format!(
                "{status}, not JSON: {}",
                String::from_utf8_lossy(bytes.get(..200).unwrap_or(&bytes))
            )
        })?;
        if status != StatusCode::OK || answer.get("errors").is_some() {
            bail!("{status}: {answer}");
        }
        Ok(answer.get("data").cloned().unwrap_or_default())
    }
}

/// A demo user, signed in.
#[derive(Clone)]
struct User {
    token: String,
    agency_id: Value,
}

async fn sign_in(client: &mut Client, email: &str) -> anyhow::Result<User> {
    let login = client
        .graphql(
            None,
            "mutation ($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { token } }",
            json!({ "e": email, "p": DEMO_PASSWORD }),
        )
        .await
        .with_context(|| format!("sign in as {email}"))?;
    let token = login
        .pointer("/login/token")
        .and_then(Value::as_str)
        .context("a token")?
        .to_owned();
    let me = client
        .graphql(Some(&token), "{ me { agency { id } } }", json!({}))
        .await?;
    Ok(User {
        token,
        agency_id: me.pointer("/me/agency/id").cloned().unwrap_or_default(),
    })
}

/// What one client does, over and over.
enum Role {
    Secretariat(User),
    /// An agency focal point and the action item (its own, not overdue) it updates.
    Agency(User, Value),
    Donor(User),
}

/// What one client did.
#[derive(Default)]
struct Tally {
    requests: u64,
    errors: Vec<String>,
    latencies: Vec<Duration>,
}

impl Tally {
    async fn send(
        &mut self,
        client: &mut Client,
        token: &str,
        query: &str,
        variables: Value,
    ) -> Option<Value> {
        let started = Instant::now();
        let answer = client.graphql(Some(token), query, variables).await;
        self.latencies.push(started.elapsed());
        self.requests += 1;
        match answer {
            Ok(data) => Some(data),
            Err(error) => {
                self.errors.push(format!("{error:#}"));
                None
            }
        }
    }
}

async fn run_client(
    host: String,
    number: usize,
    role: Role,
    stop: Arc<AtomicBool>,
) -> anyhow::Result<Tally> {
    let mut client = Client::connect(&host).await?;
    let mut tally = Tally::default();
    let mut round = 0u64;
    while !stop.load(Ordering::Relaxed) {
        match &role {
            Role::Secretariat(user) => {
                let token = &user.token;
                tally
                    .send(
                        &mut client,
                        token,
                        "{ meetings(first: 10) { edges { node { label agenda { title } quorum { present required } } } } }",
                        json!({}),
                    )
                    .await;
                tally
                    .send(
                        &mut client,
                        token,
                        "{ actionItems(first: 50, filter: { overdue: true }) { totalCount edges { node { reference responsible { acronym } history { note } } } } }",
                        json!({}),
                    )
                    .await;
                tally
                    .send(
                        &mut client,
                        token,
                        "mutation ($a: String!) { createAgency(input: { acronym: $a, name: \"Entidad de prueba\", kind: MINISTRY, membership: PARTNER }) { agency { id } } }",
                        json!({ "a": format!("SOAK{number}-{round}") }),
                    )
                    .await;
                tally
                    .send(
                        &mut client,
                        token,
                        "{ agencies(first: 20) { totalCount edges { node { acronym votes representatives { name } } } } }",
                        json!({}),
                    )
                    .await;
            }
            Role::Agency(user, item) => {
                let token = &user.token;
                tally
                    .send(
                        &mut client,
                        token,
                        "query ($a: ID!) { actionItems(first: 20, filter: { responsibleAgencyId: $a }) { edges { node { reference status dueOn supporting { acronym } } } } }",
                        json!({ "a": user.agency_id }),
                    )
                    .await;
                let current = tally
                    .send(
                        &mut client,
                        token,
                        "query ($id: ID!) { actionItem(id: $id) { version } }",
                        json!({ "id": item }),
                    )
                    .await;
                if let Some(current) = current {
                    tally
                        .send(
                            &mut client,
                            token,
                            "mutation ($id: ID!, $v: Int!, $n: String!) { updateActionItem(input: { id: $id, expectedVersion: $v, note: $n }) { actionItem { version } } }",
                            json!({ "id": item, "v": current.pointer("/actionItem/version"), "n": format!("Avance {round}") }),
                        )
                        .await;
                }
            }
            Role::Donor(user) => {
                let token = &user.token;
                tally
                    .send(
                        &mut client,
                        token,
                        "{ projects(first: 10) { edges { node { title budget spent results { indicators { target actual } } } } } }",
                        json!({}),
                    )
                    .await;
                tally
                    .send(
                        &mut client,
                        token,
                        "{ me { name agency { acronym } } }",
                        json!({}),
                    )
                    .await;
            }
        }
        round += 1;
    }
    Ok(tally)
}

/// The resident memory of process `pid`, in MiB.
fn rss_mib(pid: u32) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .context("VmRSS in /proc/<pid>/status")?
        .parse()?;
    Ok(kib / 1024.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = options()?;
    let folder = tempfile::tempdir()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let host = format!("127.0.0.1:{port}");
    let log = folder.path().join("server.log");
    let mut server = Server {
        child: Command::new(&options.server)
            .args(["serve", "--demo"])
            .env(
                "CMNP_DATABASE_URL",
                format!(
                    "sqlite://{}?mode=rwc",
                    folder.path().join("cmnp.db").display()
                ),
            )
            .env("CMNP_BIND", &host)
            .env("CMNP_OUTBOX_DIR", folder.path().join("outbox"))
            .env("CMNP_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log)?)
            .spawn()
            .with_context(|| format!("start {}", options.server.display()))?,
    };
    let pid = server.child.id();

    // The server is ready once it answers /readyz (the demo is loaded before it listens).
    let ready_by = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = server.child.try_wait()? {
            bail!(
                "the server stopped ({status}): {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        if let Ok(mut client) = Client::connect(&host).await
            && client.get("/readyz").await.ok() == Some(StatusCode::OK)
        {
            break;
        }
        if Instant::now() > ready_by {
            bail!("the server did not become ready within 120 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let mut setup = Client::connect(&host).await?;
    let secretariat = sign_in(&mut setup, "secretaria@cmnp.example").await?;
    let agencies = [
        sign_in(&mut setup, "mimp@cmnp.example").await?,
        sign_in(&mut setup, "oim@cmnp.example").await?,
    ];
    let donor = sign_in(&mut setup, "prm@cmnp.example").await?;
    // Each agency client notes progress on an item of its own, created for it by the
    // secretariat and due in a year (never overdue, so the secretariat's reads of overdue
    // items do not grow with its history), so that no update meets a version conflict.
    let due_on = (chrono::Utc::now().date_naive() + chrono::Duration::days(365)).to_string();
    let mut roles = Vec::new();
    for number in 0..options.clients {
        roles.push(match number % 3 {
            0 => Role::Secretariat(secretariat.clone()),
            1 => {
                let user = agencies
                    .get((number / 3) % agencies.len())
                    .context("the demo has agency users")?
                    .clone();
                let created = setup
                    .graphql(
                        Some(&secretariat.token),
                        "mutation ($a: ID!, $t: String!, $d: Date!) { createActionItem(input: { title: $t, responsibleAgencyId: $a, dueOn: $d }) { actionItem { id } } }",
                        json!({ "a": user.agency_id, "t": format!("Compromiso de la prueba de carga {number}"), "d": due_on }),
                    )
                    .await?;
                let item = created.pointer("/createActionItem/actionItem/id");
                Role::Agency(user, item.cloned().unwrap_or_default())
            }
            _ => Role::Donor(donor.clone()),
        });
    }

    let warm_up = Duration::from_secs(60).min(options.duration / 5);
    println!(
        "soak: {} clients for {} s against pid {pid} on {host} (warm-up {} s)",
        options.clients,
        options.duration.as_secs(),
        warm_up.as_secs()
    );
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = roles
        .into_iter()
        .enumerate()
        .map(|(number, role)| tokio::spawn(run_client(host.clone(), number, role, stop.clone())))
        .collect();

    let started = Instant::now();
    let start_rss = rss_mib(pid)?;
    let mut warm_rss = None;
    let mut samples = vec![(Duration::ZERO, start_rss)];
    while started.elapsed() < options.duration {
        tokio::time::sleep(SAMPLE_EVERY.min(options.duration.saturating_sub(started.elapsed())))
            .await;
        if let Some(status) = server.child.try_wait()? {
            bail!("the server stopped during the soak ({status})");
        }
        let rss = rss_mib(pid)?;
        samples.push((started.elapsed(), rss));
        if warm_rss.is_none() && started.elapsed() >= warm_up {
            warm_rss = Some(rss);
        }
    }
    stop.store(true, Ordering::Relaxed);
    let mut tally = Tally::default();
    for client in clients {
        let done = client.await??;
        tally.requests += done.requests;
        tally.errors.extend(done.errors);
        tally.latencies.extend(done.latencies);
    }
    let elapsed = started.elapsed();
    let end_rss = rss_mib(pid)?;
    drop(server);

    let warm_rss = warm_rss.unwrap_or(start_rss);
    let max_rss = samples
        .iter()
        .filter(|(at, _)| *at >= warm_up)
        .map(|(_, rss)| *rss)
        .fold(warm_rss, f64::max);
    let bound = warm_rss + (warm_rss * GROWTH_PERCENT / 100.0).max(GROWTH_FLOOR_MIB);
    tally.latencies.sort();
    let percentile = |p: usize| {
        tally
            .latencies
            .get((tally.latencies.len() * p / 100).min(tally.latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "duration {:.0} s; requests {}; errors {}; {:.0} requests/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        elapsed.as_secs_f64(),
        tally.requests,
        tally.errors.len(),
        tally.requests as f64 / elapsed.as_secs_f64(),
        percentile(50),
        percentile(99),
        tally
            .latencies
            .last()
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0),
    );
    println!(
        "server RSS: start {start_rss:.1} MiB, after warm-up {warm_rss:.1} MiB, max after warm-up {max_rss:.1} MiB, end {end_rss:.1} MiB (bound {bound:.1} MiB; {} samples)",
        samples.len()
    );
    let trend: Vec<String> = samples
        .iter()
        .step_by((samples.len() / 10).max(1))
        .map(|(at, rss)| format!("{}s:{rss:.1}", at.as_secs()))
        .collect();
    println!("RSS over time (MiB): {}", trend.join(" "));
    for error in tally.errors.iter().take(5) {
        println!("error: {error}");
    }
    if !tally.errors.is_empty() {
        bail!("{} requests failed", tally.errors.len());
    }
    if tally.requests == 0 {
        bail!("no request was sent");
    }
    if max_rss > bound {
        bail!(
            "the server's memory grew from {warm_rss:.1} MiB after the warm-up to {max_rss:.1} MiB, over the bound of {bound:.1} MiB"
        );
    }
    Ok(())
}
