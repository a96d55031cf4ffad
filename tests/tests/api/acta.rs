//! The acta as PDF: the demo's approved and circulated minutes rendered, read back with
//! `pdftotext` and compared with what the API says of the same sessions; who may download
//! it, and the answer for minutes not yet circulated.

use std::process::{Command, Stdio};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::{Duration, Utc};
use cmnp_domain::user::Surface;
use cmnp_server::demo;
use cmnp_tests::TestApp;
use serde_json::{Value, json};

async fn demo_app() -> (TestApp, String) {
    let app = TestApp::with_demo(&[]).await;
    let secretariat = app.demo_token("secretaria@cmnp.example").await;
    (app, secretariat)
}

const SESSIONS: &str = "{ meetings(first: 100) { edges { node {
    id label title status
    minutes { status observations { agency { acronym } text reply } }
    agenda { title documents { title } }
    attendance { agency { acronym } status }
    quorum { required present reached }
    agreements { number text decision { method votesFor votesAgainst abstentions }
                 actionItems { reference title responsible { acronym } } } } } } }";

/// The demo's session whose title starts with `title`, as the API shows it.
async fn session(app: &TestApp, token: &str, title: &str) -> Value {
    let answer = app.graphql(Some(token), SESSIONS, json!({})).await;
    answer.data()["meetings"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"].clone())
        .find(|node| node["title"].as_str().unwrap().starts_with(title))
        .unwrap_or_else(|| panic!("no session {title}"))
}

/// A session of the test's own, begun an hour ago with every member invited and marked
/// held: its minutes open as an empty draft.
async fn held_in_draft(app: &TestApp, secretariat: &str) -> Value {
    let starts_at = Utc::now() - Duration::hours(1);
    let scheduled = app
        .graphql(
            Some(secretariat),
            "mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id } } }",
            json!({ "input": {
                "kind": "EXTRAORDINARY",
                "title": "Sesión de prueba del acta",
                "location": "Sala de sesiones, MININTER",
                "startsAt": starts_at.to_rfc3339(),
                "endsAt": (starts_at + Duration::hours(2)).to_rfc3339(),
            } }),
        )
        .await;
    let id = scheduled.data()["scheduleMeeting"]["meeting"]["id"].clone();
    let held = app
        .graphql(
            Some(secretariat),
            "mutation ($id: ID!) { markMeetingHeld(input: { meetingId: $id }) { meeting { id minutes { status } } } }",
            json!({ "id": id }),
        )
        .await;
    held.data()["markMeetingHeld"]["meeting"].clone()
}

async fn download(
    app: &TestApp,
    path: &str,
    credential: Credential<'_>,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let request = Request::get(path);
    let request = match credential {
        Credential::None => request,
        Credential::Bearer(token) => {
            request.header(header::AUTHORIZATION, format!("Bearer {token}"))
        }
        Credential::Cookie(secret) => {
            request.header(header::COOKIE, format!("cmnp_session={secret}"))
        }
    };
    app.send(request.body(Body::empty()).unwrap()).await
}

#[derive(Clone, Copy)]
enum Credential<'a> {
    None,
    Bearer(&'a str),
    Cookie(&'a str),
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

#[tokio::test]
async fn approved_minutes_download_as_a_pdf_with_its_fonts_embedded() {
    let (app, secretariat) = demo_app().await;
    let first = session(&app, &secretariat, "Aprobación del plan operativo").await;
    assert_eq!(first["minutes"]["status"], "APPROVED");
    let path = format!("/meetings/{}/acta.pdf", first["id"].as_str().unwrap());
    let (status, headers, body) = download(&app, &path, Credential::Bearer(&secretariat)).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    let label = first["label"].as_str().unwrap(); // "Sesión Ordinaria N° 1-2026"
    let number = label.rsplit(' ').next().unwrap();
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"acta-sesion-ordinaria-{number}.pdf\"").as_str()
    );
    assert!(body.starts_with(b"%PDF-"));
    assert!(body.ends_with(b"%%EOF") || body.ends_with(b"%%EOF\n"));
    // Both faces travel inside the file, as TrueType programs.
    assert_eq!(count(&body, b"/FontFile2"), 2);
    assert!(count(&body, b"/ToUnicode") >= 2);

    // In English, the same acta under an English name; an unknown language is refused.
    let (status, headers, _) = download(
        &app,
        &format!("{path}?lang=en"),
        Credential::Bearer(&secretariat),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"minutes-ordinary-session-{number}.pdf\"").as_str()
    );
    let (status, _, body) = download(
        &app,
        &format!("{path}?lang=fr"),
        Credential::Bearer(&secretariat),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(String::from_utf8(body).unwrap().contains("lang"));

    // Circulated minutes give a draft, named as one.
    let second = session(&app, &secretariat, "Seguimiento del plan operativo").await;
    assert_eq!(second["minutes"]["status"], "CIRCULATED");
    let (status, headers, _) = download(
        &app,
        &format!("/meetings/{}/acta.pdf", second["id"].as_str().unwrap()),
        Credential::Bearer(&secretariat),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"proyecto-acta-sesion-ordinaria-")
    );
}

#[tokio::test]
async fn the_acta_obeys_who_may_read_the_minutes() {
    let (app, secretariat) = demo_app().await;
    let first = session(&app, &secretariat, "Aprobación del plan operativo").await;
    let path = format!("/meetings/{}/acta.pdf", first["id"].as_str().unwrap());

    // Nobody signed in, and a calendar-feed or unknown secret, are not let in.
    let (status, _, _) = download(&app, &path, Credential::None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = download(&app, &path, Credential::Bearer("cmnp_nothing")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // An invited agency reads it; a donor and an agency not invited may not see the
    // session, and get what a missing session gets.
    let mimp = app.demo_token("mimp@cmnp.example").await;
    let (status, _, body) = download(&app, &path, Credential::Bearer(&mimp)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with(b"%PDF-"));
    for outsider in ["prm@cmnp.example", "oim@cmnp.example"] {
        let token = app.demo_token(outsider).await;
        let seen = app
            .graphql(
                Some(&token),
                "query ($id: ID!) { meeting(id: $id) { id } }",
                json!({ "id": first["id"] }),
            )
            .await;
        assert!(
            seen.body["data"]["meeting"].is_null(),
            "{outsider} sees the session"
        );
        let (status, _, _) = download(&app, &path, Credential::Bearer(&token)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{outsider}");
    }
    let (status, _, _) = download(
        &app,
        &format!("/meetings/{}/acta.pdf", uuid::Uuid::new_v4()),
        Credential::Bearer(&secretariat),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The pages' session cookie opens it too (the session page links to it), and the
    // API's session token does not pass as that cookie.
    let (issued, _) = app
        .store
        .login(
            "mimp@cmnp.example",
            demo::DEMO_PASSWORD.to_owned(),
            Duration::hours(1),
            Surface::Pages,
        )
        .await
        .unwrap();
    let (status, headers, _) = download(&app, &path, Credential::Cookie(&issued.secret)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    let (status, _, _) = download(&app, &path, Credential::Cookie(&mimp)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = download(&app, &path, Credential::Bearer(&issued.secret)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn minutes_not_yet_circulated_have_no_acta() {
    let (app, secretariat) = demo_app().await;
    // Holding a session opens its minutes as an empty draft; then the draft gets its
    // text, and stays a draft.
    let draft = held_in_draft(&app, &secretariat).await;
    assert_eq!(draft["minutes"]["status"], "DRAFT");
    let path = format!("/meetings/{}/acta.pdf", draft["id"].as_str().unwrap());
    let mimp = app.demo_token("mimp@cmnp.example").await;
    for token in [&secretariat, &mimp] {
        let (status, headers, body) = download(&app, &path, Credential::Bearer(token)).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
        assert!(
            String::from_utf8(body)
                .unwrap()
                .contains("not been circulated")
        );
    }
    let drafted = app
        .graphql(
            Some(&secretariat),
            "mutation ($id: ID!) { updateMinutes(input: { meetingId: $id, text: \"Borrador\" }) { meeting { minutes { status } } } }",
            json!({ "id": draft["id"] }),
        )
        .await;
    assert_eq!(
        drafted.data()["updateMinutes"]["meeting"]["minutes"]["status"],
        "DRAFT"
    );
    for token in [&secretariat, &mimp] {
        let (status, _, _) = download(&app, &path, Credential::Bearer(token)).await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
    // A session still to come has no minutes at all, and no acta either.
    let upcoming = session(&app, &secretariat, "Balance anual").await;
    assert!(upcoming["minutes"].is_null());
    let path = format!("/meetings/{}/acta.pdf", upcoming["id"].as_str().unwrap());
    let (status, _, _) = download(&app, &path, Credential::Bearer(&secretariat)).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

/// The PDF's text as `pdftotext -layout` extracts it, with each run of spaces and line
/// breaks made one space, so a sentence wrapped over two lines reads whole.
fn pdf_text(pdf: &[u8]) -> String {
    let mut child = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext runs");
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), pdf).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "pdftotext failed");
    let text = String::from_utf8(output.stdout).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
#[ignore = "needs pdftotext (poppler-utils): set CMNP_PDF_TOOLS=1"]
async fn the_acta_reads_back_with_pdftotext_as_the_api_tells_the_session() {
    cmnp_tests::required("CMNP_PDF_TOOLS", "pdftotext (poppler-utils)");
    let (app, secretariat) = demo_app().await;
    let first = session(&app, &secretariat, "Aprobación del plan operativo").await;
    let second = session(&app, &secretariat, "Seguimiento del plan operativo").await;
    let path = format!("/meetings/{}/acta.pdf", first["id"].as_str().unwrap());
    let (status, _, pdf) = download(&app, &path, Credential::Bearer(&secretariat)).await;
    assert_eq!(status, StatusCode::OK);
    let text = pdf_text(&pdf);
    let has = |needle: &str| assert!(text.contains(needle), "{needle:?} missing from:\n{text}");

    let label = first["label"].as_str().unwrap();
    has(&format!("ACTA DE LA {}", label.to_uppercase()));
    has(first["title"].as_str().unwrap());
    has(&format!(
        "Aprobada en la {}.",
        second["label"].as_str().unwrap()
    ));
    // Every agency recorded present, and the frozen quorum in the pages' words.
    let present: Vec<&str> = first["attendance"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["status"] == "PRESENT")
        .map(|a| a["agency"]["acronym"].as_str().unwrap())
        .collect();
    assert_eq!(present.len(), 11);
    for acronym in &present {
        has(&format!(" {acronym} "));
    }
    has("MININTER Rosa Huamán Torres Titular Presencial");
    let quorum = &first["quorum"];
    assert_eq!(quorum["reached"], true);
    has(&format!(
        "Quórum alcanzado: {} presentes de {} requeridos.",
        quorum["present"], quorum["required"]
    ));
    // Each agreement, numbered, with how it was decided and the items it created.
    let agreements = first["agreements"].as_array().unwrap();
    assert!(!agreements.is_empty());
    for agreement in agreements {
        has(agreement["number"].as_str().unwrap());
        has(agreement["text"].as_str().unwrap());
        assert_eq!(agreement["decision"]["method"], "CONSENSUS");
        has("Adoptado por consenso, con quórum");
        for item in agreement["actionItems"].as_array().unwrap() {
            has(&format!(
                "{} — {} (responsable {};",
                item["reference"].as_str().unwrap(),
                item["title"].as_str().unwrap(),
                item["responsible"]["acronym"].as_str().unwrap()
            ));
        }
    }
    // The minutes' own text, accents and signs intact, and the block to sign.
    has("La Secretaría Técnica presentó el plan operativo anual 2026");
    has("• El MIMP propuso priorizar");
    has("N°");
    has("5. Observaciones al acta");
    has("6. Firmas");
    has("Rosa Huamán Torres");
    has("Viceministra de Seguridad Pública");
    has("Presidencia de la Comisión");
    has("Secretaría Técnica");
    assert!(!text.contains("PROYECTO"), "an approved acta is no draft");

    // The vote of the border session, whose minutes the demo circulated, reads as the
    // API counts it, and the draft is marked on every page.
    let border = session(&app, &secretariat, "Situación migratoria").await;
    assert_eq!(border["minutes"]["status"], "CIRCULATED");
    let id = border["id"].as_str().unwrap();
    let (status, _, pdf) = download(
        &app,
        &format!("/meetings/{id}/acta.pdf"),
        Credential::Bearer(&secretariat),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let draft = pdf_text(&pdf);
    let decision = &border["agreements"][0]["decision"];
    let counted = format!(
        "Votación por mayoría de presentes: {} a favor, {} en contra, {} abstenciones",
        decision["votesFor"], decision["votesAgainst"], decision["abstentions"]
    );
    assert!(
        draft.contains(&counted),
        "{counted:?} missing from:\n{draft}"
    );
    assert!(draft.contains("RREE abstención"), "{draft}");
    // The meeting pack under its agenda item, and every observation with its answer.
    let papers: Vec<&str> = border["agenda"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|item| item["documents"].as_array().unwrap())
        .map(|paper| paper["title"].as_str().unwrap())
        .collect();
    assert!(
        !papers.is_empty(),
        "the demo's border session has a meeting pack"
    );
    for paper in papers {
        assert!(draft.contains(paper), "{paper:?} missing from:\n{draft}");
    }
    let observations = border["minutes"]["observations"].as_array().unwrap();
    assert!(
        !observations.is_empty(),
        "the demo's border minutes have observations"
    );
    for observation in observations {
        let sent = format!(
            "{}: {}",
            observation["agency"]["acronym"].as_str().unwrap(),
            observation["text"].as_str().unwrap()
        );
        let reply = observation["reply"].as_str().unwrap();
        assert!(draft.contains(&sent), "{sent:?} missing from:\n{draft}");
        assert!(draft.contains(reply), "{reply:?} missing from:\n{draft}");
    }
    assert!(draft.contains(&format!(
        "PROYECTO DE ACTA DE LA {}",
        border["label"].as_str().unwrap().to_uppercase()
    )));
    let pages = draft.matches("Página ").count();
    assert!(pages >= 1);
    assert_eq!(
        draft.matches("PROYECTO DE ACTA — NO APROBADO").count(),
        2 * pages
    );

    // In English, the same session in the English words of the pages.
    let (_, _, pdf) = download(
        &app,
        &format!("{path}?lang=en"),
        Credential::Bearer(&secretariat),
    )
    .await;
    let english = pdf_text(&pdf);
    let number = label.rsplit(' ').next().unwrap();
    for needle in [
        format!("MINUTES OF ORDINARY SESSION NO. {number}"),
        format!(
            "Quorum reached: {} present of {} required.",
            quorum["present"], quorum["required"]
        ),
        format!(
            "Approved in Ordinary Session No. {}.",
            second["label"]
                .as_str()
                .unwrap()
                .rsplit(' ')
                .next()
                .unwrap()
        ),
        "Adopted by consensus".to_owned(),
        "Presidency of the Commission".to_owned(),
        "Ministry of the Interior".to_owned(),
    ] {
        assert!(
            english.contains(&needle),
            "{needle:?} missing from:\n{english}"
        );
    }
}

#[tokio::test]
async fn the_session_page_links_to_the_acta_once_the_minutes_are_circulated() {
    let (app, secretariat) = demo_app().await;
    let (issued, _) = app
        .store
        .login(
            "secretaria@cmnp.example",
            demo::DEMO_PASSWORD.to_owned(),
            Duration::hours(1),
            Surface::Pages,
        )
        .await
        .unwrap();
    let page = |id: String| {
        let secret = issued.secret.clone();
        let app = &app;
        async move {
            let (status, _, body) = download(
                app,
                &format!("/app/meetings/{id}?lang=es"),
                Credential::Cookie(&secret),
            )
            .await;
            assert_eq!(status, StatusCode::OK);
            String::from_utf8(body).unwrap()
        }
    };
    let id = |session: &Value| session["id"].as_str().unwrap().to_owned();
    let first = session(&app, &secretariat, "Aprobación del plan operativo").await;
    let html = page(id(&first)).await;
    let href = format!("href=\"/meetings/{}/acta.pdf?lang=es\"", id(&first));
    assert!(
        html.contains(&href) && html.contains(">Acta (PDF)<"),
        "{html}"
    );
    let second = session(&app, &secretariat, "Seguimiento del plan operativo").await;
    assert!(page(id(&second)).await.contains(">Proyecto de acta (PDF)<"));
    let border = session(&app, &secretariat, "Situación migratoria").await;
    assert!(page(id(&border)).await.contains(">Proyecto de acta (PDF)<"));
    let draft = held_in_draft(&app, &secretariat).await;
    assert!(!page(id(&draft)).await.contains("acta.pdf"));
    // The link works with the cookie the page was read with.
    let (status, _, body) = download(
        &app,
        &format!("/meetings/{}/acta.pdf?lang=es", id(&first)),
        Credential::Cookie(&issued.secret),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with(b"%PDF-"));
}
