//! One fuzz input through the real `/graphql` handler, shared by the cargo-fuzz target
//! (`fuzz/fuzz_targets/graphql_request.rs`) and the test that replays its committed seeds
//! (`tests/tests/api/fuzz_seeds.rs`), so both run exactly the same code.
//!
//! Each input is sent in several forms: as the raw body of a signed-in `POST /graphql`;
//! as the query string of an anonymous `GET /graphql`; and, when it is JSON, as the
//! `variables` of each of a few fixed operations that take every kind of input the
//! schema has (IDs, dates, date-times, decimals, enums, lists, input objects, `Int`), so
//! that arbitrary JSON reaches variable coercion. The invariant is the one `SECURITY.md`
//! states: a hostile request gets a 4xx or a GraphQL error, never a 5xx, and the answer
//! is always a JSON object.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::TestApp;
use cmnp_domain::agency::Membership;

/// In an input, stands for the id of an agency that exists.
pub const AGENCY_PLACEHOLDER: &str = "@agency";
/// In an input, stands for the id of an action item that exists.
pub const ACTION_ITEM_PLACEHOLDER: &str = "@actionItem";

/// The operations whose variables are taken from the input, by name.
pub const OPERATIONS: [(&str, &str); 5] = [
    (
        "ActionItems",
        "query ActionItems($first: Int, $after: String, $filter: ActionItemFilter) {
            actionItems(first: $first, after: $after, filter: $filter) {
                totalCount pageInfo { endCursor }
                edges { node { id reference status dueOn version } } } }",
    ),
    (
        "UpdateActionItem",
        "mutation UpdateActionItem($input: UpdateActionItemInput!) {
            updateActionItem(input: $input) {
                actionItem { id status progressPercent dueOn version } } }",
    ),
    (
        "ScheduleMeeting",
        "mutation ScheduleMeeting($input: ScheduleMeetingInput!) {
            scheduleMeeting(input: $input) { meeting { id label startsAt endsAt } } }",
    ),
    (
        "CreateAgency",
        "mutation CreateAgency($input: CreateAgencyInput!) {
            createAgency(input: $input) { agency { id acronym kind membership votes } } }",
    ),
    (
        "RecordTransaction",
        "mutation RecordTransaction($input: RecordTransactionInput!) {
            recordTransaction(input: $input) { project { id } } }",
    ),
];

/// The form in which an input was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The input as the body of a signed-in `POST`.
    Body,
    /// The input as the query string of an anonymous `GET`: the fields of a JSON object
    /// input, URL-encoded, or the input itself otherwise.
    QueryString,
    /// The input's JSON as the variables of the named operation of [`OPERATIONS`].
    Variables(&'static str),
}

/// What `/graphql` answered to one form of an input.
#[derive(Debug)]
pub struct Answer {
    /// How the input was sent.
    pub form: Form,
    /// The HTTP status, never a 5xx.
    pub status: StatusCode,
    /// The body, always a JSON object.
    pub body: Value,
}

impl Answer {
    /// Whether the operation ran and answered data without any error.
    pub fn has_data(&self) -> bool {
        self.status == StatusCode::OK
            && self.body.get("errors").is_none()
            && self.body.get("data").is_some_and(Value::is_object)
    }

    /// The `extensions.code` of every error.
    pub fn codes(&self) -> Vec<&str> {
        self.body
            .get("errors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|error| error["extensions"]["code"].as_str())
            .collect()
    }
}

/// The application the inputs are sent to: built once, with a secretariat token, an
/// agency and an action item, on its own runtime so that a synchronous fuzz target can
/// drive it.
pub struct Harness {
    app: TestApp,
    token: String,
    placeholders: [(&'static str, String); 2],
    runtime: tokio::runtime::Runtime,
}

impl Harness {
    /// A fresh application on a migrated database (SQLite in a temporary folder, or
    /// PostgreSQL when `TEST_DATABASE_URL` is set), with its fixtures.
    pub fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let (app, token, placeholders) = runtime.block_on(async {
            let app = TestApp::spawn().await;
            let secretariat = app.secretariat().await;
            let agency = app.agency("FUZZ", Membership::Member).await;
            let created = app
                .graphql(
                    Some(&secretariat.token),
                    "mutation ($input: CreateActionItemInput!) {
                        createActionItem(input: $input) { actionItem { id } } }",
                    json!({ "input": {
                        "title": "Compromiso de prueba",
                        "responsibleAgencyId": agency.id.to_string(),
                        "dueOn": "2030-06-30",
                    } }),
                )
                .await;
            let item = created.data()["createActionItem"]["actionItem"]["id"]
                .as_str()
                .expect("the action item's id")
                .to_owned();
            let placeholders = [
                (AGENCY_PLACEHOLDER, agency.id.to_string()),
                (ACTION_ITEM_PLACEHOLDER, item),
            ];
            (app, secretariat.token, placeholders)
        });
        Self {
            app,
            token,
            placeholders,
            runtime,
        }
    }

    /// Sends `input` in every form that applies and returns the answers. Panics, which
    /// is what the fuzzer reports, when an answer is a 5xx or is not a JSON object.
    pub fn check(&self, input: &[u8]) -> Vec<Answer> {
        let input = self.substitute(input);
        let mut requests = vec![(Form::Body, self.post(input.clone()))];
        let parsed = serde_json::from_slice::<Value>(&input).ok();
        if let Some(request) = query_string(&input, parsed.as_ref()).and_then(|query| {
            Request::get(format!("/graphql?{query}"))
                .body(Body::empty())
                .ok()
        }) {
            requests.push((Form::QueryString, request));
        }
        if let Some(parsed) = parsed {
            let variables = parsed.get("variables").cloned().unwrap_or(parsed);
            for (name, query) in OPERATIONS {
                let body = json!({ "query": query, "variables": variables });
                requests.push((
                    Form::Variables(name),
                    self.post(body.to_string().into_bytes()),
                ));
            }
        }
        requests
            .into_iter()
            .map(|(form, request)| {
                let (status, _, body) = self.runtime.block_on(self.app.send(request));
                let text = String::from_utf8_lossy(&body);
                assert!(
                    !status.is_server_error(),
                    "{form:?} answered {status}: {text}"
                );
                let body = serde_json::from_slice::<Value>(&body)
                    .ok()
                    .filter(Value::is_object)
                    .unwrap_or_else(|| {
                        panic!("{form:?} answered {status} with a body that is not a JSON object: {text}")
                    });
                Answer { form, status, body }
            })
            .collect()
    }

    /// A signed-in `POST /graphql` with this JSON body.
    fn post(&self, body: Vec<u8>) -> Request<Body> {
        Request::post("/graphql")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/graphql-response+json")
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .body(Body::from(body))
            .expect("a POST request")
    }

    /// `input` with each placeholder replaced by the id it stands for.
    fn substitute(&self, input: &[u8]) -> Vec<u8> {
        let mut output = input.to_vec();
        for (placeholder, id) in &self.placeholders {
            output = replace(&output, placeholder.as_bytes(), id.as_bytes());
        }
        output
    }
}

impl Default for Harness {
    fn default() -> Self {
        Self::new()
    }
}

/// The query string of the `GET` form: the string fields of a JSON object (`variables`
/// and `extensions` as JSON text), URL-encoded; otherwise the input itself, if it is
/// text.
fn query_string(input: &[u8], parsed: Option<&Value>) -> Option<String> {
    match parsed {
        Some(Value::Object(fields)) => Some(
            fields
                .iter()
                .map(|(name, value)| {
                    let value = match value {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    format!("{}={}", url_encode(name), url_encode(&value))
                })
                .collect::<Vec<_>>()
                .join("&"),
        ),
        _ => std::str::from_utf8(input).ok().map(str::to_owned),
    }
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// `haystack` with every occurrence of `needle` replaced by `replacement`.
fn replace(haystack: &[u8], needle: &[u8], replacement: &[u8]) -> Vec<u8> {
    let mut output = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while !rest.is_empty() {
        if rest.starts_with(needle) {
            output.extend_from_slice(replacement);
            rest = &rest[needle.len()..];
        } else {
            output.push(rest[0]);
            rest = &rest[1..];
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::{replace, url_encode};

    #[test]
    fn replaces_every_occurrence() {
        assert_eq!(
            replace(b"[\"@a\", \"@a@a\"]", b"@a", b"1"),
            b"[\"1\", \"11\"]".to_vec()
        );
        assert_eq!(replace(b"", b"@a", b"1"), Vec::<u8>::new());
    }

    #[test]
    fn encodes_all_but_unreserved_characters() {
        assert_eq!(
            url_encode("{ me { id } }"),
            "%7B%20me%20%7B%20id%20%7D%20%7D"
        );
        assert_eq!(url_encode("a-b.c_d~é"), "a-b.c_d~%C3%A9");
    }
}
