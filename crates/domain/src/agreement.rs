//! Agreements (acuerdos) adopted in a session.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::words::ACRONYM;
use crate::{ValidationError, text};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Agreement {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub agenda_item_id: Option<Uuid>,
    pub year: i32,
    /// Numbered per year across all sessions.
    pub number: i32,
    pub text: String,
    pub created_at: DateTime<Utc>,
    /// The agencies invited to the session that adopted it (who may read it).
    pub invited_agency_ids: Vec<Uuid>,
}

impl Agreement {
    /// "Acuerdo N° 007-2026-CMNP-TP-TIM".
    pub fn label(&self) -> String {
        format!("Acuerdo N° {:03}-{}-{ACRONYM}", self.number, self.year)
    }
}

pub fn agreement_text(raw: &str) -> Result<String, ValidationError> {
    text::required("text", raw, 20_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_the_commission_writes_them() {
        let agreement = Agreement {
            id: Uuid::nil(),
            meeting_id: Uuid::nil(),
            agenda_item_id: None,
            year: 2026,
            number: 7,
            text: "Aprobar el plan".into(),
            created_at: DateTime::UNIX_EPOCH,
            invited_agency_ids: Vec::new(),
        };
        assert_eq!(agreement.label(), "Acuerdo N° 007-2026-CMNP-TP-TIM");
        assert_eq!(agreement_text("  ").unwrap_err().field, "text");
    }
}
