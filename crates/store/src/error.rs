use cmnp_domain::ValidationError;
use cmnp_domain::policy::Refusal;
use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The input breaks a rule, including uniqueness rules the database enforces.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The object addressed by id does not exist.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Sign-in failed: unknown e-mail, wrong password, or an inactive user. Which one is
    /// deliberately not said.
    #[error("invalid e-mail or password")]
    BadCredentials,
    /// Too many failed sign-ins for this address lately: the attempt is not heard.
    #[error("too many failed sign-ins for this address; try again in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    /// The domain refused the change to this actor (`policy::Refusal::Forbidden`). Only
    /// the conversion from a [`Refusal`] makes it: the store decides no permission itself.
    #[error("{0}")]
    Refused(String),
    /// The object changed since the client read it.
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    /// A stored value that this version of cmnp cannot read, or a failure outside the
    /// database (hashing, a panicked blocking task).
    #[error("{0}")]
    Internal(String),
}

impl From<Refusal> for StoreError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Forbidden(message) => StoreError::Refused(message),
            Refusal::Invalid(error) => StoreError::Invalid(error),
        }
    }
}

impl StoreError {
    /// Refuses a change sent against `expected`, a version of the `what` that is no longer
    /// its current `version`; a change sent with no expected version is not checked.
    pub(crate) fn unless_stale(
        what: &str,
        version: i32,
        expected: Option<i32>,
    ) -> Result<(), StoreError> {
        match expected {
            Some(expected) if expected != version => Err(StoreError::Conflict(format!(
                "the {what} changed since you read it (you sent version {expected}; it is at version {version}): read it again and reapply your change"
            ))),
            _ => Ok(()),
        }
    }

    /// Turns a unique-constraint violation into a validation error on `field`, on SQLite
    /// and PostgreSQL alike; other errors pass through.
    pub(crate) fn unique(error: DbErr, field: &str, message: impl Into<String>) -> Self {
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                StoreError::Invalid(ValidationError::new(field, message))
            }
            _ => StoreError::Database(error),
        }
    }
}

/// Reads an enumerated column; a value this version does not know is an internal error.
pub(crate) fn column<T>(value: &str, column: &str) -> Result<T, StoreError>
where
    T: std::str::FromStr,
{
    value
        .parse()
        .map_err(|_| StoreError::Internal(format!("unreadable value {value:?} in column {column}")))
}
