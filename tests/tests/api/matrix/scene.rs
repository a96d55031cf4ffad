//! The demo commission the matrix runs on, and each actor's view of it: its tokens and
//! the objects it acts on.

use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use cmnp_server::demo;
use cmnp_store::WebhookFailure;
use cmnp_tests::TestApp;
use serde_json::{Value, json};

use super::meetings::{SCHEDULE, SUBMIT_OBSERVATION, session};
use super::work::{CREATE_ITEM, item_input};
use super::{ACTORS, Actor, MADRE_DE_DIOS, MIMP, OIM, PRM, SECRETARIAT, TUMBES, days_from_today};

/// A project and the parts of it the calls touch.
pub(super) struct ProjectIds {
    pub(super) id: String,
    pub(super) result: String,
    pub(super) indicator: String,
    /// A milestone not yet done.
    pub(super) milestone: String,
}

/// The fields of a project that [`ProjectIds::of`] reads.
const PROJECT: &str = "id iatiIdentifier results { id indicators { id } } milestones { id doneOn }";

impl ProjectIds {
    fn of(project: &Value) -> Self {
        let result = &project["results"][0];
        let milestone = project["milestones"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["doneOn"].is_null())
            .unwrap();
        Self {
            id: id(project),
            result: id(result),
            indicator: id(&result["indicators"][0]),
            milestone: id(milestone),
        }
    }
}

/// The demo commission with a few throwaway objects added, and the ids the calls need.
pub(super) struct Demo {
    /// A session token and the user id of each demo user, by e-mail.
    pub(super) tokens: BTreeMap<&'static str, String>,
    pub(super) users: BTreeMap<&'static str, String>,
    pub(super) mimp: String,
    pub(super) oim: String,
    /// One of MIMP's representatives, to change, and a throwaway one, to remove.
    pub(super) representative: String,
    pub(super) removable: String,
    /// The year's first session (MIMP invited, OIM not) and one of its agreements.
    pub(super) session: String,
    pub(super) agreement: String,
    /// The second session, whose circulated minutes the later border session approves.
    pub(super) second: String,
    pub(super) border: String,
    /// MIMP's observation on the border session's circulated minutes, for the
    /// secretariat to answer.
    pub(super) observation: String,
    /// Agreements of the first session still undecided: one to adopt by consensus, and
    /// one to put to a vote with the voting agencies recorded present there, who each
    /// vote on it. (The demo's own agreement there is decided already.)
    pub(super) consensual: String,
    pub(super) votable: String,
    pub(super) voters: Vec<String>,
    /// Throwaway sessions: one upcoming to change (with its follow-up agenda item), one
    /// to cancel, and one that began an hour ago, to hold.
    pub(super) upcoming: String,
    pub(super) agenda_item: String,
    pub(super) cancellable: String,
    pub(super) begun: String,
    /// MIMP's training item, linked to the Tumbes project PRM funds.
    pub(super) item: String,
    /// An item of the Madre de Dios project, which PRM does not fund.
    pub(super) unfunded_item: String,
    pub(super) cancellable_item: String,
    pub(super) tumbes: ProjectIds,
    pub(super) madre_de_dios: ProjectIds,
    pub(super) dead_letter: String,
    /// An endpoint to remove, and a dead delivery to it for the secretariat to retry.
    pub(super) webhook: String,
    pub(super) dead_webhook_delivery: String,
    /// A user who leaves: changed, deactivated and reactivated.
    pub(super) leaving: String,
    /// Per actor, in [`ACTORS`] order: a second session token for `logout` to end, and
    /// an API token of its token owner for `revokeApiToken`.
    pub(super) spare_sessions: Vec<Option<String>>,
    pub(super) api_tokens: Vec<String>,
    /// Per actor, the secret of a password reset link of a user of its own.
    pub(super) reset_links: Vec<String>,
}

impl Demo {
    pub(super) async fn load(app: &TestApp) -> Self {
        demo::load(&app.store, app.config.time_zone, app.config.quorum_rule)
            .await
            .unwrap();
        let mut tokens = BTreeMap::new();
        let mut users = BTreeMap::new();
        for email in [SECRETARIAT, MIMP, OIM, PRM] {
            let (token, user) = sign_in(app, email).await;
            tokens.insert(email, token);
            users.insert(email, user);
        }
        let secretariat = tokens[SECRETARIAT].clone();
        let run = async |document: &str, variables: Value| {
            as_secretariat(app, &secretariat, document, variables).await
        };

        let agencies = run(
            r#"{ mimp: agency(acronym: "MIMP") { id representatives { id email } }
                 oim: agency(acronym: "OIM") { id } mininter: agency(acronym: "MININTER") { id } }"#,
            json!({}),
        )
        .await;
        let mimp = id(&agencies["mimp"]);
        let representative = agencies["mimp"]["representatives"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["email"] == "luis.paredes@mimp.example")
            .unwrap();
        let removable = run(
            "mutation ($agency: ID!) { addRepresentative(input: { agencyId: $agency,
                name: \"Representante saliente\", email: \"saliente@mimp.example\" }) { representative { id } } }",
            json!({ "agency": mimp }),
        )
        .await;

        let meetings = run(
            "{ meetings(first: 100) { edges { node { id title agreements { id } } } } }",
            json!({}),
        )
        .await;
        let first = node(&meetings["meetings"], "title", "Aprobación del plan");
        let votable = run(
            "mutation ($id: ID!) { adoptAgreement(input: { meetingId: $id, text: \"Acuerdo para votar\" }) {
                agreement { id } meeting { attendance { status agency { id votes membership active } } } } }",
            json!({ "id": id(first) }),
        )
        .await;
        let consensual = run(
            "mutation ($id: ID!) { adoptAgreement(input: { meetingId: $id, text: \"Acuerdo por consenso\" }) {
                agreement { id } } }",
            json!({ "id": id(first) }),
        )
        .await;
        let voters: Vec<String> = votable["adoptAgreement"]["meeting"]["attendance"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| {
                let agency = &a["agency"];
                a["status"] == "PRESENT"
                    && agency["votes"] == true
                    && agency["active"] == true
                    && ["PRESIDENCY", "TECHNICAL_SECRETARIAT", "MEMBER"]
                        .contains(&agency["membership"].as_str().unwrap())
            })
            .map(|a| id(&a["agency"]))
            .collect();
        let border = id(node(&meetings["meetings"], "title", "Situación migratoria"));
        let observation = as_secretariat(
            app,
            &tokens[MIMP],
            SUBMIT_OBSERVATION,
            json!({ "id": border, "text": "Observación por responder." }),
        )
        .await;
        let upcoming = run(
            SCHEDULE,
            json!({ "input": session("ORDINARY", Duration::days(20)) }),
        )
        .await;
        let cancellable = run(
            SCHEDULE,
            json!({ "input": session("EXTRAORDINARY", Duration::days(30)) }),
        )
        .await;
        let begun = run(
            SCHEDULE,
            json!({ "input": session("EXTRAORDINARY", -Duration::hours(1)) }),
        )
        .await;

        let items = run(
            "{ actionItems(first: 100) { edges { node { id title } } } }",
            json!({}),
        )
        .await;
        let projects = run(
            &format!("{{ projects(first: 100) {{ edges {{ node {{ {PROJECT} }} }} }} }}"),
            json!({}),
        )
        .await;
        let tumbes = node(&projects["projects"], "iatiIdentifier", TUMBES);
        let madre_de_dios = id(node(&projects["projects"], "iatiIdentifier", MADRE_DE_DIOS));
        let unfunded_item = run(
            CREATE_ITEM,
            item_input(&id(&agencies["mininter"]), Some(&madre_de_dios)),
        )
        .await;
        // One endpoint hears of the item created next (whose delivery is made dead); the
        // other, which hears only of reports, is removed.
        run(
            "mutation { createWebhook(input: { url: \"https://hooks.example.org/items\",
                events: [ACTION_ITEM_CHANGED] }) { webhook { id } } }",
            json!({}),
        )
        .await;
        let webhook = run(
            "mutation { createWebhook(input: { url: \"https://hooks.example.org/reports\",
                events: [PROJECT_REPORTED] }) { webhook { id } } }",
            json!({}),
        )
        .await;
        let cancellable_item = run(CREATE_ITEM, item_input(&mimp, None)).await;
        let leaving = run(
            "mutation ($agency: ID!) { createUser(input: { email: \"saliente@cmnp.example\",
                name: \"Punto focal saliente\", role: AGENCY, agencyId: $agency,
                password: \"una clave de prueba\" }) { user { id } } }",
            json!({ "agency": mimp }),
        )
        .await;

        let mut demo = Self {
            representative: id(representative),
            removable: id(&removable["addRepresentative"]["representative"]),
            session: id(first),
            agreement: id(&first["agreements"][0]),
            second: id(node(&meetings["meetings"], "title", "Seguimiento")),
            border,
            observation: id(&observation["submitObservation"]["observation"]),
            consensual: id(&consensual["adoptAgreement"]["agreement"]),
            votable: id(&votable["adoptAgreement"]["agreement"]),
            voters,
            upcoming: id(&upcoming["scheduleMeeting"]["meeting"]),
            agenda_item: id(&upcoming["scheduleMeeting"]["meeting"]["agenda"][0]),
            cancellable: id(&cancellable["scheduleMeeting"]["meeting"]),
            begun: id(&begun["scheduleMeeting"]["meeting"]),
            item: id(node(&items["actionItems"], "title", "Capacitar")),
            unfunded_item: id(&unfunded_item["createActionItem"]["actionItem"]),
            cancellable_item: id(&cancellable_item["createActionItem"]["actionItem"]),
            tumbes: ProjectIds::of(tumbes),
            madre_de_dios: unfunded_parts(app, &secretariat, &madre_de_dios).await,
            dead_letter: dead_letter(app).await,
            webhook: id(&webhook["createWebhook"]["webhook"]),
            dead_webhook_delivery: dead_webhook_delivery(app).await,
            leaving: id(&leaving["createUser"]["user"]),
            mimp,
            oim: id(&agencies["oim"]),
            tokens,
            users,
            spare_sessions: Vec::new(),
            api_tokens: Vec::new(),
            reset_links: Vec::new(),
        };
        for actor in ACTORS {
            let spare = match actor.user() {
                Some(email) => Some(sign_in(app, email).await.0),
                None => None,
            };
            demo.spare_sessions.push(spare);
            let token = run(
                "mutation ($user: ID!) { createApiToken(input: { userId: $user, name: \"para revocar\" }) { apiToken { id } } }",
                json!({ "user": demo.users[actor.token_owner()] }),
            )
            .await;
            demo.api_tokens
                .push(id(&token["createApiToken"]["apiToken"]));
            let forgetful = run(
                "mutation ($email: String!, $agency: ID!) { createUser(input: { email: $email,
                    name: \"Punto focal olvidadizo\", role: AGENCY, agencyId: $agency,
                    password: \"una clave de prueba\" }) { user { id } } }",
                json!({ "email": format!("olvido{}@cmnp.example", demo.reset_links.len()), "agency": demo.mimp }),
            )
            .await;
            let link = app
                .store
                .request_password_reset(None, id(&forgetful["createUser"]["user"]).parse().unwrap())
                .await
                .unwrap();
            demo.reset_links.push(link.secret);
        }
        demo
    }

    /// The newest event of the audit log: every change writes one, in the transaction
    /// that makes it, so a call that leaves it as it was has changed nothing.
    pub(super) async fn last_change(&self, app: &TestApp) -> Value {
        let events = as_secretariat(
            app,
            &self.tokens[SECRETARIAT],
            "{ auditEvents(first: 1) { edges { node { id action } } } }",
            json!({}),
        )
        .await;
        events["auditEvents"]["edges"][0]["node"].clone()
    }

    /// `actor` facing the demo, with the current versions of the items it would change.
    pub(super) async fn scene(&self, app: &TestApp, n: usize) -> Scene<'_> {
        let actor = ACTORS[n];
        let (item, project) = match actor {
            Actor::OtherDonor => (&self.unfunded_item, &self.madre_de_dios),
            _ => (&self.item, &self.tumbes),
        };
        let versions = as_secretariat(
            app,
            &self.tokens[SECRETARIAT],
            "query ($item: ID!, $cancellable: ID!) {
                item: actionItem(id: $item) { version } cancellable: actionItem(id: $cancellable) { version } }",
            json!({ "item": item, "cancellable": self.cancellable_item }),
        )
        .await;
        let token = |user: Option<&str>| user.map(|email| self.tokens[email].clone());
        Scene {
            demo: self,
            actor,
            n,
            token: token(actor.user()),
            project_token: token(actor.project_user()),
            spare_session: self.spare_sessions[n].clone(),
            owner: &self.users[actor.token_owner()],
            api_token: &self.api_tokens[n],
            reset_link: &self.reset_links[n],
            item,
            item_version: versions["item"]["version"].as_i64().unwrap(),
            cancellable_version: versions["cancellable"]["version"].as_i64().unwrap(),
            project,
        }
    }
}

/// One actor facing the demo: its tokens and the objects it acts on.
pub(super) struct Scene<'a> {
    pub(super) demo: &'a Demo,
    pub(super) actor: Actor,
    /// The actor's place in [`ACTORS`], which keeps what each actor creates unique.
    pub(super) n: usize,
    pub(super) token: Option<String>,
    pub(super) project_token: Option<String>,
    pub(super) spare_session: Option<String>,
    /// The user whose API tokens the actor creates and revokes, and one of those tokens.
    pub(super) owner: &'a str,
    pub(super) api_token: &'a str,
    pub(super) reset_link: &'a str,
    pub(super) item: &'a str,
    pub(super) item_version: i64,
    pub(super) cancellable_version: i64,
    pub(super) project: &'a ProjectIds,
}

/// Signs `email` in with the demo password; returns the session token and the user's id.
async fn sign_in(app: &TestApp, email: &str) -> (String, String) {
    let login = app
        .graphql(
            None,
            "mutation ($email: String!, $password: String!) {
                login(input: { email: $email, password: $password }) { token user { id } } }",
            json!({ "email": email, "password": demo::DEMO_PASSWORD }),
        )
        .await;
    let data = &login.data()["login"];
    (
        data["token"].as_str().unwrap().to_owned(),
        id(&data["user"]),
    )
}

pub(super) async fn as_secretariat(
    app: &TestApp,
    token: &str,
    document: &str,
    variables: Value,
) -> Value {
    app.graphql(Some(token), document, variables)
        .await
        .data()
        .clone()
}

/// Gives the Madre de Dios project, which has none in the demo, a result with an
/// indicator and a milestone, so that the donor who does not fund it has parts to try.
async fn unfunded_parts(app: &TestApp, token: &str, project: &str) -> ProjectIds {
    let result = as_secretariat(
        app,
        token,
        "mutation ($id: ID!) { addResult(input: { projectId: $id, type: OUTPUT,
            title: \"Víctimas atendidas\" }) { project { results { id } } } }",
        json!({ "id": project }),
    )
    .await;
    as_secretariat(
        app,
        token,
        "mutation ($id: ID!) { addIndicator(input: { resultId: $id, title: \"víctimas atendidas\",
            measure: UNIT, baseline: \"0\", target: \"40\" }) { project { id } } }",
        json!({ "id": result["addResult"]["project"]["results"][0]["id"] }),
    )
    .await;
    let milestone = as_secretariat(
        app,
        token,
        &format!(
            "mutation ($id: ID!, $on: Date!) {{ addMilestone(input: {{ projectId: $id,
                title: \"Apertura del centro de atención\", plannedOn: $on }}) {{ project {{ {PROJECT} }} }} }}"
        ),
        json!({ "id": project, "on": days_from_today(90) }),
    )
    .await;
    ProjectIds::of(&milestone["addMilestone"]["project"])
}

/// Turns the oldest e-mail of the outbox (one of the demo's invitations) into a dead
/// letter, as a permanent SMTP refusal would, so that the secretariat has one to retry.
async fn dead_letter(app: &TestApp) -> String {
    let now = Utc::now();
    let claimed = app
        .store
        .claim_due(now, 1, Duration::minutes(5))
        .await
        .unwrap();
    let letter = claimed
        .first()
        .expect("the demo's invitations wait in the outbox");
    app.store
        .mark_failed(letter, "550 mailbox unavailable", true, now)
        .await
        .unwrap();
    letter.id.to_string()
}

/// Turns the delivery of the new item's creation to the demo's endpoint into a dead
/// letter, as an endpoint that is gone (410) would.
async fn dead_webhook_delivery(app: &TestApp) -> String {
    let now = Utc::now();
    let claimed = app
        .store
        .claim_webhook_deliveries(now, 1, Duration::minutes(5))
        .await
        .unwrap();
    let delivery = claimed
        .first()
        .expect("the new item's creation waits for delivery");
    app.store
        .mark_webhook_failed(
            delivery,
            WebhookFailure {
                status_code: Some(410),
                error: "the endpoint answered 410 Gone",
                permanent: true,
            },
            Duration::zero(),
            now,
        )
        .await
        .unwrap();
    delivery.delivery.id.to_string()
}

fn id(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {value}"))
        .to_owned()
}

/// The node of `connection` whose `key` starts with `prefix`.
fn node<'a>(connection: &'a Value, key: &str, prefix: &str) -> &'a Value {
    connection["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| &edge["node"])
        .find(|node| node[key].as_str().is_some_and(|v| v.starts_with(prefix)))
        .unwrap_or_else(|| panic!("no {key} starting with {prefix:?} in {connection}"))
}
