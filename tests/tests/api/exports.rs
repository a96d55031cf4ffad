//! CSV exports for the annual report, read back with Python's `csv` module and compared
//! with what the API answers for the same question.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use cmnp_tests::TestApp;
use serde_json::{Value, json};

/// The rows of `csv` as Python's `csv.DictReader` reads them.
fn python_rows(csv: &[u8]) -> Vec<BTreeMap<String, String>> {
    let mut python = Command::new("python3")
        .args([
            "-c",
            "import csv, io, json, sys; \
             print(json.dumps(list(csv.DictReader(io.TextIOWrapper(sys.stdin.buffer, encoding='utf-8', newline='')))))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 reads the CSV");
    python.stdin.take().unwrap().write_all(csv).unwrap();
    let output = python.wait_with_output().unwrap();
    assert!(output.status.success(), "python3 could not read the CSV");
    serde_json::from_slice(&output.stdout).unwrap()
}

async fn export(app: &TestApp, token: Option<&str>, path: &str) -> (StatusCode, String, Vec<u8>) {
    let mut request = Request::get(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let (status, headers, body) = app.send(request.body(Body::empty()).unwrap()).await;
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, kind, body)
}

async fn demo_app() -> (TestApp, String) {
    let app = TestApp::with_demo(&[]).await;
    let secretariat = app.demo_token("secretaria@cmnp.example").await;
    (app, secretariat)
}

const ITEMS: &str =
    "query ($filter: ActionItemFilter) { actionItems(first: 100, filter: $filter) { edges { node {
    reference title status progressPercent dueOn overdue completedOn
    responsible { id acronym } supporting { acronym } } } } }";

/// The API's items as the export's rows.
async fn api_items(app: &TestApp, token: &str, filter: Value) -> Vec<BTreeMap<String, String>> {
    let answer = app
        .graphql(Some(token), ITEMS, json!({ "filter": filter }))
        .await;
    answer.data()["actionItems"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| {
            let item = &edge["node"];
            let text = |v: &Value| {
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string())
            };
            let supporting: Vec<&str> = item["supporting"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["acronym"].as_str().unwrap())
                .collect();
            BTreeMap::from([
                ("reference".into(), text(&item["reference"])),
                ("title".into(), text(&item["title"])),
                ("responsible".into(), text(&item["responsible"]["acronym"])),
                ("supporting".into(), supporting.join("; ")),
                ("status".into(), text(&item["status"])),
                ("progress_percent".into(), text(&item["progressPercent"])),
                ("due_on".into(), text(&item["dueOn"])),
                ("overdue".into(), text(&item["overdue"])),
                (
                    "completed_on".into(),
                    item["completedOn"].as_str().unwrap_or_default().to_owned(),
                ),
            ])
        })
        .collect()
}

#[tokio::test]
async fn the_action_items_export_holds_what_the_api_lists_with_the_same_filter() {
    let (app, secretariat) = demo_app().await;
    let (status, kind, body) = export(&app, Some(&secretariat), "/exports/action-items.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kind, "text/csv; charset=utf-8");
    let rows = python_rows(&body);
    assert_eq!(rows.len(), 7);
    assert_eq!(rows, api_items(&app, &secretariat, json!({})).await);
    // Titles with commas and accents survive the round trip.
    assert!(
        rows.iter()
            .any(|r| r["title"].contains(',') || r["title"].contains('ó'))
    );

    let mimp = &api_items(&app, &secretariat, json!({})).await[0]["responsible"];
    let mimp_id = app
        .graphql(
            Some(&secretariat),
            "query ($a: String!) { agency(acronym: $a) { id } }",
            json!({ "a": mimp }),
        )
        .await
        .data()["agency"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!(
        "/exports/action-items.csv?status=OPEN&status=IN_PROGRESS&responsibleAgencyId={mimp_id}&overdue=true"
    );
    let (status, _, body) = export(&app, Some(&secretariat), &path).await;
    assert_eq!(status, StatusCode::OK);
    let filtered = python_rows(&body);
    let expected = api_items(
        &app,
        &secretariat,
        json!({ "status": ["OPEN", "IN_PROGRESS"], "responsibleAgencyId": mimp_id, "overdue": true }),
    )
    .await;
    assert_eq!(filtered, expected);
    assert!(filtered.len() < rows.len());

    // An agency exports as it lists; a donor lists no commission work, and nobody
    // signed out exports anything.
    let agency = app.demo_token("mimp@cmnp.example").await;
    let (status, _, body) = export(&app, Some(&agency), "/exports/action-items.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        python_rows(&body),
        api_items(&app, &agency, json!({})).await
    );
    let donor = app.demo_token("prm@cmnp.example").await;
    assert_eq!(
        export(&app, Some(&donor), "/exports/action-items.csv")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        export(&app, None, "/exports/action-items.csv").await.0,
        StatusCode::UNAUTHORIZED
    );
    for (query, named) in [
        ("overdue=maybe", "overdue"),
        ("status=LATE", "status"),
        ("dueBefore=31/12/2026", "dueBefore"),
        ("colour=red", "colour"),
    ] {
        let (status, _, body) = export(
            &app,
            Some(&secretariat),
            &format!("/exports/action-items.csv?{query}"),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        let message = String::from_utf8(body).unwrap();
        assert!(message.contains(named), "{query}: {message}");
    }
}

#[tokio::test]
async fn attendance_per_agency_counts_the_years_sessions_as_the_api_records_them() {
    let (app, secretariat) = demo_app().await;
    let sessions = app
        .graphql(
            Some(&secretariat),
            "{ meetings(first: 100) { edges { node { year status invitedAgencies { acronym }
                attendance { agency { acronym } status } } } } }",
            json!({}),
        )
        .await;
    let sessions: Vec<Value> = sessions.data()["meetings"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    let year = sessions
        .iter()
        .filter(|s| s["status"] == "HELD")
        .map(|s| s["year"].as_i64().unwrap())
        .max()
        .unwrap();
    // The API's sessions of that year, tallied by hand.
    let mut expected: BTreeMap<String, [u32; 5]> = BTreeMap::new();
    for session in sessions
        .iter()
        .filter(|s| s["year"] == year && s["status"] != "CANCELLED")
    {
        for agency in session["invitedAgencies"].as_array().unwrap() {
            let tally = expected
                .entry(agency["acronym"].as_str().unwrap().into())
                .or_default();
            tally[0] += 1;
            if session["status"] == "HELD" {
                tally[1] += 1;
            }
        }
        for record in session["attendance"].as_array().unwrap() {
            let tally = expected
                .entry(record["agency"]["acronym"].as_str().unwrap().into())
                .or_default();
            match record["status"].as_str().unwrap() {
                "PRESENT" => tally[2] += 1,
                "ABSENT" => tally[3] += 1,
                _ => tally[4] += 1,
            }
        }
    }
    let (status, _, body) = export(
        &app,
        Some(&secretariat),
        &format!("/exports/attendance.csv?year={year}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let rows = python_rows(&body);
    let exported: BTreeMap<String, [u32; 5]> = rows
        .iter()
        .map(|row| {
            assert_eq!(row["year"], year.to_string());
            let n = |k: &str| row[k].parse::<u32>().unwrap();
            assert_eq!(
                n("not_recorded"),
                n("sessions_held")
                    - (n("present") + n("absent") + n("excused")).min(n("sessions_held"))
            );
            (
                row["agency"].clone(),
                [
                    n("sessions_invited"),
                    n("sessions_held"),
                    n("present"),
                    n("absent"),
                    n("excused"),
                ],
            )
        })
        .collect();
    assert_eq!(exported, expected);
    assert!(
        exported.values().any(|tally| tally[2] > 0),
        "someone attended"
    );

    let agency = app.demo_token("mimp@cmnp.example").await;
    assert_eq!(
        export(&app, Some(&agency), "/exports/attendance.csv")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        export(&app, Some(&secretariat), "/exports/attendance.csv?year=dos")
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn indicators_per_period_follow_the_readers_projects() {
    let (app, secretariat) = demo_app().await;
    // A period on the Madre de Dios project, which UNODC funds and PRM does not.
    let mdd = app
        .graphql(
            Some(&secretariat),
            "{ projects { edges { node { id iatiIdentifier } } } }",
            json!({}),
        )
        .await;
    let mdd = mdd.data()["projects"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"]["iatiIdentifier"] == "XM-DAC-47066-PE-MDD-2027")
        .unwrap()["node"]["id"]
        .clone();
    let result = app
        .graphql(
            Some(&secretariat),
            "mutation ($id: ID!) { addResult(input: { projectId: $id, type: OUTPUT, title: \"Víctimas atendidas\" }) {
                project { results { id } } } }",
            json!({ "id": mdd }),
        )
        .await;
    let result = result.data()["addResult"]["project"]["results"][0]["id"].clone();
    let indicator = app
        .graphql(
            Some(&secretariat),
            "mutation ($id: ID!) { addIndicator(input: { resultId: $id, title: \"víctimas, con albergue\", measure: UNIT, baseline: \"0\", target: \"40\" }) {
                project { results { indicators { id } } } } }",
            json!({ "id": result }),
        )
        .await;
    let indicator =
        indicator.data()["addIndicator"]["project"]["results"][0]["indicators"][0]["id"].clone();
    app.graphql(
        Some(&secretariat),
        "mutation ($id: ID!) { recordIndicatorProgress(input: { indicatorId: $id, periodStart: \"2027-01-01\", periodEnd: \"2027-06-30\", actual: \"9\" }) {
            project { id } } }",
        json!({ "id": indicator }),
    )
    .await
    .data();
    let (status, _, body) = export(&app, Some(&secretariat), "/exports/indicators.csv").await;
    assert_eq!(status, StatusCode::OK);
    let all = python_rows(&body);
    let tumbes: Vec<_> = all
        .iter()
        .filter(|r| r["project"] == "XM-DAC-47066-PE-TUMBES-2026")
        .collect();
    assert!(!tumbes.is_empty());
    let mdd_rows: Vec<_> = all
        .iter()
        .filter(|r| r["project"] == "XM-DAC-47066-PE-MDD-2027")
        .collect();
    assert_eq!(mdd_rows.len(), 1);
    assert_eq!(
        (
            mdd_rows[0]["indicator"].as_str(),
            mdd_rows[0]["target"].as_str(),
            mdd_rows[0]["actual"].as_str(),
            mdd_rows[0]["period_end"].as_str()
        ),
        ("víctimas, con albergue", "40", "9", "2027-06-30")
    );
    assert!(tumbes.iter().all(|r| r["target"] == "25"), "{tumbes:?}");
    assert!(
        tumbes
            .iter()
            .any(|r| r["indicator"] == "operadoras y operadores de frontera capacitados")
    );

    // PRM reads the projects it funds, and nothing of the others.
    let donor = app.demo_token("prm@cmnp.example").await;
    let funded = app
        .graphql(
            Some(&donor),
            "{ projects { edges { node { iatiIdentifier } } } }",
            json!({}),
        )
        .await;
    let funded: Vec<String> = funded.data()["projects"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["iatiIdentifier"].as_str().unwrap().to_owned())
        .collect();
    let (status, _, body) = export(&app, Some(&donor), "/exports/indicators.csv").await;
    assert_eq!(status, StatusCode::OK);
    let seen = python_rows(&body);
    assert!(!seen.is_empty());
    assert!(seen.iter().all(|r| funded.contains(&r["project"])));
    assert_eq!(
        seen.len(),
        all.iter()
            .filter(|r| funded.contains(&r["project"]))
            .count()
    );
    assert!(
        seen.len() < all.len(),
        "the secretariat sees projects PRM does not fund"
    );
}

#[tokio::test]
async fn exports_hide_uninvited_sessions_and_defuse_formulas() {
    let (app, secretariat) = demo_app().await;
    let first = app
        .graphql(
            Some(&secretariat),
            "{ meetings(first: 100) { edges { node { id title } } } }",
            json!({}),
        )
        .await;
    let first = first.data()["meetings"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["node"]["title"]
                .as_str()
                .unwrap()
                .starts_with("Aprobación del plan")
        })
        .unwrap()["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/exports/action-items.csv?meetingId={first}");
    // MIMP was invited to the session; OIM, a partner, was not, and learns nothing of it.
    let mimp = app.demo_token("mimp@cmnp.example").await;
    let (status, _, body) = export(&app, Some(&mimp), &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!python_rows(&body).is_empty());
    let oim = app.demo_token("oim@cmnp.example").await;
    assert_eq!(
        export(&app, Some(&oim), &path).await.0,
        StatusCode::FORBIDDEN
    );

    // A title that a spreadsheet would run as a formula is written as text.
    let mimp_id = app
        .graphql(
            Some(&secretariat),
            r#"{ agency(acronym: "MIMP") { id } }"#,
            json!({}),
        )
        .await
        .data()["agency"]["id"]
        .clone();
    app.graphql(
        Some(&secretariat),
        "mutation ($input: CreateActionItemInput!) { createActionItem(input: $input) { actionItem { id } } }",
        json!({ "input": { "title": "=HYPERLINK(\"http://example.com\")", "responsibleAgencyId": mimp_id,
                           "dueOn": "2027-05-03" } }),
    )
    .await
    .data();
    let (_, _, body) = export(&app, Some(&secretariat), "/exports/action-items.csv").await;
    let rows = python_rows(&body);
    assert!(
        rows.iter()
            .any(|r| r["title"] == "'=HYPERLINK(\"http://example.com\")"),
        "{rows:?}"
    );
    assert!(rows.iter().all(|r| !r["title"].starts_with('=')));
}
