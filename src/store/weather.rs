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
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

/// The code that stands for a member in one day's rows: `sha256(salt ‖ member id)`.
fn code(salt: &[u8], member_id: i64) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(member_id.to_le_bytes());
    hasher.finalize().to_vec()
}

/// Forgets which colour a member added on days not yet ended (when they erase their data).
/// The counts stay: they were never linked to anyone.
pub fn forget_member(conn: &Conn, team_id: i64, member_id: i64) -> Result<usize> {
    let salts: Vec<(NaiveDate, Vec<u8>)> = conn
        .prepare_cached("SELECT day, salt FROM weather_salts WHERE team_id = ?1")?
        .query_map(params![team_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut forgotten = 0;
    for (day, salt) in salts {
        forgotten += conn
            .prepare_cached(
                "DELETE FROM weather_today WHERE team_id = ?1 AND day = ?2 AND person_hash = ?3",
            )?
            .execute(params![team_id, day, code(&salt, member_id)])?;
    }
    Ok(forgotten)
}

/// Adds (or replaces) a person's colour in their team's weather for `day`.
pub fn add(
    conn: &Conn,
    team_id: i64,
    day: NaiveDate,
    member_id: i64,
    colour: Colour,
) -> Result<()> {
    let new_salt: [u8; 32] = rand::random();
    conn.prepare_cached(
        "INSERT INTO weather_salts (team_id, day, salt) VALUES (?1, ?2, ?3)
         ON CONFLICT (team_id, day) DO NOTHING",
    )?
    .execute(params![team_id, day, &new_salt[..]])?;
    let salt: Vec<u8> = conn
        .prepare_cached("SELECT salt FROM weather_salts WHERE team_id = ?1 AND day = ?2")?
        .query_row(params![team_id, day], |r| r.get(0))?;
    let person = code(&salt, member_id);

    let previous: Option<String> = conn
        .prepare_cached(
            "SELECT colour FROM weather_today WHERE team_id = ?1 AND day = ?2 AND person_hash = ?3",
        )?
        .query_row(params![team_id, day, person], |r| r.get(0))
        .optional()?;
    if let Some(previous) = previous {
        if previous == colour.as_str() {
            return Ok(());
        }
        conn.prepare_cached(
            "UPDATE weather_counts SET people = people - 1
             WHERE team_id = ?1 AND day = ?2 AND colour = ?3 AND people > 0",
        )?
        .execute(params![team_id, day, previous])?;
    }
    conn.prepare_cached(
        "INSERT INTO weather_today (team_id, day, person_hash, colour) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (team_id, day, person_hash) DO UPDATE SET colour = excluded.colour",
    )?
    .execute(params![team_id, day, person, colour.as_str()])?;
    conn.prepare_cached(
        "INSERT INTO weather_counts (team_id, day, colour, people) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT (team_id, day, colour) DO UPDATE SET people = people + 1",
    )?
    .execute(params![team_id, day, colour.as_str()])?;
    Ok(())
}

/// Counts per day and colour for `from..=to`, by day.
pub fn counts(
    conn: &Conn,
    team_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(NaiveDate, Colour, u32)>> {
    let mut statement = conn.prepare_cached(
        "SELECT day, colour, people FROM weather_counts
         WHERE team_id = ?1 AND day >= ?2 AND day <= ?3 AND people > 0 ORDER BY day, colour",
    )?;
    let rows = statement.query_map(params![team_id, from, to], |r| {
        Ok((r.get::<_, NaiveDate>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?))
    })?;
    rows.map(|row| {
        let (day, colour, people) = row?;
        let colour = Colour::parse(&colour)
            .ok_or_else(|| StoreError::Corrupt(format!("weather colour {colour:?}")))?;
        Ok((day, colour, people))
    })
    .collect()
}

/// What forgetting ended days deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ended {
    /// Per-person codes (`weather_today` rows).
    pub codes: usize,
    pub salts: usize,
}

/// Deletes the salts and per-person rows of every team day that has ended in the team's own
/// timezone.
pub fn forget_ended_days(conn: &Conn, now: DateTime<Utc>) -> Result<Ended> {
    let teams: Vec<(i64, String)> = conn
        .prepare_cached(
            "SELECT DISTINCT s.team_id, t.timezone FROM weather_salts s JOIN teams t ON t.id = s.team_id",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut ended = Ended::default();
    for (team_id, timezone) in teams {
        let tz: Tz = timezone
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("team {team_id}: timezone")))?;
        let today = now.with_timezone(&tz).date_naive();
        ended.codes += conn
            .prepare_cached("DELETE FROM weather_today WHERE team_id = ?1 AND day < ?2")?
            .execute(params![team_id, today])?;
        ended.salts += conn
            .prepare_cached("DELETE FROM weather_salts WHERE team_id = ?1 AND day < ?2")?
            .execute(params![team_id, today])?;
    }
    Ok(ended)
}

pub fn purge_before(conn: &Conn, before: NaiveDate) -> Result<usize> {
    Ok(conn
        .prepare_cached("DELETE FROM weather_counts WHERE day < ?1")?
        .execute(params![before])?)
}
