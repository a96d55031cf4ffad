//! The e-mail outbox: every message is planned as a row with a unique dedupe key, then
//! delivered by a worker that retries with backoff and gives up into dead letters.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

mod addressees;

use crate::action_item::ActionItem;
use crate::enums::string_enum;
use crate::meeting::Meeting;
use crate::representative::{Language, Representative};
use crate::rsvp::{Answer, InvitationAnswer, LinkKey};
use crate::user::User;

pub use addressees::{Addressees, FocalPoint};

string_enum! {
    EmailKind, "kind" {
        MeetingInvitation => "MEETING_INVITATION",
        MeetingUpdate => "MEETING_UPDATE",
        MeetingCancellation => "MEETING_CANCELLATION",
        MeetingReminder => "MEETING_REMINDER",
        ActionItemDue => "ACTION_ITEM_DUE",
        OverdueDigest => "OVERDUE_DIGEST",
        SecretariatDigest => "SECRETARIAT_DIGEST",
        PasswordReset => "PASSWORD_RESET",
    }
}

string_enum! {
    DeliveryStatus, "status" {
        /// Waiting for its next attempt.
        Pending => "PENDING",
        /// Claimed by a worker until its lease ends.
        Sending => "SENDING",
        Sent => "SENT",
        /// Refused for good, or out of attempts; the secretariat may retry it.
        Dead => "DEAD",
        /// Its reason vanished before it was sent (an item done, a meeting cancelled).
        Skipped => "SKIPPED",
    }
}

/// How often a message is tried before it becomes a dead letter.
pub const MAX_ATTEMPTS: i32 = 8;

/// The wait before attempt `attempts + 1`: 30 s, doubling, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    backoff_from(Duration::seconds(30), attempts)
}

/// The wait before attempt `attempts + 1` when the first retry waits `first`: doubling
/// with each attempt, at most an hour.
pub fn backoff_from(first: Duration, attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    let doubled = first.num_milliseconds().saturating_mul(1_i64 << exponent);
    Duration::milliseconds(doubled.min(3_600_000))
}

/// The key that makes planning idempotent: one message per kind, object, occurrence and
/// recipient, however often a sweep or a retry plans it.
pub fn dedupe_key(kind: EmailKind, object_id: Uuid, occurrence: &str, recipient: &str) -> String {
    format!(
        "{kind}:{object_id}:{occurrence}:{}",
        recipient.to_lowercase()
    )
}

/// A deterministic Message-ID, so that a resend after a crash is recognisable.
pub fn message_id(delivery_id: Uuid, domain: &str) -> String {
    format!("{delivery_id}@{domain}")
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailDelivery {
    pub id: Uuid,
    pub kind: EmailKind,
    pub status: DeliveryStatus,
    pub recipient: String,
    pub subject: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl EmailDelivery {
    /// The delivery queued again from its first attempt: only dead letters are retried,
    /// so nothing is sent twice by a retry.
    pub fn retry(&self, now: DateTime<Utc>) -> Result<Self, crate::ValidationError> {
        if self.status != DeliveryStatus::Dead {
            return Err(crate::ValidationError::new(
                "id",
                format!("only dead letters are retried; this one is {}", self.status),
            ));
        }
        Ok(Self {
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            ..self.clone()
        })
    }
}

string_enum! {
    /// The iTIP method (RFC 5546) of a calendar, which tells a client what to do with it.
    CalendarMethod, "calendarMethod" {
        /// A plain publication, such as a subscribed feed of meetings.
        Publish => "PUBLISH",
        /// An invitation, or an update to one, that invitees may answer.
        Request => "REQUEST",
        /// The withdrawal of a previously sent invitation.
        Cancel => "CANCEL",
    }
}

/// Who receives an e-mail, and in which language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    pub email: String,
    pub language: Language,
}

impl Recipient {
    /// Writes to `user` at their sign-in address, in their language.
    pub fn user(user: &User) -> Self {
        Self {
            name: user.name.clone(),
            email: user.email.clone(),
            language: user.locale,
        }
    }

    /// Writes to `person` at their address, in their language.
    pub fn of(person: &Representative) -> Self {
        Self {
            name: person.name.clone(),
            email: person.email.clone(),
            language: person.language,
        }
    }
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

/// A rendered e-mail, as the outbox keeps it until a transport sends it: plain data, in
/// no e-mail format.
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
    pub method: CalendarMethod,
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
    /// The acronyms of the agencies nobody can be written to, by acronym.
    pub unreachable: Vec<String>,
    /// Representatives whose mandate ends within [`MANDATE_NOTICE_DAYS`], soonest first.
    pub mandates_ending: Vec<MandateEnding>,
}

/// How many days ahead the secretariat digest lists the mandates that end.
pub const MANDATE_NOTICE_DAYS: i64 = 30;

/// A representative's mandate that ends soon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MandateEnding {
    pub agency: String,
    pub name: String,
    pub ends_on: NaiveDate,
}

/// A message planned for the outbox: what it is about, and the e-mail itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub kind: EmailKind,
    pub object_id: Uuid,
    /// Which occurrence of the reason ("seq3", "7d"): with kind, object and recipient it
    /// makes the dedupe key.
    pub occurrence: String,
    /// The date a reminder is about, checked again before it is sent.
    pub occurs_on: Option<NaiveDate>,
    pub email: Email,
}

/// What a change to a session tells its invitees, read inside the change's transaction.
#[derive(Debug, Clone, Copy)]
pub struct MeetingChange<'a> {
    pub notice: MeetingNotice,
    /// The session after the change.
    pub meeting: &'a Meeting,
    /// Its agenda's titles, in order.
    pub agenda: &'a [String],
    /// Every representative of its invited agencies, current or not.
    pub representatives: &'a [Representative],
    /// The active focal points of its invited agencies.
    pub focal_points: &'a [FocalPoint],
    /// The answers its invitees gave so far.
    pub answers: &'a [InvitationAnswer],
    /// The key the representatives' answer links are signed with.
    pub link_key: &'a LinkKey,
    pub now: DateTime<Utc>,
    /// `now`'s date in the commission's zone.
    pub today: NaiveDate,
}

/// What a representative invited to a session can answer from the e-mail: a signed link
/// token per answer, and the answer given so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerLinks {
    pub tokens: Vec<(Answer, String)>,
    pub current: Option<Answer>,
}

/// Plans the messages that must commit with a change: the store hands it what the
/// change's transaction read, and enqueues what it returns in that transaction.
pub trait Planner: std::fmt::Debug + Send + Sync {
    /// The notices of a session's invitation, update or cancellation.
    fn meeting_change(&self, change: MeetingChange<'_>) -> Vec<OutboxMessage>;

    /// The e-mail that brings `user` the password reset link `token_id` opens with
    /// `secret`.
    fn password_reset(&self, user: &User, token_id: Uuid, secret: &str) -> OutboxMessage;

    /// The domain of the sender's address, which Message-IDs end with.
    fn sender_domain(&self) -> &str;
}

/// Writes the commission's e-mails. The notifier (`cmnp-notify`) plans who gets what and
/// the store keeps the result; how an e-mail reads is the business of the implementation
/// it is given (`cmnp-mail`).
pub trait Letters: std::fmt::Debug + Send + Sync {
    /// The notice of a meeting's invitation, update or cancellation, with its calendar.
    fn meeting_notice(
        &self,
        notice: MeetingNotice,
        meeting: &Meeting,
        agenda: &[String],
        to: &Recipient,
        answer: Option<&AnswerLinks>,
    ) -> Email;

    /// The reminder that `meeting` starts in `days_before` days.
    fn meeting_reminder(&self, meeting: &Meeting, days_before: i64, to: &Recipient) -> Email;

    /// The reminder that `item`, of `agency`, is due in `days` days.
    fn action_item_due(&self, item: &ActionItem, agency: &str, days: i64, to: &Recipient) -> Email;

    /// The digest of `agency`'s overdue items.
    fn overdue_digest(&self, agency: &str, items: &[ItemLine], to: &Recipient) -> Email;

    /// The weekly digest for the secretariat.
    fn secretariat_digest(&self, digest: &SecretariatDigest, to: &Recipient) -> Email;

    /// The link to choose a new password, opened by `secret` for `valid_for_hours`.
    fn password_reset(&self, secret: &str, valid_for_hours: i64, to: &Recipient) -> Email;

    /// Where action items are read, as digests link them.
    fn items_url(&self) -> String;

    /// The domain of the sender's address, which Message-IDs end with.
    fn sender_domain(&self) -> &str;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(4), Duration::seconds(240));
        assert_eq!(backoff(8), Duration::seconds(3_600));
        assert_eq!(backoff(50), Duration::seconds(3_600));
    }

    #[test]
    fn dedupe_keys_ignore_the_case_of_addresses() {
        let id = Uuid::nil();
        assert_eq!(
            dedupe_key(EmailKind::MeetingInvitation, id, "seq0", "Ana@MIMP.example"),
            dedupe_key(EmailKind::MeetingInvitation, id, "seq0", "ana@mimp.example"),
        );
        assert_ne!(
            dedupe_key(EmailKind::MeetingUpdate, id, "seq1", "ana@mimp.example"),
            dedupe_key(EmailKind::MeetingUpdate, id, "seq2", "ana@mimp.example"),
        );
    }
}
