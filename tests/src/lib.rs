//! The test harness: [`TestApp`] is the real router over a fresh, migrated database —
//! SQLite in a temporary folder by default, a new PostgreSQL database when
//! `TEST_DATABASE_URL` is set — driven in-process with `tower::ServiceExt::oneshot`.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use cmnp_domain::agency::{Agency, AgencyInput, Membership, NewAgency};
use cmnp_domain::user::{NewUser, Role, User, UserInput};
use cmnp_server::Config;
use cmnp_store::Store;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

mod database;
pub mod fuzzing;
pub mod live;
mod smtp;

pub use database::TestDatabase;
pub use smtp::SmtpServer;

/// The PostgreSQL server the suite runs on: `TEST_DATABASE_URL`, where an empty value
/// counts as unset.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// For a test that is ignored (`#[ignore = "…"]`) unless its environment provides what
/// it needs: the value of `switch`, or a failure that says how to provide it, so that
/// running it with `--include-ignored` never reports "ok" for a test that did not run.
pub fn required(switch: &str, what: &str) -> String {
    std::env::var(switch)
        .ok()
        .filter(|value| !value.trim().is_empty())
        .unwrap_or_else(|| {
            panic!("this test needs {what}: set {switch} (`.ci/run` does), or leave it ignored")
        })
}

/// A password every test user has.
pub const PASSWORD: &str = "a test password";

pub struct TestApp {
    pub router: Router,
    pub store: Store,
    pub config: Config,
    pub database: TestDatabase,
    /// The folder documents are kept in, unless the test configured another storage.
    pub documents: tempfile::TempDir,
}

/// A user the harness created, with a bearer token.
pub struct TestUser {
    pub user: User,
    pub token: String,
}

/// What `/graphql` answered.
#[derive(Debug)]
pub struct Gql {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Gql {
    /// The `data`, asserting that there were no errors.
    pub fn data(&self) -> &Value {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {:#}",
            self.body
        );
        &self.body["data"]
    }

    /// The first error's `extensions.code`.
    pub fn code(&self) -> &str {
        self.error()["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code in {:#}", self.body))
    }

    /// The first error's `extensions.field`.
    pub fn field(&self) -> &str {
        self.error()["extensions"]["field"]
            .as_str()
            .unwrap_or_else(|| panic!("no error field in {:#}", self.body))
    }

    pub fn error(&self) -> &Value {
        &self.body["errors"][0]
    }
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_on(TestDatabase::create().await).await
    }

    /// The app over `database`, migrated: for tests that bring a database server of
    /// their own (see [`TestDatabase::postgres`]).
    pub async fn spawn_on(database: TestDatabase) -> Self {
        Self::configured(database, &[]).await
    }

    /// The app on a fresh database, configured with the environment variables `env`
    /// (e.g. `CMNP_TIME_ZONE`) on top of the defaults.
    pub async fn spawn_with(env: &[(&str, &str)]) -> Self {
        Self::configured(TestDatabase::create().await, env).await
    }

    /// [`TestApp::spawn_with`], with the demo commission loaded.
    pub async fn with_demo(env: &[(&str, &str)]) -> Self {
        let app = Self::spawn_with(env).await;
        cmnp_server::demo::load(&app.store, app.config.time_zone, app.config.quorum_rule)
            .await
            .expect("load the demo commission");
        app
    }

    /// A bearer token of the demo user `email`, signed in with the demo password.
    pub async fn demo_token(&self, email: &str) -> String {
        let login = self
            .graphql(
                None,
                "mutation ($email: String!, $password: String!) {
                    login(input: { email: $email, password: $password }) { token } }",
                json!({ "email": email, "password": cmnp_server::demo::DEMO_PASSWORD }),
            )
            .await;
        login.data()["login"]["token"]
            .as_str()
            .expect("the demo user signs in")
            .to_owned()
    }

    async fn configured(database: TestDatabase, env: &[(&str, &str)]) -> Self {
        let documents = tempfile::tempdir().expect("temporary documents folder");
        let documents_dir = documents.path().display().to_string();
        let config = Config::load(None, |name| {
            let given = env
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned());
            match name {
                "CMNP_DATABASE_URL" => Some(database.url().to_owned()),
                "CMNP_DOCUMENTS_DIR" => given.or_else(|| Some(documents_dir.clone())),
                _ => given,
            }
        })
        .expect("test configuration");
        let store = Store::connect(database.url())
            .await
            .expect("connect to the test database")
            .with_planner(cmnp_server::cli::notifier(&config))
            .with_time_zone(config.time_zone)
            .with_document_files(
                cmnp_server::documents::files(&config).expect("the documents folder"),
            );
        store.migrate().await.expect("migrate the test database");
        let router = cmnp_server::router(store.clone(), &config);
        Self {
            router,
            store,
            config,
            database,
            documents,
        }
    }

    /// Plans what `rules` call for at `now`, as the scheduler of `cmnp serve` does; with
    /// `apply` false, a preview.
    pub async fn sweep_reminders(
        &self,
        rules: &cmnp_notify::ReminderRules,
        now: chrono::DateTime<chrono::Utc>,
        apply: bool,
    ) -> Result<cmnp_notify::SweepReport, cmnp_store::StoreError> {
        cmnp_server::cli::notifier(&self.config)
            .sweep(&self.store, rules, now, apply)
            .await
    }

    /// Sends a request through the router and reads the whole response.
    pub async fn send(&self, request: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("read the response body")
            .to_bytes()
            .to_vec();
        (status, headers, body)
    }

    /// POSTs a GraphQL operation as JSON, signed in with `token` when given.
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Gql {
        let mut request = Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/graphql-response+json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = json!({ "query": query, "variables": variables }).to_string();
        self.gql(request.body(Body::from(body)).expect("request"))
            .await
    }

    /// POSTs a GraphQL operation with `files` as a multipart request (the GraphQL
    /// multipart request specification), signed in with `token` when given.
    pub async fn graphql_upload(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
        files: &[FilePart<'_>],
    ) -> Gql {
        self.gql(upload_request(token, query, variables, files))
            .await
    }

    /// Sends any request to `/graphql` and parses the answer as JSON.
    pub async fn gql(&self, request: Request<Body>) -> Gql {
        let (status, headers, body) = self.send(request).await;
        let body = serde_json::from_slice(&body)
            .unwrap_or_else(|_| panic!("not JSON ({status}): {}", String::from_utf8_lossy(&body)));
        Gql {
            status,
            headers,
            body,
        }
    }

    /// The acronyms of every agency, read through the API page by page, as `token`.
    pub async fn agency_acronyms(&self, token: &str) -> Vec<String> {
        let mut acronyms = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = self
                .graphql(
                    Some(token),
                    "query ($after: String) { agencies(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { acronym } } } }",
                    json!({ "after": after }),
                )
                .await;
            let agencies = &page.data()["agencies"];
            acronyms.extend(
                agencies["edges"]
                    .as_array()
                    .expect("edges")
                    .iter()
                    .map(|e| e["node"]["acronym"].as_str().expect("acronym").to_owned()),
            );
            if agencies["pageInfo"]["hasNextPage"] != true {
                return acronyms;
            }
            after = agencies["pageInfo"]["endCursor"]
                .as_str()
                .map(str::to_owned);
        }
    }

    /// Creates an agency directly in the store.
    pub async fn agency(&self, acronym: &str, membership: Membership) -> Agency {
        let new = NewAgency::try_from(AgencyInput {
            acronym: acronym.into(),
            name: format!("Agencia {acronym}"),
            membership: Some(membership),
            ..AgencyInput::default()
        })
        .expect("valid agency");
        self.store
            .create_agency(None, new)
            .await
            .expect("create agency")
    }

    /// Creates a user with [`PASSWORD`] and an API token for it.
    pub async fn user(&self, email: &str, role: Role, agency: Option<&Agency>) -> TestUser {
        let new = NewUser::try_from(UserInput {
            email: email.into(),
            name: format!("User {email}"),
            role: Some(role),
            agency_id: agency.map(|a| a.id),
            password: PASSWORD.into(),
            locale: None,
        })
        .expect("valid user");
        let user = self
            .store
            .create_user(None, new)
            .await
            .expect("create user");
        let issued = self
            .store
            .create_api_token(None, user.id, "test".into(), None)
            .await
            .expect("create token");
        TestUser {
            user,
            token: issued.secret,
        }
    }

    /// Creates a partner agency with an IATI organisation reference, as a project's
    /// reporting organisation needs.
    pub async fn reporting_partner(&self, acronym: &str, iati_ref: &str) -> Agency {
        let new = NewAgency::try_from(AgencyInput {
            acronym: acronym.into(),
            name: format!("Organización {acronym}"),
            membership: Some(Membership::Partner),
            iati_ref: Some(iati_ref.into()),
            ..AgencyInput::default()
        })
        .expect("valid agency");
        self.store
            .create_agency(None, new)
            .await
            .expect("create agency")
    }

    /// Creates a project in implementation reported by `reporting`, with `participants`
    /// (an agency and its role, such as `FUNDING`), as `token`; returns its id.
    pub async fn project(
        &self,
        token: &str,
        iati_identifier: &str,
        title: &str,
        reporting: &Agency,
        participants: &[(&Agency, &str)],
    ) -> String {
        let created = self
            .graphql(
                Some(token),
                "mutation ($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
                json!({ "input": { "iatiIdentifier": iati_identifier, "reportingAgencyId": reporting.id.to_string(),
                    "title": title, "status": "IMPLEMENTATION", "currency": "USD" } }),
            )
            .await;
        let project = created.data()["createProject"]["project"]["id"]
            .as_str()
            .expect("the project's id")
            .to_owned();
        for (agency, role) in participants {
            self.graphql(
                Some(token),
                "mutation ($input: AddProjectParticipantInput!) { addProjectParticipant(input: $input) { project { id } } }",
                json!({ "input": { "projectId": project, "agencyId": agency.id.to_string(), "role": role } }),
            )
            .await
            .data();
        }
        project
    }

    /// A secretariat user.
    pub async fn secretariat(&self) -> TestUser {
        self.user("secretaria@test.example", Role::Secretariat, None)
            .await
    }
}

/// Checks IATI XML with the real validator, `xmllint` (Debian's libxml2-utils), against
/// the official 2.03 schema; panics with the validator's complaint.
pub fn assert_valid_iati(xml: &str) {
    let file = tempfile::NamedTempFile::new().expect("temporary file");
    std::fs::write(file.path(), xml).expect("write the XML");
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../crates/iati/tests/schema/iati-activities-schema.xsd"
    );
    let output = std::process::Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema", schema])
        .arg(file.path())
        .output()
        .expect("xmllint runs (install Debian's libxml2-utils)");
    assert!(
        output.status.success(),
        "{}\n{xml}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A file a multipart request carries: the operations' path it fills (such as
/// `variables.input.file`), the name the client gives it, and its bytes.
#[derive(Clone, Copy)]
pub struct FilePart<'a> {
    pub path: &'a str,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// The boundary between the parts of [`upload_request`]'s body.
pub const BOUNDARY: &str = "cmnp-test-boundary-5f1c";

/// A GraphQL `POST` of `query` with `variables` and `files` as `multipart/form-data`:
/// the `operations` part (with the files' variables null), the `map` part, then each
/// file, as `token` when given.
pub fn upload_request(
    token: Option<&str>,
    query: &str,
    variables: Value,
    files: &[FilePart<'_>],
) -> Request<Body> {
    let map: serde_json::Map<String, Value> = files
        .iter()
        .enumerate()
        .map(|(index, file)| (index.to_string(), json!([file.path])))
        .collect();
    let mut body = Vec::new();
    let mut part = |headers: String, content: &[u8]| {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n{headers}\r\n\r\n").as_bytes());
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    };
    part(
        "Content-Disposition: form-data; name=\"operations\"".into(),
        json!({ "query": query, "variables": variables })
            .to_string()
            .as_bytes(),
    );
    part(
        "Content-Disposition: form-data; name=\"map\"".into(),
        Value::Object(map).to_string().as_bytes(),
    );
    for (index, file) in files.iter().enumerate() {
        part(
            format!(
                "Content-Disposition: form-data; name=\"{index}\"; filename=\"{}\"\r\n\
                 Content-Type: application/octet-stream",
                file.file_name
            ),
            file.bytes,
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let mut request = Request::post("/graphql")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::ACCEPT, "application/graphql-response+json");
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request.body(Body::from(body)).expect("request")
}

/// A GraphQL `POST` of `query` with `variables`, as `token`.
pub fn graphql_request(token: &str, query: &str, variables: Value) -> Request<Body> {
    Request::post("/graphql")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(
            json!({ "query": query, "variables": variables }).to_string(),
        ))
        .expect("request")
}

/// Sends these GraphQL operations at once, as `token`, and returns the answers in order.
pub async fn concurrently(
    app: &TestApp,
    token: &str,
    requests: Vec<(String, Value)>,
) -> Vec<Value> {
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|(query, variables)| {
            let router = app.router.clone();
            let token = token.to_owned();
            tokio::spawn(async move {
                let request = graphql_request(&token, &query, variables);
                let response = router.oneshot(request).await.expect("router answers");
                let body = response
                    .into_body()
                    .collect()
                    .await
                    .expect("body")
                    .to_bytes();
                serde_json::from_slice::<Value>(&body).expect("JSON")
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    answers
}

/// `base` with the fields of `patch` added or replaced (both JSON objects).
pub fn merged(base: &Value, patch: Value) -> Value {
    let mut merged = base.clone();
    if let (Some(target), Value::Object(fields)) = (merged.as_object_mut(), patch) {
        target.extend(fields);
    }
    merged
}
