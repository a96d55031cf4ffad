//! cmnp's notifications, above the store: who hears of a change to a session (the
//! [`Planner`] the store's transactions call), and which reminders and digests the rules
//! of `cmnp_domain::reminder` call for at a moment (a sweep). Both render through the
//! injected [`Letters`] and hand the store plain [`OutboxMessage`]s; the store knows no
//! e-mail format.
//!
//! A sweep only reads and inserts under unique dedupe keys, so sweeps may repeat,
//! overlap, run on several replicas or catch up after downtime.

mod addressees;
mod digests;

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use cmnp_domain::action_item::ActionItem;
use cmnp_domain::meeting::{Meeting, local_date};
use cmnp_domain::outbox::{
    self, AnswerLinks, Email, EmailKind, ItemLine, Letters, MeetingChange, MeetingNotice,
    OutboxMessage, Planner, Recipient, SecretariatDigest, dedupe_key,
};
use cmnp_domain::reminder::{CronSchedule, Offsets};
use cmnp_domain::rsvp::{Answer, InvitationAnswer, LinkClaim, LinkKey};
use cmnp_domain::user::{RESET_LINK_HOURS, User};
use cmnp_store::{Store, StoreError};
use uuid::Uuid;

use addressees::Addressees;

/// Which reminders go out, and when: the commission's configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderRules {
    /// The commission's zone, in which "today" and the digest schedules are read.
    pub time_zone: Tz,
    /// Days before a session that its invitees are reminded.
    pub meeting_days: Offsets,
    /// Days before a due date that the responsible agency is reminded.
    pub due_days: Offsets,
    /// When each agency gets the list of its overdue items.
    pub overdue_digest: CronSchedule,
    /// When the secretariat gets its digest.
    pub secretariat_digest: CronSchedule,
}

/// One message a sweep planned, or found planned already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedEmail {
    pub kind: EmailKind,
    pub recipient: String,
    /// What it is about: "AI-2026-014", "Sesión Ordinaria N° 3-2026", "MIMP".
    pub about: String,
    /// Planned by this sweep; `false` when an earlier sweep had planned it.
    pub new: bool,
}

/// What a sweep found due, in the order it was planned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub emails: Vec<PlannedEmail>,
    /// The agencies that should hear from the commission and that nobody can be written
    /// to, by acronym ([`Store::out_of_reach`]).
    pub unreachable: Vec<String>,
}

impl SweepReport {
    /// How many messages this sweep added to the outbox.
    pub fn new_count(&self) -> usize {
        self.emails.iter().filter(|e| e.new).count()
    }
}

/// The commission's notifications, written by `letters`.
#[derive(Debug, Clone)]
pub struct Notifier {
    letters: Arc<dyn Letters>,
}

impl Notifier {
    pub fn new(letters: impl Letters + 'static) -> Self {
        Self {
            letters: Arc::new(letters),
        }
    }

    /// Plans what `rules` call for at `now`: reminders of sessions and due dates, and
    /// digests whose schedule fired within the last day. With `apply` false nothing is
    /// written (a preview).
    pub async fn sweep(
        &self,
        store: &Store,
        rules: &ReminderRules,
        now: DateTime<Utc>,
        apply: bool,
    ) -> Result<SweepReport, StoreError> {
        let today = local_date(now, rules.time_zone);
        let addressees = Addressees::load(store, today).await?;
        let unreachable: Vec<String> = store
            .out_of_reach(addressees.people())
            .await?
            .into_iter()
            .map(|(_, acronym)| acronym)
            .collect();
        let calendar = store.working_calendar().await?;
        let meetings =
            sessions_ahead(store, now, rules.meeting_days.reach(today, &calendar)).await?;
        let due_items =
            items_due_within(store, today, rules.due_days.reach(today, &calendar)).await?;
        let digests = digests::Digests::load(
            store,
            rules,
            now,
            today,
            &addressees,
            &self.letters.items_url(),
            &unreachable,
        )
        .await?;

        let mut candidates = Vec::new();
        for meeting in &meetings {
            let Some(reminder) = rules
                .meeting_days
                .due(meeting.starts_on(), today, &calendar)
            else {
                continue;
            };
            for agency_id in &meeting.invited_agency_ids {
                for to in addressees.of(*agency_id) {
                    candidates.push(Candidate {
                        kind: EmailKind::MeetingReminder,
                        object_id: meeting.id,
                        occurrence: reminder.occurrence(),
                        occurs_on: Some(reminder.event_on),
                        to: to.clone(),
                        about: meeting.label(),
                        reason: Reason::Meeting(meeting, reminder.days_before),
                    });
                }
            }
        }
        for item in &due_items {
            let Some(reminder) = rules.due_days.due(item.due_on, today, &calendar) else {
                continue;
            };
            let agency = addressees.acronym(item.responsible_agency_id);
            for to in addressees.of(item.responsible_agency_id) {
                candidates.push(Candidate {
                    kind: EmailKind::ActionItemDue,
                    object_id: item.id,
                    occurrence: reminder.occurrence(),
                    occurs_on: Some(reminder.event_on),
                    to: to.clone(),
                    about: item.reference(),
                    reason: Reason::Due(item, agency, reminder.days_before),
                });
            }
        }
        digests.candidates(&addressees, &mut candidates);

        let keys: Vec<String> = candidates.iter().map(Candidate::key).collect();
        let existing = store.planned_already(&keys).await?;
        let mut seen = HashSet::new();
        let mut report = SweepReport {
            emails: Vec::new(),
            unreachable,
        };
        let mut messages = Vec::new();
        for (candidate, key) in candidates.into_iter().zip(keys) {
            if !seen.insert(key.clone()) {
                continue;
            }
            let new = !existing.contains(&key);
            report.emails.push(PlannedEmail {
                kind: candidate.kind,
                recipient: candidate.to.email.clone(),
                about: candidate.about.clone(),
                new,
            });
            if new && apply {
                messages.push(candidate.render(self.letters.as_ref()));
            }
        }
        if apply {
            store
                .enqueue(messages, self.letters.sender_domain(), now)
                .await?;
        }
        Ok(report)
    }
}

impl Planner for Notifier {
    /// A change to a session goes to the people of its invited agencies (representatives
    /// current on the day and focal points, once per address); a session recorded after
    /// it took place calls nobody to it.
    fn meeting_change(&self, change: MeetingChange<'_>) -> Vec<OutboxMessage> {
        let MeetingChange {
            notice,
            meeting,
            agenda,
            representatives,
            focal_points,
            answers,
            link_key,
            now,
            today,
        } = change;
        if meeting.ends_at < now && notice != MeetingNotice::Cancellation {
            return Vec::new();
        }
        let (kind, occurrence) = match notice {
            MeetingNotice::Invitation => (
                EmailKind::MeetingInvitation,
                format!("seq{}", meeting.sequence),
            ),
            MeetingNotice::Update => (EmailKind::MeetingUpdate, format!("seq{}", meeting.sequence)),
            MeetingNotice::Cancellation => (EmailKind::MeetingCancellation, "cancelled".to_owned()),
        };
        let people = outbox::Addressees::gather(representatives, focal_points, today);
        let mut seen = HashSet::new();
        let links = |agency_id: Uuid, to: &Recipient| {
            let person = representatives.iter().find(|person| {
                person.agency_id == agency_id
                    && person.is_current(today)
                    && person.email.eq_ignore_ascii_case(&to.email)
            })?;
            (notice != MeetingNotice::Cancellation)
                .then(|| answer_links(link_key, meeting, person.id, answers))
        };
        meeting
            .invited_agency_ids
            .iter()
            .flat_map(|agency_id| people.of(*agency_id).iter().map(|to| (*agency_id, to)))
            .filter(|(_, to)| seen.insert(to.email.to_lowercase()))
            .map(|(agency_id, to)| OutboxMessage {
                kind,
                object_id: meeting.id,
                occurrence: occurrence.clone(),
                occurs_on: None,
                email: self.letters.meeting_notice(
                    notice,
                    meeting,
                    agenda,
                    to,
                    links(agency_id, to).as_ref(),
                ),
            })
            .collect()
    }

    /// The reset link goes to the account's own address, in its language; the token's
    /// id keys the message, so each link is sent once.
    fn password_reset(&self, user: &User, token_id: Uuid, secret: &str) -> OutboxMessage {
        let to = Recipient::user(user);
        OutboxMessage {
            kind: EmailKind::PasswordReset,
            object_id: token_id,
            occurrence: "link".to_owned(),
            occurs_on: None,
            email: self.letters.password_reset(secret, RESET_LINK_HOURS, &to),
        }
    }

    fn sender_domain(&self) -> &str {
        self.letters.sender_domain()
    }
}

/// A representative's signed link for each answer, good until the session starts, and
/// the answer they gave so far.
fn answer_links(
    key: &LinkKey,
    meeting: &Meeting,
    representative_id: Uuid,
    answers: &[InvitationAnswer],
) -> AnswerLinks {
    let tokens = Answer::ALL
        .iter()
        .map(|answer| {
            let claim = LinkClaim {
                meeting_id: meeting.id,
                representative_id,
                answer: *answer,
                expires_at: meeting.starts_at,
            };
            (*answer, key.sign(&claim))
        })
        .collect();
    let current = answers
        .iter()
        .find(|a| a.representative_id == representative_id)
        .map(|a| a.answer);
    AnswerLinks { tokens, current }
}

/// Why a message is due, with what its rendering needs.
enum Reason<'a> {
    Meeting(&'a Meeting, i64),
    Due(&'a ActionItem, &'a str, i64),
    Overdue(&'a str, &'a [ItemLine]),
    Secretariat(&'a SecretariatDigest),
}

struct Candidate<'a> {
    kind: EmailKind,
    object_id: Uuid,
    occurrence: String,
    occurs_on: Option<NaiveDate>,
    to: Recipient,
    about: String,
    reason: Reason<'a>,
}

impl Candidate<'_> {
    fn key(&self) -> String {
        dedupe_key(self.kind, self.object_id, &self.occurrence, &self.to.email)
    }

    fn render(self, letters: &dyn Letters) -> OutboxMessage {
        let to = &self.to;
        let email: Email = match self.reason {
            Reason::Meeting(meeting, days) => letters.meeting_reminder(meeting, days, to),
            Reason::Due(item, agency, days) => letters.action_item_due(item, agency, days, to),
            Reason::Overdue(agency, items) => letters.overdue_digest(agency, items, to),
            Reason::Secretariat(digest) => letters.secretariat_digest(digest, to),
        };
        OutboxMessage {
            kind: self.kind,
            object_id: self.object_id,
            occurrence: self.occurrence,
            occurs_on: self.occurs_on,
            email,
        }
    }
}

/// Scheduled sessions starting after `now` and within `days` (and a day, for zones
/// behind the commission's).
async fn sessions_ahead(
    store: &Store,
    now: DateTime<Utc>,
    days: u32,
) -> Result<Vec<Meeting>, StoreError> {
    if days == 0 {
        return Ok(Vec::new());
    }
    store
        .sessions_between(now, now + Duration::days(i64::from(days) + 1))
        .await
}

/// Pending items due after `today` and within `days`.
async fn items_due_within(
    store: &Store,
    today: NaiveDate,
    days: u32,
) -> Result<Vec<ActionItem>, StoreError> {
    if days == 0 {
        return Ok(Vec::new());
    }
    store
        .items_due_between(today, today + Duration::days(i64::from(days)))
        .await
}
