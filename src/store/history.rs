//! A person's own check-in colours, kept only when they chose to; only they ever read them.

use super::sql::params;
use super::{Result, StoreError, Tx};
use crate::colour::Colour;
use chrono::{DateTime, Utc};

pub fn add(tx: &Tx, member_id: i64, at: DateTime<Utc>, colour: Colour) -> Result<()> {
    tx.execute(
        "INSERT INTO checkin_history (member_id, at, colour) VALUES ($1, $2, $3)",
        params![member_id, at, colour.as_str()],
    )?;
    Ok(())
}

/// The member's colours since `since`, oldest first.
pub fn since(
    tx: &Tx,
    member_id: i64,
    since: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, Colour)>> {
    tx.all(
        "SELECT at, colour FROM checkin_history WHERE member_id = $1 AND at >= $2 ORDER BY at, id",
        params![member_id, since],
        |r| {
            let (at, colour) = (r.get::<DateTime<Utc>>(0)?, r.get::<String>(1)?);
            Colour::parse(&colour)
                .map(|c| (at, c))
                .ok_or_else(|| StoreError::Corrupt(format!("history colour {colour:?}")))
        },
    )
}

pub fn delete_all(tx: &Tx, member_id: i64) -> Result<usize> {
    tx.execute("DELETE FROM checkin_history WHERE member_id = $1", params![member_id])
}

pub fn purge_before(tx: &Tx, before: DateTime<Utc>) -> Result<usize> {
    tx.execute("DELETE FROM checkin_history WHERE at < $1", params![before])
}
