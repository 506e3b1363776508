//! How a "when" is kept in a table: a recurrence as typed back (`pattern`), or one instant
//! (`once_at`, Unix ms).

use crate::schedule::When;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The `(pattern, once_at)` columns for a "when".
pub fn columns(when: &When) -> (Option<String>, Option<i64>) {
    match when {
        When::Once(at) => (None, Some(at.timestamp_millis())),
        When::Repeat(r) => (Some(r.to_string()), None),
    }
}

/// The "when" the columns hold, if any; `Err` names what is unreadable.
pub fn read(
    pattern: Option<&str>,
    once_at: Option<i64>,
    tz: Tz,
    now: DateTime<Utc>,
) -> Result<Option<When>, &'static str> {
    match (pattern, once_at) {
        (Some(pattern), _) => When::parse(pattern, now, tz).map(Some).map_err(|_| "pattern"),
        (None, Some(at)) => {
            DateTime::from_timestamp_millis(at).map(|at| Some(When::Once(at))).ok_or("once_at")
        }
        (None, None) => Ok(None),
    }
}
