//! A community's gatherings: scheduling them (`schedule NAME WHEN|off`, in the channel where
//! they open), `next`, calling one off (`cancel NAME`), the reminders members get privately
//! with a calendar file, the post that opens each gathering (topics, facilitator, the
//! confidentiality notice), after which the rotation in `facilitation` moves on.

use super::super::when_words;
use super::facilitation::{assign, facilitator_parts, rotation, tell};
use super::{local, others, privately, say};
use crate::context::Core;
use crate::context::{Reply, Turn};
use crate::engine::render_for;
use crate::error::Result;
use crate::flows::{Audience, Line, Part, Say};
use crate::prompts::keys as k;
use crate::schedule::{COMMUNITY_GATHERING, COMMUNITY_REMINDER, Payload, When};
use crate::store::communities::members;
use crate::store::communities::{self, Community, topics};
use crate::store::schedules::{self, NewSchedule};
use crate::store::{Tx, teams};
use chrono::{DateTime, Duration, Utc};
use hearth_chat::{Outbound, Place};

/// How long a gathering is taken to last in calendar entries.
const GATHERING_LENGTH: Duration = Duration::hours(1);

/// Removes a community's reminders and gatherings from the scheduler.
pub fn unschedule(tx: &Tx, c: &Community) -> Result<()> {
    for kind in [COMMUNITY_REMINDER, COMMUNITY_GATHERING] {
        for (id, payload, _) in schedules::read(tx, c.team_id, None, kind)? {
            let ours = matches!(payload,
                Payload::CommunityReminder { community, .. } | Payload::CommunityGathering { community }
                    if community == c.id);
            if ours {
                schedules::delete(tx, id)?;
            }
        }
    }
    Ok(())
}

pub fn schedule(core: &Core, tx: &Tx, turn: &Turn, c: &Community, given: &str) -> Result<Reply> {
    let name = c.name.as_str();
    if given.trim().eq_ignore_ascii_case("off") {
        unschedule(tx, c)?;
        communities::set_schedule(tx, c.id, None, None)?;
        let mut reply = say(Line::new(k::COP_UNSCHEDULED).arg("name", name))?;
        reply.schedules_changed = true;
        return Ok(reply);
    }
    let channel = match &turn.inbound.place {
        Place::Channel { id } | Place::Thread { channel: id, .. } => id.clone(),
        Place::Direct => return say(Line::new(k::COP_NOT_HERE).arg("name", name)),
    };
    let when = match When::parse(given, turn.now, c.timezone) {
        Ok(when) => when,
        Err(error) => return say(super::super::when_words::when_error(&error)),
    };
    unschedule(tx, c)?;
    communities::set_schedule(tx, c.id, Some(&when), Some(&channel))?;
    let add = |payload| {
        let new = NewSchedule {
            team_id: Some(c.team_id),
            member_id: None,
            payload,
            when: when.clone(),
            timezone: c.timezone,
        };
        schedules::insert(tx, &new, turn.now)
    };
    add(Payload::CommunityGathering { community: c.id })?;
    for lead in &core.config.communities.reminder_minutes {
        add(Payload::CommunityReminder { community: c.id, lead_minutes: *lead })?;
    }
    let Some(c) = communities::get(tx, c.id, turn.now)? else { return Ok(Reply::default()) };
    let (facilitator, mut notice) = assign(core, tx, &c, None, turn.now)?;
    if let (Some(f), true) = (&facilitator, notice.is_empty()) {
        // Chosen before there was a date: now there is one to tell them.
        notice = tell(core, tx, &c, f, turn.now)?;
    }
    let tz = turn.team.timezone;
    let next = c.next_after(turn.now);
    let line = Line::new(k::COP_SCHEDULED).arg("name", name).arg("next", local(next, tz));
    let line = when_words::when(line, Some(&when), tz);
    let leads = &core.config.communities.reminder_minutes;
    let repeats = matches!(when, When::Repeat(_));
    let line = when_words::reminders(core, &turn.team.locale, line, leads, next, repeats, turn.now);
    let mut parts = vec![Part::Text(line)];
    parts.extend(facilitator_parts(&c, facilitator.as_ref()));
    let mut reply = Reply::say(vec![Say::actor(parts)]);
    reply.elsewhere = notice;
    reply.schedules_changed = true;
    Ok(reply)
}

/// A gathering as a calendar file.
fn calendar(
    core: &Core,
    locale: &str,
    c: &Community,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Part {
    let summary =
        core.prompts.render(locale, &Line::new(k::COP_ICS_SUMMARY).arg("name", c.name.as_str()));
    let uid = format!("community-{}-{}@hearth", c.id, at.timestamp());
    Part::File {
        name: format!("{}.ics", c.name),
        mime: "text/calendar",
        bytes: super::super::calendar::event(&uid, at, GATHERING_LENGTH, &summary, now),
    }
}

/// `/cop next NAME`: a community's next gathering, with its calendar file.
pub fn next_of(core: &Core, turn: &Turn, c: &Community) -> Result<Reply> {
    let tz = turn.team.timezone;
    let Some(at) = c.next_after(turn.now) else {
        return say(Line::new(k::COP_NO_GATHERING).arg("name", c.name.as_str()));
    };
    let mut parts = vec![Part::Text(
        Line::new(k::COP_NEXT_LINE)
            .arg("name", c.name.as_str())
            .arg("at", local(Some(at), tz))
            .arg("cancelled", local(c.cancelled_at.filter(|at| *at > turn.now), tz)),
    )];
    parts.push(calendar(core, &turn.team.locale, c, at, turn.now));
    Ok(Reply::say(vec![Say::actor(parts)]))
}

/// `/cop next`: the next gathering of each community the actor belongs to, soonest first,
/// with the first one's calendar file.
pub fn next_mine(core: &Core, tx: &Tx, turn: &Turn) -> Result<Reply> {
    let tz = turn.team.timezone;
    let mut upcoming: Vec<(DateTime<Utc>, Community)> =
        communities::of_member(tx, turn.member.id, turn.now)?
            .into_iter()
            .filter_map(|c| Some((c.next_after(turn.now)?, c)))
            .collect();
    upcoming.sort_by(|(a, c), (b, d)| (a, &c.name).cmp(&(b, &d.name)));
    let Some((first_at, first)) = upcoming.first() else {
        return say(Line::new(k::COP_NEXT_NONE));
    };
    let lines = upcoming
        .iter()
        .map(|(at, c)| {
            Line::new(k::COP_NEXT_LINE)
                .arg("name", c.name.as_str())
                .arg("at", local(Some(*at), tz))
                .arg("cancelled", local(c.cancelled_at.filter(|at| *at > turn.now), tz))
        })
        .collect();
    let file = calendar(core, &turn.team.locale, first, *first_at, turn.now);
    Ok(Reply::say(vec![Say::actor(vec![
        Part::Heading(k::COP_NEXT_HEADING.into()),
        Part::List(lines),
        file,
    ])]))
}

/// `/cop cancel NAME`: calls off the next gathering (one at a time); the other members are
/// told privately.
pub fn cancel(core: &Core, tx: &Tx, turn: &Turn, c: &Community) -> Result<Reply> {
    let tz = turn.team.timezone;
    let name = c.name.as_str();
    if let Some(called_off) = c.cancelled_at.filter(|at| *at > turn.now) {
        return say(Line::new(k::COP_ALREADY_CANCELLED)
            .arg("name", name)
            .arg("at", local(Some(called_off), tz)));
    }
    let Some(at) = c.next_after(turn.now) else {
        return say(Line::new(k::COP_NO_GATHERING).arg("name", name));
    };
    communities::set_cancelled(tx, c.id, Some(at))?;
    let after = c.when.as_ref().and_then(|w| w.next_after(at, c.timezone));
    let people = others(tx, c, turn.member.id)?;
    let notice = |team: &crate::store::Team| {
        vec![Part::Text(
            Line::new(k::COP_CANCELLED_NOTICE)
                .arg("name", name)
                .arg("at", local(Some(at), team.timezone))
                .arg("after", local(after, team.timezone)),
        )]
    };
    let line = Line::new(k::COP_CANCELLED)
        .arg("name", name)
        .arg("at", local(Some(at), tz))
        .arg("after", local(after, tz));
    let mut reply = say(line)?;
    reply.elsewhere = privately(core, tx, &people, notice)?;
    Ok(reply)
}

/// A reminder (the scheduler, in its transaction): the gathering is `lead` minutes after
/// `due`. Each member hears privately, in their own team's time, with a calendar file.
pub fn remind(
    core: &Core,
    tx: &Tx,
    community: i64,
    lead: u32,
    due: DateTime<Utc>,
) -> Result<Vec<Outbound>> {
    let Some(c) = communities::get(tx, community, due)? else { return Ok(Vec::new()) };
    let at = due + Duration::minutes(lead.into());
    if c.cancelled_at == Some(at) {
        return Ok(Vec::new());
    }
    let (facilitator, mut out) = assign(core, tx, &c, None, due)?;
    let (topics, _) = topics::counts(tx, c.id)?;
    let people: Vec<_> =
        members::of(tx, c.id)?.into_iter().map(|m| (m.team_id, m.user_id)).collect();
    out.extend(privately(core, tx, &people, |team| {
        let mut parts = vec![Part::Text(
            Line::new(k::COP_REMINDER)
                .arg("name", c.name.as_str())
                .arg("minutes", lead)
                .arg("at", local(Some(at), team.timezone)),
        )];
        parts.extend(facilitator_parts(&c, facilitator.as_ref()));
        parts.push(Part::Text(
            Line::new(k::COP_REMINDER_TOPICS).arg("name", c.name.as_str()).arg("count", topics),
        ));
        parts.push(calendar(core, &team.locale, &c, at, due));
        parts
    })?);
    Ok(out)
}

/// A gathering starts (the scheduler, in its transaction): its channel gets the topics by
/// votes, the facilitator and the confidentiality and de-identification notice (members from
/// other teams get it privately); then hearth forgets the topics, and the rotation moves on
/// (the next facilitator is told).
pub fn gather(core: &Core, tx: &Tx, community: i64, due: DateTime<Utc>) -> Result<Vec<Outbound>> {
    let Some(c) = communities::get(tx, community, due)? else { return Ok(Vec::new()) };
    if c.cancelled_at == Some(due) {
        communities::set_cancelled(tx, c.id, None)?;
        return Ok(Vec::new());
    }
    let (Some(team), Some(channel)) = (teams::get(tx, c.team_id)?, c.channel.clone()) else {
        return Ok(Vec::new());
    };
    // This gathering's facilitator, without a notice: the post names them.
    let roster = members::of(tx, c.id)?;
    let turns = rotation(&roster);
    let facilitator = turns
        .iter()
        .find(|m| Some(m.member_id) == c.facilitator_id)
        .or_else(|| turns.first())
        .map(|m| (*m).clone());
    let topics = topics::of(tx, c.id)?;
    let mut parts =
        vec![Part::Heading(Line::new(k::COP_GATHERING_HEADING).arg("name", c.name.as_str()))];
    parts.extend(facilitator_parts(&c, facilitator.as_ref()));
    if topics.is_empty() {
        parts.push(Part::Text(k::COP_GATHERING_NO_TOPICS.into()));
    } else {
        parts.push(Part::Heading(k::COP_GATHERING_TOPICS.into()));
        parts.push(Part::List(
            topics
                .iter()
                .map(|t| {
                    Line::new(k::COP_GATHERING_TOPIC)
                        .arg("text", t.text.as_str())
                        .arg("votes", t.votes)
                })
                .collect(),
        ));
    }
    parts.push(Part::Text(k::COP_NOTICE_CONFIDENTIAL.into()));
    parts.push(Part::Text(k::COP_NOTICE_DEIDENTIFY.into()));
    // Members from other teams are not in the home team's channel: they get the post privately.
    let guests: Vec<_> = roster
        .iter()
        .filter(|m| m.team_id != c.team_id)
        .map(|m| (m.team_id, m.user_id.clone()))
        .collect();
    let mut out = privately(core, tx, &guests, |_| parts.clone())?;
    let post = Say { audience: Audience::Channel { id: channel }, ..Say::actor(parts) };
    out.extend(render_for(core, &team, vec![post], None));
    topics::clear(tx, c.id)?;
    if let Some(f) = &facilitator {
        members::set_facilitated(tx, c.id, f.member_id, due)?;
    }
    communities::set_facilitator(tx, c.id, None)?;
    let moved_on = Community { facilitator_id: None, ..c };
    out.extend(assign(core, tx, &moved_on, None, due)?.1);
    Ok(out)
}
