//! `/supervision`: the next sessions (default), `schedule WHEN` (a group series in this
//! channel), `with PERSON WHEN` (one-to-one), `style STYLE [ID]` (the supervisees' choice) and
//! `cancel ID` (which tells the participants). Scheduling and cancelling are for the team's
//! supervisor and team admins; the style belongs to the supervisees. Each session brings
//! reminders before it, at the offsets in the configuration.

use super::setup::{local, when_error};
use crate::bot::Core;
use crate::engine::{Reply, Turn};
use crate::flows::{Audience, Line, Part, PersonLookup, Say};
use crate::prompts::keys as k;
use crate::schedule::{Payload, SUPERVISION_REMINDER, When};
use crate::store::schedules::{self, NewSchedule};
use crate::store::supervision::{self, NewSeries, Series};
use crate::store::{Conn, Result, Team};
use chrono::{DateTime, Duration, Utc};
use hearth_chat::{CommandCall, Place};

/// Styles the supervisees choose from (their words are in prompts/).
pub const STYLES: &[&str] =
    &["open", "reflective", "skills", "case-consultation", "wellbeing", "admin"];
const FIRST_STYLE: &str = "open";

fn say(line: Line) -> Result<Reply> {
    Ok(Reply::say(vec![Say::line(line)]))
}

fn may_organise(turn: &Turn) -> bool {
    turn.inbound.actor.is_team_admin
        || turn.team.supervisor.as_deref() == Some(turn.member.platform_user_id.as_str())
}

pub fn run(core: &Core, conn: &Conn, turn: &Turn, sub: &str, call: &CommandCall) -> Result<Reply> {
    match sub {
        "schedule" | "with" | "cancel" if !may_organise(turn) => {
            say(Line::new(k::SUPERVISION_NOT_ALLOWED))
        }
        "schedule" => schedule(core, conn, turn, None, call.text("when").unwrap_or_default()),
        "with" => {
            let given = call.text("person").unwrap_or_default();
            match crate::engine::find_person(conn, turn, given)? {
                PersonLookup::Found { user_id } => {
                    schedule(core, conn, turn, Some(user_id), call.text("when").unwrap_or_default())
                }
                PersonLookup::Yourself => say(Line::new(k::SUPERVISION_NOT_YOURSELF)),
                PersonLookup::Empty => say(Line::new(k::SUPERVISION_NOT_YOURSELF)),
                PersonLookup::NotFound { given } => {
                    say(Line::new(k::SETUP_ROLE_NOT_FOUND).arg("name", given))
                }
            }
        }
        "cancel" => cancel(conn, turn, call.integer("id")),
        "style" => style(conn, turn, call.text("style").unwrap_or(FIRST_STYLE), call.integer("id")),
        _ => next(conn, turn),
    }
}

fn schedule(
    core: &Core,
    conn: &Conn,
    turn: &Turn,
    supervisee: Option<String>,
    given: &str,
) -> Result<Reply> {
    let team = &turn.team;
    let when = match When::parse(given, turn.now, team.timezone) {
        Ok(when) => when,
        Err(error) => return say(when_error(&error)),
    };
    let channel = match (&supervisee, &turn.inbound.place) {
        (Some(_), _) => None,
        (None, Place::Channel { id } | Place::Thread { channel: id, .. }) => Some(id.clone()),
        (None, Place::Direct) => return say(Line::new(k::SUPERVISION_NOT_HERE)),
    };
    let new = NewSeries {
        team_id: team.id,
        when: &when,
        timezone: team.timezone,
        channel: channel.as_deref(),
        supervisor: &turn.member.platform_user_id,
        supervisee: supervisee.as_deref(),
        style: FIRST_STYLE,
    };
    let id = supervision::insert(conn, &new, turn.now)?;
    for lead in &core.config.supervision.reminder_minutes {
        let reminder = NewSchedule {
            team_id: Some(team.id),
            member_id: None,
            payload: Payload::SupervisionReminder { series: id, lead_minutes: *lead },
            when: when.clone(),
            timezone: team.timezone,
        };
        schedules::insert(conn, &reminder, turn.now)?;
    }
    let next = when.next_after(turn.now, team.timezone);
    let line = Line::new(k::SUPERVISION_SCHEDULED)
        .arg("id", id)
        .arg("when", when.to_string())
        .arg("next", local(next, team.timezone))
        .arg("who", if supervisee.is_some() { "one" } else { "group" });
    let mut reply = Reply::say(vec![Say::line(line)]);
    reply.schedules_changed = true;
    Ok(reply)
}

/// The series the actor takes part in: the team's group series, and one-to-one series they
/// supervise or are supervised in.
pub fn mine(conn: &Conn, turn: &Turn) -> Result<Vec<Series>> {
    let me = turn.member.platform_user_id.as_str();
    Ok(supervision::of_team(conn, turn.team.id, turn.now)?
        .into_iter()
        .filter(|s| {
            s.channel.is_some() || s.supervisor == me || s.supervisee.as_deref() == Some(me)
        })
        .collect())
}

/// The actor's next session, and its series.
pub fn next_session(conn: &Conn, turn: &Turn) -> Result<Option<(DateTime<Utc>, Series)>> {
    Ok(mine(conn, turn)?
        .into_iter()
        .filter_map(|s| Some((s.when.next_after(turn.now, s.timezone)?, s)))
        .min_by_key(|(at, s)| (*at, s.id)))
}

fn next(conn: &Conn, turn: &Turn) -> Result<Reply> {
    let mut upcoming: Vec<(DateTime<Utc>, Series)> = mine(conn, turn)?
        .into_iter()
        .filter_map(|s| Some((s.when.next_after(turn.now, s.timezone)?, s)))
        .collect();
    if upcoming.is_empty() {
        return say(Line::new(k::SUPERVISION_NONE));
    }
    upcoming.sort_by_key(|(at, s)| (*at, s.id));
    let lines = upcoming
        .iter()
        .map(|(at, s)| {
            Line::new(k::SUPERVISION_LINE)
                .arg("id", s.id)
                .arg("next", local(Some(*at), turn.team.timezone))
                .arg("when", s.when.to_string())
                .arg("style", s.style.as_str())
                .arg("who", if s.channel.is_some() { "group" } else { "one" })
        })
        .collect();
    Ok(Reply::say(vec![Say::actor(vec![
        Part::Heading(k::SUPERVISION_HEADING.into()),
        Part::List(lines),
        Part::Text(k::SUPERVISION_STYLE_HINT.into()),
    ])]))
}

/// A series by the id people see, if it is this team's and the actor takes part in it.
fn named(conn: &Conn, turn: &Turn, id: Option<i64>) -> Result<Option<Series>> {
    let mine = mine(conn, turn)?;
    Ok(match id {
        Some(id) => mine.into_iter().find(|s| s.id == id),
        // Without an id: the one series, if there is only one.
        None if mine.len() == 1 => mine.into_iter().next(),
        None => None,
    })
}

fn style(conn: &Conn, turn: &Turn, style: &str, id: Option<i64>) -> Result<Reply> {
    let Some(series) = named(conn, turn, id)? else {
        return say(Line::new(k::SUPERVISION_WHICH));
    };
    // The style is the supervisees' choice: in a one-to-one series, the supervisee's.
    if series.supervisee.as_deref().is_some_and(|s| s != turn.member.platform_user_id) {
        return say(Line::new(k::SUPERVISION_STYLE_THEIRS));
    }
    supervision::set_style(conn, series.id, style)?;
    say(Line::new(k::SUPERVISION_STYLE_DONE).arg("id", series.id).arg("style", style))
}

fn cancel(conn: &Conn, turn: &Turn, id: Option<i64>) -> Result<Reply> {
    let Some(series) = named(conn, turn, id)? else {
        return say(Line::new(k::SUPERVISION_WHICH));
    };
    for (schedule, payload, _) in schedules::read(conn, turn.team.id, None, SUPERVISION_REMINDER)? {
        if matches!(payload, Payload::SupervisionReminder { series: s, .. } if s == series.id) {
            schedules::delete(conn, schedule)?;
        }
    }
    supervision::delete(conn, series.id)?;
    let notice = Line::new(k::SUPERVISION_CANCELLED_NOTICE).arg("when", series.when.to_string());
    let mut says = vec![Say::line(Line::new(k::SUPERVISION_CANCELLED).arg("id", series.id))];
    says.extend(to_participants(&series, vec![Part::Text(notice)], &turn.member.platform_user_id));
    let mut reply = Reply::say(says);
    reply.schedules_changed = true;
    Ok(reply)
}

/// A message for a series' participants: its channel, or the supervisee and the supervisor
/// privately (leaving out `except`, who is told directly).
fn to_participants(series: &Series, parts: Vec<Part>, except: &str) -> Vec<Say> {
    match &series.channel {
        Some(channel) => {
            vec![Say { audience: Audience::Channel { id: channel.clone() }, ..Say::actor(parts) }]
        }
        None => [Some(&series.supervisor), series.supervisee.as_ref()]
            .into_iter()
            .flatten()
            .filter(|user| user.as_str() != except)
            .map(|user| Say::person(user.clone(), parts.clone()))
            .collect(),
    }
}

/// A reminder's messages (the scheduler, in its transaction): the session is `lead` minutes
/// after the reminder's due instant `due`.
pub fn remind(
    conn: &Conn,
    team: &Team,
    series: i64,
    lead: u32,
    due: DateTime<Utc>,
) -> Result<Vec<Say>> {
    let Some(series) = supervision::get(conn, series, due)? else { return Ok(Vec::new()) };
    let at = due + Duration::minutes(lead.into());
    let line = Line::new(k::SUPERVISION_REMINDER)
        .arg("at", local(Some(at), team.timezone))
        .arg("minutes", lead)
        .arg("style", series.style.as_str());
    let mut parts = vec![Part::Text(line)];
    // The agenda goes with it: shared items only, never anyone's private ones.
    let items = super::agenda::shared_lines(conn, &series, at, team.timezone)?;
    if items.is_empty() {
        parts.push(Part::Text(k::AGENDA_EMPTY_DIGEST.into()));
    } else {
        parts.push(Part::Heading(k::AGENDA_DIGEST_HEADING.into()));
        parts.push(Part::List(items));
    }
    parts.push(Part::Text(k::SUPERVISION_STYLE_HINT.into()));
    Ok(to_participants(&series, parts, ""))
}
