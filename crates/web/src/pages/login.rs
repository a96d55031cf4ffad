//! Signing in and out with the same accounts as the API: the form issues a session token
//! (as `login` does) into an `HttpOnly`, `SameSite=Strict` cookie; signing out revokes it.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cmnp_domain::user::Surface;
use cmnp_domain::words::{self, Label, Note};
use cmnp_store::StoreError;
use maud::html;
use serde::Deserialize;

use super::{Params, failed};
use crate::WebState;
use crate::html::{Page, alert};
use crate::session::{CSRF, SESSION, Visit, set_cookie};

#[derive(Deserialize)]
pub(crate) struct SignIn {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

#[derive(Deserialize)]
pub(crate) struct SignOut {
    #[serde(default)]
    csrf: String,
}

pub(crate) async fn form(
    State(state): State<WebState>,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Response {
    let visit = match Visit::read(&state, &headers, params.lang.as_deref()).await {
        Ok(visit) => visit,
        Err(error) => return failed(&error, crate::i18n::Lang::Es),
    };
    if visit.viewer.is_some() {
        return Redirect::to("/app").into_response();
    }
    page(&visit, "", None).respond(&visit)
}

pub(crate) async fn sign_in(
    State(state): State<WebState>,
    headers: HeaderMap,
    Form(input): Form<SignIn>,
) -> Response {
    let visit = match Visit::read(&state, &headers, None).await {
        Ok(visit) => visit,
        Err(error) => return failed(&error, crate::i18n::Lang::Es),
    };
    let lang = visit.lang;
    if !visit.form_is_genuine(&headers, &input.csrf) {
        let message = lang.word(Note::FormExpired);
        return page(&visit, &input.email, Some(message))
            .with_status(StatusCode::FORBIDDEN)
            .respond(&visit);
    }
    match state
        .store
        .login(
            &input.email,
            input.password,
            state.session_lifetime,
            Surface::Pages,
        )
        .await
    {
        Ok((issued, user)) => {
            tracing::info!(user = %user.email, "signed in to the status pages");
            let mut response = Redirect::to("/app").into_response();
            let cookies = [
                set_cookie(
                    SESSION,
                    &issued.secret,
                    Some(state.session_lifetime.num_seconds()),
                    state.secure_cookies,
                ),
                // A fresh CSRF token for the signed-in session.
                set_cookie(
                    CSRF,
                    &uuid::Uuid::new_v4().simple().to_string(),
                    None,
                    state.secure_cookies,
                ),
            ];
            for cookie in cookies.into_iter().flatten() {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(StoreError::BadCredentials) => {
            let message = lang.word(Note::BadCredentials);
            page(&visit, &input.email, Some(message))
                .with_status(StatusCode::UNAUTHORIZED)
                .respond(&visit)
        }
        Err(StoreError::TooManyAttempts { retry_after_secs }) => {
            let message = words::too_many_attempts(lang.language(), retry_after_secs);
            let mut response = page(&visit, &input.email, Some(&message))
                .with_status(StatusCode::TOO_MANY_REQUESTS)
                .respond(&visit);
            if let Ok(value) = retry_after_secs.to_string().parse() {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Err(error) => failed(&error, lang),
    }
}

pub(crate) async fn sign_out(
    State(state): State<WebState>,
    headers: HeaderMap,
    Form(input): Form<SignOut>,
) -> Response {
    let visit = match Visit::read(&state, &headers, None).await {
        Ok(visit) => visit,
        Err(error) => return failed(&error, crate::i18n::Lang::Es),
    };
    if !visit.form_is_genuine(&headers, &input.csrf) {
        return super::denied(&visit);
    }
    if let Some(viewer) = &visit.viewer
        && let Err(error) = state
            .store
            .revoke_token(Some(&viewer.actor), viewer.token_id)
            .await
    {
        return failed(&error, visit.lang);
    }
    let mut response = Redirect::to("/app/login").into_response();
    if let Some(cookie) = set_cookie(SESSION, "", Some(0), state.secure_cookies) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The sign-in form, with the e-mail kept and the error shown when there is one.
fn page(visit: &Visit, email: &str, error: Option<&str>) -> Page {
    let lang = visit.lang;
    let body = html! {
        p { (lang.word(Note::SignInIntro)) }
        @if let Some(message) = error {
            (alert("sign-in-error", message))
        }
        form class="sign-in" method="post" action="/app/login" {
            input type="hidden" name="csrf" value=(visit.csrf);
            p {
                label for="email" { (lang.word(Label::Email)) }
                input id="email" name="email" type="email" autocomplete="username" required
                    value=(email.trim());
            }
            p {
                label for="password" { (lang.word(Label::Password)) }
                input id="password" name="password" type="password"
                    autocomplete="current-password" required;
            }
            p { button id="sign-in" type="submit" { (lang.word(Label::Enter)) } }
        }
    };
    Page::new(lang.word(Label::SignIn), body)
}
