//! Shifts as spans of time: whether someone is on shift now, and when a shift's debrief
//! opens. Pure: the clock and the stored facts come in as arguments.

use super::{Recurrence, When, WhenError, when::local_instant};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

/// The longest shift started by hand.
pub const MAX_SHIFT: Duration = Duration::hours(24);

/// Spans last less than a day, so one that covers an instant began within this before it.
const LOOK_BACK: Duration = Duration::hours(26);

impl Recurrence {
    /// Whether occurrences are spans with an end (`every weekday 09:00-17:00`).
    pub fn has_span(&self) -> bool {
        matches!(self, Recurrence::Weekly { ends: Some(_), .. })
    }

    /// The start of the span in progress at `at`, if one is.
    pub fn span_containing(&self, at: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        let mut cursor = at - LOOK_BACK;
        for _ in 0..8 {
            let start = self.next_after(cursor, tz)?;
            if start > at {
                return None;
            }
            if self.span_end(start, tz)? > at {
                return Some(start);
            }
            cursor = start;
        }
        None
    }

    /// The first instant after `after` that is `lead` before a span's end (never before the
    /// span's start). Ends are computed in local time, so a DST change moves nothing.
    pub fn next_before_end(
        &self,
        after: DateTime<Utc>,
        tz: Tz,
        lead: Duration,
    ) -> Option<DateTime<Utc>> {
        let mut cursor = after - LOOK_BACK;
        for _ in 0..16 {
            let start = self.next_after(cursor, tz)?;
            let at = (self.span_end(start, tz)? - lead).max(start);
            if at > after {
                return Some(at);
            }
            cursor = start;
        }
        None
    }
}

/// Whether someone is on shift at `now`. `shift_until` is the end of a shift they started by
/// hand (in the past once over, or once they ended it); `pattern` is their shift pattern, or
/// else their team's. With no pattern, people are on shift unless they ended one by hand;
/// with one, a shift ended by hand stays ended until the next span starts.
pub fn on_shift(
    now: DateTime<Utc>,
    shift_until: Option<DateTime<Utc>>,
    pattern: Option<&Recurrence>,
    tz: Tz,
) -> bool {
    if shift_until.is_some_and(|until| until > now) {
        return true;
    }
    match pattern.filter(|p| p.has_span()) {
        Some(pattern) => match pattern.span_containing(now, tz) {
            Some(start) => shift_until.is_none_or(|until| until <= start),
            None => false,
        },
        None => shift_until.is_none(),
    }
}

/// A shift actually in progress: `key` tells one shift from the next (for per-shift caps),
/// `started` is when it began if a pattern says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShiftNow {
    pub key: i64,
    pub started: Option<DateTime<Utc>>,
}

/// Like [`on_shift`], but only a shift started by hand or a span of a pattern counts: with no
/// pattern there is no shift to be in.
pub fn shift_in_progress(
    now: DateTime<Utc>,
    shift_until: Option<DateTime<Utc>>,
    pattern: Option<&Recurrence>,
    tz: Tz,
) -> Option<ShiftNow> {
    if let Some(until) = shift_until.filter(|until| *until > now) {
        return Some(ShiftNow { key: until.timestamp_millis(), started: None });
    }
    let start = pattern.filter(|p| p.has_span())?.span_containing(now, tz)?;
    if shift_until.is_some_and(|until| until > start) {
        return None;
    }
    Some(ShiftNow { key: start.timestamp_millis(), started: Some(start) })
}

/// Reads durations: `90m`, `90 minutes`, `2h`, `1h30m`, `1h 30`, or a bare number of minutes.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim().to_lowercase();
    let mut total = 0i64;
    let mut number = String::new();
    let mut unit = String::new();
    let mut parts = Vec::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_digit() {
            if !unit.is_empty() {
                parts.push((std::mem::take(&mut number), std::mem::take(&mut unit)));
            }
            number.push(c);
        } else if c.is_alphabetic() {
            unit.push(c);
        } else if c.is_whitespace() {
            continue;
        } else {
            return None;
        }
    }
    parts.push((number, unit));
    let mut previous_hours = false;
    for (number, unit) in parts {
        if number.is_empty() {
            return None;
        }
        let n: i64 = number.parse().ok()?;
        let minutes = match unit.as_str() {
            "h" | "hr" | "hrs" | "hour" | "hours" => {
                previous_hours = true;
                n.checked_mul(60)?
            }
            "m" | "min" | "mins" | "minute" | "minutes" => n,
            // `1h30`: minutes after hours.
            "" if previous_hours || total == 0 => n,
            _ => return None,
        };
        total = total.checked_add(minutes)?;
    }
    (total > 0).then(|| Duration::minutes(total))
}

/// Reads "until" times: `17:00` (the next 17:00, team time), `tomorrow 09:00`, `in 2 hours`,
/// `2026-12-03 14:00`; a leading `until` is allowed. Must be in the future.
pub fn parse_until(text: &str, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, WhenError> {
    let text = text.trim();
    let text = text.strip_prefix("until ").unwrap_or(text).trim();
    if !text.contains(' ') {
        let time = super::when::parse_time(&text.to_lowercase())?;
        let local = now.with_timezone(&tz);
        let today = local_instant(tz, local.date_naive().and_time(time));
        return Ok(if today > now {
            today
        } else {
            local_instant(tz, (local.date_naive() + Duration::days(1)).and_time(time))
        });
    }
    match When::parse(text, now, tz)? {
        When::Once(at) => Ok(at),
        When::Repeat(_) => Err(WhenError::NotUnderstood),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap()
    }

    fn pattern(text: &str) -> Recurrence {
        match When::parse(text, utc(2026, 10, 1, 0, 0), chrono_tz::Europe::London).unwrap() {
            When::Repeat(r) => r,
            When::Once(_) => panic!("a pattern"),
        }
    }

    const LONDON: Tz = chrono_tz::Europe::London;

    #[test]
    fn debriefs_keep_their_local_time_across_the_clock_change() {
        // British Summer Time ends on Sunday 25 October 2026.
        let shifts = pattern("every weekday 09:00-17:00");
        let lead = Duration::minutes(10);
        let friday = shifts.next_before_end(utc(2026, 10, 23, 12, 0), LONDON, lead);
        assert_eq!(friday, Some(utc(2026, 10, 23, 15, 50)));
        let monday = shifts.next_before_end(friday.unwrap(), LONDON, lead);
        assert_eq!(monday, Some(utc(2026, 10, 26, 16, 50)));
    }

    #[test]
    fn overnight_shifts_end_the_next_morning() {
        let nights = pattern("every fri 22:00-06:00");
        let at = nights.next_before_end(utc(2026, 11, 20, 12, 0), chrono_tz::UTC, Duration::zero());
        assert_eq!(at, Some(utc(2026, 11, 21, 6, 0)));
        assert_eq!(
            nights.span_containing(utc(2026, 11, 21, 3, 0), chrono_tz::UTC),
            Some(utc(2026, 11, 20, 22, 0))
        );
        assert_eq!(nights.span_containing(utc(2026, 11, 21, 7, 0), chrono_tz::UTC), None);
    }

    #[test]
    fn a_shift_ended_by_hand_stays_ended_until_the_next_one() {
        let days = pattern("every day 09:00-17:00");
        let tz = chrono_tz::UTC;
        let noon = utc(2026, 11, 23, 12, 0);
        assert!(on_shift(noon, None, Some(&days), tz));
        assert!(!on_shift(utc(2026, 11, 23, 18, 0), None, Some(&days), tz));
        let ended = Some(utc(2026, 11, 23, 11, 0));
        assert!(!on_shift(noon, ended, Some(&days), tz));
        assert!(on_shift(utc(2026, 11, 24, 10, 0), ended, Some(&days), tz));
        // Without a pattern: on unless ended; a shift started by hand lasts until its end.
        assert!(on_shift(noon, None, None, tz));
        assert!(!on_shift(noon, ended, None, tz));
        assert!(on_shift(noon, Some(utc(2026, 11, 23, 13, 0)), None, tz));
    }

    #[test]
    fn durations_read_as_people_write_them() {
        for (text, minutes) in
            [("90m", 90), ("90 minutes", 90), ("2h", 120), ("1h30m", 90), ("1h 30", 90), ("45", 45)]
        {
            assert_eq!(parse_duration(text), Some(Duration::minutes(minutes)), "{text}");
        }
        for text in ["", "soon", "h", "0", "-5m", "1.5h", "5 parsecs"] {
            assert_eq!(parse_duration(text), None, "{text}");
        }
    }

    #[test]
    fn until_reads_a_bare_time_as_the_next_one() {
        let now = utc(2026, 11, 23, 18, 0);
        assert_eq!(parse_until("17:00", now, chrono_tz::UTC), Ok(utc(2026, 11, 24, 17, 0)));
        assert_eq!(parse_until("until 20:00", now, chrono_tz::UTC), Ok(utc(2026, 11, 23, 20, 0)));
        assert_eq!(parse_until("in 2 hours", now, chrono_tz::UTC), Ok(utc(2026, 11, 23, 20, 0)));
        assert_eq!(parse_until("2026-11-20 10:00", now, chrono_tz::UTC), Err(WhenError::InThePast));
        assert_eq!(parse_until("soon", now, chrono_tz::UTC), Err(WhenError::BadTime));
    }
}
