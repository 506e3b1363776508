//! Quiet hours: a daily span of local time (it may cross midnight) when nudges are not sent.

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuietHours {
    pub from: NaiveTime,
    pub to: NaiveTime,
}

impl QuietHours {
    /// `22:00-07:00`.
    pub fn parse(text: &str) -> Option<Self> {
        let (from, to) = text.trim().split_once('-')?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
        let (from, to) = (time(from)?, time(to)?);
        (from != to).then_some(Self { from, to })
    }

    pub fn contains(&self, at: DateTime<Utc>, tz: Tz) -> bool {
        let t = at.with_timezone(&tz).time();
        if self.from < self.to {
            self.from <= t && t < self.to
        } else {
            t >= self.from || t < self.to
        }
    }
}

impl fmt::Display for QuietHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.from.format("%H:%M"), self.to.format("%H:%M"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn spans_may_cross_midnight() {
        let q = QuietHours::parse("22:00-07:00").unwrap();
        let at = |h, m| Utc.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap();
        assert!(q.contains(at(23, 0), Tz::UTC));
        assert!(q.contains(at(6, 59), Tz::UTC));
        assert!(!q.contains(at(7, 0), Tz::UTC));
        assert!(!q.contains(at(12, 0), Tz::UTC));
        // 21:30 UTC is 08:30 in Sydney: not quiet there.
        assert!(!q.contains(at(21, 30), Tz::Australia__Sydney));
        assert_eq!(q.to_string(), "22:00-07:00");
        assert_eq!(QuietHours::parse("09:00-09:00"), None);
        assert_eq!(QuietHours::parse("late"), None);
    }
}
