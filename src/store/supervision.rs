//! Supervision series: when, where (a channel, or one supervisee), who supervises, and the
//! style the supervisees chose.

use super::sql::params;
use super::{Result, StoreError, Tx};
use crate::schedule::When;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    pub id: i64,
    pub team_id: i64,
    pub when: When,
    pub timezone: Tz,
    /// Where a group series is posted; `None` for one-to-one.
    pub channel: Option<String>,
    pub supervisor: String,
    pub supervisee: Option<String>,
    pub style: String,
}

#[derive(Clone, Debug)]
pub struct NewSeries<'a> {
    pub team_id: i64,
    pub when: &'a When,
    pub timezone: Tz,
    pub channel: Option<&'a str>,
    pub supervisor: &'a str,
    pub supervisee: Option<&'a str>,
    pub style: &'a str,
}

pub fn insert(tx: &Tx, new: &NewSeries<'_>, now: DateTime<Utc>) -> Result<i64> {
    let (pattern, once_at) = super::when::columns(new.when);
    tx.one(
        "INSERT INTO supervision_series (team_id, pattern, once_at, timezone, channel, supervisor,
                                         supervisee, style, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        params![
            new.team_id,
            pattern,
            once_at,
            new.timezone.name(),
            new.channel,
            new.supervisor,
            new.supervisee,
            new.style,
            now.timestamp_millis()
        ],
        |r| r.get(0),
    )
}

type Row =
    (i64, i64, Option<String>, Option<i64>, String, Option<String>, String, Option<String>, String);

fn series(row: Row, now: DateTime<Utc>) -> Result<Series> {
    let (id, team_id, pattern, once_at, timezone, channel, supervisor, supervisee, style) = row;
    let corrupt = |what: &str| StoreError::Corrupt(format!("supervision series {id}: {what}"));
    let timezone: Tz = timezone.parse().map_err(|_| corrupt("timezone"))?;
    let when = super::when::read(pattern.as_deref(), once_at, timezone, now)
        .map_err(corrupt)?
        .ok_or_else(|| corrupt("no time"))?;
    Ok(Series { id, team_id, when, timezone, channel, supervisor, supervisee, style })
}

const SELECT: &str =
    "SELECT id, team_id, pattern, once_at, timezone, channel, supervisor, supervisee, style
                      FROM supervision_series";

fn read_row(r: &super::sql::Row<'_>) -> Result<Row> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

/// A team's series, oldest first.
pub fn of_team(tx: &Tx, team_id: i64, now: DateTime<Utc>) -> Result<Vec<Series>> {
    let sql = format!("{SELECT} WHERE team_id = $1 ORDER BY id");
    let rows = tx.all(&sql, params![team_id], read_row)?;
    rows.into_iter().map(|row| series(row, now)).collect()
}

pub fn get(tx: &Tx, id: i64, now: DateTime<Utc>) -> Result<Option<Series>> {
    let sql = format!("{SELECT} WHERE id = $1");
    let row = tx.optional(&sql, params![id], read_row)?;
    row.map(|row| series(row, now)).transpose()
}

/// A team's series keep their wall-clock times in the team's new timezone.
pub fn set_timezone_of_team(tx: &Tx, team_id: i64, tz: Tz) -> Result<()> {
    tx.execute(
        "UPDATE supervision_series SET timezone = $1 WHERE team_id = $2",
        params![tz.name(), team_id],
    )?;
    Ok(())
}

pub fn set_style(tx: &Tx, id: i64, style: &str) -> Result<()> {
    tx.execute("UPDATE supervision_series SET style = $1 WHERE id = $2", params![style, id])?;
    Ok(())
}

/// Records whether the series' "no session ahead" notice was sent; says whether it changed.
pub fn set_gap_notified(tx: &Tx, id: i64, notified: bool) -> Result<bool> {
    Ok(tx.execute(
        "UPDATE supervision_series SET gap_notified = $1 WHERE id = $2 AND gap_notified != $1",
        params![notified, id],
    )? > 0)
}

pub fn delete(tx: &Tx, id: i64) -> Result<()> {
    tx.execute("DELETE FROM supervision_series WHERE id = $1", params![id])?;
    Ok(())
}
