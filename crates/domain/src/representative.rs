//! The people an agency designates to the commission.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::email::EmailAddress;
use crate::enums::string_enum;
use crate::{ValidationError, text};

string_enum! {
    RepresentativeKind, "kind" {
        Principal => "PRINCIPAL",
        Alternate => "ALTERNATE",
    }
}

string_enum! {
    /// The language a person reads cmnp's messages in.
    Language, "language" {
        Es => "es",
        En => "en",
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Representative {
    pub id: Uuid,
    pub agency_id: Uuid,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub position: Option<String>,
    pub kind: RepresentativeKind,
    pub mandate_start: Option<NaiveDate>,
    pub mandate_end: Option<NaiveDate>,
    pub designation_ref: Option<String>,
    pub language: Language,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Representative {
    /// Whether the mandate covers `today` (open ends count as covering).
    pub fn is_current(&self, today: NaiveDate) -> bool {
        self.mandate_start.is_none_or(|start| start <= today)
            && self.mandate_end.is_none_or(|end| today <= end)
    }
}

/// The fields of a representative as a client sends them, for creation or as the result
/// of applying an update.
#[derive(Debug, Clone, Default)]
pub struct RepresentativeInput {
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub position: Option<String>,
    pub kind: Option<RepresentativeKind>,
    pub mandate_start: Option<NaiveDate>,
    pub mandate_end: Option<NaiveDate>,
    pub designation_ref: Option<String>,
    pub language: Option<Language>,
}

/// Validated representative fields.
#[derive(Debug, Clone, PartialEq)]
pub struct RepresentativeFields {
    pub name: String,
    pub email: EmailAddress,
    pub phone: Option<String>,
    pub position: Option<String>,
    pub kind: RepresentativeKind,
    pub mandate_start: Option<NaiveDate>,
    pub mandate_end: Option<NaiveDate>,
    pub designation_ref: Option<String>,
    pub language: Language,
}

impl TryFrom<RepresentativeInput> for RepresentativeFields {
    type Error = ValidationError;

    fn try_from(input: RepresentativeInput) -> Result<Self, Self::Error> {
        if let (Some(start), Some(end)) = (input.mandate_start, input.mandate_end)
            && end < start
        {
            return Err(ValidationError::new(
                "mandateEnd",
                format!("the mandate cannot end ({end}) before it starts ({start})"),
            ));
        }
        let phone = text::optional("phone", input.phone.as_deref(), 40)?;
        if let Some(phone) = &phone
            && !phone
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'))
        {
            return Err(ValidationError::new(
                "phone",
                "may contain only digits, spaces and + - ( ) .",
            ));
        }
        Ok(Self {
            name: text::required("name", &input.name, 200)?,
            email: EmailAddress::parse("email", &input.email)?,
            phone,
            position: text::optional("position", input.position.as_deref(), 200)?,
            kind: input.kind.unwrap_or(RepresentativeKind::Principal),
            mandate_start: input.mandate_start,
            mandate_end: input.mandate_end,
            designation_ref: text::optional(
                "designationRef",
                input.designation_ref.as_deref(),
                200,
            )?,
            language: input.language.unwrap_or(Language::Es),
        })
    }
}

impl From<&Representative> for RepresentativeInput {
    fn from(current: &Representative) -> Self {
        Self {
            name: current.name.clone(),
            email: current.email.clone(),
            phone: current.phone.clone(),
            position: current.position.clone(),
            kind: Some(current.kind),
            mandate_start: current.mandate_start,
            mandate_end: current.mandate_end,
            designation_ref: current.designation_ref.clone(),
            language: Some(current.language),
        }
    }
}

/// Changes to a representative: absent fields stay as they are; `Some(None)` clears an
/// optional field.
#[derive(Debug, Clone, Default)]
pub struct RepresentativePatch {
    pub name: Option<String>,
    pub email: Option<String>,
    pub kind: Option<RepresentativeKind>,
    pub phone: Option<Option<String>>,
    pub position: Option<Option<String>>,
    pub mandate_start: Option<Option<NaiveDate>>,
    pub mandate_end: Option<Option<NaiveDate>>,
    pub designation_ref: Option<Option<String>>,
    pub language: Option<Language>,
}

impl RepresentativePatch {
    /// The representative's fields after the patch, validated as a whole.
    pub fn apply(self, current: &Representative) -> Result<RepresentativeFields, ValidationError> {
        let mut input = RepresentativeInput::from(current);
        if let Some(name) = self.name {
            input.name = name;
        }
        if let Some(email) = self.email {
            input.email = email;
        }
        input.kind = self.kind.or(input.kind);
        input.language = self.language.or(input.language);
        if let Some(phone) = self.phone {
            input.phone = phone;
        }
        if let Some(position) = self.position {
            input.position = position;
        }
        if let Some(start) = self.mandate_start {
            input.mandate_start = start;
        }
        if let Some(end) = self.mandate_end {
            input.mandate_end = end;
        }
        if let Some(reference) = self.designation_ref {
            input.designation_ref = reference;
        }
        RepresentativeFields::try_from(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn input() -> RepresentativeInput {
        RepresentativeInput {
            name: "Ana Quispe".into(),
            email: "ana.quispe@example.org".into(),
            ..RepresentativeInput::default()
        }
    }

    #[test]
    fn defaults_to_a_spanish_speaking_principal() {
        let fields = RepresentativeFields::try_from(input()).unwrap();
        assert_eq!(fields.kind, RepresentativeKind::Principal);
        assert_eq!(fields.language, Language::Es);
    }

    #[test]
    fn mandate_cannot_end_before_it_starts() {
        let error = RepresentativeFields::try_from(RepresentativeInput {
            mandate_start: Some(date("2026-03-01")),
            mandate_end: Some(date("2026-02-28")),
            ..input()
        })
        .unwrap_err();
        assert_eq!(error.field, "mandateEnd");
    }

    #[test]
    fn bad_email_and_phone_name_their_fields() {
        let bad_email = RepresentativeInput {
            email: "ana".into(),
            ..input()
        };
        assert_eq!(
            RepresentativeFields::try_from(bad_email).unwrap_err().field,
            "email"
        );
        let bad_phone = RepresentativeInput {
            phone: Some("call me".into()),
            ..input()
        };
        assert_eq!(
            RepresentativeFields::try_from(bad_phone).unwrap_err().field,
            "phone"
        );
    }

    #[test]
    fn patches_keep_what_they_do_not_touch_and_validate_the_result() {
        let current = representative(RepresentativeFields::try_from(input()).unwrap());
        let patched = RepresentativePatch {
            phone: Some(Some("+51 1 418-4030".into())),
            ..RepresentativePatch::default()
        }
        .apply(&current)
        .unwrap();
        assert_eq!(patched.name, "Ana Quispe");
        assert_eq!(patched.phone.as_deref(), Some("+51 1 418-4030"));
        let error = RepresentativePatch {
            mandate_start: Some(Some(date("2026-05-01"))),
            mandate_end: Some(Some(date("2026-04-01"))),
            ..RepresentativePatch::default()
        }
        .apply(&current)
        .unwrap_err();
        assert_eq!(error.field, "mandateEnd");
    }

    fn representative(fields: RepresentativeFields) -> Representative {
        Representative {
            id: Uuid::nil(),
            agency_id: Uuid::nil(),
            name: fields.name,
            email: fields.email.to_string(),
            phone: fields.phone,
            position: fields.position,
            kind: fields.kind,
            mandate_start: fields.mandate_start,
            mandate_end: fields.mandate_end,
            designation_ref: fields.designation_ref,
            language: fields.language,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn current_mandates() {
        let fields = RepresentativeFields::try_from(RepresentativeInput {
            mandate_start: Some(date("2026-01-01")),
            mandate_end: Some(date("2026-12-31")),
            ..input()
        })
        .unwrap();
        let representative = representative(fields);
        assert!(representative.is_current(date("2026-06-30")));
        assert!(representative.is_current(date("2026-12-31")));
        assert!(!representative.is_current(date("2027-01-01")));
    }
}
