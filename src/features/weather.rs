//! `/weather`: the team's published colour counts for today and this week — figures that
//! change only in batches of the team's minimum group size, never below it.

use crate::colour::Colour;
use crate::context::{Reply, Turn};
use crate::error::Result;
use crate::flows::{Line, Part, Say};
use crate::prompts::keys as k;
use crate::store::{Tx, weather};
use chrono::{Datelike, Duration, NaiveDate};
use std::collections::BTreeMap;

pub fn show(tx: &Tx, turn: &Turn) -> Result<Reply> {
    let min = turn.team.weather_min_people;
    let today = turn.now.with_timezone(&turn.team.timezone).date_naive();
    let monday = today - Duration::days(today.weekday().num_days_from_monday().into());
    let rows = weather::counts(tx, turn.team.id, monday, today)?;

    let mut by_day: BTreeMap<NaiveDate, BTreeMap<Colour, u32>> = BTreeMap::new();
    for (day, colour, people) in rows {
        *by_day.entry(day).or_default().entry(colour).or_default() += people;
    }
    // Only published figures are stored, and a day is published only once enough people
    // contributed; a team that raised its threshold since is still held to the new one.
    let enough = |counts: &BTreeMap<Colour, u32>| counts.values().sum::<u32>() >= min;

    let mut parts = vec![Part::Heading(k::WEATHER_HEADING.into())];
    match by_day.get(&today).filter(|c| enough(c)) {
        Some(counts) => {
            let heading = match weather::published_at(tx, turn.team.id, today)? {
                Some(at) => {
                    let time = at.with_timezone(&turn.team.timezone).format("%H:%M");
                    Line::new(k::WEATHER_TODAY_AS_OF).arg("time", time.to_string())
                }
                None => k::WEATHER_TODAY.into(),
            };
            parts.push(Part::Text(heading));
            parts.push(Part::List(count_lines(counts)));
            parts.push(Part::Text(Line::new(k::WEATHER_BATCHES).arg("min", min)));
        }
        None => parts.push(Part::Text(Line::new(k::WEATHER_NOT_ENOUGH_TODAY).arg("min", min))),
    }
    let mut week: BTreeMap<Colour, u32> = BTreeMap::new();
    for counts in by_day.values().filter(|c| enough(c)) {
        for (colour, people) in counts {
            *week.entry(*colour).or_default() += people;
        }
    }
    if week.is_empty() {
        parts.push(Part::Text(k::WEATHER_NOT_ENOUGH_WEEK.into()));
    } else {
        parts.push(Part::Text(k::WEATHER_WEEK.into()));
        parts.push(Part::List(count_lines(&week)));
        parts.push(Part::Text(Line::new(k::WEATHER_WEEK_NOTE).arg("min", min)));
    }
    parts.push(Part::Text(k::WEATHER_ABOUT.into()));
    Ok(Reply::say(vec![Say::actor(parts)]))
}

fn count_lines(counts: &BTreeMap<Colour, u32>) -> Vec<Line> {
    Colour::ALL
        .into_iter()
        .map(|c| {
            Line::new(k::WEATHER_COUNT)
                .arg("colour", c.as_str())
                .arg("count", counts.get(&c).copied().unwrap_or(0))
        })
        .collect()
}
