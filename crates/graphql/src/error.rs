//! The API's one error type. Every resolver returns it, and it alone decides what a client
//! sees: a message and a machine-readable `extensions.code` (plus `extensions.field` for
//! bad input). Internal failures are logged in full and reported only as `INTERNAL`.

use async_graphql::ErrorExtensions;
use cmnp_domain::ValidationError;
use cmnp_domain::policy::Refusal;
use cmnp_store::StoreError;

pub type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    Unauthenticated(String),
    Forbidden(String),
    NotFound(String),
    BadUserInput {
        field: String,
        message: String,
    },
    Conflict(String),
    /// Too many attempts lately; the client may try again after this many seconds.
    RateLimited {
        message: String,
        retry_after_secs: u64,
    },
    /// A limit of the connection was reached (subscriptions per connection).
    LimitExceeded(String),
    /// The operation cannot go on now; the client may start it again.
    Unavailable(String),
    /// Details stay in the server log.
    Internal,
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::BadUserInput { .. } => "BAD_USER_INPUT",
            ApiError::Conflict(_) => "CONFLICT",
            ApiError::RateLimited { .. } => "RATE_LIMITED",
            ApiError::LimitExceeded(_) => "LIMIT_EXCEEDED",
            ApiError::Unavailable(_) => "UNAVAILABLE",
            ApiError::Internal => "INTERNAL",
        }
    }

    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::BadUserInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn forbidden() -> Self {
        ApiError::Forbidden("you are not allowed to do this".into())
    }

    fn message(&self) -> String {
        match self {
            ApiError::Unauthenticated(message)
            | ApiError::Forbidden(message)
            | ApiError::NotFound(message)
            | ApiError::Conflict(message)
            | ApiError::LimitExceeded(message)
            | ApiError::Unavailable(message)
            | ApiError::RateLimited { message, .. } => message.clone(),
            ApiError::BadUserInput { field, message } => format!("{field}: {message}"),
            ApiError::Internal => "internal error; the server log has the details".into(),
        }
    }

    /// Logs an unexpected failure (inside the request's span, which carries its id) and
    /// returns the opaque error clients see.
    pub fn internal(error: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %error, "internal error");
        ApiError::Internal
    }
}

impl From<ValidationError> for ApiError {
    fn from(error: ValidationError) -> Self {
        ApiError::BadUserInput {
            field: error.field,
            message: error.message,
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Forbidden(message) => ApiError::Forbidden(message),
            Refusal::Invalid(invalid) => invalid.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Invalid(invalid) => invalid.into(),
            StoreError::NotFound(what) => ApiError::NotFound(format!("{what} not found")),
            StoreError::BadCredentials => ApiError::Unauthenticated(error.to_string()),
            StoreError::TooManyAttempts { retry_after_secs } => ApiError::RateLimited {
                message: error.to_string(),
                retry_after_secs,
            },
            StoreError::Refused(message) => ApiError::Forbidden(message),
            StoreError::Conflict(message) => ApiError::Conflict(message),
            StoreError::Database(_) | StoreError::Internal(_) => ApiError::internal(&error),
        }
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(error: ApiError) -> Self {
        async_graphql::Error::new(error.message()).extend_with(|_, extensions| {
            extensions.set("code", error.code());
            if let ApiError::BadUserInput { field, .. } = &error {
                extensions.set("field", field.as_str());
            }
            if let ApiError::RateLimited {
                retry_after_secs, ..
            } = &error
            {
                extensions.set("retryAfter", *retry_after_secs);
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::Value;

    fn extension(error: &async_graphql::Error, key: &str) -> Option<Value> {
        error.extensions.as_ref().and_then(|e| e.get(key).cloned())
    }

    #[test]
    fn every_variant_maps_to_its_code() {
        let cases = [
            (ApiError::Unauthenticated("x".into()), "UNAUTHENTICATED"),
            (ApiError::forbidden(), "FORBIDDEN"),
            (ApiError::NotFound("x".into()), "NOT_FOUND"),
            (ApiError::bad_input("email", "x"), "BAD_USER_INPUT"),
            (ApiError::Conflict("x".into()), "CONFLICT"),
            (
                ApiError::RateLimited {
                    message: "x".into(),
                    retry_after_secs: 3,
                },
                "RATE_LIMITED",
            ),
            (ApiError::Internal, "INTERNAL"),
        ];
        for (error, code) in cases {
            let graphql: async_graphql::Error = error.into();
            assert_eq!(extension(&graphql, "code"), Some(Value::from(code)));
        }
    }

    #[test]
    fn bad_input_names_the_field() {
        let graphql: async_graphql::Error =
            ApiError::from(ValidationError::new("acronym", "taken")).into();
        assert_eq!(extension(&graphql, "field"), Some(Value::from("acronym")));
        assert_eq!(graphql.message, "acronym: taken");
    }

    #[test]
    fn refusals_decided_before_the_store_keep_their_code() {
        let forbidden = ApiError::from(Refusal::Forbidden("only the secretariat".into()));
        assert_eq!(
            forbidden,
            ApiError::Forbidden("only the secretariat".into())
        );
        let invalid = ApiError::from(Refusal::Invalid(ValidationError::new("target", "x")));
        assert_eq!(invalid, ApiError::bad_input("target", "x"));
    }

    #[test]
    fn store_failures_do_not_leak_details() {
        let error = ApiError::from(StoreError::Internal("password=hunter2 at db.rs:12".into()));
        let graphql: async_graphql::Error = error.into();
        assert!(!graphql.message.contains("hunter2"));
        assert_eq!(extension(&graphql, "code"), Some(Value::from("INTERNAL")));
    }

    #[test]
    fn bad_credentials_are_unauthenticated() {
        assert_eq!(
            ApiError::from(StoreError::BadCredentials).code(),
            "UNAUTHENTICATED"
        );
        assert_eq!(
            ApiError::from(StoreError::NotFound("agency")).code(),
            "NOT_FOUND"
        );
    }
}
