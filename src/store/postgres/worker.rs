//! The threads that run PostgreSQL jobs: each owns one connection and a small runtime of its
//! own, so a statement is a round trip driven from the thread that waits for it, with no hop
//! to another thread and back. A job's transaction begins with its first statement that
//! writes or locks: at READ COMMITTED every statement reads a fresh snapshot anyway, so reads
//! before it need no transaction, and a job that only reads needs none at all.

use super::{Options, time_text};
use crate::store::values::{Kind, Param, Value};
use crate::store::{Result, StoreError, Tx};
use sqlx::postgres::{PgArguments, PgConnection, PgRow};
use sqlx::{AssertSqlSafe, Connection as _, Postgres};
use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A job for whichever worker is free.
pub type Work = Box<dyn FnOnce(&mut Worker) + Send>;

/// A connection idle for longer than this is checked before it runs a job, so one the server
/// or the network dropped meanwhile is replaced instead of failing the job.
const IDLE_CHECK: Duration = Duration::from_secs(30);

/// A thread's connection (made when first needed, again after it broke) and its runtime.
pub struct Worker {
    runtime: tokio::runtime::Runtime,
    options: Options,
    conn: Option<Held>,
    /// How many times any worker found its connection broken. When one does (the server
    /// restarted, or the network was cut), the others check theirs before their next job, so
    /// that an outage fails one job rather than one on every connection.
    breaks: Arc<AtomicU64>,
}

/// A connection, when it last ran a job, and the count of breaks it has been checked since.
struct Held {
    conn: PgConnection,
    used: Instant,
    breaks: u64,
}

/// Starts `count` workers taking jobs from one queue; they stop when its sender is dropped.
pub fn start(count: usize, options: &Options) -> Result<(mpsc::Sender<Work>, Vec<JoinHandle<()>>)> {
    let (sender, receiver) = mpsc::channel::<Work>();
    let receiver = Arc::new(Mutex::new(receiver));
    let breaks = Arc::new(AtomicU64::new(0));
    let mut threads = Vec::with_capacity(count);
    for n in 0..count {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Commit(format!("could not start a database worker: {e}")))?;
        let breaks = breaks.clone();
        let mut worker = Worker { runtime, options: options.clone(), conn: None, breaks };
        let receiver = receiver.clone();
        let thread = std::thread::Builder::new()
            .name(format!("hearth-pg-{n}"))
            .spawn(move || {
                loop {
                    let next = receiver.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    let Ok(work) = next else { break };
                    work(&mut worker);
                }
            })
            .map_err(|e| StoreError::Commit(format!("could not start a database worker: {e}")))?;
        threads.push(thread);
    }
    Ok((sender, threads))
}

impl Worker {
    /// Runs `work` as one transaction on this worker's connection; commits if it succeeds.
    pub fn transaction<T, E, F>(&mut self, work: F) -> Result<T, E>
    where
        E: From<StoreError>,
        F: FnOnce(&Tx) -> Result<T, E>,
    {
        let Self { runtime, options, conn, breaks } = self;
        let connection = match connection(runtime, options, conn, breaks) {
            Ok(connection) => connection,
            Err(error) => return Err(E::from(error)),
        };
        let (result, healthy) = {
            let job = Job { conn: RefCell::new(connection), runtime, begun: Cell::new(false) };
            let outcome = catch_unwind(AssertUnwindSafe(|| work(&Tx::postgres(&job))));
            let begun = job.begun.get();
            // A failed job's transaction is rolled back; one that began none may have failed
            // because the connection broke, which a ping tells.
            let end_failed = || match begun {
                true => job.simple("ROLLBACK").is_ok(),
                false => runtime.block_on(job.conn.borrow_mut().ping()).is_ok(),
            };
            match outcome {
                Ok(Ok(value)) if !begun => (Ok(value), true),
                Ok(Ok(value)) => match job.simple("COMMIT") {
                    Ok(()) => (Ok(value), true),
                    Err(error) => (Err(E::from(StoreError::Commit(error.to_string()))), false),
                },
                Ok(Err(error)) => (Err(error), end_failed()),
                Err(_) => {
                    tracing::error!("a store job panicked; its transaction was rolled back");
                    (Err(E::from(StoreError::Closed)), end_failed())
                }
            }
        };
        if healthy {
            if let Some(held) = conn {
                held.used = Instant::now();
            }
        } else {
            // Not used again; the other workers check theirs.
            *conn = None;
            breaks.fetch_add(1, Ordering::Relaxed);
            tracing::warn!("a database connection broke; it is replaced");
        }
        result
    }
}

/// The worker's connection: its own one (checked first when it has been idle for a while, or
/// another worker's broke since it was last checked), or a new one.
fn connection<'c>(
    runtime: &tokio::runtime::Runtime,
    options: &Options,
    conn: &'c mut Option<Held>,
    breaks: &AtomicU64,
) -> Result<&'c mut PgConnection> {
    let breaks = breaks.load(Ordering::Relaxed);
    if let Some(held) = conn
        && (held.breaks != breaks || held.used.elapsed() > IDLE_CHECK)
    {
        held.breaks = breaks;
        if runtime.block_on(held.conn.ping()).is_err() {
            *conn = None;
        }
    }
    if conn.is_none() {
        let made = runtime.block_on(PgConnection::connect_with(&options.0))?;
        *conn = Some(Held { conn: made, used: Instant::now(), breaks });
    }
    let held = conn.as_mut().ok_or(StoreError::Closed)?;
    Ok(&mut held.conn)
}

/// One job's connection, inside its transaction once anything is written or locked.
pub struct Job<'w> {
    conn: RefCell<&'w mut PgConnection>,
    runtime: &'w tokio::runtime::Runtime,
    begun: Cell<bool>,
}

impl std::fmt::Debug for Job<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("begun", &self.begun.get()).finish_non_exhaustive()
    }
}

type Query<'q> = sqlx::query::Query<'q, Postgres, PgArguments>;

impl Job<'_> {
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

    /// Begins the job's transaction before the first statement that needs one.
    fn before(&self, sql: &str) -> Result<()> {
        if self.begun.get() || only_reads(sql) {
            return Ok(());
        }
        self.begun.set(true);
        self.simple("BEGIN")
    }

    pub(in crate::store) fn execute(&self, sql: &str, params: &[&dyn Param]) -> Result<usize> {
        self.before(sql)?;
        let mut conn = self.conn.borrow_mut();
        let done = self.runtime.block_on(Self::query(sql, params).execute(&mut **conn))?;
        Ok(usize::try_from(done.rows_affected()).unwrap_or(usize::MAX))
    }

    pub(in crate::store) fn fetch_all(
        &self,
        sql: &str,
        params: &[&dyn Param],
    ) -> Result<Vec<PgRow>> {
        self.before(sql)?;
        let mut conn = self.conn.borrow_mut();
        Ok(self.runtime.block_on(Self::query(sql, params).fetch_all(&mut **conn))?)
    }

    pub(in crate::store) fn fetch_optional(
        &self,
        sql: &str,
        params: &[&dyn Param],
    ) -> Result<Option<PgRow>> {
        self.before(sql)?;
        let mut conn = self.conn.borrow_mut();
        Ok(self.runtime.block_on(Self::query(sql, params).fetch_optional(&mut **conn))?)
    }

    /// Statements without parameters (savepoints, tests' tables), in the simple protocol.
    pub(in crate::store) fn batch(&self, sql: &str) -> Result<()> {
        self.before(sql)?;
        self.simple(sql)
    }

    fn simple(&self, sql: &str) -> Result<()> {
        let mut conn = self.conn.borrow_mut();
        let raw = sqlx::raw_sql(AssertSqlSafe(sql.to_owned()));
        self.runtime.block_on(raw.execute(&mut **conn))?;
        Ok(())
    }
}

/// Whether a statement only reads, taking no lock, so that it needs no transaction: a plain
/// `SELECT` without a locking clause. Anything else (a write, `WITH`, a savepoint) begins one.
fn only_reads(sql: &str) -> bool {
    let mut words = sql.split_ascii_whitespace();
    words.next().is_some_and(|w| w.eq_ignore_ascii_case("SELECT"))
        && !words.any(|w| w.eq_ignore_ascii_case("FOR"))
}

#[cfg(test)]
mod tests {
    use super::only_reads;

    #[test]
    fn only_plain_selects_run_before_the_transaction() {
        assert!(only_reads("SELECT id FROM teams WHERE id = $1"));
        assert!(only_reads("\n  select 1"));
        for needs_one in [
            "SELECT id FROM schedules s WHERE next_run <= $1 FOR UPDATE OF s SKIP LOCKED",
            "SELECT id FROM members\nFOR SHARE",
            "INSERT INTO teams (id) VALUES (1)",
            "UPDATE members SET keep_history = 1",
            "WITH x AS (DELETE FROM t RETURNING id) SELECT count(*) FROM x",
            "SAVEPOINT plan",
            "DELETE FROM flow_sessions",
        ] {
            assert!(!only_reads(needs_one), "{needs_one}");
        }
    }
}
