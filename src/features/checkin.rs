//! `/checkin`, `/checkin history`, `/checkin keep on|off`.

use crate::context::Core;
use crate::context::{Reply, Turn};
use crate::engine;
use crate::error::Result;
use crate::flows::{FlowState, Line, Part, Say, checkin};
use crate::prompts::keys as k;
use crate::store::{Tx, history, members};
use chrono::Duration;

pub fn start(core: &Core, tx: &Tx, turn: &Turn) -> Result<Reply> {
    let step = checkin::start(&engine::ctx(core, turn)).map(FlowState::Checkin);
    engine::start(core, tx, turn, step)
}

pub fn history(core: &Core, tx: &Tx, turn: &Turn) -> Result<Reply> {
    if turn.member.keep_history != Some(true) {
        return Ok(Reply::say(vec![Say::text(k::HISTORY_OFF)]));
    }
    let days = core.config.retention.history_days;
    let since = turn.now - Duration::days(days.into());
    let entries = history::since(tx, turn.member.id, since)?;
    if entries.is_empty() {
        return Ok(Reply::say(vec![Say::text(k::HISTORY_EMPTY)]));
    }
    let lines = entries
        .into_iter()
        .map(|(at, colour)| {
            let date = at.with_timezone(&turn.team.timezone).format("%Y-%m-%d").to_string();
            Line::new(k::HISTORY_LINE).arg("date", date).arg("colour", colour.as_str())
        })
        .collect();
    Ok(Reply::say(vec![Say::actor(vec![
        Part::Heading(Line::new(k::HISTORY_HEADING).arg("days", days)),
        Part::List(lines),
    ])]))
}

pub fn keep(core: &Core, tx: &Tx, turn: &Turn, on: bool) -> Result<Reply> {
    members::set_keep_history(tx, turn.member.id, on)?;
    let line = if on {
        Line::new(k::KEEP_ON).arg("days", core.config.retention.history_days)
    } else {
        let erased = history::delete_all(tx, turn.member.id)?;
        Line::new(k::KEEP_OFF).arg("count", i64::try_from(erased).unwrap_or(i64::MAX))
    };
    Ok(Reply::say(vec![Say::line(line)]))
}
