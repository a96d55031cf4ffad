//! Relay connections: `first`/`after` validated, opaque cursors, `totalCount` counted
//! only when the query selects it.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, OutputType, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cmnp_store::{Page, PageRequest};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

pub const DEFAULT_PAGE: i32 = 20;
pub const MAX_PAGE: i32 = 100;

/// The extra field every connection has.
#[derive(SimpleObject)]
pub struct Totals {
    /// How many nodes match the filter, across all pages.
    pub total_count: u64,
}

pub type Conn<T> = Connection<String, T, Totals>;

/// A list's sort key, carried in its cursors.
pub trait CursorKey: Sized {
    fn encode(&self) -> String;
    fn decode(text: &str) -> Option<Self>;
}

impl CursorKey for String {
    fn encode(&self) -> String {
        self.clone()
    }

    fn decode(text: &str) -> Option<Self> {
        Some(text.to_owned())
    }
}

impl CursorKey for Uuid {
    fn encode(&self) -> String {
        self.to_string()
    }

    fn decode(text: &str) -> Option<Self> {
        Uuid::parse_str(text).ok()
    }
}

impl CursorKey for (chrono::DateTime<chrono::Utc>, Uuid) {
    fn encode(&self) -> String {
        format!("{}|{}", self.0.to_rfc3339(), self.1)
    }

    fn decode(text: &str) -> Option<Self> {
        let (at, id) = text.split_once('|')?;
        Some((
            chrono::DateTime::parse_from_rfc3339(at).ok()?.to_utc(),
            Uuid::parse_str(id).ok()?,
        ))
    }
}

impl CursorKey for (chrono::NaiveDate, Uuid) {
    fn encode(&self) -> String {
        format!("{}|{}", self.0, self.1)
    }

    fn decode(text: &str) -> Option<Self> {
        let (date, id) = text.split_once('|')?;
        Some((date.parse().ok()?, Uuid::parse_str(id).ok()?))
    }
}

const CURSOR_VERSION: &str = "v1:";

fn encode_cursor<K: CursorKey>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_VERSION}{}", key.encode()))
}

fn decode_cursor<K: CursorKey>(cursor: &str) -> ApiResult<K> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix(CURSOR_VERSION).and_then(K::decode))
        .ok_or_else(|| ApiError::bad_input("after", "not a cursor returned by this list"))
}

/// Validates `first` and `after` into a page request.
pub fn page_request<K: CursorKey>(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<&str>,
) -> ApiResult<PageRequest<K>> {
    let first = first.unwrap_or(DEFAULT_PAGE);
    if !(0..=MAX_PAGE).contains(&first) {
        return Err(ApiError::bad_input(
            "first",
            format!("must be between 0 and {MAX_PAGE} (got {first})"),
        ));
    }
    Ok(PageRequest {
        first: u64::try_from(first).unwrap_or_default(),
        after: after.map(decode_cursor).transpose()?,
        with_total: ctx.look_ahead().field("totalCount").exists(),
    })
}

/// Builds a connection from a page, with each node's cursor taken from `key`.
pub fn connection<T, N, K>(
    page: Page<T>,
    key: impl Fn(&T) -> K,
    mut node: impl FnMut(T) -> ApiResult<N>,
) -> ApiResult<Conn<N>>
where
    N: OutputType,
    K: CursorKey,
{
    let mut conn = Connection::with_additional_fields(
        false,
        page.has_next_page,
        Totals {
            total_count: page.total_count.unwrap_or_default(),
        },
    );
    for item in page.items {
        let cursor = encode_cursor(&key(&item));
        conn.edges.push(Edge::new(cursor, node(item)?));
    }
    Ok(conn)
}

/// The complexity of a connection field: its page size times what each node costs.
pub fn complexity(first: Option<i32>, child_complexity: usize) -> usize {
    let first = usize::try_from(first.unwrap_or(DEFAULT_PAGE).clamp(0, MAX_PAGE)).unwrap_or(0);
    first.max(1) * child_complexity + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_tampering_is_bad_input() {
        let id = Uuid::now_v7();
        assert_eq!(decode_cursor::<Uuid>(&encode_cursor(&id)).unwrap(), id);
        let pair = (chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(), id);
        assert_eq!(
            decode_cursor::<(chrono::NaiveDate, Uuid)>(&encode_cursor(&pair)).unwrap(),
            pair
        );
        let acronym = "MIMP".to_owned();
        assert_eq!(
            decode_cursor::<String>(&encode_cursor(&acronym)).unwrap(),
            acronym
        );
        for tampered in [
            "",
            "!!",
            &URL_SAFE_NO_PAD.encode("v2:MIMP"),
            &URL_SAFE_NO_PAD.encode("v1:zz"),
        ] {
            let error = decode_cursor::<Uuid>(tampered).unwrap_err();
            assert_eq!(error.code(), "BAD_USER_INPUT");
        }
    }

    #[test]
    fn complexity_grows_with_page_size() {
        assert_eq!(complexity(Some(10), 3), 31);
        assert_eq!(complexity(None, 1), 21);
        assert_eq!(complexity(Some(5000), 1), 101);
    }
}
