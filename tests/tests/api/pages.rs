//! The status pages through the real router: signing in with the form, what each demo
//! role sees and must not see, languages, escaping and the headers of every page.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use cmnp_server::demo;
use cmnp_store::ProjectScope;
use cmnp_tests::TestApp;
use serde_json::{Value, json};

/// A browser's cookies for one user.
struct Browser<'a> {
    app: &'a TestApp,
    cookies: Vec<(String, String)>,
}

struct Html {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: Vec::new(),
        }
    }

    fn remember(&mut self, headers: &HeaderMap) {
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != name);
            if !text.contains("Max-Age=0") {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    async fn send(&mut self, request: axum::http::request::Builder, body: Body) -> Html {
        let cookie = self
            .cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let request = request.header(header::COOKIE, cookie).body(body).unwrap();
        let (status, headers, body) = self.app.send(request).await;
        self.remember(&headers);
        Html {
            status,
            headers,
            text: String::from_utf8(body).unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Html {
        self.send(Request::get(path), Body::empty()).await
    }

    async fn post(&mut self, path: &str, form: &str) -> Html {
        self.send(
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded"),
            Body::from(form.to_owned()),
        )
        .await
    }

    /// Signs in through the form and returns the answer.
    async fn sign_in(&mut self, email: &str, password: &str) -> Html {
        let form = self.get("/app/login").await;
        let csrf = field(&form.text, "csrf");
        self.post(
            "/app/login",
            &format!("email={email}&password={password}&csrf={csrf}"),
        )
        .await
    }
}

/// The value of the hidden input `name` in a form.
fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

async fn signed_in<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    let answer = browser.sign_in(email, demo::DEMO_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    browser
}

#[tokio::test]
async fn the_sign_in_form_issues_a_strict_http_only_session_and_sign_out_revokes_it() {
    let app = TestApp::with_demo(&[]).await;
    let mut browser = Browser::new(&app);
    let anonymous = browser.get("/app").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(anonymous.headers[header::LOCATION], "/app/login");
    assert_eq!(browser.get("/").await.headers[header::LOCATION], "/app");

    // A form without its token, or from another site, is refused and signs nobody in.
    let forged = browser
        .post(
            "/app/login",
            "email=secretaria@cmnp.example&password=cmnp-demo-2026&csrf=forged",
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(browser.cookie("cmnp_session").is_none());

    let wrong = browser.sign_in("secretaria@cmnp.example", "guess").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text.contains("id=\"sign-in-error\""));
    assert!(
        wrong.text.contains("value=\"secretaria@cmnp.example\""),
        "the e-mail is kept"
    );

    let right = browser
        .sign_in("secretaria@cmnp.example", demo::DEMO_PASSWORD)
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    let session = right
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("cmnp_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Strict"),
        "{session}"
    );
    let stolen = browser.cookie("cmnp_session").unwrap().to_owned();

    let overview = browser.get("/app").await;
    assert_eq!(overview.status, StatusCode::OK);
    let csp = overview.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(overview.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(overview.headers[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(overview.headers[header::CACHE_CONTROL], "no-store");
    assert!(
        !overview.text.contains("<script"),
        "no JavaScript is needed"
    );

    let csrf = field(&overview.text, "csrf");
    let out = browser.post("/app/logout", &format!("csrf={csrf}")).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    // The token itself is revoked: a copy of the old cookie no longer signs anyone in.
    let mut thief = Browser::new(&app);
    thief.cookies.push(("cmnp_session".into(), stolen));
    assert_eq!(thief.get("/app").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn each_demo_role_sees_what_it_may_and_nothing_more() {
    let app = TestApp::with_demo(&[]).await;
    let projects = app.store.all_projects(ProjectScope::All).await.unwrap();
    let id_of = |needle: &str| {
        projects
            .iter()
            .find(|p| p.iati_identifier.contains(needle))
            .unwrap()
            .id
    };
    let tumbes = id_of("TUMBES");
    let unodc = id_of("MDD");

    let mut secretariat = signed_in(&app, "secretaria@cmnp.example").await;
    let overview = secretariat.get("/app").await.text;
    for section in ["upcoming", "overdue-by-agency", "completion", "projects"] {
        assert!(overview.contains(&format!("id=\"{section}\"")), "{section}");
    }
    assert_eq!(overview.matches("href=\"/app/projects/").count(), 3);
    let meeting = overview
        .split("href=\"/app/meetings/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let session = secretariat.get(&format!("/app/meetings/{meeting}")).await;
    assert_eq!(session.status, StatusCode::OK);
    for section in ["agenda", "attendance", "agreements"] {
        assert!(
            session.text.contains(&format!("id=\"{section}\"")),
            "{section}"
        );
    }

    let mut mimp = signed_in(&app, "mimp@cmnp.example").await;
    let overview = mimp.get("/app").await.text;
    assert!(overview.contains("id=\"my-items\"") && overview.contains("class=\"overdue\""));
    assert!(
        overview.contains("href=\"/app/agencies/MIMP\""),
        "the agency's own page"
    );
    let agency = mimp.get("/app/agencies/MIMP").await;
    assert_eq!(agency.status, StatusCode::OK);
    assert!(agency.text.contains("id=\"items\"") && agency.text.contains("id=\"attendance\""));
    assert_eq!(
        mimp.get(&format!("/app/projects/{unodc}")).await.status,
        StatusCode::NOT_FOUND
    );

    let mut prm = signed_in(&app, "prm@cmnp.example").await;
    let overview = prm.get("/app").await.text;
    assert!(overview.contains("id=\"projects\""));
    for hidden in ["overdue-by-agency", "my-items", "upcoming", "completion"] {
        assert!(!overview.contains(&format!("id=\"{hidden}\"")), "{hidden}");
    }
    assert_eq!(
        overview.matches("href=\"/app/projects/").count(),
        2,
        "only what PRM funds"
    );
    assert!(!overview.contains(&unodc.to_string()));
    let project = prm.get(&format!("/app/projects/{tumbes}")).await;
    assert_eq!(project.status, StatusCode::OK);
    for section in ["indicators", "budget", "milestones", "report"] {
        assert!(
            project.text.contains(&format!("id=\"{section}\"")),
            "{section}"
        );
    }
    assert!(project.text.contains("12 / 25") && project.text.contains("125,000.00"));
    assert!(
        !project.text.contains("AI-20"),
        "donors see no item references"
    );
    let hidden = prm.get(&format!("/app/projects/{unodc}")).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert!(hidden.text.contains("id=\"not-found\""));
    assert_eq!(
        prm.get("/app/agencies/MIMP").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        prm.get(&format!("/app/meetings/{meeting}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        prm.get("/app/meetings/not-an-id").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn pages_speak_english_on_request_and_remember_it() {
    let app = TestApp::with_demo(&[]).await;
    let mut prm = signed_in(&app, "prm@cmnp.example").await;
    let english = prm.get("/app?lang=en").await;
    assert!(english.text.contains("<html lang=\"en\">"));
    assert!(english.text.contains("Commission overview"));
    assert_eq!(prm.cookie("cmnp_lang"), Some("en"));
    let again = prm.get("/app").await;
    assert!(again.text.contains("<html lang=\"en\">"));
    let spanish = prm.get("/app?lang=es").await;
    assert!(spanish.text.contains("Resumen de la Comisión"));
}

/// The hostile text written into field `n`: markup, both quotes and an ampersand.
fn hostile(n: u32) -> String {
    format!("<i>F{n:02}</i>\"'&")
}

/// Field `n`'s text as a page must print it, as maud escapes every value: markup, the
/// double quote and the ampersand escaped, the apostrophe kept (every attribute value is
/// double-quoted, so it cannot end one).
fn escaped(n: u32) -> String {
    format!("&lt;i&gt;F{n:02}&lt;/i&gt;&quot;'&amp;")
}

/// `text` percent-encoded for a form body.
fn form_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The part of `html` from the first `open` to the next `close`, both included.
fn element<'t>(html: &'t str, open: &str, close: &str) -> Option<&'t str> {
    let start = html.find(open)?;
    let length = html[start..].find(close)? + close.len();
    Some(&html[start..start + length])
}

/// What is around byte `at` of `html`, for a failure message.
fn around(html: &str, at: usize) -> &str {
    let mut start = at.saturating_sub(80);
    while !html.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + 80).min(html.len());
    while !html.is_char_boundary(end) {
        end += 1;
    }
    &html[start..end]
}

/// The `data` of a GraphQL operation as `token`, asserting it had no errors.
async fn data(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    app.graphql(Some(token), query, variables)
        .await
        .data()
        .clone()
}

#[tokio::test]
async fn every_user_written_text_is_escaped_on_every_page_that_shows_it() {
    // The pages read, by whom.
    const S_HOME: &str = "secretariat: overview /app";
    const S_AGENCY: &str = "secretariat: agency page of the implementer";
    const S_FUNDER: &str = "secretariat: agency page of the funder";
    const S_UPCOMING: &str = "secretariat: page of the upcoming session";
    const S_HELD: &str = "secretariat: page of the held session";
    const S_PROJECT: &str = "secretariat: project page";
    const F_HOME: &str = "implementer's focal point: overview /app";
    const F_AGENCY: &str = "implementer's focal point: its agency page";
    const F_UPCOMING: &str = "implementer's focal point: page of the upcoming session";
    const F_HELD: &str = "implementer's focal point: page of the held session";
    const F_PROJECT: &str = "implementer's focal point: project page";
    const D_HOME: &str = "donor: overview /app";
    const D_PROJECT: &str = "donor: project page";
    const D_DENIED: &str = "donor: agency page (refused)";
    const LOGIN: &str = "sign-in form, refused";
    const S_ALL: [&str; 6] = [S_HOME, S_AGENCY, S_FUNDER, S_UPCOMING, S_HELD, S_PROJECT];
    const F_ALL: [&str; 5] = [F_HOME, F_AGENCY, F_UPCOMING, F_HELD, F_PROJECT];
    const D_ALL: [&str; 3] = [D_HOME, D_PROJECT, D_DENIED];
    const PROJECT: [&str; 3] = [S_PROJECT, F_PROJECT, D_PROJECT];
    const UPCOMING: [&str; 2] = [S_UPCOMING, F_UPCOMING];
    const HELD: [&str; 2] = [S_HELD, F_HELD];
    const AGENCY: [&str; 2] = [S_AGENCY, F_AGENCY];

    // Every user-written text: its number (which makes its marker) and the pages that
    // show it, from crates/web/src/pages/*.rs and html.rs. An empty list: no page shows
    // it, and it must still never come out as markup.
    let fields: Vec<(&str, u32, Vec<&str>)> = vec![
        ("the secretariat user's name (header)", 1, S_ALL.to_vec()),
        ("the focal point's name (header)", 2, F_ALL.to_vec()),
        ("the donor officer's name (header)", 3, D_ALL.to_vec()),
        ("the implementing agency's name", 4, AGENCY.to_vec()),
        ("the implementing agency's English name", 5, vec![]),
        ("the funding agency's name", 6, vec![S_FUNDER]),
        ("the funding agency's English name", 7, vec![]),
        (
            "the upcoming session's title",
            8,
            [S_HOME, F_HOME].into_iter().chain(UPCOMING).collect(),
        ),
        (
            "the upcoming session's online link (its only place)",
            9,
            UPCOMING.to_vec(),
        ),
        (
            "the upcoming session's agenda item title",
            10,
            UPCOMING.to_vec(),
        ),
        ("the upcoming session's agenda item description", 11, vec![]),
        ("the held session's title", 12, HELD.to_vec()),
        ("the held session's location", 13, HELD.to_vec()),
        (
            "the held session's online link (the location is shown instead)",
            14,
            vec![],
        ),
        ("the held session's agenda item title", 15, HELD.to_vec()),
        ("the held session's agenda item description", 16, vec![]),
        ("a delegate's name in the attendance", 17, vec![]),
        ("the agreement's text", 18, HELD.to_vec()),
        (
            "the title of the action item the agreement created",
            19,
            [F_HOME].into_iter().chain(AGENCY).chain(HELD).collect(),
        ),
        (
            "the description of the action item the agreement created",
            20,
            vec![],
        ),
        ("the held session's minutes", 21, vec![]),
        (
            "the project's title",
            22,
            [S_HOME, F_HOME, D_HOME]
                .into_iter()
                .chain(PROJECT)
                .collect(),
        ),
        ("the project's description", 23, vec![]),
        ("the project's region", 24, vec![]),
        ("the project's result title", 25, vec![]),
        ("the project's indicator title", 26, PROJECT.to_vec()),
        ("the comment on the indicator's progress", 27, vec![]),
        ("the project's milestone title", 28, PROJECT.to_vec()),
        ("the project report's narrative", 29, PROJECT.to_vec()),
        ("the project report's risks", 30, PROJECT.to_vec()),
        ("the project's transaction description", 31, vec![]),
        (
            "the title of the action item linked to the project",
            32,
            [F_HOME].into_iter().chain(AGENCY).chain(PROJECT).collect(),
        ),
        (
            "the description of the action item linked to the project",
            33,
            vec![],
        ),
        ("the e-mail typed into a refused sign-in", 34, vec![LOGIN]),
    ];
    // Where in a page some of them must be: (field, place, start and end of the place,
    // pages).
    let mut placed: Vec<(u32, &str, &str, &str, Vec<&str>)> = Vec::new();
    for (n, pages) in [
        (4, AGENCY.to_vec()),
        (6, vec![S_FUNDER]),
        (8, UPCOMING.to_vec()),
        (12, HELD.to_vec()),
        (22, PROJECT.to_vec()),
    ] {
        placed.push((n, "the page <title>", "<title>", "</title>", pages.clone()));
        placed.push((n, "the page heading", "<h1", "</h1>", pages));
    }
    for (n, pages) in [
        (1, S_ALL.to_vec()),
        (2, F_ALL.to_vec()),
        (3, D_ALL.to_vec()),
    ] {
        placed.push((n, "the page header", "<header>", "</header>", pages));
    }
    placed.push((
        26,
        "the indicators chart",
        "id=\"indicators-chart\"",
        "</svg>",
        PROJECT.to_vec(),
    ));
    placed.push((
        28,
        "the milestone timeline",
        "id=\"milestones-chart\"",
        "</svg>",
        PROJECT.to_vec(),
    ));
    let field_name = |n: u32| {
        fields
            .iter()
            .find(|(_, number, _)| *number == n)
            .map_or("?", |(name, _, _)| *name)
    };
    let m = hostile;

    // The data, written through the API as the secretariat and, for what an implementer
    // reports, as the implementer's focal point.
    let c = crate::work::Commission::new().await;
    let s = c.secretariat.token.as_str();
    let app = &c.app;
    let today = crate::work::lima_today();
    let day = |days: i64| (today + chrono::Duration::days(days)).to_string();
    let create_agency =
        "mutation ($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } } }";
    let implementer = data(
        app,
        s,
        create_agency,
        json!({ "input": { "acronym": "XSS", "name": m(4), "nameEn": m(5), "membership": "MEMBER", "iatiRef": "XM-DAC-47066" } }),
    )
    .await["createAgency"]["agency"]["id"]
        .clone();
    let funder = data(
        app,
        s,
        create_agency,
        json!({ "input": { "acronym": "DON", "name": m(6), "nameEn": m(7), "kind": "FOREIGN_GOVERNMENT", "membership": "PARTNER" } }),
    )
    .await["createAgency"]["agency"]["id"]
        .clone();
    let create_user =
        "mutation ($input: CreateUserInput!) { createUser(input: $input) { user { id } } }";
    let editor = "editor@test.example";
    let focal = "focal@xss.example";
    let officer = "officer@don.example";
    for (email, name, role, agency) in [
        (editor, m(1), "SECRETARIAT", Value::Null),
        (focal, m(2), "AGENCY", implementer.clone()),
        (officer, m(3), "DONOR", funder.clone()),
    ] {
        data(
            app,
            s,
            create_user,
            json!({ "input": { "email": email, "name": name, "role": role, "agencyId": agency, "password": cmnp_tests::PASSWORD } }),
        )
        .await;
    }
    let login = app
        .graphql(
            None,
            "mutation ($input: LoginInput!) { login(input: $input) { token } }",
            json!({ "input": { "email": focal, "password": cmnp_tests::PASSWORD } }),
        )
        .await;
    let f = login.data()["login"]["token"].as_str().unwrap().to_owned();
    let f = f.as_str();

    let schedule = "mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id } } }";
    let add_agenda_item = "mutation ($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { meeting { id } } }";
    let now = chrono::Utc::now();
    let week = now + chrono::Duration::days(7);
    let upcoming = data(
        app,
        s,
        schedule,
        json!({ "input": { "kind": "ORDINARY", "title": m(8), "startsAt": week.to_rfc3339(),
            "endsAt": (week + chrono::Duration::hours(2)).to_rfc3339(),
            "onlineUrl": format!("https://meet.example/{}", m(9)) } }),
    )
    .await["scheduleMeeting"]["meeting"]["id"]
        .clone();
    data(
        app,
        s,
        add_agenda_item,
        json!({ "input": { "meetingId": upcoming, "title": m(10), "description": m(11) } }),
    )
    .await;
    let begun = now - chrono::Duration::hours(1);
    let held = data(
        app,
        s,
        schedule,
        json!({ "input": { "kind": "EXTRAORDINARY", "title": m(12), "startsAt": begun.to_rfc3339(),
            "endsAt": (begun + chrono::Duration::hours(2)).to_rfc3339(),
            "location": m(13), "onlineUrl": format!("https://meet.example/{}", m(14)) } }),
    )
    .await["scheduleMeeting"]["meeting"]["id"]
        .clone();
    data(
        app,
        s,
        add_agenda_item,
        json!({ "input": { "meetingId": held, "title": m(15), "description": m(16) } }),
    )
    .await;
    for (agency, kind, name) in [
        (c.mininter.id.to_string(), "PRINCIPAL", None),
        (c.mimp.id.to_string(), "PRINCIPAL", None),
        (c.pnp.id.to_string(), "PRINCIPAL", None),
        (
            implementer.as_str().unwrap().to_owned(),
            "DELEGATE",
            Some(m(17)),
        ),
    ] {
        data(
            app,
            s,
            "mutation ($input: RecordAttendanceInput!) { recordAttendance(input: $input) { meeting { id } } }",
            json!({ "input": { "meetingId": held, "agencyId": agency, "status": "PRESENT", "attendeeKind": kind, "attendeeName": name } }),
        )
        .await;
    }
    data(
        app,
        s,
        "mutation ($id: ID!) { markMeetingHeld(input: { meetingId: $id }) { meeting { id } } }",
        json!({ "id": held }),
    )
    .await;
    data(
        app,
        s,
        "mutation ($input: AdoptAgreementInput!) { adoptAgreement(input: $input) { agreement { id } } }",
        json!({ "input": { "meetingId": held, "text": m(18), "actionItems": [
            { "title": m(19), "description": m(20), "responsibleAgencyId": implementer, "dueOn": day(30) }
        ] } }),
    )
    .await;
    data(
        app,
        s,
        "mutation ($input: UpdateMinutesInput!) { updateMinutes(input: $input) { meeting { id } } }",
        json!({ "input": { "meetingId": held, "text": m(21) } }),
    )
    .await;

    let project = data(
        app,
        s,
        "mutation ($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }",
        json!({ "input": { "iatiIdentifier": "XM-DAC-47066-ESC-1", "reportingAgencyId": implementer,
            "title": m(22), "description": m(23), "status": "IMPLEMENTATION", "currency": "USD",
            "plannedStart": day(-30), "plannedEnd": day(300), "regions": [m(24)], "sectors": ["15190"] } }),
    )
    .await["createProject"]["project"]["id"]
        .clone();
    let project_call = |mutation: &str| {
        let mut chars = mutation.chars();
        let first = chars.next().unwrap().to_ascii_uppercase();
        format!(
            "mutation ($input: {first}{}Input!) {{ {mutation}(input: $input) {{ project {{ id }} }} }}",
            chars.as_str()
        )
    };
    for (agency, role) in [(&implementer, "IMPLEMENTING"), (&funder, "FUNDING")] {
        data(
            app,
            s,
            &project_call("addProjectParticipant"),
            json!({ "input": { "projectId": project, "agencyId": agency, "role": role } }),
        )
        .await;
    }
    data(
        app,
        s,
        &project_call("addResult"),
        json!({ "input": { "projectId": project, "type": "OUTPUT", "title": m(25) } }),
    )
    .await;
    let parts = "query ($id: ID!) { project(id: $id) { results { id indicators { id } } } }";
    let result =
        data(app, s, parts, json!({ "id": project })).await["project"]["results"][0]["id"].clone();
    data(
        app,
        s,
        &project_call("addIndicator"),
        json!({ "input": { "resultId": result, "title": m(26), "measure": "UNIT", "baseline": "0", "target": "10" } }),
    )
    .await;
    let indicator =
        data(app, s, parts, json!({ "id": project })).await["project"]["results"][0]["indicators"]
            [0]["id"]
            .clone();
    data(
        app,
        f,
        &project_call("recordIndicatorProgress"),
        json!({ "input": { "indicatorId": indicator, "periodStart": day(-30), "periodEnd": day(-1), "actual": "3", "comment": m(27) } }),
    )
    .await;
    data(
        app,
        f,
        &project_call("addMilestone"),
        json!({ "input": { "projectId": project, "title": m(28), "plannedOn": day(60) } }),
    )
    .await;
    data(
        app,
        f,
        &project_call("submitProjectReport"),
        json!({ "input": { "projectId": project, "periodStart": day(-30), "periodEnd": day(-1), "narrative": m(29), "risks": m(30) } }),
    )
    .await;
    data(
        app,
        s,
        &project_call("addBudgetLine"),
        json!({ "input": { "projectId": project, "periodStart": day(-30), "periodEnd": day(300), "amount": "1000" } }),
    )
    .await;
    data(
        app,
        s,
        &project_call("recordTransaction"),
        json!({ "input": { "projectId": project, "type": "EXPENDITURE", "date": day(-1), "amount": "100", "description": m(31) } }),
    )
    .await;
    data(
        app,
        s,
        "mutation ($input: CreateActionItemInput!) { createActionItem(input: $input) { actionItem { id } } }",
        json!({ "input": { "title": m(32), "description": m(33), "responsibleAgencyId": implementer, "dueOn": day(45), "projectId": project } }),
    )
    .await;

    // The pages, each read by a browser signed in through the form.
    let password = form_encoded(cmnp_tests::PASSWORD);
    let mut browsers = Vec::new();
    for email in [editor, focal, officer] {
        let mut browser = Browser::new(app);
        let signed = browser.sign_in(&form_encoded(email), &password).await;
        assert_eq!(
            signed.status,
            StatusCode::SEE_OTHER,
            "{email}: {}",
            signed.text
        );
        browsers.push(browser);
    }
    let meeting = |id: &Value| format!("/app/meetings/{}", id.as_str().unwrap());
    let project_page = format!("/app/projects/{}", project.as_str().unwrap());
    let reads: Vec<(&str, usize, String, StatusCode)> = vec![
        (S_HOME, 0, "/app".into(), StatusCode::OK),
        (S_AGENCY, 0, "/app/agencies/XSS".into(), StatusCode::OK),
        (S_FUNDER, 0, "/app/agencies/DON".into(), StatusCode::OK),
        (S_UPCOMING, 0, meeting(&upcoming), StatusCode::OK),
        (S_HELD, 0, meeting(&held), StatusCode::OK),
        (S_PROJECT, 0, project_page.clone(), StatusCode::OK),
        (F_HOME, 1, "/app".into(), StatusCode::OK),
        (F_AGENCY, 1, "/app/agencies/XSS".into(), StatusCode::OK),
        (F_UPCOMING, 1, meeting(&upcoming), StatusCode::OK),
        (F_HELD, 1, meeting(&held), StatusCode::OK),
        (F_PROJECT, 1, project_page.clone(), StatusCode::OK),
        (D_HOME, 2, "/app".into(), StatusCode::OK),
        (D_PROJECT, 2, project_page, StatusCode::OK),
        (
            D_DENIED,
            2,
            "/app/agencies/XSS".into(),
            StatusCode::FORBIDDEN,
        ),
    ];
    let mut pages = Vec::new();
    for (page, browser, path, status) in reads {
        let html = browsers[browser].get(&path).await;
        assert_eq!(html.status, status, "{page} ({path}): {}", html.text);
        pages.push((page, html.text));
    }
    let refused = Browser::new(app)
        .sign_in(&form_encoded(&m(34)), &password)
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.text);
    pages.push((LOGIN, refused.text));

    let read: Vec<&str> = pages.iter().map(|(page, _)| *page).collect();
    for (_, _, shown) in &fields {
        assert!(shown.iter().all(|page| read.contains(page)), "{shown:?}");
    }

    let mut failures = Vec::new();
    for (page, html) in &pages {
        for (field, n, shown) in &fields {
            if let Some(at) = html.find(&format!("<i>F{n:02}</i>")) {
                failures.push(format!(
                    "{page}: {field} is printed unescaped: …{}…",
                    around(html, at)
                ));
            } else if shown.contains(page) && !html.contains(&escaped(*n)) {
                failures.push(format!(
                    "{page}: {field}, written as {:?}, does not appear as {:?}",
                    hostile(*n),
                    escaped(*n)
                ));
            }
        }
        if let Some(at) = html.find("<i>").or_else(|| html.find("</i>")) {
            failures.push(format!(
                "{page}: markup from the database: …{}…",
                around(html, at)
            ));
        }
    }
    for (n, place, open, close, shown) in &placed {
        for page in shown {
            let html = &pages.iter().find(|(p, _)| p == page).unwrap().1;
            let part = element(html, open, close).unwrap_or_default();
            if !part.contains(&escaped(*n)) {
                failures.push(format!(
                    "{page}: {} is not in {place}, escaped: {part:?}",
                    field_name(*n)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} escaping failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn the_form_spaces_out_guessing_with_429_and_retry_after() {
    let app = TestApp::with_demo(&[]).await;
    let mut browser = Browser::new(&app);
    for _ in 0..3 {
        let wrong = browser.sign_in("prm@cmnp.example", "guess").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    }
    let held = browser
        .sign_in("prm@cmnp.example", demo::DEMO_PASSWORD)
        .await;
    assert_eq!(held.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(held.headers[header::RETRY_AFTER], "1");
    assert!(held.text.contains("id=\"sign-in-error\""));
    assert!(browser.cookie("cmnp_session").is_none());
}

#[tokio::test]
async fn an_agency_with_more_items_than_listed_is_counted_in_full_and_told_so() {
    let c = crate::work::Commission::new().await;
    let today = crate::work::lima_today();
    for day in 0..205 {
        c.item(&c.mimp, today + chrono::Duration::days(day), &[])
            .await;
    }
    // Seven are overdue and three are done, written as a database that has aged would
    // hold them.
    use sea_orm::ConnectionTrait;
    let db = c.app.store.connection();
    let yesterday = today - chrono::Duration::days(1);
    db.execute_unprepared(&format!(
        "UPDATE action_items SET due_on = '{yesterday}' WHERE id IN \
         (SELECT id FROM action_items ORDER BY due_on, id LIMIT 7)"
    ))
    .await
    .unwrap();
    db.execute_unprepared(
        "UPDATE action_items SET status = 'DONE' WHERE id IN \
         (SELECT id FROM action_items ORDER BY due_on DESC, id LIMIT 3)",
    )
    .await
    .unwrap();

    let mut focal = Browser::new(&c.app);
    let signed = focal
        .sign_in(&c.mimp_user.user.email, cmnp_tests::PASSWORD)
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.text);
    let overview = focal.get("/app?lang=en").await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(
        overview.text.contains("202 pending, 7 overdue."),
        "{}",
        overview.text
    );
    assert!(
        overview
            .text
            .contains("Listing 200 of 202: those due soonest."),
        "{}",
        overview.text
    );

    let mut secretariat = Browser::new(&c.app);
    secretariat
        .sign_in(&c.secretariat.user.email, cmnp_tests::PASSWORD)
        .await;
    let agency = secretariat.get("/app/agencies/MIMP?lang=en").await;
    assert_eq!(agency.status, StatusCode::OK);
    assert!(
        agency.text.contains("205 action items; 7 overdue."),
        "{}",
        agency.text
    );
    assert!(
        agency
            .text
            .contains("Listing 200 of 205: those due soonest."),
        "{}",
        agency.text
    );
}

#[tokio::test]
async fn the_demo_border_session_shows_how_its_agreement_was_voted() {
    let app = TestApp::with_demo(&[]).await;
    let login = app
        .graphql(
            None,
            "mutation ($password: String!) { login(input: { email: \"secretaria@cmnp.example\", password: $password }) { token } }",
            json!({ "password": demo::DEMO_PASSWORD }),
        )
        .await;
    let token = login.data()["login"]["token"].as_str().unwrap().to_owned();
    let sessions = data(
        &app,
        &token,
        "{ meetings(first: 100) { edges { node { id title status agreements { decision { method rule result
            quorumRequired quorumPresent votesFor votesAgainst abstentions
            votes { agency { acronym } vote voterKind voterName } } } } } } }",
        json!({}),
    )
    .await;
    let border = sessions["meetings"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| &edge["node"])
        .find(|node| {
            node["title"]
                .as_str()
                .unwrap()
                .starts_with("Situación migratoria")
        })
        .unwrap();
    let decision = &border["agreements"][0]["decision"];
    assert_eq!(
        (
            &decision["method"],
            &decision["result"],
            &decision["votesFor"],
            &decision["abstentions"],
            &decision["quorumPresent"],
            &decision["quorumRequired"],
        ),
        (
            &json!("VOTE"),
            &json!("ADOPTED"),
            &json!(8),
            &json!(1),
            &json!(9),
            &json!(9)
        )
    );
    let delegate = decision["votes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|vote| vote["voterKind"] == "DELEGATE")
        .unwrap();
    assert_eq!(delegate["agency"]["acronym"], "MINSA");

    let mut browser = signed_in(&app, "secretaria@cmnp.example").await;
    let page = browser
        .get(&format!("/app/meetings/{}", border["id"].as_str().unwrap()))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains(
            "Votación por mayoría de presentes: 8 a favor, 0 en contra, 1 abstenciones, con quórum (9 presentes; 9 requeridos). Adoptado."
        ),
        "{}",
        page.text
    );
    // Under the minutes, MIMP's observations with the secretariat's answers.
    for shown in [
        "Observaciones al acta",
        "Acogida en el acta",
        "Se incorpora al acta el alcance del módulo de orientación.",
        "No acogida",
    ] {
        assert!(page.text.contains(shown), "{shown}: {}", page.text);
    }
}

#[tokio::test]
async fn the_border_session_page_links_its_meeting_pack_for_invited_readers_only() {
    let app = TestApp::with_demo(&[]).await;
    let sessions = app
        .store
        .meetings(
            cmnp_store::MeetingFilter::default(),
            cmnp_store::PageRequest {
                first: 100,
                after: None,
                with_total: false,
            },
        )
        .await
        .unwrap();
    let border = sessions
        .items
        .iter()
        .find(|meeting| meeting.title.starts_with("Situación migratoria"))
        .unwrap();
    let mut mimp = signed_in(&app, "mimp@cmnp.example").await;
    let page = mimp.get(&format!("/app/meetings/{}", border.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text
            .contains("Informe situacional de la frontera norte")
    );
    let marker = "<a href=\"/documents/";
    let links: Vec<String> = page
        .text
        .match_indices(marker)
        .map(|(at, _)| {
            let rest = &page.text[at + "<a href=\"".len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect();
    assert_eq!(links.len(), 2, "{}", page.text);
    assert!(page.text.contains("atenciones-cebaf-tumbes.csv"));

    // The page's session cookie opens the download, as an attachment.
    let file = mimp.get(&links[0]).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        file.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; ")
    );
    assert!(file.text.starts_with("%PDF-"));

    // The donor, who reads no session, gets nothing from the same link.
    let mut prm = signed_in(&app, "prm@cmnp.example").await;
    assert_eq!(prm.get(&links[0]).await.status, StatusCode::NOT_FOUND);
}
