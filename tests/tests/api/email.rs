//! E-mail that arrives: meeting notices are planned in the transaction that changes the
//! meeting and delivered over real SMTP on loopback, once, with retries and dead letters.

use chrono::Duration;
use cmnp_domain::agency::Agency;
use cmnp_domain::representative::{Language, RepresentativeFields, RepresentativeInput};
use cmnp_server::mailer::{self, Pass, Transport};
use cmnp_tests::{SmtpServer, TestApp};
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::work::Commission;

pub(crate) fn smtp(url: &str) -> Transport {
    Transport::Smtp(
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .unwrap()
            .build(),
    )
}

pub(crate) async fn deliver(app: &TestApp, transport: &Transport) -> Pass {
    mailer::deliver_due(
        &app.store,
        transport,
        &cmnp_server::cli::commission(&app.config),
    )
    .await
    .unwrap()
}

pub(crate) async fn representative(
    app: &TestApp,
    agency: &Agency,
    name: &str,
    email: &str,
    language: Language,
) {
    let fields = RepresentativeFields::try_from(RepresentativeInput {
        name: name.into(),
        email: email.into(),
        language: Some(language),
        ..RepresentativeInput::default()
    })
    .unwrap();
    app.store
        .add_representative(None, agency.id, fields)
        .await
        .unwrap();
}

/// A Spanish-speaking representative for MIMP and an English-speaking one for PNP.
pub(crate) async fn two_languages(c: &Commission) {
    representative(
        &c.app,
        &c.mimp,
        "Carmen Flores",
        "carmen@mimp.example",
        Language::Es,
    )
    .await;
    representative(
        &c.app,
        &c.pnp,
        "John Smith",
        "john@pnp.example",
        Language::En,
    )
    .await;
}

async fn deliveries(c: &Commission) -> Vec<Value> {
    let data = c
        .as_secretariat("{ emailDeliveries(first: 100) { edges { node { id kind status recipient attempts lastError } } } }", json!({}))
        .await;
    data["emailDeliveries"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// Makes every pending message due now, as if its backoff had passed.
async fn time_passes(app: &TestApp) {
    app.store
        .connection()
        .execute_unprepared("UPDATE email_outbox SET next_attempt_at = created_at, locked_until = created_at WHERE status IN ('PENDING', 'SENDING')")
        .await
        .unwrap();
}

#[tokio::test]
async fn invitations_arrive_by_smtp_with_a_calendar_in_each_language() {
    let c = Commission::new().await;
    two_languages(&c).await;
    let meeting = c.schedule("ORDINARY", Duration::days(10), None).await;
    let planned = deliveries(&c).await;
    assert_eq!(planned.len(), 2);
    assert!(
        planned
            .iter()
            .all(|d| d["kind"] == "MEETING_INVITATION" && d["status"] == "PENDING")
    );

    let server = SmtpServer::start(None);
    let pass = deliver(&c.app, &smtp(&server.url())).await;
    assert_eq!(
        pass,
        Pass {
            sent: 2,
            retried: 0,
            dead: 0
        }
    );
    let messages = server.messages();
    assert_eq!(messages.len(), 2);
    let spanish = messages
        .iter()
        .find(|m| m.contains("carmen@mimp.example"))
        .unwrap();
    let english = messages
        .iter()
        .find(|m| m.contains("john@pnp.example"))
        .unwrap();
    for message in [spanish, english] {
        assert!(
            message.contains("text/calendar") && message.contains("method=REQUEST"),
            "{message}"
        );
        assert!(message.contains("Message-ID: <"), "{message}");
    }
    assert!(spanish.contains("Convocatoria"), "{spanish}");
    assert!(english.contains("Invitation"), "{english}");
    assert!(deliveries(&c).await.iter().all(|d| d["status"] == "SENT"));
    assert_eq!(
        deliver(&c.app, &smtp(&server.url())).await,
        Pass::default(),
        "nothing is sent twice"
    );

    // A change and a cancellation reach the same people, with growing sequence.
    c.as_secretariat(
        "mutation ($id: ID!) { updateMeeting(input: { id: $id, location: \"Sala 2, MININTER\" }) { meeting { sequence } } }",
        json!({ "id": meeting["id"] }),
    )
    .await;
    c.as_secretariat("mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"Feriado\" }) { meeting { id } } }", json!({ "id": meeting["id"] })).await;
    let pass = deliver(&c.app, &smtp(&server.url())).await;
    assert_eq!(pass.sent, 4);
    let messages = server.messages();
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.contains("method=CANCEL"))
            .count(),
        2
    );
    assert_eq!(
        messages.iter().filter(|m| m.contains("SEQUENCE:1")).count(),
        2
    );
}

#[tokio::test]
async fn a_permanent_refusal_becomes_a_dead_letter_the_secretariat_can_retry() {
    let c = Commission::new().await;
    representative(
        &c.app,
        &c.mimp,
        "Buzón inexistente",
        "nobody@mimp.example",
        Language::Es,
    )
    .await;
    c.schedule("EXTRAORDINARY", Duration::days(3), None).await;
    let refusing = SmtpServer::start(Some("nobody@"));
    let pass = deliver(&c.app, &smtp(&refusing.url())).await;
    assert_eq!(
        pass,
        Pass {
            sent: 0,
            retried: 0,
            dead: 1
        }
    );
    let dead = deliveries(&c).await.remove(0);
    assert_eq!(dead["status"], "DEAD");
    assert!(
        dead["lastError"].as_str().unwrap().contains("550"),
        "{dead}"
    );

    let denied = c.app.graphql(Some(&c.mimp_user.token), "mutation ($id: ID!) { retryEmailDelivery(input: { id: $id }) { emailDelivery { status } } }", json!({ "id": dead["id"] })).await;
    assert_eq!(denied.code(), "FORBIDDEN");
    let retried = c.as_secretariat("mutation ($id: ID!) { retryEmailDelivery(input: { id: $id }) { emailDelivery { status attempts } } }", json!({ "id": dead["id"] })).await;
    assert_eq!(
        retried["retryEmailDelivery"]["emailDelivery"],
        json!({ "status": "PENDING", "attempts": 0 })
    );
    let accepting = SmtpServer::start(None);
    assert_eq!(deliver(&c.app, &smtp(&accepting.url())).await.sent, 1);
    assert_eq!(accepting.messages().len(), 1);
}

#[tokio::test]
async fn the_smtp_server_down_then_up_delivers_everything_once() {
    let c = Commission::new().await;
    representative(
        &c.app,
        &c.mimp,
        "Carmen Flores",
        "carmen@mimp.example",
        Language::Es,
    )
    .await;
    representative(
        &c.app,
        &c.pnp,
        "Luis Rojas",
        "luis@pnp.example",
        Language::Es,
    )
    .await;
    c.schedule("ORDINARY", Duration::days(10), None).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = smtp(&format!("smtp://127.0.0.1:{port}"));
    assert_eq!(
        deliver(&c.app, &down).await,
        Pass {
            sent: 0,
            retried: 2,
            dead: 0
        }
    );
    assert_eq!(
        deliver(&c.app, &down).await,
        Pass::default(),
        "nothing is due before the backoff ends"
    );
    let pending = deliveries(&c).await;
    assert!(
        pending
            .iter()
            .all(|d| d["status"] == "PENDING" && d["attempts"] == 1),
        "{pending:?}"
    );

    let server = SmtpServer::start_on(port);
    time_passes(&c.app).await;
    assert_eq!(deliver(&c.app, &down).await.sent, 2);
    time_passes(&c.app).await;
    assert_eq!(deliver(&c.app, &down).await, Pass::default());
    assert_eq!(
        server.messages().len(),
        2,
        "each message arrived exactly once"
    );
}

#[tokio::test]
async fn a_message_claimed_by_a_worker_that_died_is_delivered_after_its_lease() {
    let c = Commission::new().await;
    representative(
        &c.app,
        &c.mimp,
        "Carmen Flores",
        "carmen@mimp.example",
        Language::Es,
    )
    .await;
    c.schedule("ORDINARY", Duration::days(10), None).await;
    // A worker claims the message and dies before sending it.
    let claimed = c
        .app
        .store
        .claim_due(chrono::Utc::now(), 10, Duration::seconds(120))
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let server = SmtpServer::start(None);
    assert_eq!(
        deliver(&c.app, &smtp(&server.url())).await,
        Pass::default(),
        "the lease still holds"
    );
    time_passes(&c.app).await;
    assert_eq!(deliver(&c.app, &smtp(&server.url())).await.sent, 1);
    assert_eq!(server.messages().len(), 1);
}

#[tokio::test]
async fn two_workers_deliver_every_message_exactly_once() {
    let c = Commission::new().await;
    let recipients = 1_000;
    for i in 0..recipients {
        representative(
            &c.app,
            &c.mimp,
            &format!("Persona {i}"),
            &format!("persona{i}@mimp.example"),
            Language::Es,
        )
        .await;
    }
    c.schedule("ORDINARY", Duration::days(10), None).await;
    let server = SmtpServer::start(None);
    let (one, two) = (smtp(&server.url()), smtp(&server.url()));
    let (first, second) = tokio::join!(deliver(&c.app, &one), deliver(&c.app, &two));
    assert_eq!(first.sent + second.sent, recipients);
    let messages = server.messages();
    let mut ids: Vec<&str> = messages
        .iter()
        .filter_map(|m| m.lines().find(|l| l.starts_with("Message-ID:")))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(messages.len(), recipients);
    assert_eq!(ids.len(), recipients, "no message twice");
}

#[tokio::test]
async fn without_smtp_messages_are_written_as_eml_files() {
    let c = Commission::new().await;
    representative(
        &c.app,
        &c.mimp,
        "Carmen Flores",
        "carmen@mimp.example",
        Language::Es,
    )
    .await;
    c.schedule("ORDINARY", Duration::days(10), None).await;
    let folder = tempfile::tempdir().unwrap();
    let pass = deliver(&c.app, &Transport::Files(folder.path().to_path_buf())).await;
    assert_eq!(pass.sent, 1);
    let file = std::fs::read_dir(folder.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(file.extension().unwrap(), "eml");
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains("BEGIN:VCALENDAR") && text.contains("carmen@mimp.example"));
}
