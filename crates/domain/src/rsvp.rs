//! Invitees' answers to invitations (RSVP): what a representative answers, how the
//! answer came, the signed per-recipient links that carry it without a sign-in, and
//! what the answers say about who is expected and whether the quorum will be reached.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use uuid::Uuid;

use crate::ValidationError;
use crate::enums::string_enum;
use crate::meeting::{Meeting, MeetingStatus, Quorum, QuorumRule};

string_enum! {
    /// A representative's answer to an invitation.
    Answer, "answer" {
        Attending => "ATTENDING",
        NotAttending => "NOT_ATTENDING",
        SendingAlternate => "SENDING_ALTERNATE",
    }
}

string_enum! {
    /// How an answer reached the commission.
    AnswerVia, "via" {
        Link => "LINK",
        Graphql => "GRAPHQL",
        IcalReply => "ICAL_REPLY",
    }
}

string_enum! {
    /// Whether an invited agency is expected at a session, from its representatives'
    /// answers.
    Expectation, "expectation" {
        Expected => "EXPECTED",
        NotExpected => "NOT_EXPECTED",
        Unknown => "UNKNOWN",
    }
}

impl Answer {
    /// The iCalendar participation status (RFC 5545 section 3.2.12) that says the same.
    pub fn partstat(self) -> &'static str {
        match self {
            Answer::Attending => "ACCEPTED",
            Answer::NotAttending => "DECLINED",
            Answer::SendingAlternate => "DELEGATED",
        }
    }

    /// The answer a calendar client's `PARTSTAT` gives; `TENTATIVE` and `NEEDS-ACTION`
    /// answer nothing the secretariat can count.
    pub fn from_partstat(partstat: &str) -> Result<Self, ValidationError> {
        let partstat = partstat.trim();
        Answer::ALL
            .iter()
            .copied()
            .find(|answer| answer.partstat().eq_ignore_ascii_case(partstat))
            .ok_or_else(|| {
                ValidationError::new(
                    "PARTSTAT",
                    format!("{partstat:?} is not ACCEPTED, DECLINED or DELEGATED"),
                )
            })
    }

    /// Whether the agency will be there, in person or through its alternate.
    pub fn expects_agency(self) -> bool {
        matches!(self, Answer::Attending | Answer::SendingAlternate)
    }
}

/// One representative's answer to a session's invitation, the latest they gave.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitationAnswer {
    pub meeting_id: Uuid,
    pub representative_id: Uuid,
    /// The representative's agency when they answered.
    pub agency_id: Uuid,
    pub answer: Answer,
    pub via: AnswerVia,
    pub answered_at: DateTime<Utc>,
}

/// What recording an answer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The representative's first answer.
    First,
    /// The representative had answered otherwise before.
    Changed(Answer),
    /// The same answer was already recorded; nothing was written.
    Unchanged,
}

impl Meeting {
    /// Answers are taken while the session is scheduled and has not started.
    pub fn check_answerable(&self, now: DateTime<Utc>) -> Result<(), ValidationError> {
        match self.status {
            MeetingStatus::Cancelled => Err(ValidationError::new(
                "meetingId",
                "the session was cancelled",
            )),
            MeetingStatus::Held => Err(ValidationError::new(
                "meetingId",
                "the session has been held",
            )),
            MeetingStatus::Scheduled if self.starts_at <= now => Err(ValidationError::new(
                "meetingId",
                "answers are taken until the session starts",
            )),
            MeetingStatus::Scheduled => Ok(()),
        }
    }
}

/// What a `previous` answer becomes when `answer` arrives.
pub fn record(previous: Option<Answer>, answer: Answer) -> Recorded {
    match previous {
        None => Recorded::First,
        Some(before) if before == answer => Recorded::Unchanged,
        Some(before) => Recorded::Changed(before),
    }
}

/// Whether an agency is expected, from its representatives' answers: expected if any of
/// them comes or sends the alternate, not expected if every answer declines, unknown
/// while nobody has answered.
pub fn expectation<'a>(answers: impl IntoIterator<Item = &'a InvitationAnswer>) -> Expectation {
    let mut answered = false;
    for answer in answers {
        if answer.answer.expects_agency() {
            return Expectation::Expected;
        }
        answered = true;
    }
    if answered {
        Expectation::NotExpected
    } else {
        Expectation::Unknown
    }
}

/// The invited agencies of `meeting` that `answers` (its answers) make expected.
pub fn expected_agencies(meeting: &Meeting, answers: &[InvitationAnswer]) -> Vec<Uuid> {
    meeting
        .invited_agency_ids
        .iter()
        .copied()
        .filter(|agency| {
            expectation(answers.iter().filter(|a| a.agency_id == *agency)) == Expectation::Expected
        })
        .collect()
}

/// The quorum the session would have if the `expected` agencies came: the same `rule`
/// over the commission's `voting` members, counting the invited voting members expected.
pub fn expected_quorum(
    rule: QuorumRule,
    meeting: &Meeting,
    voting: &[Uuid],
    expected: &[Uuid],
) -> Quorum {
    let counted = expected
        .iter()
        .filter(|id| voting.contains(id) && meeting.invites(**id))
        .count();
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    rule.quorum(count(voting.len()), count(counted))
}

/// What an answer link says: this representative gives this answer to this session, and
/// the link is good until `expires_at` (the session's start when it was sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkClaim {
    pub meeting_id: Uuid,
    pub representative_id: Uuid,
    pub answer: Answer,
    pub expires_at: DateTime<Utc>,
}

impl LinkClaim {
    /// Whether the link may still be used at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at
    }
}

/// The installation's key for answer links: 256 random bits, kept in the database so
/// that every replica signs and checks alike.
#[derive(Clone)]
pub struct LinkKey([u8; KEY_BYTES]);

/// The key's length in bytes.
pub const KEY_BYTES: usize = 32;
const PAYLOAD_BYTES: usize = 16 + 16 + 1 + 8;
const MAC_BYTES: usize = 32;

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(…)")
    }
}

impl LinkKey {
    pub fn new(bytes: [u8; KEY_BYTES]) -> Self {
        Self(bytes)
    }

    /// The key as stored (URL-safe base64).
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0)
    }

    /// Reads a stored key; `None` if it is not 256 bits of base64.
    pub fn decode(text: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).ok()?;
        bytes.try_into().ok().map(Self)
    }

    /// The token of a link: the claim and its HMAC-SHA256, in URL-safe base64.
    pub fn sign(&self, claim: &LinkClaim) -> String {
        let payload = payload(claim);
        let mut token = payload.to_vec();
        token.extend_from_slice(&self.mac(&payload).finalize().into_bytes());
        URL_SAFE_NO_PAD.encode(token)
    }

    /// The claim of a token this key signed; `None` for anything else (a forged or
    /// altered token), found by comparing the MACs in constant time.
    pub fn verify(&self, token: &str) -> Option<LinkClaim> {
        if token.len() > 2 * (PAYLOAD_BYTES + MAC_BYTES) {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        if bytes.len() != PAYLOAD_BYTES + MAC_BYTES {
            return None;
        }
        let (payload, mac) = bytes.split_at(PAYLOAD_BYTES);
        self.mac(payload).verify_slice(mac).ok()?;
        let (meeting, rest) = payload.split_at(16);
        let (representative, rest) = rest.split_at(16);
        let (answer, expiry) = rest.split_first()?;
        Some(LinkClaim {
            meeting_id: Uuid::from_slice(meeting).ok()?,
            representative_id: Uuid::from_slice(representative).ok()?,
            answer: *Answer::ALL.get(usize::from(*answer))?,
            expires_at: DateTime::from_timestamp(i64::from_be_bytes(expiry.try_into().ok()?), 0)?,
        })
    }

    fn mac(&self, payload: &[u8]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(payload);
        mac
    }
}

fn payload(claim: &LinkClaim) -> [u8; PAYLOAD_BYTES] {
    let mut bytes = [0; PAYLOAD_BYTES];
    let answer = Answer::ALL
        .iter()
        .position(|a| *a == claim.answer)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or_default();
    let expiry = claim.expires_at.timestamp().to_be_bytes();
    let parts = claim
        .meeting_id
        .as_bytes()
        .iter()
        .chain(claim.representative_id.as_bytes())
        .chain(std::iter::once(&answer))
        .chain(&expiry);
    for (slot, byte) in bytes.iter_mut().zip(parts) {
        *slot = *byte;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn claim(answer: Answer) -> LinkClaim {
        LinkClaim {
            meeting_id: Uuid::now_v7(),
            representative_id: Uuid::now_v7(),
            answer,
            expires_at: Utc.with_ymd_and_hms(2026, 12, 10, 15, 0, 0).unwrap(),
        }
    }

    #[test]
    fn a_signed_link_reads_back_and_nothing_else_does() {
        let key = LinkKey::new([7; KEY_BYTES]);
        let original = claim(Answer::SendingAlternate);
        let token = key.sign(&original);
        assert_eq!(key.verify(&token), Some(original));
        // Another installation's key, a flipped byte, a cut token, and noise.
        assert_eq!(LinkKey::new([8; KEY_BYTES]).verify(&token), None);
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        bytes[32] ^= 1;
        assert_eq!(key.verify(&URL_SAFE_NO_PAD.encode(&bytes)), None);
        assert_eq!(key.verify(&token[..token.len() - 2]), None);
        assert_eq!(key.verify("not a token"), None);
        assert_eq!(
            LinkKey::decode(&key.encode()).unwrap().verify(&token),
            Some(original)
        );
    }

    #[test]
    fn a_link_lives_until_the_session_starts() {
        let c = claim(Answer::Attending);
        assert!(c.is_live(c.expires_at - chrono::Duration::seconds(1)));
        assert!(!c.is_live(c.expires_at));
    }

    #[test]
    fn answers_map_to_participation_statuses_and_back() {
        for answer in Answer::ALL {
            assert_eq!(Answer::from_partstat(answer.partstat()).unwrap(), *answer);
        }
        assert_eq!(
            Answer::from_partstat("tentative").unwrap_err().field,
            "PARTSTAT"
        );
    }

    #[test]
    fn the_same_answer_twice_records_nothing_new() {
        assert_eq!(record(None, Answer::Attending), Recorded::First);
        assert_eq!(
            record(Some(Answer::Attending), Answer::Attending),
            Recorded::Unchanged
        );
        assert_eq!(
            record(Some(Answer::Attending), Answer::NotAttending),
            Recorded::Changed(Answer::Attending)
        );
    }

    #[test]
    fn answers_are_taken_until_the_session_starts_and_not_once_cancelled() {
        let starts_at = Utc.with_ymd_and_hms(2026, 12, 10, 15, 0, 0).unwrap();
        let [a, b, c, observer] = [(); 4].map(|()| Uuid::now_v7());
        let mut meeting = Meeting {
            id: Uuid::now_v7(),
            kind: crate::meeting::MeetingKind::Ordinary,
            year: 2026,
            number: 1,
            title: "Balance".into(),
            status: MeetingStatus::Scheduled,
            starts_at,
            ends_at: starts_at,
            time_zone: "America/Lima".into(),
            location: None,
            online_url: None,
            sequence: 0,
            version: 1,
            cancel_reason: None,
            invited_agency_ids: vec![a, b, observer],
            quorum: None,
            held_at: None,
            minutes: None,
            created_at: starts_at,
            updated_at: starts_at,
            series_id: None,
            recurrence_id: None,
        };
        let before = starts_at - chrono::Duration::minutes(1);
        assert!(meeting.check_answerable(before).is_ok());
        assert_eq!(
            meeting.check_answerable(starts_at).unwrap_err().field,
            "meetingId"
        );
        // Voting members a, b and c (not invited); the observer does not vote.
        let quorum = expected_quorum(
            QuorumRule::Majority,
            &meeting,
            &[a, b, c],
            &[a, c, observer],
        );
        assert_eq!(
            (quorum.required, quorum.present, quorum.reached),
            (2, 1, false)
        );
        meeting.status = MeetingStatus::Cancelled;
        assert_eq!(
            meeting.check_answerable(before).unwrap_err().message,
            "the session was cancelled"
        );
    }

    #[test]
    fn an_agency_is_expected_if_anyone_comes_for_it() {
        let answer = |answer| InvitationAnswer {
            meeting_id: Uuid::nil(),
            representative_id: Uuid::now_v7(),
            agency_id: Uuid::nil(),
            answer,
            via: AnswerVia::Link,
            answered_at: Utc::now(),
        };
        let declined = answer(Answer::NotAttending);
        let alternate = answer(Answer::SendingAlternate);
        assert_eq!(expectation([]), Expectation::Unknown);
        assert_eq!(expectation([&declined]), Expectation::NotExpected);
        assert_eq!(expectation([&declined, &alternate]), Expectation::Expected);
    }
}
