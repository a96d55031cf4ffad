//! HTML building blocks: escaping, the page layout with its landmarks, sortable table
//! headers, and responses with the security headers every page carries.

use std::fmt::Write as _;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cmnp_domain::words::{Label, Note};

use crate::i18n::Lang;
use crate::session::Visit;

pub(crate) use cmnp_domain::text::escape_html as esc;

/// A page's content, before the layout wraps it.
pub(crate) struct Page {
    pub status: StatusCode,
    pub title: String,
    pub body: String,
    /// The GraphQL query that returns the page's data, for client developers.
    pub graphql: Option<String>,
    /// An id for the page's heading, where tests and tools look for it.
    pub heading_id: Option<&'static str>,
}

impl Page {
    pub(crate) fn new(title: impl Into<String>, body: String) -> Self {
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

    /// Lays the page out and answers with it.
    pub(crate) fn respond(self, visit: &Visit) -> Response {
        let lang = visit.lang;
        let mut html = String::with_capacity(self.body.len() + 2_048);
        let _ = write!(
            html,
            "<!doctype html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title} · CMNP-TP-TIM</title>\n\
             <link rel=\"stylesheet\" href=\"/app/static/cmnp.css\">\n</head>\n<body>\n\
             <a class=\"skip\" href=\"#main\">{skip}</a>\n",
            code = lang.code(),
            title = esc(&self.title),
            skip = lang.word(Label::SkipToContent),
        );
        header_block(&mut html, visit);
        let _ = write!(
            html,
            "<main id=\"main\">\n<h1{}>{}</h1>\n{}",
            self.heading_id
                .map(|id| format!(" id=\"{id}\""))
                .unwrap_or_default(),
            esc(&self.title),
            self.body
        );
        if let Some(query) = &self.graphql {
            let _ = write!(
                html,
                "<details class=\"graphql\"><summary>{}</summary>\
                 <p>{}</p><pre><code>{}</code></pre></details>",
                lang.word(Label::GraphqlQuery),
                lang.word(Note::GraphqlExplained),
                esc(query.trim())
            );
        }
        let _ = write!(
            html,
            "</main>\n<footer><p>{}</p></footer>\n</body>\n</html>\n",
            cmnp_domain::words::commission_name(lang.language())
        );
        let mut response = (self.status, html).into_response();
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

fn header_block(html: &mut String, visit: &Visit) {
    let lang = visit.lang;
    let other = lang.other();
    let _ = write!(
        html,
        "<header>\n<p class=\"brand\"><a href=\"/app\">CMNP-TP-TIM</a> <span>{}</span></p>\n\
         <nav aria-label=\"{}\"><ul>",
        lang.word(Label::CommissionStatus),
        lang.word(Label::MainNavigation),
    );
    if let Some(viewer) = &visit.viewer {
        let _ = write!(
            html,
            "<li><a href=\"/app\">{}</a></li>",
            lang.word(Label::Overview)
        );
        if viewer.actor.focal_agency().is_some()
            && let Some(acronym) = &viewer.agency_acronym
        {
            let _ = write!(
                html,
                "<li><a href=\"/app/agencies/{}\">{}</a></li>",
                esc(acronym),
                lang.word(Label::MyAgency)
            );
        }
    }
    let _ = write!(
        html,
        "<li><a href=\"?lang={code}\" lang=\"{code}\" hreflang=\"{code}\">{name}</a></li></ul></nav>",
        code = other.code(),
        name = other.name()
    );
    if let Some(viewer) = &visit.viewer {
        let _ = write!(
            html,
            "<form class=\"session\" method=\"post\" action=\"/app/logout\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
             <span>{name}</span> <button id=\"sign-out\" type=\"submit\">{label}</button></form>",
            csrf = esc(&visit.csrf),
            name = esc(&viewer.user.name),
            label = lang.word(Label::SignOut),
        );
    }
    html.push_str("</header>\n");
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
    pub(crate) fn header(&self, label: &str, key: &str) -> String {
        let current = self.key == key;
        let next = if current && !self.descending {
            "desc"
        } else {
            "asc"
        };
        let aria = match (current, self.descending) {
            (false, _) => String::new(),
            (true, false) => " aria-sort=\"ascending\"".to_owned(),
            (true, true) => " aria-sort=\"descending\"".to_owned(),
        };
        format!(
            "<th scope=\"col\"{aria}><a href=\"?sort={key}&amp;dir={next}\">{}</a></th>",
            esc(label)
        )
    }
}

/// Opens a section labelled by its heading: `<section id="…" aria-labelledby="…-h">` and
/// `<h2 id="…-h">`; the caller closes it.
pub(crate) fn section(html: &mut String, id: &str, heading: &str) {
    let _ = write!(
        html,
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\"><h2 id=\"{id}-h\">{}</h2>",
        esc(heading)
    );
}

/// A link, escaped.
/// A message that screen readers announce as it appears, such as why a form was refused.
pub(crate) fn alert(id: &str, message: &str) -> String {
    format!(
        "<p id=\"{id}\" class=\"error\" role=\"alert\">{}</p>",
        esc(message)
    )
}

pub(crate) fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", esc(href), esc(text))
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
        assert!(sort.header("Vence", "due").contains("dir=desc"));
        assert!(
            sort.header("Vence", "due")
                .contains("aria-sort=\"ascending\"")
        );
        assert!(sort.header("Estado", "status").contains("dir=asc"));
        let unknown = Sort::read(Some("x"), None, &["due"], "due");
        assert_eq!(unknown.key, "due");
    }
}
