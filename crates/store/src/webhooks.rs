//! Webhook endpoints and their deliveries: registered by the secretariat, planned with
//! each change ([`crate::live`]), claimed by delivery workers under a lease and marked
//! delivered, retried or dead, as e-mails are.

use std::collections::HashMap;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Duration, Utc};
use cmnp_domain::live::Topic;
use cmnp_domain::outbox::{DeliveryStatus, MAX_ATTEMPTS};
use cmnp_domain::policy::Actor;
use cmnp_domain::webhook::{Secret, TargetUrl, Webhook, WebhookDelivery, message_id};
use sea_orm::sea_query::{ExprTrait, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{change_event, webhook, webhook_delivery};
use crate::error::column;
use crate::page::{self, Page, PageRequest};
use crate::{Store, StoreError};

/// A delivery a worker has claimed: where it goes, what it carries and how it is signed.
#[derive(Debug, Clone)]
pub struct ClaimedDelivery {
    pub delivery: WebhookDelivery,
    pub url: String,
    pub secret: Secret,
}

/// Why an attempt failed: the endpoint's status, if it answered, and whether trying
/// again could help.
#[derive(Debug, Clone, Copy)]
pub struct WebhookFailure<'a> {
    pub status_code: Option<u16>,
    pub error: &'a str,
    pub permanent: bool,
}

/// An endpoint as registered, with its secret: the only time the secret is read.
#[derive(Debug, Clone)]
pub struct CreatedWebhook {
    pub webhook: Webhook,
    pub secret: Secret,
}

/// The topics an endpoint listens to; a name this version does not know is left out.
pub(crate) fn topics_of(row: &webhook::Model) -> Vec<Topic> {
    row.events
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(|name| name.as_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

fn to_domain(row: webhook::Model) -> Webhook {
    let topics = topics_of(&row);
    Webhook {
        id: row.id,
        url: row.url,
        topics,
        agency_scope_id: row.agency_scope_id,
        active: row.active,
        created_at: row.created_at,
    }
}

/// The claim of `claimed`, as long as no other worker has taken it over: each claim
/// counts an attempt, so the row is still this claim's while it is SENDING at the same
/// count.
fn still_claimed(claimed: &ClaimedDelivery) -> Condition {
    Condition::all()
        .add(webhook_delivery::Column::Id.eq(claimed.delivery.id))
        .add(webhook_delivery::Column::Status.eq(DeliveryStatus::Sending.as_str()))
        .add(webhook_delivery::Column::Attempts.eq(claimed.delivery.attempts))
}

/// The ids of the changes numbered `seqs`, which deliveries carry as their `webhook-id`.
async fn change_ids<C: ConnectionTrait>(
    db: &C,
    seqs: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, Uuid>, StoreError> {
    let seqs: Vec<i64> = seqs.into_iter().collect();
    if seqs.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, Uuid)> = change_event::Entity::find()
        .select_only()
        .column(change_event::Column::Seq)
        .column(change_event::Column::Id)
        .filter(change_event::Column::Seq.is_in(seqs))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

fn delivery_to_domain(
    row: webhook_delivery::Model,
    change_id: Uuid,
) -> Result<WebhookDelivery, StoreError> {
    Ok(WebhookDelivery {
        id: row.id,
        webhook_id: row.webhook_id,
        event_type: row.event_type,
        message_id: message_id(change_id),
        payload: row.payload,
        status: column(&row.status, "webhook_deliveries.status")?,
        attempts: row.attempts,
        last_status_code: row.last_status_code,
        last_error: row.last_error,
        created_at: row.created_at,
        next_attempt_at: row.next_attempt_at,
        delivered_at: row.delivered_at,
    })
}

impl Store {
    /// Registers an endpoint with a new secret. The URL and topics are checked by the
    /// caller ([`TargetUrl`], [`cmnp_domain::webhook::check_topics`]).
    pub async fn create_webhook(
        &self,
        actor: &Actor,
        url: &TargetUrl,
        topics: &[Topic],
        agency_scope_id: Option<Uuid>,
    ) -> Result<CreatedWebhook, StoreError> {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        let secret = Secret::from_bytes(bytes);
        let now = Utc::now();
        let txn = self.write().await?;
        if let Some(agency) = agency_scope_id {
            crate::meetings::require_agencies(&txn, vec![agency], "agencyScopeId").await?;
        }
        let row = webhook::ActiveModel {
            id: Set(Uuid::now_v7()),
            url: Set(url.as_str().to_owned()),
            events: Set(json!(topics.iter().map(|t| t.as_str()).collect::<Vec<_>>())),
            agency_scope_id: Set(agency_scope_id),
            secret: Set(secret.shown()),
            active: Set(true),
            created_by: Set(Some(actor.user_id)),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let created = to_domain(row);
        audit::record(
            &txn,
            now,
            Entry {
                actor: Some(actor),
                action: "webhook.create",
                object_type: "webhook",
                object_id: created.id,
                changes: json!({ "url": created.url, "events": created.topics, "agencyScopeId": agency_scope_id }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(CreatedWebhook {
            webhook: created,
            secret,
        })
    }

    /// Stops deliveries to an endpoint: those not yet made are marked SKIPPED, with the
    /// reason.
    pub async fn deactivate_webhook(&self, actor: &Actor, id: Uuid) -> Result<Webhook, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let row = webhook::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::NotFound("webhook"))?;
        let mut active: webhook::ActiveModel = row.into();
        active.active = Set(false);
        let updated = to_domain(active.update(&txn).await?);
        webhook_delivery::Entity::update_many()
            .set(webhook_delivery::ActiveModel {
                status: Set(DeliveryStatus::Skipped.as_str().to_owned()),
                locked_until: Set(None),
                last_error: Set(Some("the endpoint was removed".into())),
                ..Default::default()
            })
            .filter(webhook_delivery::Column::WebhookId.eq(id))
            .filter(webhook_delivery::Column::Status.is_in([
                DeliveryStatus::Pending.as_str(),
                DeliveryStatus::Sending.as_str(),
            ]))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor: Some(actor),
                action: "webhook.remove",
                object_type: "webhook",
                object_id: id,
                changes: json!({ "active": false }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(updated)
    }

    /// Every endpoint, oldest first.
    pub async fn webhooks(&self) -> Result<Vec<Webhook>, StoreError> {
        Ok(webhook::Entity::find()
            .order_by_asc(webhook::Column::CreatedAt)
            .order_by_asc(webhook::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_domain)
            .collect())
    }

    /// An endpoint's deliveries, newest first, optionally of one status.
    pub async fn webhook_deliveries(
        &self,
        webhook_id: Uuid,
        status: Option<DeliveryStatus>,
        request: PageRequest<Uuid>,
    ) -> Result<Page<WebhookDelivery>, StoreError> {
        let mut select = webhook_delivery::Entity::find()
            .filter(webhook_delivery::Column::WebhookId.eq(webhook_id));
        if let Some(status) = status {
            select = select.filter(webhook_delivery::Column::Status.eq(status.as_str()));
        }
        let page = page::fetch_in::<_, _, _, webhook_delivery::Model>(
            &self.db,
            select,
            (webhook_delivery::Column::Id, page::Direction::Descending),
            request,
            |page| page,
        )
        .await?;
        let ids = change_ids(&self.db, page.items.iter().map(|row| row.event_seq)).await?;
        page.try_map(|row| {
            let change_id = ids.get(&row.event_seq).copied().unwrap_or_default();
            delivery_to_domain(row, change_id)
        })
    }

    pub async fn webhook_delivery(&self, id: Uuid) -> Result<Option<WebhookDelivery>, StoreError> {
        let Some(row) = webhook_delivery::Entity::find_by_id(id)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let ids = change_ids(&self.db, [row.event_seq]).await?;
        let change_id = ids.get(&row.event_seq).copied().unwrap_or_default();
        delivery_to_domain(row, change_id).map(Some)
    }

    /// Deliveries by status, for the metrics.
    pub async fn webhook_delivery_counts(&self) -> Result<Vec<(DeliveryStatus, u64)>, StoreError> {
        let mut counts = Vec::new();
        for status in DeliveryStatus::ALL {
            let count = webhook_delivery::Entity::find()
                .filter(webhook_delivery::Column::Status.eq(status.as_str()))
                .count(&self.db)
                .await?;
            counts.push((*status, count));
        }
        Ok(counts)
    }

    /// Queues a dead delivery again from its first attempt, with the same id and
    /// payload.
    pub async fn retry_webhook_delivery(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<WebhookDelivery, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let row = webhook_delivery::Entity::find_by_id(id)
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or_else(|| StoreError::NotFound("webhook delivery"))?;
        delivery_to_domain(row.clone(), Uuid::nil())?.check_retry()?;
        let endpoint_active = webhook::Entity::find_by_id(row.webhook_id)
            .one(&txn)
            .await?
            .is_some_and(|endpoint| endpoint.active);
        if !endpoint_active {
            return Err(StoreError::Invalid(cmnp_domain::ValidationError::new(
                "id",
                "its endpoint was removed; register it again to receive new events",
            )));
        }
        let mut active: webhook_delivery::ActiveModel = row.into();
        active.status = Set(DeliveryStatus::Pending.as_str().to_owned());
        active.attempts = Set(0);
        active.next_attempt_at = Set(now);
        active.locked_until = Set(None);
        active.update(&txn).await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor: Some(actor),
                action: "webhook_delivery.retry",
                object_type: "webhook_delivery",
                object_id: id,
                changes: json!({ "status": DeliveryStatus::Pending }),
            },
        )
        .await?;
        txn.commit().await?;
        self.webhook_delivery(id)
            .await?
            .ok_or_else(|| StoreError::NotFound("webhook delivery"))
    }

    /// Claims up to `limit` due deliveries (or those whose worker's lease ran out) of
    /// active endpoints, for `lease`; on PostgreSQL rows claimed by another worker are
    /// skipped, never waited for.
    pub async fn claim_webhook_deliveries(
        &self,
        now: DateTime<Utc>,
        limit: u64,
        lease: Duration,
    ) -> Result<Vec<ClaimedDelivery>, StoreError> {
        let txn = self.write().await?;
        let rows = webhook_delivery::Entity::find()
            .filter(
                Condition::any()
                    .add(
                        webhook_delivery::Column::Status
                            .eq(DeliveryStatus::Pending.as_str())
                            .and(webhook_delivery::Column::NextAttemptAt.lte(now)),
                    )
                    .add(
                        webhook_delivery::Column::Status
                            .eq(DeliveryStatus::Sending.as_str())
                            .and(webhook_delivery::Column::LockedUntil.lt(now)),
                    ),
            )
            .filter(
                webhook_delivery::Column::WebhookId.in_subquery(
                    Query::select()
                        .column(webhook::Column::Id)
                        .from(webhook::Entity)
                        .and_where(webhook::Column::Active.eq(true))
                        .to_owned(),
                ),
            )
            .order_by_asc(webhook_delivery::Column::EventSeq)
            .order_by_asc(webhook_delivery::Column::Id)
            .limit(limit)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .all(&txn)
            .await?;
        let endpoints: HashMap<Uuid, webhook::Model> = webhook::Entity::find()
            .filter(webhook::Column::Id.is_in(rows.iter().map(|row| row.webhook_id)))
            .all(&txn)
            .await?
            .into_iter()
            .map(|endpoint| (endpoint.id, endpoint))
            .collect();
        let ids = change_ids(&txn, rows.iter().map(|row| row.event_seq)).await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(endpoint) = endpoints.get(&row.webhook_id) else {
                continue;
            };
            let Some(secret) = Secret::parse(&endpoint.secret) else {
                // An internal error: set aside as a dead letter, and the rest goes on.
                tracing::error!(webhook = %endpoint.id, "a webhook's secret cannot be read");
                let mut dead: webhook_delivery::ActiveModel = row.into();
                dead.status = Set(DeliveryStatus::Dead.as_str().to_owned());
                dead.last_error = Set(Some("the endpoint's secret cannot be read".into()));
                dead.update(&txn).await?;
                continue;
            };
            let mut active: webhook_delivery::ActiveModel = row.clone().into();
            active.status = Set(DeliveryStatus::Sending.as_str().to_owned());
            active.attempts = Set(row.attempts + 1);
            active.locked_until = Set(Some(now + lease));
            let updated = active.update(&txn).await?;
            let change_id = ids.get(&updated.event_seq).copied().unwrap_or_default();
            claimed.push(ClaimedDelivery {
                delivery: delivery_to_domain(updated, change_id)?,
                url: endpoint.url.clone(),
                secret,
            });
        }
        txn.commit().await?;
        Ok(claimed)
    }

    /// Records a delivery the endpoint accepted, unless the claim was lost meanwhile (its
    /// lease ran out and another worker took it, or the endpoint was removed).
    pub async fn mark_webhook_delivered(
        &self,
        claimed: &ClaimedDelivery,
        status_code: u16,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        webhook_delivery::Entity::update_many()
            .set(webhook_delivery::ActiveModel {
                status: Set(DeliveryStatus::Sent.as_str().to_owned()),
                delivered_at: Set(Some(now)),
                locked_until: Set(None),
                last_status_code: Set(Some(i32::from(status_code))),
                last_error: Set(None),
                ..Default::default()
            })
            .filter(still_claimed(claimed))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Records a failed attempt: it waits `wait` for the next one, or becomes a dead
    /// letter after the last allowed attempt, or at once when `permanent`; unless the
    /// claim was lost meanwhile.
    pub async fn mark_webhook_failed(
        &self,
        claimed: &ClaimedDelivery,
        failure: WebhookFailure<'_>,
        wait: Duration,
        now: DateTime<Utc>,
    ) -> Result<DeliveryStatus, StoreError> {
        let WebhookFailure {
            status_code,
            error,
            permanent,
        } = failure;
        let status = if permanent || claimed.delivery.attempts >= MAX_ATTEMPTS {
            DeliveryStatus::Dead
        } else {
            DeliveryStatus::Pending
        };
        webhook_delivery::Entity::update_many()
            .set(webhook_delivery::ActiveModel {
                status: Set(status.as_str().to_owned()),
                next_attempt_at: Set(now + wait),
                locked_until: Set(None),
                last_status_code: Set(status_code.map(i32::from)),
                last_error: Set(Some(error.chars().take(1_000).collect())),
                ..Default::default()
            })
            .filter(still_claimed(claimed))
            .exec(&self.db)
            .await?;
        Ok(status)
    }
}
