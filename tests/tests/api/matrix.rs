//! The authorization matrix: every root query and mutation of the served schema, called by
//! every kind of actor on the demo commission, against the policy declared below. The list
//! of root fields comes from introspection, so an operation added without a declared
//! policy fails here.
//!
//! Before its valid-shape call, each actor also calls each mutation with inputs of an
//! invalid shape: inputs that GraphQL coerces but the service refuses (an empty title, a
//! period that ends before it starts, a negative amount, an id that is not one). An actor
//! the policy refuses gets the same refusal as for a valid input, since authorization
//! comes before validation ("invalid shape, wrong role"); an actor it allows gets
//! `BAD_USER_INPUT`, which proves the input invalid ("invalid shape, allowed role"); and
//! no such call changes anything. A mutation whose input has nothing to get wrong says
//! so, and why.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, Utc};
use cmnp_server::demo;
use cmnp_tests::{Gql, TestApp};
use serde_json::{Value, json};

use Outcome::{Allowed, BadInput, Forbidden, Hidden, NotFound, Unauthenticated};

const SECRETARIAT: &str = "secretaria@cmnp.example";
const MIMP: &str = "mimp@cmnp.example";
const OIM: &str = "oim@cmnp.example";
const PRM: &str = "prm@cmnp.example";

/// The project PRM funds, and one it does not (UNODC funds it).
const TUMBES: &str = "XM-DAC-47066-PE-TUMBES-2026";
const MADRE_DE_DIOS: &str = "XM-DAC-47066-PE-MDD-2027";

/// What one actor gets from one root field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// An answer holding the object (for a list: holding the actor's target).
    Allowed,
    /// An answer without error that leaves the object out: null, or a list without it.
    Hidden,
    /// `FORBIDDEN`.
    Forbidden,
    /// `NOT_FOUND`: the object is not even acknowledged to exist.
    NotFound,
    /// `UNAUTHENTICATED`: anonymous requests get only `login` and `me`.
    Unauthenticated,
    /// `BAD_USER_INPUT`: the answer to an invalid-shape call from an actor allowed to make
    /// it, and never to a valid one.
    BadInput,
}

/// Who calls. In the demo MIMP takes part in no project and OIM is invited to no session,
/// so the agency actors change users between the commission's work and projects: "own"
/// is MIMP on its items and sessions and OIM on the Tumbes project it implements; "other"
/// is OIM on MIMP's items and sessions and MIMP on the Tumbes project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    Anonymous,
    OwnAgency,
    OtherAgency,
    /// PRM on the Tumbes project it funds and the action item linked to it.
    FundingDonor,
    /// PRM on the Madre de Dios project, which UNODC funds, and that project's item.
    OtherDonor,
    Secretariat,
}

/// The columns of the policy table. The secretariat comes last, so that whatever it may
/// change (cancel a session, remove a representative) it changes after everyone else has
/// been refused on the same object.
const ACTORS: [Actor; 6] = [
    Actor::Anonymous,
    Actor::OwnAgency,
    Actor::OtherAgency,
    Actor::FundingDonor,
    Actor::OtherDonor,
    Actor::Secretariat,
];

impl Actor {
    /// The user acting on sessions, agreements, action items and everything but projects.
    fn user(self) -> Option<&'static str> {
        match self {
            Actor::Anonymous => None,
            Actor::OwnAgency => Some(MIMP),
            Actor::OtherAgency => Some(OIM),
            Actor::FundingDonor | Actor::OtherDonor => Some(PRM),
            Actor::Secretariat => Some(SECRETARIAT),
        }
    }

    /// The user acting on projects.
    fn project_user(self) -> Option<&'static str> {
        match self {
            Actor::OwnAgency => Some(OIM),
            Actor::OtherAgency => Some(MIMP),
            other => other.user(),
        }
    }

    /// Whose API tokens the actor creates and revokes: the secretariat and the agency on
    /// another's objects reach for MIMP's, the others for their own (anonymous, who has
    /// none, for MIMP's as well).
    fn token_owner(self) -> &'static str {
        match self {
            Actor::FundingDonor | Actor::OtherDonor => PRM,
            Actor::Anonymous | Actor::OwnAgency | Actor::OtherAgency | Actor::Secretariat => MIMP,
        }
    }
}

/// One root field's declared policy, one outcome per actor in [`ACTORS`] order, and the
/// request that exercises it; for a mutation, also its invalid-shape calls.
struct Rule {
    field: &'static str,
    expect: [Outcome; 6],
    call: fn(&Scene) -> Call,
    invalid: Invalid,
}

fn rule(field: &'static str, expect: [Outcome; 6], call: fn(&Scene) -> Call) -> Rule {
    Rule {
        field,
        expect,
        call,
        invalid: Invalid::Undeclared,
    }
}

/// The invalid-shape case of a mutation. Every mutation declares its calls, or why it has
/// none: one that declares neither fails the test.
enum Invalid {
    Undeclared,
    /// Nothing GraphQL accepts in the input is refused by the service: the reason why.
    Nothing(&'static str),
    Calls(Vec<InvalidCall>),
}

/// The mutation with an input that GraphQL coerces and the service refuses, and what
/// each actor gets from it.
struct InvalidCall {
    expect: [Outcome; 6],
    call: fn(&Scene) -> Call,
}

impl Rule {
    /// Adds an invalid-shape call: every actor the policy refuses gets the same refusal as
    /// for a valid input, and every actor it allows gets `BAD_USER_INPUT`.
    fn invalid(self, call: fn(&Scene) -> Call) -> Self {
        let expect = self.expect.map(|outcome| {
            if outcome == Allowed {
                BadInput
            } else {
                outcome
            }
        });
        self.invalid_answering(expect, call)
    }

    /// Adds an invalid-shape call whose outcomes are not those [`Rule::invalid`] derives;
    /// the rule says why beside it.
    fn invalid_answering(mut self, expect: [Outcome; 6], call: fn(&Scene) -> Call) -> Self {
        let invalid = InvalidCall { expect, call };
        match &mut self.invalid {
            Invalid::Calls(calls) => calls.push(invalid),
            _ => self.invalid = Invalid::Calls(vec![invalid]),
        }
        self
    }

    /// Declares that the mutation has no invalid-shape call, and why.
    fn nothing_invalid(self, why: &'static str) -> Self {
        Self {
            invalid: Invalid::Nothing(why),
            ..self
        }
    }

    fn invalid_calls(&self) -> &[InvalidCall] {
        match &self.invalid {
            Invalid::Calls(calls) => calls,
            Invalid::Undeclared | Invalid::Nothing(_) => &[],
        }
    }
}

/// One request: its sender, document and variables, and for a list the id of the object
/// the actor is after, which decides between `Allowed` and `Hidden`.
struct Call {
    token: Option<String>,
    document: &'static str,
    variables: Value,
    listed: Option<String>,
}

fn call(token: &Option<String>, document: &'static str, variables: Value) -> Call {
    Call {
        token: token.clone(),
        document,
        variables,
        listed: None,
    }
}

impl Call {
    fn listing(self, id: &str) -> Self {
        Self {
            listed: Some(id.to_owned()),
            ..self
        }
    }
}

// Short names keep the table's rows readable at a glance.
const A: Outcome = Allowed;
const B: Outcome = BadInput;
const F: Outcome = Forbidden;
const U: Outcome = Unauthenticated;

/// The policy of every root query.
fn queries() -> Vec<Rule> {
    vec![
        rule("me", [Hidden, A, A, A, A, A], |s| {
            call(&s.token, "{ me { id } }", json!({}))
        }),
        rule("agencies", [U, A, A, A, A, A], |s| {
            call(
                &s.token,
                r#"{ agencies(filter: { search: "MIMP" }) { edges { node { id } } } }"#,
                json!({}),
            )
            .listing(&s.demo.mimp)
        }),
        rule("agency", [U, A, A, A, A, A], |s| {
            call(
                &s.token,
                "query ($id: ID!) { agency(id: $id) { id } }",
                json!({ "id": s.demo.mimp }),
            )
        }),
        rule("users", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "{ users(first: 100) { edges { node { id } } } }",
                json!({}),
            )
            .listing(&s.demo.users[MIMP])
        }),
        rule("auditEvents", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "{ auditEvents(first: 1) { edges { node { id } } } }",
                json!({}),
            )
        }),
        // An agency lists only the sessions it is invited to; donors see no sessions.
        rule("meetings", [U, A, Hidden, F, F, A], |s| {
            call(
                &s.token,
                "{ meetings(first: 100) { edges { node { id } } } }",
                json!({}),
            )
            .listing(&s.demo.session)
        }),
        // Any object by its id alone, through its type's read rule: what the actor may not
        // see is null, as if no object had the id.
        rule("node", [U, A, Hidden, Hidden, Hidden, A], |s| {
            call(
                &s.token,
                "query ($id: ID!) { node(id: $id) { id ... on Meeting { title } } }",
                json!({ "id": s.demo.session }),
            )
        }),
        rule("nodes", [U, A, Hidden, Hidden, Hidden, A], |s| {
            call(
                &s.token,
                "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                json!({ "ids": [s.demo.session] }),
            )
            .listing(&s.demo.session)
        }),
        rule("meeting", [U, A, F, F, F, A], |s| {
            call(
                &s.token,
                "query ($id: ID!) { meeting(id: $id) { id } }",
                json!({ "id": s.demo.session }),
            )
        }),
        rule("agreement", [U, A, F, F, F, A], |s| {
            call(
                &s.token,
                "query ($id: ID!) { agreement(id: $id) { id } }",
                json!({ "id": s.demo.agreement }),
            )
        }),
        // Every agency reads every item. A donor reads the items linked to what it funds
        // through those projects (and by id), never through the commission's list.
        rule("actionItems", [U, A, A, F, F, A], |s| {
            call(
                &s.token,
                "{ actionItems(first: 100) { edges { node { id } } } }",
                json!({}),
            )
            .listing(s.item)
        }),
        rule("actionItem", [U, A, A, A, F, A], |s| {
            call(
                &s.token,
                "query ($id: ID!) { actionItem(id: $id) { id } }",
                json!({ "id": s.item }),
            )
        }),
        // The list holds only the projects the reader takes part in or funds.
        rule("projects", [U, A, Hidden, A, Hidden, A], |s| {
            call(
                &s.project_token,
                "{ projects(first: 100) { edges { node { id } } } }",
                json!({}),
            )
            .listing(&s.project.id)
        }),
        rule("project", [U, A, F, A, F, A], |s| {
            call(
                &s.project_token,
                "query ($id: ID!) { project(id: $id) { id } }",
                json!({ "id": s.project.id }),
            )
        }),
        rule("emailDeliveries", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "{ emailDeliveries(first: 1) { edges { node { id } } } }",
                json!({}),
            )
        }),
    ]
}

/// The policy of every mutation, in the order the calls run: a session is held before its
/// minutes are written, and those are written before they are circulated.
fn mutations() -> Vec<Rule> {
    let mut rules = people_mutations();
    rules.extend(meeting_mutations());
    rules.extend(work_mutations());
    rules.extend(project_mutations());
    rules
}

fn people_mutations() -> Vec<Rule> {
    vec![
        rule("login", [A; 6], |s| {
            call(
                &s.token,
                "mutation ($email: String!, $password: String!) {
                    login(input: { email: $email, password: $password }) { token } }",
                json!({ "email": s.actor.user().unwrap_or(MIMP), "password": demo::DEMO_PASSWORD }),
            )
        })
        // A malformed address is a wrong one: `login` answers it as every failed sign-in,
        // UNAUTHENTICATED without saying what was wrong. Each actor tries its own address,
        // so that none gathers the failures that would throttle it.
        .invalid_answering([U; 6], |s| {
            call(
                &s.token,
                "mutation ($email: String!, $password: String!) {
                    login(input: { email: $email, password: $password }) { token } }",
                json!({ "email": format!("sin-arroba-{}", s.n), "password": demo::DEMO_PASSWORD }),
            )
        }),
        rule("logout", [U, A, A, A, A, A], |s| {
            call(&s.spare_session, "mutation { logout }", json!({}))
        })
        .nothing_invalid("it takes no input"),
        rule("createAgency", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($acronym: String!) {
                    createAgency(input: { acronym: $acronym, name: \"Agencia de prueba\" }) { agency { id } } }",
                json!({ "acronym": format!("MATRIZ-{}", s.n) }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($acronym: String!) {
                    createAgency(input: { acronym: $acronym, name: \"\" }) { agency { id } } }",
                json!({ "acronym": format!("MATRIZ-{}", s.n) }),
            )
        }),
        rule("updateAgency", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateAgency(input: { id: $id, active: true }) { agency { id } } }",
                json!({ "id": s.demo.mimp }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateAgency(input: { id: $id, name: \"\" }) { agency { id } } }",
                json!({ "id": s.demo.mimp }),
            )
        }),
        rule("addRepresentative", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($agency: ID!, $email: String!) { addRepresentative(input: {
                    agencyId: $agency, name: \"Representante de prueba\", email: $email }) { representative { id } } }",
                json!({ "agency": s.demo.mimp, "email": format!("matriz{}@mimp.example", s.n) }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($agency: ID!) { addRepresentative(input: {
                    agencyId: $agency, name: \"Representante de prueba\", email: \"no es un correo\" }) { representative { id } } }",
                json!({ "agency": s.demo.mimp }),
            )
        }),
        rule("updateRepresentative", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateRepresentative(input: {
                    id: $id, position: \"Especialista en trata de personas\" }) { representative { id } } }",
                json!({ "id": s.demo.representative }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateRepresentative(input: {
                    id: $id, email: \"no es un correo\" }) { representative { id } } }",
                json!({ "id": s.demo.representative }),
            )
        }),
        rule("removeRepresentative", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { removeRepresentative(input: { id: $id }) { representative { id } } }",
                json!({ "id": s.demo.removable }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { removeRepresentative(input: { id: $id }) { representative { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("createCalendarFeed", [U, A, A, A, A, A], |s| {
            call(
                &s.token,
                "mutation { createCalendarFeed(input: {}) { url } }",
                json!({}),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation { createCalendarFeed(input: { name: \"\" }) { url } }",
                json!({}),
            )
        }),
        rule("createUser", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($email: String!, $agency: ID!) { createUser(input: { email: $email,
                    name: \"Usuaria de prueba\", role: AGENCY, agencyId: $agency,
                    password: \"una clave de prueba\" }) { user { id } } }",
                json!({ "email": format!("matriz{}@cmnp.example", s.n), "agency": s.demo.mimp }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($agency: ID!) { createUser(input: { email: \"no es un correo\",
                    name: \"Usuaria de prueba\", role: AGENCY, agencyId: $agency,
                    password: \"una clave de prueba\" }) { user { id } } }",
                json!({ "agency": s.demo.mimp }),
            )
        }),
        rule("updateUser", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateUser(input: { id: $id, locale: EN }) { user { id } } }",
                json!({ "id": s.demo.leaving }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateUser(input: { id: $id, name: \"\" }) { user { id } } }",
                json!({ "id": s.demo.leaving }),
            )
        }),
        rule("deactivateUser", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { deactivateUser(input: { id: $id }) { user { id } } }",
                json!({ "id": s.demo.leaving }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { deactivateUser(input: { id: $id }) { user { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("reactivateUser", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { reactivateUser(input: { id: $id }) { user { id } } }",
                json!({ "id": s.demo.leaving }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { reactivateUser(input: { id: $id }) { user { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("requestPasswordReset", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { requestPasswordReset(input: { userId: $id }) { expiresAt } }",
                json!({ "id": s.demo.leaving }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { requestPasswordReset(input: { userId: $id }) { expiresAt } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        // Whoever holds a reset link sets the password with it, signed in or not. A password
        // too short is refused before the link is used, which keeps working.
        rule("resetPassword", [A; 6], |s| {
            call(
                &s.token,
                "mutation ($token: String!) { resetPassword(input: { token: $token,
                    newPassword: \"una clave nueva de prueba\" }) { email } }",
                json!({ "token": s.reset_link }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($token: String!) { resetPassword(input: { token: $token,
                    newPassword: \"corta\" }) { email } }",
                json!({ "token": s.reset_link }),
            )
        }),
        // Everyone signed in changes their own password (here to the same one, keeping
        // their other sessions, which later rows use).
        rule("changePassword", [U, A, A, A, A, A], |s| {
            call(
                &s.token,
                "mutation ($password: String!) { changePassword(input: { currentPassword: $password,
                    newPassword: $password, signOutElsewhere: false }) { user { id } } }",
                json!({ "password": demo::DEMO_PASSWORD }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($password: String!) { changePassword(input: { currentPassword: $password,
                    newPassword: \"corta\", signOutElsewhere: false }) { user { id } } }",
                json!({ "password": demo::DEMO_PASSWORD }),
            )
        }),
        // Only the secretariat manages other users' tokens; another user's token is not
        // even acknowledged to exist.
        rule("createApiToken", [U, A, F, A, A, A], |s| {
            call(
                &s.token,
                "mutation ($user: ID!) { createApiToken(input: { userId: $user, name: \"matriz\" }) { token } }",
                json!({ "user": s.owner }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($user: ID!) { createApiToken(input: { userId: $user, name: \"\" }) { token } }",
                json!({ "user": s.owner }),
            )
        }),
        // The token's id is all the input: one that is not an id names no token, so there
        // is no other user's token to hide from the agency refused on one.
        rule("revokeApiToken", [U, A, NotFound, A, A, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { revokeApiToken(input: { id: $id }) { apiToken { id } } }",
                json!({ "id": s.api_token }),
            )
        })
        .invalid_answering([U, B, B, B, B, B], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { revokeApiToken(input: { id: $id }) { apiToken { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("retryEmailDelivery", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { retryEmailDelivery(input: { id: $id }) { emailDelivery { id } } }",
                json!({ "id": s.demo.dead_letter }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { retryEmailDelivery(input: { id: $id }) { emailDelivery { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
    ]
}

fn meeting_mutations() -> Vec<Rule> {
    let secretariat_only = [U, F, F, F, F, A];
    vec![
        rule("scheduleMeeting", secretariat_only, |s| {
            call(
                &s.token,
                SCHEDULE,
                json!({ "input": session("EXTRAORDINARY", Duration::days(40)) }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                SCHEDULE,
                json!({ "input": backwards(session("EXTRAORDINARY", Duration::days(40))) }),
            )
        }),
        rule("updateMeeting", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateMeeting(input: { id: $id, title: \"Sesión revisada\" }) { meeting { id } } }",
                json!({ "id": s.demo.upcoming }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateMeeting(input: { id: $id, title: \"\" }) { meeting { id } } }",
                json!({ "id": s.demo.upcoming }),
            )
        }),
        rule("cancelMeeting", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"Sesión de prueba\" }) { meeting { id } } }",
                json!({ "id": s.demo.cancellable }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"\" }) { meeting { id } } }",
                json!({ "id": s.demo.cancellable }),
            )
        }),
        rule("addAgendaItem", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { addAgendaItem(input: { meetingId: $id, title: \"Punto de prueba\" }) { meeting { id } } }",
                json!({ "id": s.demo.upcoming }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { addAgendaItem(input: { meetingId: $id, title: \"\" }) { meeting { id } } }",
                json!({ "id": s.demo.upcoming }),
            )
        }),
        rule("moveAgendaItem", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { moveAgendaItem(input: { id: $id, position: 1 }) { meeting { id } } }",
                json!({ "id": s.demo.agenda_item }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { moveAgendaItem(input: { id: $id, position: 0 }) { meeting { id } } }",
                json!({ "id": s.demo.agenda_item }),
            )
        }),
        rule("recordAttendance", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!, $agency: ID!) { recordAttendance(input: {
                    meetingId: $id, agencyId: $agency, status: PRESENT }) { meeting { id } } }",
                json!({ "id": s.demo.upcoming, "agency": s.demo.mimp }),
            )
        })
        // A delegate attended, but who is not said.
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!, $agency: ID!) { recordAttendance(input: { meetingId: $id,
                    agencyId: $agency, status: PRESENT, attendeeKind: DELEGATE }) { meeting { id } } }",
                json!({ "id": s.demo.upcoming, "agency": s.demo.mimp }),
            )
        }),
        rule("markMeetingHeld", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { markMeetingHeld(input: { meetingId: $id }) { meeting { id } } }",
                json!({ "id": s.demo.begun }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { markMeetingHeld(input: { meetingId: $id }) { meeting { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        // Minutes may be empty while they are drafted: the session's id is what can be
        // wrong.
        rule("updateMinutes", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateMinutes(input: { meetingId: $id, text: \"# Acta de prueba\" }) { meeting { id } } }",
                json!({ "id": s.demo.begun }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { updateMinutes(input: { meetingId: $id, text: \"# Acta de prueba\" }) { meeting { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("circulateMinutes", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { circulateMinutes(input: { meetingId: $id }) { meeting { id } } }",
                json!({ "id": s.demo.begun }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { circulateMinutes(input: { meetingId: $id }) { meeting { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        rule("approveMinutes", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!, $at: ID!) { approveMinutes(input: {
                    meetingId: $id, approvedAtMeetingId: $at }) { meeting { id } } }",
                json!({ "id": s.demo.second, "at": s.demo.border }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!, $at: ID!) { approveMinutes(input: {
                    meetingId: $id, approvedAtMeetingId: $at }) { meeting { id } } }",
                json!({ "id": s.demo.second, "at": NOT_AN_ID }),
            )
        }),
        rule("adoptAgreement", secretariat_only, |s| {
            call(
                &s.token,
                "mutation ($id: ID!) { adoptAgreement(input: { meetingId: $id, text: \"Acuerdo de prueba.\" }) { agreement { id } } }",
                json!({ "id": s.demo.border }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!) { adoptAgreement(input: { meetingId: $id, text: \"\" }) { agreement { id } } }",
                json!({ "id": s.demo.border }),
            )
        }),
    ]
}

fn work_mutations() -> Vec<Rule> {
    vec![
        rule("createActionItem", [U, F, F, F, F, A], |s| {
            call(&s.token, CREATE_ITEM, item_input(&s.demo.mimp, None))
        })
        .invalid(|s| {
            let mut input = item_input(&s.demo.mimp, None);
            input["input"]["title"] = json!("");
            call(&s.token, CREATE_ITEM, input)
        }),
        rule("updateActionItem", [U, A, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!, $version: Int!) { updateActionItem(input: {
                    id: $id, expectedVersion: $version, note: \"Avance revisado\" }) { actionItem { id } } }",
                json!({ "id": s.item, "version": s.item_version }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!, $version: Int!) { updateActionItem(input: {
                    id: $id, expectedVersion: $version, progressPercent: 150 }) { actionItem { id } } }",
                json!({ "id": s.item, "version": s.item_version }),
            )
        })
        // Donors, who update no item, are refused before anything they send is read; an
        // id that is not one names no item to refuse the other agency on.
        .invalid_answering([U, B, B, F, F, B], |s| {
            call(
                &s.token,
                "mutation ($id: ID!, $version: Int!) { updateActionItem(input: {
                    id: $id, expectedVersion: $version, note: \"Avance revisado\" }) { actionItem { id } } }",
                json!({ "id": NOT_AN_ID, "version": s.item_version }),
            )
        })
        // The responsible agency is part of the plan, which only the secretariat changes:
        // everyone else is refused whatever agency is named.
        .invalid_answering([U, F, F, F, F, B], |s| {
            call(
                &s.token,
                "mutation ($id: ID!, $version: Int!, $agency: ID!) { updateActionItem(input: {
                    id: $id, expectedVersion: $version, responsibleAgencyId: $agency }) { actionItem { id } } }",
                json!({ "id": s.item, "version": s.item_version, "agency": NOT_AN_ID }),
            )
        }),
        rule("cancelActionItem", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!, $version: Int!) { cancelActionItem(input: {
                    id: $id, expectedVersion: $version, reason: \"Compromiso de prueba\" }) { actionItem { id } } }",
                json!({ "id": s.demo.cancellable_item, "version": s.cancellable_version }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!, $version: Int!) { cancelActionItem(input: {
                    id: $id, expectedVersion: $version, reason: \"\" }) { actionItem { id } } }",
                json!({ "id": s.demo.cancellable_item, "version": s.cancellable_version }),
            )
        }),
    ]
}

fn project_mutations() -> Vec<Rule> {
    let secretariat_only = [U, F, F, F, F, A];
    // Implementers report on their projects; donors read and never write.
    let reporters = [U, A, F, F, F, A];
    // Donors, who report on nothing, are refused before anything they send is read; the
    // agency refused on this project is refused before its values are, but an id that is
    // not one names nothing to refuse it on.
    let reporters_unnamed = [U, B, B, F, F, B];
    vec![
        rule("createProject", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: String!) { createProject(input: {
                    iatiIdentifier: $id, title: \"Proyecto de prueba\", currency: \"USD\" }) { project { id } } }",
                json!({ "id": format!("XM-DAC-47066-MATRIZ-{}", s.n) }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: String!) { createProject(input: {
                    iatiIdentifier: $id, title: \"Proyecto de prueba\", currency: \"DOLARES\" }) { project { id } } }",
                json!({ "id": format!("XM-DAC-47066-MATRIZ-{}", s.n) }),
            )
        }),
        rule("updateProject", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { updateProject(input: { id: $id, description: \"Descripción revisada.\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { updateProject(input: { id: $id, title: \"\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        }),
        rule("addProjectParticipant", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $agency: ID!) { addProjectParticipant(input: {
                    projectId: $id, agencyId: $agency, role: EXTENDING }) { project { id } } }",
                json!({ "id": s.project.id, "agency": s.demo.oim }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $agency: ID!) { addProjectParticipant(input: {
                    projectId: $id, agencyId: $agency, role: EXTENDING }) { project { id } } }",
                json!({ "id": s.project.id, "agency": NOT_AN_ID }),
            )
        }),
        rule("addBudgetLine", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { addBudgetLine(input: { projectId: $id, periodStart: \"2026-01-01\",
                    periodEnd: \"2026-12-31\", amount: \"1000.00\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { addBudgetLine(input: { projectId: $id, periodStart: \"2026-01-01\",
                    periodEnd: \"2026-12-31\", amount: \"-1000.00\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        }),
        rule("recordTransaction", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { recordTransaction(input: { projectId: $id, type: EXPENDITURE,
                    date: \"2026-02-01\", amount: \"10.00\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { recordTransaction(input: { projectId: $id, type: EXPENDITURE,
                    date: \"2026-02-01\", amount: \"-10.00\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        }),
        rule("addResult", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { addResult(input: { projectId: $id, type: OUTCOME,
                    title: \"Resultado de prueba\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { addResult(input: { projectId: $id, type: OUTCOME,
                    title: \"\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        }),
        rule("addIndicator", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { addIndicator(input: { resultId: $id, title: \"Indicador de prueba\",
                    measure: UNIT, baseline: \"0\", target: \"5\" }) { project { id } } }",
                json!({ "id": s.project.result }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { addIndicator(input: { resultId: $id, title: \"Indicador de prueba\",
                    measure: UNIT, baseline: \"0\", target: \"-5\" }) { project { id } } }",
                json!({ "id": s.project.result }),
            )
        }),
        rule("recordIndicatorProgress", reporters, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { recordIndicatorProgress(input: { indicatorId: $id,
                    periodStart: \"2026-01-01\", periodEnd: \"2026-03-31\", actual: \"3\" }) { project { id } } }",
                json!({ "id": s.project.indicator }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { recordIndicatorProgress(input: { indicatorId: $id,
                    periodStart: \"2026-03-31\", periodEnd: \"2026-01-01\", actual: \"3\" }) { project { id } } }",
                json!({ "id": s.project.indicator }),
            )
        })
        .invalid_answering(reporters_unnamed, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { recordIndicatorProgress(input: { indicatorId: $id,
                    periodStart: \"2026-01-01\", periodEnd: \"2026-03-31\", actual: \"3\" }) { project { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        })
        // Targets are the secretariat's: an implementer sending one is refused whatever
        // its value.
        .invalid_answering([U, F, F, F, F, B], |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { recordIndicatorProgress(input: { indicatorId: $id,
                    periodStart: \"2026-01-01\", periodEnd: \"2026-03-31\", target: \"-3\" }) { project { id } } }",
                json!({ "id": s.project.indicator }),
            )
        }),
        rule("addMilestone", reporters, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $on: Date!) { addMilestone(input: {
                    projectId: $id, title: \"Hito de prueba\", plannedOn: $on }) { project { id } } }",
                json!({ "id": s.project.id, "on": days_from_today(30) }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $on: Date!) { addMilestone(input: {
                    projectId: $id, title: \"\", plannedOn: $on }) { project { id } } }",
                json!({ "id": s.project.id, "on": days_from_today(30) }),
            )
        })
        .invalid_answering(reporters_unnamed, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $on: Date!) { addMilestone(input: {
                    projectId: $id, title: \"Hito de prueba\", plannedOn: $on }) { project { id } } }",
                json!({ "id": NOT_AN_ID, "on": days_from_today(30) }),
            )
        }),
        // Any day may be the one a milestone was done on: its id is what can be wrong.
        rule("completeMilestone", reporters, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $on: Date!) { completeMilestone(input: { id: $id, doneOn: $on }) { project { id } } }",
                json!({ "id": s.project.milestone, "on": days_from_today(0) }),
            )
        })
        .invalid_answering(reporters_unnamed, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $on: Date!) { completeMilestone(input: { id: $id, doneOn: $on }) { project { id } } }",
                json!({ "id": NOT_AN_ID, "on": days_from_today(0) }),
            )
        }),
        rule("submitProjectReport", reporters, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { submitProjectReport(input: { projectId: $id, periodStart: \"2026-01-01\",
                    periodEnd: \"2026-03-31\", narrative: \"Informe de prueba.\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { submitProjectReport(input: { projectId: $id, periodStart: \"2026-03-31\",
                    periodEnd: \"2026-01-01\", narrative: \"Informe de prueba.\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        })
        .invalid_answering(reporters_unnamed, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { submitProjectReport(input: { projectId: $id, periodStart: \"2026-01-01\",
                    periodEnd: \"2026-03-31\", narrative: \"Informe de prueba.\" }) { project { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
    ]
}

/// What an invalid-shape call sends for an id: a string GraphQL takes as an `ID`, which
/// names no object because it is not one.
const NOT_AN_ID: &str = "no-es-un-id";

const SCHEDULE: &str = "mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id agenda { id } } } }";

const CREATE_ITEM: &str = "mutation ($input: CreateActionItemInput!) { createActionItem(input: $input) { actionItem { id } } }";

/// A session of `kind` starting `starts_in` from now (negative: already begun).
fn session(kind: &str, starts_in: Duration) -> Value {
    let starts_at = Utc::now() + starts_in;
    json!({
        "kind": kind,
        "title": "Sesión de prueba",
        "startsAt": starts_at.to_rfc3339(),
        "endsAt": (starts_at + Duration::hours(2)).to_rfc3339(),
        "location": "Sala de sesiones, MININTER",
    })
}

/// `session` with its start and end swapped: it ends before it starts.
fn backwards(mut session: Value) -> Value {
    let starts_at = session["startsAt"].take();
    session["startsAt"] = session["endsAt"].take();
    session["endsAt"] = starts_at;
    session
}

/// An action item of `responsible`, linked to `project` if given, due in two months.
fn item_input(responsible: &str, project: Option<&str>) -> Value {
    json!({ "input": {
        "title": "Compromiso de prueba",
        "responsibleAgencyId": responsible,
        "dueOn": days_from_today(60),
        "projectId": project,
    } })
}

fn days_from_today(days: i64) -> String {
    (Utc::now() + Duration::days(days)).date_naive().to_string()
}

/// A project and the parts of it the calls touch.
struct ProjectIds {
    id: String,
    result: String,
    indicator: String,
    /// A milestone not yet done.
    milestone: String,
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
struct Demo {
    /// A session token and the user id of each demo user, by e-mail.
    tokens: BTreeMap<&'static str, String>,
    users: BTreeMap<&'static str, String>,
    mimp: String,
    oim: String,
    /// One of MIMP's representatives, to change, and a throwaway one, to remove.
    representative: String,
    removable: String,
    /// The year's first session (MIMP invited, OIM not) and one of its agreements.
    session: String,
    agreement: String,
    /// The second session, whose circulated minutes the later border session approves.
    second: String,
    border: String,
    /// Throwaway sessions: one upcoming to change (with its follow-up agenda item), one
    /// to cancel, and one that began an hour ago, to hold.
    upcoming: String,
    agenda_item: String,
    cancellable: String,
    begun: String,
    /// MIMP's training item, linked to the Tumbes project PRM funds.
    item: String,
    /// An item of the Madre de Dios project, which PRM does not fund.
    unfunded_item: String,
    cancellable_item: String,
    tumbes: ProjectIds,
    madre_de_dios: ProjectIds,
    dead_letter: String,
    /// A user who leaves: changed, deactivated and reactivated.
    leaving: String,
    /// Per actor, in [`ACTORS`] order: a second session token for `logout` to end, and
    /// an API token of its token owner for `revokeApiToken`.
    spare_sessions: Vec<Option<String>>,
    api_tokens: Vec<String>,
    /// Per actor, the secret of a password reset link of a user of its own.
    reset_links: Vec<String>,
}

impl Demo {
    async fn load(app: &TestApp) -> Self {
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
            border: id(node(&meetings["meetings"], "title", "Situación migratoria")),
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
    async fn last_change(&self, app: &TestApp) -> Value {
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
    async fn scene(&self, app: &TestApp, n: usize) -> Scene<'_> {
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
struct Scene<'a> {
    demo: &'a Demo,
    actor: Actor,
    /// The actor's place in [`ACTORS`], which keeps what each actor creates unique.
    n: usize,
    token: Option<String>,
    project_token: Option<String>,
    spare_session: Option<String>,
    /// The user whose API tokens the actor creates and revokes, and one of those tokens.
    owner: &'a str,
    api_token: &'a str,
    reset_link: &'a str,
    item: &'a str,
    item_version: i64,
    cancellable_version: i64,
    project: &'a ProjectIds,
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

async fn as_secretariat(app: &TestApp, token: &str, document: &str, variables: Value) -> Value {
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

/// The answer's outcome, or a description of an answer that is none of them.
fn observe(answer: &Gql, field: &str, listed: Option<&str>) -> Result<Outcome, String> {
    if answer.body.get("errors").is_some() {
        return match answer.error()["extensions"]["code"].as_str() {
            Some("FORBIDDEN") => Ok(Forbidden),
            Some("NOT_FOUND") => Ok(NotFound),
            Some("UNAUTHENTICATED") => Ok(Unauthenticated),
            Some("BAD_USER_INPUT") => Ok(BadInput),
            code => Err(code.unwrap_or("no code").to_owned()),
        };
    }
    let data = &answer.body["data"][field];
    // A connection lists its nodes in edges; `nodes` lists them (or null) directly.
    let seen = match listed {
        Some(id) => data["edges"]
            .as_array()
            .map(|edges| edges.iter().map(|edge| &edge["node"]).collect::<Vec<_>>())
            .or_else(|| data.as_array().map(|nodes| nodes.iter().collect()))
            .is_some_and(|nodes| nodes.iter().any(|node| node["id"] == id)),
        None => !data.is_null(),
    };
    Ok(if seen { Allowed } else { Hidden })
}

/// The outcome's name, or the code of an answer that is none of them.
fn label(observed: &Result<Outcome, String>) -> String {
    match observed {
        Ok(outcome) => format!("{outcome:?}"),
        Err(code) => code.clone(),
    }
}

/// The case a call exercises: the input's shape, valid or invalid, and whether the policy
/// refuses the actor a valid input (`policy`): "wrong role" when it does, on the role or
/// on the object.
fn case(shape: &str, policy: Outcome) -> String {
    let role = if policy == Allowed {
        "allowed role"
    } else {
        "wrong role"
    };
    format!("{shape} shape, {role}")
}

/// The calls made so far: how many, their outcomes by case, and those that disagree with
/// the policy.
#[derive(Default)]
struct Tally {
    calls: usize,
    outcomes: BTreeMap<String, usize>,
    mismatches: Vec<String>,
}

impl Tally {
    /// Makes `call`, the case `case` of what `at` names, and compares its outcome with
    /// `expected`.
    async fn check(
        &mut self,
        app: &TestApp,
        field: &str,
        at: &str,
        case: &str,
        call: Call,
        expected: Outcome,
    ) {
        let answer = app
            .graphql(call.token.as_deref(), call.document, call.variables)
            .await;
        let observed = observe(&answer, field, call.listed.as_deref());
        self.calls += 1;
        *self
            .outcomes
            .entry(format!("{case}: {}", label(&observed)))
            .or_default() += 1;
        if observed != Ok(expected) {
            let message = match answer.body.get("errors") {
                Some(_) => format!(" ({})", answer.error()["message"]),
                None => String::new(),
            };
            self.mismatches.push(format!(
                "{at} ({case}): expected {expected:?}, observed {}{message}",
                label(&observed)
            ));
        }
    }
}

const INTROSPECTION: &str = "{ __schema {
    queryType { fields { name args { name type { ...TypeRef } } } }
    mutationType { fields { name args { name type { ...TypeRef } } } } } }
    fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";

/// The root fields of `root` ("queryType" or "mutationType"), each with its arguments as
/// they would be written in SDL.
fn root_fields(schema: &Value, root: &str) -> BTreeMap<String, String> {
    schema[root]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|field| {
            let args: Vec<String> = field["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|arg| {
                    format!(
                        "{}: {}",
                        arg["name"].as_str().unwrap(),
                        sdl_type(&arg["type"])
                    )
                })
                .collect();
            let args = if args.is_empty() {
                String::new()
            } else {
                format!("({})", args.join(", "))
            };
            (field["name"].as_str().unwrap().to_owned(), args)
        })
        .collect()
}

fn sdl_type(reference: &Value) -> String {
    match reference["kind"].as_str() {
        Some("NON_NULL") => format!("{}!", sdl_type(&reference["ofType"])),
        Some("LIST") => format!("[{}]", sdl_type(&reference["ofType"])),
        _ => reference["name"].as_str().unwrap_or("?").to_owned(),
    }
}

/// What is wrong between the schema's root fields of one kind and the declared rules.
fn undeclared(kind: &str, served: &BTreeMap<String, String>, rules: &[Rule]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut declared = BTreeSet::new();
    for rule in rules {
        if !declared.insert(rule.field) {
            problems.push(format!(
                "the {kind} field `{}` is declared twice",
                rule.field
            ));
        }
    }
    for (field, args) in served {
        if !declared.contains(field.as_str()) {
            problems.push(format!(
                "the schema has the {kind} field `{field}{args}` with no policy: \
                 declare its policy in tests/tests/api/matrix.rs"
            ));
        }
    }
    for field in declared {
        if !served.contains_key(field) {
            problems.push(format!(
                "tests/tests/api/matrix.rs declares a policy for the {kind} field `{field}`, \
                 which the schema does not have"
            ));
        }
    }
    problems
}

/// The mutations that declare no invalid-shape call, nor why they have none.
fn without_invalid_shape(mutations: &[Rule]) -> Vec<String> {
    mutations
        .iter()
        .filter(|rule| matches!(rule.invalid, Invalid::Undeclared))
        .map(|rule| {
            format!(
                "the mutation `{}` has no invalid-shape call: add one with `.invalid(...)`, \
                 or say why it has none with `.nothing_invalid(...)`",
                rule.field
            )
        })
        .collect()
}

#[tokio::test]
async fn every_root_field_answers_every_actor_as_the_policy_says() {
    let app = TestApp::spawn().await;
    let demo = Demo::load(&app).await;
    let schema = as_secretariat(&app, &demo.tokens[SECRETARIAT], INTROSPECTION, json!({})).await;
    let served_queries = root_fields(&schema["__schema"], "queryType");
    let served_mutations = root_fields(&schema["__schema"], "mutationType");
    let (queries, mutations) = (queries(), mutations());
    let mut problems = undeclared("query", &served_queries, &queries);
    problems.extend(undeclared("mutation", &served_mutations, &mutations));
    problems.extend(without_invalid_shape(&mutations));
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let mut tally = Tally::default();
    for rule in queries.iter().chain(&mutations) {
        for (n, expected) in rule.expect.into_iter().enumerate() {
            let scene = demo.scene(&app, n).await;
            let actor = scene.actor;
            // The invalid-shape calls come first: as they change nothing, the valid one
            // still finds the objects, and their versions, that the scene read.
            for (k, invalid) in rule.invalid_calls().iter().enumerate() {
                let at = format!("{} as {actor:?}, invalid call {}", rule.field, k + 1);
                let case = case("invalid", expected);
                let expected = invalid.expect[n];
                let before = demo.last_change(&app).await;
                let call = (invalid.call)(&scene);
                tally
                    .check(&app, rule.field, &at, &case, call, expected)
                    .await;
                let after = demo.last_change(&app).await;
                if after != before {
                    tally.mismatches.push(format!(
                        "{at} ({case}): changed something: the audit log's newest event is now {after}"
                    ));
                }
            }
            let at = format!("{} as {actor:?}", rule.field);
            let case = case("valid", expected);
            let call = (rule.call)(&scene);
            tally
                .check(&app, rule.field, &at, &case, call, expected)
                .await;
        }
    }
    let fields = queries.len() + mutations.len();
    let invalid_calls: usize = mutations
        .iter()
        .map(|rule| rule.invalid_calls().len())
        .sum();
    let without: Vec<String> = mutations
        .iter()
        .filter_map(|rule| match rule.invalid {
            Invalid::Nothing(why) => Some(format!("{} ({why})", rule.field)),
            Invalid::Undeclared | Invalid::Calls(_) => None,
        })
        .collect();
    eprintln!(
        "authorization matrix: {} query fields + {} mutation fields = {fields} root fields, \
         with {invalid_calls} invalid-shape calls of mutations, x {} actors = {} calls",
        queries.len(),
        mutations.len(),
        ACTORS.len(),
        tally.calls,
    );
    for (case, count) in &tally.outcomes {
        eprintln!("  {case}: {count}");
    }
    eprintln!("mutations without an invalid shape: {}", without.join(", "));
    assert!(
        tally.mismatches.is_empty(),
        "{} of {} calls disagree with the declared policy:\n{}",
        tally.mismatches.len(),
        tally.calls,
        tally.mismatches.join("\n")
    );
}
