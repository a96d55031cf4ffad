//! The change feed. A change is written by [`announce`] inside the transaction that makes
//! it, with the webhook deliveries it causes, so that only committed changes are ever
//! heard of. Readers follow the feed by its sequence number ([`Store::changes_after`]),
//! woken by [`Wakeups`]: PostgreSQL's `NOTIFY` (sent at commit, to every replica) or, in
//! one process, a local signal.
//!
//! On PostgreSQL every write transaction takes a transaction-scoped advisory lock as it
//! begins ([`take_order`], from `Store::write`), so changes commit in the order of their
//! numbers: a reader that sees number `n` has seen, or will never see, every number
//! below it. Taken before any row lock, it cannot deadlock. SQLite's single writer gives
//! the same order; its readers read the feed inside a write transaction, which waits for
//! the writer that woke them to commit.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use cmnp_domain::live::{Change, Subject, Topic};
use cmnp_domain::outbox::DeliveryStatus;
use cmnp_domain::webhook;
use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
};
use serde_json::{Value, json};
use tokio::sync::watch;
use uuid::Uuid;

use crate::entity::{change_event, webhook as webhook_row, webhook_delivery};
use crate::{Store, StoreError};

/// The channel replicas listen on.
const CHANNEL: &str = "cmnp_changes";

/// The advisory lock that orders writing transactions on PostgreSQL ("cmnp" in ASCII).
const ORDER_LOCK: i64 = 0x636d_6e70;

/// Takes the ordering lock in a write transaction, on PostgreSQL; held until it ends.
pub(crate) async fn take_order<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [ORDER_LOCK.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Announces a change to a session made through one of its parts (its agenda, an
/// agreement, an observation), in the caller's transaction.
pub(crate) async fn announce_meeting<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
    action: &str,
    meeting_id: Uuid,
) -> Result<(), StoreError> {
    announce(
        db,
        at,
        Announcement {
            topic: Topic::Meeting,
            action,
            object_id: meeting_id,
            detail: Value::Null,
        },
    )
    .await
}

/// In one process, the signal that a transaction announced something: readers read the
/// feed (under the write lock on SQLite, so after that transaction ended).
static LOCAL: LazyLock<watch::Sender<u64>> = LazyLock::new(|| watch::Sender::new(0));

/// A change to write with the transaction that makes it.
pub(crate) struct Announcement<'a> {
    pub topic: Topic,
    pub action: &'a str,
    pub object_id: Uuid,
    pub detail: Value,
}

/// Writes `announcement` to the feed, with its object as this transaction leaves it,
/// and plans its webhook deliveries, in the caller's transaction.
pub(crate) async fn announce<C: ConnectionTrait>(
    db: &C,
    at: DateTime<Utc>,
    announcement: Announcement<'_>,
) -> Result<(), StoreError> {
    // The ordering lock is held already: every write transaction takes it as it begins
    // (`Store::write`, the one way a transaction starts).
    let postgres = db.get_database_backend() == DbBackend::Postgres;
    let subject = subject(db, announcement.topic, announcement.object_id).await?;
    let snapshot = subject
        .as_ref()
        .map(serde_json::to_value)
        .transpose()
        .map_err(|error| StoreError::Internal(error.to_string()))?;
    let row = change_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        topic: Set(announcement.topic.as_str().to_owned()),
        action: Set(announcement.action.to_owned()),
        object_id: Set(announcement.object_id),
        detail: Set(announcement.detail),
        snapshot: Set(snapshot),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let change = to_domain(row)?;
    plan_deliveries(db, &change).await?;
    if postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), change.seq.to_string().into()],
        ))
        .await?;
    }
    LOCAL.send_modify(|count| *count = count.wrapping_add(1));
    Ok(())
}

/// The object of a change as the transaction sees it now.
async fn subject<C: ConnectionTrait>(
    db: &C,
    topic: Topic,
    object_id: Uuid,
) -> Result<Option<Subject>, StoreError> {
    Ok(match topic {
        Topic::ActionItem => Some(Subject::ActionItem(
            crate::action_items::load(db, object_id).await?,
        )),
        Topic::Meeting => Some(Subject::Meeting(
            crate::meetings::load(db, object_id).await?,
        )),
        Topic::ProjectReported => Some(Subject::Project(
            crate::projects::lock(db, object_id).await?,
        )),
        Topic::Access => None,
    })
}

/// Plans one delivery of `change` to each active endpoint that listens to its topic and
/// whose agency scope it concerns. The payload is written now, so every attempt sends
/// the same bytes.
async fn plan_deliveries<C: ConnectionTrait>(db: &C, change: &Change) -> Result<(), StoreError> {
    let (Some(event_type), Some(subject)) = (change.topic.event_type(), &change.subject) else {
        return Ok(());
    };
    let endpoints: Vec<webhook_row::Model> = webhook_row::Entity::find()
        .filter(webhook_row::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter(|endpoint| crate::webhooks::topics_of(endpoint).contains(&change.topic))
        .filter(|endpoint| {
            endpoint
                .agency_scope_id
                .is_none_or(|agency| subject.concerns(agency))
        })
        .collect();
    if endpoints.is_empty() {
        return Ok(());
    }
    let mut data = serde_json::Map::new();
    data.insert("eventId".into(), json!(change.id));
    data.insert("action".into(), json!(change.action));
    if let Value::Object(summary) = subject.summary() {
        data.extend(summary);
    }
    if change.topic == Topic::ProjectReported {
        data.insert("report".into(), change.detail.clone());
    }
    let data = Value::Object(data);
    let payload = webhook::payload(event_type, change.at, &data);
    for endpoint in endpoints {
        webhook_delivery::Entity::insert(webhook_delivery::ActiveModel {
            id: Set(Uuid::now_v7()),
            webhook_id: Set(endpoint.id),
            event_seq: Set(change.seq),
            event_type: Set(event_type.to_owned()),
            payload: Set(payload.clone()),
            status: Set(DeliveryStatus::Pending.as_str().to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(change.at),
            locked_until: Set(None),
            last_status_code: Set(None),
            last_error: Set(None),
            created_at: Set(change.at),
            delivered_at: Set(None),
        })
        .on_conflict_do_nothing_on([
            webhook_delivery::Column::WebhookId,
            webhook_delivery::Column::EventSeq,
        ])
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

fn to_domain(row: change_event::Model) -> Result<Change, StoreError> {
    Ok(Change {
        seq: row.seq,
        id: row.id,
        topic: crate::error::column(&row.topic, "change_events.topic")?,
        action: row.action,
        object_id: row.object_id,
        detail: row.detail,
        subject: row
            .snapshot
            .map(serde_json::from_value)
            .transpose()
            .map_err(|error| {
                StoreError::Internal(format!("unreadable change snapshot: {error}"))
            })?,
        at: row.at,
    })
}

/// Changes read from the feed, and the number of the last row read, which those left
/// out (rows this version cannot read, logged) do not hold the reader back from.
#[derive(Debug, Default)]
pub struct FeedPage {
    pub changes: Vec<Change>,
    pub last: Option<i64>,
}

fn listener_error(error: &sea_orm::sqlx::Error) -> StoreError {
    StoreError::Database(DbErr::Custom(error.to_string()))
}

/// What wakes a reader of the feed: a `NOTIFY` from any replica (sent at commit) on
/// PostgreSQL, a signal from this process on SQLite. Neither is the truth: a reader reads the feed when woken,
/// and also now and then, should a notification be lost with a dropped connection.
pub struct Wakeups {
    local: watch::Receiver<u64>,
    listener: Option<PgListener>,
}

impl Wakeups {
    /// Resolves at the next wake-up; an error says the listener lost its connection
    /// (it reconnects at its next use, and notifications sent meanwhile are lost: the
    /// reader reads the feed anyway).
    pub async fn next(&mut self) -> Result<(), StoreError> {
        match &mut self.listener {
            Some(listener) => listener
                .recv()
                .await
                .map(drop)
                .map_err(|error| listener_error(&error)),
            None => {
                if self.local.changed().await.is_err() {
                    std::future::pending::<()>().await;
                }
                Ok(())
            }
        }
    }
}

impl Store {
    /// Listens for changes: on PostgreSQL on a connection of its own.
    pub async fn wakeups(&self) -> Result<Wakeups, StoreError> {
        let listener = match self.connection().get_database_backend() {
            DbBackend::Postgres => {
                let pool = self.connection().get_postgres_connection_pool();
                let mut listener = PgListener::connect_with(pool)
                    .await
                    .map_err(|error| listener_error(&error))?;
                listener
                    .listen(CHANNEL)
                    .await
                    .map_err(|error| listener_error(&error))?;
                Some(listener)
            }
            _ => None,
        };
        let mut local = LOCAL.subscribe();
        local.mark_unchanged();
        Ok(Wakeups { local, listener })
    }

    /// The number of the latest change, 0 for none: where a new reader starts.
    pub async fn latest_change(&self) -> Result<i64, StoreError> {
        crate::connect::unmetered(self.read_latest_change()).await
    }

    async fn read_latest_change(&self) -> Result<i64, StoreError> {
        let latest: Option<Option<i64>> = change_event::Entity::find()
            .select_only()
            .column_as(change_event::Column::Seq.max(), "latest")
            .into_tuple()
            .one(self.connection())
            .await?;
        Ok(latest.flatten().unwrap_or(0))
    }

    /// Up to `limit` changes after number `after`, in order. On SQLite this waits for the
    /// write lock, so that a change announced by a transaction still open is read once
    /// that transaction has committed (or is never read, if it rolled back).
    pub async fn changes_after(&self, after: i64, limit: u64) -> Result<FeedPage, StoreError> {
        crate::connect::unmetered(self.read_changes_after(after, limit)).await
    }

    async fn read_changes_after(&self, after: i64, limit: u64) -> Result<FeedPage, StoreError> {
        let select = change_event::Entity::find()
            .filter(change_event::Column::Seq.gt(after))
            .order_by_asc(change_event::Column::Seq)
            .limit(limit);
        let rows = match self.backend() {
            crate::Backend::Postgres => select.all(self.connection()).await?,
            crate::Backend::Sqlite => {
                let txn = self.write().await?;
                let rows = select.all(&txn).await?;
                txn.commit().await?;
                rows
            }
        };
        let last = rows.last().map(|row| row.seq);
        let changes = rows
            .into_iter()
            .filter_map(|row| {
                let seq = row.seq;
                to_domain(row)
                    .inspect_err(|error| tracing::error!(%error, seq, "a change cannot be read; it is passed over"))
                    .ok()
            })
            .collect();
        Ok(FeedPage { changes, last })
    }
}
