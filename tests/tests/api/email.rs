//! E-mail that arrives: meeting notices are planned in the transaction that changes the
//! meeting and delivered over real SMTP on loopback, once, with retries and dead letters.

use chrono::Duration;
use cmnp_domain::agency::Agency;
use cmnp_domain::representative::{Language, RepresentativeFields, RepresentativeInput};
use cmnp_server::mailer::{self, Pass, Transport};
use cmnp_tests::{SmtpServer, TestApp};
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use mail_parser::{MessageParser, MimeHeaders};
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

/// An e-mail as its recipient's client reads it: MIME decoded.
pub(crate) struct Received {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The `method` parameter of the calendar part.
    pub method: Option<String>,
    /// The calendar part, decoded.
    pub calendar: Option<String>,
}

impl Received {
    pub(crate) fn parse(raw: &str) -> Self {
        let message = MessageParser::default()
            .parse(raw.as_bytes())
            .unwrap_or_else(|| panic!("not a message: {raw}"));
        let calendar = message.parts.iter().find(|part| {
            part.content_type()
                .is_some_and(|t| t.ctype() == "text" && t.subtype() == Some("calendar"))
        });
        Self {
            subject: message.subject().unwrap_or_default().to_owned(),
            text: message.body_text(0).unwrap_or_default().into_owned(),
            html: message.body_html(0).unwrap_or_default().into_owned(),
            method: calendar
                .and_then(|part| part.content_type()?.attribute("method"))
                .map(str::to_owned),
            calendar: calendar
                .and_then(|part| part.text_contents())
                .map(str::to_owned),
        }
    }

    /// A property of the calendar's event, its folded lines unfolded.
    pub(crate) fn event(&self, name: &str) -> Option<String> {
        ics_property(self.calendar.as_deref()?, name)
    }
}

/// The value of `name` in an iCalendar text, its folded lines unfolded.
pub(crate) fn ics_property(ics: &str, name: &str) -> Option<String> {
    let unfolded = ics.replace("\r\n ", "").replace("\n ", "");
    unfolded
        .lines()
        .find_map(|line| line.strip_prefix(&format!("{name}:")))
        .map(|value| value.trim_end_matches('\r').to_owned())
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
    let to =
        |address: &str| Received::parse(messages.iter().find(|m| m.contains(address)).unwrap());
    let spanish = to("carmen@mimp.example");
    let english = to("john@pnp.example");
    let heading = format!(
        "{} — Sesión de la Comisión",
        meeting["label"].as_str().unwrap()
    );
    let uid = format!("{}@cmnp", meeting["id"].as_str().unwrap());
    assert_eq!(spanish.subject, format!("Convocatoria: {heading}"));
    assert_eq!(english.subject, format!("Invitation: {heading}"));
    for line in [
        "Estimado/a Carmen Flores:",
        "La Comisión Multisectorial de Naturaleza Permanente contra la Trata de Personas y el Tráfico Ilícito de Migrantes (CMNP-TP-TIM) le convoca a la siguiente sesión.",
        "El archivo adjunto (invite.ics) añade la sesión a su calendario y le permite confirmar su asistencia.",
    ] {
        assert!(spanish.text.contains(line), "{line:?} in {}", spanish.text);
        assert!(spanish.html.contains(line), "{line:?} in {}", spanish.html);
    }
    for line in [
        "Dear John Smith,",
        "The Permanent Multisectoral Commission against Trafficking in Persons and Smuggling of Migrants (CMNP-TP-TIM) invites you to the following session.",
        "The attached invitation (invite.ics) adds the session to your calendar and lets you reply.",
    ] {
        assert!(english.text.contains(line), "{line:?} in {}", english.text);
        assert!(english.html.contains(line), "{line:?} in {}", english.html);
    }
    for message in [&spanish, &english] {
        assert_eq!(message.method.as_deref(), Some("REQUEST"));
        assert_eq!(message.event("METHOD").as_deref(), Some("REQUEST"));
        assert_eq!(message.event("UID"), Some(uid.clone()));
        assert_eq!(message.event("SEQUENCE").as_deref(), Some("0"));
        assert_eq!(message.event("SUMMARY"), Some(heading.clone()));
    }
    for raw in &messages {
        assert!(raw.contains("Message-ID: <"), "{raw}");
    }
    assert!(deliveries(&c).await.iter().all(|d| d["status"] == "SENT"));
    assert_eq!(
        deliver(&c.app, &smtp(&server.url())).await,
        Pass::default(),
        "nothing is sent twice"
    );

    // A change and a cancellation reach the same people, with growing sequence.
    let updated = c.as_secretariat(
        "mutation ($id: ID!) { updateMeeting(input: { id: $id, location: \"Sala 2, MININTER\" }) { meeting { sequence } } }",
        json!({ "id": meeting["id"] }),
    )
    .await;
    let cancelled = c.as_secretariat("mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"Feriado\" }) { meeting { sequence } } }", json!({ "id": meeting["id"] })).await;
    let pass = deliver(&c.app, &smtp(&server.url())).await;
    assert_eq!(pass.sent, 4);
    let later: Vec<Received> = server.messages()[2..]
        .iter()
        .map(|m| Received::parse(m))
        .collect();
    let sequence = |data: &Value, field: &str| data[field]["meeting"]["sequence"].to_string();
    let mut seen: Vec<(String, String, String)> = later
        .iter()
        .map(|m| {
            assert_eq!(m.event("UID"), Some(uid.clone()), "one event throughout");
            (
                m.method.clone().unwrap(),
                m.event("SEQUENCE").unwrap(),
                m.subject.split(':').next().unwrap().to_owned(),
            )
        })
        .collect();
    seen.sort();
    let update = sequence(&updated, "updateMeeting");
    let cancel = sequence(&cancelled, "cancelMeeting");
    assert_eq!(update, "1");
    let mut expected = vec![
        ("CANCEL".to_owned(), cancel.clone(), "Cancelada".to_owned()),
        ("CANCEL".to_owned(), cancel, "Cancelled".to_owned()),
        (
            "REQUEST".to_owned(),
            update.clone(),
            "Actualización".to_owned(),
        ),
        ("REQUEST".to_owned(), update, "Updated".to_owned()),
    ];
    expected.sort();
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn a_permanent_refusal_becomes_a_dead_letter_the_secretariat_can_retry() {
    let c = Commission::new().await;
    representative(
        &c.app,
        &c.minsa,
        "Buzón inexistente",
        "nobody@mimp.example",
        Language::Es,
    )
    .await;
    c.schedule("EXTRAORDINARY", Duration::days(3), Some(vec![&c.minsa]))
        .await;
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
        "John Smith",
        "john@pnp.example",
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
    c.schedule("ORDINARY", Duration::days(10), Some(vec![&c.mimp]))
        .await;
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
            &c.minsa,
            &format!("Persona {i}"),
            &format!("persona{i}@minsa.example"),
            Language::Es,
        )
        .await;
    }
    c.schedule("ORDINARY", Duration::days(10), Some(vec![&c.minsa]))
        .await;
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
    c.schedule("ORDINARY", Duration::days(10), Some(vec![&c.mimp]))
        .await;
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

#[tokio::test]
async fn invitations_reach_the_representatives_current_on_the_commissions_date() {
    // A zone whose date differs from the UTC date right now: UTC−12 before 10:00 UTC
    // (yesterday there), UTC+14 from then on (tomorrow there).
    let now = chrono::Utc::now();
    let zone = if chrono::Timelike::hour(&now) < 10 {
        "Etc/GMT+12"
    } else {
        "Etc/GMT-14"
    };
    let app = TestApp::spawn_with(&[("CMNP_TIME_ZONE", zone)]).await;
    let local_today = cmnp_domain::meeting::local_date(now, zone.parse().unwrap());
    let utc_today = now.date_naive();
    assert_ne!(local_today, utc_today, "{zone}");

    let secretariat = app.secretariat().await;
    let mimp = app
        .agency("MIMP", cmnp_domain::agency::Membership::Member)
        .await;
    for (name, email, day) in [
        ("Local", "local@mimp.example", local_today),
        ("Utc", "utc@mimp.example", utc_today),
    ] {
        let fields = RepresentativeFields::try_from(RepresentativeInput {
            name: name.into(),
            email: email.into(),
            mandate_start: Some(day),
            mandate_end: Some(day),
            ..RepresentativeInput::default()
        })
        .unwrap();
        app.store
            .add_representative(None, mimp.id, fields)
            .await
            .unwrap();
    }
    let starts_at = now + Duration::days(2);
    app.graphql(
        Some(&secretariat.token),
        "mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id } } }",
        json!({ "input": { "kind": "ORDINARY", "title": "Sesión", "startsAt": starts_at.to_rfc3339(),
            "endsAt": (starts_at + Duration::hours(2)).to_rfc3339(), "location": "MININTER" } }),
    )
    .await
    .data();
    let planned = app
        .graphql(
            Some(&secretariat.token),
            "{ emailDeliveries(first: 10) { edges { node { kind recipient } } } }",
            json!({}),
        )
        .await;
    let recipients: Vec<&Value> = planned.data()["emailDeliveries"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| &edge["node"]["recipient"])
        .collect();
    assert_eq!(
        recipients,
        [&json!("local@mimp.example")],
        "the representative whose mandate is the commission's today, in {zone}"
    );
}

#[tokio::test]
async fn a_stored_message_that_cannot_be_read_back_is_set_aside_not_sent_as_something_else() {
    let c = Commission::new().await;
    two_languages(&c).await;
    c.schedule("ORDINARY", Duration::days(10), None).await;
    // One of the two invitations has a calendar method no version of cmnp writes.
    c.app
        .store
        .connection()
        .execute_unprepared(
            "UPDATE email_outbox SET calendar_method = 'COUNTER' WHERE recipient = 'john@pnp.example'",
        )
        .await
        .unwrap();
    let server = SmtpServer::start(None);
    let pass = deliver(&c.app, &smtp(&server.url())).await;
    assert_eq!(pass.sent, 1, "the rest of the queue goes on");
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("carmen@mimp.example"));
    let refused = deliveries(&c)
        .await
        .into_iter()
        .find(|d| d["recipient"] == "john@pnp.example")
        .unwrap();
    assert_eq!(refused["status"], "DEAD", "{refused}");
    assert!(
        refused["lastError"]
            .as_str()
            .unwrap()
            .contains("\"COUNTER\", not PUBLISH, REQUEST or CANCEL"),
        "{refused}"
    );
    assert_eq!(
        deliver(&c.app, &smtp(&server.url())).await,
        Pass::default(),
        "nothing is retried on its own"
    );
}

#[tokio::test]
async fn the_invitation_and_the_calendar_file_name_a_session_the_same_way() {
    let c = Commission::new().await;
    representative(
        &c.app,
        &c.mimp,
        "Carmen Flores",
        "carmen@mimp.example",
        Language::Es,
    )
    .await;
    let meeting = c.schedule("ORDINARY", Duration::days(10), None).await;
    let server = SmtpServer::start(None);
    deliver(&c.app, &smtp(&server.url())).await;
    let message = Received::parse(&server.messages()[0]);
    let attached = message
        .calendar
        .as_deref()
        .expect("the invitation carries its calendar");

    let path = format!("/meetings/{}.ics", meeting["id"].as_str().unwrap());
    let (_, _, body) = c
        .app
        .send(
            axum::http::Request::get(path)
                .header("authorization", format!("Bearer {}", c.mimp_user.token))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    let file = String::from_utf8(body).unwrap();
    let heading = format!(
        "{} — Sesión de la Comisión",
        meeting["label"].as_str().unwrap()
    );
    for property in [
        "SUMMARY", "UID", "SEQUENCE", "LOCATION", "STATUS", "DTSTAMP",
    ] {
        let in_file = ics_property(&file, property);
        let in_mail = ics_property(attached, property);
        assert!(in_file.is_some(), "{property} in {file}");
        assert_eq!(in_file, in_mail, "{property}");
    }
    assert_eq!(ics_property(&file, "SUMMARY").unwrap(), heading);
    assert!(message.subject.contains(&heading), "{}", message.subject);
}
