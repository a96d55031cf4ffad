//! The demo commission loads once, however often it is asked to.

use cmnp_server::demo;
use cmnp_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn demo_data_loads_once_and_its_users_sign_in() {
    let app = TestApp::spawn().await;
    let first = demo::load(&app.store, app.config.time_zone, app.config.quorum_rule)
        .await
        .unwrap();
    assert_eq!(
        first,
        demo::Loaded {
            agencies: 23,
            representatives: 8,
            users: 4,
            meetings: 8,
            projects: 3,
            days_off: 1,
            documents: 3,
        }
    );
    let second = demo::load(&app.store, app.config.time_zone, app.config.quorum_rule)
        .await
        .unwrap();
    assert_eq!(second, demo::Loaded::default());

    let login = app
        .graphql(
            None,
            "mutation ($password: String!) { login(input: { email: \"secretaria@cmnp.example\", password: $password }) { token } }",
            json!({ "password": demo::DEMO_PASSWORD }),
        )
        .await;
    let token = login.data()["login"]["token"].as_str().unwrap().to_owned();
    let agencies = app
        .graphql(
            Some(&token),
            r#"{ presidency: agencies(filter: { membership: PRESIDENCY }) { edges { node { acronym } } }
                 oim: agency(acronym: "OIM") { iatiRef membership }
                 prm: agency(acronym: "PRM") { iatiRef membership votes } }"#,
            json!({}),
        )
        .await;
    let data = agencies.data();
    assert_eq!(
        data["presidency"]["edges"][0]["node"]["acronym"],
        "MININTER"
    );
    let stored = app
        .graphql(
            Some(&token),
            "{ agencies { totalCount } members: agencies(filter: { membership: MEMBER }) { totalCount }
               partners: agencies(filter: { membership: PARTNER }) { totalCount }
               meetings { totalCount } projects { totalCount } actionItems { totalCount }
               users { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        stored.data(),
        &json!({
            "agencies": { "totalCount": 23 },
            "members": { "totalCount": 16 },
            "partners": { "totalCount": 4 },
            "meetings": { "totalCount": 8 },
            "projects": { "totalCount": 3 },
            "actionItems": { "totalCount": 7 },
            "users": { "totalCount": 4 },
        })
    );
    assert_eq!(
        data["oim"],
        json!({ "iatiRef": "XM-DAC-47066", "membership": "PARTNER" })
    );
    assert_eq!(
        data["prm"],
        json!({ "iatiRef": "US-GOV-11", "membership": "PARTNER", "votes": false })
    );
    // Some agencies have answered the next session's invitation, each way one can.
    let next = app
        .graphql(
            Some(&token),
            "{ meetings(filter: { status: SCHEDULED }) { edges { node {
                invitationAnswers { via } expectedQuorum { required expected reached } } } } }",
            json!({}),
        )
        .await;
    let next = &next.data()["meetings"]["edges"][0]["node"];
    let mut via: Vec<&str> = next["invitationAnswers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|answer| answer["via"].as_str().unwrap())
        .collect();
    via.sort_unstable();
    assert_eq!(via, ["GRAPHQL", "ICAL_REPLY", "LINK", "LINK", "LINK"]);
    assert_eq!(
        next["expectedQuorum"],
        json!({ "required": 9, "expected": 4, "reached": false })
    );
}

#[tokio::test]
async fn the_demo_donor_sees_what_prm_funds_and_the_demo_exports_valid_iati() {
    let app = TestApp::spawn().await;
    demo::load(&app.store, app.config.time_zone, app.config.quorum_rule)
        .await
        .unwrap();
    let login = app
        .graphql(
            None,
            "mutation ($password: String!) { login(input: { email: \"prm@cmnp.example\", password: $password }) { token } }",
            json!({ "password": demo::DEMO_PASSWORD }),
        )
        .await;
    let token = login.data()["login"]["token"].as_str().unwrap().to_owned();
    let projects = app
        .graphql(
            Some(&token),
            "{ projects { totalCount edges { node { iatiIdentifier budget spent burnRate timeElapsed
                results { indicators { title target actual percentAchieved } } } } } }",
            json!({}),
        )
        .await;
    let data = projects.data();
    assert_eq!(
        data["projects"]["totalCount"], 2,
        "PRM funds the Tumbes course and the closed campaign"
    );
    let tumbes = data["projects"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .find(|p| p["iatiIdentifier"] == "XM-DAC-47066-PE-TUMBES-2026")
        .unwrap();
    let indicator = &tumbes["results"][0]["indicators"][0];
    assert_eq!(
        indicator["title"],
        "operadoras y operadores de frontera capacitados"
    );
    assert_eq!(indicator["target"], "25");
    assert_eq!(indicator["actual"], "12");
    assert_eq!(tumbes["budget"], "125000.00");

    let xml = cmnp_server::iati::export(
        &app.store,
        cmnp_store::ProjectScope::All,
        &app.config.public_url,
        app.config.time_zone,
    )
    .await
    .unwrap();
    cmnp_tests::assert_valid_iati(&xml);
    assert_eq!(
        xml.matches("<document-link ").count(),
        1,
        "the Tumbes project's report, and only it"
    );
    assert!(xml.contains("<category code=\"A08\"/>"), "{xml}");
}

#[tokio::test]
async fn the_demo_border_minutes_have_an_answered_observations_round() {
    let app = TestApp::spawn().await;
    demo::load(&app.store, app.config.time_zone, app.config.quorum_rule)
        .await
        .unwrap();
    let login = app
        .graphql(
            None,
            "mutation ($password: String!) { login(input: { email: \"mimp@cmnp.example\", password: $password }) { token } }",
            json!({ "password": demo::DEMO_PASSWORD }),
        )
        .await;
    let token = login.data()["login"]["token"].as_str().unwrap().to_owned();
    let sessions = app
        .graphql(
            Some(&token),
            "{ meetings(first: 100) { edges { node { title minutes { text status observationsUntil
                observations { agency { acronym } answer reply } } } } } }",
            json!({}),
        )
        .await;
    let border = sessions.data()["meetings"]["edges"]
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
    let minutes = &border["minutes"];
    assert_eq!(minutes["status"], "CIRCULATED");
    let until: chrono::DateTime<chrono::Utc> = minutes["observationsUntil"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(until > chrono::Utc::now(), "the period is still open");
    assert!(
        minutes["text"]
            .as_str()
            .unwrap()
            .contains("niñas, niños y adolescentes no acompañados"),
        "the accepted observation is in the revised text"
    );
    let answers: Vec<(&str, &str)> = minutes["observations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["agency"]["acronym"].as_str().unwrap(),
                o["answer"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(answers, [("MIMP", "ACCEPTED"), ("MIMP", "NOT_ACCEPTED")]);
}
