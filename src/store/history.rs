//! A person's own check-in colours, kept only when they chose to; only they ever read them.

use super::{Conn, Result, StoreError};
use crate::colour::Colour;
use chrono::{DateTime, Utc};

pub async fn add(conn: &mut Conn, member_id: i64, at: DateTime<Utc>, colour: Colour) -> Result<()> {
    sqlx::query("INSERT INTO checkin_history (member_id, at, colour) VALUES (?, ?, ?)")
        .bind(member_id)
        .bind(at)
        .bind(colour.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// The member's colours since `since`, oldest first.
pub async fn since(
    conn: &mut Conn,
    member_id: i64,
    since: DateTime<Utc>,
) -> Result<Vec<(DateTime<Utc>, Colour)>> {
    let rows: Vec<(DateTime<Utc>, String)> = sqlx::query_as(
        "SELECT at, colour FROM checkin_history WHERE member_id = ? AND at >= ? ORDER BY at, id",
    )
    .bind(member_id)
    .bind(since)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(at, colour)| {
            Colour::parse(&colour)
                .map(|c| (at, c))
                .ok_or_else(|| StoreError::Corrupt(format!("history colour {colour:?}")))
        })
        .collect()
}

pub async fn delete_all(conn: &mut Conn, member_id: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM checkin_history WHERE member_id = ?")
        .bind(member_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

pub async fn purge_before(conn: &mut Conn, before: DateTime<Utc>) -> Result<u64> {
    let done =
        sqlx::query("DELETE FROM checkin_history WHERE at < ?").bind(before).execute(conn).await?;
    Ok(done.rows_affected())
}
