//! `/setup` (team admins): timezone, team-weather threshold, support resources, the shift
//! pattern (whose starts bring a check-in invitation), quiet hours, the debrief channel and
//! timings, and who the coordinator and supervisor are.

use super::when_words::{local, when_error};
use crate::context::{Reply, Turn};
use crate::error::Result;
use crate::flows::{Line, Part, PersonLookup, Say};
use crate::limits::{DEBRIEF_LEAD_MAX, REQUEST_WAIT_MAX};
use crate::prompts::keys as k;
use crate::schedule::{
    COMMUNITY_GATHERING, COMMUNITY_REMINDER, PERSONAL_SHIFT, Payload, QuietHours,
    SHIFT_NUDGE as SHIFT, SUPERVISION_GAPS, SUPERVISION_REMINDER, TEAM_DEBRIEF, When,
};
use crate::store::schedules::{self, NewSchedule};
use crate::store::teams::Role;
use crate::store::{Tx, teams};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use hearth_chat::{CommandCall, Place};

pub fn run(tx: &Tx, turn: &Turn, sub: &str, call: &CommandCall) -> Result<Reply> {
    let team = &turn.team;
    let line = match sub {
        "timezone" => {
            let given = call.text("timezone").unwrap_or_default();
            match parse_timezone(given) {
                Some(tz) => {
                    teams::set_timezone(tx, team.id, tz)?;
                    // The team's schedules keep their wall-clock times in the new zone.
                    let kinds = [
                        SHIFT,
                        PERSONAL_SHIFT,
                        SUPERVISION_REMINDER,
                        SUPERVISION_GAPS,
                        COMMUNITY_REMINDER,
                        COMMUNITY_GATHERING,
                    ];
                    for kind in kinds {
                        for (id, payload, pattern) in schedules::read_all(tx, team.id, kind)? {
                            if let Some(Ok(when)) = pattern.map(|p| When::parse(&p, turn.now, tz)) {
                                schedules::replace(tx, id, &payload, &when, tz, turn.now)?;
                            }
                        }
                    }
                    sync_team_debrief(tx, team.id, turn.now)?;
                    crate::store::supervision::set_timezone_of_team(tx, team.id, tz)?;
                    crate::store::communities::set_timezone_of_team(tx, team.id, tz)?;
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
            teams::set_weather_min_people(tx, team.id, people)?;
            Line::new(k::SETUP_THRESHOLD_DONE).arg("people", people)
        }
        "resources" => {
            let text = call.text("text").unwrap_or_default().trim();
            teams::set_resources(tx, team.id, Some(text))?;
            Line::new(k::SETUP_RESOURCES_DONE)
        }
        "resources-reset" => {
            teams::set_resources(tx, team.id, None)?;
            Line::new(k::SETUP_RESOURCES_RESET_DONE)
        }
        "shift" => return shift(tx, turn, call.text("when").unwrap_or_default()),
        "debrief" => {
            let here = call.text("where") == Some("here");
            let channel = match &turn.inbound.place {
                Place::Channel { id } | Place::Thread { channel: id, .. } => Some(id.as_str()),
                Place::Direct => None,
            };
            let line = match (here, channel) {
                (true, None) => Line::new(k::SETUP_DEBRIEF_NOT_HERE),
                (true, Some(channel)) => {
                    teams::set_debrief_channel(tx, team.id, Some(channel))?;
                    Line::new(k::SETUP_DEBRIEF_DONE)
                }
                (false, _) => {
                    teams::set_debrief_channel(tx, team.id, None)?;
                    Line::new(k::SETUP_DEBRIEF_OFF)
                }
            };
            return synced(tx, turn, line);
        }
        "debrief-lead" => {
            let minutes = minutes(call, DEBRIEF_LEAD_MAX);
            teams::set_debrief_lead(tx, team.id, minutes)?;
            return synced(tx, turn, Line::new(k::SETUP_DEBRIEF_LEAD_DONE).arg("minutes", minutes));
        }
        "request-wait" => {
            let minutes = minutes(call, REQUEST_WAIT_MAX);
            teams::set_request_wait(tx, team.id, minutes)?;
            Line::new(k::SETUP_REQUEST_WAIT_DONE).arg("minutes", minutes)
        }
        "role" => {
            let role = match call.text("role") {
                Some("supervisor") => Role::Supervisor,
                _ => Role::Coordinator,
            };
            let name = if role == Role::Supervisor { "supervisor" } else { "coordinator" };
            let given = call.text("person").unwrap_or_default();
            return match crate::engine::find_person(tx, turn, given)? {
                PersonLookup::Empty => {
                    teams::set_role(tx, team.id, role, None)?;
                    say(Line::new(k::SETUP_ROLE_NONE).arg("role", name))
                }
                PersonLookup::Yourself => {
                    let me = turn.member.platform_user_id.clone();
                    teams::set_role(tx, team.id, role, Some(&me))?;
                    role_done(name, me)
                }
                PersonLookup::Found { user_id } => {
                    teams::set_role(tx, team.id, role, Some(&user_id))?;
                    role_done(name, user_id)
                }
                PersonLookup::NotFound { given } => {
                    say(Line::new(k::SETUP_ROLE_NOT_FOUND).arg("name", given))
                }
            };
        }
        "quiet" => {
            let given = call.text("hours").unwrap_or_default().trim();
            if given.eq_ignore_ascii_case("off") {
                teams::set_quiet_hours(tx, team.id, None)?;
                Line::new(k::SETUP_QUIET_OFF)
            } else {
                match QuietHours::parse(given) {
                    Some(quiet) => {
                        teams::set_quiet_hours(tx, team.id, Some(quiet))?;
                        Line::new(k::SETUP_QUIET_DONE).arg("hours", quiet.to_string())
                    }
                    None => Line::new(k::SETUP_QUIET_BAD),
                }
            }
        }
        _ => return show(tx, turn),
    };
    Ok(Reply::say(vec![Say::line(line)]))
}

/// `/setup shift WHEN|off`: one shift pattern per team, invitations posted where it was set.
fn shift(tx: &Tx, turn: &Turn, given: &str) -> Result<Reply> {
    let team = &turn.team;
    let say = |line: Line| Ok(Reply::say(vec![Say::line(line)]));
    let remove_all = |tx: &Tx| -> Result<()> {
        for (id, _) in schedules::of_team(tx, team.id, SHIFT)? {
            schedules::delete(tx, id)?;
        }
        Ok(())
    };
    if given.trim().eq_ignore_ascii_case("off") {
        remove_all(tx)?;
        return synced(tx, turn, Line::new(k::SETUP_SHIFT_OFF));
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
    remove_all(tx)?;
    let new = NewSchedule {
        team_id: Some(team.id),
        member_id: None,
        payload: Payload::ShiftNudge { channel },
        when: when.clone(),
        timezone: team.timezone,
    };
    let id = schedules::insert(tx, &new, turn.now)?;
    let next = schedules::next_run(tx, id)?;
    let spans = matches!(&when, When::Repeat(r) if r.has_span());
    let line = Line::new(k::SETUP_SHIFT_DONE)
        .arg("pattern", when.to_string())
        .arg("next", local(next, team.timezone))
        .arg("ends", if spans { "yes" } else { "no" });
    synced(tx, turn, line)
}

fn minutes(call: &CommandCall, max: i64) -> u32 {
    // The catalogue bounds it; the database refuses anything outside.
    call.integer("minutes")
        .map(|n| n.clamp(1, max))
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(10)
}

fn say(line: Line) -> Result<Reply> {
    Ok(Reply::say(vec![Say::line(line)]))
}

fn role_done(role: &str, user_id: String) -> Result<Reply> {
    Ok(Reply::say(vec![Say::actor(vec![
        Part::Text(Line::new(k::SETUP_ROLE_DONE).arg("role", role.to_owned())),
        Part::Person(user_id),
    ])]))
}

/// Says `line` after bringing the team's end-of-shift debrief schedule in line with its
/// settings.
fn synced(tx: &Tx, turn: &Turn, line: Line) -> Result<Reply> {
    sync_team_debrief(tx, turn.team.id, turn.now)?;
    let mut reply = Reply::say(vec![Say::line(line)]);
    reply.schedules_changed = true;
    Ok(reply)
}

/// The team's end-of-shift debrief follows its shift pattern (when that has end times) and
/// its debrief channel. The schedule is changed in place, so a debrief already opened for a
/// shift is never opened again after an edit.
pub fn sync_team_debrief(tx: &Tx, team_id: i64, now: DateTime<Utc>) -> Result<()> {
    let Some(team) = teams::get(tx, team_id)? else { return Ok(()) };
    let existing = schedules::read(tx, team.id, None, TEAM_DEBRIEF)?;
    let shifts = super::shift::team_pattern(tx, &team, now)?.filter(|r| r.has_span());
    let wanted = match (shifts, team.debrief_channel.clone()) {
        (Some(shifts), Some(channel)) => Some((
            When::Repeat(shifts),
            Payload::TeamDebrief { channel, lead_minutes: team.debrief_lead_minutes },
        )),
        _ => None,
    };
    let mut existing = existing.into_iter();
    match (wanted, existing.next()) {
        (Some((when, payload)), Some((id, ..))) => {
            schedules::replace(tx, id, &payload, &when, team.timezone, now)?;
        }
        (Some((when, payload)), None) => {
            let new = NewSchedule {
                team_id: Some(team.id),
                member_id: None,
                payload,
                when,
                timezone: team.timezone,
            };
            schedules::insert(tx, &new, now)?;
        }
        (None, Some((id, ..))) => {
            schedules::delete(tx, id)?;
        }
        (None, None) => {}
    }
    for (id, ..) in existing {
        schedules::delete(tx, id)?;
    }
    Ok(())
}

fn show(tx: &Tx, turn: &Turn) -> Result<Reply> {
    let team = &turn.team;
    let resources = if team.resources.is_some() {
        k::SETUP_RESOURCES_CUSTOM
    } else {
        k::SETUP_RESOURCES_DEFAULT
    };
    let shift = match schedules::of_team(tx, team.id, SHIFT)?.into_iter().next() {
        Some((id, Some(pattern))) => Line::new(k::SETUP_SHIFT)
            .arg("pattern", pattern)
            .arg("next", local(schedules::next_run(tx, id)?, team.timezone)),
        _ => Line::new(k::SETUP_SHIFT_NONE),
    };
    let quiet = match team.quiet_hours {
        Some(quiet) => Line::new(k::SETUP_QUIET).arg("hours", quiet.to_string()),
        None => Line::new(k::SETUP_QUIET_NONE),
    };
    let debrief = match &team.debrief_channel {
        Some(_) => Line::new(k::SETUP_DEBRIEF).arg("minutes", team.debrief_lead_minutes),
        None => Line::new(k::SETUP_DEBRIEF_NONE),
    };
    let mut parts = vec![
        Part::Heading(k::SETUP_HEADING.into()),
        Part::List(vec![
            Line::new(k::SETUP_TIMEZONE).arg("timezone", team.timezone.name()),
            Line::new(k::SETUP_THRESHOLD).arg("people", team.weather_min_people),
            resources.into(),
            shift,
            quiet,
            debrief,
            Line::new(k::SETUP_REQUEST_WAIT).arg("minutes", team.request_wait_minutes),
        ]),
    ];
    for (role, holder) in [
        ("coordinator", &team.coordinator),
        ("supervisor", &team.supervisor),
        ("backup-supervisor", &team.backup_supervisor),
    ] {
        match holder {
            Some(user_id) => {
                parts.push(Part::Text(Line::new(k::SETUP_ROLE).arg("role", role)));
                parts.push(Part::Person(user_id.clone()));
            }
            None => parts.push(Part::Text(Line::new(k::SETUP_ROLE_UNSET).arg("role", role))),
        }
    }
    Ok(Reply::say(vec![Say::actor(parts)]))
}

/// IANA names, case-insensitively (people type `europe/london`).
fn parse_timezone(given: &str) -> Option<Tz> {
    given.parse().ok().or_else(|| Tz::from_str_insensitive(given).ok())
}
