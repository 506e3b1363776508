//! Schedules by whom they belong to: a team, a member, or hearth itself. Read back, or
//! removed when what they serve ends.

use crate::schedule::Payload;
use crate::store::sql::{Row, params};
use crate::store::{Result, StoreError, Tx};

/// A team's schedules of one kind: `(id, pattern)`.
pub fn of_team(tx: &Tx, team_id: i64, kind: &str) -> Result<Vec<(i64, Option<String>)>> {
    tx.all(
        "SELECT id, pattern FROM schedules WHERE team_id = $1 AND kind = $2 ORDER BY id",
        params![team_id, kind],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// hearth's own schedules, such as housekeeping: `(id, pattern)`.
pub fn of_hearth(tx: &Tx, kind: &str) -> Result<Vec<(i64, Option<String>)>> {
    tx.all(
        "SELECT id, pattern FROM schedules WHERE team_id IS NULL AND kind = $1 ORDER BY id",
        params![kind],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// A team's or member's schedules of one kind, read back: `(id, payload, pattern)`.
pub fn read(
    tx: &Tx,
    team_id: i64,
    member_id: Option<i64>,
    kind: &str,
) -> Result<Vec<(i64, Payload, Option<String>)>> {
    tx.all(
        "SELECT id, payload, pattern FROM schedules
         WHERE team_id = $1 AND member_id IS NOT DISTINCT FROM $2 AND kind = $3 ORDER BY id",
        params![team_id, member_id, kind],
        payload_row,
    )
}

/// All of a team's schedules of one kind, the team's own and its members': `(id, payload,
/// pattern)`.
pub fn read_all(tx: &Tx, team_id: i64, kind: &str) -> Result<Vec<(i64, Payload, Option<String>)>> {
    tx.all(
        "SELECT id, payload, pattern FROM schedules WHERE team_id = $1 AND kind = $2 ORDER BY id",
        params![team_id, kind],
        payload_row,
    )
}

/// `(id, payload, pattern)` from a row of those three columns.
fn payload_row(r: &Row<'_>) -> Result<(i64, Payload, Option<String>)> {
    let (id, payload, pattern) = (r.get::<i64>(0)?, r.get::<String>(1)?, r.get(2)?);
    let payload = serde_json::from_str(&payload)
        .map_err(|e| StoreError::Corrupt(format!("schedule {id} payload: {e}")))?;
    Ok((id, payload, pattern))
}

/// Removes a member's schedules of one kind (a request's timeout, a personal pattern).
pub fn delete_of_member(tx: &Tx, member_id: i64, kind: &str) -> Result<usize> {
    tx.execute("DELETE FROM schedules WHERE member_id = $1 AND kind = $2", params![member_id, kind])
}

/// Shift patterns of members of a team: `(member id, pattern)`.
pub fn personal_patterns(tx: &Tx, team_id: i64, kind: &str) -> Result<Vec<(i64, String)>> {
    tx.all(
        "SELECT member_id, pattern FROM schedules
         WHERE team_id = $1 AND kind = $2 AND member_id IS NOT NULL AND pattern IS NOT NULL",
        params![team_id, kind],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}
