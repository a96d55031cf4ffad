//! Plain responses of the non-GraphQL routes, and signing their readers in.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cmnp_domain::policy::Actor;
use cmnp_domain::user::Surface;
use cmnp_store::actor_of;

use crate::app::AppState;
use crate::graphql_http::bearer;

/// The actor behind `Authorization: Bearer <token>` (a session or API token), or the
/// response that refuses the request.
pub async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Actor, Response> {
    let Some(secret) = headers.get(header::AUTHORIZATION).and_then(bearer) else {
        return Err(unauthorized());
    };
    match state.store.authenticate_for(secret, Surface::Api).await {
        Ok(Some(auth)) => Ok(actor_of(&auth.user)),
        Ok(None) => Err(unauthorized()),
        Err(error) => Err(internal(&error)),
    }
}

pub fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}

pub fn forbidden() -> Response {
    (StatusCode::FORBIDDEN, "you are not allowed to do this").into_response()
}

pub fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, "Bearer")],
        "sign in: Authorization: Bearer <token>",
    )
        .into_response()
}

pub fn internal(error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "request failed");
    (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
}

/// Who asks for a download the session page links to (an acta, a document): a bearer
/// token as on the API, or else the pages' session cookie, each checked for its own
/// surface.
pub async fn reader(state: &AppState, headers: &HeaderMap) -> Result<Actor, Response> {
    if headers.contains_key(header::AUTHORIZATION) {
        return signed_in(state, headers).await;
    }
    match cmnp_web::page_reader(&state.store, headers).await {
        Ok(Some(actor)) => Ok(actor),
        Ok(None) => Err(unauthorized()),
        Err(error) => Err(internal(&error)),
    }
}
