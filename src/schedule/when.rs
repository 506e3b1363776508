//! The "when" language: `every weekday 08:30`, `every 2nd tuesday 14:00`,
//! `every monday,wednesday 09:00-17:00`, `in 5 minutes`, `tomorrow 10:00`,
//! `2026-12-03 14:00`, or raw cron (`cron 0 30 8 * * 1-5`).
//!
//! Parsing gives a [`When`]; its `Display` is the canonical spelling, which parses back to the
//! same value. Local times are the team's; DST is handled when the next run is computed:
//! a time that does not exist (clocks go forward) runs at the first moment after the gap on
//! that day, and a time that happens twice (clocks go back) runs once, the first time.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use croner::Cron;
use std::fmt;
use std::str::FromStr;

/// Longest "when" text worth reading.
pub const MAX_WHEN_CHARS: usize = 120;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum When {
    /// Once, at this instant.
    Once(DateTime<Utc>),
    Repeat(Recurrence),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recurrence {
    /// On some weekdays at a local time, every week or every `every` weeks counted from the
    /// week of `from` (a Monday). `ends` is the end of a span such as a shift.
    Weekly { days: Weekdays, at: NaiveTime, ends: Option<NaiveTime>, every: u8, from: NaiveDate },
    /// A cron pattern (5 fields, or 6 with seconds), for people who know cron.
    Cron(String),
}

/// A set of weekdays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Weekdays(u8);

impl Weekdays {
    pub const ALL: Weekdays = Weekdays(0b111_1111);
    pub const WORKDAYS: Weekdays = Weekdays(0b001_1111);
    pub const WEEKEND: Weekdays = Weekdays(0b110_0000);

    pub fn of(day: Weekday) -> Self {
        Weekdays(1 << day.num_days_from_monday())
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    fn with(self, day: Weekday) -> Self {
        Weekdays(self.0 | Self::of(day).0)
    }

    fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn days(self) -> impl Iterator<Item = Weekday> {
        (0..7u8)
            .filter(move |i| self.0 & (1 << i) != 0)
            .map(|i| Weekday::try_from(i).unwrap_or(Weekday::Mon))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WhenError {
    #[error("empty")]
    Empty,
    #[error("too long")]
    TooLong,
    #[error("not understood")]
    NotUnderstood,
    #[error("not a time of day")]
    BadTime,
    #[error("not a date")]
    BadDate,
    #[error("not a cron pattern")]
    BadCron,
    #[error("already past")]
    InThePast,
    #[error("too far ahead")]
    TooFar,
}

/// One-shot times further ahead than this are refused (a typo, most likely).
const MAX_AHEAD_DAYS: i64 = 3 * 366;

impl When {
    /// Parses `text`, reading dates and times in `tz` and `in …` relative to `now`.
    pub fn parse(text: &str, now: DateTime<Utc>, tz: Tz) -> Result<When, WhenError> {
        if text.chars().count() > MAX_WHEN_CHARS {
            return Err(WhenError::TooLong);
        }
        let lower = text.trim().to_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        let once = |at: DateTime<Utc>| {
            if at <= now {
                Err(WhenError::InThePast)
            } else if at - now > Duration::days(MAX_AHEAD_DAYS) {
                Err(WhenError::TooFar)
            } else {
                Ok(When::Once(at))
            }
        };
        match words.as_slice() {
            [] => Err(WhenError::Empty),
            ["cron", fields @ ..] => {
                let pattern = fields.join(" ");
                if !(5..=6).contains(&fields.len()) {
                    return Err(WhenError::BadCron);
                }
                Cron::from_str(&pattern).map_err(|_| WhenError::BadCron)?;
                Ok(When::Repeat(Recurrence::Cron(pattern)))
            }
            ["in", amount, unit] => {
                let n: i64 = amount.parse().map_err(|_| WhenError::NotUnderstood)?;
                if n <= 0 {
                    return Err(WhenError::InThePast);
                }
                let minutes = match *unit {
                    "minute" | "minutes" | "min" | "mins" | "m" => 1,
                    "hour" | "hours" | "h" => 60,
                    "day" | "days" | "d" => 24 * 60,
                    _ => return Err(WhenError::NotUnderstood),
                };
                let minutes = n.checked_mul(minutes).ok_or(WhenError::TooFar)?;
                if minutes > MAX_AHEAD_DAYS * 24 * 60 {
                    return Err(WhenError::TooFar);
                }
                once(now + Duration::minutes(minutes))
            }
            [day @ ("today" | "tomorrow"), time] => {
                let today = now.with_timezone(&tz).date_naive();
                let date = if *day == "today" { today } else { today + Duration::days(1) };
                once(local_instant(tz, date.and_time(parse_time(time)?)))
            }
            [date, time] if date.contains('-') => {
                let date =
                    NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| WhenError::BadDate)?;
                once(local_instant(tz, date.and_time(parse_time(time)?)))
            }
            ["every", rest @ ..] => parse_every(rest, now.with_timezone(&tz).date_naive()),
            _ => Err(WhenError::NotUnderstood),
        }
    }

    /// The first run strictly after `after`, in `tz`; `None` when there is none.
    pub fn next_after(&self, after: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        match self {
            When::Once(at) => (*at > after).then_some(*at),
            When::Repeat(r) => r.next_after(after, tz),
        }
    }
}

impl Recurrence {
    pub fn next_after(&self, after: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        match self {
            Recurrence::Cron(pattern) => {
                let cron = Cron::from_str(pattern).ok()?;
                let next = cron.find_next_occurrence(&after.with_timezone(&tz), false).ok()?;
                Some(next.with_timezone(&Utc))
            }
            Recurrence::Weekly { days, at, every, from, .. } => {
                let cron = Cron::from_str(&weekly_cron(*days, *at)).ok()?;
                let mut cursor = after.with_timezone(&tz);
                // Every second week: step over the occurrences of the off weeks. Bounded, so a
                // bad value can never spin.
                for _ in 0..64 {
                    cursor = cron.find_next_occurrence(&cursor, false).ok()?;
                    let weeks = (cursor.date_naive() - *from).num_days().div_euclid(7);
                    if weeks.rem_euclid(i64::from((*every).max(1))) == 0 {
                        return Some(cursor.with_timezone(&Utc));
                    }
                }
                None
            }
        }
    }

    /// The end of the span that starts at `start`, for recurrences with `ends` (a shift).
    pub fn span_end(&self, start: DateTime<Utc>, tz: Tz) -> Option<DateTime<Utc>> {
        let Recurrence::Weekly { at, ends: Some(ends), .. } = self else { return None };
        let local = start.with_timezone(&tz);
        let date =
            if ends > at { local.date_naive() } else { local.date_naive() + Duration::days(1) };
        Some(local_instant(tz, date.and_time(*ends)))
    }
}

fn weekly_cron(days: Weekdays, at: NaiveTime) -> String {
    let dows: Vec<String> = days.days().map(|d| d.num_days_from_sunday().to_string()).collect();
    use chrono::Timelike;
    format!("0 {} {} * * {}", at.minute(), at.hour(), dows.join(","))
}

/// `every weekday 08:30`, `every 2nd tuesday 14:00`, `every mon,wed 09:00-17:00`; a
/// fortnightly series may name the week it counts from (`… from 2026-11-23`).
fn parse_every(words: &[&str], today: NaiveDate) -> Result<When, WhenError> {
    let (words, from) = match words {
        [rest @ .., "from", date] => {
            let date =
                NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| WhenError::BadDate)?;
            (rest, Some(monday_of(date)))
        }
        _ => (words, None),
    };
    let (every, words) = match words {
        ["2nd" | "other" | "second", rest @ ..] => (2u8, rest),
        _ => (1u8, words),
    };
    let (days_text, time_text) = match words {
        [days @ .., time] if !days.is_empty() => (days.join(""), *time),
        _ => return Err(WhenError::NotUnderstood),
    };
    let mut days = Weekdays(0);
    for name in days_text.split(',').filter(|n| !n.is_empty()) {
        days = match name {
            "day" | "days" => Weekdays::ALL,
            "weekday" | "weekdays" => Weekdays(days.0 | Weekdays::WORKDAYS.0),
            "weekend" | "weekends" => Weekdays(days.0 | Weekdays::WEEKEND.0),
            other => days.with(weekday(other).ok_or(WhenError::NotUnderstood)?),
        };
    }
    if days.is_empty() {
        return Err(WhenError::NotUnderstood);
    }
    let (at, ends) = match time_text.split_once('-') {
        Some((start, end)) => (parse_time(start)?, Some(parse_time(end)?)),
        None => (parse_time(time_text)?, None),
    };
    if ends == Some(at) {
        return Err(WhenError::BadTime);
    }
    // Fortnightly series count weeks from the current week's Monday.
    let from = if every > 1 { from.unwrap_or_else(|| monday_of(today)) } else { NaiveDate::MIN };
    Ok(When::Repeat(Recurrence::Weekly { days, at, ends, every, from }))
}

fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(date.weekday().num_days_from_monday().into())
}

fn weekday(name: &str) -> Option<Weekday> {
    let name = name.trim_end_matches('s');
    let days = [
        (Weekday::Mon, "monday"),
        (Weekday::Tue, "tuesday"),
        (Weekday::Wed, "wednesday"),
        (Weekday::Thu, "thursday"),
        (Weekday::Fri, "friday"),
        (Weekday::Sat, "saturday"),
        (Weekday::Sun, "sunday"),
    ];
    days.into_iter()
        .find(|(_, full)| name.len() >= 3 && full.starts_with(name) || *full == name)
        .map(|(d, _)| d)
}

/// `14:00`, `9:05`, `9am`, `2:30pm`.
pub(super) fn parse_time(text: &str) -> Result<NaiveTime, WhenError> {
    let (clock, offset) = if let Some(t) = text.strip_suffix("am") {
        (t, Some(0))
    } else if let Some(t) = text.strip_suffix("pm") {
        (t, Some(12))
    } else {
        (text, None)
    };
    let (h, m) = match clock.split_once(':') {
        Some((h, m)) if m.len() == 2 => (h, m),
        None if offset.is_some() => (clock, "00"),
        _ => return Err(WhenError::BadTime),
    };
    let (mut h, m): (u32, u32) =
        (h.parse().map_err(|_| WhenError::BadTime)?, m.parse().map_err(|_| WhenError::BadTime)?);
    if let Some(offset) = offset {
        if !(1..=12).contains(&h) {
            return Err(WhenError::BadTime);
        }
        h = h % 12 + offset;
    }
    NaiveTime::from_hms_opt(h, m, 0).ok_or(WhenError::BadTime)
}

/// A local date and time as an instant, by the rule in the module docs.
pub(crate) fn local_instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        chrono::LocalResult::None => {
            // In a gap: step forward a minute at a time to the first moment that exists.
            (1..=180)
                .find_map(|m| tz.from_local_datetime(&(local + Duration::minutes(m))).earliest())
                .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Once(at) => write!(f, "{}", at.format("%Y-%m-%dT%H:%M:%SZ")),
            When::Repeat(r) => write!(f, "{r}"),
        }
    }
}

impl fmt::Display for Recurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Recurrence::Cron(pattern) => write!(f, "cron {pattern}"),
            Recurrence::Weekly { days, at, ends, every, from } => {
                f.write_str("every ")?;
                if *every > 1 {
                    f.write_str("2nd ")?;
                }
                match *days {
                    Weekdays::ALL => f.write_str("day")?,
                    Weekdays::WORKDAYS => f.write_str("weekday")?,
                    Weekdays::WEEKEND => f.write_str("weekend")?,
                    _ => f.write_str(&days.days().map(short_name).collect::<Vec<_>>().join(","))?,
                }
                write!(f, " {}", at.format("%H:%M"))?;
                if let Some(ends) = ends {
                    write!(f, "-{}", ends.format("%H:%M"))?;
                }
                if *every > 1 {
                    write!(f, " from {}", from.format("%Y-%m-%d"))?;
                }
                Ok(())
            }
        }
    }
}

fn short_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap()
    }

    fn local(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> String {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0).earliest().unwrap().to_rfc3339()
    }

    /// The next `n` runs after `from`, as local RFC 3339 times.
    fn runs(when: &str, tz: Tz, from: DateTime<Utc>, n: usize) -> Vec<String> {
        let when = When::parse(when, from, tz).unwrap();
        let mut at = from;
        (0..n)
            .map(|_| {
                at = when.next_after(at, tz).unwrap();
                at.with_timezone(&tz).to_rfc3339()
            })
            .collect()
    }

    const NOW: fn() -> DateTime<Utc> = || utc(2026, 11, 23, 9, 0); // a Monday

    #[test]
    fn examples_parse() {
        let tz = Tz::Europe__London;
        let now = NOW();
        for (text, canonical) in [
            ("every weekday 08:30", "every weekday 08:30"),
            ("every mon,tue,wed,thu,fri 08:30", "every weekday 08:30"),
            ("Every  Monday,Wednesday 09:00-17:00", "every mon,wed 09:00-17:00"),
            ("every 2nd tuesday 14:00", "every 2nd tue 14:00 from 2026-11-23"),
            ("every other tue 2pm", "every 2nd tue 14:00 from 2026-11-23"),
            ("every day 7am", "every day 07:00"),
            ("every weekend 10:00", "every weekend 10:00"),
            ("every sat,sun,mon 10:00", "every mon,sat,sun 10:00"),
            ("cron 0 30 8 * * 1-5", "cron 0 30 8 * * 1-5"),
            ("cron */5 * * * *", "cron */5 * * * *"),
        ] {
            assert_eq!(When::parse(text, now, tz).unwrap().to_string(), canonical, "{text}");
        }
        assert_eq!(When::parse("in 5 minutes", now, tz), Ok(When::Once(utc(2026, 11, 23, 9, 5))));
        assert_eq!(
            When::parse("tomorrow 10:00", now, tz),
            Ok(When::Once(utc(2026, 11, 24, 10, 0)))
        );
        assert_eq!(
            When::parse("2026-12-03 14:00", now, Tz::Australia__Sydney),
            Ok(When::Once(utc(2026, 12, 3, 3, 0)))
        );
    }

    #[test]
    fn mistakes_are_named() {
        let (now, tz) = (NOW(), Tz::UTC);
        let err = |t: &str| When::parse(t, now, tz).unwrap_err();
        assert_eq!(err(""), WhenError::Empty);
        assert_eq!(err("every funday 10:00"), WhenError::NotUnderstood);
        assert_eq!(err("every monday 25:00"), WhenError::BadTime);
        assert_eq!(err("every monday 9-17"), WhenError::BadTime);
        assert_eq!(err("2026-02-30 10:00"), WhenError::BadDate);
        assert_eq!(err("2020-01-01 10:00"), WhenError::InThePast);
        assert_eq!(err("today 08:00"), WhenError::InThePast);
        assert_eq!(err("in 0 minutes"), WhenError::InThePast);
        assert_eq!(err("in 99999999999 days"), WhenError::TooFar);
        assert_eq!(err("cron 99 * * * *"), WhenError::BadCron);
        assert_eq!(err("cron * *"), WhenError::BadCron);
        assert_eq!(err(&"every ".repeat(50)), WhenError::TooLong);
    }

    #[test]
    fn a_weekly_time_keeps_its_wall_clock_across_dst() {
        // New York springs forward on 8 March 2026 and falls back on 1 November 2026.
        let ny = Tz::America__New_York;
        assert_eq!(
            runs("every day 14:00", ny, utc(2026, 3, 7, 12, 0), 3),
            [
                local(ny, 2026, 3, 7, 14, 0),
                local(ny, 2026, 3, 8, 14, 0),
                local(ny, 2026, 3, 9, 14, 0)
            ]
        );
        assert!(
            runs("every day 14:00", ny, utc(2026, 10, 31, 12, 0), 3)
                .iter()
                .all(|r| r.contains("T14:00:00"))
        );
        // London: 29 March and 25 October 2026.
        let london = Tz::Europe__London;
        let r = runs("every sun 09:30", london, utc(2026, 3, 22, 0, 0), 2);
        assert_eq!(r, ["2026-03-22T09:30:00+00:00", "2026-03-29T09:30:00+01:00"]);
        let r = runs("every sun 09:30", london, utc(2026, 10, 18, 0, 0), 2);
        assert_eq!(r, ["2026-10-18T09:30:00+01:00", "2026-10-25T09:30:00+00:00"]);
        // Sydney (southern hemisphere): forward on 4 October 2026, back on 5 April 2026.
        let sydney = Tz::Australia__Sydney;
        let r = runs("every day 08:00", sydney, utc(2026, 10, 2, 0, 0), 3);
        assert_eq!(
            r,
            ["2026-10-03T08:00:00+10:00", "2026-10-04T08:00:00+11:00", "2026-10-05T08:00:00+11:00"]
        );
    }

    #[test]
    fn skipped_and_repeated_hours_follow_the_stated_rule() {
        // 02:30 does not exist in New York on 8 March 2026: it runs at 03:00, just after the gap.
        let ny = Tz::America__New_York;
        let r = runs("every day 02:30", ny, utc(2026, 3, 7, 12, 0), 2);
        assert_eq!(r, ["2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"]);
        // 01:30 happens twice on 1 November 2026: it runs once, the first time (EDT).
        let r = runs("every day 01:30", ny, utc(2026, 10, 31, 12, 0), 2);
        assert_eq!(r, ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"]);
        // One-shot times in a gap use the same rule.
        let once = When::parse("2027-03-14 02:30", utc(2026, 11, 23, 0, 0), ny).unwrap();
        assert_eq!(once, When::Once(utc(2027, 3, 14, 7, 0)));
    }

    #[test]
    fn month_ends_leap_days_and_fortnights() {
        let tz = Tz::UTC;
        let r = runs("cron 0 9 29 2 *", tz, utc(2026, 11, 23, 0, 0), 2);
        assert_eq!(r, ["2028-02-29T09:00:00+00:00", "2032-02-29T09:00:00+00:00"]);
        let r = runs("cron 0 12 31 * *", tz, utc(2027, 1, 31, 13, 0), 2);
        assert_eq!(r, ["2027-03-31T12:00:00+00:00", "2027-05-31T12:00:00+00:00"]);
        let r = runs("every 2nd tue 14:00", tz, NOW(), 3);
        assert_eq!(
            r,
            ["2026-11-24T14:00:00+00:00", "2026-12-08T14:00:00+00:00", "2026-12-22T14:00:00+00:00"]
        );
        let r = runs("every weekday 18:00-02:00", tz, NOW(), 1);
        assert_eq!(r, ["2026-11-23T18:00:00+00:00"]);
        let When::Repeat(shift) = When::parse("every weekday 18:00-02:00", NOW(), tz).unwrap()
        else {
            panic!()
        };
        assert_eq!(shift.span_end(utc(2026, 11, 23, 18, 0), tz), Some(utc(2026, 11, 24, 2, 0)));
    }

    fn recurrence() -> impl Strategy<Value = Recurrence> {
        let weekly = (
            1u8..128,
            0u32..24,
            0u32..60,
            proptest::option::of((0u32..24, 0u32..60)),
            prop::bool::ANY,
            0i64..2000,
        )
            .prop_filter_map(
                "a span must end at another time",
                |(days, h, m, ends, fortnight, week)| {
                    let at = NaiveTime::from_hms_opt(h, m, 0)?;
                    let ends = ends.and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0));
                    if ends == Some(at) {
                        return None;
                    }
                    let (every, from) = if fortnight {
                        (2, monday_of(NaiveDate::from_ymd_opt(2020, 1, 6)? + Duration::weeks(week)))
                    } else {
                        (1, NaiveDate::MIN)
                    };
                    Some(Recurrence::Weekly { days: Weekdays(days), at, ends, every, from })
                },
            );
        let cron = (0u32..60, 0u32..24, 1u32..8)
            .prop_map(|(m, h, d)| Recurrence::Cron(format!("{m} {h} * * {}", d % 7)));
        prop_oneof![weekly, cron]
    }

    proptest! {
        #[test]
        fn parsing_never_panics(text in "\\PC{0,80}") {
            let _ = When::parse(&text, NOW(), Tz::Europe__London);
        }

        #[test]
        fn word_salad_never_panics(words in prop::collection::vec(prop::sample::select(vec![
            "every", "in", "cron", "2nd", "mon", "tuesday", "weekday", "14:00", "9am", "25:00", "-",
            "09:00-17:00", "from", "2026-11-23", "tomorrow", "today", "5", "minutes", "*", "0", ",",
        ]), 0..8)) {
            let _ = When::parse(&words.join(" "), NOW(), Tz::America__New_York);
        }

        #[test]
        fn the_canonical_spelling_round_trips(r in recurrence()) {
            let text = r.to_string();
            prop_assert_eq!(When::parse(&text, NOW(), Tz::UTC), Ok(When::Repeat(r)), "{}", text);
        }

        #[test]
        fn runs_move_forward_and_keep_their_wall_clock(r in recurrence(), start in 0i64..(5 * 365 * 24)) {
            let tz = Tz::America__New_York;
            let mut at = utc(2026, 1, 1, 0, 0) + Duration::hours(start);
            for _ in 0..5 {
                let next = r.next_after(at, tz).unwrap();
                prop_assert!(next > at);
                if let Recurrence::Weekly { days, at: time, .. } = &r {
                    let local = next.with_timezone(&tz);
                    prop_assert!(days.contains(local.weekday()));
                    // Exactly the wall-clock time, unless it fell into the spring-forward gap.
                    use chrono::Timelike;
                    let gap = local.hour() == 3 && time.hour() == 2;
                    prop_assert!(local.time() == *time || gap, "{} vs {}", local, time);
                }
                at = next;
            }
        }
    }
}
