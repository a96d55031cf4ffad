//! The commission's e-mails: meeting invitations, updates and cancellations, reminders and
//! digests, rendered in the recipient's language (Spanish by default, English on request)
//! and built as MIME messages ready for a transport.
//!
//! Everything here is pure: functions take values and return text or a
//! [`lettre::Message`]; nothing is sent, stored or read. Planning who gets what, and when,
//! belongs to the outbox and its worker.

mod account;
mod action_items;
mod dates;
mod digest;
mod document;
mod html;
mod meeting;
mod message;

use cmnp_domain::action_item::ActionItem;
use cmnp_domain::meeting::Meeting;
use cmnp_domain::outbox::Letters;
use cmnp_domain::representative::Language;
use uuid::Uuid;

pub use account::password_reset;
pub use action_items::{action_item_due, overdue_digest};
pub use cmnp_domain::outbox::{
    AnswerLinks, CalendarPart, Email, ItemLine, MeetingNotice, Recipient, SecretariatDigest,
};
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

    /// The page where a representative confirms the answer a signed link carries, in
    /// their language. The token goes in the query, which the request log leaves out.
    pub fn answer_url(&self, token: &str, language: Language) -> String {
        format!(
            "{}/app/answer?token={token}&lang={}",
            self.public_url,
            language.as_str()
        )
    }

    /// The page where the holder of a password reset link chooses a new password, in
    /// their language. The secret goes in the query, which the request log leaves out.
    pub fn reset_url(&self, secret: &str, language: Language) -> String {
        let lang = match language {
            Language::Es => "es",
            Language::En => "en",
        };
        format!("{}/app/reset?token={secret}&lang={lang}", self.public_url)
    }

    /// The link where action items are read and updated.
    pub fn items_url(&self) -> String {
        format!("{}/graphql", self.public_url)
    }
}

/// The commission's e-mails as the store asks for them.
impl Letters for Commission {
    fn meeting_notice(
        &self,
        notice: MeetingNotice,
        meeting: &Meeting,
        agenda: &[String],
        to: &Recipient,
        answer: Option<&AnswerLinks>,
    ) -> Email {
        meeting_notice(self, notice, meeting, agenda, to, answer)
    }

    fn meeting_reminder(&self, meeting: &Meeting, days_before: i64, to: &Recipient) -> Email {
        meeting_reminder(self, meeting, days_before, to)
    }

    fn action_item_due(&self, item: &ActionItem, agency: &str, days: i64, to: &Recipient) -> Email {
        action_item_due(self, item, agency, days, to)
    }

    fn overdue_digest(&self, agency: &str, items: &[ItemLine], to: &Recipient) -> Email {
        overdue_digest(self, agency, items, to)
    }

    fn secretariat_digest(&self, digest: &SecretariatDigest, to: &Recipient) -> Email {
        secretariat_digest(self, digest, to)
    }

    fn password_reset(&self, secret: &str, valid_for_hours: i64, to: &Recipient) -> Email {
        password_reset(self, secret, valid_for_hours, to)
    }

    fn items_url(&self) -> String {
        Commission::items_url(self)
    }

    fn sender_domain(&self) -> &str {
        self.from_email
            .rsplit_once('@')
            .map_or("cmnp.local", |(_, domain)| domain)
    }
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
