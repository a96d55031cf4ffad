//! The acta: a session's minutes as a PDF that the presidency and the technical
//! secretariat sign. It is written from plain structs ([`Acta`]) in Spanish or English:
//! a header, the session's number, date and place, attendance with the quorum, the
//! agenda, the minutes' text, the numbered agreements with how each was decided and the
//! action items it created, and a block of signatures. Minutes still under review are
//! rendered as a draft ("Proyecto de acta"), marked as such on every page.
//!
//! The text is set in DejaVu Sans (regular and bold, embedded whole with their Unicode
//! map, see `fonts/LICENSE`), so accents and signs (á, ñ, °) print and can be copied and
//! searched. Lines are wrapped and pages broken here; `printpdf` only writes them.
//!
//! Architecture invariant: this crate knows no database and no HTTP. It takes what the
//! server read and returns bytes.

mod compose;
mod layout;
mod pdf;
mod words;

use chrono::NaiveDate;
use cmnp_domain::agenda::{AttendanceMode, AttendanceStatus, AttendeeKind};
use cmnp_domain::decision::{Decision, VoteChoice};
use cmnp_domain::meeting::{MeetingKind, Quorum};
use cmnp_domain::observation::ObservationAnswer;
use cmnp_domain::representative::Language;

/// Everything an acta shows.
#[derive(Debug, Clone)]
pub struct Acta {
    pub language: Language,
    pub session: Session,
    pub stage: Stage,
    /// Every invited agency, with how it attended.
    pub attendance: Vec<Attendee>,
    /// The quorum frozen when the session was held (which circulating minutes requires).
    pub quorum: Option<Quorum>,
    /// The agenda items, in order, with the meeting pack's papers.
    pub agenda: Vec<AgendaEntry>,
    /// The minutes' text: paragraphs separated by blank lines, `#` headings and `-`
    /// bullets, as the secretariat writes them.
    pub minutes: String,
    pub agreements: Vec<AgreementEntry>,
    /// The observations the agencies sent on the circulated minutes, with the
    /// secretariat's answers, in the order they came.
    pub observations: Vec<ObservationEntry>,
    pub signatories: Vec<Signatory>,
}

/// An agenda item and the titles of the documents attached to it (the meeting pack).
#[derive(Debug, Clone)]
pub struct AgendaEntry {
    pub title: String,
    pub documents: Vec<String>,
}

/// An agency's observation on the circulated minutes, and the secretariat's answer once
/// given.
#[derive(Debug, Clone)]
pub struct ObservationEntry {
    pub acronym: String,
    pub text: String,
    pub answer: Option<(ObservationAnswer, String)>,
}

/// The session the minutes record.
#[derive(Debug, Clone)]
pub struct Session {
    /// "Sesión Ordinaria N° 3-2026".
    pub label: String,
    pub title: String,
    pub kind: MeetingKind,
    /// The local day and start time where the session took place.
    pub date: NaiveDate,
    pub starts: String,
    /// The IANA zone the date and time are read in.
    pub zone: String,
    pub place: String,
}

/// Which minutes are rendered: only circulated or approved minutes have an acta.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Circulated for the agencies' review: a draft, marked on every page.
    Circulated,
    /// Approved, in the session named (see [`session_label`]) when it is known.
    Approved { in_session: Option<String> },
}

/// One invited agency and how it attended.
#[derive(Debug, Clone)]
pub struct Attendee {
    pub acronym: String,
    pub name: String,
    /// None when no attendance was recorded.
    pub status: Option<AttendanceStatus>,
    pub kind: Option<AttendeeKind>,
    /// Who attended for it, when known.
    pub person: Option<String>,
    pub mode: Option<AttendanceMode>,
}

/// A numbered agreement.
#[derive(Debug, Clone)]
pub struct AgreementEntry {
    /// "Acuerdo N° 007-2026-CMNP-TP-TIM".
    pub label: String,
    pub text: String,
    pub decision: Option<Decision>,
    /// The votes of a vote by agency, in the order to print them.
    pub votes: Vec<VoteEntry>,
    pub action_items: Vec<ActionEntry>,
}

/// One agency's vote on an agreement.
#[derive(Debug, Clone)]
pub struct VoteEntry {
    pub acronym: String,
    pub choice: VoteChoice,
}

/// An action item an agreement created.
#[derive(Debug, Clone)]
pub struct ActionEntry {
    /// "AI-2026-014".
    pub reference: String,
    pub title: String,
    /// The responsible agency's acronym.
    pub owner: String,
    pub due_on: NaiveDate,
}

/// Who signs the acta.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatoryRole {
    Presidency,
    TechnicalSecretariat,
}

/// A signature line: the role, the agency, and its representative when one is known.
#[derive(Debug, Clone)]
pub struct Signatory {
    pub role: SignatoryRole,
    pub agency: String,
    pub person: Option<String>,
    pub position: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ActaError {
    #[error("the embedded font cannot be read: {0}")]
    Font(String),
    #[error("the PDF cannot be written: {0}")]
    Pdf(String),
}

/// A session's name in `language`: its label ("Sesión Ordinaria N° 3-2026") in Spanish,
/// "Ordinary Session No. 3-2026" in English.
pub fn session_label(language: Language, kind: MeetingKind, label: &str) -> String {
    words::session_label(language, kind, label)
}

/// DejaVu Sans, embedded in every acta.
const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// The acta as PDF bytes.
pub fn render(acta: &Acta) -> Result<Vec<u8>, ActaError> {
    let metrics =
        layout::Metrics::new(REGULAR, BOLD).map_err(|error| ActaError::Font(error.to_string()))?;
    let pages = compose::pages(acta, &metrics);
    pdf::write(acta, pages, (REGULAR, BOLD))
}

#[cfg(test)]
mod tests;
