//! The pages, one module each, and what they share: the query parameters, the sign-in
//! requirement, and the answers for missing, forbidden and failed pages.

pub(crate) mod agency;
mod items;
pub(crate) mod login;
pub(crate) mod meeting;
pub(crate) mod overview;
pub(crate) mod project;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
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
    Page::new(
        lang.t("No encontrado", "Not found"),
        format!(
            "<p>{}</p><p><a href=\"/app\">{}</a></p>",
            lang.t(
                "Esta página no existe o no está a su alcance.",
                "This page does not exist or is not within your reach."
            ),
            lang.t("Volver al resumen", "Back to the overview")
        ),
    )
    .with_heading_id("not-found")
    .with_status(StatusCode::NOT_FOUND)
    .respond(visit)
}

/// A page the viewer's role may not see.
pub(crate) fn denied(visit: &Visit) -> Response {
    let lang = visit.lang;
    Page::new(
        lang.t("Sin acceso", "No access"),
        format!(
            "<p>{}</p><p><a href=\"/app\">{}</a></p>",
            lang.t(
                "Su cuenta no da acceso a esta página.",
                "Your account does not give access to this page."
            ),
            lang.t("Volver al resumen", "Back to the overview")
        ),
    )
    .with_heading_id("denied")
    .with_status(StatusCode::FORBIDDEN)
    .respond(visit)
}

/// A failure of the service: logged in full, shown without detail.
pub(crate) fn failed(error: &dyn std::fmt::Display, lang: Lang) -> Response {
    tracing::error!(%error, "a status page failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [("content-type", "text/plain; charset=utf-8")],
        lang.t(
            "El servicio no pudo mostrar esta página. Inténtelo de nuevo más tarde.",
            "The service could not show this page. Please try again later.",
        )
        .to_owned(),
    )
        .into_response()
}
