//! Monthly rhythms: the 1st, 2nd, 3rd, 4th or last given weekday of every month
//! (`every 1st thursday 12:30`, `every last friday 16:00`), the usual rhythm of supervision and
//! communities of practice, or two of them (`every 1st,3rd monday 10:00`). Computed by hand rather than with croner so that the DST rule is
//! the one `local_instant` states for every other "when".

use super::local_instant;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

/// Which of a month's given weekdays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WeekOfMonth {
    First,
    Second,
    Third,
    Fourth,
    Last,
}

impl WeekOfMonth {
    pub const ALL: [WeekOfMonth; 5] =
        [Self::First, Self::Second, Self::Third, Self::Fourth, Self::Last];

    /// `1st`, `first`, …, `last`. A 5th weekday is left out: most months have none.
    pub(super) fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "1st" | "first" => Self::First,
            "2nd" | "second" => Self::Second,
            "3rd" | "third" => Self::Third,
            "4th" | "fourth" => Self::Fourth,
            "last" => Self::Last,
            _ => return None,
        })
    }

    /// The canonical spelling, which `parse` reads back.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::First => "1st",
            Self::Second => "2nd",
            Self::Third => "3rd",
            Self::Fourth => "4th",
            Self::Last => "last",
        }
    }

    /// This weekday of the month `year`-`month`; every month has a 1st to 4th and a last.
    pub fn date_in(self, year: i32, month: u32, day: Weekday) -> Option<NaiveDate> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let to_first =
            (7 + day.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
        let first_such = first + Duration::days(to_first.into());
        let weeks = match self {
            Self::First => 0,
            Self::Second => 1,
            Self::Third => 2,
            Self::Fourth => 3,
            Self::Last => {
                let next_month = first.checked_add_months(chrono::Months::new(1))?;
                let last_day = next_month.pred_opt()?;
                return Some(first_such + Duration::weeks((last_day - first_such).num_days() / 7));
            }
        };
        Some(first_such + Duration::weeks(weeks))
    }
}

/// `1st`, or two ordinals `1st,3rd` (in either order; the same one twice is one): the first
/// and the later one. More than two would be nearly weekly, and harder to say back in words.
pub(super) fn parse_ordinals(text: &str) -> Option<(WeekOfMonth, Option<WeekOfMonth>)> {
    match text.split(',').map(WeekOfMonth::parse).collect::<Option<Vec<_>>>()?.as_slice() {
        [one] => Some((*one, None)),
        [a, b] if a == b => Some((*a, None)),
        [a, b] => Some(((*a).min(*b), Some((*a).max(*b)))),
        _ => None,
    }
}

/// The first `nth` `day` of a month at local `at`, strictly after `after`.
pub(super) fn next_after(
    nth: WeekOfMonth,
    day: Weekday,
    at: NaiveTime,
    after: DateTime<Utc>,
    tz: Tz,
) -> Option<DateTime<Utc>> {
    let start = after.with_timezone(&tz).date_naive().with_day(1)?;
    // A run after `after` falls in its local month or the next; a third month is slack for a
    // time pushed past midnight by a DST gap.
    (0..3).find_map(|months| {
        let month = start.checked_add_months(chrono::Months::new(months))?;
        let date = nth.date_in(month.year(), month.month(), day)?;
        let run = local_instant(tz, date.and_time(at));
        (run > after).then_some(run)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn nth_and_last_weekdays_of_a_month() {
        // December 2026 starts on a Tuesday and has five Thursdays (3, 10, 17, 24, 31).
        let thu = Weekday::Thu;
        assert_eq!(WeekOfMonth::First.date_in(2026, 12, thu), Some(date(2026, 12, 3)));
        assert_eq!(WeekOfMonth::Fourth.date_in(2026, 12, thu), Some(date(2026, 12, 24)));
        assert_eq!(WeekOfMonth::Last.date_in(2026, 12, thu), Some(date(2026, 12, 31)));
        assert_eq!(WeekOfMonth::First.date_in(2026, 12, Weekday::Tue), Some(date(2026, 12, 1)));
        assert_eq!(WeekOfMonth::Last.date_in(2026, 12, Weekday::Wed), Some(date(2026, 12, 30)));
        // February 2027 has exactly four of each weekday: the 4th is the last.
        assert_eq!(WeekOfMonth::Last.date_in(2027, 2, Weekday::Mon), Some(date(2027, 2, 22)));
        assert_eq!(WeekOfMonth::Fourth.date_in(2027, 2, Weekday::Mon), Some(date(2027, 2, 22)));
        // Leap February 2028 ends on a Tuesday, the 29th.
        assert_eq!(WeekOfMonth::Last.date_in(2028, 2, Weekday::Tue), Some(date(2028, 2, 29)));
    }

    #[test]
    fn every_month_date_is_that_weekday_and_in_its_week() {
        for year in 2025..2030 {
            for month in 1..=12 {
                for day in [Weekday::Mon, Weekday::Thu, Weekday::Sun] {
                    for (i, nth) in WeekOfMonth::ALL.into_iter().enumerate() {
                        let d = nth.date_in(year, month, day).unwrap();
                        assert_eq!((d.weekday(), d.month()), (day, month));
                        if nth == WeekOfMonth::Last {
                            assert!((d + Duration::weeks(1)).month() != month);
                        } else {
                            assert_eq!((d.day() - 1) / 7, u32::try_from(i).unwrap());
                        }
                    }
                }
            }
        }
    }
}
