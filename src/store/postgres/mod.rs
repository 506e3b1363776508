//! The PostgreSQL backend, for hosts that run several hearth processes on one database.
//!
//! A pool of connections, and one transaction per job: the job's closure runs on a blocking
//! thread and each of its statements is a round trip, driven from there. The statements are
//! the same text SQLite runs (see `sql.rs`); values are bound in the types the PostgreSQL
//! schema (`migrations/postgres/`) gives the columns: integers as BIGINT, text as TEXT (times
//! and days in the very text SQLite keeps), bytes as BYTEA. Nothing here knows a feature.

use super::values::{Kind, Param, Value};
use super::{DatabaseError, Result, StoreError, Tx};
use chrono::{DateTime, Utc};
use include_dir::{Dir, include_dir};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{AssertSqlSafe, Postgres};
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::str::FromStr;

mod rows;
pub use rows::{any, column, name};

static MIGRATIONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/migrations/postgres");

/// Connections per process. Measured here: ~3,700 durable eight-statement events/s with 8,
/// ~5,400 with 32; 8 leaves room for several processes under PostgreSQL's default limit of 100.
const POOL: u32 = 8;

/// Prepared statements kept per connection: more than the store has.
const STATEMENTS: usize = 400;

/// Any number, the same in every hearth: the lock that lets one process migrate at a time.
const MIGRATION_LOCK: i64 = 0x6865_6172_7468; // "hearth"

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(DatabaseError::Postgres(error))
    }
}

/// The pool, shared by every job of this process, and how to reach the database again (for
/// a connection of its own outside the pool: a lease, see `lease.rs`).
#[derive(Clone, Debug)]
pub struct Backend {
    pool: sqlx::PgPool,
    options: Options,
}

/// Connection options, which hold the password: never printed.
#[derive(Clone)]
pub(in crate::store) struct Options(pub(in crate::store) PgConnectOptions);

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgConnectOptions { .. }")
    }
}

impl Backend {
    /// Connects to `url` (with `password`, which never sits in the URL or the configuration
    /// file) and applies pending migrations.
    pub async fn connect(url: &str, password: Option<&str>) -> Result<Self> {
        // Every statement the store runs stays prepared on each connection (there are ~150;
        // sqlx keeps 100 by default, and one evicted costs a round trip to prepare again).
        let mut options = PgConnectOptions::from_str(url)?
            .application_name("hearth")
            .statement_cache_capacity(STATEMENTS);
        if let Some(password) = password {
            options = options.password(password);
        }
        let pool = PgPoolOptions::new().max_connections(POOL).connect_with(options.clone()).await?;
        migrate(&pool).await?;
        Ok(Self { pool, options: Options(options) })
    }

    pub(in crate::store) fn options(&self) -> &Options {
        &self.options
    }

    /// Runs `work` in a transaction of its own on a pooled connection; commits if it succeeds.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&Tx) -> Result<T, E> + Send + 'static,
    {
        let pool = self.pool.clone();
        let handle = tokio::runtime::Handle::current();
        let joined = tokio::task::spawn_blocking(move || {
            let conn = handle.block_on(pool.acquire()).map_err(StoreError::from)?;
            let job = Job { conn: RefCell::new(conn), handle };
            job.batch("BEGIN")?;
            let outcome = catch_unwind(AssertUnwindSafe(|| work(&Tx::postgres(&job))));
            match outcome {
                Ok(Ok(value)) => match job.batch("COMMIT") {
                    Ok(()) => Ok(value),
                    Err(error) => {
                        job.abandon();
                        Err(E::from(StoreError::Commit(error.to_string())))
                    }
                },
                Ok(Err(error)) => {
                    job.rollback();
                    Err(error)
                }
                Err(_) => {
                    job.rollback();
                    tracing::error!("a store job panicked; its transaction was rolled back");
                    Err(E::from(StoreError::Closed))
                }
            }
        })
        .await;
        joined.unwrap_or_else(|_| Err(E::from(StoreError::Closed)))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// One job's connection, inside its transaction.
#[derive(Debug)]
pub struct Job {
    conn: RefCell<sqlx::pool::PoolConnection<Postgres>>,
    handle: tokio::runtime::Handle,
}

type Query<'q> = sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>;

impl Job {
    fn query<'q>(sql: &str, params: &[&dyn Param]) -> Query<'q> {
        let mut query = sqlx::query(AssertSqlSafe(sql.to_owned()));
        for param in params {
            query = match param.value() {
                Value::Null(Kind::Int) => query.bind(None::<i64>),
                Value::Null(Kind::Text | Kind::Time | Kind::Day) => query.bind(None::<String>),
                Value::Null(Kind::Blob) => query.bind(None::<Vec<u8>>),
                Value::Int(n) => query.bind(n),
                Value::Text(t) => query.bind(t.to_owned()),
                Value::Blob(b) => query.bind(b.to_vec()),
                Value::Time(t) => query.bind(time_text(t)),
                Value::Day(d) => query.bind(d.format("%F").to_string()),
            };
        }
        query
    }

    pub(in crate::store) fn execute(&self, sql: &str, params: &[&dyn Param]) -> Result<usize> {
        let mut conn = self.conn.borrow_mut();
        let done = self.handle.block_on(Self::query(sql, params).execute(&mut **conn))?;
        Ok(usize::try_from(done.rows_affected()).unwrap_or(usize::MAX))
    }

    pub(in crate::store) fn fetch_all(
        &self,
        sql: &str,
        params: &[&dyn Param],
    ) -> Result<Vec<PgRow>> {
        let mut conn = self.conn.borrow_mut();
        Ok(self.handle.block_on(Self::query(sql, params).fetch_all(&mut **conn))?)
    }

    pub(in crate::store) fn fetch_optional(
        &self,
        sql: &str,
        params: &[&dyn Param],
    ) -> Result<Option<PgRow>> {
        let mut conn = self.conn.borrow_mut();
        Ok(self.handle.block_on(Self::query(sql, params).fetch_optional(&mut **conn))?)
    }

    /// Statements without parameters (transactions, savepoints), in the simple protocol.
    pub(in crate::store) fn batch(&self, sql: &str) -> Result<()> {
        let mut conn = self.conn.borrow_mut();
        self.handle.block_on(sqlx::raw_sql(AssertSqlSafe(sql.to_owned())).execute(&mut **conn))?;
        Ok(())
    }

    fn rollback(&self) {
        if self.batch("ROLLBACK").is_err() {
            self.abandon();
        }
    }

    /// A connection whose transaction could not be ended is not given back to the pool.
    fn abandon(&self) {
        self.conn.borrow_mut().close_on_drop();
    }
}

/// An instant as SQLite's rows hold it (rusqlite's text for `DateTime<Utc>`), so the two
/// backends keep, sort and compare times alike.
fn time_text(t: DateTime<Utc>) -> String {
    t.format("%F %T%.f%:z").to_string()
}

/// The migrations' SQL, oldest first.
fn migrations() -> Vec<&'static str> {
    let mut files: Vec<_> =
        MIGRATIONS.files().filter(|f| f.path().extension().is_some_and(|e| e == "sql")).collect();
    files.sort_by_key(|f| f.path());
    files.into_iter().filter_map(|f| f.contents_utf8()).collect()
}

/// Applies pending migrations, one process at a time (the others wait on the lock, then find
/// nothing left to do), with progress in `hearth_schema`.
async fn migrate(pool: &sqlx::PgPool) -> Result<()> {
    let all = migrations();
    let known = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(MIGRATION_LOCK).execute(&mut *tx).await?;
    sqlx::raw_sql("CREATE TABLE IF NOT EXISTS hearth_schema (version BIGINT NOT NULL)")
        .execute(&mut *tx)
        .await?;
    let found: Option<i64> =
        sqlx::query_scalar("SELECT version FROM hearth_schema").fetch_optional(&mut *tx).await?;
    if found.is_none() {
        sqlx::query("INSERT INTO hearth_schema (version) VALUES (0)").execute(&mut *tx).await?;
    }
    let found = found.unwrap_or(0);
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    for (version, sql) in all.iter().enumerate().skip(usize::try_from(found).unwrap_or(0)) {
        sqlx::raw_sql(AssertSqlSafe(*sql)).execute(&mut *tx).await?;
        let version = i64::try_from(version + 1).unwrap_or(i64::MAX);
        sqlx::query("UPDATE hearth_schema SET version = $1")
            .bind(version)
            .execute(&mut *tx)
            .await?;
        tracing::info!(version, "database migrated");
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
pub(in crate::store) mod tests {
    use super::*;
    use crate::store::values::params;

    /// A schema of its own in the test PostgreSQL `scripts/test` starts; `None` (and the test
    /// says it did not run) without one.
    pub(in crate::store) async fn schema() -> Option<String> {
        let Ok(base) = std::env::var("HEARTH_TEST_DATABASE_URL") else {
            eprintln!("no HEARTH_TEST_DATABASE_URL: this PostgreSQL test did not run");
            return None;
        };
        let pool = sqlx::PgPool::connect(&base).await.unwrap();
        let schema = format!("u{:016x}", rand::random::<u64>());
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&pool)
            .await
            .unwrap();
        let join = if base.contains('?') { '&' } else { '?' };
        Some(format!("{base}{join}options[search_path]={schema}"))
    }

    const TEAM: &str = "INSERT INTO teams (platform, platform_team_id, timezone, locale,
        weather_min_people, created_at) VALUES ('console', $1, 'UTC', 'en', 3, $2) RETURNING id";

    #[tokio::test]
    async fn statements_bind_read_and_commit_as_on_sqlite() {
        let Some(url) = schema().await else { return };
        let backend = Backend::connect(&url, None).await.unwrap();
        let now = DateTime::from_timestamp_millis(1_765_000_000_123).unwrap();
        let (id, row) = backend
            .run(move |tx| {
                let id: i64 = tx.one(TEAM, params!["a", now], |r| r.get(0))?;
                let row = tx.one(
                    "SELECT $2, $1, created_at, $3 IS NULL, id = $4 FROM teams WHERE id = $4",
                    params![7_i64, "two", None::<String>, id],
                    |r| {
                        Ok((
                            r.get::<String>(0)?,
                            r.get::<i64>(1)?,
                            r.get::<DateTime<Utc>>(2)?,
                            r.get::<bool>(3)?,
                            r.get::<bool>(4)?,
                        ))
                    },
                )?;
                Ok::<_, StoreError>((id, row))
            })
            .await
            .unwrap();
        assert_eq!(row, ("two".to_owned(), 7, now, true, true));
        let kept: Option<String> = backend
            .run(move |tx| {
                tx.optional("SELECT created_at FROM teams WHERE id = $1", params![id], |r| r.get(0))
            })
            .await
            .unwrap();
        assert_eq!(kept.as_deref(), Some("2025-12-06 05:46:40.123+00:00"), "as SQLite writes it");
    }

    #[tokio::test]
    async fn a_failed_job_keeps_nothing() {
        let Some(url) = schema().await else { return };
        let backend = Backend::connect(&url, None).await.unwrap();
        let now = Utc::now();
        let failed = backend
            .run(move |tx| {
                tx.one(TEAM, params!["b", now], |r| r.get::<i64>(0))?;
                Err::<(), _>(StoreError::Corrupt("on purpose".into()))
            })
            .await;
        assert!(failed.is_err());
        let teams: i64 = backend
            .run(|tx| tx.one("SELECT count(*) FROM teams", params![], |r| r.get(0)))
            .await
            .unwrap();
        assert_eq!(teams, 0);
    }

    #[tokio::test]
    async fn migrations_apply_once_and_a_newer_schema_is_refused() {
        let Some(url) = schema().await else { return };
        let (first, second) =
            tokio::join!(Backend::connect(&url, None), Backend::connect(&url, None));
        let (first, _second) = (first.unwrap(), second.unwrap());
        sqlx::query("UPDATE hearth_schema SET version = 999").execute(&first.pool).await.unwrap();
        let newer = Backend::connect(&url, None).await;
        assert!(matches!(newer, Err(StoreError::TooNew { found: 999, .. })), "{newer:?}");
    }
}
