//! `/checkin`, `/checkin history`, `/checkin keep on|off`.

use crate::bot::{Bot, BotError};
use crate::engine::{self, Reply, Turn};
use crate::flows::{FlowState, Line, Part, Say, checkin};
use crate::prompts::keys as k;
use crate::store::{Conn, history, members};
use chrono::Duration;

pub async fn start(bot: &Bot, tx: &mut Conn, turn: &Turn<'_>) -> Result<Reply, BotError> {
    let step = checkin::start(&engine::ctx(bot, turn)).map(FlowState::Checkin);
    engine::start(tx, turn, step).await
}

pub async fn history(bot: &Bot, tx: &mut Conn, turn: &Turn<'_>) -> Result<Reply, BotError> {
    if turn.member.keep_history != Some(true) {
        return Ok(Reply::say(vec![Say::text(k::HISTORY_OFF)]));
    }
    let days = bot.config.retention.history_days;
    let since = turn.now - Duration::days(days.into());
    let entries = history::since(tx, turn.member.id, since).await?;
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

pub async fn keep(bot: &Bot, tx: &mut Conn, turn: &Turn<'_>, on: bool) -> Result<Reply, BotError> {
    members::set_keep_history(tx, turn.member.id, on).await?;
    let line = if on {
        Line::new(k::KEEP_ON).arg("days", bot.config.retention.history_days)
    } else {
        let erased = history::delete_all(tx, turn.member.id).await?;
        Line::new(k::KEEP_OFF).arg("count", i64::try_from(erased).unwrap_or(i64::MAX))
    };
    Ok(Reply::say(vec![Say::line(line)]))
}
