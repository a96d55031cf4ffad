//! One connection for a whole request. Outside a transaction, sea-orm takes a connection
//! from the pool for every statement, and sqlx tests each one as it goes back (a round
//! trip to the database before the next statement can use it). A request that reads in
//! several steps (authentication, then a level of the query at a time) instead takes one
//! connection at its first statement and keeps it until it ends.

use std::sync::Arc;

use sea_orm::sqlx::{self, AssertSqlSafe, Executor};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult, RuntimeErr,
    Statement,
};
use sea_query_sqlx::SqlxValues;
use tokio::sync::Mutex;

use super::Meter;

/// Where a store's statements go.
#[derive(Clone, Debug)]
pub(crate) enum Connection {
    /// Any free connection of the pool, a statement at a time.
    Pool(DatabaseConnection),
    /// The connection one request holds.
    Held(Arc<Held>),
}

/// A connection taken from the pool at the first statement, and given back when the
/// request's last handle on it is dropped or a write transaction begins.
#[derive(Debug)]
pub(crate) struct Held {
    pool: DatabaseConnection,
    meter: Arc<Meter>,
    connection: Mutex<Option<Pooled>>,
}

/// What a statement gave back.
enum Outcome {
    Rows(Vec<QueryResult>),
    Done(ExecResult),
}

#[derive(Debug)]
enum Pooled {
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
}

impl Held {
    pub(crate) fn new(pool: DatabaseConnection, meter: Arc<Meter>) -> Self {
        Self {
            pool,
            meter,
            connection: Mutex::new(None),
        }
    }

    /// Gives the connection back to the pool: a write transaction takes its own, and a
    /// request must never wait for a second connection while it holds one.
    pub(crate) async fn release(&self) {
        self.connection.lock().await.take();
    }

    /// Runs `statement` on the held connection (taken now if there is none), reading its
    /// rows or, with `write`, only what it changed.
    async fn run(&self, statement: Statement, write: bool) -> Result<Outcome, DbErr> {
        self.meter.count(&statement);
        let mut held = self.connection.lock().await;
        let connection = match &mut *held {
            Some(connection) => connection,
            None => held.insert(self.acquire().await?),
        };
        let values = SqlxValues(statement.values.unwrap_or(sea_orm::Values(Vec::new())));
        let sql = AssertSqlSafe(statement.sql.as_str());
        let outcome = match (connection, write) {
            (Pooled::Postgres(connection), false) => (&mut **connection)
                .fetch_all(sqlx::query_with(sql, values))
                .await
                .map(|rows| Outcome::Rows(rows.into_iter().map(QueryResult::from).collect())),
            (Pooled::Postgres(connection), true) => (&mut **connection)
                .execute(sqlx::query_with(sql, values))
                .await
                .map(|done| Outcome::Done(done.into())),
            (Pooled::Sqlite(connection), false) => (&mut **connection)
                .fetch_all(sqlx::query_with(sql, values))
                .await
                .map(|rows| Outcome::Rows(rows.into_iter().map(QueryResult::from).collect())),
            (Pooled::Sqlite(connection), true) => (&mut **connection)
                .execute(sqlx::query_with(sql, values))
                .await
                .map(|done| Outcome::Done(done.into())),
        };
        outcome.map_err(|error| {
            // A connection that failed is not kept: the pool checks it on its way back.
            held.take();
            DbErr::Query(RuntimeErr::SqlxError(Arc::new(error)))
        })
    }

    async fn rows(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self.run(statement, false).await? {
            Outcome::Rows(rows) => Ok(rows),
            Outcome::Done(_) => Ok(Vec::new()),
        }
    }

    async fn execute(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        match self.run(statement, true).await? {
            Outcome::Done(done) => Ok(done),
            Outcome::Rows(_) => Err(DbErr::Custom("a write returned rows".into())),
        }
    }

    async fn acquire(&self) -> Result<Pooled, DbErr> {
        let acquired = match self.pool.get_database_backend() {
            DbBackend::Postgres => self
                .pool
                .get_postgres_connection_pool()
                .acquire()
                .await
                .map(Pooled::Postgres),
            _ => self
                .pool
                .get_sqlite_connection_pool()
                .acquire()
                .await
                .map(Pooled::Sqlite),
        };
        self.meter.held();
        acquired.map_err(|error| DbErr::Conn(RuntimeErr::SqlxError(Arc::new(error))))
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Connection {
    fn get_database_backend(&self) -> DbBackend {
        match self {
            Self::Pool(pool) => pool.get_database_backend(),
            Self::Held(held) => held.pool.get_database_backend(),
        }
    }

    async fn execute_raw(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        match self {
            Self::Pool(pool) => pool.execute_raw(statement).await,
            // Never a second connection for a request that holds one: a request waiting
            // for another while the pool's are all held would wait for ever.
            Self::Held(held) => held.execute(statement).await,
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match self {
            Self::Pool(pool) => pool.execute_unprepared(sql).await,
            Self::Held(held) => {
                held.execute(Statement::from_string(self.get_database_backend(), sql))
                    .await
            }
        }
    }

    async fn query_one_raw(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        match self {
            Self::Pool(pool) => pool.query_one_raw(statement).await,
            Self::Held(held) => Ok(held.rows(statement).await?.into_iter().next()),
        }
    }

    async fn query_all_raw(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self {
            Self::Pool(pool) => pool.query_all_raw(statement).await,
            Self::Held(held) => held.rows(statement).await,
        }
    }
}
