//! A person's own check-in colours, kept only when they chose to; only they ever read them.

use super::{Result, StoreError, Tx};
use crate::colour::Colour;
use chrono::{DateTime, Utc};
use rusqlite::params;

pub fn add(tx: &Tx, member_id: i64, at: DateTime<Utc>, colour: Colour) -> Result<()> {
    tx.sql()
        .prepare_cached("INSERT INTO checkin_history (member_id, at, colour) VALUES (?1, ?2, ?3)")?
        .execute(params![member_id, at, colour.as_str()])?;
    Ok(())
}

/// The member's colours since `since`, oldest first.
pub fn since(
    tx: &Tx,
    member_id: i64,
    since: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, Colour)>> {
    let mut statement = tx.sql().prepare_cached(
        "SELECT at, colour FROM checkin_history WHERE member_id = ?1 AND at >= ?2 ORDER BY at, id",
    )?;
    let rows = statement.query_map(params![member_id, since], |r| {
        Ok((r.get::<_, DateTime<Utc>>(0)?, r.get::<_, String>(1)?))
    })?;
    rows.map(|row| {
        let (at, colour) = row?;
        Colour::parse(&colour)
            .map(|c| (at, c))
            .ok_or_else(|| StoreError::Corrupt(format!("history colour {colour:?}")))
    })
    .collect()
}

pub fn delete_all(tx: &Tx, member_id: i64) -> Result<usize> {
    Ok(tx
        .sql()
        .prepare_cached("DELETE FROM checkin_history WHERE member_id = ?1")?
        .execute(params![member_id])?)
}

pub fn purge_before(tx: &Tx, before: DateTime<Utc>) -> Result<usize> {
    Ok(tx
        .sql()
        .prepare_cached("DELETE FROM checkin_history WHERE at < ?1")?
        .execute(params![before])?)
}
