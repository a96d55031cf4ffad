//! Live updates over WebSocket: real `graphql-ws` clients under Node subscribe as the
//! secretariat, an agency and a donor, and hear exactly the changes each may read, in
//! order, once; a change whose transaction fails is never heard; a revoked token closes
//! its connection; the limits hold. On PostgreSQL, a change written through one replica
//! reaches a subscriber of another.
//!
//! They need Node.js and the npm packages of `tests/browser`, so they are ignored unless
//! run with `--include-ignored` and `CMNP_BROWSER_TESTS` set (as `.ci/run` does, on both
//! databases).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cmnp_domain::agency::Membership;
use cmnp_domain::user::Role;
use cmnp_tests::live::{Subscribers, serve, wait_for_subscriptions};
use cmnp_tests::{TestApp, TestUser};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const PATIENCE: Duration = Duration::from_secs(10);

const ITEMS: &str = "subscription ($filter: ActionItemChangeFilter) { actionItemChanged(filter: $filter) { eventId action occurredAt actionItem { reference status progressPercent } } }";
/// What a donor reads of an item: its reference and status.
const DONOR_ITEMS: &str =
    "subscription { actionItemChanged { eventId action actionItem { reference status } } }";
const REPORTS: &str =
    "subscription { projectReported { eventId action project { title } document { title } } }";

fn now_ms() -> i64 {
    let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    i64::try_from(elapsed.as_millis()).unwrap()
}

async fn data(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    app.graphql(Some(token), query, variables)
        .await
        .data()
        .clone()
}

struct Item {
    id: String,
    reference: String,
    version: i64,
}

async fn create_item(app: &TestApp, token: &str, input: Value) -> Item {
    let created = data(
        app,
        token,
        "mutation ($input: CreateActionItemInput!) { createActionItem(input: $input) { actionItem { id reference version } } }",
        json!({ "input": input }),
    )
    .await;
    let item = &created["createActionItem"]["actionItem"];
    Item {
        id: item["id"].as_str().unwrap().to_owned(),
        reference: item["reference"].as_str().unwrap().to_owned(),
        version: item["version"].as_i64().unwrap(),
    }
}

/// Sets an item's progress (and status, when given) as `token`, and keeps its new version.
async fn progress(app: &TestApp, token: &str, item: &mut Item, percent: i64, status: Option<&str>) {
    let updated = data(
        app,
        token,
        "mutation ($input: UpdateActionItemInput!) { updateActionItem(input: $input) { actionItem { version } } }",
        json!({ "input": { "id": item.id, "expectedVersion": item.version, "progressPercent": percent, "status": status } }),
    )
    .await;
    item.version = updated["updateActionItem"]["actionItem"]["version"]
        .as_i64()
        .unwrap();
}

/// The references and progress of the items in `events`, in order.
fn seen(events: &[&Value]) -> Vec<(String, i64)> {
    events
        .iter()
        .map(|event| {
            let item = &event["data"]["actionItemChanged"]["actionItem"];
            (
                item["reference"].as_str().unwrap().to_owned(),
                item["progressPercent"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// Makes the next transaction that writes to the change feed fail: on PostgreSQL at
/// commit (a deferred constraint trigger, after the change, its audit event, its feed
/// row and its NOTIFY were all written), on SQLite when its feed row is written.
async fn refuse_next_change(app: &TestApp) {
    let db = app.store.connection();
    let statements: &[&str] = if app.database.name().is_some() {
        &[
            "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit by the test'; END $$",
            "CREATE CONSTRAINT TRIGGER test_refuse AFTER INSERT ON change_events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse()",
        ]
    } else {
        &[
            "CREATE TRIGGER test_refuse BEFORE INSERT ON change_events BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
        ]
    };
    for statement in statements {
        db.execute_unprepared(statement).await.unwrap();
    }
}

async fn accept_changes_again(app: &TestApp) {
    let db = app.store.connection();
    if app.database.name().is_some() {
        db.execute_unprepared("DROP TRIGGER test_refuse ON change_events")
            .await
            .unwrap();
        db.execute_unprepared("DROP FUNCTION test_refuse()")
            .await
            .unwrap();
    } else {
        db.execute_unprepared("DROP TRIGGER test_refuse")
            .await
            .unwrap();
    }
}

struct Commission {
    app: TestApp,
    secretariat: TestUser,
    agency: TestUser,
    donor: TestUser,
    /// Responsible: the agency.
    own: Item,
    /// Responsible: another agency.
    other: Item,
    /// Responsible: another agency; linked to the project the donor funds.
    funded: Item,
    /// Responsible: another agency; the agency supports it.
    supported: Item,
    project: String,
}

async fn commission() -> Commission {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let mimp = app.agency("MIMP", Membership::Member).await;
    let pnp = app.agency("PNP", Membership::Member).await;
    let prm = app.agency("PRM", Membership::Partner).await;
    let oim = app.reporting_partner("OIM", "XM-DAC-47066").await;
    let agency = app
        .user("mimp@test.example", Role::Agency, Some(&mimp))
        .await;
    let donor = app.user("prm@test.example", Role::Donor, Some(&prm)).await;
    let s = &secretariat.token;
    let project = app
        .project(
            s,
            "XM-DAC-47066-LIVE-1",
            "Capacitación en Tumbes",
            &oim,
            &[(&oim, "IMPLEMENTING"), (&prm, "FUNDING")],
        )
        .await;
    let item = |title: &str, responsible: &cmnp_domain::agency::Agency| json!({ "title": title, "responsibleAgencyId": responsible.id.to_string(), "dueOn": "2030-01-01" });
    let own = create_item(&app, s, item("Protocolo", &mimp)).await;
    let other = create_item(&app, s, item("Operativo", &pnp)).await;
    let mut funded_input = item("Taller", &pnp);
    funded_input["projectId"] = json!(project);
    let funded = create_item(&app, s, funded_input).await;
    let mut supported_input = item("Campaña", &pnp);
    supported_input["supportingAgencyIds"] = json!([mimp.id.to_string()]);
    let supported = create_item(&app, s, supported_input).await;
    Commission {
        app,
        secretariat,
        agency,
        donor,
        own,
        other,
        funded,
        supported,
        project,
    }
}

#[tokio::test]
#[ignore = "needs Node.js and `npm ci --prefix tests/browser`: run with CMNP_BROWSER_TESTS=1 and --include-ignored"]
async fn each_subscriber_hears_exactly_the_changes_it_may_read_in_order_once() {
    let Commission {
        app,
        secretariat,
        agency,
        donor,
        mut own,
        mut other,
        mut funded,
        mut supported,
        project,
    } = commission().await;
    let (url, server) = serve(app.router.clone()).await;
    let items = json!([{ "query": ITEMS }]);
    let mut subscribers = Subscribers::start(
        &url,
        &json!([
            { "name": "secretariat", "token": secretariat.token, "subscriptions": items },
            { "name": "agency", "token": agency.token, "subscriptions": [{ "query": ITEMS }, { "query": REPORTS }] },
            { "name": "donor", "token": donor.token, "subscriptions": [{ "query": DONOR_ITEMS }, { "query": REPORTS }] },
        ]),
    );
    wait_for_subscriptions(&app.router, 5).await;

    let s = &secretariat.token;
    progress(&app, s, &mut own, 10, None).await;
    progress(&app, s, &mut other, 20, None).await;
    progress(&app, s, &mut funded, 30, None).await;
    progress(&app, s, &mut supported, 40, None).await;
    progress(&app, s, &mut own, 50, Some("IN_PROGRESS")).await;
    let status_changed_at = now_ms();

    // A change whose transaction fails is announced to nobody, and is not made.
    refuse_next_change(&app).await;
    let refused = app
        .graphql(
            Some(s),
            "mutation ($input: UpdateActionItemInput!) { updateActionItem(input: $input) { actionItem { version } } }",
            json!({ "input": { "id": own.id, "expectedVersion": own.version, "progressPercent": 55 } }),
        )
        .await;
    accept_changes_again(&app).await;
    assert_eq!(refused.code(), "INTERNAL", "{:#}", refused.body);

    data(
        &app,
        s,
        "mutation ($input: SubmitProjectReportInput!) { submitProjectReport(input: $input) { project { id } } }",
        json!({ "input": { "projectId": project, "periodStart": "2026-01-01", "periodEnd": "2026-06-30", "narrative": "Avance" } }),
    )
    .await;
    progress(&app, s, &mut own, 60, None).await;
    progress(&app, s, &mut funded, 70, None).await;

    let expected = |pairs: &[(&str, i64)]| -> Vec<(String, i64)> {
        pairs.iter().map(|(r, p)| ((*r).to_owned(), *p)).collect()
    };
    let (own_ref, other_ref, funded_ref, supported_ref) = (
        own.reference.as_str(),
        other.reference.as_str(),
        funded.reference.as_str(),
        supported.reference.as_str(),
    );
    subscribers
        .until("the last change, by everyone who may read it", PATIENCE, |heard| {
            let last = |name: &str, percent: i64| {
                heard.iter().any(|line| {
                    line["name"] == name
                        && line["next"]["data"]["actionItemChanged"]["actionItem"]["progressPercent"] == percent
                })
            };
            last("secretariat", 70)
                && last("agency", 60)
                && heard.iter().filter(|line| line["name"] == "donor" && line["index"] == 0 && line.get("next").is_some()).count() >= 2
                && heard.iter().any(|line| line["name"] == "donor" && line["index"] == 1 && line.get("next").is_some())
        })
        .await;
    subscribers.settle(Duration::from_millis(700)).await;

    assert_eq!(
        seen(&subscribers.events("secretariat", 0)),
        expected(&[
            (own_ref, 10),
            (other_ref, 20),
            (funded_ref, 30),
            (supported_ref, 40),
            (own_ref, 50),
            (own_ref, 60),
            (funded_ref, 70),
        ]),
        "the secretariat hears every change once, in order, and not the refused one"
    );
    assert_eq!(
        seen(&subscribers.events("agency", 0)),
        expected(&[
            (own_ref, 10),
            (supported_ref, 40),
            (own_ref, 50),
            (own_ref, 60)
        ]),
        "an agency hears of its own items and those it supports"
    );
    let donor_heard: Vec<&Value> = subscribers
        .events("donor", 0)
        .iter()
        .map(|event| {
            assert!(event.get("errors").is_none(), "{event:#}");
            &event["data"]["actionItemChanged"]["actionItem"]["reference"]
        })
        .collect();
    assert_eq!(
        donor_heard,
        [funded_ref, funded_ref],
        "a donor hears of the items linked to what it funds"
    );
    assert!(
        subscribers.events("agency", 1).is_empty(),
        "an agency outside the project hears of no report"
    );
    let reports = subscribers.events("donor", 1);
    assert_eq!(reports.len(), 1, "{reports:#?}");
    assert_eq!(
        reports[0]["data"]["projectReported"]["project"]["title"],
        "Capacitación en Tumbes"
    );
    assert_eq!(
        reports[0]["data"]["projectReported"]["action"],
        "project.report.submit"
    );

    // Every event id is heard once per subscription.
    for (name, index) in [("secretariat", 0), ("agency", 0), ("donor", 0)] {
        let events = subscribers.events(name, index);
        let mut ids: Vec<&Value> = events
            .iter()
            .map(|e| &e["data"]["actionItemChanged"]["eventId"])
            .collect();
        ids.sort_by_key(|id| id.to_string());
        ids.dedup();
        assert_eq!(ids.len(), events.len(), "{name} heard an event twice");
    }

    // The agency heard the status change made by the secretariat within a second.
    let heard_at = subscribers
        .heard
        .iter()
        .find(|line| {
            line["name"] == "agency"
                && line["next"]["data"]["actionItemChanged"]["actionItem"]["status"]
                    == "IN_PROGRESS"
        })
        .and_then(|line| line["at"].as_i64())
        .unwrap();
    assert!(
        heard_at - status_changed_at < 1_000,
        "heard {} ms after the mutation answered",
        heard_at - status_changed_at
    );

    // The refused change was not made either.
    let stored = data(
        &app,
        s,
        "query ($id: ID!) { actionItem(id: $id) { progressPercent version } }",
        json!({ "id": own.id }),
    )
    .await;
    assert_eq!(stored["actionItem"]["progressPercent"], 60);
    drop(subscribers);
    server.abort();
}

#[tokio::test]
#[ignore = "needs Node.js and `npm ci --prefix tests/browser`: run with CMNP_BROWSER_TESTS=1 and --include-ignored"]
async fn connections_sign_in_keep_to_their_limits_and_close_when_their_token_is_revoked() {
    let app = TestApp::spawn_with(&[
        ("CMNP_WS_MAX_CONNECTIONS_PER_TOKEN", "1"),
        ("CMNP_WS_MAX_SUBSCRIPTIONS", "2"),
        ("CMNP_WS_MAX_MESSAGE_BYTES", "4096"),
    ])
    .await;
    let secretariat = app.secretariat().await;
    let mimp = app.agency("MIMP", Membership::Member).await;
    let agency = app
        .user("mimp@test.example", Role::Agency, Some(&mimp))
        .await;
    let revocable = app
        .store
        .create_api_token(None, agency.user.id, "script".into(), None)
        .await
        .unwrap();
    let querying = app
        .store
        .create_api_token(None, secretariat.user.id, "querying".into(), None)
        .await
        .unwrap();
    let (url, server) = serve(app.router.clone()).await;
    let items = json!({ "query": ITEMS });

    // Two subscriptions fit on a connection; a third (whichever the server starts last)
    // is refused on its own.
    let mut first = Subscribers::start(
        &url,
        &json!([{ "name": "first", "token": agency.token, "subscriptions": [items, items, items] }]),
    );
    first
        .until("a subscription's refusal", PATIENCE, |heard| {
            heard.iter().any(|line| line.get("complete").is_some())
        })
        .await;
    let refused: Vec<&Value> = (0..3)
        .flat_map(|index| first.events("first", index))
        .collect();
    assert_eq!(refused.len(), 1, "{refused:#?}");
    assert_eq!(
        refused[0]["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
        "{refused:#?}"
    );
    wait_for_subscriptions(&app.router, 2).await;

    let huge = format!(
        "subscription {{ actionItemChanged {{ eventId }} }} #{}",
        "x".repeat(8_000)
    );
    let mut others = Subscribers::start(
        &url,
        &json!([
            { "name": "second", "token": agency.token, "subscriptions": [items] },
            { "name": "anonymous", "subscriptions": [items] },
            { "name": "forged", "token": "cmnp_forged", "subscriptions": [items] },
            { "name": "huge", "token": secretariat.token, "subscriptions": [{ "query": huge }] },
            { "name": "revocable", "token": revocable.secret, "subscriptions": [items] },
            { "name": "query", "token": querying.secret, "subscriptions": [{ "query": "{ __schema { types { name } } }" }] },
        ]),
    );
    others
        .until("the refused connections to close", PATIENCE, |heard| {
            ["second", "anonymous", "forged", "huge"]
                .iter()
                .all(|name| {
                    heard
                        .iter()
                        .any(|line| line["name"] == *name && line.get("closed").is_some())
                })
        })
        .await;
    let closed = |name: &str| others.line(name, "closed").unwrap()["closed"].clone();
    assert_eq!(closed("second"), 4429, "a token holds one connection here");
    assert_eq!(closed("anonymous"), 4403);
    assert_eq!(closed("forged"), 4403);
    assert_eq!(
        closed("huge"),
        1009,
        "a message over the limit closes the connection"
    );
    others
        .until("the query's refusal", PATIENCE, |heard| {
            heard
                .iter()
                .any(|line| line["name"] == "query" && line.get("complete").is_some())
        })
        .await;
    let refused = &others.events("query", 0)[0];
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "only subscriptions run over WebSocket: {refused:#}"
    );
    assert!(
        refused.get("data").is_none_or(Value::is_null),
        "{refused:#}"
    );
    wait_for_subscriptions(&app.router, 3).await;
    assert!(others.line("revocable", "closed").is_none());

    // Revoked by the secretariat while connected: the connection closes with 4403.
    data(
        &app,
        &secretariat.token,
        "mutation ($id: ID!) { revokeApiToken(input: { id: $id }) { apiToken { id } } }",
        json!({ "id": revocable.token.id.to_string() }),
    )
    .await;
    let revoked_at = now_ms();
    others
        .until(
            "the revoked token's connection to close",
            PATIENCE,
            |heard| {
                heard
                    .iter()
                    .any(|line| line["name"] == "revocable" && line.get("closed").is_some())
            },
        )
        .await;
    assert_eq!(others.line("revocable", "closed").unwrap()["closed"], 4403);
    eprintln!(
        "closed {} ms after the revocation answered",
        now_ms() - revoked_at
    );
    wait_for_subscriptions(&app.router, 2).await;
    assert_eq!(
        cmnp_tests::live::gauge(&app.router, "cmnp_websocket_connections_open").await,
        2,
        "the first connection and the one whose query was refused are left"
    );
    drop(others);
    drop(first);
    server.abort();
}

#[tokio::test]
#[ignore = "needs PostgreSQL and Node.js: run with TEST_DATABASE_URL, CMNP_BROWSER_TESTS=1 and --include-ignored"]
async fn postgres_a_change_written_through_one_replica_reaches_a_subscriber_of_another() {
    cmnp_tests::required("TEST_DATABASE_URL", "a PostgreSQL server");
    let Commission {
        app,
        secretariat,
        agency,
        mut own,
        ..
    } = commission().await;
    // A second replica: its own pool, its own feed reader and LISTEN connection, the
    // same database.
    let replica_store = cmnp_store::Store::connect(app.database.url())
        .await
        .unwrap()
        .with_time_zone(app.config.time_zone);
    let replica = cmnp_server::router(replica_store, &app.config);
    let (url, server) = serve(replica.clone()).await;
    let mut subscribers = Subscribers::start(
        &url,
        &json!([{ "name": "agency", "token": agency.token, "subscriptions": [{ "query": ITEMS }] }]),
    );
    wait_for_subscriptions(&replica, 1).await;
    assert_eq!(
        cmnp_tests::live::gauge(&app.router, "cmnp_subscriptions_open").await,
        0,
        "the writing replica serves no subscriber"
    );

    let mut latencies = Vec::new();
    for percent in [10, 20, 30] {
        progress(
            &app,
            &secretariat.token,
            &mut own,
            percent,
            Some("IN_PROGRESS"),
        )
        .await;
        let written_at = now_ms();
        subscribers
            .until("the change, through the other replica", PATIENCE, |heard| {
                heard.iter().any(|line| {
                    line["next"]["data"]["actionItemChanged"]["actionItem"]["progressPercent"]
                        == percent
                })
            })
            .await;
        let heard_at = subscribers
            .heard
            .iter()
            .find(|line| {
                line["next"]["data"]["actionItemChanged"]["actionItem"]["progressPercent"]
                    == percent
            })
            .and_then(|line| line["at"].as_i64())
            .unwrap();
        latencies.push(heard_at - written_at);
    }
    eprintln!("heard through the other replica after {latencies:?} ms");
    assert!(latencies.iter().all(|ms| *ms < 1_000), "{latencies:?}");
    assert_eq!(
        seen(&subscribers.events("agency", 0))
            .into_iter()
            .map(|(_, percent)| percent)
            .collect::<Vec<_>>(),
        [10, 20, 30]
    );
    drop(subscribers);
    server.abort();
}

#[tokio::test]
#[ignore = "needs Node.js and `npm ci --prefix tests/browser`: run with CMNP_BROWSER_TESTS=1 and --include-ignored"]
async fn a_server_shutting_down_tells_its_subscribers_to_go_away() {
    let Commission { app, agency, .. } = commission().await;
    let folder = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let ready = format!("127.0.0.1:{port}");
    let mut server = crate::process::serve(app.database.url(), &ready, folder.path(), &[]);
    let deadline = std::time::Instant::now() + PATIENCE;
    while std::net::TcpStream::connect(&ready).is_err() {
        assert!(std::time::Instant::now() < deadline, "cmnp did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut subscribers = Subscribers::start(
        &format!("ws://{ready}/graphql"),
        &json!([{ "name": "agency", "token": agency.token, "subscriptions": [{ "query": ITEMS }] }]),
    );
    subscribers
        .until("the connection", PATIENCE, |heard| {
            heard.iter().any(|line| line.get("connected").is_some())
        })
        .await;
    let terminated = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    subscribers
        .until("the connection to close", PATIENCE, |heard| {
            heard.iter().any(|line| line.get("closed").is_some())
        })
        .await;
    assert_eq!(
        subscribers.line("agency", "closed").unwrap()["closed"],
        1001
    );
    assert!(
        server.wait().unwrap().success(),
        "cmnp stops cleanly on SIGTERM"
    );
}

#[tokio::test]
#[ignore = "needs Node.js and `npm ci --prefix tests/browser`: run with CMNP_BROWSER_TESTS=1 and --include-ignored"]
async fn sessions_are_heard_of_by_the_secretariat_and_the_agencies_they_invite() {
    let app = TestApp::spawn().await;
    let secretariat = app.secretariat().await;
    let mimp = app.agency("MIMP", Membership::Member).await;
    let pnp = app.agency("PNP", Membership::Member).await;
    let prm = app.agency("PRM", Membership::Partner).await;
    let agency = app
        .user("mimp@test.example", Role::Agency, Some(&mimp))
        .await;
    let donor = app.user("prm@test.example", Role::Donor, Some(&prm)).await;
    let (url, server) = serve(app.router.clone()).await;
    let sessions = json!([{ "query": "subscription { meetingChanged { eventId action meeting { title } } }" }]);
    let mut subscribers = Subscribers::start(
        &url,
        &json!([
            { "name": "secretariat", "token": secretariat.token, "subscriptions": sessions },
            { "name": "agency", "token": agency.token, "subscriptions": sessions },
            { "name": "donor", "token": donor.token, "subscriptions": sessions },
        ]),
    );
    wait_for_subscriptions(&app.router, 3).await;

    let s = &secretariat.token;
    let schedule = async |title: &str, invited: &[&cmnp_domain::agency::Agency]| {
        let starts_at = chrono::Utc::now() + chrono::Duration::days(10);
        data(
            &app,
            s,
            "mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id } } }",
            json!({ "input": { "kind": "EXTRAORDINARY", "title": title, "location": "Sala de sesiones, MININTER",
                "startsAt": starts_at.to_rfc3339(), "endsAt": (starts_at + chrono::Duration::hours(2)).to_rfc3339(),
                "invitedAgencyIds": invited.iter().map(|a| a.id.to_string()).collect::<Vec<_>>() } }),
        )
        .await["scheduleMeeting"]["meeting"]["id"]
            .clone()
    };
    let with_mimp = schedule("Con el MIMP", &[&mimp, &pnp]).await;
    schedule("Sin el MIMP", &[&pnp]).await;
    data(
        &app,
        s,
        "mutation ($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { meeting { id } } }",
        json!({ "input": { "meetingId": with_mimp, "title": "Informe de la frontera norte" } }),
    )
    .await;

    subscribers
        .until("the agenda's change", PATIENCE, |heard| {
            ["secretariat", "agency"].iter().all(|name| {
                heard.iter().any(|line| {
                    line["name"] == *name
                        && line["next"]["data"]["meetingChanged"]["action"] == "meeting.agenda.add"
                })
            })
        })
        .await;
    subscribers.settle(Duration::from_millis(500)).await;
    let heard = |name: &str| -> Vec<(String, String)> {
        subscribers
            .events(name, 0)
            .iter()
            .map(|event| {
                let change = &event["data"]["meetingChanged"];
                (
                    change["action"].as_str().unwrap().to_owned(),
                    change["meeting"]["title"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let pair = |action: &str, title: &str| (action.to_owned(), title.to_owned());
    assert_eq!(
        heard("secretariat"),
        [
            pair("meeting.schedule", "Con el MIMP"),
            pair("meeting.schedule", "Sin el MIMP"),
            pair("meeting.agenda.add", "Con el MIMP"),
        ]
    );
    assert_eq!(
        heard("agency"),
        [
            pair("meeting.schedule", "Con el MIMP"),
            pair("meeting.agenda.add", "Con el MIMP"),
        ],
        "an agency hears of the sessions it is invited to"
    );
    assert!(heard("donor").is_empty(), "donors read no sessions");
    drop(subscribers);
    server.abort();
}
