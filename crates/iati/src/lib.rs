//! IATI Activity Standard 2.03 XML for the projects that donors fund, so that funding,
//! spending and results can be published to the IATI Registry and read by donors' own
//! systems. Rendering is pure: it takes values and returns text, and performs no I/O.
//!
//! The XML is written through quick-xml's writer, which escapes all text, one element at a
//! time in the order that the `iati-activity` sequence of the official XSD requires. Amounts
//! are decimal text supplied by the caller: this crate never parses or computes money, so no
//! rounding can creep in between the accounts and the export.
//!
//! The schema demands a few things that the types cannot enforce, and `render` writes what
//! it is given rather than inventing data. For a schema-valid document the caller must pass
//! at least one activity; each activity needs at least one participant and at least one of
//! its four dates; each result needs at least one indicator; amounts must be decimal numbers
//! such as `125000.00`; and baseline years must be positive.

mod activity;
mod codes;
mod result;
mod xml;

use std::io;

use chrono::{DateTime, NaiveDate, Utc};

use crate::xml::{date_time, element};

/// The IATI standard version that the output declares and follows.
const VERSION: &str = "2.03";

/// An organisation named in an activity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Organisation {
    /// The IATI organisation identifier, such as `XM-DAC-47066`, written as `@ref`.
    /// Many national bodies have none, so it may be absent except on the reporting
    /// organisation, where the schema requires the attribute and an empty one is written.
    pub reference: Option<String>,
    /// The organisation's name, written as a `<narrative>`.
    pub name: String,
}

/// The stage an activity has reached (IATI ActivityStatus code list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivityStatus {
    /// Being scoped or planned, code 1.
    Pipeline,
    /// Under way, code 2.
    Implementation,
    /// Physically complete or the final disbursement made, with accounts still open, code 3.
    Finalisation,
    /// Finished, with accounts closed, code 4.
    Closed,
    /// Cancelled, code 5.
    Cancelled,
    /// Temporarily suspended, code 6.
    Suspended,
}

/// What an organisation does in an activity (IATI OrganisationRole code list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrganisationRole {
    /// Provides the money, code 1.
    Funding,
    /// Answers for the activity, code 2.
    Accountable,
    /// Manages the money on behalf of the funder, code 3.
    Extending,
    /// Carries the activity out, code 4.
    Implementing,
}

/// An organisation together with its role, written as `<participating-org>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Participant {
    /// What the organisation does in the activity.
    pub role: OrganisationRole,
    /// The organisation itself.
    pub organisation: Organisation,
}

/// An amount of money, written as a `<value>` element.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Money {
    /// The amount as decimal text, such as `125000.00`, exactly as the accounts state it.
    pub amount: String,
    /// The ISO 4217 currency code, such as `USD`.
    pub currency: String,
    /// The date whose exchange rate applies when the amount is converted.
    pub value_date: NaiveDate,
}

/// Whether a budget is the first one or a later revision (IATI BudgetType code list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BudgetType {
    /// The budget as first agreed, code 1.
    Original,
    /// A revision of the original budget, code 2.
    Revised,
}

/// How firm a budget is (IATI BudgetStatus code list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BudgetStatus {
    /// A non-binding estimate, code 1.
    Indicative,
    /// A binding agreement, code 2.
    Committed,
}

/// The money planned for one period of an activity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Budget {
    /// Whether this is the original budget or a revision.
    pub kind: BudgetType,
    /// Whether the budget is binding.
    pub status: BudgetStatus,
    /// The first day of the period.
    pub period_start: NaiveDate,
    /// The last day of the period.
    pub period_end: NaiveDate,
    /// The amount budgeted for the period.
    pub value: Money,
}

/// The kind of a financial transaction (IATI TransactionType code list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransactionType {
    /// Money received from a funder, code 1.
    IncomingFunds,
    /// A firm obligation to provide money, code 2.
    Commitment,
    /// Money passed on to another organisation, code 3.
    Disbursement,
    /// Money spent directly on goods and services, code 4.
    Expenditure,
}

/// One financial transaction of an activity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Transaction {
    /// What kind of transaction it is.
    pub kind: TransactionType,
    /// When it took place.
    pub date: NaiveDate,
    /// How much money moved.
    pub value: Money,
    /// A short explanation of the transaction.
    pub description: Option<String>,
    /// Where the money came from.
    pub provider: Option<Organisation>,
    /// Where the money went.
    pub receiver: Option<Organisation>,
}

/// The level in the results chain that a result belongs to (IATI ResultType code list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultType {
    /// A direct product of the activity, code 1.
    Output,
    /// A change the outputs bring about, code 2.
    Outcome,
    /// A long-term effect, code 3.
    Impact,
}

/// How an indicator is measured (IATI IndicatorMeasure code list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndicatorMeasure {
    /// A count of units, such as people trained, code 1.
    Unit,
    /// A percentage, code 2.
    Percentage,
}

/// The value of an indicator before the activity started.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Baseline {
    /// The year the baseline was measured; the schema requires it to be positive.
    pub year: i32,
    /// The measured value as text, such as `0`.
    pub value: String,
}

/// The target and achievement of an indicator over one reporting period.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IndicatorPeriod {
    /// The first day of the period.
    pub start: NaiveDate,
    /// The last day of the period.
    pub end: NaiveDate,
    /// The value aimed for, as text.
    pub target: Option<String>,
    /// The value achieved, as text.
    pub actual: Option<String>,
    /// An explanation of the achievement. IATI 2.03 has no comment on the period itself,
    /// so it is written inside `<actual>`, which is emitted for it even without a value.
    pub comment: Option<String>,
}

/// A measure of progress towards a result.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Indicator {
    /// What is measured, such as the number of people trained.
    pub title: String,
    /// Whether the indicator counts units or is a percentage.
    pub measure: IndicatorMeasure,
    /// Whether a higher value means more progress.
    pub ascending: bool,
    /// The value before the activity started.
    pub baseline: Option<Baseline>,
    /// The reporting periods, in the order they are written.
    pub periods: Vec<IndicatorPeriod>,
}

/// A result that the activity works towards, written as `<result>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResultFramework {
    /// The level of the result in the results chain.
    pub kind: ResultType,
    /// What the result is.
    pub title: String,
    /// How progress is measured; the schema requires at least one.
    pub indicators: Vec<Indicator>,
}

/// What a linked document is (IATI DocumentCategory code list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentCategory {
    /// Results, outcomes and outputs: a report on the activity's progress, code A08.
    Results,
}

/// A document about the activity, published as `<document-link>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocumentLink {
    /// Where the document is read: an absolute URL.
    pub url: String,
    /// Its IANA media type, such as `application/pdf`.
    pub format: String,
    pub title: String,
    pub category: DocumentCategory,
    /// When the document was published.
    pub date: Option<NaiveDate>,
}

/// One donor-funded project, written as `<iati-activity>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Activity {
    /// The globally unique activity identifier, which starts with the reporting
    /// organisation's identifier, such as `XM-DAC-47066-PE-TUMBES-2026`.
    pub identifier: String,
    /// The organisation that publishes the activity.
    pub reporting_org: Organisation,
    /// The reporting organisation's IATI OrganisationType code, such as `10` for a
    /// government or `40` for a multilateral.
    pub reporting_org_type: String,
    /// The ISO 4217 currency assumed for amounts, such as `USD`.
    pub default_currency: String,
    /// The ISO 639-1 language of all narratives, such as `es`.
    pub language: String,
    /// When the activity's data last changed.
    pub last_updated: DateTime<Utc>,
    /// The activity's name.
    pub title: String,
    /// A longer explanation. The schema requires a description, so the title is written
    /// in its place when there is none, rather than an empty text that donors would see.
    pub description: Option<String>,
    /// The organisations involved; the schema requires at least one.
    pub participants: Vec<Participant>,
    /// The stage the activity has reached.
    pub status: ActivityStatus,
    /// The planned first day; the schema requires at least one of the four dates.
    pub planned_start: Option<NaiveDate>,
    /// The day the activity actually started.
    pub actual_start: Option<NaiveDate>,
    /// The planned last day.
    pub planned_end: Option<NaiveDate>,
    /// The day the activity actually ended.
    pub actual_end: Option<NaiveDate>,
    /// The ISO 3166-1 alpha-2 code of the country that benefits, such as `PE`.
    pub recipient_country: String,
    /// The names of the places where the activity happens, such as `Tumbes`.
    pub locations: Vec<String>,
    /// OECD DAC five-digit purpose codes, such as `15190`. With several, the activity is
    /// split evenly between them, with percentages that add up to exactly 100.
    pub sectors: Vec<String>,
    /// The budgets, in the order they are written.
    pub budgets: Vec<Budget>,
    /// The financial transactions, in the order they are written.
    pub transactions: Vec<Transaction>,
    /// Documents about the activity, such as its progress reports.
    pub documents: Vec<DocumentLink>,
    /// The results the activity works towards.
    pub results: Vec<ResultFramework>,
}

/// Renders `activities` as an IATI 2.03 `<iati-activities>` document, stamped with
/// `generated_at` as the time the file was produced.
///
/// The output starts with an XML declaration, is encoded as UTF-8 and is indented with two
/// spaces per level. All text is escaped, so no value can break the structure of the file.
///
/// Writing into memory does not fail in practice (quick-xml fails only when its
/// destination refuses bytes), but the writer's error is passed on rather than assumed
/// away.
pub fn render(activities: &[Activity], generated_at: DateTime<Utc>) -> io::Result<String> {
    let bytes = write_document(activities, generated_at)?;
    // Every piece written was a `&str`, so the bytes are valid UTF-8.
    String::from_utf8(bytes).map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error))
}

fn write_document(activities: &[Activity], generated_at: DateTime<Utc>) -> io::Result<Vec<u8>> {
    let mut writer = xml::document()?;
    let generated = date_time(generated_at);
    element(
        &mut writer,
        "iati-activities",
        &[("version", VERSION), ("generated-datetime", &generated)],
    )
    .write_inner_content(|writer| {
        for activity in activities {
            activity::write_activity(writer, activity)?;
        }
        Ok(())
    })?;
    xml::finish(writer)
}
