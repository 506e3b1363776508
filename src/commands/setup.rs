//! `/setup` (team admins): timezone, team-weather threshold, support resources, the shift
//! pattern (whose starts bring a check-in invitation) and quiet hours.

use crate::engine::{Reply, Turn};
use crate::flows::{Line, Part, Say};
use crate::prompts::keys as k;
use crate::schedule::{Payload, QuietHours, SHIFT_NUDGE as SHIFT, When, WhenError};
use crate::store::schedules::{self, NewSchedule};
use crate::store::{Conn, Result, teams};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use hearth_chat::{CommandCall, Place};

pub fn run(conn: &Conn, turn: &Turn, sub: &str, call: &CommandCall) -> Result<Reply> {
    let team = &turn.team;
    let line = match sub {
        "timezone" => {
            let given = call.text("timezone").unwrap_or_default();
            match parse_timezone(given) {
                Some(tz) => {
                    teams::set_timezone(conn, team.id, tz)?;
                    // The team's schedules keep their wall-clock times in the new zone.
                    let shifts = schedules::of_team(conn, team.id, SHIFT)?;
                    for (id, pattern) in shifts {
                        if let Some(Ok(when)) = pattern.map(|p| When::parse(&p, turn.now, tz)) {
                            schedules::reschedule(conn, id, &when, tz, turn.now)?;
                        }
                    }
                    let mut reply = Reply::say(vec![Say::line(
                        Line::new(k::SETUP_TIMEZONE_DONE).arg("timezone", tz.name()),
                    )]);
                    reply.schedules_changed = true;
                    return Ok(reply);
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
        "shift" => return shift(conn, turn, call.text("when").unwrap_or_default()),
        "quiet" => {
            let given = call.text("hours").unwrap_or_default().trim();
            if given.eq_ignore_ascii_case("off") {
                teams::set_quiet_hours(conn, team.id, None)?;
                Line::new(k::SETUP_QUIET_OFF)
            } else {
                match QuietHours::parse(given) {
                    Some(quiet) => {
                        teams::set_quiet_hours(conn, team.id, Some(quiet))?;
                        Line::new(k::SETUP_QUIET_DONE).arg("hours", quiet.to_string())
                    }
                    None => Line::new(k::SETUP_QUIET_BAD),
                }
            }
        }
        _ => return show(conn, turn),
    };
    Ok(Reply::say(vec![Say::line(line)]))
}

/// `/setup shift WHEN|off`: one shift pattern per team, invitations posted where it was set.
fn shift(conn: &Conn, turn: &Turn, given: &str) -> Result<Reply> {
    let team = &turn.team;
    let say = |line: Line| Ok(Reply::say(vec![Say::line(line)]));
    let remove_all = |conn: &Conn| -> Result<()> {
        for (id, _) in schedules::of_team(conn, team.id, SHIFT)? {
            schedules::delete(conn, id)?;
        }
        Ok(())
    };
    if given.trim().eq_ignore_ascii_case("off") {
        remove_all(conn)?;
        let mut reply = Reply::say(vec![Say::text(k::SETUP_SHIFT_OFF)]);
        reply.schedules_changed = true;
        return Ok(reply);
    }
    let channel = match &turn.inbound.place {
        Place::Channel { id } | Place::Thread { channel: id, .. } => id.clone(),
        Place::Direct => return say(Line::new(k::SETUP_SHIFT_NOT_HERE)),
    };
    let when = match When::parse(given, turn.now, team.timezone) {
        Ok(when @ When::Repeat(_)) => when,
        Ok(When::Once(_)) => return say(Line::new(k::SETUP_SHIFT_REPEAT)),
        Err(error) => return say(when_error(&error)),
    };
    remove_all(conn)?;
    let new = NewSchedule {
        team_id: Some(team.id),
        member_id: None,
        payload: Payload::ShiftNudge { channel },
        when: when.clone(),
        timezone: team.timezone,
    };
    let id = schedules::insert(conn, &new, turn.now)?;
    let next = schedules::next_run(conn, id)?;
    let line = Line::new(k::SETUP_SHIFT_DONE)
        .arg("pattern", when.to_string())
        .arg("next", local(next, team.timezone));
    let mut reply = Reply::say(vec![Say::line(line)]);
    reply.schedules_changed = true;
    Ok(reply)
}

fn show(conn: &Conn, turn: &Turn) -> Result<Reply> {
    let team = &turn.team;
    let resources = if team.resources.is_some() {
        k::SETUP_RESOURCES_CUSTOM
    } else {
        k::SETUP_RESOURCES_DEFAULT
    };
    let shift = match schedules::of_team(conn, team.id, SHIFT)?.into_iter().next() {
        Some((id, Some(pattern))) => Line::new(k::SETUP_SHIFT)
            .arg("pattern", pattern)
            .arg("next", local(schedules::next_run(conn, id)?, team.timezone)),
        _ => Line::new(k::SETUP_SHIFT_NONE),
    };
    let quiet = match team.quiet_hours {
        Some(quiet) => Line::new(k::SETUP_QUIET).arg("hours", quiet.to_string()),
        None => Line::new(k::SETUP_QUIET_NONE),
    };
    Ok(Reply::say(vec![Say::actor(vec![
        Part::Heading(k::SETUP_HEADING.into()),
        Part::List(vec![
            Line::new(k::SETUP_TIMEZONE).arg("timezone", team.timezone.name()),
            Line::new(k::SETUP_THRESHOLD).arg("people", team.weather_min_people),
            resources.into(),
            shift,
            quiet,
        ]),
    ])]))
}

/// A kind explanation of a "when" that could not be used, with examples.
fn when_error(error: &WhenError) -> Line {
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
fn local(at: Option<DateTime<Utc>>, tz: Tz) -> String {
    at.map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
}

/// IANA names, case-insensitively (people type `europe/london`).
fn parse_timezone(given: &str) -> Option<Tz> {
    given.parse().ok().or_else(|| Tz::from_str_insensitive(given).ok())
}
