//! Bodies over the size limit. Refusing one is easy; making sure the client hears the
//! `413` is not: a client that writes its whole body before reading (Python's
//! `http.client`, most scripts) finds the connection reset if the server answers and
//! closes while the rest of the body is still arriving, and never reads the answer. So
//! the rest is read and thrown away first, up to a bound in size and time.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

/// At most this much of an oversized body is read and thrown away before the answer...
const DISCARD_AT_MOST: usize = 64 * 1024 * 1024;
/// ...for at most this long. Past either bound the answer goes out anyway, with the
/// connection closed after it.
const DISCARD_FOR: Duration = Duration::from_secs(10);

/// A body that could not be taken.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Larger than the limit; `drained` says whether the rest was read to its end.
    TooLarge { drained: bool },
    /// The client stopped sending or sent a broken body.
    Unreadable,
}

/// Reads `body` up to `limit` bytes. A body over the limit, declared or discovered as it
/// arrives, is drained (within the bounds above) before it is refused, except when the
/// client waits with `Expect: 100-continue` and has sent nothing yet.
pub(crate) async fn read(
    headers: &HeaderMap,
    mut body: Body,
    limit: usize,
) -> Result<Bytes, Refused> {
    let declared = declared_length(headers);
    if declared.is_some_and(|length| length > limit) {
        return Err(refuse(headers, body).await);
    }
    let mut read = Vec::with_capacity(declared.unwrap_or_default());
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return Err(Refused::Unreadable);
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        if read.len() + data.len() > limit {
            return Err(Refused::TooLarge {
                drained: discard(body).await,
            });
        }
        read.extend_from_slice(&data);
    }
    Ok(read.into())
}

/// Refuses a body declared over the limit with a `413` on the routes whose handlers read
/// their bodies through axum's extractors (the pages' forms), draining it first.
pub(crate) async fn refuse_declared(
    State(limit): State<usize>,
    request: Request,
    next: Next,
) -> Response {
    if declared_length(request.headers()).is_none_or(|length| length <= limit) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let refused = refuse(&parts.headers, body).await;
    let mut response = (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("the request body is larger than {limit} bytes\n"),
    )
        .into_response();
    close_unless_drained(&refused, &mut response);
    response
}

/// Adds `Connection: close` to a refusal whose body was not read to its end, so that the
/// client does not send its next request on a connection still full of the last one.
pub(crate) fn close_unless_drained(refused: &Refused, response: &mut Response) {
    if matches!(refused, Refused::TooLarge { drained: false }) {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
}

fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
}

async fn refuse(headers: &HeaderMap, body: Body) -> Refused {
    // A client waiting for `100 Continue` sends its body only once the server starts
    // reading it: answering at once spares both sides the upload.
    let waits_to_send = headers
        .get(header::EXPECT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
    let drained = !waits_to_send && discard(body).await;
    Refused::TooLarge { drained }
}

/// Reads what is left of `body` and throws it away; whether it ended within the bounds.
async fn discard(mut body: Body) -> bool {
    let drain = async {
        let mut seen = 0_usize;
        while let Some(frame) = body.frame().await {
            let Ok(frame) = frame else {
                return false;
            };
            seen += frame.data_ref().map_or(0, Bytes::len);
            if seen > DISCARD_AT_MOST {
                return false;
            }
        }
        true
    };
    tokio::time::timeout(DISCARD_FOR, drain)
        .await
        .unwrap_or(false)
}
