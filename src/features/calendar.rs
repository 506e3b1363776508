//! One meeting as an iCalendar file, to add to a calendar with one tap.

use chrono::{DateTime, Duration, Utc};

/// An event starting `at` and lasting `length`. `uid` names the meeting (its series and its
/// start), so adding the same file twice updates one entry.
pub fn event(
    uid: &str,
    at: DateTime<Utc>,
    length: Duration,
    summary: &str,
    now: DateTime<Utc>,
) -> Vec<u8> {
    use icalendar::{Calendar, Component, Event, EventLike};
    let event =
        Event::new().uid(uid).timestamp(now).summary(summary).starts(at).ends(at + length).done();
    Calendar::new().push(event).done().to_string().into_bytes()
}
