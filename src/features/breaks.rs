//! `/break [MINUTES]`, `/served`, `/breaks [auto on|off [every DURATION]]`: starting, extending
//! and ending a break's timer, and deciding whether a nudge is due. Nothing about anyone's
//! breaks is shown to anyone else.

use super::shift::own_or_team_pattern;
use crate::context::Core;
use crate::context::{Reply, Turn};
use crate::engine;
use crate::error::{CoreError, Result};
use crate::flows::breaks::{self, Activity, MORE_MINUTES};
use crate::flows::{FlowState, Line, Part, Say};
use crate::prompts::keys as k;
use crate::schedule::{
    BREAK_END, BREAK_NUDGE, Payload, Recurrence, When, parse_duration, shift_in_progress,
};
use crate::store::breaks as store;
use crate::store::schedules::{self, NewSchedule};
use crate::store::{Team, Tx, members, requests, sessions};
use chrono::{DateTime, Duration, Utc};

/// Nudges are considered this often; each person's own interval decides when one is sent.
const NUDGE_CHECK: &str = "cron 0 */5 * * * *";
/// The default time between nudges, and the bounds people may choose.
const NUDGE_DEFAULT: u32 = 90;
const NUDGE_MINUTES: std::ops::RangeInclusive<u32> = 30..=480;
const SNOOZE: Duration = Duration::minutes(30);

/// When the member's break running now ends, if one is.
fn running_until(tx: &Tx, turn: &Turn) -> Result<Option<(i64, DateTime<Utc>)>> {
    let timers = schedules::read(tx, turn.team.id, Some(turn.member.id), BREAK_END)?;
    for (id, ..) in timers {
        if let Some(next) = schedules::next_run(tx, id)? {
            return Ok(Some((id, next)));
        }
    }
    Ok(None)
}

fn say(line: Line) -> Result<Reply> {
    Ok(Reply::say(vec![Say::line(line)]))
}

/// `/break [MINUTES]` and `/served`.
pub fn start(
    core: &Core,
    tx: &Tx,
    turn: &Turn,
    minutes: Option<i64>,
    served: bool,
) -> Result<Reply> {
    if let Some((_, until)) = running_until(tx, turn)? {
        return say(Line::new(k::BREAK_RUNNING).arg("until", clock(until, &turn.team)));
    }
    let minutes = minutes
        .filter(|m| breaks::MINUTES.contains(m))
        .and_then(|m| u32::try_from(m).ok())
        .unwrap_or(breaks::DEFAULT_MINUTES);
    engine::start(core, tx, turn, breaks::start(minutes, served).map(FlowState::Break))
}

/// The break's timer starts (the flow's effect): the welcome back is scheduled.
pub fn start_timer(tx: &Tx, turn: &Turn, minutes: u32, activity: &Activity) -> Result<Vec<Say>> {
    schedules::delete_of_member(tx, turn.member.id, BREAK_END)?;
    let until = turn.now + Duration::minutes(minutes.into());
    schedules::insert(
        tx,
        &NewSchedule {
            team_id: Some(turn.team.id),
            member_id: Some(turn.member.id),
            payload: Payload::BreakEnd,
            when: When::Once(until),
            timezone: turn.team.timezone,
        },
        turn.now,
    )?;
    store::started(tx, turn.member.id, &activity.id(), turn.now)?;
    if let Some(every) = store::nudges(tx, turn.member.id)?.every_minutes {
        store::nudge_after(tx, turn.member.id, until + Duration::minutes(every.into()))?;
    }
    Ok(vec![Say::line(Line::new(k::BREAK_STARTED).arg("until", clock(until, &turn.team)))])
}

/// A time of day as the team reads it.
fn clock(at: DateTime<Utc>, team: &Team) -> String {
    at.with_timezone(&team.timezone).format("%H:%M").to_string()
}

/// Five more minutes.
pub fn extend(tx: &Tx, turn: &Turn) -> Result<Vec<Say>> {
    let Some((id, until)) = running_until(tx, turn)? else {
        return Ok(vec![Say::text(k::BREAK_OVER)]);
    };
    let later = until + Duration::minutes(MORE_MINUTES.into());
    schedules::replace(
        tx,
        id,
        &Payload::BreakEnd,
        &When::Once(later),
        turn.team.timezone,
        turn.now,
    )?;
    Ok(vec![Say::line(Line::new(k::BREAK_EXTENDED).arg("until", clock(later, &turn.team)))])
}

/// Ends the break now: no welcome back will follow (the flow says it).
pub fn end_timer(tx: &Tx, turn: &Turn) -> Result<()> {
    schedules::delete_of_member(tx, turn.member.id, BREAK_END)?;
    Ok(())
}

/// `/breaks`: whether nudges are on for me, and how to change that.
pub fn show(tx: &Tx, turn: &Turn) -> Result<Reply> {
    say(match store::nudges(tx, turn.member.id)?.every_minutes {
        Some(every) => Line::new(k::BREAKS_SHOW_ON).arg("every", duration_words(every)),
        None => Line::new(k::BREAKS_SHOW_OFF),
    })
}

/// `/breaks auto on|off [every DURATION]`.
pub fn auto(core: &Core, tx: &Tx, turn: &Turn, on: bool, every: Option<&str>) -> Result<Reply> {
    let minutes = match (on, every.map(str::trim).filter(|e| !e.is_empty())) {
        (false, _) => None,
        (true, None) => Some(NUDGE_DEFAULT),
        (true, Some(text)) => {
            let text = text.strip_prefix("every ").unwrap_or(text);
            match parse_duration(text).and_then(|d| u32::try_from(d.num_minutes()).ok()) {
                Some(m) if NUDGE_MINUTES.contains(&m) => Some(m),
                _ => return say(Line::new(k::BREAKS_AUTO_BAD)),
            }
        }
    };
    let cap = core.config.breaks.nudges_per_shift;
    let mut reply = Reply::say(set_nudges(tx, turn, minutes, cap)?);
    reply.schedules_changed = true;
    Ok(reply)
}

/// Turns nudges on (every so many minutes, at most `cap` a shift) or off.
pub fn set_nudges(tx: &Tx, turn: &Turn, every: Option<u32>, cap: u32) -> Result<Vec<Say>> {
    store::set_nudge_minutes(tx, turn.member.id, every)?;
    schedules::delete_of_member(tx, turn.member.id, BREAK_NUDGE)?;
    let Some(every) = every else { return Ok(vec![Say::text(k::BREAKS_AUTO_OFF)]) };
    store::nudge_after(tx, turn.member.id, turn.now + Duration::minutes(every.into()))?;
    let check = When::parse(NUDGE_CHECK, turn.now, turn.team.timezone)
        .map_err(|source| CoreError::OwnSchedule { what: "break nudges", source })?;
    schedules::insert(
        tx,
        &NewSchedule {
            team_id: Some(turn.team.id),
            member_id: Some(turn.member.id),
            payload: Payload::BreakNudge,
            when: check,
            timezone: turn.team.timezone,
        },
        turn.now,
    )?;
    Ok(vec![Say::line(
        Line::new(k::BREAKS_AUTO_ON).arg("every", duration_words(every)).arg("cap", cap),
    )])
}

/// Half an hour before the next nudge.
pub fn snooze(tx: &Tx, turn: &Turn) -> Result<()> {
    Ok(store::nudge_after(tx, turn.member.id, turn.now + SNOOZE)?)
}

/// `90` → `1h30m`: short, and the same in every language hearth speaks so far.
fn duration_words(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

/// Whether the member is in a conversation with hearth (an unanswered nudge does not count:
/// a new one replaces it).
fn in_conversation(tx: &Tx, member_id: i64, now: DateTime<Utc>) -> Result<bool> {
    let Some(open) = sessions::load(tx, member_id)?.filter(|s| s.expires_at > now) else {
        return Ok(false);
    };
    let nudged = FlowState::Break(breaks::State::Nudged);
    Ok(serde_json::from_str::<FlowState>(&open.state).map_or(true, |state| state != nudged))
}

/// The scheduler's check for one member (in its transaction): a nudge if one is due, with
/// the buttons of a new conversation. Due means: nudges on, on a shift, not in quiet hours,
/// no break running and no conversation with hearth open, no break started (or nudge sent)
/// within the interval, and fewer than the cap sent this shift.
pub fn nudge(
    core: &Core,
    tx: &Tx,
    team: &Team,
    member_id: i64,
    user_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Say>> {
    let state = store::nudges(tx, member_id)?;
    let Some(every) = state.every_minutes else { return Ok(Vec::new()) };
    let every = Duration::minutes(every.into());
    let duty = members::duty(tx, member_id)?;
    let pattern: Option<Recurrence> = own_or_team_pattern(tx, team, member_id, now)?;
    let Some(shift) = shift_in_progress(now, duty.shift_until, pattern.as_ref(), team.timezone)
    else {
        return Ok(Vec::new());
    };
    let quiet = team.quiet_hours.is_some_and(|q| q.contains(now, team.timezone));
    let busy = schedules::read(tx, team.id, Some(member_id), BREAK_END)?
        .into_iter()
        .any(|(id, ..)| schedules::next_run(tx, id).ok().flatten().is_some())
        || in_conversation(tx, member_id, now)?
        || requests::of_requester(tx, member_id)?.is_some();
    let waited = state.after.is_none_or(|after| after <= now)
        && state.last_break_at.is_none_or(|last| last + every <= now)
        && shift.started.is_none_or(|start| start + every <= now);
    let capped =
        state.shift == Some(shift.key) && state.sent >= core.config.breaks.nudges_per_shift;
    if quiet || busy || !waited || capped {
        return Ok(Vec::new());
    }
    let step = breaks::nudged().map(FlowState::Break);
    let Some(next) = &step.next else { return Ok(Vec::new()) };
    sessions::delete(tx, member_id)?;
    let Some(token) = engine::start_for(tx, member_id, next, now)? else {
        return Ok(Vec::new());
    };
    store::count_nudge(tx, member_id, shift.key)?;
    store::nudge_after(tx, member_id, now + every)?;
    let since = state.last_break_at.map_or(every, |last| now - last);
    let mut says: Vec<Say> = step
        .say
        .into_iter()
        .map(|say| Say {
            audience: crate::flows::Audience::Person { user_id: user_id.to_owned() },
            token: Some(token.clone()),
            ..say
        })
        .collect();
    if let Some(first) = says.first_mut() {
        let waited = u32::try_from(since.num_minutes()).unwrap_or(u32::MAX);
        first
            .parts
            .insert(0, Part::Text(Line::new(k::BREAK_NUDGE).arg("every", duration_words(waited))));
    }
    Ok(says)
}
