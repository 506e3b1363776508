//! A schedule read back to people in words, and the reminders it will really bring.
//!
//! `when-words` (in prompts/) says a "when" — "every month on the 1st Thursday at 12:30" — from
//! the arguments [`when`] adds to a line; messages that name a schedule include it, so the
//! rhythm people hear matches the one hearth computes. [`reminders`] adds what a confirmation
//! may promise: only the reminders whose time is still ahead before the first session.
//! [`local`] and [`when_error`] are the words every feature uses for an instant and for a
//! "when" it could not use.

use crate::context::Core;
use crate::flows::Line;
use crate::prompts::keys as k;
use crate::schedule::{Recurrence, Weekdays, When, WhenError, short_name};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

/// The `when_*` arguments of `when-words` for `when` (read in `tz`); `None` means no schedule.
pub fn when(line: Line, when: Option<&When>, tz: Tz) -> Line {
    let hm = |t: &chrono::NaiveTime| t.format("%H:%M").to_string();
    let none = || "none".to_owned();
    // The second weekday of a twice-monthly rhythm (`every 1st,3rd monday`).
    let also_nth = match when {
        Some(When::Repeat(Recurrence::Monthly { also: Some(also), .. })) => also.as_str().into(),
        _ => none(),
    };
    let (kind, day, at, ends, nth, weeks, from, pattern) = match when {
        None => ("none", none(), none(), none(), none(), 1, none(), none()),
        Some(When::Once(at)) => {
            let at = local(Some(*at), tz);
            ("once", none(), at, none(), none(), 1, none(), none())
        }
        Some(When::Repeat(Recurrence::Weekly { days, at, ends, every, from })) => (
            if *every > 1 { "weeks" } else { "weekly" },
            day_names(*days),
            hm(at),
            ends.as_ref().map_or_else(none, hm),
            none(),
            i64::from(*every),
            from.format("%Y-%m-%d").to_string(),
            none(),
        ),
        Some(When::Repeat(Recurrence::Monthly { nth, day, at, .. })) => {
            let (day, nth) = (short_name(*day).to_owned(), nth.as_str().to_owned());
            ("monthly", day, hm(at), none(), nth, 1, none(), none())
        }
        Some(When::Repeat(Recurrence::Cron(pattern))) => {
            ("cron", none(), none(), none(), none(), 1, none(), pattern.clone())
        }
    };
    line.arg("when_kind", kind)
        .arg("when_day", day)
        .arg("when_at", at)
        .arg("when_ends", ends)
        .arg("when_nth", nth)
        .arg("when_nth_also", also_nth)
        .arg("when_weeks", weeks)
        .arg("when_from", from)
        .arg("when_pattern", pattern)
}

/// `day`, `weekday`, `weekend`, one day (`thu`, which prompts/ names) or a list (`mon,wed`).
fn day_names(days: Weekdays) -> String {
    match days {
        Weekdays::ALL => "day".into(),
        Weekdays::WORKDAYS => "weekday".into(),
        Weekdays::WEEKEND => "weekend".into(),
        _ => days.days().map(short_name).collect::<Vec<_>>().join(","),
    }
}

/// The arguments of a confirmation's promise of reminders `leads` minutes before each session
/// (`repeats`) or before the one session, the first of which is at `first`: a reminder is
/// scheduled for the first session only if its time is still ahead (the scheduler's rule in
/// `Payload::next_after`), so only those are promised for it.
pub fn reminders(
    core: &Core,
    locale: &str,
    line: Line,
    leads: &[u32],
    first: Option<DateTime<Utc>>,
    repeats: bool,
    now: DateTime<Utc>,
) -> Line {
    let mut leads = leads.to_vec();
    leads.sort_unstable_by(|a, b| b.cmp(a));
    leads.dedup();
    let ahead = |lead: &&u32| first.is_some_and(|at| at - Duration::minutes((**lead).into()) > now);
    let coming: Vec<u32> = leads.iter().filter(ahead).copied().collect();
    let kind = match (leads.len(), coming.len()) {
        (0, _) => "off",
        (_, 0) => "none",
        (all, some) if some == all => "all",
        _ => "some",
    };
    line.arg("reminders", kind)
        .arg("repeats", if repeats { "yes" } else { "no" })
        .arg("leads", spoken(core, locale, &leads))
        .arg("soon", spoken(core, locale, &coming))
}

/// Lead times in words: "a day and a quarter of an hour".
fn spoken(core: &Core, locale: &str, leads: &[u32]) -> String {
    let say = |line: Line| core.prompts.render(locale, &line);
    leads
        .iter()
        .map(|lead| say(Line::new(k::REMINDER_LEAD).arg("minutes", *lead)))
        .reduce(|first, then| {
            say(Line::new(k::REMINDER_LEADS_AND).arg("first", first).arg("then", then))
        })
        .unwrap_or_default()
}

/// A kind explanation of a "when" that could not be used, with examples.
pub fn when_error(error: &WhenError) -> Line {
    let problem = match error {
        WhenError::InThePast => "past",
        WhenError::TooFar => "far",
        WhenError::BadCron => "cron",
        WhenError::BadTime => "time",
        WhenError::BadDate => "date",
        WhenError::Empty | WhenError::TooLong | WhenError::NotUnderstood => "other",
    };
    Line::new(k::WHEN_BAD).arg("problem", problem)
}

/// An instant as the team reads it, e.g. `2026-11-24 08:30`.
pub fn local(at: Option<DateTime<Utc>>, tz: Tz) -> String {
    at.map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
}
