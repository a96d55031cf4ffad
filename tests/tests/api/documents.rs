//! Documents end to end: uploaded as GraphQL multipart requests through the router,
//! checked for size and kind, stored, downloaded back under the owner's read rule with
//! headers that keep a browser from running them, and linked from the IATI export.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use cmnp_server::demo;
use cmnp_tests::{FilePart, TestApp, assert_valid_iati, upload_request};
use serde_json::{Value, json};

pub(crate) const SECRETARIAT: &str = "secretaria@cmnp.example";
pub(crate) const MIMP: &str = "mimp@cmnp.example";
const OIM: &str = "oim@cmnp.example";
const PRM: &str = "prm@cmnp.example";

const UPLOAD: &str = "mutation ($input: UploadDocumentInput!) {
    uploadDocument(input: $input) { document { id title fileName contentType size sha256 category downloadUrl } } }";

/// A small but whole PDF, as the demo makes them.
pub(crate) fn pdf() -> Vec<u8> {
    demo::documents::pdf(&["Acta de prueba", "Segunda linea (con parentesis)"])
}

/// The id of the border session and of its agenda item that carries the meeting pack.
pub(crate) async fn border(app: &TestApp, secretariat: &str) -> (String, String) {
    let sessions = app
        .graphql(
            Some(secretariat),
            "{ meetings(first: 100) { edges { node { id title agenda { id title } } } } }",
            json!({}),
        )
        .await;
    let node = sessions.data()["meetings"]["edges"]
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
        .unwrap()
        .clone();
    (
        node["id"].as_str().unwrap().to_owned(),
        node["agenda"][0]["id"].as_str().unwrap().to_owned(),
    )
}

async fn project_id(app: &TestApp, secretariat: &str, identifier: &str) -> String {
    let projects = app
        .graphql(
            Some(secretariat),
            "{ projects(first: 100) { edges { node { id iatiIdentifier } } } }",
            json!({}),
        )
        .await;
    projects.data()["projects"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|edge| edge["node"]["iatiIdentifier"] == identifier)
        .map(|edge| edge["node"]["id"].as_str().unwrap().to_owned())
        .unwrap()
}

pub(crate) fn input(kind: &str, owner: &str, title: &str) -> Value {
    json!({ "input": { "ownerKind": kind, "ownerId": owner, "title": title, "file": null } })
}

pub(crate) async fn upload(
    app: &TestApp,
    token: &str,
    variables: Value,
    file_name: &str,
    bytes: &[u8],
) -> cmnp_tests::Gql {
    let file = FilePart {
        path: "variables.input.file",
        file_name,
        bytes,
    };
    app.graphql_upload(Some(token), UPLOAD, variables, &[file])
        .await
}

/// `GET path` with a bearer token.
pub(crate) async fn download(
    app: &TestApp,
    token: &str,
    path: &str,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    app.send(request).await
}

/// The path of a document's `downloadUrl`, which the API writes under the public URL.
pub(crate) fn path_of(app: &TestApp, url: &Value) -> String {
    url.as_str()
        .unwrap()
        .strip_prefix(&app.config.public_url)
        .unwrap()
        .to_owned()
}

pub(crate) async fn documents_stored(app: &TestApp) -> usize {
    std::fs::read_dir(app.documents.path()).unwrap().count()
}

#[tokio::test]
async fn a_meeting_pack_is_uploaded_as_multipart_and_downloads_byte_for_byte_as_an_attachment() {
    let app = TestApp::with_demo(&[]).await;
    let secretariat = app.demo_token(SECRETARIAT).await;
    let (meeting, item) = border(&app, &secretariat).await;
    let bytes = pdf();
    let uploaded = upload(
        &app,
        &secretariat,
        input("AGENDA_ITEM", &item, "Ayuda memoria de la sesión"),
        // A folder in the name is dropped, and the name is never the storage key.
        "../actas/ayuda memoria Nº 3.pdf",
        &bytes,
    )
    .await;
    let document = uploaded.data()["uploadDocument"]["document"].clone();
    assert_eq!(document["title"], "Ayuda memoria de la sesión");
    assert_eq!(document["fileName"], "ayuda memoria Nº 3.pdf");
    assert_eq!(document["contentType"], "application/pdf");
    assert_eq!(document["size"], json!(bytes.len()));
    assert_eq!(document["category"], "OTHER");
    assert_eq!(document["sha256"].as_str().unwrap().len(), 64);

    // The session lists it after the demo's two, through the agenda item.
    let listed = app
        .graphql(
            Some(&secretariat),
            "query ($id: ID!) { meeting(id: $id) { agenda { documents { id fileName } } } }",
            json!({ "id": meeting }),
        )
        .await;
    let names: Vec<&str> = listed.data()["meeting"]["agenda"][0]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["fileName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "informe-frontera-norte.pdf",
            "atenciones-cebaf-tumbes.csv",
            "ayuda memoria Nº 3.pdf"
        ]
    );
    let stored: Vec<String> = std::fs::read_dir(app.documents.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        stored.len(),
        4,
        "three packs and the Tumbes report: {stored:?}"
    );
    assert!(
        stored
            .iter()
            .all(|key| key.len() == 32 && !key.contains("memoria"))
    );

    // MIMP, invited to the session, downloads exactly what was sent.
    let mimp = app.demo_token(MIMP).await;
    let (status, headers, body) =
        download(&app, &mimp, &path_of(&app, &document["downloadUrl"])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, bytes);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"ayuda memoria N_ 3.pdf\"; filename*=UTF-8''ayuda%20memoria%20N%C2%BA%203.pdf"
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .starts_with("sandbox")
    );

    // The upload is in the audit log, by its uploader.
    let audit = app
        .graphql(
            Some(&secretariat),
            "query ($id: ID!) { auditEvents(first: 5, filter: { objectId: $id }) { edges { node { action objectType } } } }",
            json!({ "id": document["id"] }),
        )
        .await;
    assert_eq!(
        audit.data()["auditEvents"]["edges"][0]["node"],
        json!({ "action": "document.upload", "objectType": "document" })
    );
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_naming_the_file_and_nothing_is_kept() {
    let app = TestApp::with_demo(&[("CMNP_DOCUMENT_MAX_BYTES", "2048")]).await;
    let secretariat = app.demo_token(SECRETARIAT).await;
    let (_, item) = border(&app, &secretariat).await;
    let before = documents_stored(&app).await;
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(4096, b' ');
    let refused = upload(
        &app,
        &secretariat,
        input("AGENDA_ITEM", &item, "Anexo demasiado grande"),
        "anexo.pdf",
        &big,
    )
    .await;
    assert_eq!(refused.code(), "BAD_USER_INPUT");
    assert_eq!(refused.field(), "file");
    assert!(
        refused.error()["message"]
            .as_str()
            .unwrap()
            .contains("at most 2048 bytes"),
        "{:#}",
        refused.body
    );
    assert_eq!(documents_stored(&app).await, before);

    // Within the limit, the same kind of file is taken.
    big.truncate(2048);
    let taken = upload(
        &app,
        &secretariat,
        input("AGENDA_ITEM", &item, "Anexo"),
        "anexo.pdf",
        &big,
    )
    .await;
    assert_eq!(taken.data()["uploadDocument"]["document"]["size"], 2048);
    assert_eq!(documents_stored(&app).await, before + 1);
}

#[tokio::test]
async fn html_disguised_as_a_pdf_is_refused_whatever_its_name_and_claimed_type() {
    let app = TestApp::with_demo(&[]).await;
    let secretariat = app.demo_token(SECRETARIAT).await;
    let (_, item) = border(&app, &secretariat).await;
    let before = documents_stored(&app).await;
    for (file_name, bytes) in [
        (
            "report.pdf",
            &b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"[..],
        ),
        (
            "logo.png",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
        ),
        ("datos.csv", b"nombre,valor\n<script>alert(1)</script>,1\n"),
    ] {
        let refused = upload(
            &app,
            &secretariat,
            input("AGENDA_ITEM", &item, "Informe"),
            file_name,
            bytes,
        )
        .await;
        assert_eq!(refused.code(), "BAD_USER_INPUT", "{file_name}");
        assert_eq!(refused.field(), "file", "{file_name}");
    }
    assert_eq!(documents_stored(&app).await, before);
}

#[tokio::test]
async fn a_donor_downloads_only_the_documents_of_projects_it_funds() {
    let app = TestApp::with_demo(&[]).await;
    let secretariat = app.demo_token(SECRETARIAT).await;
    let prm = app.demo_token(PRM).await;
    // Madre de Dios is funded by UNODC, not PRM.
    let unfunded = project_id(&app, &secretariat, "XM-DAC-47066-PE-MDD-2027").await;
    let uploaded = upload(
        &app,
        &secretariat,
        input("PROJECT", &unfunded, "Nota conceptual"),
        "nota.pdf",
        &pdf(),
    )
    .await;
    let hidden = path_of(
        &app,
        &uploaded.data()["uploadDocument"]["document"]["downloadUrl"],
    );
    let (status, _, body) = download(&app, &prm, &hidden).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.starts_with(b"%PDF"));

    // The Tumbes project's report, which PRM funds, it reads.
    let tumbes = project_id(&app, &secretariat, "XM-DAC-47066-PE-TUMBES-2026").await;
    let reports = app
        .graphql(
            Some(&prm),
            "query ($id: ID!) { project(id: $id) { documents { title category downloadUrl } } }",
            json!({ "id": tumbes }),
        )
        .await;
    let report = &reports.data()["project"]["documents"][0];
    assert_eq!(report["category"], "REPORT");
    let (status, headers, body) =
        download(&app, &prm, &path_of(&app, &report["downloadUrl"])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(body.starts_with(b"%PDF-"));

    // Nor does a donor attach anything.
    let refused = upload(
        &app,
        &prm,
        input("PROJECT", &tumbes, "Nota del donante"),
        "nota.pdf",
        &pdf(),
    )
    .await;
    assert_eq!(refused.code(), "FORBIDDEN");
}

#[tokio::test]
async fn an_agency_not_invited_to_a_session_cannot_download_its_meeting_pack() {
    let app = TestApp::with_demo(&[]).await;
    let secretariat = app.demo_token(SECRETARIAT).await;
    let (meeting, _) = border(&app, &secretariat).await;
    let pack = app
        .graphql(
            Some(&secretariat),
            "query ($id: ID!) { meeting(id: $id) { agenda { documents { title contentType downloadUrl } } } }",
            json!({ "id": meeting }),
        )
        .await;
    let documents = pack.data()["meeting"]["agenda"][0]["documents"].clone();
    assert_eq!(
        documents
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["contentType"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["application/pdf", "text/csv"]
    );
    let csv = path_of(&app, &documents[1]["downloadUrl"]);
    // OIM, a partner, is invited to no session.
    let oim = app.demo_token(OIM).await;
    assert_eq!(download(&app, &oim, &csv).await.0, StatusCode::NOT_FOUND);
    let mimp = app.demo_token(MIMP).await;
    let (status, headers, body) = download(&app, &mimp, &csv).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(body.starts_with(b"mes;atenciones"));
    // Without a credential, or with a made-up id, nothing either.
    let anonymous = app
        .send(Request::get(&csv).body(Body::empty()).unwrap())
        .await;
    assert_eq!(anonymous.0, StatusCode::UNAUTHORIZED);
    let unknown = download(&app, &mimp, &format!("/documents/{}", uuid::Uuid::now_v7())).await;
    assert_eq!(unknown.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_iati_export_links_project_reports_and_stays_valid() {
    let app = TestApp::with_demo(&[]).await;
    let secretariat = app.demo_token(SECRETARIAT).await;
    let oim = app.demo_token(OIM).await;
    let tumbes = project_id(&app, &secretariat, "XM-DAC-47066-PE-TUMBES-2026").await;
    // A second report, as the implementer, and a paper that is no report.
    let mut variables = input("PROJECT", &tumbes, "Informe de avance: segundo curso");
    variables["input"]["category"] = json!("REPORT");
    let report = upload(&app, &oim, variables, "segundo.pdf", &pdf()).await;
    let report_id = report.data()["uploadDocument"]["document"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    upload(
        &app,
        &oim,
        input("PROJECT", &tumbes, "Lista de asistentes"),
        "asistentes.csv",
        b"nombre;entidad\nAna;PNP\n",
    )
    .await
    .data();
    let (status, _, body) = download(&app, &secretariat, "/iati/activities.xml").await;
    assert_eq!(status, StatusCode::OK);
    let xml = String::from_utf8(body).unwrap();
    assert_valid_iati(&xml);
    assert_eq!(xml.matches("<document-link ").count(), 2, "{xml}");
    assert!(xml.contains(&format!(
        "<document-link url=\"{}/documents/{report_id}\" format=\"application/pdf\">",
        app.config.public_url
    )));
    assert!(xml.contains("<narrative>Informe de avance: segundo curso</narrative>"));
    assert!(!xml.contains("Lista de asistentes"));
    assert_eq!(xml.matches("<category code=\"A08\"/>").count(), 2);
}

#[tokio::test]
async fn a_multipart_request_needs_the_bearer_token_and_a_forged_file_is_refused() {
    let app = TestApp::with_demo(&[]).await;
    let secretariat = app.demo_token(SECRETARIAT).await;
    let (_, item) = border(&app, &secretariat).await;
    let file = FilePart {
        path: "variables.input.file",
        file_name: "a.pdf",
        bytes: b"%PDF-1.4\n",
    };
    // A cross-site form can post multipart/form-data with the browser's cookies, but
    // never with an Authorization header.
    let anonymous = app
        .gql(upload_request(
            None,
            UPLOAD,
            input("AGENDA_ITEM", &item, "Informe"),
            &[file],
        ))
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.code(), "UNAUTHENTICATED");
    // Any header will not do: the token is checked before the body is read.
    let unknown = app
        .gql(upload_request(
            Some("cmnp_not-a-token"),
            UPLOAD,
            input("AGENDA_ITEM", &item, "Informe"),
            &[file],
        ))
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.code(), "UNAUTHENTICATED");
    // One file to a request, and the operation held to a JSON request's limit.
    let two = app
        .gql(upload_request(
            Some(&secretariat),
            UPLOAD,
            input("AGENDA_ITEM", &item, "Informe"),
            &[file, file],
        ))
        .await;
    assert_eq!(two.status, StatusCode::BAD_REQUEST);
    let padded = format!("{UPLOAD}{}", " ".repeat(app.config.max_body_bytes));
    let long = app
        .gql(upload_request(
            Some(&secretariat),
            &padded,
            input("AGENDA_ITEM", &item, "Informe"),
            &[file],
        ))
        .await;
    assert_eq!(long.status, StatusCode::PAYLOAD_TOO_LARGE);

    // A file named in JSON, as the multipart reader's marker, names nothing.
    for forged in ["#__graphql_file__:0", "#__graphql_file__:x", "informe.pdf"] {
        let mut variables = input("AGENDA_ITEM", &item, "Informe");
        variables["input"]["file"] = json!(forged);
        let answer = app.graphql(Some(&secretariat), UPLOAD, variables).await;
        assert_eq!(
            answer.code(),
            "BAD_USER_INPUT",
            "{forged}: {:#}",
            answer.body
        );
    }
    let before = documents_stored(&app).await;
    assert_eq!(before, 3, "only the demo's");
}

#[tokio::test]
async fn evidence_goes_on_an_agencys_own_items_and_session_papers_are_the_secretariats() {
    let app = TestApp::with_demo(&[]).await;
    let secretariat = app.demo_token(SECRETARIAT).await;
    let mimp = app.demo_token(MIMP).await;
    let listed = app
        .graphql(
            Some(&secretariat),
            "{ actionItems(first: 100) { edges { node { id responsible { acronym } } } }
               meetings(first: 100) { edges { node { id minutes { status } } } } }",
            json!({}),
        )
        .await;
    let data = listed.data();
    let item_of = |acronym: &str| {
        data["actionItems"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|edge| edge["node"]["responsible"]["acronym"] == acronym)
            .map(|edge| edge["node"]["id"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let (own, other) = (item_of("MIMP"), item_of("MIGRACIONES"));
    let evidence = upload(
        &app,
        &mimp,
        input("ACTION_ITEM", &own, "Lista de participantes"),
        "participantes.csv",
        b"nombre;entidad\nAna;PNP\n",
    )
    .await;
    assert_eq!(
        evidence.data()["uploadDocument"]["document"]["contentType"],
        "text/csv"
    );
    let refused = upload(
        &app,
        &mimp,
        input("ACTION_ITEM", &other, "Evidencia ajena"),
        "otra.csv",
        b"a;b\n",
    )
    .await;
    assert_eq!(refused.code(), "FORBIDDEN");
    let items = app
        .graphql(
            Some(&mimp),
            "query ($id: ID!) { actionItem(id: $id) { documents { title } } }",
            json!({ "id": own }),
        )
        .await;
    assert_eq!(
        items.data()["actionItem"]["documents"],
        json!([{ "title": "Lista de participantes" }])
    );

    let (_, pack_item) = border(&app, &secretariat).await;
    let pack_try = upload(
        &app,
        &mimp,
        input("AGENDA_ITEM", &pack_item, "Presentación del MIMP"),
        "presentacion.pdf",
        &pdf(),
    )
    .await;
    assert_eq!(pack_try.code(), "FORBIDDEN");

    let circulated = data["meetings"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|edge| edge["node"]["minutes"]["status"] == "CIRCULATED")
        .map(|edge| edge["node"]["id"].as_str().unwrap().to_owned())
        .unwrap();
    let agency_try = upload(
        &app,
        &mimp,
        input("MEETING_MINUTES", &circulated, "Observaciones al acta"),
        "obs.pdf",
        &pdf(),
    )
    .await;
    assert_eq!(agency_try.code(), "FORBIDDEN");
    upload(
        &app,
        &secretariat,
        input("MEETING_MINUTES", &circulated, "Acta firmada"),
        "acta.pdf",
        &pdf(),
    )
    .await
    .data();
    let minutes = app
        .graphql(
            Some(&mimp),
            "query ($id: ID!) { meeting(id: $id) { minutesDocuments { title contentType } } }",
            json!({ "id": circulated }),
        )
        .await;
    assert_eq!(
        minutes.data()["meeting"]["minutesDocuments"],
        json!([{ "title": "Acta firmada", "contentType": "application/pdf" }])
    );
}
