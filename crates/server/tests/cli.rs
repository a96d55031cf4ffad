//! The `cmnp` binary as scripts and operators use it.
// A test binary: a panic is the way to fail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn cmnp(database: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cmnp"));
    command
        .env_clear()
        .env(
            "CMNP_DATABASE_URL",
            format!("sqlite://{}?mode=rwc", database.display()),
        )
        // E-mails and documents the command writes stay beside its database, out of the
        // source tree.
        .env("CMNP_OUTBOX_DIR", database.with_file_name("outbox"))
        .env("CMNP_DOCUMENTS_DIR", database.with_file_name("documents"))
        .env("CMNP_LOG", "warn")
        .stdin(Stdio::null());
    command
}

fn run(command: &mut Command) -> Output {
    let output = command.output().expect("run cmnp");
    assert!(
        output.status.success(),
        "cmnp failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn database() -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("nested/cmnp.db");
    (folder, path)
}

#[test]
fn schema_prints_the_sdl_that_schema_graphql_holds() {
    let output = run(Command::new(env!("CARGO_BIN_EXE_cmnp")).arg("schema"));
    let on_disk =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema.graphql"))
            .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap().trim_end(),
        on_disk.trim_end()
    );
}

#[test]
fn token_create_prints_the_token_alone() {
    let (_folder, db) = database();
    run(cmnp(&db).args(["seed", "demo"]));
    run(cmnp(&db).args(["seed", "demo"]));
    // The demo's three documents, once, in the folder the configuration names.
    let documents = std::fs::read_dir(db.with_file_name("documents")).unwrap();
    assert_eq!(documents.count(), 3);
    let output = run(cmnp(&db).args([
        "token",
        "create",
        "--email",
        "PRM@cmnp.example",
        "--name",
        "dashboard",
    ]));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout:?}");
    assert!(
        lines[0].starts_with("cmnp_") && lines[0].len() > 40,
        "{stdout:?}"
    );

    let unknown = cmnp(&db)
        .args([
            "token",
            "create",
            "--email",
            "nobody@cmnp.example",
            "--name",
            "x",
        ])
        .output()
        .unwrap();
    assert!(!unknown.status.success());
    assert!(unknown.stdout.is_empty());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("nobody@cmnp.example"));
}

#[test]
fn export_iati_writes_the_demo_projects_to_a_file() {
    let (folder, db) = database();
    run(cmnp(&db).args(["seed", "demo"]));
    let output = folder.path().join("activities.xml");
    run(cmnp(&db).args(["export", "iati", "--output"]).arg(&output));
    let xml = std::fs::read_to_string(&output).unwrap();
    assert_eq!(xml.matches("<iati-activity ").count(), 3, "{xml}");
    assert!(xml.contains("<iati-identifier>XM-DAC-47066-PE-TUMBES-2026</iati-identifier>"));
}

#[test]
fn user_create_takes_the_password_from_the_environment() {
    let (_folder, db) = database();
    run(cmnp(&db).args(["seed", "demo"]));
    run(cmnp(&db)
        .env("CMNP_PASSWORD", "a long enough password")
        .args([
            "user",
            "create",
            "--email",
            "nuevo@mimp.example",
            "--name",
            "Nuevo",
            "--role",
            "AGENCY",
            "--agency",
            "mimp",
        ]));
    let duplicate = cmnp(&db)
        .env("CMNP_PASSWORD", "a long enough password")
        .args([
            "user",
            "create",
            "--email",
            "NUEVO@mimp.example",
            "--name",
            "Nuevo",
            "--role",
            "AGENCY",
            "--agency",
            "MIMP",
        ])
        .output()
        .unwrap();
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));
    let unknown_agency = cmnp(&db)
        .env("CMNP_PASSWORD", "a long enough password")
        .args([
            "user",
            "create",
            "--email",
            "x@x.example",
            "--name",
            "X",
            "--role",
            "DONOR",
            "--agency",
            "NOPE",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&unknown_agency.stderr).contains("NOPE"));
}

#[test]
fn a_bad_configuration_stops_start_up_naming_the_variable() {
    let (_folder, db) = database();
    let output = cmnp(&db)
        .env("CMNP_TIME_ZONE", "America/Nowhere")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("CMNP_TIME_ZONE"));
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

#[test]
fn serve_demo_starts_answers_and_shuts_down_gracefully() {
    let (_folder, db) = database();
    let port = free_port();
    let started = Instant::now();
    let mut child = cmnp(&db)
        .env("CMNP_BIND", format!("127.0.0.1:{port}"))
        .args(["serve", "--demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ready = loop {
        if let Some(response) = get(port, "/readyz") {
            break response;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "cmnp serve did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful shutdown exits 0: {exit:?}");
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    assert!(
        stdout.contains("secretaria@cmnp.example") && stdout.contains("/graphql"),
        "{stdout}"
    );
}

#[test]
fn reminders_preview_plans_nothing_and_run_once_delivers_what_is_due() {
    let (_folder, db) = database();
    run(cmnp(&db).args(["seed", "demo"]));
    let preview =
        || String::from_utf8(run(cmnp(&db).args(["reminders", "preview"])).stdout).unwrap();
    let first = preview();
    assert!(first.contains("ACTION_ITEM_DUE"), "{first}");
    assert!(first.contains(" new"), "{first}");
    assert_eq!(preview(), first, "a preview writes nothing");

    let ran = String::from_utf8(run(cmnp(&db).args(["reminders", "run-once"])).stdout).unwrap();
    let sent: usize = ran
        .rsplit("delivered: ")
        .next()
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{ran}"));
    let written = emails_written(&db);
    assert!(sent > 0, "{ran}");
    assert_eq!(written, sent, "{ran}");
    let after = preview();
    assert!(
        after.contains("planned already") && !after.contains(" new\n"),
        "{after}"
    );

    let output = cmnp(&db)
        .args(["reminders", "preview", "--on", "2026-13-01"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--on"));
}

/// How many `.eml` files the commands wrote beside the database.
fn emails_written(db: &Path) -> usize {
    std::fs::read_dir(db.with_file_name("outbox"))
        .unwrap()
        .filter(|f| {
            f.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "eml")
        })
        .count()
}

/// The demo's outbox, by status.
fn outbox(db: &Path, expire_leases: bool) -> Vec<(String, u64)> {
    let url = format!("sqlite://{}?mode=rwc", db.display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = cmnp_store::Store::connect(&url).await.unwrap();
        if expire_leases {
            use sea_orm::ConnectionTrait;
            store
                .connection()
                .execute_unprepared(
                    "UPDATE email_outbox SET locked_until = created_at WHERE status = 'SENDING'",
                )
                .await
                .unwrap();
        }
        let counts = store.delivery_counts().await.unwrap();
        store.close().await.unwrap();
        counts
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(status, n)| (status.to_string(), n))
            .collect()
    })
}

#[test]
fn a_process_killed_between_claim_and_send_loses_nothing_and_sends_nothing_twice() {
    let (_folder, db) = database();
    run(cmnp(&db).args(["seed", "demo"]));
    // An SMTP server that accepts connections and never answers: the worker claims its
    // batch, connects, and waits for a greeting that does not come.
    let hole = TcpListener::bind("127.0.0.1:0").unwrap();
    let smtp_port = hole.local_addr().unwrap().port();
    let (accepted, connected) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in hole.incoming().flatten() {
            held.push(stream);
            let _ = accepted.send(());
        }
    });
    let mut child = cmnp(&db)
        .env("CMNP_BIND", format!("127.0.0.1:{}", free_port()))
        .env("CMNP_SMTP_URL", format!("smtp://127.0.0.1:{smtp_port}"))
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    connected
        .recv_timeout(Duration::from_secs(30))
        .expect("the worker connects to the SMTP server");
    child.kill().unwrap();
    child.wait().unwrap();

    let killed = outbox(&db, true);
    let claimed = killed
        .iter()
        .find(|(status, _)| status == "SENDING")
        .map_or(0, |(_, n)| *n);
    assert!(claimed > 0, "{killed:?}");

    // Once the dead worker's lease is over, another run delivers everything, once.
    let ran = String::from_utf8(run(cmnp(&db).args(["reminders", "run-once"])).stdout).unwrap();
    let after = outbox(&db, false);
    assert_eq!(after.len(), 1, "every message is sent: {after:?}\n{ran}");
    assert_eq!(after[0].0, "SENT");
    let files = emails_written(&db);
    assert_eq!(
        u64::try_from(files).unwrap(),
        after[0].1,
        "one file per message"
    );
}
