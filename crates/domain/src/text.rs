//! Free-text fields: trimmed, required or optional, bounded in length.

use crate::ValidationError;

/// A required single-line text: trimmed, not empty, at most `max` characters.
pub fn required(field: &str, value: &str, max: usize) -> Result<String, ValidationError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    bounded(field, trimmed, max)
}

/// An optional text: trimmed; empty becomes `None`; at most `max` characters.
pub fn optional(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(trimmed) => bounded(field, trimmed, max).map(Some),
    }
}

fn bounded(field: &str, trimmed: &str, max: usize) -> Result<String, ValidationError> {
    let length = trimmed.chars().count();
    if length > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters (got {length})"),
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_trims_and_rejects_blank() {
        assert_eq!(required("name", "  MIMP ", 10).unwrap(), "MIMP");
        assert_eq!(required("name", "   ", 10).unwrap_err().field, "name");
    }

    #[test]
    fn length_is_counted_in_characters() {
        assert!(required("name", "Defensoría", 10).is_ok());
        assert!(required("name", "Defensoría!", 10).is_err());
    }

    #[test]
    fn optional_blank_is_none_and_controls_are_refused() {
        assert_eq!(optional("phone", Some("  "), 5).unwrap(), None);
        assert_eq!(optional("phone", None, 5).unwrap(), None);
        assert!(optional("phone", Some("a\u{0}b"), 5).is_err());
    }
}
