//! `/agenda` for the actor's next supervision session: shared items by votes then age, the
//! actor's own private items (only to them), items carried from earlier sessions labelled so;
//! `add TEXT`, `private TEXT`, `share ID`, `vote ID`, `done ID`, `drop ID`, `action PERSON
//! TEXT` and `actions`. The agenda belongs to the supervisees: any participant adds, votes and
//! closes items; only the author shares a private item; the author or the supervisor drops one.
//! Before each session its reminder brings the shared agenda to the participants ([`remind`]).

use super::supervision::{mine, next_session, to_participants};
use super::when_words::local;
use crate::context::{Reply, Turn};
use crate::error::Result;
use crate::flows::{Line, Part, PersonLookup, Say};
use crate::prompts::keys as k;
use crate::store::agenda::{self, Item, NewItem};
use crate::store::supervision::{self, Series};
use crate::store::{Team, Tx};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use hearth_chat::CommandCall;

fn say(line: Line) -> Result<Reply> {
    Ok(Reply::say(vec![Say::line(line)]))
}

pub fn run(tx: &Tx, turn: &Turn, sub: &str, call: &CommandCall) -> Result<Reply> {
    // Items a series left behind when it ended come along to their author's next session.
    if let Some((_, series)) = next_session(tx, turn)? {
        agenda::adopt(tx, turn.member.id, series.id)?;
    }
    let id = call.integer("id");
    match sub {
        "add" => add(tx, turn, call.text("text").unwrap_or_default(), false, None),
        "private" => add(tx, turn, call.text("text").unwrap_or_default(), true, None),
        "action" => {
            let given = call.text("person").unwrap_or_default();
            let owner = match crate::engine::find_person(tx, turn, given)? {
                PersonLookup::Found { user_id } => user_id,
                PersonLookup::Yourself | PersonLookup::Empty => {
                    turn.member.platform_user_id.clone()
                }
                PersonLookup::NotFound { given } => {
                    return say(Line::new(k::SETUP_ROLE_NOT_FOUND).arg("name", given));
                }
            };
            let (text, due) = split_due(call.text("text").unwrap_or_default());
            if let Some(Err(())) = due {
                return say(Line::new(k::AGENDA_DUE_BAD));
            }
            add(tx, turn, text, false, Some((owner, due.and_then(Result::ok))))
        }
        "actions" => actions(tx, turn),
        "share" | "vote" | "done" | "drop" => {
            let Some((item, series)) = visible(tx, turn, id)? else {
                return say(Line::new(k::AGENDA_UNKNOWN));
            };
            change(tx, turn, sub, &item, &series)
        }
        _ => show(tx, turn),
    }
}

/// An action's text and the date after a trailing `due`, if any (`Err` if unreadable).
fn split_due(text: &str) -> (&str, Option<std::result::Result<NaiveDate, ()>>) {
    match text.trim().rsplit_once(" due ") {
        Some((before, date)) if !before.trim().is_empty() => {
            let parsed = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| ());
            (before.trim(), Some(parsed))
        }
        _ => (text, None),
    }
}

/// An action's owner (platform user id) and due date.
type Owner = (String, Option<NaiveDate>);

fn add(tx: &Tx, turn: &Turn, text: &str, private: bool, owner: Option<Owner>) -> Result<Reply> {
    let text = text.trim();
    if text.is_empty() {
        return say(Line::new(k::AGENDA_EMPTY_TEXT));
    }
    let Some((session_at, series)) = next_session(tx, turn)? else {
        return say(Line::new(k::AGENDA_NO_SESSION));
    };
    let new = NewItem {
        series_id: series.id,
        author_id: turn.member.id,
        action: owner.is_some(),
        text,
        private,
        owner: owner.as_ref().map(|(who, _)| who.as_str()),
        due: owner.as_ref().and_then(|(_, due)| *due),
        session_at,
    };
    let id = agenda::add(tx, &new, turn.now)?;
    let key = match (owner.is_some(), private) {
        (true, _) => k::AGENDA_ACTION_ADDED,
        (false, true) => k::AGENDA_PRIVATE_ADDED,
        (false, false) => k::AGENDA_ADDED,
    };
    say(Line::new(key).arg("id", id).arg("session", local(Some(session_at), turn.team.timezone)))
}

/// An item the actor may see: in a series they take part in, and not someone else's private
/// item.
fn visible(tx: &Tx, turn: &Turn, id: Option<i64>) -> Result<Option<(Item, Series)>> {
    let Some(item) = id.map(|id| agenda::get(tx, id)).transpose()?.flatten() else {
        return Ok(None);
    };
    if item.private && item.author_id != Some(turn.member.id) {
        return Ok(None);
    }
    Ok(mine(tx, turn)?.into_iter().find(|s| Some(s.id) == item.series_id).map(|s| (item, s)))
}

/// Whether the actor supervises the series (its own supervisor, or the team's).
fn supervises(turn: &Turn, series: &Series) -> bool {
    let me = turn.member.platform_user_id.as_str();
    series.supervisor == me || turn.team.supervisor.as_deref() == Some(me)
}

fn change(tx: &Tx, turn: &Turn, what: &str, item: &Item, series: &Series) -> Result<Reply> {
    let mine = item.author_id == Some(turn.member.id);
    if item.status != "open" && what != "vote" {
        return say(Line::new(k::AGENDA_CLOSED).arg("id", item.id));
    }
    let line = match what {
        "share" if !mine => Line::new(k::AGENDA_NOT_YOURS),
        "share" => {
            agenda::share(tx, item.id)?;
            Line::new(k::AGENDA_SHARED).arg("id", item.id)
        }
        "vote" if agenda::vote(tx, item.id, turn.member.id)? => {
            Line::new(k::AGENDA_VOTED).arg("id", item.id)
        }
        "vote" => Line::new(k::AGENDA_VOTED_ALREADY).arg("id", item.id),
        "drop" if !(mine || supervises(turn, series)) => Line::new(k::AGENDA_DROP_NOT_YOURS),
        _ => {
            agenda::close(tx, item.id, what == "done", turn.now)?;
            let key = if what == "done" { k::AGENDA_DONE } else { k::AGENDA_DROPPED };
            Line::new(key).arg("id", item.id)
        }
    };
    say(line)
}

/// The agenda lines of a series' next session as `viewer` sees them: shared items by votes
/// then age (and `viewer`'s own private ones), carried items labelled with their first date.
fn lines(items: &[Item], viewer: Option<i64>, session_at: DateTime<Utc>, tz: Tz) -> Vec<Line> {
    items
        .iter()
        .filter(|i| !i.action && (!i.private || (viewer.is_some() && i.author_id == viewer)))
        .map(|i| {
            let carried = if i.session_at < session_at {
                i.session_at.with_timezone(&tz).format("%Y-%m-%d").to_string()
            } else {
                "no".to_owned()
            };
            Line::new(k::AGENDA_LINE)
                .arg("id", i.id)
                .arg("text", i.text.as_str())
                .arg("votes", i.votes)
                .arg("carried", carried)
                .arg("private", if i.private { "yes" } else { "no" })
        })
        .collect()
}

/// The shared items for a session's digest (the scheduler's reminders).
pub fn shared_lines(
    tx: &Tx,
    series: &Series,
    session_at: DateTime<Utc>,
    tz: Tz,
) -> Result<Vec<Line>> {
    Ok(lines(&agenda::open_of_series(tx, series.id)?, None, session_at, tz))
}

fn show(tx: &Tx, turn: &Turn) -> Result<Reply> {
    let Some((session_at, series)) = next_session(tx, turn)? else {
        return say(Line::new(k::AGENDA_NO_SESSION));
    };
    let tz = turn.team.timezone;
    let items = agenda::open_of_series(tx, series.id)?;
    let lines = lines(&items, Some(turn.member.id), session_at, tz);
    let heading = Line::new(k::AGENDA_HEADING)
        .arg("id", series.id)
        .arg("session", local(Some(session_at), tz));
    let mut parts = vec![Part::Heading(heading)];
    if lines.is_empty() {
        parts.push(Part::Text(k::AGENDA_NOTHING_YET.into()));
    } else {
        parts.push(Part::List(lines));
    }
    parts.push(Part::Text(k::AGENDA_HOW.into()));
    Ok(Reply::say(vec![Say::actor(parts)]))
}

fn actions(tx: &Tx, turn: &Turn) -> Result<Reply> {
    let mut parts = vec![Part::Heading(k::AGENDA_ACTIONS_HEADING.into())];
    for series in mine(tx, turn)? {
        let own = |i: &Item| !i.private || i.author_id == Some(turn.member.id);
        for item in
            agenda::open_of_series(tx, series.id)?.into_iter().filter(|i| i.action && own(i))
        {
            parts.push(Part::Text(
                Line::new(k::AGENDA_ACTION_LINE)
                    .arg("id", item.id)
                    .arg("text", item.text)
                    .arg("due", item.due.unwrap_or_else(|| "none".into())),
            ));
            parts.extend(item.owner.map(Part::Person));
        }
    }
    if parts.len() == 1 {
        return say(Line::new(k::AGENDA_NO_ACTIONS));
    }
    Ok(Reply::say(vec![Say::actor(parts)]))
}

/// A supervision reminder's messages, the session's shared agenda with them (the scheduler,
/// in its transaction): the session is `lead` minutes
/// after the reminder's due instant `due`.
pub fn remind(
    tx: &Tx,
    team: &Team,
    series: i64,
    lead: u32,
    due: DateTime<Utc>,
) -> Result<Vec<Say>> {
    let Some(series) = supervision::get(tx, series, due)? else { return Ok(Vec::new()) };
    let at = due + Duration::minutes(lead.into());
    let line = Line::new(k::SUPERVISION_REMINDER)
        .arg("at", local(Some(at), team.timezone))
        .arg("minutes", lead)
        .arg("style", series.style.as_str());
    let mut parts = vec![Part::Text(line)];
    // The agenda goes with it: shared items only, never anyone's private ones.
    let items = shared_lines(tx, &series, at, team.timezone)?;
    if items.is_empty() {
        parts.push(Part::Text(k::AGENDA_EMPTY_DIGEST.into()));
    } else {
        parts.push(Part::Heading(k::AGENDA_DIGEST_HEADING.into()));
        parts.push(Part::List(items));
    }
    parts.push(Part::Text(k::SUPERVISION_STYLE_HINT.into()));
    Ok(to_participants(&series, parts, ""))
}
