//! HTML building blocks: the page layout with its landmarks, sortable table headers,
//! and responses with the security headers every page carries. Markup is written with
//! maud's `html!`, which escapes every value spliced into it, so no text reaches a page
//! unescaped.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cmnp_domain::words::{Label, Note};
use maud::{DOCTYPE, Markup, html};

use crate::i18n::Lang;
use crate::session::Visit;

/// A page's content, before the layout wraps it.
pub(crate) struct Page {
    pub status: StatusCode,
    pub title: String,
    pub body: Markup,
    /// The GraphQL query that returns the page's data, for client developers.
    pub graphql: Option<String>,
    /// An id for the page's heading, where tests and tools look for it.
    pub heading_id: Option<&'static str>,
}

impl Page {
    pub(crate) fn new(title: impl Into<String>, body: Markup) -> Self {
        Self {
            status: StatusCode::OK,
            title: title.into(),
            body,
            graphql: None,
            heading_id: None,
        }
    }

    pub(crate) fn with_heading_id(mut self, id: &'static str) -> Self {
        self.heading_id = Some(id);
        self
    }

    pub(crate) fn with_graphql(mut self, query: &str) -> Self {
        self.graphql = Some(query.to_owned());
        self
    }

    pub(crate) fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// [`Page::respond`] for a page whose address holds a secret (a password-reset or
    /// an answer link): no link on it may carry the address to another site.
    pub(crate) fn respond_secret(self, visit: &Visit) -> Response {
        let mut response = self.respond(visit);
        response.headers_mut().insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        response
    }

    /// Lays the page out and answers with it.
    pub(crate) fn respond(self, visit: &Visit) -> Response {
        let lang = visit.lang;
        let document = html! {
            (DOCTYPE)
            html lang=(lang.code()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (self.title) " · CMNP-TP-TIM" }
                    link rel="stylesheet" href="/app/static/cmnp.css";
                }
                body {
                    a class="skip" href="#main" { (lang.word(Label::SkipToContent)) }
                    (header_block(visit))
                    main id="main" {
                        h1 id=[self.heading_id] { (self.title) }
                        (self.body)
                        @if let Some(query) = &self.graphql {
                            details class="graphql" {
                                summary { (lang.word(Label::GraphqlQuery)) }
                                p { (lang.word(Note::GraphqlExplained)) }
                                pre { code { (query.trim()) } }
                            }
                        }
                    }
                    footer { p { (cmnp_domain::words::commission_name(lang.language())) } }
                }
            }
        };
        let mut response = (self.status, document.into_string()).into_response();
        let headers = response.headers_mut();
        for (name, value) in SECURITY_HEADERS {
            headers.insert(name.clone(), HeaderValue::from_static(value));
        }
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        for cookie in visit.cookies() {
            headers.append(header::SET_COOKIE, cookie);
        }
        response
    }
}

/// What every HTML response carries: no scripts, styles only from the site, no framing,
/// no sniffing, no caching of private pages.
const SECURITY_HEADERS: &[(header::HeaderName, &str)] = &[
    (
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
    ),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "same-origin"),
    (header::CACHE_CONTROL, "no-store"),
];

fn header_block(visit: &Visit) -> Markup {
    let lang = visit.lang;
    let other = lang.other();
    html! {
        header {
            p class="brand" {
                a href="/app" { "CMNP-TP-TIM" }
                " "
                span { (lang.word(Label::CommissionStatus)) }
            }
            nav aria-label=(lang.word(Label::MainNavigation)) {
                ul {
                    @if let Some(viewer) = &visit.viewer {
                        li { a href="/app" { (lang.word(Label::Overview)) } }
                        // Only agency users are led to their agency's page.
                        @if let Some(acronym) = viewer
                            .actor
                            .focal_agency()
                            .and(viewer.agency_acronym.as_ref())
                        {
                            li {
                                a href=(format!("/app/agencies/{acronym}")) {
                                    (lang.word(Label::MyAgency))
                                }
                            }
                        }
                    }
                    li {
                        a href=(format!("?lang={}", other.code())) lang=(other.code())
                            hreflang=(other.code()) { (other.name()) }
                    }
                }
            }
            @if let Some(viewer) = &visit.viewer {
                form class="session" method="post" action="/app/logout" {
                    input type="hidden" name="csrf" value=(visit.csrf);
                    span { (viewer.user.name) }
                    " "
                    button id="sign-out" type="submit" { (lang.word(Label::SignOut)) }
                }
            }
        }
    }
}

/// Sort parameters of a table: a column key and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sort<'a> {
    pub key: &'a str,
    pub descending: bool,
}

impl<'a> Sort<'a> {
    /// Reads `?sort=&dir=`, keeping only known keys.
    pub(crate) fn read(
        key: Option<&'a str>,
        dir: Option<&str>,
        known: &[&'a str],
        default: &'a str,
    ) -> Self {
        let key = key
            .and_then(|k| known.iter().find(|known| **known == k).copied())
            .unwrap_or(default);
        Self {
            key,
            descending: dir == Some("desc"),
        }
    }

    /// A column header that sorts by `key` when followed: ascending first, reversed
    /// when it is the current column.
    pub(crate) fn header(&self, label: &str, key: &str) -> Markup {
        let current = self.key == key;
        let next = if current && !self.descending {
            "desc"
        } else {
            "asc"
        };
        let aria_sort = match (current, self.descending) {
            (false, _) => None,
            (true, false) => Some("ascending"),
            (true, true) => Some("descending"),
        };
        html! {
            th scope="col" aria-sort=[aria_sort] {
                a href=(format!("?sort={key}&dir={next}")) { (label) }
            }
        }
    }
}

/// A section labelled by its heading: `<section id="…" aria-labelledby="…-h">` and
/// `<h2 id="…-h">`, then `content`.
pub(crate) fn section(id: &str, heading: &str, content: &Markup) -> Markup {
    let heading_id = format!("{id}-h");
    html! {
        section id=(id) aria-labelledby=(heading_id) {
            h2 id=(heading_id) { (heading) }
            (content)
        }
    }
}

/// A table's head: one row of column headers.
pub(crate) fn column_heads(labels: &[&str]) -> Markup {
    html! {
        thead {
            tr {
                @for label in labels {
                    th scope="col" { (label) }
                }
            }
        }
    }
}

/// A message that screen readers announce as it appears, such as why a form was refused.
pub(crate) fn alert(id: &str, message: &str) -> Markup {
    html! { p id=(id) class="error" role="alert" { (message) } }
}

/// A link.
pub(crate) fn link(href: &str, text: &str) -> Markup {
    html! { a href=(href) { (text) } }
}

/// Formats a share as "48 %" (Spanish) or "48%" (English).
pub(crate) fn percent(lang: Lang, value: f64) -> String {
    match lang {
        Lang::Es => format!("{value:.0} %"),
        Lang::En => format!("{value:.0}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sortable_headers_reverse_the_current_column() {
        let sort = Sort::read(Some("due"), Some("asc"), &["due", "status"], "status");
        let due = sort.header("Vence", "due").into_string();
        assert!(due.contains("dir=desc"));
        assert!(due.contains("aria-sort=\"ascending\""));
        assert!(
            !sort
                .header("Estado", "status")
                .into_string()
                .contains("aria-sort")
        );
        assert!(
            sort.header("Estado", "status")
                .into_string()
                .contains("dir=asc")
        );
        let unknown = Sort::read(Some("x"), None, &["due"], "due");
        assert_eq!(unknown.key, "due");
    }

    #[test]
    fn links_and_alerts_escape_what_they_are_given() {
        assert_eq!(
            link("/app/agencies/A\"B", "<b>A&B</b>").into_string(),
            "<a href=\"/app/agencies/A&quot;B\">&lt;b&gt;A&amp;B&lt;/b&gt;</a>"
        );
        assert_eq!(
            alert("e", "<script>").into_string(),
            "<p id=\"e\" class=\"error\" role=\"alert\">&lt;script&gt;</p>"
        );
    }
}
