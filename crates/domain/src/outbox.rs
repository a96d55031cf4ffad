//! The e-mail outbox: every message is planned as a row with a unique dedupe key, then
//! delivered by a worker that retries with backoff and gives up into dead letters.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::enums::string_enum;

string_enum! {
    EmailKind, "kind" {
        MeetingInvitation => "MEETING_INVITATION",
        MeetingUpdate => "MEETING_UPDATE",
        MeetingCancellation => "MEETING_CANCELLATION",
        MeetingReminder => "MEETING_REMINDER",
        ActionItemDue => "ACTION_ITEM_DUE",
        OverdueDigest => "OVERDUE_DIGEST",
        SecretariatDigest => "SECRETARIAT_DIGEST",
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
    let exponent = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    Duration::seconds((30_i64 << exponent).min(3_600))
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
