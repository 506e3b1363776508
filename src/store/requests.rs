//! On-demand debrief requests while they are open, and the counts left when they close.
//! A request row names who asked and, if they chose someone, who was asked; it is deleted
//! when the request closes. Notes are never stored.

use super::sql::{Row, params};
use super::{Result, Tx};
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRequest {
    pub team_id: i64,
    pub requester_id: i64,
    pub target_id: Option<i64>,
    pub show_name: bool,
    pub tell_supervisor: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub id: i64,
    pub team_id: i64,
    pub requester_id: i64,
    pub requester_user_id: String,
    pub target_id: Option<i64>,
    pub show_name: bool,
    pub tell_supervisor: bool,
    pub nonce: String,
}

/// How a request closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    Cancelled,
    /// Nobody accepted in time.
    Unanswered,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Cancelled => "cancelled",
            Outcome::Unanswered => "unanswered",
        }
    }
}

/// Opens a request; `None` if the requester already has one open.
pub fn open(tx: &Tx, new: &NewRequest, now: DateTime<Utc>) -> Result<Option<Request>> {
    let nonce = crate::token::Token::nonce();
    let inserted: Option<i64> = tx.optional(
        "INSERT INTO debrief_requests
             (team_id, requester_id, target_id, show_name, tell_supervisor, nonce, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (requester_id) DO NOTHING
         RETURNING id",
        params![
            new.team_id,
            new.requester_id,
            new.target_id,
            new.show_name,
            new.tell_supervisor,
            nonce,
            now.timestamp_millis()
        ],
        |r| r.get(0),
    )?;
    match inserted {
        Some(id) => get(tx, id),
        None => Ok(None),
    }
}

/// Selects requests with their requester's platform id, filtered by `$filter`.
macro_rules! select {
    ($filter:literal) => {
        concat!(
            "SELECT r.id, r.team_id, r.requester_id, m.platform_user_id, r.target_id,
                    r.show_name, r.tell_supervisor, r.nonce
             FROM debrief_requests r JOIN members m ON m.id = r.requester_id WHERE ",
            $filter
        )
    };
}

fn row(r: &Row<'_>) -> Result<Request> {
    Ok(Request {
        id: r.get(0)?,
        team_id: r.get(1)?,
        requester_id: r.get(2)?,
        requester_user_id: r.get(3)?,
        target_id: r.get(4)?,
        show_name: r.get(5)?,
        tell_supervisor: r.get(6)?,
        nonce: r.get(7)?,
    })
}

pub fn get(tx: &Tx, id: i64) -> Result<Option<Request>> {
    tx.optional(select!("r.id = $1"), params![id], row)
}

/// The member's own open request, if any.
pub fn of_requester(tx: &Tx, member_id: i64) -> Result<Option<Request>> {
    tx.optional(select!("r.requester_id = $1"), params![member_id], row)
}

/// Closes a request: the row goes, one count is added for the team's `day`. Says whether
/// it was still open (a second close, e.g. two accepts at once, finds nothing).
pub fn close(tx: &Tx, request: &Request, day: NaiveDate, outcome: Outcome) -> Result<bool> {
    let deleted = tx.execute("DELETE FROM debrief_requests WHERE id = $1", params![request.id])?;
    if deleted == 0 {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO debrief_request_counts (team_id, day, outcome, requests)
         VALUES ($1, $2, $3, 1)
         ON CONFLICT (team_id, day, outcome)
         DO UPDATE SET requests = debrief_request_counts.requests + 1",
        params![request.team_id, day.to_string(), outcome.as_str()],
    )?;
    Ok(true)
}

/// Forgets counts of days before `day` (they follow the team weather's retention).
pub fn purge_counts_before(tx: &Tx, day: NaiveDate) -> Result<usize> {
    tx.execute("DELETE FROM debrief_request_counts WHERE day < $1", params![day.to_string()])
}
