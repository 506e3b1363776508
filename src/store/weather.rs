//! Team weather: anonymous counts of check-in colours per team and day.
//!
//! One colour per person per day: while the day lasts, a row keyed by
//! `sha256(day's salt ‖ member id)` remembers which colour that person added, so a second
//! check-in moves their count instead of adding one. The salt is random, never leaves the
//! database, and is deleted with those rows when the team's day ends; the counts that remain
//! cannot be linked to anyone.

use super::{Conn, Result, StoreError};
use crate::colour::Colour;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use sha2::{Digest, Sha256};

/// Adds (or replaces) a person's colour in their team's weather for `day`.
pub async fn add(
    conn: &mut Conn,
    team_id: i64,
    day: NaiveDate,
    member_id: i64,
    colour: Colour,
) -> Result<()> {
    let salt: [u8; 32] = rand::random();
    sqlx::query(
        "INSERT INTO weather_salts (team_id, day, salt) VALUES (?, ?, ?)
         ON CONFLICT (team_id, day) DO NOTHING",
    )
    .bind(team_id)
    .bind(day)
    .bind(&salt[..])
    .execute(&mut *conn)
    .await?;
    let (salt,): (Vec<u8>,) =
        sqlx::query_as("SELECT salt FROM weather_salts WHERE team_id = ? AND day = ?")
            .bind(team_id)
            .bind(day)
            .fetch_one(&mut *conn)
            .await?;
    let mut hasher = Sha256::new();
    hasher.update(&salt);
    hasher.update(member_id.to_le_bytes());
    let person_hash = hasher.finalize().to_vec();

    let previous: Option<(String,)> = sqlx::query_as(
        "SELECT colour FROM weather_today WHERE team_id = ? AND day = ? AND person_hash = ?",
    )
    .bind(team_id)
    .bind(day)
    .bind(&person_hash)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((previous,)) = previous {
        if previous == colour.as_str() {
            return Ok(());
        }
        sqlx::query(
            "UPDATE weather_counts SET people = people - 1
             WHERE team_id = ? AND day = ? AND colour = ? AND people > 0",
        )
        .bind(team_id)
        .bind(day)
        .bind(&previous)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO weather_today (team_id, day, person_hash, colour) VALUES (?, ?, ?, ?)
         ON CONFLICT (team_id, day, person_hash) DO UPDATE SET colour = excluded.colour",
    )
    .bind(team_id)
    .bind(day)
    .bind(&person_hash)
    .bind(colour.as_str())
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO weather_counts (team_id, day, colour, people) VALUES (?, ?, ?, 1)
         ON CONFLICT (team_id, day, colour) DO UPDATE SET people = people + 1",
    )
    .bind(team_id)
    .bind(day)
    .bind(colour.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Counts per day and colour for `from..=to`, by day.
pub async fn counts(
    conn: &mut Conn,
    team_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, Colour, u32)>> {
    let rows: Vec<(NaiveDate, String, i64)> = sqlx::query_as(
        "SELECT day, colour, people FROM weather_counts
         WHERE team_id = ? AND day >= ? AND day <= ? AND people > 0 ORDER BY day, colour",
    )
    .bind(team_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(day, colour, people)| {
            let colour = Colour::parse(&colour)
                .ok_or_else(|| StoreError::Corrupt(format!("weather colour {colour:?}")))?;
            let people = u32::try_from(people)
                .map_err(|_| StoreError::Corrupt(format!("weather count {people}")))?;
            Ok((day, colour, people))
        })
        .collect()
}

/// Deletes the salts and per-person rows of every team day that has ended in the team's own
/// timezone. Returns how many salts were thrown away.
pub async fn forget_ended_days(conn: &mut Conn, now: DateTime<Utc>) -> Result<u64> {
    let teams: Vec<(i64, String)> = sqlx::query_as(
        "SELECT DISTINCT s.team_id, t.timezone FROM weather_salts s JOIN teams t ON t.id = s.team_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut forgotten = 0;
    for (team_id, timezone) in teams {
        let tz: Tz = timezone
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("team {team_id}: timezone")))?;
        let today = now.with_timezone(&tz).date_naive();
        sqlx::query("DELETE FROM weather_today WHERE team_id = ? AND day < ?")
            .bind(team_id)
            .bind(today)
            .execute(&mut *conn)
            .await?;
        forgotten += sqlx::query("DELETE FROM weather_salts WHERE team_id = ? AND day < ?")
            .bind(team_id)
            .bind(today)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(forgotten)
}

pub async fn purge_before(conn: &mut Conn, before: NaiveDate) -> Result<u64> {
    let done =
        sqlx::query("DELETE FROM weather_counts WHERE day < ?").bind(before).execute(conn).await?;
    Ok(done.rows_affected())
}
