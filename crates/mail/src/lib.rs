//! The commission's e-mails: meeting invitations, updates and cancellations, reminders and
//! digests, rendered in the recipient's language (Spanish by default, English on request)
//! and built as MIME messages ready for a transport.
//!
//! Everything here is pure: functions take values and return text or a
//! [`lettre::Message`]; nothing is sent, stored or read. Planning who gets what, and when,
//! belongs to the outbox and its worker.

mod action_items;
mod dates;
mod digest;
mod document;
mod html;
mod meeting;
mod message;
mod texts;

use chrono::NaiveDate;
use cmnp_domain::meeting::Meeting;
use cmnp_domain::representative::Language;
use uuid::Uuid;

pub use action_items::{action_item_due, overdue_digest};
pub use digest::secretariat_digest;
pub use meeting::{meeting_notice, meeting_reminder};
pub use message::message;

/// Who sends the e-mails and how they name themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commission {
    /// The public base URL of cmnp, without a trailing slash, used for links.
    pub public_url: String,
    /// The display name of the sender.
    pub from_name: String,
    /// The sender's address.
    pub from_email: String,
}

impl Commission {
    /// The CMNP-TP-TIM, sending from `from_email` and linking to `public_url`.
    pub fn cmnp(public_url: &str, from_email: &str) -> Self {
        Self {
            // A trailing slash would double up in every link built from the base.
            public_url: public_url.trim().trim_end_matches('/').to_owned(),
            from_name: format!("Secretaría Técnica {}", cmnp_domain::words::ACRONYM),
            from_email: from_email.trim().to_owned(),
        }
    }

    /// The commission's name in `language`.
    pub fn name(&self, language: Language) -> &'static str {
        cmnp_domain::words::commission_name(language)
    }

    /// The link to a meeting's calendar file.
    pub fn meeting_url(&self, id: Uuid) -> String {
        format!("{}/meetings/{id}.ics", self.public_url)
    }

    /// The link where action items are read and updated.
    pub fn items_url(&self) -> String {
        format!("{}/graphql", self.public_url)
    }
}

/// Who receives an e-mail, and in which language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    pub email: String,
    pub language: Language,
}

/// Which change to a meeting invitees are told about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingNotice {
    /// The meeting was scheduled.
    Invitation,
    /// Its time, place or agenda changed.
    Update,
    /// It was called off.
    Cancellation,
}

/// A rendered e-mail, before it becomes a MIME message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: Recipient,
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part, saying the same as the text.
    pub html: String,
    /// The iCalendar attachment of meeting notices.
    pub calendar: Option<CalendarPart>,
}

/// An iCalendar attachment and the iTIP method it carries, which is repeated in the part's
/// content type for clients that look only there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarPart {
    pub method: cmnp_calendar::Method,
    pub ics: String,
}

/// One action item in a list, as digests show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLine {
    /// "AI-2026-014".
    pub reference: String,
    pub title: String,
    /// The responsible agency's acronym.
    pub agency: String,
    pub due_on: NaiveDate,
    /// Days past the due date; zero or less for items that are not overdue.
    pub days_overdue: i64,
    /// Where the item can be read.
    pub url: String,
}

/// What the weekly secretariat digest reports.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SecretariatDigest {
    /// Overdue items grouped by responsible agency, in the order given.
    pub overdue_by_agency: Vec<(String, Vec<ItemLine>)>,
    pub upcoming: Vec<Meeting>,
    pub completed_this_week: Vec<ItemLine>,
}

/// Why an e-mail could not be built as a message.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the sender address {address:?} is invalid: {source}")]
    InvalidFrom {
        address: String,
        source: lettre::address::AddressError,
    },
    #[error("the recipient address {address:?} is invalid: {source}")]
    InvalidTo {
        address: String,
        source: lettre::address::AddressError,
    },
    #[error("the calendar content type could not be built: {0}")]
    ContentType(#[from] lettre::message::header::ContentTypeErr),
    #[error("the message could not be built: {0}")]
    Build(#[from] lettre::error::Error),
}
