//! Shared steps of the work-loop tests: a small commission and its GraphQL calls.

use chrono::{Duration, NaiveDate, Utc};
use cmnp_domain::agency::{Agency, AgencyInput, Membership, NewAgency};
use cmnp_domain::user::Role;
use cmnp_tests::{TestApp, TestUser};
use serde_json::{Value, json};

pub struct Commission {
    pub app: TestApp,
    pub secretariat: TestUser,
    pub mininter: Agency,
    pub mimp: Agency,
    pub pnp: Agency,
    pub minsa: Agency,
    /// A member that does not vote (civil society).
    pub chs: Agency,
    pub mimp_user: TestUser,
    pub pnp_user: TestUser,
}

impl Commission {
    /// Four voting members (MININTER presiding, MIMP, PNP, MINSA), one non-voting member
    /// (CHS) and a partner (OIM); users for the secretariat, MIMP and PNP.
    pub async fn new() -> Self {
        Self::on(TestApp::spawn().await).await
    }

    /// The same commission, with the environment variables `env` configured.
    pub async fn configured(env: &[(&str, &str)]) -> Self {
        Self::on(TestApp::spawn_with(env).await).await
    }

    async fn on(app: TestApp) -> Self {
        let secretariat = app.secretariat().await;
        let mininter = app.agency("MININTER", Membership::Presidency).await;
        let mimp = app.agency("MIMP", Membership::Member).await;
        let pnp = app.agency("PNP", Membership::Member).await;
        let minsa = app.agency("MINSA", Membership::Member).await;
        let chs = app
            .store
            .create_agency(
                None,
                NewAgency::try_from(AgencyInput {
                    acronym: "CHS".into(),
                    name: "CHS Alternativo".into(),
                    membership: Some(Membership::Member),
                    votes: Some(false),
                    ..AgencyInput::default()
                })
                .unwrap(),
            )
            .await
            .unwrap();
        app.agency("OIM", Membership::Partner).await;
        // The focal points are also the representatives that `two_languages` adds, so a
        // person who is both hears once.
        let mimp_user = app
            .user("carmen@mimp.example", Role::Agency, Some(&mimp))
            .await;
        let pnp_user = app.user("john@pnp.example", Role::Agency, Some(&pnp)).await;
        Self {
            app,
            secretariat,
            mininter,
            mimp,
            pnp,
            minsa,
            chs,
            mimp_user,
            pnp_user,
        }
    }

    pub async fn as_secretariat(&self, query: &str, variables: Value) -> Value {
        self.app
            .graphql(Some(&self.secretariat.token), query, variables)
            .await
            .data()
            .clone()
    }

    /// Schedules a session starting `starts_in` from now (negative: already begun).
    pub async fn schedule(
        &self,
        kind: &str,
        starts_in: Duration,
        invited: Option<Vec<&Agency>>,
    ) -> Value {
        let starts_at = Utc::now() + starts_in;
        let data = self
            .as_secretariat(
                "mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting {
                    id number label kind status sequence timeZone invitedAgencies { acronym }
                    agenda { id position title kind } } } }",
                json!({ "input": {
                    "kind": kind,
                    "title": "Sesión de la Comisión",
                    "startsAt": starts_at.to_rfc3339(),
                    "endsAt": (starts_at + Duration::hours(2)).to_rfc3339(),
                    "location": "Sala de sesiones, MININTER",
                    "invitedAgencyIds": invited.map(|agencies| agencies.iter().map(|a| a.id.to_string()).collect::<Vec<_>>()),
                } }),
            )
            .await;
        data["scheduleMeeting"]["meeting"].clone()
    }

    pub async fn attend(&self, meeting: &Value, agency: &Agency, status: &str) {
        self.as_secretariat(
            "mutation ($input: RecordAttendanceInput!) { recordAttendance(input: $input) { meeting { id } } }",
            json!({ "input": { "meetingId": meeting["id"], "agencyId": agency.id.to_string(), "status": status } }),
        )
        .await;
    }

    pub async fn hold(&self, meeting: &Value) -> Value {
        let data = self
            .as_secretariat(
                "mutation ($id: ID!) { markMeetingHeld(input: { meetingId: $id }) { meeting {
                    status heldAt quorum { required present reached frozen } minutes { status } } } }",
                json!({ "id": meeting["id"] }),
            )
            .await;
        data["markMeetingHeld"]["meeting"].clone()
    }

    /// Creates an action item for `agency` due on `due_on`.
    pub async fn item(&self, agency: &Agency, due_on: NaiveDate, supporting: &[&Agency]) -> Value {
        let data = self
            .as_secretariat(
                "mutation ($input: CreateActionItemInput!) { createActionItem(input: $input) { actionItem {
                    id reference status version overdue progressPercent responsible { acronym } supporting { acronym } } } }",
                json!({ "input": {
                    "title": format!("Compromiso de {}", agency.acronym),
                    "responsibleAgencyId": agency.id.to_string(),
                    "supportingAgencyIds": supporting.iter().map(|a| a.id.to_string()).collect::<Vec<_>>(),
                    "dueOn": due_on.to_string(),
                } }),
            )
            .await;
        data["createActionItem"]["actionItem"].clone()
    }
}

/// Today in Lima, the commission's default time zone.
pub fn lima_today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::America::Lima)
        .date_naive()
}

pub const UPDATE_ITEM: &str = "mutation ($input: UpdateActionItemInput!) { updateActionItem(input: $input) { actionItem {
    id status version progressPercent completedOn history { statusFrom statusTo note author { name } agency { acronym } } } } }";
