//! `/graphql` over HTTP, following the GraphQL-over-HTTP specification: POST with JSON,
//! GET for queries, `application/graphql-response+json` when the client accepts it, 4xx
//! statuses for requests that cannot be executed, and GraphiQL for browsers.

use std::collections::BTreeMap;

use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{ErrorExtensionValues, ServerError};
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cmnp_domain::user::Surface;
use cmnp_store::{Authenticated, Store};
use serde_json::{Value, json};

use crate::app::AppState;
use crate::graphiql;
use crate::oversized::{self, Refused};

pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";
const MULTIPART: &str = "multipart/form-data";
const NO_QUERY: &str = "the request has no `query`: give the GraphQL document as a string";

/// The media type a response is written in, chosen from the request's `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaType {
    GraphqlResponseJson,
    Json,
}

impl MediaType {
    /// The preferred media type the client accepts; `None` when it accepts neither. A
    /// missing `Accept` means `application/json`, as the specification says.
    fn negotiate(headers: &HeaderMap) -> Option<Self> {
        let Some(accept) = headers.get(header::ACCEPT) else {
            return Some(MediaType::Json);
        };
        let accept = accept.to_str().unwrap_or_default().to_ascii_lowercase();
        let ranges: Vec<&str> = accept
            .split(',')
            .filter(|range| {
                !range
                    .split(';')
                    .skip(1)
                    .any(|p| p.trim().replace(' ', "") == "q=0")
            })
            .map(|range| range.split(';').next().unwrap_or_default().trim())
            .collect();
        if ranges.contains(&GRAPHQL_RESPONSE_JSON) {
            Some(MediaType::GraphqlResponseJson)
        } else if ranges
            .iter()
            .any(|r| matches!(*r, JSON | "application/*" | "*/*"))
        {
            Some(MediaType::Json)
        } else {
            None
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            MediaType::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        }
    }
}

pub async fn post(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let Some(media) = MediaType::negotiate(&headers) else {
        return not_acceptable();
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match content_type.split(';').next().map(str::trim) {
        Some(JSON) => {}
        Some(MULTIPART) => return multipart(state, headers, media, body).await,
        _ => {
            return reject(
                media,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send the request as Content-Type: application/json (or multipart/form-data to upload files)",
            );
        }
    }
    let bytes = match read_body(&headers, body, state.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(response) => return response(media),
    };
    let request = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Array(_)) => {
            return reject(
                media,
                StatusCode::BAD_REQUEST,
                "batched requests are not supported: send one operation per request",
            );
        }
        // A request without its document is a parameter error, refused whatever the media
        // type, unlike a document that is there but cannot run.
        Ok(value) if !value.get("query").is_some_and(Value::is_string) => {
            return reject(media, StatusCode::BAD_REQUEST, NO_QUERY);
        }
        Ok(value) => match serde_json::from_value::<async_graphql::Request>(value) {
            Ok(request) => request,
            Err(error) => {
                return reject(
                    media,
                    StatusCode::BAD_REQUEST,
                    &format!("the body is not a GraphQL request: {error}"),
                );
            }
        },
        Err(error) => {
            return reject(
                media,
                StatusCode::BAD_REQUEST,
                &format!("the body is not valid JSON: {error}"),
            );
        }
    };
    execute(state, headers, media, request).await
}

/// A request that carries files, under the GraphQL multipart request specification
/// (`operations`, `map`, then the file). A browser sends a form of this type to any site
/// without asking first, so such a request is taken only with the bearer token the API
/// signs in with, which no cross-site form can add; the token is checked before the body
/// is read, so no one without an account makes the server hold a large body. The body may
/// be larger than a JSON request's by the largest document, and carries one file.
async fn multipart(state: AppState, headers: HeaderMap, media: MediaType, body: Body) -> Response {
    match authenticate(&state.store, &headers).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return unauthenticated("an upload needs the header Authorization: Bearer <token>")(
                media,
            );
        }
        Err(response) => return response(media),
    }
    let limit = state
        .max_body_bytes
        .saturating_add(state.document_max_bytes);
    let bytes = match read_body(&headers, body, limit).await {
        Ok(bytes) => bytes,
        Err(response) => return response(media),
    };
    // The boundary is case-sensitive: the header as sent, not lowercased.
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let request = match async_graphql::http::receive_body(
        content_type,
        bytes.as_ref(),
        async_graphql::http::MultipartOptions::default(),
    )
    .await
    {
        Ok(request) => request,
        Err(error) => {
            return reject(
                media,
                StatusCode::BAD_REQUEST,
                &format!("the multipart request cannot be read: {error}"),
            );
        }
    };
    if request.uploads.len() > 1 {
        return reject(
            media,
            StatusCode::BAD_REQUEST,
            "send one file to a request: an upload carries one document",
        );
    }
    // The operation itself is held to a JSON request's limit: only the file may be larger.
    if request.query.len() > state.max_body_bytes {
        return reject(
            media,
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "the operation is over {} bytes: only its file may be larger",
                state.max_body_bytes
            ),
        );
    }
    if request.query.trim().is_empty() {
        return reject(media, StatusCode::BAD_REQUEST, NO_QUERY);
    }
    execute(state, headers, media, request).await
}

pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    if query.is_empty() {
        if accepts_html(&headers) {
            return graphiql::page();
        }
        return reject(
            MediaType::negotiate(&headers).unwrap_or(MediaType::Json),
            StatusCode::BAD_REQUEST,
            "give the operation in the query parameter, or POST it as JSON",
        );
    }
    let Some(media) = MediaType::negotiate(&headers) else {
        return not_acceptable();
    };
    if !query
        .split('&')
        .any(|pair| pair.split('=').next() == Some("query"))
    {
        return reject(media, StatusCode::BAD_REQUEST, NO_QUERY);
    }
    let request = match async_graphql::http::parse_query_string(&query) {
        Ok(request) => request,
        Err(error) => {
            return reject(
                media,
                StatusCode::BAD_REQUEST,
                &format!("invalid query string: {error}"),
            );
        }
    };
    if runs(&request, OperationType::Mutation) {
        let mut response = reject(
            media,
            StatusCode::METHOD_NOT_ALLOWED,
            "mutations must be sent with POST",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    execute(state, headers, media, request).await
}

async fn execute(
    state: AppState,
    headers: HeaderMap,
    media: MediaType,
    request: async_graphql::Request,
) -> Response {
    if runs(&request, OperationType::Subscription) {
        return reject(
            media,
            StatusCode::BAD_REQUEST,
            "subscriptions are served over WebSocket on this same path, with the graphql-transport-ws protocol (the graphql-ws library's)",
        );
    }
    // Authentication and every level of the query read through one connection.
    let store = state.store.hold();
    let authenticated = match authenticate(&store, &headers).await {
        Ok(authenticated) => authenticated,
        Err(response) => return response(media),
    };
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut response = cmnp_graphql::execute(
        &state.schema,
        &state.documents,
        request,
        &store,
        authenticated,
        state.introspection,
    )
    .await;
    // Validation can report one fault twice (two rules refusing with the same message):
    // say it once.
    response.errors.dedup();
    let mut request_error = false;
    for error in &mut response.errors {
        request_error |= classify(error, &request_id);
    }
    let body = ResponseBody {
        // The operation never ran: there is no data, not even null.
        data: (!request_error).then_some(&response.data),
        errors: &response.errors,
        extensions: &response.extensions,
    };
    // A request that never ran is a client error: 400 where the response type says so,
    // 200 for the legacy `application/json`, as the specification asks, because a client
    // written before it may read no body from a 4xx.
    let status = if request_error && media == MediaType::GraphqlResponseJson {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    json_response(media, status, &body)
}

/// The body of an executed request, written straight from the response.
#[derive(serde::Serialize)]
struct ResponseBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "<[ServerError]>::is_empty")]
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extensions: &'a BTreeMap<String, async_graphql::Value>,
}

/// Gives an error without a code the one it deserves, and adds the request id to internal
/// errors so that a report can be matched with the log. Returns whether the error stopped
/// the request before execution (a parse, validation or limit error).
fn classify(error: &mut ServerError, request_id: &str) -> bool {
    let code = error
        .extensions
        .as_ref()
        .and_then(|extensions| extensions.get("code"))
        .cloned();
    let request_error = code.is_none() && error.path.is_empty();
    let extensions = error
        .extensions
        .get_or_insert_with(ErrorExtensionValues::default);
    match code {
        None => extensions.set("code", "BAD_USER_INPUT"),
        Some(async_graphql::Value::String(code))
            if code == "INTERNAL" && !request_id.is_empty() =>
        {
            extensions.set("requestId", request_id);
        }
        Some(_) => {}
    }
    request_error
}

type ErrorResponse = Box<dyn FnOnce(MediaType) -> Response + Send>;

/// The token of an `Authorization: Bearer <token>` header value.
pub(crate) fn bearer(value: &HeaderValue) -> Option<&str> {
    value.to_str().ok().and_then(bearer_text)
}

/// The token of `Bearer <token>`.
pub(crate) fn bearer_text(value: &str) -> Option<&str> {
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
}

async fn authenticate(
    store: &Store,
    headers: &HeaderMap,
) -> Result<Option<Authenticated>, ErrorResponse> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let Some(secret) = bearer(value) else {
        return Err(unauthenticated(
            "the Authorization header must be: Bearer <token>",
        ));
    };
    // A calendar-feed secret opens its feed and a page cookie its pages, nothing else.
    match store.authenticate_for(secret, Surface::Api).await {
        Ok(Some(authenticated)) => Ok(Some(authenticated)),
        Ok(None) => Err(unauthenticated(
            "the token is unknown, expired or revoked: sign in again",
        )),
        Err(error) => {
            tracing::error!(error = %error, "authentication failed");
            Err(Box::new(|media| {
                error_response(
                    media,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "INTERNAL",
                    "internal error",
                )
            }))
        }
    }
}

fn unauthenticated(message: &'static str) -> ErrorResponse {
    Box::new(move |media| {
        let mut response =
            error_response(media, StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", message);
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        response
    })
}

async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Bytes, ErrorResponse> {
    oversized::read(headers, body, limit)
        .await
        .map_err(|refused| -> ErrorResponse {
            Box::new(move |media| {
                let mut response = match refused {
                    Refused::TooLarge { .. } => reject(
                        media,
                        StatusCode::PAYLOAD_TOO_LARGE,
                        &format!("the request body is larger than {limit} bytes"),
                    ),
                    Refused::Unreadable => reject(
                        media,
                        StatusCode::BAD_REQUEST,
                        "the request body could not be read to its end",
                    ),
                };
                oversized::close_unless_drained(&refused, &mut response);
                response
            })
        })
}

/// Whether the operation `request` runs is of type `ty`.
pub(crate) fn runs(request: &async_graphql::Request, ty: OperationType) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        // Unparsable documents are reported by execution, with their position.
        return false;
    };
    match &document.operations {
        DocumentOperations::Single(operation) => operation.node.ty == ty,
        DocumentOperations::Multiple(operations) => match &request.operation_name {
            Some(name) => operations
                .get(name.as_str())
                .is_some_and(|operation| operation.node.ty == ty),
            None => operations.values().any(|operation| operation.node.ty == ty),
        },
    }
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// A request refused before execution: `BAD_USER_INPUT`, with the given status.
fn reject(media: MediaType, status: StatusCode, message: &str) -> Response {
    error_response(media, status, "BAD_USER_INPUT", message)
}

fn error_response(media: MediaType, status: StatusCode, code: &str, message: &str) -> Response {
    json_response(
        media,
        status,
        &json!({ "errors": [{ "message": message, "extensions": { "code": code } }] }),
    )
}

fn not_acceptable() -> Response {
    error_response(
        MediaType::Json,
        StatusCode::NOT_ACCEPTABLE,
        "BAD_USER_INPUT",
        "accept application/graphql-response+json or application/json",
    )
}

fn json_response(media: MediaType, status: StatusCode, body: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(json) => (status, [(header::CONTENT_TYPE, media.content_type())], json).into_response(),
        Err(error) => {
            tracing::error!(%error, "the response could not be written as JSON");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Option<MediaType> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        MediaType::negotiate(&headers)
    }

    #[test]
    fn negotiates_the_graphql_response_type_first() {
        assert_eq!(
            MediaType::negotiate(&HeaderMap::new()),
            Some(MediaType::Json)
        );
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9"),
            Some(MediaType::GraphqlResponseJson)
        );
        assert_eq!(accept("application/json"), Some(MediaType::Json));
        assert_eq!(accept("*/*"), Some(MediaType::Json));
        assert_eq!(accept("text/html"), None);
        assert_eq!(accept("application/json;q=0"), None);
    }

    #[test]
    fn spots_mutations_sent_over_get() {
        let request = |query: &str, name: Option<&str>| {
            let mut request = async_graphql::Request::new(query);
            request.operation_name = name.map(str::to_owned);
            request
        };
        assert!(runs(
            &request("mutation { logout }", None),
            OperationType::Mutation
        ));
        assert!(!runs(
            &request("{ me { id } }", None),
            OperationType::Mutation
        ));
        let both = "query A { me { id } } mutation B { logout }";
        assert!(!runs(&request(both, Some("A")), OperationType::Mutation));
        assert!(runs(&request(both, Some("B")), OperationType::Mutation));
    }
}
