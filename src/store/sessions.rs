//! Flow sessions: at most one conversation in progress per member, expiring after a while.
//!
//! The stored state is a flow's serialised state enum, which by construction holds steps and
//! choices only, never free text.

use super::sql::params;
use super::{Result, Tx};
use chrono::{DateTime, Utc};

#[derive(Clone, Debug)]
pub struct SessionRow {
    pub id: i64,
    pub state: String,
    pub nonce: String,
    pub expires_at: DateTime<Utc>,
}

/// The member's session, held until the job ends: two answers of one person handled at once
/// (a double click, or two processes) take turns, and the second finds the step already
/// answered. SQLite's single writer takes them in turn anyway.
pub fn load(tx: &Tx, member_id: i64) -> Result<Option<SessionRow>> {
    macro_rules! load {
        ($($locking:literal)?) => {
            concat!("SELECT id, state, nonce, expires_at FROM flow_sessions WHERE member_id = $1"
                $(, $locking)?)
        };
    }
    tx.optional(
        if tx.is_postgres() { load!(" FOR UPDATE") } else { load!() },
        params![member_id],
        |r| {
            Ok(SessionRow {
                id: r.get(0)?,
                state: r.get(1)?,
                nonce: r.get(2)?,
                expires_at: r.get(3)?,
            })
        },
    )
}

/// Starts the member's session (replacing any other) and returns its id.
pub fn save(
    tx: &Tx,
    member_id: i64,
    state: &str,
    nonce: &str,
    expires_at: DateTime<Utc>,
) -> Result<i64> {
    tx.one(
        "INSERT INTO flow_sessions (member_id, state, nonce, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (member_id) DO UPDATE
         SET state = excluded.state, nonce = excluded.nonce, expires_at = excluded.expires_at
         RETURNING id",
        params![member_id, state, nonce, expires_at],
        |r| r.get(0),
    )
}

/// Moves an open session to its next step.
pub fn update(tx: &Tx, id: i64, state: &str, nonce: &str) -> Result<()> {
    tx.execute(
        "UPDATE flow_sessions SET state = $1, nonce = $2 WHERE id = $3",
        params![state, nonce, id],
    )?;
    Ok(())
}

pub fn delete(tx: &Tx, member_id: i64) -> Result<()> {
    tx.execute("DELETE FROM flow_sessions WHERE member_id = $1", params![member_id])?;
    Ok(())
}

pub fn purge_expired(tx: &Tx, now: DateTime<Utc>) -> Result<usize> {
    tx.execute("DELETE FROM flow_sessions WHERE expires_at <= $1", params![now])
}
