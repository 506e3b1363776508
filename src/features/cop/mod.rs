//! `/cop`: communities of practice. A community belongs to the team that created it and is
//! open to the other teams hearth serves on the same platform only when its organisers say
//! so. Anyone who can see one may join; members see its roster, topics and resources.
//! Organising (scheduling, calling off a gathering, opening) is for its members on the home
//! team and the home team's admins; closing for its creator and those admins.
//! Gatherings are in `gatherings`, the facilitation rotation in `facilitation`, topics and
//! resources in `topics`.

mod facilitation;
mod gatherings;
mod topics;

pub use gatherings::{gather, remind};

use crate::context::Core;
use crate::context::{Reply, Turn};
use crate::engine::render_for;
use crate::error::Result;
use crate::flows::{Line, Part, Say};
use crate::prompts::keys as k;
use crate::store::communities::{self, Community, NewCommunity, members};
use crate::store::{Team, Tx, teams};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use hearth_chat::{CommandCall, Outbound};
use std::collections::HashMap;

use crate::limits::COMMUNITY_NAME_CHARS as MAX_NAME_CHARS;

/// An instant as the reader's team reads it, or `none` (for the words' own "not scheduled").
fn local(at: Option<DateTime<Utc>>, tz: Tz) -> String {
    at.map_or_else(|| "none".to_owned(), |at| super::when_words::local(Some(at), tz))
}

fn say(line: Line) -> Result<Reply> {
    Ok(Reply::say(vec![Say::line(line)]))
}

pub fn run(core: &Core, tx: &Tx, turn: &Turn, sub: &str, call: &CommandCall) -> Result<Reply> {
    let given = call.text("name");
    match (sub, given) {
        ("list", _) => return list(tx, turn),
        ("create", _) => return create(tx, turn, given.unwrap_or_default(), call.text("about")),
        ("vote", _) => return topics::vote(tx, turn, call.integer("id")),
        ("next", None) => return gatherings::next_mine(core, tx, turn),
        _ => {}
    }
    let given = given.unwrap_or_default();
    let found = match normalise(given) {
        Some(name) => communities::find(tx, turn.team.id, turn.team.platform, &name, turn.now)?,
        None => None,
    };
    let Some(c) = found else {
        let shown: String = given.chars().take(MAX_NAME_CHARS).collect();
        return say(Line::new(k::COP_UNKNOWN).arg("name", shown));
    };
    let member = members::is_member(tx, c.id, turn.member.id)?;
    let organiser = c.team_id == turn.team.id && (member || turn.inbound.actor.is_team_admin);
    let text = call.text("text").unwrap_or_default();
    match sub {
        "join" => join(tx, turn, &c),
        "info" => info(tx, turn, &c, member),
        "next" => gatherings::next_of(core, turn, &c),
        "close"
            if c.team_id == turn.team.id
                && (turn.inbound.actor.is_team_admin || c.created_by == Some(turn.member.id)) =>
        {
            close(core, tx, turn, &c)
        }
        "close" => say(Line::new(k::COP_NOT_CREATOR).arg("name", c.name.as_str())),
        "schedule" | "cancel" | "open" if !organiser => {
            say(Line::new(k::COP_NOT_ORGANISER).arg("name", c.name.as_str()))
        }
        "schedule" => gatherings::schedule(core, tx, turn, &c, call.text("when").unwrap_or("")),
        "cancel" => gatherings::cancel(core, tx, turn, &c),
        "open" => open(core, tx, turn, &c, call.text("state") == Some("on")),
        _ if !member => say(Line::new(k::COP_NOT_MEMBER).arg("name", c.name.as_str())),
        "leave" => leave(core, tx, turn, &c),
        "facilitate" => {
            facilitation::facilitate(core, tx, turn, &c, call.text("state") == Some("on"))
        }
        "swap" => facilitation::swap(core, tx, turn, &c),
        "topic" => topics::add(tx, turn, &c, text, false),
        "topic-anonymous" => topics::add(tx, turn, &c, text, true),
        "topics" => topics::list(tx, &c),
        "share" => topics::share(tx, turn, &c, text),
        "resources" => topics::resources(tx, turn, &c),
        _ => list(tx, turn),
    }
}

/// After a person's data was erased: a community left with no members closes; one left
/// without its next facilitator passes the turn on (and tells the one chosen).
pub fn after_erase(
    core: &Core,
    tx: &Tx,
    ids: &[i64],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Outbound>> {
    let mut out = Vec::new();
    for id in ids {
        let Some(c) = communities::get(tx, *id, now)? else { continue };
        if members::of(tx, c.id)?.is_empty() {
            gatherings::unschedule(tx, &c)?;
            communities::delete(tx, c.id)?;
        } else if c.facilitator_id.is_none() {
            out.extend(facilitation::pass_on(core, tx, &c, now)?);
        }
    }
    Ok(out)
}

/// A community name as stored: lower case, letters, digits and hyphens, starting with a
/// letter or digit.
pub fn normalise(given: &str) -> Option<String> {
    let name = given.trim().to_lowercase();
    let chars = name.chars().count();
    let valid = (2..=MAX_NAME_CHARS).contains(&chars)
        && name.chars().all(|c| c.is_alphanumeric() || c == '-')
        && name.chars().next().is_some_and(char::is_alphanumeric);
    valid.then_some(name)
}

/// Private messages to people who may be on other teams: each put into the words, locale and
/// time of their own team.
pub(super) fn privately(
    core: &Core,
    tx: &Tx,
    people: &[(i64, String)],
    parts: impl Fn(&Team) -> Vec<Part>,
) -> Result<Vec<Outbound>> {
    let mut teams: HashMap<i64, Option<Team>> = HashMap::new();
    let mut out = Vec::new();
    for (team_id, user_id) in people {
        if !teams.contains_key(team_id) {
            teams.insert(*team_id, teams::get(tx, *team_id)?);
        }
        if let Some(Some(team)) = teams.get(team_id) {
            out.extend(render_for(core, team, vec![Say::person(user_id, parts(team))], None));
        }
    }
    Ok(out)
}

/// A community's members but `except`, as `(team, user)`.
fn others(tx: &Tx, c: &Community, except: i64) -> Result<Vec<(i64, String)>> {
    Ok(members::of(tx, c.id)?
        .into_iter()
        .filter(|m| m.member_id != except)
        .map(|m| (m.team_id, m.user_id))
        .collect())
}

fn create(tx: &Tx, turn: &Turn, given: &str, about: Option<&str>) -> Result<Reply> {
    let Some(name) = normalise(given) else {
        return say(Line::new(k::COP_NAME_BAD).arg("max", MAX_NAME_CHARS));
    };
    let (team, platform) = (&turn.team, turn.team.platform);
    if communities::name_in_use(tx, team.id, platform, &name, false, None)? {
        return say(Line::new(k::COP_NAME_TAKEN).arg("name", name));
    }
    let about = about.map(str::trim).filter(|a| !a.is_empty());
    let new = NewCommunity {
        team_id: team.id,
        name: &name,
        about,
        created_by: turn.member.id,
        timezone: team.timezone,
    };
    communities::insert(tx, &new, turn.now)?;
    say(Line::new(k::COP_CREATED).arg("name", name))
}

fn list(tx: &Tx, turn: &Turn) -> Result<Reply> {
    let all = communities::visible(tx, turn.team.id, turn.team.platform, turn.now)?;
    if all.is_empty() {
        return say(Line::new(k::COP_NONE));
    }
    let mut lines = Vec::new();
    for c in &all {
        let roster = members::of(tx, c.id)?;
        let mine = roster.iter().any(|m| m.member_id == turn.member.id);
        let next = c.next_after(turn.now);
        lines.push(
            Line::new(k::COP_LINE)
                .arg("name", c.name.as_str())
                .arg("about", c.about.clone().unwrap_or_else(|| "none".into()))
                .arg("members", roster.len())
                .arg("reach", reach(c, turn))
                .arg("mine", if mine { "yes" } else { "no" })
                .arg("next", local(next, turn.team.timezone)),
        );
    }
    Ok(Reply::say(vec![Say::actor(vec![
        Part::Heading(k::COP_LIST_HEADING.into()),
        Part::List(lines),
        Part::Text(k::COP_LIST_HOW.into()),
    ])]))
}

/// Who can see a community, from the viewer's side.
fn reach(c: &Community, turn: &Turn) -> &'static str {
    match (c.team_id == turn.team.id, c.open) {
        (true, false) => "team",
        (true, true) => "open",
        (false, _) => "guest",
    }
}

fn join(tx: &Tx, turn: &Turn, c: &Community) -> Result<Reply> {
    if !members::join(tx, c.id, turn.member.id, turn.now)? {
        return say(Line::new(k::COP_JOINED_ALREADY).arg("name", c.name.as_str()));
    }
    let next = local(c.next_after(turn.now), turn.team.timezone);
    say(Line::new(k::COP_JOINED).arg("name", c.name.as_str()).arg("next", next))
}

/// Leaving takes the person off the roster and out of the rotation; a community whose last
/// member leaves closes.
fn leave(core: &Core, tx: &Tx, turn: &Turn, c: &Community) -> Result<Reply> {
    members::leave(tx, c.id, turn.member.id)?;
    if members::of(tx, c.id)?.is_empty() {
        gatherings::unschedule(tx, c)?;
        communities::delete(tx, c.id)?;
        let mut reply = say(Line::new(k::COP_LEFT_LAST).arg("name", c.name.as_str()))?;
        reply.schedules_changed = true;
        return Ok(reply);
    }
    let mut reply = say(Line::new(k::COP_LEFT).arg("name", c.name.as_str()))?;
    if c.facilitator_id == Some(turn.member.id) {
        reply.elsewhere = facilitation::pass_on(core, tx, c, turn.now)?;
    }
    Ok(reply)
}

fn info(tx: &Tx, turn: &Turn, c: &Community, member: bool) -> Result<Reply> {
    let tz = turn.team.timezone;
    let roster = members::of(tx, c.id)?;
    let mut parts =
        vec![Part::Heading(Line::new(k::COP_INFO_HEADING).arg("name", c.name.as_str()))];
    if let Some(about) = &c.about {
        parts.push(Part::Text(Line::new(k::COP_INFO_ABOUT).arg("about", about.as_str())));
    }
    let next = c.next_after(turn.now);
    let plan = Line::new(k::COP_INFO_PLAN)
        .arg("reach", reach(c, turn))
        .arg("next", local(next, tz))
        .arg("cancelled", local(c.cancelled_at.filter(|at| *at > turn.now), tz));
    parts.push(Part::Text(super::when_words::when(plan, c.when.as_ref(), tz)));
    let count = roster.len();
    if !member {
        parts.push(Part::Text(
            Line::new(k::COP_INFO_NOT_MEMBER).arg("name", c.name.as_str()).arg("count", count),
        ));
        return Ok(Reply::say(vec![Say::actor(parts)]));
    }
    parts.push(Part::Text(Line::new(k::COP_INFO_MEMBERS).arg("count", count)));
    parts.extend(roster.iter().map(|m| Part::Person(m.user_id.clone())));
    let rotation = facilitation::rotation(&roster);
    parts.push(Part::Text(
        Line::new(k::COP_INFO_ROTATION).arg("count", rotation.len()).arg("name", c.name.as_str()),
    ));
    match roster.iter().find(|m| Some(m.member_id) == c.facilitator_id) {
        Some(f) => {
            parts.push(Part::Text(k::COP_INFO_FACILITATOR.into()));
            parts.push(Part::Person(f.user_id.clone()));
        }
        None => parts.push(Part::Text(k::COP_INFO_NO_FACILITATOR.into())),
    }
    let (topics, resources) = communities::topics::counts(tx, c.id)?;
    parts.push(Part::Text(
        Line::new(k::COP_INFO_COUNTS)
            .arg("name", c.name.as_str())
            .arg("topics", topics)
            .arg("resources", resources),
    ));
    Ok(Reply::say(vec![Say::actor(parts)]))
}

/// Opens a community to the platform's other teams, or closes it to its home team (its
/// members from other teams are taken off, and told).
fn open(core: &Core, tx: &Tx, turn: &Turn, c: &Community, on: bool) -> Result<Reply> {
    let name = c.name.as_str();
    if on {
        let platform = turn.team.platform;
        if communities::name_in_use(tx, c.team_id, platform, name, true, Some(c.id))? {
            return say(Line::new(k::COP_NAME_TAKEN_OPEN).arg("name", name));
        }
        communities::set_open(tx, c.id, true)?;
        return say(Line::new(k::COP_OPENED).arg("name", name));
    }
    communities::set_open(tx, c.id, false)?;
    let removed = members::remove_other_teams(tx, c.id, c.team_id)?;
    let people: Vec<_> = removed.iter().map(|m| (m.team_id, m.user_id.clone())).collect();
    let notice = Line::new(k::COP_CLOSED_TO_TEAM_NOTICE).arg("name", name);
    let mut reply = say(Line::new(k::COP_OPEN_OFF).arg("name", name).arg("count", removed.len()))?;
    reply.elsewhere = privately(core, tx, &people, |_| vec![Part::Text(notice.clone())])?;
    if removed.iter().any(|m| Some(m.member_id) == c.facilitator_id) {
        reply.elsewhere.extend(facilitation::pass_on(core, tx, c, turn.now)?);
    }
    Ok(reply)
}

/// Ends a community: its gatherings, members, topics and resources go; its members are told.
fn close(core: &Core, tx: &Tx, turn: &Turn, c: &Community) -> Result<Reply> {
    let people = others(tx, c, turn.member.id)?;
    gatherings::unschedule(tx, c)?;
    communities::delete(tx, c.id)?;
    let notice = Line::new(k::COP_CLOSED_NOTICE).arg("name", c.name.as_str());
    let mut reply = say(Line::new(k::COP_CLOSED).arg("name", c.name.as_str()))?;
    reply.elsewhere = privately(core, tx, &people, |_| vec![Part::Text(notice.clone())])?;
    reply.schedules_changed = true;
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn names_are_one_word_in_lower_case() {
        assert_eq!(normalise("  Peer-Work "), Some("peer-work".into()));
        assert_eq!(normalise("Über-2"), Some("über-2".into()));
        for bad in ["", "a", "-peer", "peer work", "peer_work", "<@123>", "@everyone", "x\u{200b}y"]
        {
            assert_eq!(normalise(bad), None, "{bad}");
        }
        assert_eq!(normalise(&"a".repeat(33)), None);
        assert!(normalise(&"a".repeat(32)).is_some());
    }
}
