//! A project's own fields: what creating one checks, and what a change to one may not
//! do once it has left the pipeline or has money recorded.

use chrono::NaiveDate;
use uuid::Uuid;

use super::{Currency, Project, ProjectStatus, iati_identifier, period, regions, sectors};
use crate::{ValidationError, text};

/// The fields of a project, for creation and (merged with the current ones) for changes.
#[derive(Debug, Clone, Default)]
pub struct ProjectFields {
    pub iati_identifier: String,
    /// The reporting agency; `None` finds the agency whose IATI reference starts the
    /// identifier.
    pub reporting_agency_id: Option<Uuid>,
    pub title: String,
    pub description: Option<String>,
    pub status: Option<ProjectStatus>,
    pub currency: String,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub regions: Vec<String>,
    pub sectors: Vec<String>,
}

impl From<&Project> for ProjectFields {
    fn from(project: &Project) -> Self {
        Self {
            iati_identifier: project.iati_identifier.clone(),
            reporting_agency_id: Some(project.reporting_agency_id),
            title: project.title.clone(),
            description: project.description.clone(),
            status: Some(project.status),
            currency: project.currency.clone(),
            planned_start: project.planned_start,
            planned_end: project.planned_end,
            actual_start: project.actual_start,
            actual_end: project.actual_end,
            regions: project.regions.clone(),
            sectors: project.sectors.clone(),
        }
    }
}

/// A project's fields once checked: trimmed, normalised, within their limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFields {
    pub iati_identifier: String,
    pub title: String,
    pub description: Option<String>,
    pub status: ProjectStatus,
    pub currency: Currency,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub regions: Vec<String>,
    pub sectors: Vec<String>,
}

impl ProjectFields {
    /// Checks every field; the identifier against `reporting_ref`, the reporting agency's
    /// IATI organisation reference. A project without a status is in the pipeline.
    pub fn check(self, reporting_ref: &str) -> Result<CheckedFields, ValidationError> {
        let iati_identifier = iati_identifier(&self.iati_identifier, reporting_ref)?;
        let currency = Currency::parse("currency", &self.currency)?;
        period(self.planned_start, self.planned_end, "plannedEnd")?;
        period(self.actual_start, self.actual_end, "actualEnd")?;
        Ok(CheckedFields {
            iati_identifier,
            title: text::required("title", &self.title, 500)?,
            description: text::optional("description", self.description.as_deref(), 20_000)?,
            status: self.status.unwrap_or(ProjectStatus::Pipeline),
            currency,
            planned_start: self.planned_start,
            planned_end: self.planned_end,
            actual_start: self.actual_start,
            actual_end: self.actual_end,
            regions: regions(self.regions)?,
            sectors: sectors(self.sectors)?,
        })
    }

    /// What a change from `before` to these fields may not do: bring a project back to
    /// the pipeline, change its identifier once it has left it, or change its currency
    /// once money is recorded (`has_money`) in the current one.
    pub fn check_change(&self, before: &Project, has_money: bool) -> Result<(), ValidationError> {
        let left_pipeline = before.status != ProjectStatus::Pipeline;
        if left_pipeline && self.status == Some(ProjectStatus::Pipeline) {
            return Err(ValidationError::new(
                "status",
                "a project that has left PIPELINE cannot return to it (its identifier is fixed)",
            ));
        }
        if left_pipeline && self.iati_identifier.trim() != before.iati_identifier {
            return Err(ValidationError::new(
                "iatiIdentifier",
                "the identifier never changes once the project has left PIPELINE",
            ));
        }
        if has_money && self.currency.trim().to_uppercase() != before.currency {
            return Err(ValidationError::new(
                "currency",
                "budget lines or transactions are recorded in the current currency",
            ));
        }
        Ok(())
    }
}

/// The title of a result or a milestone.
pub fn part_title(raw: &str) -> Result<String, ValidationError> {
    text::required("title", raw, 500)
}

/// The description of a transaction.
pub fn transaction_description(raw: Option<&str>) -> Result<Option<String>, ValidationError> {
    text::optional("description", raw, 2_000)
}

/// A progress report's period and texts, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportText {
    pub narrative: String,
    pub risks: Option<String>,
}

impl ReportText {
    /// Checks that the period ends after it starts and the texts are within their limits.
    pub fn check(
        period_start: NaiveDate,
        period_end: NaiveDate,
        narrative: &str,
        risks: Option<&str>,
    ) -> Result<Self, ValidationError> {
        period(Some(period_start), Some(period_end), "periodEnd")?;
        Ok(Self {
            narrative: text::required("narrative", narrative, 50_000)?,
            risks: text::optional("risks", risks, 20_000)?,
        })
    }
}
