//! Leases: which one of several hearth processes on one database does what only one may do at
//! a time (serve Matrix, whose account syncs in one place). Not for data: nothing is stored.
//!
//! On PostgreSQL a lease is a session-level advisory lock held on a connection of its own,
//! outside the pool, so it lasts exactly as long as that connection: a process that dies, or
//! is cut off, lets go of it with its connection, and a waiting process takes it at its next
//! try. On SQLite there is one process by construction and a lease is granted at once.

use super::Store;
use super::postgres::Options;
use sha2::{Digest, Sha256};
use sqlx::{Connection, PgConnection};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How often a process waiting for a lease tries again.
const POLL: Duration = Duration::from_secs(2);
/// How often the holder makes sure its connection, and so its lock, is still there; also
/// how long it waits for the answer.
const CHECK: Duration = Duration::from_secs(5);
/// A lease connection silent this long is ended by PostgreSQL itself, releasing the lock, so
/// a holder that froze or was cut off from the database cannot keep it; the holder checks far
/// more often, so while it lives the server never ends it, and when cut off it notices first.
const SILENT_FOR: &str = "30s";

/// Held until dropped (or lost with its connection). See [`Store::lead`].
#[derive(Debug)]
pub struct Lease {
    /// `None` on SQLite: nothing to hold, nothing to lose.
    held: Option<Held>,
}

#[derive(Debug)]
struct Held {
    lost: CancellationToken,
    release: CancellationToken,
}

impl Lease {
    /// Resolves once the lease is lost (its connection failed a check or was ended): another
    /// process may hold it by then. Never resolves on SQLite.
    pub async fn lost(&self) {
        match &self.held {
            Some(held) => held.lost.cancelled().await,
            None => std::future::pending().await,
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(held) = &self.held {
            held.release.cancel();
        }
    }
}

impl Store {
    /// Waits until this process holds the lease `name` (at once on SQLite, or when no other
    /// process holds it), calling `waiting` once if it has to wait. Connection problems while
    /// waiting are logged and tried again: a process waits until it gets the lease or the
    /// future is dropped.
    pub async fn lead(&self, name: &str, waiting: impl FnOnce()) -> Lease {
        let super::Backend::Postgres(postgres) = &self.backend else { return Lease { held: None } };
        let options = postgres.options();
        let mut waiting = Some(waiting);
        let mut conn: Option<PgConnection> = None;
        loop {
            if conn.is_none() {
                conn = connect(options, name).await;
            }
            if let Some(c) = conn.as_mut() {
                match try_lock(c, name).await {
                    Ok(true) => {
                        let held = Held {
                            lost: CancellationToken::new(),
                            release: CancellationToken::new(),
                        };
                        let connection = conn.take().expect("connected");
                        tokio::spawn(keep(
                            connection,
                            name.to_owned(),
                            held.lost.clone(),
                            held.release.clone(),
                        ));
                        return Lease { held: Some(held) };
                    }
                    Ok(false) => {
                        if let Some(waiting) = waiting.take() {
                            waiting();
                        }
                    }
                    Err(error) => {
                        tracing::warn!(lease = name, %error, "could not ask for a lease; trying again");
                        conn = None;
                    }
                }
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

/// A connection of the lease's own (none when the database cannot be reached now).
async fn connect(options: &Options, name: &str) -> Option<PgConnection> {
    match PgConnection::connect_with(&options.0).await {
        Ok(mut conn) => {
            // PostgreSQL 14 and later; older servers only lack the safety net.
            let sql = format!("SET idle_session_timeout = '{SILENT_FOR}'");
            if let Err(error) = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await {
                tracing::debug!(lease = name, %error, "no idle_session_timeout on this server");
            }
            Some(conn)
        }
        Err(error) => {
            tracing::warn!(lease = name, %error, "could not connect for a lease; trying again");
            None
        }
    }
}

/// Takes the lock if nobody holds it. Its key is the lease's name within the schema hearth
/// uses, so hearths in different schemas of one database do not exclude each other.
async fn try_lock(conn: &mut PgConnection, name: &str) -> sqlx::Result<bool> {
    let schema: Option<String> =
        sqlx::query_scalar("SELECT current_schema()").fetch_one(&mut *conn).await?;
    sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(key(schema.as_deref().unwrap_or_default(), name))
        .fetch_one(&mut *conn)
        .await
}

/// The advisory lock's key: stable across builds and versions of hearth (unlike Rust's own
/// hasher), since the processes sharing a database may run different ones during an upgrade.
fn key(schema: &str, name: &str) -> i64 {
    let digest = Sha256::new()
        .chain_update(b"hearth lease\0")
        .chain_update(schema.as_bytes())
        .chain_update(b"\0")
        .chain_update(name.as_bytes())
        .finalize();
    let mut first = [0; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// Holds the lease's connection, checking it now and then, until the lease is dropped (then
/// closes it, which ends the session and its lock) or the connection fails (lost).
async fn keep(
    mut conn: PgConnection,
    name: String,
    lost: CancellationToken,
    release: CancellationToken,
) {
    loop {
        tokio::select! {
            () = release.cancelled() => {
                if let Err(error) = conn.close().await {
                    tracing::debug!(lease = name, %error, "lease connection closed badly");
                }
                return;
            }
            () = tokio::time::sleep(CHECK) => {}
        }
        let alive = tokio::time::timeout(CHECK, sqlx::raw_sql("SELECT 1").execute(&mut conn));
        if !matches!(alive.await, Ok(Ok(_))) {
            tracing::warn!(lease = name, "lost a lease: its database connection failed");
            lost.cancel();
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::postgres::tests::schema;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn store(url: &str) -> Store {
        let dir = tempfile::tempdir().unwrap();
        Store::connect(dir.path(), Some(url), None).await.unwrap()
    }

    fn never() {
        panic!("this lease was free: nobody should have waited");
    }

    #[tokio::test]
    async fn a_second_process_waits_for_the_lease_and_gets_it_once_the_first_lets_go() {
        let Some(url) = schema().await else { return };
        let (a, b) = (store(&url).await, store(&url).await);
        let first = a.lead("matrix", never).await;
        let waited = std::sync::Arc::new(AtomicUsize::new(0));
        let counted = waited.clone();
        let second = tokio::spawn(async move {
            let lease = b
                .lead("matrix", move || {
                    counted.fetch_add(1, Ordering::SeqCst);
                })
                .await;
            (b, lease)
        });
        tokio::time::sleep(POLL * 3).await;
        assert!(!second.is_finished(), "both held the lease");
        assert_eq!(waited.load(Ordering::SeqCst), 1, "told once that it waits");
        // Another lease is another lock.
        let other = tokio::time::timeout(POLL, a.lead("other", never)).await.expect("free");
        drop(first);
        let (b, _second) =
            tokio::time::timeout(POLL * 3, second).await.expect("taken at the next try").unwrap();
        assert_eq!(waited.load(Ordering::SeqCst), 1);
        drop(other);
        // And now the first process waits in turn.
        assert!(tokio::time::timeout(POLL * 2, a.lead("matrix", || {})).await.is_err());
        drop(b);
    }

    #[tokio::test]
    async fn a_lease_whose_connection_is_ended_is_lost_and_goes_to_the_next() {
        let Some(url) = schema().await else { return };
        let (a, b) = (store(&url).await, store(&url).await);
        let first = a.lead("matrix", never).await;
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        let schema: String =
            sqlx::query_scalar("SELECT current_schema()").fetch_one(&pool).await.unwrap();
        // The server ends the holder's session (as when its process dies or is cut off).
        let ended: Vec<bool> = sqlx::query_scalar(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'
             AND granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = $1",
        )
        .bind(key(&schema, "matrix"))
        .fetch_all(&pool)
        .await
        .unwrap();
        assert_eq!(ended, [true], "one session held it");
        tokio::time::timeout(CHECK * 3, first.lost()).await.expect("the holder notices");
        let next = tokio::time::timeout(POLL * 3, b.lead("matrix", never)).await;
        assert!(next.is_ok(), "the next process takes it");
    }

    #[tokio::test]
    async fn hearths_in_different_schemas_do_not_exclude_each_other() {
        let (Some(one), Some(two)) = (schema().await, schema().await) else { return };
        let (a, b) = (store(&one).await, store(&two).await);
        let _first = a.lead("matrix", never).await;
        assert!(tokio::time::timeout(POLL, b.lead("matrix", never)).await.is_ok());
    }

    #[tokio::test]
    async fn on_sqlite_a_lease_is_granted_at_once_and_never_lost() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let lease = store.lead("matrix", never).await;
        assert!(tokio::time::timeout(CHECK, lease.lost()).await.is_err());
        store.close().await;
    }
}
