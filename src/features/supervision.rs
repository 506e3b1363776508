//! `/supervision`: the next sessions (default), `schedule WHEN` (a group series in this
//! channel), `with PERSON WHEN` (one-to-one), `style STYLE [ID]` (the supervisees' choice) and
//! `cancel ID` (which tells the participants), `backup PERSON`, and `away FROM TO` (the
//! supervisor's notice of sessions they will miss). A daily look ahead warns of series with no
//! session within the horizon. Scheduling and cancelling are for the team's
//! supervisor and team admins; the style belongs to the supervisees. Each session brings
//! reminders before it, at the offsets in the configuration.

use super::when_words::{self, local, when_error};
use crate::context::Core;
use crate::context::{Reply, Turn};
use crate::error::{CoreError, Result};
use crate::flows::{Audience, Line, Part, PersonLookup, Say};
use crate::prompts::keys as k;
use crate::schedule::{Payload, SUPERVISION_GAPS, SUPERVISION_REMINDER, When};
use crate::store::schedules::{self, NewSchedule};
use crate::store::supervision::{self, NewSeries, Series};
use crate::store::{Team, Tx};
use chrono::{DateTime, Duration, Utc};
use hearth_chat::{CommandCall, Place};

/// A new series' style until its supervisees choose (one of `limits::SUPERVISION_STYLES`).
const FIRST_STYLE: &str = "open";
/// The look ahead for gaps runs each morning, team time.
const GAP_CHECK: &str = "every day 08:00";

fn say(line: Line) -> Result<Reply> {
    Ok(Reply::say(vec![Say::line(line)]))
}

fn may_organise(turn: &Turn) -> bool {
    turn.inbound.actor.is_team_admin
        || turn.team.supervisor.as_deref() == Some(turn.member.platform_user_id.as_str())
}

pub fn run(core: &Core, tx: &Tx, turn: &Turn, sub: &str, call: &CommandCall) -> Result<Reply> {
    match sub {
        "schedule" | "with" | "cancel" | "backup" if !may_organise(turn) => {
            say(Line::new(k::SUPERVISION_NOT_ALLOWED))
        }
        "schedule" => schedule(core, tx, turn, None, call.text("when").unwrap_or_default()),
        "with" => {
            let given = call.text("person").unwrap_or_default();
            match crate::engine::find_person(tx, turn, given)? {
                PersonLookup::Found { user_id } => {
                    schedule(core, tx, turn, Some(user_id), call.text("when").unwrap_or_default())
                }
                PersonLookup::Yourself => say(Line::new(k::SUPERVISION_NOT_YOURSELF)),
                PersonLookup::Empty => say(Line::new(k::SUPERVISION_NOT_YOURSELF)),
                PersonLookup::NotFound { given } => {
                    say(Line::new(k::SETUP_ROLE_NOT_FOUND).arg("name", given))
                }
            }
        }
        "cancel" => cancel(tx, turn, call.integer("id")),
        "backup" => backup(tx, turn, call.text("person").unwrap_or_default()),
        "away" => away(
            tx,
            turn,
            call.text("from").unwrap_or_default(),
            call.text("to").unwrap_or_default(),
        ),
        "style" => style(tx, turn, call.text("style").unwrap_or(FIRST_STYLE), call.integer("id")),
        _ => next(core, tx, turn),
    }
}

fn schedule(
    core: &Core,
    tx: &Tx,
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
    let id = supervision::insert(tx, &new, turn.now)?;
    ensure_gap_check(tx, turn)?;
    for lead in &core.config.supervision.reminder_minutes {
        let reminder = NewSchedule {
            team_id: Some(team.id),
            member_id: None,
            payload: Payload::SupervisionReminder { series: id, lead_minutes: *lead },
            when: when.clone(),
            timezone: team.timezone,
        };
        schedules::insert(tx, &reminder, turn.now)?;
    }
    let next = when.next_after(turn.now, team.timezone);
    let line = Line::new(k::SUPERVISION_SCHEDULED)
        .arg("id", id)
        .arg("next", local(next, team.timezone))
        .arg("who", if supervisee.is_some() { "one" } else { "group" });
    let line = when_words::when(line, Some(&when), team.timezone);
    let leads = &core.config.supervision.reminder_minutes;
    let repeats = matches!(when, When::Repeat(_));
    let line = when_words::reminders(core, &team.locale, line, leads, next, repeats, turn.now);
    let mut reply = Reply::say(vec![Say::line(line)]);
    reply.schedules_changed = true;
    Ok(reply)
}

/// The series the actor takes part in: the team's group series, and one-to-one series they
/// supervise or are supervised in.
pub fn mine(tx: &Tx, turn: &Turn) -> Result<Vec<Series>> {
    let me = turn.member.platform_user_id.as_str();
    Ok(supervision::of_team(tx, turn.team.id, turn.now)?
        .into_iter()
        .filter(|s| {
            s.channel.is_some() || s.supervisor == me || s.supervisee.as_deref() == Some(me)
        })
        .collect())
}

/// The actor's next session, and its series.
pub fn next_session(tx: &Tx, turn: &Turn) -> Result<Option<(DateTime<Utc>, Series)>> {
    Ok(mine(tx, turn)?
        .into_iter()
        .filter_map(|s| Some((s.when.next_after(turn.now, s.timezone)?, s)))
        .min_by_key(|(at, s)| (*at, s.id)))
}

fn next(core: &Core, tx: &Tx, turn: &Turn) -> Result<Reply> {
    let mut upcoming: Vec<(DateTime<Utc>, Series)> = mine(tx, turn)?
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
            let line = Line::new(k::SUPERVISION_LINE)
                .arg("id", s.id)
                .arg("next", local(Some(*at), turn.team.timezone))
                .arg("style", s.style.as_str())
                .arg("who", if s.channel.is_some() { "group" } else { "one" });
            when_words::when(line, Some(&s.when), s.timezone)
        })
        .collect();
    // The next session as a calendar entry, to add with one tap.
    let (at, first) = &upcoming[0];
    let summary = core.prompts.render(
        &turn.team.locale,
        &Line::new(k::SUPERVISION_ICS_SUMMARY).arg("style", first.style.as_str()),
    );
    Ok(Reply::say(vec![Say::actor(vec![
        Part::Heading(k::SUPERVISION_HEADING.into()),
        Part::List(lines),
        Part::Text(k::SUPERVISION_STYLE_HINT.into()),
        Part::Text(k::SUPERVISION_ICS.into()),
        Part::File {
            name: "supervision.ics".into(),
            mime: "text/calendar",
            bytes: calendar(first.id, *at, &summary, turn.now),
        },
    ])]))
}

/// How long a session is taken to last in calendar entries.
const SESSION_LENGTH: Duration = Duration::hours(1);

/// One session as an iCalendar file.
fn calendar(series: i64, at: DateTime<Utc>, summary: &str, now: DateTime<Utc>) -> Vec<u8> {
    let uid = format!("supervision-{series}-{}@hearth", at.timestamp());
    super::calendar::event(&uid, at, SESSION_LENGTH, summary, now)
}

/// A series by the id people see, if it is this team's and the actor takes part in it.
fn named(tx: &Tx, turn: &Turn, id: Option<i64>) -> Result<Option<Series>> {
    let mine = mine(tx, turn)?;
    Ok(match id {
        Some(id) => mine.into_iter().find(|s| s.id == id),
        // Without an id: the one series, if there is only one.
        None if mine.len() == 1 => mine.into_iter().next(),
        None => None,
    })
}

fn style(tx: &Tx, turn: &Turn, style: &str, id: Option<i64>) -> Result<Reply> {
    let Some(series) = named(tx, turn, id)? else {
        return say(Line::new(k::SUPERVISION_WHICH));
    };
    // The style is the supervisees' choice: not the supervisor's, and in a one-to-one series
    // the supervisee's alone.
    let me = turn.member.platform_user_id.as_str();
    let supervises = series.supervisor == me || turn.team.supervisor.as_deref() == Some(me);
    if supervises || series.supervisee.as_deref().is_some_and(|s| s != me) {
        return say(Line::new(k::SUPERVISION_STYLE_THEIRS));
    }
    supervision::set_style(tx, series.id, style)?;
    say(Line::new(k::SUPERVISION_STYLE_DONE).arg("id", series.id).arg("style", style))
}

fn cancel(tx: &Tx, turn: &Turn, id: Option<i64>) -> Result<Reply> {
    let Some(series) = named(tx, turn, id)? else {
        return say(Line::new(k::SUPERVISION_WHICH));
    };
    let mut says = vec![Say::line(Line::new(k::SUPERVISION_CANCELLED).arg("id", series.id))];
    says.extend(end(tx, &series, &turn.member.platform_user_id, turn.now)?);
    let mut reply = Reply::say(says);
    reply.schedules_changed = true;
    Ok(reply)
}

/// Ends a series and its reminders; its agenda items stay with their authors (privately,
/// for their next session). Returns the notice to its participants but `except` (who knows).
pub fn end(tx: &Tx, series: &Series, except: &str, now: DateTime<Utc>) -> Result<Vec<Say>> {
    for (schedule, payload, _) in schedules::read(tx, series.team_id, None, SUPERVISION_REMINDER)? {
        if matches!(payload, Payload::SupervisionReminder { series: s, .. } if s == series.id) {
            schedules::delete(tx, schedule)?;
        }
    }
    crate::store::agenda::detach_series(tx, series.id, now)?;
    supervision::delete(tx, series.id)?;
    let notice = when_words::when(
        Line::new(k::SUPERVISION_CANCELLED_NOTICE),
        Some(&series.when),
        series.timezone,
    );
    Ok(to_participants(series, vec![Part::Text(notice)], except))
}

/// A message for a series' participants: its channel, or the supervisee and the supervisor
/// privately (leaving out `except`, who is told directly).
pub fn to_participants(series: &Series, parts: Vec<Part>, except: &str) -> Vec<Say> {
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

/// `/supervision backup PERSON`: who stands in, and hears of gaps.
fn backup(tx: &Tx, turn: &Turn, given: &str) -> Result<Reply> {
    use crate::store::teams::{self, Role};
    let user_id = match crate::engine::find_person(tx, turn, given)? {
        PersonLookup::Found { user_id } => user_id,
        PersonLookup::Yourself | PersonLookup::Empty => turn.member.platform_user_id.clone(),
        PersonLookup::NotFound { given } => {
            return say(Line::new(k::SETUP_ROLE_NOT_FOUND).arg("name", given));
        }
    };
    teams::set_role(tx, turn.team.id, Role::BackupSupervisor, Some(&user_id))?;
    Ok(Reply::say(vec![Say::actor(vec![
        Part::Text(k::SUPERVISION_BACKUP_DONE.into()),
        Part::Person(user_id),
    ])]))
}

/// `/supervision away FROM TO` (dates, team time): the sessions the actor supervises in those
/// days are named to their participants and to the backup, once, now.
fn away(tx: &Tx, turn: &Turn, from: &str, to: &str) -> Result<Reply> {
    let tz = turn.team.timezone;
    let day = |text: &str| chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    let (Some(from), Some(to)) = (day(from), day(to)) else {
        return say(Line::new(k::SUPERVISION_AWAY_BAD));
    };
    let today = turn.now.with_timezone(&tz).date_naive();
    if to < from || to < today {
        return say(Line::new(k::SUPERVISION_AWAY_BAD));
    }
    let me = turn.member.platform_user_id.as_str();
    let mut says = Vec::new();
    let mut affected = 0;
    for series in mine(tx, turn)?.into_iter().filter(|s| s.supervisor == me) {
        let dates = sessions_between(&series, from, to, tz, turn.now);
        if dates.is_empty() {
            continue;
        }
        affected += dates.len();
        let notice = Line::new(k::SUPERVISION_AWAY_NOTICE)
            .arg("from", from.to_string())
            .arg("to", to.to_string())
            .arg("dates", dates.join(", "));
        let mut parts = vec![Part::Text(notice)];
        match &turn.team.backup_supervisor {
            Some(backup) => {
                parts.push(Part::Text(k::SUPERVISION_BACKUP_IS.into()));
                parts.push(Part::Person(backup.clone()));
            }
            None => parts.push(Part::Text(k::SUPERVISION_NO_BACKUP.into())),
        }
        says.extend(to_participants(&series, parts.clone(), me));
        if let Some(backup) = turn.team.backup_supervisor.as_ref().filter(|b| b.as_str() != me) {
            says.push(Say::person(backup.clone(), parts));
        }
    }
    let line =
        Line::new(k::SUPERVISION_AWAY_DONE).arg("count", i64::try_from(affected).unwrap_or(0));
    says.insert(0, Say::line(line));
    Ok(Reply::say(says))
}

/// The sessions of a series on the local days `from..=to`, as the team reads them.
fn sessions_between(
    series: &Series,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Vec<String> {
    let mut dates = Vec::new();
    let mut cursor = now;
    while let Some(at) = series.when.next_after(cursor, series.timezone) {
        let day = at.with_timezone(&tz).date_naive();
        if day > to || dates.len() >= 50 {
            break;
        }
        if day >= from {
            dates.push(local(Some(at), tz));
        }
        cursor = at;
    }
    dates
}

/// The daily look ahead (the scheduler, in its transaction): a series with no session within
/// `horizon` gets one notice, to its participants and the backup, until sessions are planned
/// within the horizon again.
pub fn gaps(tx: &Tx, team: &Team, horizon: Duration, now: DateTime<Utc>) -> Result<Vec<Say>> {
    let mut says = Vec::new();
    for series in supervision::of_team(tx, team.id, now)? {
        let ahead =
            series.when.next_after(now, series.timezone).is_some_and(|at| at <= now + horizon);
        if !supervision::set_gap_notified(tx, series.id, !ahead)? || ahead {
            continue;
        }
        let line = Line::new(k::SUPERVISION_GAP_NOTICE)
            .arg("id", series.id)
            .arg("days", horizon.num_days());
        let line = when_words::when(line, Some(&series.when), series.timezone);
        let parts = vec![Part::Text(line)];
        says.extend(to_participants(&series, parts.clone(), ""));
        if let Some(backup) = &team.backup_supervisor {
            says.push(Say::person(backup.clone(), parts));
        }
    }
    Ok(says)
}

/// Makes sure the team's daily look ahead is scheduled (with its first series).
fn ensure_gap_check(tx: &Tx, turn: &Turn) -> Result<()> {
    if schedules::read(tx, turn.team.id, None, SUPERVISION_GAPS)?.is_empty() {
        let daily = When::parse(GAP_CHECK, turn.now, turn.team.timezone)
            .map_err(|source| CoreError::OwnSchedule { what: "supervision gaps", source })?;
        let new = NewSchedule {
            team_id: Some(turn.team.id),
            member_id: None,
            payload: Payload::SupervisionGaps,
            when: daily,
            timezone: turn.team.timezone,
        };
        schedules::insert(tx, &new, turn.now)?;
    }
    Ok(())
}
