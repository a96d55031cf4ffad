//! The read-only status pages: where the commission stands, in the browser, for people who
//! do not write GraphQL. Server-rendered HTML with inline SVG charts and no JavaScript,
//! signed in with the same accounts and shown under the same access rules as the API.
//!
//! Architecture invariant: pages read through `cmnp_store` and decide what a viewer may
//! see with `cmnp_domain::policy`, exactly as the GraphQL API does; nothing here writes
//! commission data but an invitee's answer from a signed link (signing in and out only
//! issue and revoke session tokens).

mod charts;
mod html;
mod i18n;
mod pages;
mod session;

use axum::Router;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use chrono_tz::Tz;
use cmnp_domain::meeting::QuorumRule;
use cmnp_domain::policy::Actor;
use cmnp_store::{Store, StoreError};

/// What the pages need from the service.
#[derive(Clone)]
pub struct WebState {
    pub store: Store,
    /// The commission's zone: "today" for due dates and time elapsed.
    pub time_zone: Tz,
    pub quorum_rule: QuorumRule,
    /// How long a sign-in lasts.
    pub session_lifetime: chrono::Duration,
    /// Whether cookies carry `Secure` (the service is reached over HTTPS).
    pub secure_cookies: bool,
}

/// The pages, under `/app`, and `/` leading to them, ready to merge into a router with
/// any state.
pub fn router<S: Clone + Send + Sync + 'static>(state: WebState) -> Router<S> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/app") }))
        .route("/app", get(pages::overview::page))
        .route(
            "/app/login",
            get(pages::login::form).post(pages::login::sign_in),
        )
        .route("/app/logout", post(pages::login::sign_out))
        .route(
            "/app/reset",
            get(pages::reset::form).post(pages::reset::submit),
        )
        .route(
            "/app/answer",
            get(pages::answer::confirm).post(pages::answer::record),
        )
        .route("/app/projects/{id}", get(pages::project::page))
        .route("/app/agencies/{acronym}", get(pages::agency::page))
        .route("/app/meetings/{id}", get(pages::meeting::page))
        .route("/app/static/cmnp.css", get(stylesheet))
        .with_state(state)
}

/// Who a request's pages session cookie signs in, if anyone: for the downloads the pages
/// link to (a session's acta), which the browser fetches with the pages' cookie.
pub async fn page_reader(store: &Store, headers: &HeaderMap) -> Result<Option<Actor>, StoreError> {
    session::page_reader(store, headers).await
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/cmnp.css"),
    )
}
