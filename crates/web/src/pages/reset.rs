//! Choosing a new password with a reset link: the link's page asks for the new password
//! once the link is known to work, and saving it ends every session of the account (as
//! `resetPassword` does). The secret travels in the query and the form, never in a path
//! the request log records, and the pages tell no other site where they were reached from.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use cmnp_domain::user::Password;
use cmnp_domain::words::{Label, Note};
use cmnp_store::StoreError;
use maud::html;
use serde::Deserialize;

use super::failed;
use crate::WebState;
use crate::html::{Page, alert};
use crate::i18n::Lang;
use crate::session::Visit;

#[derive(Deserialize)]
pub(crate) struct Link {
    #[serde(default)]
    token: String,
    lang: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct NewPassword {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// The link's page: the form for the new password, or why the link no longer works.
pub(crate) async fn form(
    State(state): State<WebState>,
    Query(link): Query<Link>,
    headers: HeaderMap,
) -> Response {
    let visit = match Visit::read(&state, &headers, link.lang.as_deref()).await {
        Ok(visit) => visit,
        Err(error) => return failed(&error, Lang::Es),
    };
    let token = link.token.trim();
    match state.store.reset_link_owner(token).await {
        Ok(owner) => page(&visit, token, &owner.email, None).respond_secret(&visit),
        Err(StoreError::Invalid(_)) => spent(&visit).respond_secret(&visit),
        Err(error) => failed(&error, visit.lang),
    }
}

/// Sets the new password, once.
pub(crate) async fn submit(
    State(state): State<WebState>,
    headers: HeaderMap,
    Form(input): Form<NewPassword>,
) -> Response {
    let visit = match Visit::read(&state, &headers, None).await {
        Ok(visit) => visit,
        Err(error) => return failed(&error, Lang::Es),
    };
    let lang = visit.lang;
    let token = input.token.trim();
    // A refused form is shown again for the link's account, if the link still works; a
    // form that passes goes straight to the reset, which checks the link itself.
    let refused =
        async |note: Note, status: StatusCode| match state.store.reset_link_owner(token).await {
            Ok(owner) => {
                let page = page(&visit, token, &owner.email, Some(lang.word(note)));
                page.with_status(status).respond_secret(&visit)
            }
            Err(StoreError::Invalid(_)) => spent(&visit).respond_secret(&visit),
            Err(error) => failed(&error, lang),
        };
    if !visit.form_is_genuine(&headers, &input.csrf) {
        return refused(Note::FormExpired, StatusCode::FORBIDDEN).await;
    }
    let Ok(password) = Password::parse(input.password) else {
        return refused(Note::PasswordRefused, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match state.store.reset_password(token, password).await {
        Ok(user) => {
            tracing::info!(user = %user.email, "password set with a reset link");
            let body = html! {
                p id="password-changed" { (lang.word(Note::PasswordChanged)) }
                p { a href="/app/login" { (lang.word(Label::SignIn)) } }
            };
            Page::new(lang.word(Label::NewPassword), body).respond_secret(&visit)
        }
        Err(StoreError::Invalid(_)) => spent(&visit).respond_secret(&visit),
        Err(error) => failed(&error, lang),
    }
}

/// A link that was used, replaced, expired, belongs to a closed account or never was.
fn spent(visit: &Visit) -> Page {
    let lang = visit.lang;
    let body = html! {
        (alert("reset-link-invalid", lang.word(Note::ResetLinkInvalid)))
        p { a href="/app/login" { (lang.word(Label::SignIn)) } }
    };
    Page::new(lang.word(Label::ChooseNewPassword), body).with_status(StatusCode::GONE)
}

/// The form for the new password of `email`'s account, with the error shown when there is
/// one.
fn page(visit: &Visit, token: &str, email: &str, error: Option<&str>) -> Page {
    let lang = visit.lang;
    let body = html! {
        p { (lang.word(Note::ResetIntro)) }
        @if let Some(message) = error {
            (alert("reset-error", message))
        }
        form class="sign-in" method="post" action="/app/reset" {
            input type="hidden" name="csrf" value=(visit.csrf);
            input type="hidden" name="token" value=(token);
            p {
                label for="email" { (lang.word(Label::Email)) }
                input id="email" type="email" autocomplete="username" readonly value=(email);
            }
            p {
                label for="password" { (lang.word(Label::NewPassword)) }
                input id="password" name="password" type="password" autocomplete="new-password"
                    minlength=(Password::MIN_CHARS) required;
            }
            p { button id="save-password" type="submit" { (lang.word(Label::SavePassword)) } }
        }
    };
    Page::new(lang.word(Label::ChooseNewPassword), body)
}
