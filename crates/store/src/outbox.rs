//! The e-mail outbox: messages are planned inside the transaction that causes them,
//! claimed by delivery workers under a lease, and marked sent, retried or dead.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use cmnp_domain::audit::changes;
use cmnp_domain::meeting::Meeting;
use cmnp_domain::outbox::{
    CalendarPart, DeliveryStatus, Email, EmailDelivery, EmailKind, MAX_ATTEMPTS, MeetingChange,
    MeetingNotice, OutboxMessage, Recipient, backoff, dedupe_key, message_id,
};
use cmnp_domain::policy::Actor;
use cmnp_domain::representative::Language;
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{agenda_item, email_outbox, representative};
use crate::error::column;
use crate::page::{self, Page, PageRequest};
use crate::{Store, StoreError};

/// A message a worker has claimed, ready to send.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: Uuid,
    pub message_id: String,
    pub attempts: i32,
    pub email: Email,
}

#[derive(Debug, Clone, Default)]
pub struct DeliveryFilter {
    pub status: Option<DeliveryStatus>,
    pub kind: Option<EmailKind>,
}

/// Plans messages; one already planned under the same dedupe key is left as it is.
pub(crate) async fn enqueue<C: ConnectionTrait>(
    db: &C,
    messages: Vec<OutboxMessage>,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut rows = messages
        .into_iter()
        .map(|message| outbox_row(message, domain, now))
        .peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(INSERT_CHUNK).collect();
        email_outbox::Entity::insert_many(chunk)
            .on_conflict_do_nothing_on([email_outbox::Column::DedupeKey])
            .exec(db)
            .await?;
    }
    Ok(())
}

/// What a sent password reset e-mail's text becomes.
const FORGOTTEN: &str = "(sent; the one-time link is not kept)";

/// Rows per insert statement: well under both databases' limits on bound parameters.
const INSERT_CHUNK: usize = 100;

fn outbox_row(
    message: OutboxMessage,
    domain: &str,
    now: DateTime<Utc>,
) -> email_outbox::ActiveModel {
    let id = Uuid::now_v7();
    let email = message.email;
    email_outbox::ActiveModel {
        id: Set(id),
        dedupe_key: Set(dedupe_key(
            message.kind,
            message.object_id,
            &message.occurrence,
            &email.to.email,
        )),
        kind: Set(message.kind.as_str().to_owned()),
        status: Set(DeliveryStatus::Pending.as_str().to_owned()),
        recipient: Set(email.to.email.clone()),
        recipient_name: Set(email.to.name.clone()),
        language: Set(email.to.language.as_str().to_owned()),
        object_id: Set(Some(message.object_id)),
        subject: Set(email.subject),
        body_text: Set(email.text),
        body_html: Set(email.html),
        calendar_method: Set(email
            .calendar
            .as_ref()
            .map(|c| c.method.as_str().to_owned())),
        calendar_ics: Set(email.calendar.map(|c| c.ics)),
        message_id: Set(message_id(id, domain)),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        occurs_on: Set(message.occurs_on),
    }
}

impl Store {
    /// Plans the notice of `meeting` to its invitees with the store's planner, inside
    /// the caller's transaction.
    pub(crate) async fn notify_meeting<C: ConnectionTrait>(
        &self,
        db: &C,
        meeting: &Meeting,
        notice: MeetingNotice,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let Some(planner) = &self.planner else {
            return Ok(());
        };
        let representatives = representative::Entity::find()
            .filter(
                representative::Column::AgencyId.is_in(meeting.invited_agency_ids.iter().copied()),
            )
            .order_by_asc(representative::Column::Email)
            .all(db)
            .await?
            .into_iter()
            .map(crate::representatives::to_domain)
            .collect::<Result<Vec<_>, _>>()?;
        let focal_points =
            crate::reminders::focal_points(db, Some(&meeting.invited_agency_ids)).await?;
        let agenda: Vec<String> = agenda_item::Entity::find()
            .filter(agenda_item::Column::MeetingId.eq(meeting.id))
            .order_by_asc(agenda_item::Column::Position)
            .all(db)
            .await?
            .into_iter()
            .map(|item| item.title)
            .collect();
        let answers = crate::answers::answers_of(db, &[meeting.id]).await?;
        let link_key = crate::answers::link_key(db).await?;
        let messages = planner.meeting_change(MeetingChange {
            notice,
            meeting,
            agenda: &agenda,
            representatives: &representatives,
            focal_points: &focal_points,
            answers: &answers,
            link_key: &link_key,
            now,
            today: self.today(now),
        });
        enqueue(db, messages, planner.sender_domain(), now).await
    }

    /// Adds `messages` to the outbox, from `sender_domain`; a message whose dedupe key is
    /// planned already is left out, so planning may repeat.
    pub async fn enqueue(
        &self,
        messages: Vec<OutboxMessage>,
        sender_domain: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        enqueue(&self.db, messages, sender_domain, now).await
    }

    /// Which of `keys` the outbox holds already.
    pub async fn planned_already(&self, keys: &[String]) -> Result<HashSet<String>, StoreError> {
        let mut found = HashSet::new();
        for chunk in keys.chunks(500) {
            let rows: Vec<String> = email_outbox::Entity::find()
                .select_only()
                .column(email_outbox::Column::DedupeKey)
                .filter(email_outbox::Column::DedupeKey.is_in(chunk.iter().cloned()))
                .into_tuple()
                .all(&self.db)
                .await?;
            found.extend(rows);
        }
        Ok(found)
    }

    /// Claims up to `limit` messages that are due (or whose worker's lease ran out), for
    /// `lease`. On PostgreSQL rows claimed by another worker are skipped, never waited
    /// for; SQLite's write transactions serialise the claims.
    pub async fn claim_due(
        &self,
        now: DateTime<Utc>,
        limit: u64,
        lease: Duration,
    ) -> Result<Vec<Claimed>, StoreError> {
        let txn = self.write().await?;
        let rows = email_outbox::Entity::find()
            .filter(
                Condition::any()
                    .add(
                        email_outbox::Column::Status
                            .eq(DeliveryStatus::Pending.as_str())
                            .and(email_outbox::Column::NextAttemptAt.lte(now)),
                    )
                    .add(
                        email_outbox::Column::Status
                            .eq(DeliveryStatus::Sending.as_str())
                            .and(email_outbox::Column::LockedUntil.lt(now)),
                    ),
            )
            .order_by_asc(email_outbox::Column::NextAttemptAt)
            .order_by_asc(email_outbox::Column::Id)
            .limit(limit)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .all(&txn)
            .await?;
        let vanished = crate::reminders::vanished(&txn, &rows).await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in rows {
            if let Some(reason) = vanished.get(&row.id) {
                let mut active: email_outbox::ActiveModel = row.into();
                active.status = Set(DeliveryStatus::Skipped.as_str().to_owned());
                active.locked_until = Set(None);
                active.last_error = Set(Some(reason.clone()));
                active.update(&txn).await?;
                continue;
            }
            let attempts = row.attempts + 1;
            let mut active: email_outbox::ActiveModel = row.clone().into();
            active.attempts = Set(attempts);
            let id = row.id;
            let message_id = row.message_id.clone();
            match email_of(row) {
                Ok(email) => {
                    active.status = Set(DeliveryStatus::Sending.as_str().to_owned());
                    active.locked_until = Set(Some(now + lease));
                    active.update(&txn).await?;
                    claimed.push(Claimed {
                        id,
                        message_id,
                        attempts,
                        email,
                    });
                }
                // A row that cannot be read back is an internal error: it is set aside as
                // a dead letter with the reason, and the rest of the queue goes on.
                Err(error) => {
                    tracing::error!(%error, %id, "an outbox row cannot be read back");
                    active.status = Set(DeliveryStatus::Dead.as_str().to_owned());
                    active.locked_until = Set(None);
                    active.last_error = Set(Some(error.to_string()));
                    active.update(&txn).await?;
                }
            }
        }
        txn.commit().await?;
        Ok(claimed)
    }

    /// Records a message as sent, in one statement. A password reset e-mail's text is
    /// forgotten then: the link it carries opens an account, and its reader has it now.
    pub async fn mark_sent(&self, id: Uuid, now: DateTime<Utc>) -> Result<(), StoreError> {
        let forgotten = |body: email_outbox::Column| -> Expr {
            Expr::case(
                Expr::col(email_outbox::Column::Kind).eq(EmailKind::PasswordReset.as_str()),
                FORGOTTEN,
            )
            .finally(Expr::col(body))
            .into()
        };
        email_outbox::Entity::update_many()
            .set(email_outbox::ActiveModel {
                status: Set(DeliveryStatus::Sent.as_str().to_owned()),
                sent_at: Set(Some(now)),
                locked_until: Set(None),
                last_error: Set(None),
                ..Default::default()
            })
            .col_expr(
                email_outbox::Column::BodyText,
                forgotten(email_outbox::Column::BodyText),
            )
            .col_expr(
                email_outbox::Column::BodyHtml,
                forgotten(email_outbox::Column::BodyHtml),
            )
            .filter(email_outbox::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Records a failed attempt: a transient failure waits for its backoff, a permanent
    /// one (or the last allowed attempt) becomes a dead letter.
    pub async fn mark_failed(
        &self,
        claimed: &Claimed,
        error: &str,
        permanent: bool,
        now: DateTime<Utc>,
    ) -> Result<DeliveryStatus, StoreError> {
        let status = if permanent || claimed.attempts >= MAX_ATTEMPTS {
            DeliveryStatus::Dead
        } else {
            DeliveryStatus::Pending
        };
        email_outbox::Entity::update_many()
            .set(email_outbox::ActiveModel {
                status: Set(status.as_str().to_owned()),
                next_attempt_at: Set(now + backoff(claimed.attempts)),
                locked_until: Set(None),
                last_error: Set(Some(error.chars().take(2_000).collect())),
                ..Default::default()
            })
            .filter(email_outbox::Column::Id.eq(claimed.id))
            .exec(&self.db)
            .await?;
        Ok(status)
    }

    /// Gives a claimed message back unsent (a worker shutting down), without counting the
    /// attempt.
    pub async fn release(&self, claimed: &Claimed) -> Result<(), StoreError> {
        email_outbox::Entity::update_many()
            .set(email_outbox::ActiveModel {
                status: Set(DeliveryStatus::Pending.as_str().to_owned()),
                locked_until: Set(None),
                attempts: Set(claimed.attempts - 1),
                ..Default::default()
            })
            .filter(email_outbox::Column::Id.eq(claimed.id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// How many messages are in each status, for `/metrics`.
    pub async fn delivery_counts(&self) -> Result<Vec<(DeliveryStatus, u64)>, StoreError> {
        let mut counts = Vec::new();
        for status in DeliveryStatus::ALL {
            let count = email_outbox::Entity::find()
                .filter(email_outbox::Column::Status.eq(status.as_str()))
                .count(&self.db)
                .await?;
            counts.push((*status, count));
        }
        Ok(counts)
    }

    /// Deliveries, newest last.
    pub async fn email_deliveries(
        &self,
        filter: DeliveryFilter,
        request: PageRequest<Uuid>,
    ) -> Result<Page<EmailDelivery>, StoreError> {
        let mut select = email_outbox::Entity::find();
        if let Some(status) = filter.status {
            select = select.filter(email_outbox::Column::Status.eq(status.as_str()));
        }
        if let Some(kind) = filter.kind {
            select = select.filter(email_outbox::Column::Kind.eq(kind.as_str()));
        }
        page::fetch::<_, _, _, email_outbox::Model>(
            &self.db,
            select,
            email_outbox::Column::Id,
            request,
            |page| page,
        )
        .await?
        .try_map(to_domain)
    }

    /// One delivery.
    pub async fn email_delivery(&self, id: Uuid) -> Result<Option<EmailDelivery>, StoreError> {
        email_outbox::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(to_domain)
            .transpose()
    }

    /// Sends a dead letter again: it goes back to the queue with a fresh set of attempts.
    pub async fn retry_email_delivery(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
    ) -> Result<EmailDelivery, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let row = email_outbox::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("e-mail delivery"))?;
        let before = to_domain(row.clone())?;
        let retried = before.retry(now)?;
        let mut active: email_outbox::ActiveModel = row.into();
        active.status = Set(retried.status.as_str().to_owned());
        active.attempts = Set(retried.attempts);
        active.next_attempt_at = Set(retried.next_attempt_at);
        let after = to_domain(active.update(&txn).await?)?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "email.retry",
                object_type: "email_delivery",
                object_id: id,
                changes: changes(Some(&before), Some(&after)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }
}

fn email_of(row: email_outbox::Model) -> Result<Email, StoreError> {
    let language: Language = column(&row.language, "email_outbox.language")?;
    let calendar = match (row.calendar_method.as_deref(), row.calendar_ics) {
        (Some(method), Some(ics)) => Some(CalendarPart {
            method: method.parse().map_err(|_| {
                StoreError::Internal(format!(
                    "email_outbox.calendar_method is {method:?}, not PUBLISH, REQUEST or CANCEL"
                ))
            })?,
            ics,
        }),
        (None, None) => None,
        (method, ics) => {
            return Err(StoreError::Internal(format!(
                "email_outbox.calendar_method is {method:?} with {} calendar_ics",
                if ics.is_some() { "a" } else { "no" }
            )));
        }
    };
    Ok(Email {
        to: Recipient {
            name: row.recipient_name,
            email: row.recipient,
            language,
        },
        subject: row.subject,
        text: row.body_text,
        html: row.body_html,
        calendar,
    })
}

fn to_domain(row: email_outbox::Model) -> Result<EmailDelivery, StoreError> {
    Ok(EmailDelivery {
        id: row.id,
        kind: column(&row.kind, "email_outbox.kind")?,
        status: column(&row.status, "email_outbox.status")?,
        recipient: row.recipient,
        subject: row.subject,
        attempts: row.attempts,
        last_error: row.last_error,
        created_at: row.created_at,
        next_attempt_at: row.next_attempt_at,
        sent_at: row.sent_at,
    })
}
