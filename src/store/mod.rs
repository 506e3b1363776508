//! The store: every SQL statement hearth runs lives under this module.
//!
//! SQLite (WAL, foreign keys on) owned by one writer thread. Work arrives as closures, each run
//! inside a savepoint of a shared transaction: the thread takes every job that is waiting (up
//! to a batch), runs them one after another, commits once, and only then answers each job.
//! One event costs one hop between threads and a share of one commit, instead of a hop per
//! statement; a failed job rolls back only its own savepoint. Nothing here is async but the
//! hand-off itself, so the code that runs inside a job is plain, synchronous and testable.
//! SQL stays plain and portable where that costs nothing.

pub mod agenda;
pub mod backup;
pub mod breaks;
pub mod communities;
pub mod forget;
pub mod history;
mod lease;
pub mod members;
mod migrate;
pub mod mydata;
pub mod plan;
#[cfg(test)]
mod portable;
mod postgres;
mod private;
pub mod purge;
pub mod requests;
pub mod schedules;
pub mod sessions;
mod sql;
pub mod supervision;
pub mod teams;
mod values;
pub mod weather;
mod when;

use chrono::{DateTime, Utc};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

pub use lease::Lease;
pub use members::Member;
pub use plan::{Mode, Plan};
pub use purge::Retention;
pub use teams::Team;

/// A job's transaction: the handle the core passes to the store's functions. What is inside
/// (a SQLite connection, or a PostgreSQL connection in its transaction) is reachable only from
/// `src/store/`, so the core cannot run SQL of its own.
#[derive(Debug)]
pub struct Tx<'a> {
    conn: Conn<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Conn<'a> {
    Sqlite(&'a rusqlite::Connection),
    Postgres(&'a postgres::Job<'a>),
}

impl<'a> Tx<'a> {
    fn sqlite(conn: &'a rusqlite::Connection) -> Self {
        Self { conn: Conn::Sqlite(conn) }
    }

    fn postgres(job: &'a postgres::Job<'a>) -> Self {
        Self { conn: Conn::Postgres(job) }
    }

    /// For the few statements whose best form differs (row locks that SQLite's single writer
    /// has no need of).
    pub(in crate::store) fn is_postgres(&self) -> bool {
        matches!(self.conn, Conn::Postgres(_))
    }
}

/// An error of the database itself, kept opaque so no database crate's type leaves the store.
#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error(transparent)]
    Sqlite(rusqlite::Error),
    #[error(transparent)]
    Postgres(sqlx::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Database(DatabaseError::Sqlite(error))
    }
}

/// Most jobs that share one commit.
const MAX_BATCH: usize = 256;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(DatabaseError),
    #[error("could not commit: {0}")]
    Commit(String),
    #[error("could not create the data directory {path}: {source}")]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error("the database was written by a newer hearth (schema {found}, this one knows {known})")]
    TooNew { found: i64, known: i64 },
    #[error("stored data is not what this version expects: {0}")]
    Corrupt(String),
    #[error("the store has shut down")]
    Closed,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Called after the commit with its outcome; answers the job's caller.
type Answer = Box<dyn FnOnce(Result<()>) + Send>;
/// Runs inside a savepoint; says whether it failed (so its savepoint is rolled back).
type Job = Box<dyn FnOnce(&Tx) -> (bool, Answer) + Send>;

#[derive(Debug)]
pub struct Store {
    backend: Backend,
}

#[derive(Debug)]
enum Backend {
    /// The writer thread's queue, and the threads (taken when the store closes).
    Sqlite { jobs: Mutex<Option<mpsc::Sender<Job>>>, threads: Mutex<Option<Threads>> },
    /// The pool.
    Postgres(Box<postgres::Backend>),
}

/// The store's two threads, and the way to tell the checkpointer to finish.
#[derive(Debug)]
struct Threads {
    writer: JoinHandle<()>,
    checkpointer: JoinHandle<()>,
    stop_checkpoints: mpsc::Sender<()>,
}

/// The database file inside a data directory.
pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join("hearth.db")
}

impl Store {
    /// The PostgreSQL database at `url` when one is configured (its password given apart,
    /// never in the URL), else SQLite in `data_dir`; migrated either way.
    pub async fn connect(
        data_dir: &Path,
        url: Option<&str>,
        password: Option<&str>,
    ) -> Result<Self> {
        let Some(url) = url else { return Self::open(data_dir) };
        let backend = postgres::Backend::connect(url, password).await?;
        Ok(Self { backend: Backend::Postgres(Box::new(backend)) })
    }

    /// Whether this store is on PostgreSQL (where backups are PostgreSQL's own tools' work).
    pub fn is_postgres(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// Opens (creating if needed) the SQLite database in `data_dir` and applies pending
    /// migrations.
    pub fn open(data_dir: &Path) -> Result<Self> {
        private::prepare(data_dir)?;
        let mut conn = rusqlite::Connection::open(database_path(data_dir))?;
        conn.pragma_update(None, "journal_mode", "wal")?;
        // In WAL mode NORMAL never corrupts the database and survives a crash of hearth; only
        // a power cut may lose the last commits. FULL would fsync every commit.
        conn.pragma_update(None, "synchronous", "normal")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(128);
        // Checkpoints (copying the WAL back into the database) run on their own thread, so
        // the writer never stalls on them; this is only the safety net if that thread lags.
        conn.pragma_update(None, "wal_autocheckpoint", 10_000)?;
        migrate::run(&mut conn)?;
        let checkpoints = rusqlite::Connection::open(database_path(data_dir))?;
        checkpoints.busy_timeout(Duration::from_secs(5))?;

        let (sender, receiver) = mpsc::channel::<Job>();
        let (stop_checkpoints, stopped) = mpsc::channel::<()>();
        let spawn = |name: &str, f: Box<dyn FnOnce() + Send>| {
            std::thread::Builder::new()
                .name(name.into())
                .spawn(f)
                .map_err(|e| StoreError::Commit(format!("could not start {name}: {e}")))
        };
        let writer = spawn("hearth-store", Box::new(move || writer(conn, receiver)))?;
        let checkpointer =
            spawn("hearth-checkpoint", Box::new(move || checkpointer(checkpoints, stopped)))?;
        let threads = Threads { writer, checkpointer, stop_checkpoints };
        let (jobs, threads) = (Mutex::new(Some(sender)), Mutex::new(Some(threads)));
        Ok(Self { backend: Backend::Sqlite { jobs, threads } })
    }

    /// Runs `work` in a transaction and returns its result once committed. If `work` fails,
    /// none of its writes are kept. `work` may fail with the caller's own error type (the
    /// core's), as long as a store error can become one: that is where they meet.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnOnce(&Tx) -> Result<T, E> + Send + 'static,
    {
        let jobs = match &self.backend {
            Backend::Sqlite { jobs, .. } => jobs,
            Backend::Postgres(postgres) => return postgres.run(work).await,
        };
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |tx| {
            let result = work(tx);
            let failed = result.is_err();
            let answer: Answer = Box::new(move |commit| {
                let _ = answer.send(commit.map_err(E::from).and(result));
            });
            (failed, answer)
        });
        let sender = jobs.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let closed = || E::from(StoreError::Closed);
        sender.ok_or_else(closed)?.send(job).map_err(|_| closed())?;
        answered.await.map_err(|_| closed())?
    }

    /// Deletes what has outlived its purpose: finished days' per-person weather rows,
    /// expired flow sessions, and aggregates and history past their retention.
    pub async fn housekeeping(&self, now: DateTime<Utc>, retention: Retention) -> Result<Plan> {
        self.purge(now, retention, Mode::Apply).await
    }

    /// Whether the database answers (for readiness checks).
    pub async fn ping(&self) -> Result<()> {
        self.run(|tx| tx.one("SELECT 1", sql::params![], |r| r.get::<i64>(0)).map(|_| ())).await
    }

    /// Housekeeping applied, or in a dry run only counted (see [`purge`]).
    pub async fn purge(
        &self,
        now: DateTime<Utc>,
        retention: Retention,
        mode: Mode,
    ) -> Result<Plan> {
        self.run(move |tx| purge::run(tx, now, retention, mode)).await
    }

    /// Finishes the jobs already handed in, then stops the writer. Later calls get `Closed`.
    pub async fn close(&self) {
        let (jobs, threads) = match &self.backend {
            Backend::Sqlite { jobs, threads } => (jobs, threads),
            Backend::Postgres(postgres) => return postgres.close().await,
        };
        drop(jobs.lock().unwrap_or_else(|p| p.into_inner()).take());
        let threads = threads.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(Threads { writer, checkpointer, stop_checkpoints }) = threads {
            let joined = tokio::task::spawn_blocking(move || {
                let writer = writer.join();
                drop(stop_checkpoints);
                writer.and(checkpointer.join())
            })
            .await;
            if !matches!(joined, Ok(Ok(()))) {
                tracing::error!("a store thread ended badly");
            }
        }
    }
}

/// Housekeeping inside a transaction (the scheduler runs it as one of its kinds).
pub fn housekeeping(tx: &Tx, now: DateTime<Utc>, retention: Retention) -> Result<Plan> {
    let plan = purge::run(tx, now, retention, Mode::Apply)?;
    for line in plan.lines.iter().filter(|l| l.rows > 0) {
        tracing::debug!(table = line.table, rows = line.rows, "purged");
    }
    Ok(plan)
}

/// The writer thread: batches of jobs, one transaction per batch, a savepoint per job.
fn writer(conn: rusqlite::Connection, jobs: mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if let Err(error) = run_cached(&conn, "BEGIN IMMEDIATE") {
            tracing::error!(%error, jobs = batch.len(), "could not begin a transaction");
            // Dropping the jobs drops their answer channels: callers get `Closed`.
            continue;
        }
        let mut answers = Vec::with_capacity(batch.len());
        for job in batch {
            if run_cached(&conn, "SAVEPOINT job").is_err() {
                continue;
            }
            let outcome = catch_unwind(AssertUnwindSafe(|| job(&Tx::sqlite(&conn))));
            let failed = outcome.as_ref().map_or(true, |(failed, _)| *failed);
            if failed {
                let _ = run_cached(&conn, "ROLLBACK TO job");
            }
            let _ = run_cached(&conn, "RELEASE job");
            if let Ok((_, answer)) = outcome {
                answers.push(answer);
            }
        }
        let commit = run_cached(&conn, "COMMIT").map(|_| ()).map_err(|e| e.to_string());
        if let Err(error) = &commit {
            tracing::error!(%error, "commit failed");
            let _ = conn.execute_batch("ROLLBACK");
        }
        for answer in answers {
            answer(commit.clone().map_err(StoreError::Commit));
        }
    }
}

/// Copies the WAL back into the database now and then, beside the writer (a passive
/// checkpoint never blocks it), and once more when the store closes.
fn checkpointer(conn: rusqlite::Connection, stop: mpsc::Receiver<()>) {
    loop {
        let stopping = !matches!(
            stop.recv_timeout(Duration::from_millis(250)),
            Err(mpsc::RecvTimeoutError::Timeout)
        );
        let mode = if stopping { "TRUNCATE" } else { "PASSIVE" };
        let result: rusqlite::Result<(i64, i64, i64)> =
            conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            });
        if let Err(error) = result {
            tracing::warn!(%error, "checkpoint failed; the writer's own checkpoints take over");
        }
        if stopping {
            return;
        }
    }
}

/// Runs a statement without parameters, prepared once per connection.
fn run_cached(conn: &rusqlite::Connection, sql: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute([])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_failed_job_keeps_nothing_and_its_neighbours_commit() {
        let dir = tempfile::tempdir().unwrap();
        let store = std::sync::Arc::new(Store::open(dir.path()).unwrap());
        let now = Utc::now();
        let defaults = crate::config::TeamDefaults::default();
        let team =
            hearth_chat::TeamRef { platform: hearth_chat::Platform::Console, id: "t".into() };
        let mut handles = Vec::new();
        for i in 0..20 {
            let (store, team, defaults) = (store.clone(), team.clone(), defaults.clone());
            handles.push(tokio::spawn(async move {
                store
                    .run(move |tx| {
                        let team = teams::get_or_create(tx, &team, &defaults, now)?;
                        members::get_or_create(tx, team.id, &format!("m{i}"), now)?;
                        if i % 2 == 0 {
                            Err(StoreError::Corrupt("on purpose".into()))
                        } else {
                            Ok(())
                        }
                    })
                    .await
            }));
        }
        let mut failed = 0;
        for handle in handles {
            failed += usize::from(handle.await.unwrap().is_err());
        }
        assert_eq!(failed, 10);
        let members: i64 = store
            .run(|tx| tx.one("SELECT count(*) FROM members", sql::params![], |r| r.get(0)))
            .await
            .unwrap();
        assert_eq!(members, 10);
        store.close().await;
        assert!(matches!(store.run(|_| Ok::<_, StoreError>(())).await, Err(StoreError::Closed)));
    }

    #[tokio::test]
    async fn reopening_migrates_once_and_refuses_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        Store::open(dir.path()).unwrap().close().await;
        Store::open(dir.path()).unwrap().close().await;
        let conn = rusqlite::Connection::open(database_path(dir.path())).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        drop(conn);
        assert!(matches!(Store::open(dir.path()), Err(StoreError::TooNew { found: 999, .. })));
    }
}
