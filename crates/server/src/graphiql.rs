//! GraphiQL, served by cmnp itself: its page, start script and the npm packages it runs
//! on (graphiql, react and react-dom, pinned in `tests/browser/package.json`) are embedded
//! in the binary, so the explorer works on an office network with no way out. The
//! packages' files are kept gzipped (`assets/graphiql/update.sh` refreshes them) and sent
//! as they are, since every browser takes gzip.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The graphiql package embedded; the browser test checks the files against it.
const GRAPHIQL_VERSION: &str = "3.8.3";
/// The react and react-dom packages embedded.
const REACT_VERSION: &str = "18.3.1";

/// What the page may load: only what this server serves. GraphiQL's editors set inline
/// styles, and its style sheet carries its fonts as `data:` URLs.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; \
     connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE: &str = include_str!("../assets/graphiql/index.html");

enum Content {
    Plain(&'static [u8]),
    /// Gzipped bytes, sent with `Content-Encoding: gzip`.
    Gzip(&'static [u8]),
}

struct Asset {
    name: &'static str,
    content_type: &'static str,
    /// Where the file comes from: a package and its version, or cmnp itself.
    version: &'static str,
    content: Content,
}

const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

const ASSETS: &[Asset] = &[
    Asset {
        name: "graphiql.min.js",
        content_type: JAVASCRIPT,
        version: GRAPHIQL_VERSION,
        content: Content::Gzip(include_bytes!("../assets/graphiql/graphiql.min.js.gz")),
    },
    Asset {
        name: "graphiql.min.css",
        content_type: CSS,
        version: GRAPHIQL_VERSION,
        content: Content::Gzip(include_bytes!("../assets/graphiql/graphiql.min.css.gz")),
    },
    Asset {
        name: "react.production.min.js",
        content_type: JAVASCRIPT,
        version: REACT_VERSION,
        content: Content::Gzip(include_bytes!(
            "../assets/graphiql/react.production.min.js.gz"
        )),
    },
    Asset {
        name: "react-dom.production.min.js",
        content_type: JAVASCRIPT,
        version: REACT_VERSION,
        content: Content::Gzip(include_bytes!(
            "../assets/graphiql/react-dom.production.min.js.gz"
        )),
    },
    Asset {
        name: "start.js",
        content_type: JAVASCRIPT,
        version: env!("CARGO_PKG_VERSION"),
        content: Content::Plain(include_bytes!("../assets/graphiql/start.js")),
    },
    Asset {
        name: "page.css",
        content_type: CSS,
        version: env!("CARGO_PKG_VERSION"),
        content: Content::Plain(include_bytes!("../assets/graphiql/page.css")),
    },
];

/// The GraphiQL page, for browsers that open `/graphql`.
pub(crate) fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::X_FRAME_OPTIONS, "DENY"),
            (header::REFERRER_POLICY, "same-origin"),
        ],
        PAGE,
    )
        .into_response()
}

/// `GET /graphiql/{file}`: one of the page's files. They change only with the binary, so
/// a browser keeps them and asks again with their `ETag`, which costs a `304`.
pub(crate) async fn asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(asset) = ASSETS.iter().find(|asset| asset.name == file) else {
        return (StatusCode::NOT_FOUND, "no such file").into_response();
    };
    let etag = format!("\"{}-{}\"", asset.name, asset.version);
    let mut response = if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match asset.content {
            Content::Plain(bytes) => bytes.into_response(),
            Content::Gzip(bytes) if accepts_gzip(&headers) => {
                ([(header::CONTENT_ENCODING, "gzip")], bytes).into_response()
            }
            Content::Gzip(_) => {
                return (
                    StatusCode::NOT_ACCEPTABLE,
                    "this file is served gzipped: send Accept-Encoding: gzip",
                )
                    .into_response();
            }
        }
    };
    let response_headers = response.headers_mut();
    response_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response_headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response_headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        response_headers.insert(header::ETAG, etag);
    }
    response
}

/// Whether the request's `Accept-Encoding` lets gzip through. Without the header any
/// coding is acceptable (RFC 9110, 12.5.3); with it, gzip must be named or matched by
/// `*`, and not refused with `q=0`.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT_ENCODING) else {
        return true;
    };
    let accept = accept.to_str().unwrap_or_default().to_ascii_lowercase();
    let quality = |coding: &str| {
        accept.split(',').find_map(|entry| {
            let mut parts = entry.split(';').map(str::trim);
            (parts.next() == Some(coding)).then(|| {
                parts
                    .find_map(|parameter| parameter.strip_prefix("q="))
                    .map_or(1.0, |q| q.trim().parse::<f32>().unwrap_or(0.0))
            })
        })
    };
    quality("gzip")
        .or_else(|| quality("x-gzip"))
        .or_else(|| quality("*"))
        .is_some_and(|q| q > 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        accepts_gzip(&headers)
    }

    #[test]
    fn gzip_is_taken_unless_refused() {
        assert!(accepts_gzip(&HeaderMap::new()));
        assert!(accepting("gzip, deflate, br"));
        assert!(accepting("br;q=1.0, gzip;q=0.8"));
        assert!(accepting("*"));
        assert!(!accepting("identity"));
        assert!(!accepting("gzip;q=0"));
        assert!(!accepting("gzip;q=0.000, *"));
        assert!(accepting("gzip;q=0.5"));
    }

    #[test]
    fn every_file_the_page_names_is_served() {
        let named: Vec<&str> = PAGE
            .match_indices("\"/graphiql/")
            .filter_map(|(at, prefix)| PAGE.get(at + prefix.len()..))
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert_eq!(named.len(), 6, "{named:?}");
        for name in named {
            assert!(
                ASSETS.iter().any(|asset| asset.name == name),
                "{name} is not embedded"
            );
        }
    }
}
