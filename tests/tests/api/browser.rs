//! The HTML pages in a real browser: the demo commission is served on a real port, and
//! headless Chromium, driven by `tests/browser/check.mjs`, signs in through the form as
//! every demo user, opens every page, checks what each role may and may not see, and
//! runs axe-core's WCAG 2 A/AA and best-practice rules on each page.
//!
//! It needs Chromium and the harness's npm packages, which a plain `cargo test` does not
//! have, so it is ignored (and listed as such) unless run with `--include-ignored`; then
//! it fails without `CMNP_BROWSER_TESTS` set, and a missing piece fails it too.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{NaiveDate, Utc};
use cmnp_domain::meeting::{Meeting, MeetingStatus, local_date};
use cmnp_domain::policy::{Actor, Visible};
use cmnp_domain::project::Project;
use cmnp_domain::user::Role;
use cmnp_server::{Config, demo};
use cmnp_store::{
    ActionItemFilter, AgencyFilter, MeetingFilter, PageRequest, ProjectScope, Store, actor_of,
};
use cmnp_tests::TestDatabase;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use uuid::Uuid;

const ENABLE: &str = "CMNP_BROWSER_TESTS";

/// What every page shows, whoever reads it and whatever it answers.
const LAYOUT: &[&str] = &[
    "header",
    "nav",
    "main#main",
    "footer",
    "a[href=\"#main\"]",
    "header form button#sign-out",
];

/// The agencies whose pages are opened: those of the demo's agency and donor users.
const AGENCY_PAGES: &[&str] = &["MIMP", "OIM"];

/// The one indicator of the Tumbes course.
const TUMBES_INDICATOR: &str = "operadoras y operadores de frontera capacitados";

/// Findings at these axe impacts fail the test; the others are printed.
const BLOCKING_IMPACTS: &[&str] = &["serious", "critical"];

#[tokio::test]
#[ignore = "needs Chromium and `npm ci --prefix tests/browser`: run with CMNP_BROWSER_TESTS=1 and --include-ignored"]
async fn every_demo_role_gets_its_pages_in_a_real_browser_and_they_pass_axe() {
    let root = switched_on();

    let site = Site::start().await;
    let plan = plan(&site).await;
    let report = run_check(&root, &site.base, &plan).await;
    site.stop();

    print_findings(&report);
    let problems = problems(&report);
    assert!(
        problems.is_empty(),
        "{} problem(s) in the pages (screenshots in {}):\n{}",
        problems.len(),
        report["screenshots"].as_str().unwrap_or("?"),
        problems.join("\n")
    );
}

/// GraphiQL as cmnp serves it, in Chromium with every request that would leave the server
/// refused: it loads, takes a token through its header editor's store, and runs its
/// default query; the files it runs on are those of the pinned npm packages.
#[tokio::test]
#[ignore = "needs Chromium and `npm ci --prefix tests/browser`: run with CMNP_BROWSER_TESTS=1 and --include-ignored"]
async fn graphiql_runs_a_query_in_a_real_browser_with_the_network_cut() {
    let root = switched_on();
    let site = Site::start().await;
    let agencies = site
        .store
        .agencies(
            AgencyFilter::default(),
            PageRequest {
                first: 1,
                after: None,
                with_total: true,
            },
        )
        .await
        .unwrap()
        .total_count
        .unwrap();
    let base = site.base.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg("tests/browser/graphiql.mjs")
            .arg(&base)
            .arg("secretaria@cmnp.example")
            .arg(demo::DEMO_PASSWORD)
            .current_dir(&root)
            .env("CHROMIUM", chromium())
            .stderr(Stdio::inherit())
            .output()
            .expect("node runs (install Node.js 20 or later)")
    })
    .await
    .unwrap();
    site.stop();
    assert!(output.status.success(), "the GraphiQL check could not run");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    eprintln!("{report:#}");
    assert_eq!(report["status"], 200);
    assert_eq!(
        report["refused"],
        json!([]),
        "GraphiQL reached outside the server"
    );
    assert_eq!(report["errors"], json!([]), "script errors in GraphiQL");
    assert_eq!(
        report["differing"],
        json!([]),
        "embedded files differ from the packages"
    );
    let result = report["result"].as_str().unwrap_or_default();
    // The result pane shows the lines in view: the count comes first.
    assert!(
        result.contains(&format!("\"totalCount\": {agencies},")),
        "{result}"
    );
    assert!(!result.contains("\"errors\""), "{result}");
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the test crate lives in the workspace")
        .to_path_buf()
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// The workspace root, once the browser tests are switched on and their tools are there.
fn switched_on() -> PathBuf {
    cmnp_tests::required(
        ENABLE,
        "Chromium (or CHROMIUM=/path) and the harness's npm packages",
    );
    let root = workspace_root();
    require_tools(&root);
    root
}

/// With the test switched on, a missing browser or package is a failure, not a skip.
fn require_tools(root: &Path) {
    let browser = chromium();
    assert!(
        browser.is_file(),
        "{ENABLE} is set but there is no Chromium at {} (apt-get install chromium, or set CHROMIUM)",
        browser.display()
    );
    for package in [
        "playwright-core",
        "axe-core",
        "graphiql",
        "react",
        "react-dom",
    ] {
        let folder = root.join("tests/browser/node_modules").join(package);
        assert!(
            folder.is_dir(),
            "{ENABLE} is set but {} is missing (run `npm ci --prefix tests/browser`)",
            folder.display()
        );
    }
}

/// The demo commission served over real HTTP on a free port.
struct Site {
    base: String,
    store: Store,
    config: Config,
    server: JoinHandle<std::io::Result<()>>,
    // Dropped last: the database and the documents' folder outlive the server.
    _documents: tempfile::TempDir,
    _database: TestDatabase,
}

impl Site {
    async fn start() -> Self {
        let database = TestDatabase::create().await;
        let documents = tempfile::tempdir().unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        // The public URL is the real address, so that links and origin checks agree
        // with what the browser sees.
        let config = Config::load(None, |name| match name {
            "CMNP_DATABASE_URL" => Some(database.url().to_owned()),
            "CMNP_PUBLIC_URL" => Some(base.clone()),
            "CMNP_DOCUMENTS_DIR" => Some(documents.path().display().to_string()),
            _ => None,
        })
        .unwrap();
        let store = Store::connect(database.url())
            .await
            .unwrap()
            .with_planner(cmnp_server::cli::notifier(&config))
            .with_time_zone(config.time_zone)
            .with_document_files(cmnp_server::documents::files(&config).unwrap());
        store.migrate().await.unwrap();
        demo::load(&store, config.time_zone, config.quorum_rule)
            .await
            .unwrap();
        let router = cmnp_server::app::router(store.clone(), &config);
        let server = tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            base,
            store,
            config,
            server,
            _documents: documents,
            _database: database,
        }
    }

    fn stop(&self) {
        self.server.abort();
    }
}

/// A visit, named `name` in the report, of `path` that must answer `status` and show the
/// layout and `see`, but none of `hide`.
fn visit(name: &str, path: &str, status: u16, see: Vec<String>, hide: Vec<String>) -> Value {
    let mut must_see: Vec<String> = LAYOUT.iter().map(|s| (*s).to_owned()).collect();
    if status == 200 {
        must_see.push("details.graphql".into());
    }
    must_see.extend(see);
    json!({
        "name": name,
        "path": path,
        "expectStatus": status,
        "expectPath": path.split('?').next(),
        "mustSee": must_see,
        "mustNotSee": hide,
    })
}

/// A page that must send whoever opens it to `to` with a 303.
fn redirect(name: &str, path: &str, to: &str) -> Value {
    json!({
        "name": name,
        "path": path,
        "expectFirstStatus": 303,
        "expectStatus": 200,
        "expectPath": to,
    })
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn project_link(project: &Project) -> String {
    format!("a[href=\"/app/projects/{}\"]", project.id)
}

fn meeting_link(meeting: &Meeting) -> String {
    format!("a[href=\"/app/meetings/{}\"]", meeting.id)
}

/// Everything the pages show, read from the store.
struct Demo {
    projects: Vec<Project>,
    meetings: Vec<Meeting>,
    today: NaiveDate,
}

impl Demo {
    async fn read(site: &Site) -> Self {
        let projects = site.store.all_projects(ProjectScope::All).await.unwrap();
        assert_eq!(projects.len(), 3, "the demo has three projects");
        let meetings = site
            .store
            .meetings(
                MeetingFilter::default(),
                PageRequest {
                    first: 100,
                    after: None,
                    with_total: false,
                },
            )
            .await
            .unwrap()
            .items;
        assert!(!meetings.is_empty(), "the demo has sessions");
        Self {
            projects,
            meetings,
            today: local_date(Utc::now(), site.config.time_zone),
        }
    }

    fn tumbes(&self) -> &Project {
        self.projects
            .iter()
            .find(|p| p.iati_identifier == "XM-DAC-47066-PE-TUMBES-2026")
            .expect("the Tumbes course")
    }

    fn upcoming(&self) -> Option<&Meeting> {
        self.meetings
            .iter()
            .find(|m| m.status == MeetingStatus::Scheduled && m.starts_at > Utc::now())
    }

    /// Whether the agency is responsible for any action item, or any overdue one.
    async fn has_items(&self, store: &Store, agency_id: Uuid, overdue_only: bool) -> bool {
        let page = store
            .action_items(
                ActionItemFilter {
                    responsible_agency_id: Some(agency_id),
                    overdue: overdue_only.then_some((true, self.today)),
                    ..ActionItemFilter::default()
                },
                PageRequest {
                    first: 1,
                    after: None,
                    with_total: false,
                },
            )
            .await
            .unwrap();
        !page.items.is_empty()
    }
}

/// The plan for `check.mjs`: the sign-in page, a signed-out visitor, every page for every
/// demo user with what the access rules let each one see, and a wrong password.
async fn plan(site: &Site) -> Value {
    let demo = Demo::read(site).await;
    let tumbes = demo.tumbes();
    let any_meeting = &demo.meetings[0];
    let mut agencies = Vec::new();
    for acronym in AGENCY_PAGES {
        let agency = site
            .store
            .agency_by_acronym(acronym)
            .await
            .unwrap()
            .unwrap();
        agencies.push((
            *acronym,
            demo.has_items(&site.store, agency.id, false).await,
        ));
    }

    let mut roles = vec![json!({
        "name": "anonymous",
        "visits": [
            redirect("root", "/", "/app/login"),
            redirect("overview", "/app", "/app/login"),
            redirect("project", &format!("/app/projects/{}", tumbes.id), "/app/login"),
            redirect("meeting", &format!("/app/meetings/{}", any_meeting.id), "/app/login"),
            redirect("agency", "/app/agencies/MIMP", "/app/login"),
        ],
    })];

    for (email, _, role, _, _) in demo::USERS {
        let user = site.store.user_by_email(email).await.unwrap().unwrap();
        let actor = actor_of(&user);
        let name = email.split('@').next().unwrap();
        let mut visits = Vec::new();
        if *role == Role::Secretariat {
            visits.push(redirect("root", "/", "/app"));
        }
        visits.push(overview(site, &demo, &actor).await);
        for project in &demo.projects {
            visits.push(project_page(project, &actor, project.id == tumbes.id));
        }
        for meeting in &demo.meetings {
            visits.push(meeting_page(meeting, &actor));
        }
        for (acronym, has_items) in &agencies {
            visits.push(agency_page(acronym, *has_items, &actor));
        }
        if *role == Role::Secretariat {
            // Something that never existed reads like something hidden.
            visits.push(visit(
                "unknown project",
                &format!("/app/projects/{}", Uuid::new_v4()),
                404,
                strings(&["h1#not-found"]),
                vec![],
            ));
            visits.push(visit(
                "unknown meeting",
                &format!("/app/meetings/{}", Uuid::new_v4()),
                404,
                strings(&["h1#not-found"]),
                vec![],
            ));
            // The secretariat reads Spanish until it asks for English, which then sticks.
            for page in &mut visits {
                if let Some(see) = page["mustSee"].as_array_mut() {
                    see.push(json!("html[lang=\"es\"]"));
                }
            }
            visits.push(visit(
                "overview in English",
                "/app?lang=en",
                200,
                strings(&["html[lang=\"en\"]"]),
                vec![],
            ));
            visits.push(visit(
                "Tumbes project in English",
                &format!("/app/projects/{}", tumbes.id),
                200,
                strings(&["html[lang=\"en\"]", "#indicators svg"]),
                vec![],
            ));
        }
        visits.push(json!({ "click": "#sign-out", "expectPath": "/app/login" }));
        visits.push(redirect("overview after signing out", "/app", "/app/login"));
        roles.push(json!({
            "name": name,
            "email": email,
            "password": demo::DEMO_PASSWORD,
            "signIn": { "expectFirstStatus": 303, "expectStatus": 200, "expectPath": "/app" },
            "visits": visits,
        }));
    }
    // A wrong password comes last: failed attempts slow down the next sign-ins.
    roles.push(json!({
        "name": "wrong-password",
        "email": "secretaria@cmnp.example",
        "password": "not the password",
        "signIn": {
            "expectStatus": 401,
            "expectPath": "/app/login",
            "mustSee": ["#sign-in-error", "#email", "#password", "#sign-in"],
        },
    }));
    json!({ "login": { "path": "/app/login" }, "roles": roles })
}

/// The overview: the sections of the actor's role, a link to every project it may open
/// and none to those it may not, and no link to a session it may not open.
async fn overview(site: &Site, demo: &Demo, actor: &Actor) -> Value {
    let mut see = strings(&["#projects"]);
    let mut hide = Vec::new();
    for project in &demo.projects {
        if project.visible_to(actor) {
            see.push(project_link(project));
        } else {
            hide.push(project_link(project));
            hide.push(format!("text:{}", project.title));
        }
    }
    for meeting in demo.meetings.iter().filter(|m| !m.visible_to(actor)) {
        hide.push(meeting_link(meeting));
    }
    match (actor.role, actor.agency_id) {
        (Role::Secretariat, _) => {
            see.extend(strings(&[
                "#upcoming",
                "#overdue-by-agency svg",
                "#completion svg",
                "a[href^=\"/app/agencies/\"]",
            ]));
            if let Some(upcoming) = demo.upcoming() {
                see.push(format!("#upcoming {}", meeting_link(upcoming)));
            }
        }
        (Role::Agency, Some(agency_id)) => {
            see.extend(strings(&["#my-items", "#upcoming"]));
            let overdue = "#my-items .overdue".to_owned();
            if demo.has_items(&site.store, agency_id, true).await {
                see.push(overdue);
            } else {
                hide.push(overdue);
            }
            if let Some(upcoming) = demo.upcoming().filter(|m| m.visible_to(actor)) {
                see.push(format!("#upcoming {}", meeting_link(upcoming)));
            }
        }
        _ => {
            hide.extend(strings(&[
                "#overdue-by-agency",
                "#my-items",
                "#upcoming",
                "a[href^=\"/app/meetings/\"]",
            ]));
        }
    }
    visit("overview", "/app", 200, see, hide)
}

/// A project page: its four sections when the actor may open it, otherwise a 404 that
/// gives nothing away.
fn project_page(project: &Project, actor: &Actor, is_tumbes: bool) -> Value {
    let name = format!("project {}", project.iati_identifier);
    let path = format!("/app/projects/{}", project.id);
    if project.visible_to(actor) {
        let mut see = strings(&["#indicators", "#budget", "#milestones", "#report"]);
        if is_tumbes {
            see.extend(strings(&["#indicators svg", "#budget svg"]));
            see.push(format!("text:{TUMBES_INDICATOR}"));
        }
        visit(&name, &path, 200, see, vec![])
    } else {
        visit(
            &name,
            &path,
            404,
            strings(&["h1#not-found"]),
            vec!["#indicators".into(), format!("text:{}", project.title)],
        )
    }
}

/// A session page: agenda, attendance and agreements when the actor may open it,
/// otherwise a 404.
fn meeting_page(meeting: &Meeting, actor: &Actor) -> Value {
    let name = format!("meeting {}", meeting.label());
    let path = format!("/app/meetings/{}", meeting.id);
    if meeting.visible_to(actor) {
        visit(
            &name,
            &path,
            200,
            strings(&["#agenda", "#attendance", "#agreements"]),
            vec![],
        )
    } else {
        visit(
            &name,
            &path,
            404,
            strings(&["h1#not-found"]),
            vec!["#agenda".into(), format!("text:{}", meeting.title)],
        )
    }
}

/// An agency page: its items (in a table when it has any) and attendance for the
/// commission's users; donors are turned away.
fn agency_page(acronym: &str, has_items: bool, actor: &Actor) -> Value {
    let name = format!("agency {acronym}");
    let path = format!("/app/agencies/{acronym}");
    if actor.role == Role::Donor {
        return visit(
            &name,
            &path,
            403,
            strings(&["h1#denied"]),
            strings(&["#items"]),
        );
    }
    let mut see = strings(&["#items", "#attendance"]);
    if has_items {
        see.push("#items table".into());
    }
    visit(&name, &path, 200, see, vec![])
}

/// Runs the harness with the plan on its standard input and returns its report. The
/// harness blocks, so it runs off the runtime's thread, which keeps serving the pages.
async fn run_check(root: &Path, base: &str, plan: &Value) -> Value {
    let (root, base, plan) = (root.to_owned(), base.to_owned(), plan.to_string());
    let output = tokio::task::spawn_blocking(move || {
        let mut child = Command::new("node")
            .arg("tests/browser/check.mjs")
            .arg(&base)
            .arg("-")
            .current_dir(&root)
            .env("CHROMIUM", chromium())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node runs (install Node.js 20 or later)");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(plan.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert!(
        output.status.success(),
        "the browser harness could not run ({}); see its messages above",
        output.status
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "the harness printed no JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// Every page the report covers, with the role that opened it.
fn pages(report: &Value) -> Vec<(String, &Value)> {
    let mut pages = vec![("anonymous".to_owned(), &report["login"])];
    for role in report["roles"].as_array().unwrap() {
        let name = role["name"].as_str().unwrap().to_owned();
        if !role["signIn"].is_null() {
            pages.push((name.clone(), &role["signIn"]));
        }
        for page in role["visits"].as_array().unwrap() {
            pages.push((name.clone(), page));
        }
    }
    pages
}

fn list(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

/// One axe rule's findings across all pages.
struct Finding<'a> {
    id: &'a str,
    impact: &'a str,
    help: &'a str,
    places: Vec<String>,
    examples: &'a [Value],
}

/// Prints every axe finding, whatever its impact, grouped by rule.
fn print_findings(report: &Value) {
    let pages = pages(report);
    eprintln!(
        "browser check: {} with axe-core {} ({}) over {} page(s); screenshots in {}",
        report["browser"].as_str().unwrap_or("?"),
        report["axe"].as_str().unwrap_or("?"),
        list(&report["axeTags"])
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        pages.len(),
        report["screenshots"].as_str().unwrap_or("?"),
    );
    let mut findings: Vec<Finding> = Vec::new();
    for (role, page) in &pages {
        for violation in list(&page["axe"]) {
            let id = violation["id"].as_str().unwrap_or("?");
            let place = format!(
                "{role} {} ({} element(s))",
                page["label"].as_str().unwrap_or("?"),
                violation["nodes"]
            );
            match findings.iter_mut().find(|finding| finding.id == id) {
                Some(finding) => finding.places.push(place),
                None => findings.push(Finding {
                    id,
                    impact: violation["impact"].as_str().unwrap_or("?"),
                    help: violation["help"].as_str().unwrap_or("?"),
                    places: vec![place],
                    examples: list(&violation["targets"]),
                }),
            }
        }
    }
    if findings.is_empty() {
        eprintln!("axe: no findings on any page");
    }
    for finding in findings {
        eprintln!(
            "axe {} {}: {}, on {} page(s):",
            finding.impact,
            finding.id,
            finding.help,
            finding.places.len()
        );
        for place in &finding.places {
            eprintln!("    {place}");
        }
        for example in finding.examples {
            eprintln!(
                "    e.g. {}: {}",
                example["target"].as_str().unwrap_or("?"),
                example["html"].as_str().unwrap_or("?")
            );
        }
    }
}

/// What the report shows to be wrong: unmet expectations, serious or critical axe
/// findings, script errors, broken sub-resources, a first Tab that skips the skip link,
/// a session cookie that scripts could read.
fn problems(report: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for role in list(&report["roles"]) {
        let name = role["name"].as_str().unwrap_or("?");
        if let Some(skipped) = role["skipped"].as_str() {
            problems.push(format!("{name}: {skipped}"));
        }
        let signed_in =
            role["signIn"]["status"] == 200 && list(&role["signIn"]["failures"]).is_empty();
        if signed_in && role["signIn"]["expectStatus"] == 200 {
            let cookies = list(&role["cookies"]);
            let set: Vec<_> = cookies.iter().filter(|c| c["set"] == true).collect();
            if set.is_empty() || set.iter().any(|c| c["httpOnly"] != true) {
                problems.push(format!(
                    "{name}: signing in must set only HttpOnly cookies, and some: {cookies:?}"
                ));
            }
        }
    }
    for (role, page) in pages(report) {
        let at = match page["path"].as_str() {
            Some(path) => format!("{role} {} ({path})", page["label"].as_str().unwrap_or("?")),
            None => format!("{role} {}", page["label"].as_str().unwrap_or("?")),
        };
        for failure in list(&page["failures"]) {
            problems.push(format!("{at}: {}", failure.as_str().unwrap_or("?")));
        }
        for error in list(&page["pageErrors"]) {
            problems.push(format!("{at}: script error {error}"));
        }
        for request in list(&page["failedRequests"]) {
            problems.push(format!("{at}: failed to load {request}"));
        }
        if page["status"].is_number() {
            if page["firstFocus"]["href"] != "#main" {
                problems.push(format!(
                    "{at}: the first Tab focuses {}, not the skip link to #main",
                    page["firstFocus"]
                ));
            }
            if !matches!(page["lang"].as_str(), Some("es" | "en")) {
                problems.push(format!("{at}: html lang is {}", page["lang"]));
            }
        }
        for violation in list(&page["axe"]) {
            let impact = violation["impact"].as_str().unwrap_or("?");
            if BLOCKING_IMPACTS.contains(&impact) {
                let example = list(&violation["targets"])
                    .first()
                    .map_or_else(String::new, |t| {
                        format!(
                            " e.g. {} {}",
                            t["target"].as_str().unwrap_or("?"),
                            t["html"].as_str().unwrap_or("?")
                        )
                    });
                problems.push(format!(
                    "{at}: axe {impact} {} on {} element(s): {}{example}",
                    violation["id"].as_str().unwrap_or("?"),
                    violation["nodes"],
                    violation["help"].as_str().unwrap_or("?"),
                ));
            }
        }
    }
    problems
}
