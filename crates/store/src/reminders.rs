//! Reminder sweeps: the meeting reminders, due-date reminders and digests that the rules
//! of `cmnp_domain::reminder` call for at a moment, planned into the outbox once each.
//! A sweep only reads and inserts under unique dedupe keys, so sweeps may repeat,
//! overlap, run on several replicas or catch up after downtime.

mod digests;
mod reasons;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use cmnp_domain::action_item::ActionItem;
use cmnp_domain::meeting::{Meeting, MeetingStatus, local_date};
use cmnp_domain::outbox::{
    Email, EmailKind, ItemLine, Letters, Recipient, SecretariatDigest, dedupe_key,
};
use cmnp_domain::reminder::{CronSchedule, Offsets};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entity::{action_item, agency, email_outbox, meeting, representative};
use crate::outbox::{OutboxMessage, enqueue};
use crate::{Store, StoreError};

pub(crate) use reasons::vanished;

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
}

impl SweepReport {
    /// How many messages this sweep added to the outbox.
    pub fn new_count(&self) -> usize {
        self.emails.iter().filter(|e| e.new).count()
    }
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

/// The agencies and their current representatives, which most reminders go to.
struct Addressees {
    acronyms: HashMap<Uuid, String>,
    representatives: HashMap<Uuid, Vec<Recipient>>,
}

impl Addressees {
    async fn load<C: ConnectionTrait>(db: &C, today: NaiveDate) -> Result<Self, StoreError> {
        let acronyms = agency::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a.acronym))
            .collect();
        let mut representatives: HashMap<Uuid, Vec<Recipient>> = HashMap::new();
        for row in representative::Entity::find()
            .order_by_asc(representative::Column::Email)
            .all(db)
            .await?
        {
            let person = crate::representatives::to_domain(row)?;
            if person.is_current(today) {
                representatives
                    .entry(person.agency_id)
                    .or_default()
                    .push(Recipient {
                        name: person.name,
                        email: person.email,
                        language: person.language,
                    });
            }
        }
        Ok(Self {
            acronyms,
            representatives,
        })
    }

    fn of(&self, agency_id: Uuid) -> &[Recipient] {
        self.representatives
            .get(&agency_id)
            .map_or(&[], Vec::as_slice)
    }

    fn acronym(&self, agency_id: Uuid) -> &str {
        self.acronyms.get(&agency_id).map_or("?", String::as_str)
    }
}

impl Store {
    /// Plans what `rules` call for at `now`: reminders of sessions and due dates, and
    /// digests whose schedule fired within the last day. With `apply` false nothing is
    /// written (a preview). Without a mail configuration there is nothing to plan.
    pub async fn sweep_reminders(
        &self,
        rules: &ReminderRules,
        now: DateTime<Utc>,
        apply: bool,
    ) -> Result<SweepReport, StoreError> {
        let Some(letters) = self.mail.clone() else {
            return Ok(SweepReport::default());
        };
        let today = local_date(now, rules.time_zone);
        let addressees = Addressees::load(&self.db, today).await?;
        let meetings = self
            .sessions_ahead(now, rules.meeting_days.furthest())
            .await?;
        let due_items = self
            .items_due_within(today, rules.due_days.furthest())
            .await?;
        let digests =
            digests::Digests::load(self, rules, now, today, &addressees, &letters.items_url())
                .await?;

        let mut candidates = Vec::new();
        for meeting in &meetings {
            let Some(reminder) = rules.meeting_days.due(meeting.starts_on(), today) else {
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
            let Some(reminder) = rules.due_days.due(item.due_on, today) else {
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
        let existing = planned_already(&self.db, &keys).await?;
        let mut seen = HashSet::new();
        let mut report = SweepReport::default();
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
                messages.push(candidate.render(letters.as_ref()));
            }
        }
        if apply {
            enqueue(&self.db, messages, letters.sender_domain(), now).await?;
        }
        Ok(report)
    }

    /// Scheduled sessions starting after `now` and within `days` (and a day, for zones
    /// behind the commission's).
    async fn sessions_ahead(
        &self,
        now: DateTime<Utc>,
        days: u32,
    ) -> Result<Vec<Meeting>, StoreError> {
        if days == 0 {
            return Ok(Vec::new());
        }
        self.sessions_between(now, now + Duration::days(i64::from(days) + 1))
            .await
    }

    /// Scheduled sessions starting after `from` and up to `to`.
    async fn sessions_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Meeting>, StoreError> {
        let rows = meeting::Entity::find()
            .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled.as_str()))
            .filter(meeting::Column::StartsAt.gt(from))
            .filter(meeting::Column::StartsAt.lte(to))
            .order_by_asc(meeting::Column::StartsAt)
            .all(&self.db)
            .await?;
        crate::meetings::with_invitations(&self.db, rows).await
    }

    /// Pending items due after `today` and within `days`.
    async fn items_due_within(
        &self,
        today: NaiveDate,
        days: u32,
    ) -> Result<Vec<ActionItem>, StoreError> {
        if days == 0 {
            return Ok(Vec::new());
        }
        let rows = action_item::Entity::find()
            .filter(crate::action_items::pending())
            .filter(action_item::Column::DueOn.gt(today))
            .filter(action_item::Column::DueOn.lte(today + Duration::days(i64::from(days))))
            .order_by_asc(action_item::Column::DueOn)
            .order_by_asc(action_item::Column::Id)
            .all(&self.db)
            .await?;
        crate::action_items::with_supporters(&self.db, rows).await
    }
}

/// Which of `keys` the outbox holds already.
async fn planned_already<C: ConnectionTrait>(
    db: &C,
    keys: &[String],
) -> Result<HashSet<String>, StoreError> {
    let mut found = HashSet::new();
    for chunk in keys.chunks(500) {
        let rows: Vec<String> = email_outbox::Entity::find()
            .select_only()
            .column(email_outbox::Column::DedupeKey)
            .filter(email_outbox::Column::DedupeKey.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        found.extend(rows);
    }
    Ok(found)
}
