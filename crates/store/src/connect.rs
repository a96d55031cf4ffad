mod held;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use cmnp_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

pub(crate) use self::held::Connection;
use self::held::Held;
use crate::StoreError;

/// The database behind cmnp: a pool of connections to SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Store {
    /// Where reads go: the pool, or the one connection a request holds ([`Store::hold`]).
    pub(crate) db: Connection,
    /// The pool, for write transactions and administration.
    pool: DatabaseConnection,
    /// What plans the e-mails a change sends; without it, changes plan no e-mail.
    pub(crate) planner: Option<Arc<dyn cmnp_domain::outbox::Planner>>,
    /// Where documents' bytes are kept ([`Store::with_document_files`]).
    pub(crate) files: Option<crate::DocumentFiles>,
    /// The zone the commission counts its days in: which representatives are current
    /// when an invitation goes out, as for the reminders.
    pub(crate) time_zone: chrono_tz::Tz,
    /// Failed sign-ins per address, to space out guessing.
    pub(crate) throttle: Arc<crate::throttle::SignInThrottle>,
    /// Counts (and, for benchmarks, records) the statements executed.
    meter: Arc<Meter>,
}

tokio::task_local! {
    /// Set while the store follows the change feed for this process's subscribers:
    /// bookkeeping of its own, which the meter leaves out so that a request's count is
    /// the request's alone.
    static UNMETERED: ();
}

/// Runs `reading` without counting its statements (see [`UNMETERED`]).
pub(crate) async fn unmetered<F: Future>(reading: F) -> F::Output {
    UNMETERED.scope((), reading).await
}

/// The SQL statements executed through a store, for metrics and for tests that check a
/// request's cost does not grow with its results; and the statements themselves, values
/// inlined, while a benchmark records them (off, that costs one relaxed load each).
#[derive(Debug, Default)]
pub(crate) struct Meter {
    statements: AtomicU64,
    /// Connections taken from the pool by stores that hold one ([`Store::hold`]).
    held: AtomicU64,
    recording: AtomicBool,
    recorded: Mutex<Vec<String>>,
}

impl Meter {
    pub(crate) fn held(&self) {
        self.held.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count(&self, statement: &Statement) {
        if UNMETERED.try_with(|()| ()).is_ok() {
            return;
        }
        self.statements.fetch_add(1, Ordering::Relaxed);
        if self.recording.load(Ordering::Relaxed) {
            self.recorded
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(statement.to_string());
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`). SQLite runs in WAL mode with
    /// foreign keys on and a busy timeout, so that concurrent requests wait for each other
    /// instead of failing.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let mut options = ConnectOptions::new(url);
        options
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|sqlite| {
                sqlite
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
            });
        if url.starts_with("sqlite:") {
            // One writer at a time is all SQLite allows; a small pool keeps readers going.
            options.max_connections(4);
        } else {
            options.max_connections(16);
        }
        let mut pool = Database::connect(options).await?;
        let meter = Arc::new(Meter::default());
        let counter = meter.clone();
        pool.set_metric_callback(move |info| counter.count(info.statement));
        Ok(Self {
            db: Connection::Pool(pool.clone()),
            pool,
            planner: None,
            files: None,
            time_zone: cmnp_domain::words::TIME_ZONE,
            throttle: Arc::default(),
            meter,
        })
    }

    /// The same store, reading through one connection of the pool: taken at its first
    /// statement and kept until the returned store and its clones are dropped, or until
    /// a write transaction begins (which takes its own). For a request that reads in
    /// several statements, each without a checkout of its own.
    pub fn hold(&self) -> Self {
        Self {
            db: Connection::Held(Arc::new(Held::new(self.pool.clone(), self.meter.clone()))),
            ..self.clone()
        }
    }

    /// How many SQL statements this store has executed since it connected.
    pub fn statements_executed(&self) -> u64 {
        self.meter.statements.load(Ordering::Relaxed)
    }

    /// How many connections stores that hold one ([`Store::hold`]) have taken from the
    /// pool since it connected: one per request that reads, however many statements.
    pub fn connections_held(&self) -> u64 {
        self.meter.held.load(Ordering::Relaxed)
    }

    /// Starts keeping the SQL of every statement this store executes, with its values
    /// inlined, until [`Store::stop_recording`]: for benchmarks that replay a request's
    /// statements without cmnp (`bench/src/bin/statements.rs`).
    pub fn start_recording(&self) {
        self.meter
            .recorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        self.meter.recording.store(true, Ordering::Relaxed);
    }

    /// Stops recording and returns the statements executed since
    /// [`Store::start_recording`], in the order they finished.
    pub fn stop_recording(&self) -> Vec<String> {
        self.meter.recording.store(false, Ordering::Relaxed);
        std::mem::take(
            &mut *self
                .meter
                .recorded
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// Plans the e-mails that must commit with a change (meeting invitations, updates,
    /// cancellations) with `planner`, inside the transactions that cause them.
    pub fn with_planner(mut self, planner: impl cmnp_domain::outbox::Planner + 'static) -> Self {
        self.planner = Some(Arc::new(planner));
        self
    }

    /// Counts the commission's days in `zone` (default: [`cmnp_domain::words::TIME_ZONE`]).
    pub fn with_time_zone(mut self, zone: chrono_tz::Tz) -> Self {
        self.time_zone = zone;
        self
    }

    /// The commission's date at `now`.
    pub fn today(&self, now: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
        cmnp_domain::meeting::local_date(now, self.time_zone)
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        match self.pool.get_database_backend() {
            DbBackend::Postgres => Backend::Postgres,
            _ => Backend::Sqlite,
        }
    }

    /// Keeps the query planner's statistics fresh. On SQLite, `PRAGMA optimize` (checking
    /// every table, not only those this connection used) runs `ANALYZE` where statistics
    /// are missing or stale, so that the planner reads the partial and compound indexes
    /// it would otherwise pass over; on PostgreSQL autovacuum does this by itself.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        if self.backend() == Backend::Sqlite {
            self.pool
                .execute_unprepared("PRAGMA optimize=0x10002")
                .await?;
        }
        Ok(())
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so that concurrent writers queue behind the busy timeout
    /// instead of failing when a read turns into a write. On PostgreSQL it takes the
    /// change feed's ordering lock first ([`crate::live`]): writers commit one after
    /// another, in the order of the changes they announce, and since the lock comes
    /// before any row lock, no two writers can wait for each other.
    pub(crate) async fn write(&self) -> Result<DatabaseTransaction, DbErr> {
        if let Connection::Held(held) = &self.db {
            held.release().await;
        }
        let txn = self
            .pool
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await?;
        crate::live::take_order(&txn).await?;
        Ok(txn)
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        Migrator::up(&self.pool, None).await?;
        Ok(())
    }

    /// Checks that the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.pool.execute_unprepared("SELECT 1").await?;
        Ok(())
    }

    /// Whether the pool was closed ([`Store::close`]): background readers stop then, and
    /// give back the connections closing waits for.
    pub fn is_closed(&self) -> bool {
        match self.pool.get_database_backend() {
            DbBackend::Postgres => self.pool.get_postgres_connection_pool().is_closed(),
            _ => self.pool.get_sqlite_connection_pool().is_closed(),
        }
    }

    pub async fn close(self) -> Result<(), StoreError> {
        self.pool.close().await?;
        Ok(())
    }
}
