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
    assert!(first.agencies >= 20, "{first:?}");
    assert_eq!(first.users, demo::USERS.len());
    assert_eq!(first.meetings, 4);
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
    assert_eq!(
        data["oim"],
        json!({ "iatiRef": "XM-DAC-47066", "membership": "PARTNER" })
    );
    assert_eq!(
        data["prm"],
        json!({ "iatiRef": "US-GOV-11", "membership": "PARTNER", "votes": false })
    );
}
