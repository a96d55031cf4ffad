//! Who is looking: the session cookie set by the sign-in form (a page session, which
//! opens the pages and nothing else), the language, and the CSRF token that every form
//! carries.
//!
//! Cookies are `HttpOnly` and `SameSite=Strict`; forms also carry a token that must
//! equal the `cmnp_csrf` cookie (double submit), and a cross-site `Origin` is refused.

use std::fmt::Write as _;

use axum::http::{HeaderMap, HeaderValue, header};
use cmnp_domain::policy::Actor;
use cmnp_domain::user::{Surface, User};
use cmnp_store::actor_of;
use uuid::Uuid;

use crate::WebState;
use crate::i18n::Lang;

pub(crate) const SESSION: &str = "cmnp_session";
pub(crate) const CSRF: &str = "cmnp_csrf";
pub(crate) const LANGUAGE: &str = "cmnp_lang";

/// A signed-in viewer.
#[derive(Clone)]
pub(crate) struct Viewer {
    pub user: User,
    pub actor: Actor,
    pub token_id: Uuid,
    /// The acronym of an agency user's agency, for links to its page.
    pub agency_acronym: Option<String>,
}

/// What every request brings: the viewer (if signed in), the language and the CSRF token.
pub(crate) struct Visit {
    pub viewer: Option<Viewer>,
    pub lang: Lang,
    /// Set when the language came from the query and should be remembered.
    pub remember_lang: bool,
    pub csrf: String,
    /// Set when the CSRF cookie has to be issued.
    pub new_csrf: bool,
    pub secure: bool,
}

impl Visit {
    /// Reads the cookies and `?lang=`; a session that no longer authenticates counts as
    /// signed out.
    pub(crate) async fn read(
        state: &WebState,
        headers: &HeaderMap,
        lang_param: Option<&str>,
    ) -> Result<Self, cmnp_store::StoreError> {
        let from_query = lang_param.and_then(Lang::parse);
        let lang = from_query
            .or_else(|| cookie(headers, LANGUAGE).and_then(Lang::parse))
            .unwrap_or_else(|| accept_language(headers));
        let found = match cookie(headers, SESSION) {
            Some(secret) => state.store.authenticate_for(secret, Surface::Pages).await?,
            None => None,
        };
        let viewer = match found {
            Some(found) => {
                // Only agency users are shown their agency's page and commitments.
                let actor = actor_of(&found.user);
                let agency_acronym = match actor.focal_agency() {
                    Some(id) => state.store.agency(id).await?.map(|a| a.acronym),
                    None => None,
                };
                Some(Viewer {
                    actor,
                    token_id: found.token.id,
                    user: found.user,
                    agency_acronym,
                })
            }
            None => None,
        };
        let existing = cookie(headers, CSRF).filter(|token| token.len() == 32);
        Ok(Self {
            viewer,
            lang,
            remember_lang: from_query.is_some(),
            csrf: existing.map_or_else(|| Uuid::new_v4().simple().to_string(), str::to_owned),
            new_csrf: existing.is_none(),
            secure: state.secure_cookies,
        })
    }

    /// The cookies this response should set.
    pub(crate) fn cookies(&self) -> Vec<HeaderValue> {
        let mut cookies = Vec::new();
        if self.new_csrf {
            cookies.extend(set_cookie(CSRF, &self.csrf, None, self.secure));
        }
        if self.remember_lang {
            cookies.extend(set_cookie(
                LANGUAGE,
                self.lang.code(),
                Some(365 * 24 * 3600),
                self.secure,
            ));
        }
        cookies
    }

    /// Whether a submitted form is genuine: its token matches the cookie, and a browser
    /// that names the form's origin names this site.
    pub(crate) fn form_is_genuine(&self, headers: &HeaderMap, submitted: &str) -> bool {
        let same_origin = match (
            headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
            headers.get(header::HOST).and_then(|v| v.to_str().ok()),
        ) {
            (Some(origin), Some(host)) => origin
                .split_once("://")
                .is_some_and(|(_, authority)| authority == host),
            (Some(_), None) => false,
            (None, _) => true,
        };
        !self.new_csrf && same_origin && constant_time_eq(submitted, &self.csrf)
    }
}

/// The actor of the pages session cookie in `headers`, when it authenticates.
pub(crate) async fn page_reader(
    store: &cmnp_store::Store,
    headers: &HeaderMap,
) -> Result<Option<Actor>, cmnp_store::StoreError> {
    Ok(match cookie(headers, SESSION) {
        Some(secret) => store
            .authenticate_for(secret, Surface::Pages)
            .await?
            .map(|found| actor_of(&found.user)),
        None => None,
    })
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Strict`, for the whole site; `max_age`
/// zero removes the cookie, `None` keeps it for the browser session.
pub(crate) fn set_cookie(
    name: &str,
    value: &str,
    max_age: Option<i64>,
    secure: bool,
) -> Option<HeaderValue> {
    let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(seconds) = max_age {
        let _ = write!(text, "; Max-Age={seconds}");
    }
    if secure {
        text.push_str("; Secure");
    }
    HeaderValue::from_str(&text).ok()
}

/// The value of cookie `name`.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// English when the browser prefers it, Spanish otherwise.
fn accept_language(headers: &HeaderMap) -> Lang {
    let preferred = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if preferred.starts_with("en") {
        Lang::En
    } else {
        Lang::Es
    }
}

/// Compares without stopping at the first difference, so timing tells nothing.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0_u8, |diff, (x, y)| diff | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    #[test]
    fn cookies_and_languages_are_read() {
        let h = headers(&[
            ("cookie", "a=1; cmnp_lang=en"),
            ("cookie", "cmnp_csrf=x"),
            ("accept-language", "en-GB,es;q=0.5"),
        ]);
        assert_eq!(cookie(&h, LANGUAGE), Some("en"));
        assert_eq!(cookie(&h, CSRF), Some("x"));
        assert_eq!(cookie(&h, SESSION), None);
        assert_eq!(accept_language(&h), Lang::En);
        assert_eq!(accept_language(&HeaderMap::new()), Lang::Es);
    }

    #[test]
    fn cookies_are_http_only_and_strict() {
        let value = set_cookie(SESSION, "cmnp_x", Some(60), true).unwrap();
        let text = value.to_str().unwrap();
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Strict"));
        assert!(text.contains("Max-Age=60") && text.ends_with("Secure"));
        assert!(constant_time_eq("abc", "abc") && !constant_time_eq("abc", "abd"));
    }
}
