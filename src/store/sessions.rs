//! Flow sessions: at most one conversation in progress per member, expiring after a while.
//!
//! The stored state is a flow's serialised state enum, which by construction holds steps and
//! choices only, never free text.

use super::{Conn, Result};
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub state: String,
    pub nonce: String,
    pub expires_at: DateTime<Utc>,
}

pub async fn load(conn: &mut Conn, member_id: i64) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as("SELECT id, state, nonce, expires_at FROM flow_sessions WHERE member_id = ?")
        .bind(member_id)
        .fetch_optional(conn)
        .await?)
}

/// Saves the member's session (replacing any other) and returns its id.
pub async fn save(
    conn: &mut Conn,
    member_id: i64,
    state: &str,
    nonce: &str,
    expires_at: DateTime<Utc>,
) -> Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO flow_sessions (member_id, state, nonce, expires_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (member_id) DO UPDATE
         SET state = excluded.state, nonce = excluded.nonce, expires_at = excluded.expires_at
         RETURNING id",
    )
    .bind(member_id)
    .bind(state)
    .bind(nonce)
    .bind(expires_at)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

pub async fn delete(conn: &mut Conn, member_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM flow_sessions WHERE member_id = ?")
        .bind(member_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn purge_expired(conn: &mut Conn, now: DateTime<Utc>) -> Result<u64> {
    let done = sqlx::query("DELETE FROM flow_sessions WHERE expires_at <= ?")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
