//! Scalars of the contract that async-graphql does not name as we do.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// A calendar date, `YYYY-MM-DD` (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A calendar date in ISO 8601 form, `YYYY-MM-DD`.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| {
                    InputValueError::custom(format!("{text:?} is not a date (YYYY-MM-DD)"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Date(date)
    }
}

/// An exact decimal number, written as a string ("125000.50") so that no client or
/// JSON library turns it into a float; a JSON number is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal(pub rust_decimal::Decimal);

/// An exact decimal number as a string, such as "125000.50".
#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => text
                .trim()
                .parse::<rust_decimal::Decimal>()
                .map(Decimal)
                .map_err(|_| InputValueError::custom(format!("{text:?} is not a decimal number"))),
            Value::Number(_) => Err(InputValueError::custom(
                "write decimal numbers as strings (\"125000.50\"): JSON numbers lose precision",
            )),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

/// The marker async-graphql's multipart reader puts where a request's variables name a
/// file: this prefix and the file's index among the request's files.
const FILE_MARKER: &str = "#__graphql_file__:";

/// A file sent with the request, under the GraphQL multipart request specification. It
/// stands in for async-graphql's own `Upload`, which trusts the marker and panics on one
/// a client forged (in JSON variables or the document): this one refuses any marker that
/// is not an index, and [`Upload::content`] any index the request carries no file for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upload(usize);

/// A file sent as a part of a `multipart/form-data` request (the GraphQL multipart
/// request specification); `null` in the operations, mapped to the part.
#[Scalar(
    name = "Upload",
    specified_by_url = "https://github.com/jaydenseric/graphql-multipart-request-spec"
)]
impl ScalarType for Upload {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => text
                .strip_prefix(FILE_MARKER)
                .and_then(|index| index.parse().ok())
                .map(Upload)
                .ok_or_else(|| {
                    InputValueError::custom(
                        "send the file as a part of a multipart/form-data request",
                    )
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::Null
    }
}

impl Upload {
    /// The file's name as the client gave it and its bytes; `None` when the request
    /// carries no file at this index.
    pub fn content<'a>(
        &self,
        ctx: &'a async_graphql::Context<'_>,
    ) -> Option<&'a async_graphql::UploadValue> {
        ctx.query_env.uploads.get(self.0)
    }
}
