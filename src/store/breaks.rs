//! Breaks: when a person last started one, their optional nudges, and which exercises and
//! puzzles they saw lately (so they do not repeat). Never shown to anyone else.

use super::sql::params;
use super::{Result, Tx};
use chrono::{DateTime, Utc};

/// What decides whether a nudge is sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Nudges {
    pub every_minutes: Option<u32>,
    pub last_break_at: Option<DateTime<Utc>>,
    pub sent: u32,
    /// The shift those nudges were sent in.
    pub shift: Option<i64>,
    /// No nudge before this.
    pub after: Option<DateTime<Utc>>,
}

pub fn nudges(tx: &Tx, member_id: i64) -> Result<Nudges> {
    Ok(tx
        .optional(
            "SELECT break_nudge_minutes, last_break_at, break_nudges_sent, break_nudge_shift,
                    break_nudge_after
             FROM members WHERE id = $1",
            params![member_id],
            |r| {
                Ok(Nudges {
                    every_minutes: r.get(0)?,
                    last_break_at: r
                        .get::<Option<i64>>(1)?
                        .and_then(DateTime::from_timestamp_millis),
                    sent: r.get(2)?,
                    shift: r.get(3)?,
                    after: r.get::<Option<i64>>(4)?.and_then(DateTime::from_timestamp_millis),
                })
            },
        )?
        .unwrap_or_default())
}

pub fn set_nudge_minutes(tx: &Tx, member_id: i64, minutes: Option<u32>) -> Result<()> {
    tx.execute(
        "UPDATE members SET break_nudge_minutes = $1 WHERE id = $2",
        params![minutes, member_id],
    )?;
    Ok(())
}

/// No nudge before `after`.
pub fn nudge_after(tx: &Tx, member_id: i64, after: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "UPDATE members SET break_nudge_after = $1 WHERE id = $2",
        params![after.timestamp_millis(), member_id],
    )?;
    Ok(())
}

/// Counts one nudge sent in `shift` (a new shift starts the count again).
pub fn count_nudge(tx: &Tx, member_id: i64, shift: i64) -> Result<()> {
    tx.execute(
        "UPDATE members SET
             break_nudges_sent = CASE WHEN break_nudge_shift IS NOT DISTINCT FROM $1
                                      THEN break_nudges_sent + 1 ELSE 1 END,
             break_nudge_shift = $1
         WHERE id = $2",
        params![shift, member_id],
    )?;
    Ok(())
}

/// A break started: remembers when, and what it showed.
pub fn started(tx: &Tx, member_id: i64, item: &str, now: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "UPDATE members SET last_break_at = $1 WHERE id = $2",
        params![now.timestamp_millis(), member_id],
    )?;
    seen(tx, member_id, item, now)
}

/// Remembers that the person was shown `item` (an exercise or a puzzle).
pub fn seen(tx: &Tx, member_id: i64, item: &str, now: DateTime<Utc>) -> Result<()> {
    tx.execute(
        "INSERT INTO break_seen (member_id, item, seen_at) VALUES ($1, $2, $3)
         ON CONFLICT (member_id, item) DO UPDATE SET seen_at = excluded.seen_at",
        params![member_id, item, now.timestamp_millis()],
    )?;
    Ok(())
}

/// What the person saw in the last week, most recent first.
pub fn recent(tx: &Tx, member_id: i64, now: DateTime<Utc>) -> Result<Vec<String>> {
    let since = (now - crate::inventory::SEEN_KEPT).timestamp_millis();
    tx.all(
        "SELECT item FROM break_seen WHERE member_id = $1 AND seen_at > $2
         ORDER BY seen_at DESC, item",
        params![member_id, since],
        |r| r.get(0),
    )
}

pub fn purge_seen_before(tx: &Tx, before: DateTime<Utc>) -> Result<usize> {
    tx.execute("DELETE FROM break_seen WHERE seen_at < $1", params![before.timestamp_millis()])
}
