//! Commands: each typed or slash command, routed to a flow or answered directly.
//! Access rules from the catalogue are enforced here, for every platform alike.

mod checkin;
mod help;
mod privacy;
mod setup;
mod weather;

use crate::bot::{Bot, BotError};
use crate::engine::{Reply, Turn};
use crate::flows::{Line, Say};
use crate::prompts::keys as k;
use crate::store::Conn;
use hearth_chat::{Access, CommandCall};

pub async fn run(
    bot: &Bot,
    tx: &mut Conn,
    turn: &Turn<'_>,
    call: &CommandCall,
) -> Result<Reply, BotError> {
    let spec = bot
        .catalogue
        .command(&call.command)
        .and_then(|c| c.subcommands.iter().find(|s| s.name == call.subcommand));
    let Some(spec) = spec else {
        // Only a platform adapter out of step with the catalogue can get here.
        return Ok(unknown(&call.command));
    };
    if spec.access == Access::TeamAdmin && !turn.inbound.actor.is_team_admin {
        return Ok(Reply::say(vec![Say::text(k::NOT_TEAM_ADMIN)]));
    }
    match (call.command.as_str(), call.subcommand.as_str()) {
        ("checkin", "now") => checkin::start(bot, tx, turn).await,
        ("checkin", "history") => checkin::history(bot, tx, turn).await,
        ("checkin", "keep") => {
            checkin::keep(bot, tx, turn, call.text("choice") == Some("on")).await
        }
        ("weather", _) => weather::show(tx, turn).await,
        ("help", _) => Ok(help::show(bot, turn, call.text("command"))),
        ("privacy", _) => Ok(privacy::show(bot)),
        ("setup", sub) => setup::run(tx, turn, sub, call).await,
        _ => Ok(unknown(&call.command)),
    }
}

fn unknown(given: &str) -> Reply {
    let given: String = given.chars().take(40).collect();
    Reply::say(vec![Say::line(Line::new(k::COMMAND_UNKNOWN).arg("given", given))])
}
