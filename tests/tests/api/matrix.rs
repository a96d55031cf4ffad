//! The authorization matrix: every root query and mutation of the served schema, called by
//! every kind of actor on the demo commission, against the policy declared in the tables
//! of `matrix/` (queries, people, meetings, work). The list of root fields comes from
//! introspection, so an operation added without a declared policy fails here.
//!
//! Before its valid-shape call, each actor also calls each mutation with inputs of an
//! invalid shape: inputs that GraphQL coerces but the service refuses (an empty title, a
//! period that ends before it starts, a negative amount, an id that is not one). An actor
//! the policy refuses gets the same refusal as for a valid input, since authorization
//! comes before validation ("invalid shape, wrong role"); an actor it allows gets
//! `BAD_USER_INPUT`, which proves the input invalid ("invalid shape, allowed role"); and
//! no such call changes anything. A mutation whose input has nothing to get wrong says
//! so, and why.

mod meetings;
mod people;
mod queries;
mod scene;
mod work;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, Utc};
use cmnp_tests::{FilePart, Gql, TestApp};
use serde_json::{Value, json};

use Outcome::{Allowed, BadInput, Forbidden, Hidden, NotFound, Unauthenticated};
use meetings::meeting_mutations;
use people::people_mutations;
use queries::queries;
use scene::{Demo, Scene, as_secretariat};
use work::{project_mutations, work_mutations};

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
    /// A file sent as `variables.input.file` in a multipart request: its name and bytes.
    upload: Option<(&'static str, Vec<u8>)>,
}

fn call(token: &Option<String>, document: &'static str, variables: Value) -> Call {
    Call {
        token: token.clone(),
        document,
        variables,
        listed: None,
        upload: None,
    }
}

impl Call {
    /// The call as a multipart request carrying `bytes` as the file `file_name`.
    fn uploading(self, file_name: &'static str, bytes: &[u8]) -> Self {
        Self {
            upload: Some((file_name, bytes.to_vec())),
            ..self
        }
    }

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

/// The policy of every mutation, in the order the calls run: a session is held before its
/// minutes are written, and those are written before they are circulated.
fn mutations() -> Vec<Rule> {
    let mut rules = people_mutations();
    rules.extend(meeting_mutations());
    rules.extend(work_mutations());
    rules.extend(project_mutations());
    rules
}

/// What an invalid-shape call sends for an id: a string GraphQL takes as an `ID`, which
/// names no object because it is not one.
const NOT_AN_ID: &str = "no-es-un-id";

fn days_from_today(days: i64) -> String {
    (Utc::now() + Duration::days(days)).date_naive().to_string()
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
        let answer = match &call.upload {
            Some((file_name, bytes)) => {
                let file = FilePart {
                    path: "variables.input.file",
                    file_name,
                    bytes,
                };
                app.graphql_upload(
                    call.token.as_deref(),
                    call.document,
                    call.variables,
                    &[file],
                )
                .await
            }
            None => {
                app.graphql(call.token.as_deref(), call.document, call.variables)
                    .await
            }
        };
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
                 declare its policy in tests/tests/api/matrix/"
            ));
        }
    }
    for field in declared {
        if !served.contains_key(field) {
            problems.push(format!(
                "tests/tests/api/matrix/ declares a policy for the {kind} field `{field}`, \
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
