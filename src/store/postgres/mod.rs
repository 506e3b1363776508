//! The PostgreSQL backend, for hosts that run several hearth processes on one database.
//!
//! A few worker threads, each with a connection of its own (`worker.rs`), and one transaction
//! per job: the job's closure runs on a worker and each of its statements is a round trip,
//! driven from there. The statements are the same text SQLite runs (see `sql.rs`); values are
//! bound in the types the PostgreSQL schema (`migrations/postgres/`) gives the columns:
//! integers as BIGINT, text as TEXT (times and days in the very text SQLite keeps), bytes as
//! BYTEA. Nothing here knows a feature.

use super::{DatabaseError, Result, StoreError, Tx};
use chrono::{DateTime, Utc};
use include_dir::{Dir, include_dir};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{AssertSqlSafe, Connection as _};
use std::str::FromStr;
use std::sync::{Mutex, mpsc};
use std::thread::JoinHandle;

mod rows;
mod worker;
pub use rows::{any, column, name};
pub use worker::Job;

static MIGRATIONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/migrations/postgres");

/// Connections (and worker threads) per process. Measured here: ~3,700 durable
/// eight-statement events/s with 8, ~5,400 with 32; 8 leaves room for several processes under
/// PostgreSQL's default limit of 100 connections.
const WORKERS: usize = 8;

/// Prepared statements kept per connection: more than the store has.
const STATEMENTS: usize = 400;

/// Any number, the same in every hearth: the lock that lets one process migrate at a time.
const MIGRATION_LOCK: i64 = 0x6865_6172_7468; // "hearth"

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(DatabaseError::Postgres(error))
    }
}

/// The workers' queue (taken when the store closes), their threads, and how to reach the
/// database (for a connection outside the workers: a lease, see `lease.rs`).
#[derive(Debug)]
pub struct Backend {
    jobs: Mutex<Option<mpsc::Sender<worker::Work>>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
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
        let mut conn = PgConnection::connect_with(&options).await?;
        migrate(&mut conn).await?;
        conn.close().await?;
        let options = Options(options);
        let (jobs, threads) = worker::start(WORKERS, &options)?;
        Ok(Self { jobs: Mutex::new(Some(jobs)), threads: Mutex::new(threads), options })
    }

    pub(in crate::store) fn options(&self) -> &Options {
        &self.options
    }

    /// Runs `work` in a transaction of its own on a worker's connection; commits if it
    /// succeeds.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&Tx) -> Result<T, E> + Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: worker::Work = Box::new(move |worker| {
            let _ = answer.send(worker.transaction(work));
        });
        let sender = self.jobs.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let closed = || E::from(StoreError::Closed);
        sender.ok_or_else(closed)?.send(job).map_err(|_| closed())?;
        answered.await.map_err(|_| closed())?
    }

    /// Finishes the jobs already handed in, then stops the workers, closing their
    /// connections. Later calls get `Closed`.
    pub async fn close(&self) {
        drop(self.jobs.lock().unwrap_or_else(|p| p.into_inner()).take());
        let threads = std::mem::take(&mut *self.threads.lock().unwrap_or_else(|p| p.into_inner()));
        let joined = tokio::task::spawn_blocking(move || {
            threads.into_iter().map(JoinHandle::join).filter(Result::is_err).count()
        })
        .await;
        if !matches!(joined, Ok(0)) {
            tracing::error!("a database worker ended in a panic");
        }
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
async fn migrate(conn: &mut PgConnection) -> Result<()> {
    let all = migrations();
    let known = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let mut tx = conn.begin().await?;
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
    use std::collections::BTreeSet;
    use std::sync::Arc;

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

    /// Runs `count` jobs at once, each `sql` (one number), and returns their outcomes.
    async fn at_once(backend: &Arc<Backend>, count: usize, sql: &'static str) -> Vec<Result<i64>> {
        let mut jobs = tokio::task::JoinSet::new();
        for _ in 0..count {
            let backend = backend.clone();
            jobs.spawn(
                async move { backend.run(move |tx| tx.one(sql, params![], |r| r.get(0))).await },
            );
        }
        jobs.join_all().await
    }

    #[tokio::test]
    async fn connections_the_server_ended_are_replaced_after_one_failed_job() {
        let Some(url) = schema().await else { return };
        let backend = Arc::new(Backend::connect(&url, None).await.unwrap());
        // Every worker's connection, busy for a moment so that each worker takes a job.
        let busy = "SELECT pg_backend_pid()::BIGINT FROM (SELECT pg_sleep(0.2)) AS s";
        let pids: BTreeSet<i64> =
            at_once(&backend, WORKERS * 2, busy).await.into_iter().map(Result::unwrap).collect();
        assert!(pids.len() > 1, "{pids:?}");
        // The server ends them all, as a restart of PostgreSQL would.
        let mut admin = PgConnection::connect(&url).await.unwrap();
        for pid in &pids {
            sqlx::query("SELECT pg_terminate_backend($1::INT)")
                .bind(pid)
                .execute(&mut admin)
                .await
                .unwrap();
        }
        let left = "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1)";
        let pid_list: Vec<i64> = pids.iter().copied().collect();
        for _ in 0..100 {
            let alive: i64 =
                sqlx::query_scalar(left).bind(&pid_list).fetch_one(&mut admin).await.unwrap();
            if alive == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        // The first job after that fails on its broken connection; the other workers then check
        // theirs before their next job, so nothing else fails.
        let first = at_once(&backend, 1, "SELECT 1::BIGINT").await;
        assert!(first[0].is_err(), "{first:?}");
        let after = at_once(&backend, WORKERS * 2, busy).await;
        assert!(after.iter().all(Result::is_ok), "{after:?}");
    }

    #[tokio::test]
    async fn migrations_apply_once_and_a_newer_schema_is_refused() {
        let Some(url) = schema().await else { return };
        let (first, second) =
            tokio::join!(Backend::connect(&url, None), Backend::connect(&url, None));
        let (first, _second) = (first.unwrap(), second.unwrap());
        first
            .run(|tx| tx.execute("UPDATE hearth_schema SET version = 999", params![]))
            .await
            .unwrap();
        let newer = Backend::connect(&url, None).await;
        assert!(matches!(newer, Err(StoreError::TooNew { found: 999, .. })), "{newer:?}");
    }
}
