//! `/shift` (mine), `/shift start [until TIME]`, `/shift end`, `/shift pattern WHEN|off`,
//! `/available on|off [until TIME]` and `/capacity low|normal`; and who can be sent a
//! debrief request right now.

use super::when_words::{local, when_error};
use crate::context::{Reply, Turn};
use crate::error::Result;
use crate::flows::{Line, Part, Say};
use crate::prompts::keys as k;
use crate::schedule::{
    MAX_SHIFT, PERSONAL_SHIFT, Payload, Recurrence, SHIFT_NUDGE, When, WhenError, on_shift,
    parse_until,
};
use crate::store::members::{self, Teammate};
use crate::store::schedules::{self, NewSchedule};
use crate::store::{Team, Tx};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;

/// A shift started without an end lasts this long, unless a pattern says otherwise.
const DEFAULT_SHIFT: Duration = Duration::hours(8);

/// A stored pattern read back as a recurrence.
fn recurrence(pattern: &str, now: DateTime<Utc>, tz: Tz) -> Option<Recurrence> {
    match When::parse(pattern, now, tz) {
        Ok(When::Repeat(r)) => Some(r),
        _ => None,
    }
}

/// The team's shift pattern (set with `/setup shift`).
pub fn team_pattern(tx: &Tx, team: &Team, now: DateTime<Utc>) -> Result<Option<Recurrence>> {
    let shifts = schedules::of_team(tx, team.id, SHIFT_NUDGE)?;
    Ok(shifts.into_iter().find_map(|(_, p)| recurrence(&p?, now, team.timezone)))
}

fn own_pattern(tx: &Tx, turn: &Turn) -> Result<Option<Recurrence>> {
    let own = schedules::read(tx, turn.team.id, Some(turn.member.id), PERSONAL_SHIFT)?;
    Ok(own.into_iter().find_map(|(_, _, p)| recurrence(&p?, turn.now, turn.team.timezone)))
}

/// A member's own shift pattern, or else the team's.
pub fn own_or_team_pattern(
    tx: &Tx,
    team: &Team,
    member_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Recurrence>> {
    let own = schedules::read(tx, team.id, Some(member_id), PERSONAL_SHIFT)?;
    match own.into_iter().find_map(|(_, _, p)| recurrence(&p?, now, team.timezone)) {
        Some(own) => Ok(Some(own)),
        None => team_pattern(tx, team, now),
    }
}

/// Teammates (never `except`, the one asking) who can be sent a debrief request now:
/// available, capacity not reduced, and on shift by their own pattern or else the team's.
pub fn reachable(tx: &Tx, team: &Team, except: i64, now: DateTime<Utc>) -> Result<Vec<Teammate>> {
    let team_pattern = team_pattern(tx, team, now)?;
    let own: HashMap<i64, Recurrence> = schedules::personal_patterns(tx, team.id, PERSONAL_SHIFT)?
        .into_iter()
        .filter_map(|(member, p)| Some((member, recurrence(&p, now, team.timezone)?)))
        .collect();
    Ok(members::teammates(tx, team.id, except)?
        .into_iter()
        .filter(|t| t.duty.available_at(now) && !t.duty.capacity_low)
        .filter(|t| {
            let pattern = own.get(&t.id).or(team_pattern.as_ref());
            on_shift(now, t.duty.shift_until, pattern, team.timezone)
        })
        .collect())
}

fn say(line: Line) -> Result<Reply> {
    Ok(Reply::say(vec![Say::line(line)]))
}

/// A kind explanation of an "until" time that could not be used.
fn until_error(error: &WhenError) -> Line {
    let problem = match error {
        WhenError::InThePast => "past",
        WhenError::TooFar => "far",
        _ => "other",
    };
    Line::new(k::UNTIL_BAD).arg("problem", problem)
}

/// `/shift`: mine, as it stands.
pub fn show(tx: &Tx, turn: &Turn) -> Result<Reply> {
    let (tz, now) = (turn.team.timezone, turn.now);
    let duty = members::duty(tx, turn.member.id)?;
    let own = own_pattern(tx, turn)?;
    let pattern = match own.clone() {
        Some(p) => Some(p),
        None => team_pattern(tx, &turn.team, now)?,
    };
    let on = on_shift(now, duty.shift_until, pattern.as_ref(), tz);
    let shift = match duty.shift_until {
        Some(until) if until > now => {
            Line::new(k::SHIFT_ON_UNTIL).arg("until", local(Some(until), tz))
        }
        _ if on => Line::new(k::SHIFT_ON),
        _ => Line::new(k::SHIFT_OFF),
    };
    let pattern_line = match (&own, &pattern) {
        (Some(p), _) => Line::new(k::SHIFT_PATTERN_OWN).arg("pattern", p.to_string()),
        (None, Some(p)) => Line::new(k::SHIFT_PATTERN_TEAM).arg("pattern", p.to_string()),
        (None, None) => Line::new(k::SHIFT_PATTERN_NONE),
    };
    let available = if duty.available_at(now) { "on" } else { "off" };
    let flips = duty.available_until.filter(|u| *u > now);
    let available_line = Line::new(k::SHIFT_AVAILABLE)
        .arg("state", available)
        .arg("until", flips.map_or_else(|| "none".to_owned(), |u| local(Some(u), tz)));
    let mut lines = vec![shift, pattern_line, available_line];
    if duty.capacity_low {
        lines.push(Line::new(k::SHIFT_CAPACITY_LOW));
    }
    Ok(Reply::say(vec![Say::actor(vec![
        Part::Heading(k::SHIFT_HEADING.into()),
        Part::List(lines),
    ])]))
}

/// `/shift start [until TIME]`.
pub fn start(tx: &Tx, turn: &Turn, until: Option<&str>) -> Result<Reply> {
    let (tz, now) = (turn.team.timezone, turn.now);
    let until = match until.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => match parse_until(text, now, tz) {
            Ok(until) => until,
            Err(error) => return say(until_error(&error)),
        },
        None => {
            let pattern = match own_pattern(tx, turn)? {
                Some(p) => Some(p),
                None => team_pattern(tx, &turn.team, now)?,
            };
            pattern
                .and_then(|p| p.span_containing(now, tz).and_then(|start| p.span_end(start, tz)))
                .unwrap_or(now + DEFAULT_SHIFT)
        }
    };
    if until - now > MAX_SHIFT {
        return say(Line::new(k::SHIFT_TOO_LONG));
    }
    members::set_shift_until(tx, turn.member.id, until)?;
    // Break nudges count their interval from the start of the shift.
    if let Some(every) = crate::store::breaks::nudges(tx, turn.member.id)?.every_minutes {
        crate::store::breaks::nudge_after(
            tx,
            turn.member.id,
            now + Duration::minutes(every.into()),
        )?;
    }
    let mut parts =
        vec![Part::Text(Line::new(k::SHIFT_STARTED).arg("until", local(Some(until), tz)))];
    parts.extend(invite_available(tx, turn.member.id, now)?.map(Part::Text));
    Ok(Reply::say(vec![Say::actor(parts)]))
}

/// The one invitation to take debrief requests (`/available on`), at a moment that suits it
/// (a first green check-in, a shift starting): only to someone not available and not
/// stretched, and only once ever, so it never nags. `None` when it is not to be said.
pub fn invite_available(tx: &Tx, member_id: i64, now: DateTime<Utc>) -> Result<Option<Line>> {
    let duty = members::duty(tx, member_id)?;
    if duty.available_at(now) || duty.capacity_low {
        return Ok(None);
    }
    Ok(members::mark_available_invited(tx, member_id)?.then(|| Line::new(k::AVAILABLE_INVITE)))
}

/// `/shift end`.
pub fn end(tx: &Tx, turn: &Turn) -> Result<Reply> {
    members::set_shift_until(tx, turn.member.id, turn.now)?;
    say(Line::new(k::SHIFT_ENDED))
}

/// `/shift pattern WHEN|off`: my own recurring shifts, in the team's timezone.
pub fn pattern(tx: &Tx, turn: &Turn, given: &str) -> Result<Reply> {
    let given = given.trim();
    let mut reply = if given.eq_ignore_ascii_case("off") {
        schedules::delete_of_member(tx, turn.member.id, PERSONAL_SHIFT)?;
        Reply::say(vec![Say::text(k::SHIFT_PATTERN_OFF)])
    } else {
        let tz = turn.team.timezone;
        let when = match When::parse(given, turn.now, tz) {
            Ok(When::Repeat(r)) if r.has_span() => When::Repeat(r),
            Ok(_) => return say(Line::new(k::SHIFT_PATTERN_SPAN)),
            Err(error) => return say(when_error(&error)),
        };
        let new = NewSchedule {
            team_id: Some(turn.team.id),
            member_id: Some(turn.member.id),
            payload: Payload::PersonalShift,
            when: when.clone(),
            timezone: tz,
        };
        let existing = schedules::read(tx, turn.team.id, Some(turn.member.id), PERSONAL_SHIFT)?;
        let id = match existing.first() {
            Some((id, ..)) => {
                schedules::replace(tx, *id, &new.payload, &when, tz, turn.now)?;
                *id
            }
            None => schedules::insert(tx, &new, turn.now)?,
        };
        let next = schedules::next_run(tx, id)?;
        Reply::say(vec![Say::line(
            Line::new(k::SHIFT_PATTERN_DONE)
                .arg("pattern", when.to_string())
                .arg("next", local(next, tz)),
        )])
    };
    reply.schedules_changed = true;
    Ok(reply)
}

/// `/available on|off [until TIME]`.
pub fn available(tx: &Tx, turn: &Turn, on: bool, until: Option<&str>) -> Result<Reply> {
    let (tz, now) = (turn.team.timezone, turn.now);
    let until = match until.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => match parse_until(text, now, tz) {
            Ok(until) => Some(until),
            Err(error) => return say(until_error(&error)),
        },
        None => None,
    };
    members::set_available(tx, turn.member.id, on, until)?;
    let line = Line::new(k::AVAILABLE_DONE)
        .arg("state", if on { "on" } else { "off" })
        .arg("until", until.map_or_else(|| "none".to_owned(), |u| local(Some(u), tz)));
    say(line)
}

/// `/capacity low|normal`.
pub fn capacity(tx: &Tx, turn: &Turn, low: bool) -> Result<Reply> {
    Ok(Reply::say(set_capacity(tx, turn, low)?))
}

/// Sets capacity and tells the coordinator only that it changed, never why; also the
/// check-in's "reduce my load for now".
pub fn set_capacity(tx: &Tx, turn: &Turn, low: bool) -> Result<Vec<Say>> {
    let changed = members::set_capacity_low(tx, turn.member.id, low)?;
    let state = if low { "low" } else { "normal" };
    let coordinator =
        turn.team.coordinator.as_ref().filter(|c| **c != turn.member.platform_user_id);
    let mut say = Vec::new();
    match coordinator {
        Some(coordinator) if changed => {
            say.push(Say::person(
                coordinator.clone(),
                vec![
                    Part::Text(Line::new(k::CAPACITY_NOTICE).arg("state", state)),
                    Part::Person(turn.member.platform_user_id.clone()),
                ],
            ));
            say.push(Say::line(Line::new(k::CAPACITY_TOLD).arg("state", state)));
        }
        Some(_) => say.push(Say::line(Line::new(k::CAPACITY_SAME).arg("state", state))),
        None => say.push(Say::line(Line::new(k::CAPACITY_NO_COORDINATOR).arg("state", state))),
    }
    Ok(say)
}
