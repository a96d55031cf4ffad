//! The pages, one module each, and what they share: the query parameters, the sign-in
//! requirement, and the answers for missing, forbidden and failed pages.

pub(crate) mod agency;
pub(crate) mod answer;
mod items;
pub(crate) mod login;
pub(crate) mod meeting;
pub(crate) mod overview;
pub(crate) mod project;
pub(crate) mod reset;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use cmnp_domain::words::{Label, Note};
use maud::{Markup, html};
use serde::Deserialize;

use crate::WebState;
use crate::html::Page;
use crate::i18n::Lang;
use crate::session::{Viewer, Visit};

/// The query parameters pages understand.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Params {
    pub lang: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
}

/// Reads the visit and requires a signed-in viewer; otherwise the answer is the way to
/// the sign-in form (or an error page).
pub(crate) async fn signed_in(
    state: &WebState,
    headers: &HeaderMap,
    params: &Params,
) -> Result<(Visit, Viewer), Response> {
    let visit = Visit::read(state, headers, params.lang.as_deref())
        .await
        .map_err(|error| failed(&error, Lang::Es))?;
    match visit.viewer.clone() {
        Some(viewer) => Ok((visit, viewer)),
        None => Err(Redirect::to("/app/login").into_response()),
    }
}

/// A page that does not exist, or that the viewer may not know exists.
pub(crate) fn not_found(visit: &Visit) -> Response {
    let lang = visit.lang;
    notice(
        visit,
        lang.word(Label::NotFound),
        lang.word(Note::NotFound),
        ("not-found", StatusCode::NOT_FOUND),
    )
}

/// A page the viewer's role may not see.
pub(crate) fn denied(visit: &Visit) -> Response {
    let lang = visit.lang;
    notice(
        visit,
        lang.word(Label::NoAccess),
        lang.word(Note::NoAccess),
        ("denied", StatusCode::FORBIDDEN),
    )
}

/// A short page saying why there is nothing to show, with the way back.
fn notice(
    visit: &Visit,
    title: &str,
    text: &str,
    (heading_id, status): (&'static str, StatusCode),
) -> Response {
    let body = html! {
        p { (text) }
        p { a href="/app" { (visit.lang.word(Label::BackToOverview)) } }
    };
    Page::new(title, body)
        .with_heading_id(heading_id)
        .with_status(status)
        .respond(visit)
}

/// The page titled `title` around `body`, ending with the GraphQL `query` that returns
/// its data; or the failure that kept it from being built.
pub(crate) fn render(
    visit: &Visit,
    title: impl Into<String>,
    query: &str,
    body: Result<Markup, cmnp_store::StoreError>,
) -> Response {
    match body {
        Ok(body) => Page::new(title, body).with_graphql(query).respond(visit),
        Err(error) => failed(&error, visit.lang),
    }
}

/// A failure of the service: logged in full, shown without detail.
pub(crate) fn failed(error: &dyn std::fmt::Display, lang: Lang) -> Response {
    tracing::error!(%error, "a status page failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [("content-type", "text/plain; charset=utf-8")],
        lang.word(Note::PageFailed).to_owned(),
    )
        .into_response()
}
