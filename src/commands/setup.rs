//! `/setup` (team admins): timezone, team-weather threshold, support resources.

use crate::engine::{Reply, Turn};
use crate::flows::{Line, Part, Say};
use crate::prompts::keys as k;
use crate::store::{Conn, Result, teams};
use chrono_tz::Tz;
use hearth_chat::CommandCall;

pub fn run(conn: &Conn, turn: &Turn, sub: &str, call: &CommandCall) -> Result<Reply> {
    let team = &turn.team;
    let line = match sub {
        "timezone" => {
            let given = call.text("timezone").unwrap_or_default();
            match parse_timezone(given) {
                Some(tz) => {
                    teams::set_timezone(conn, team.id, tz)?;
                    Line::new(k::SETUP_TIMEZONE_DONE).arg("timezone", tz.name())
                }
                None => {
                    let given: String = given.chars().take(64).collect();
                    Line::new(k::BAD_TIMEZONE).arg("given", given)
                }
            }
        }
        "threshold" => {
            // The catalogue bounds it to 3..=50; the database refuses anything below 3.
            let people = call.integer("people").and_then(|n| u32::try_from(n).ok()).unwrap_or(3);
            teams::set_weather_min_people(conn, team.id, people)?;
            Line::new(k::SETUP_THRESHOLD_DONE).arg("people", people)
        }
        "resources" => {
            let text = call.text("text").unwrap_or_default().trim();
            teams::set_resources(conn, team.id, Some(text))?;
            Line::new(k::SETUP_RESOURCES_DONE)
        }
        "resources-reset" => {
            teams::set_resources(conn, team.id, None)?;
            Line::new(k::SETUP_RESOURCES_RESET_DONE)
        }
        _ => {
            let resources = if team.resources.is_some() {
                k::SETUP_RESOURCES_CUSTOM
            } else {
                k::SETUP_RESOURCES_DEFAULT
            };
            return Ok(Reply::say(vec![Say::actor(vec![
                Part::Heading(k::SETUP_HEADING.into()),
                Part::List(vec![
                    Line::new(k::SETUP_TIMEZONE).arg("timezone", team.timezone.name()),
                    Line::new(k::SETUP_THRESHOLD).arg("people", team.weather_min_people),
                    resources.into(),
                ]),
            ])]));
        }
    };
    Ok(Reply::say(vec![Say::line(line)]))
}

/// IANA names, case-insensitively (people type `europe/london`).
fn parse_timezone(given: &str) -> Option<Tz> {
    given.parse().ok().or_else(|| Tz::from_str_insensitive(given).ok())
}
