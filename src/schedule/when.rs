//! The "when" language: `every weekday 08:30`, `every 1st thursday 12:30` (monthly),
//! `every 2 weeks tuesday 14:00` or `every other tuesday 14:00` (fortnightly),
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

mod monthly;
pub use monthly::WeekOfMonth;

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
    /// On the 1st to 4th or last `day` of every month, and on a second, later one (`also`:
    /// `every 1st,3rd monday`), at a local time.
    Monthly { nth: WeekOfMonth, also: Option<WeekOfMonth>, day: Weekday, at: NaiveTime },
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

    pub fn days(self) -> impl Iterator<Item = Weekday> {
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

/// The longest gap between weeks of an `every N weeks` rhythm.
pub const MAX_WEEKS: u8 = 12;

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
                let every = i64::from((*every).max(1));
                let mut cursor = after.with_timezone(&tz);
                // A rhythm of several weeks: an occurrence in an off week jumps to just before
                // the next week of the rhythm (stepping occurrence by occurrence would need
                // up to 77 steps for `every 12 weeks` on every day), so two rounds suffice.
                // Bounded, so a bad value can never spin.
                for _ in 0..4 {
                    cursor = cron.find_next_occurrence(&cursor, false).ok()?;
                    let weeks = (cursor.date_naive() - *from).num_days().div_euclid(7);
                    let off = weeks.rem_euclid(every);
                    if off == 0 {
                        return Some(cursor.with_timezone(&Utc));
                    }
                    let on_week = *from + Duration::weeks(weeks + every - off);
                    let start = local_instant(tz, on_week.and_time(NaiveTime::MIN));
                    cursor = (start - Duration::seconds(1)).with_timezone(&tz);
                }
                None
            }
            Recurrence::Monthly { nth, also, day, at } => {
                let first = monthly::next_after(*nth, *day, *at, after, tz);
                let second = also.and_then(|also| monthly::next_after(also, *day, *at, after, tz));
                first.into_iter().chain(second).min()
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

/// `every weekday 08:30`, `every 1st thursday 12:30`, `every 2 weeks tue 14:00`,
/// `every other tue 14:00`, `every mon,wed 09:00-17:00`; a rhythm of several weeks may name the
/// week it counts from (`… from 2026-11-23`).
fn parse_every(words: &[&str], today: NaiveDate) -> Result<When, WhenError> {
    // An ordinal names a weekday of the month: `every 2nd tuesday` is the 2nd Tuesday of each
    // month, as people read it (it meant fortnightly before; stored rows were rewritten).
    if let [ordinals, day, time] = words
        && let Some((nth, also)) = monthly::parse_ordinals(ordinals)
    {
        let day = weekday(day).ok_or(WhenError::NotUnderstood)?;
        let at = parse_time(time)?;
        return Ok(When::Repeat(Recurrence::Monthly { nth, also, day, at }));
    }
    let (words, from) = match words {
        [rest @ .., "from", date] => {
            let date =
                NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| WhenError::BadDate)?;
            (rest, Some(monday_of(date)))
        }
        _ => (words, None),
    };
    let (every, words) = match words {
        ["other", rest @ ..] => (2u8, rest),
        ["week" | "weeks", rest @ ..] => (1u8, rest),
        [n, "week" | "weeks", rest @ ..] => match n.parse::<u8>() {
            Ok(n @ 1..=MAX_WEEKS) => (n, rest),
            _ => return Err(WhenError::NotUnderstood),
        },
        _ => (1u8, words),
    };
    let words = match words {
        ["on", rest @ ..] => rest,
        _ => words,
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
    // A rhythm of several weeks counts from the current week's Monday.
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
            Recurrence::Monthly { nth, also, day, at } => {
                write!(f, "every {}", nth.as_str())?;
                if let Some(also) = also {
                    write!(f, ",{}", also.as_str())?;
                }
                write!(f, " {} {}", short_name(*day), at.format("%H:%M"))
            }
            Recurrence::Weekly { days, at, ends, every, from } => {
                f.write_str("every ")?;
                if *every > 1 {
                    write!(f, "{every} weeks ")?;
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

pub(crate) fn short_name(day: Weekday) -> &'static str {
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
mod examples;
#[cfg(test)]
mod tests;
