//! E-mail addresses as the commission uses them: for sign-in and for reminders.

use std::fmt;

use crate::ValidationError;

/// A syntactically valid e-mail address, trimmed and lower-cased, so that comparisons and
/// uniqueness are case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Checks the shape `local@domain.tld` (RFC 5321 lengths, no spaces or control
    /// characters, a dotted domain of letters, digits and hyphens).
    pub fn parse(field: &str, raw: &str) -> Result<Self, ValidationError> {
        let value = raw.trim().to_lowercase();
        let invalid = |why: &str| {
            Err(ValidationError::new(
                field,
                format!("{raw:?} is not a valid e-mail address: {why}"),
            ))
        };
        if value.len() > 254 {
            return invalid("longer than 254 characters");
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return invalid("missing @");
        };
        if local.is_empty() || local.len() > 64 {
            return invalid("the part before @ must have 1 to 64 characters");
        }
        if local.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '@' | '<' | '>' | ',' | ';' | '"' | '(' | ')' | '[' | ']' | '\\'
                )
        }) {
            return invalid("the part before @ has a character that is not allowed");
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return invalid("the part before @ has a misplaced dot");
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 {
            return invalid("the domain needs a dot");
        }
        for label in &labels {
            let well_formed = !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-');
            if !well_formed {
                return invalid("the domain is malformed");
            }
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        let email = EmailAddress::parse("email", "  Focal.Point@MIMP.gob.pe ").unwrap();
        assert_eq!(email.as_str(), "focal.point@mimp.gob.pe");
    }

    #[test]
    fn rejects_malformed_addresses_naming_the_field() {
        for raw in [
            "",
            "no-at-sign",
            "@mimp.gob.pe",
            "a@b",
            "a b@mimp.gob.pe",
            "a@-mimp.gob.pe",
            "a@mimp..pe",
            ".a@mimp.gob.pe",
            "a<b>@mimp.gob.pe",
        ] {
            let error = EmailAddress::parse("email", raw).unwrap_err();
            assert_eq!(error.field, "email", "{raw}");
        }
    }
}
