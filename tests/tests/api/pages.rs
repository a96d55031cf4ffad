//! The status pages through the real router: signing in with the form, what each demo
//! role sees and must not see, languages, escaping and the headers of every page.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use cmnp_domain::agency::{AgencyInput, Membership, NewAgency};
use cmnp_server::demo;
use cmnp_store::ProjectScope;
use cmnp_tests::TestApp;

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

async fn demo_app() -> TestApp {
    let app = TestApp::spawn().await;
    demo::load(&app.store, app.config.time_zone, app.config.quorum_rule)
        .await
        .unwrap();
    app
}

async fn signed_in<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    let answer = browser.sign_in(email, demo::DEMO_PASSWORD).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    browser
}

#[tokio::test]
async fn the_sign_in_form_issues_a_strict_http_only_session_and_sign_out_revokes_it() {
    let app = demo_app().await;
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
    let app = demo_app().await;
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
    let app = demo_app().await;
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

#[tokio::test]
async fn text_from_the_database_is_escaped() {
    let app = demo_app().await;
    app.store
        .create_agency(
            None,
            NewAgency::try_from(AgencyInput {
                acronym: "XSS".into(),
                name: "<script>alert(1)</script> & Co".into(),
                membership: Some(Membership::Member),
                ..AgencyInput::default()
            })
            .unwrap(),
        )
        .await
        .unwrap();
    let mut secretariat = signed_in(&app, "secretaria@cmnp.example").await;
    let page = secretariat.get("/app/agencies/XSS").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text
            .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co")
    );
    assert!(!page.text.contains("<script>"));
}

#[tokio::test]
async fn the_form_spaces_out_guessing_with_429_and_retry_after() {
    let app = demo_app().await;
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
