//! Funded projects, modelled on the IATI Activity Standard 2.03: who funds and implements
//! them, their money, their results framework and milestones.

mod fields;
mod figures;
mod money;
mod parts;
mod results;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::enums::string_enum;
use crate::{ValidationError, text};

pub use fields::{CheckedFields, ProjectFields, ReportText, part_title, transaction_description};
pub use figures::{Figures, figures};
pub use money::{Currency, MixedCurrencies, amount, sum};
pub use parts::{MoneyInput, NewBudgetLine, NewTransaction};
pub use results::{
    Indicator, IndicatorFields, IndicatorMeasure, IndicatorPeriod, PeriodFields, ResultRecord,
    ResultType, percent_achieved,
};

/// How many transactions a project records: `Project.transactions` lists them all with
/// the project's figures, so the list is bounded where it grows.
pub const MAX_TRANSACTIONS: u64 = 1_000;

/// How many periods an indicator reports on: twenty years of months.
pub const MAX_PERIODS: u64 = 240;

/// Whether one more of `what` fits beside the `count` already recorded, at most `max`;
/// the refusal names `field`.
pub fn check_room(count: u64, max: u64, field: &str, what: &str) -> Result<(), ValidationError> {
    if count < max {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!("holds {count} {what} already, the most it may"),
        ))
    }
}

string_enum! {
    /// IATI ActivityStatus.
    ProjectStatus, "status" {
        Pipeline => "PIPELINE",
        Implementation => "IMPLEMENTATION",
        Finalisation => "FINALISATION",
        Closed => "CLOSED",
        Cancelled => "CANCELLED",
        Suspended => "SUSPENDED",
    }
}

string_enum! {
    /// IATI OrganisationRole of a participating agency.
    ParticipantRole, "role" {
        Funding => "FUNDING",
        Accountable => "ACCOUNTABLE",
        Extending => "EXTENDING",
        Implementing => "IMPLEMENTING",
    }
}

string_enum! {
    BudgetKind, "kind" {
        Original => "ORIGINAL",
        Revised => "REVISED",
    }
}

string_enum! {
    BudgetStatus, "status" {
        Indicative => "INDICATIVE",
        Committed => "COMMITTED",
    }
}

string_enum! {
    /// IATI TransactionType (the four cmnp records).
    TransactionType, "type" {
        IncomingFunds => "INCOMING_FUNDS",
        Commitment => "COMMITMENT",
        Disbursement => "DISBURSEMENT",
        Expenditure => "EXPENDITURE",
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: Uuid,
    /// The reporting organisation's reference, a hyphen and the project's own id.
    pub iati_identifier: String,
    /// The agency that reports the project to IATI; its reference starts the identifier.
    pub reporting_agency_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub status: ProjectStatus,
    pub currency: String,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub regions: Vec<String>,
    /// OECD DAC 5-digit purpose codes.
    pub sectors: Vec<String>,
    pub participants: Vec<Participant>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Grows with every change to the project or its parts; a change sent with an older
    /// version is refused.
    pub version: i32,
}

impl Project {
    /// Whether `agency_id` takes part in the project in `role`.
    pub fn has(&self, agency_id: Uuid, role: ParticipantRole) -> bool {
        self.participants
            .iter()
            .any(|p| p.agency_id == agency_id && p.role == role)
    }

    /// Whether `agency_id` takes part in the project in any role.
    pub fn involves(&self, agency_id: Uuid) -> bool {
        self.participants.iter().any(|p| p.agency_id == agency_id)
    }

    /// The participant `agency_id` becomes in `role`: an agency takes each role once.
    pub fn admit(
        &self,
        agency_id: Uuid,
        role: ParticipantRole,
    ) -> Result<Participant, ValidationError> {
        if self.has(agency_id, role) {
            return Err(ValidationError::new(
                "agencyId",
                format!("the agency already takes part as {role}"),
            ));
        }
        Ok(Participant {
            project_id: self.id,
            agency_id,
            role,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    pub project_id: Uuid,
    pub agency_id: Uuid,
    pub role: ParticipantRole,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetLine {
    pub id: Uuid,
    pub project_id: Uuid,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub amount: Decimal,
    pub currency: String,
    pub kind: BudgetKind,
    pub status: BudgetStatus,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub id: Uuid,
    pub project_id: Uuid,
    pub kind: TransactionType,
    pub date: NaiveDate,
    pub amount: Decimal,
    pub currency: String,
    pub provider_agency_id: Option<Uuid>,
    pub receiver_agency_id: Option<Uuid>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Milestone {
    pub id: Uuid,
    pub project_id: Uuid,
    pub title: String,
    pub planned_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

impl Milestone {
    /// Not done and its planned date has passed.
    pub fn is_late(&self, today: NaiveDate) -> bool {
        self.done_on.is_none() && self.planned_on < today
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectReport {
    pub id: Uuid,
    pub project_id: Uuid,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub narrative: String,
    pub risks: Option<String>,
    pub submitted_at: DateTime<Utc>,
}

/// Checks an IATI activity identifier: the reporting organisation's reference, a
/// hyphen, and an own id of letters, digits, hyphens, dots and underscores.
pub fn iati_identifier(raw: &str, reporting_org_ref: &str) -> Result<String, ValidationError> {
    let identifier = raw.trim();
    let own = identifier
        .strip_prefix(reporting_org_ref)
        .and_then(|rest| rest.strip_prefix('-'))
        .ok_or_else(|| {
            ValidationError::new(
                "iatiIdentifier",
                format!("must start with the reporting organisation's reference {reporting_org_ref} and a hyphen"),
            )
        })?;
    if own.is_empty()
        || own.len() > 100
        || !own
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
    {
        return Err(ValidationError::new(
            "iatiIdentifier",
            "the project's own id after the hyphen takes letters, digits, hyphens, dots and underscores",
        ));
    }
    Ok(identifier.to_owned())
}

/// Checks that `end` is not before `start` (when both are given).
pub fn period(
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    end_field: &str,
) -> Result<(), ValidationError> {
    match (start, end) {
        (Some(start), Some(end)) if end < start => Err(ValidationError::new(
            end_field,
            format!("{end} is before the start, {start}"),
        )),
        _ => Ok(()),
    }
}

/// Region names, trimmed, deduplicated.
pub fn regions(values: Vec<String>) -> Result<Vec<String>, ValidationError> {
    let mut regions = Vec::new();
    for value in values {
        let region = text::required("regions", &value, 100)?;
        if !regions.contains(&region) {
            regions.push(region);
        }
    }
    Ok(regions)
}

/// OECD DAC 5-digit purpose codes (such as 15190), deduplicated.
pub fn sectors(values: Vec<String>) -> Result<Vec<String>, ValidationError> {
    let mut sectors = Vec::new();
    for value in values {
        let code = value.trim().to_owned();
        if code.len() != 5 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(ValidationError::new(
                "sectors",
                format!("{value:?} is not a 5-digit OECD DAC purpose code such as 15190"),
            ));
        }
        if !sectors.contains(&code) {
            sectors.push(code);
        }
    }
    Ok(sectors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_that_grow_have_room_up_to_their_bound() {
        assert!(check_room(0, 3, "projectId", "transactions").is_ok());
        assert!(check_room(2, 3, "projectId", "transactions").is_ok());
        let full = check_room(3, 3, "projectId", "transactions").unwrap_err();
        assert_eq!(full.field, "projectId");
        assert_eq!(
            full.message,
            "holds 3 transactions already, the most it may"
        );
    }

    #[test]
    fn identifiers_start_with_the_reporting_organisation() {
        assert_eq!(
            iati_identifier(" XM-DAC-47066-PE-TUMBES-2026 ", "XM-DAC-47066").unwrap(),
            "XM-DAC-47066-PE-TUMBES-2026"
        );
        for bad in [
            "US-GOV-11-PE-1",
            "XM-DAC-47066",
            "XM-DAC-47066-",
            "XM-DAC-47066-PE TUMBES",
            "XM-DAC-470661",
        ] {
            assert_eq!(
                iati_identifier(bad, "XM-DAC-47066").unwrap_err().field,
                "iatiIdentifier",
                "{bad}"
            );
        }
    }

    #[test]
    fn periods_sectors_and_regions() {
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        assert_eq!(
            period(
                Some(day("2026-05-01")),
                Some(day("2026-04-30")),
                "plannedEnd"
            )
            .unwrap_err()
            .field,
            "plannedEnd"
        );
        assert!(period(Some(day("2026-05-01")), None, "plannedEnd").is_ok());
        assert_eq!(
            sectors(vec!["15190".into(), "15190".into()]).unwrap(),
            ["15190"]
        );
        assert_eq!(sectors(vec!["1519".into()]).unwrap_err().field, "sectors");
        assert_eq!(
            regions(vec![" Tumbes ".into(), "Tumbes".into()]).unwrap(),
            ["Tumbes"]
        );
    }

    #[test]
    fn milestones_are_late_only_when_undone_past_their_date() {
        let milestone = Milestone {
            id: Uuid::nil(),
            project_id: Uuid::nil(),
            title: "Primer curso".into(),
            planned_on: "2026-06-30".parse().unwrap(),
            done_on: None,
        };
        assert!(!milestone.is_late("2026-06-30".parse().unwrap()));
        assert!(milestone.is_late("2026-07-01".parse().unwrap()));
    }
}
