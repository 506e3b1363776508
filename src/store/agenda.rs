//! Agenda items and action items of supervision series, and their votes. Items belong to
//! their authors: a series that ends leaves them with their authors (detached, private) for
//! the author's next session to take up. Item numbers are never given out twice.

use super::sql::{Row, params};
use super::{Result, Tx};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// How long done and dropped items are kept.
pub const KEPT_AFTER_CLOSED: Duration = Duration::days(365);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    /// `None` once the series it was in has ended.
    pub series_id: Option<i64>,
    pub author_id: Option<i64>,
    pub action: bool,
    pub text: String,
    pub private: bool,
    pub owner: Option<String>,
    /// An action's due date, as the team reads it.
    pub due: Option<String>,
    pub status: String,
    pub session_at: DateTime<Utc>,
    pub votes: i64,
}

#[derive(Debug)]
pub struct NewItem<'a> {
    pub series_id: i64,
    pub author_id: i64,
    pub action: bool,
    pub text: &'a str,
    pub private: bool,
    pub owner: Option<&'a str>,
    pub due: Option<NaiveDate>,
    pub session_at: DateTime<Utc>,
}

pub fn add(tx: &Tx, new: &NewItem<'_>, now: DateTime<Utc>) -> Result<i64> {
    tx.one(
        "INSERT INTO agenda_items
         (series_id, author_id, kind, text, private, owner, status, session_at, created_at, due)
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9) RETURNING id",
        params![
            new.series_id,
            new.author_id,
            if new.action { "action" } else { "item" },
            new.text,
            new.private,
            new.owner,
            new.session_at.timestamp_millis(),
            now.timestamp_millis(),
            new.due.map(|d| d.to_string())
        ],
        |r| r.get(0),
    )
}

fn item(r: &Row<'_>) -> Result<Item> {
    let kind: String = r.get(3)?;
    Ok(Item {
        id: r.get(0)?,
        series_id: r.get(1)?,
        author_id: r.get(2)?,
        action: kind == "action",
        text: r.get(4)?,
        private: r.get(5)?,
        owner: r.get(6)?,
        status: r.get(7)?,
        session_at: DateTime::from_timestamp_millis(r.get(8)?).unwrap_or_default(),
        votes: r.get(9)?,
        due: r.get(10)?,
    })
}

/// The open items of a series, most votes first, then oldest.
pub fn open_of_series(tx: &Tx, series_id: i64) -> Result<Vec<Item>> {
    tx.all(
        "SELECT i.id, i.series_id, i.author_id, i.kind, i.text, i.private, i.owner, i.status,
                i.session_at, (SELECT count(*) FROM agenda_votes v WHERE v.item_id = i.id), i.due
         FROM agenda_items i WHERE i.series_id = $1 AND i.status = 'open'
         ORDER BY 10 DESC, i.created_at, i.id",
        params![series_id],
        item,
    )
}

pub fn get(tx: &Tx, id: i64) -> Result<Option<Item>> {
    tx.optional(
        "SELECT i.id, i.series_id, i.author_id, i.kind, i.text, i.private, i.owner, i.status,
                i.session_at, (SELECT count(*) FROM agenda_votes v WHERE v.item_id = i.id), i.due
         FROM agenda_items i WHERE i.id = $1",
        params![id],
        item,
    )
}

pub fn share(tx: &Tx, id: i64) -> Result<()> {
    tx.execute("UPDATE agenda_items SET private = 0 WHERE id = $1", params![id])?;
    Ok(())
}

/// One vote per person; says whether this one counted.
pub fn vote(tx: &Tx, id: i64, member_id: i64) -> Result<bool> {
    Ok(tx.execute(
        "INSERT INTO agenda_votes (item_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        params![id, member_id],
    )? > 0)
}

/// Marks an open item done or dropped.
pub fn close(tx: &Tx, id: i64, done: bool, now: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "UPDATE agenda_items SET status = $1, closed_at = $2 WHERE id = $3 AND status = 'open'",
        params![if done { "done" } else { "dropped" }, now.timestamp_millis(), id],
    )?;
    Ok(())
}

/// A series ends: its items stay with their authors, detached from it and private (the
/// people who could see them were its participants, and the series is gone).
pub fn detach_series(tx: &Tx, series_id: i64, now: DateTime<Utc>) -> Result<usize> {
    tx.execute(
        "UPDATE agenda_items SET series_id = NULL, private = 1, series_ended_at = $2
         WHERE series_id = $1",
        params![series_id, now.timestamp_millis()],
    )
}

/// The author's open items left by series that ended join `series_id` (their next session),
/// still private, labelled as carried from the session they were first for.
pub fn adopt(tx: &Tx, author_id: i64, series_id: i64) -> Result<usize> {
    tx.execute(
        "UPDATE agenda_items SET series_id = $2, series_ended_at = NULL
         WHERE author_id = $1 AND series_id IS NULL AND status = 'open'",
        params![author_id, series_id],
    )
}

/// Forgets items closed before `before`, and items a series left behind before `before`
/// that no session of their author's took up.
pub fn purge_closed_before(tx: &Tx, before: DateTime<Utc>) -> Result<usize> {
    tx.execute(
        "DELETE FROM agenda_items WHERE (status != 'open' AND closed_at < $1)
             OR (series_id IS NULL AND series_ended_at < $1)",
        params![before.timestamp_millis()],
    )
}
