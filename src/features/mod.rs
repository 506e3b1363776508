//! Features: each feature's handlers — every typed or slash command, routed to a flow or
//! answered directly —, its flow effects (`effects.rs`, one table) and its scheduled messages.
//! Access rules from the catalogue are enforced here, for every platform alike.

pub mod agenda;
pub mod breaks;
mod calendar;
mod checkin;
pub mod cop;
pub mod debrief;
mod effects;
mod help;
pub mod mydata;
mod privacy;
mod scheduled;
pub mod setup;
pub mod shift;
pub mod supervision;
mod weather;
pub(crate) mod when_words;

use crate::context::Core;
use crate::context::{Reply, Turn};
use crate::error::Result;
use crate::flows::{Line, Part, Say};
use crate::prompts::keys as k;
use crate::store::Tx;
use hearth_chat::{Access, CommandCall, DeliveryError, Place};

pub use effects::FEATURES;
pub use scheduled::scheduled;

/// A private message hearth sent for the actor did not arrive: say so, truthfully and once,
/// with what they can do instead.
pub fn undelivered(core: &Core, turn: &Turn, user_id: &str, error: &DeliveryError) -> Reply {
    let name = if turn.inbound.team.platform.user_ids_read_as_names() {
        user_id.to_owned()
    } else {
        core.prompts.render(&turn.team.locale, &Line::new(k::UNDELIVERED_SOMEONE))
    };
    let key = match error {
        DeliveryError::DirectMessagesClosed => k::UNDELIVERED_DMS_CLOSED,
        _ => k::UNDELIVERED_OTHER,
    };
    Reply::say(vec![Say::line(Line::new(key).arg("name", name))])
}

/// The private place hearth was opening for a few people could not be opened, and nothing of
/// it is left to them: each hears so privately, with the others named, so that nobody waits
/// for a thread or a room that will not come. The actor hears it where they acted.
pub fn together_failed(turn: &Turn, people: &[String]) -> Reply {
    let place = match turn.team.platform {
        hearth_chat::Platform::Discord => "thread",
        _ => "space",
    };
    let says = people
        .iter()
        .map(|person| {
            let mut parts = vec![Part::Text(Line::new(k::TOGETHER_FAILED).arg("place", place))];
            parts.extend(people.iter().filter(|p| *p != person).cloned().map(Part::Person));
            if *person == turn.inbound.actor.user_id {
                Say::actor(parts)
            } else {
                Say::person(person.clone(), parts)
            }
        })
        .collect();
    Reply::say(says)
}

pub fn run(core: &Core, tx: &Tx, turn: &Turn, call: &CommandCall) -> Result<Reply> {
    let spec = core
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
    if spec.private && typed_in_public(turn) {
        return Ok(private_elsewhere(core, turn, call));
    }
    match (call.command.as_str(), call.subcommand.as_str()) {
        ("checkin", "now") => checkin::start(core, tx, turn),
        ("checkin", "history") => checkin::history(core, tx, turn),
        ("checkin", "keep") => checkin::keep(core, tx, turn, call.text("choice") == Some("on")),
        ("shift", "start") => shift::start(tx, turn, call.text("until")),
        ("shift", "end") => shift::end(tx, turn),
        ("shift", "pattern") => shift::pattern(tx, turn, call.text("when").unwrap_or_default()),
        ("shift", _) => shift::show(tx, turn),
        ("available", _) => {
            shift::available(tx, turn, call.text("state") == Some("on"), call.text("until"))
        }
        ("capacity", _) => shift::capacity(tx, turn, call.text("level") == Some("low")),
        ("debrief", "request") => debrief::request(core, tx, turn, call.text("person")),
        ("debrief", "cancel") => debrief::cancel(tx, turn),
        ("debrief", _) => debrief::start(core, tx, turn),
        ("break", _) => breaks::start(core, tx, turn, call.integer("minutes"), false),
        ("served", _) => breaks::start(core, tx, turn, None, true),
        ("breaks", "show") => breaks::show(tx, turn),
        ("breaks", _) => {
            let on = call.text("state") == Some("on");
            breaks::auto(core, tx, turn, on, call.text("every"))
        }
        ("supervision", sub) => supervision::run(core, tx, turn, sub, call),
        ("agenda", sub) => agenda::run(tx, turn, sub, call),
        ("cop", sub) => cop::run(core, tx, turn, sub, call),
        ("weather", _) => weather::show(tx, turn),
        ("help", _) => Ok(help::show(core, turn, call.text("command"))),
        ("privacy", _) => Ok(privacy::show(core, turn)),
        ("mydata", sub) => mydata::run(core, tx, turn, sub),
        ("setup", sub) => setup::run(tx, turn, sub, call),
        _ => Ok(unknown(&call.command)),
    }
}

/// Whether what the actor typed stays where the team can read it.
fn typed_in_public(turn: &Turn) -> bool {
    turn.inbound.team.platform.typed_commands_are_public()
        && !matches!(turn.inbound.place, Place::Direct)
}

/// A private command typed in a team room: refused there, with a pointer to the direct room
/// (where the answer goes, which opens it), and taken back from the room where hearth may.
fn private_elsewhere(core: &Core, turn: &Turn, call: &CommandCall) -> Reply {
    let platform = turn.inbound.team.platform;
    let usage = core.catalogue.typed_name(&call.command, &call.subcommand, platform);
    let mut reply = Reply::say(vec![Say::line(Line::new(k::COMMAND_PRIVATE).arg("usage", usage))]);
    reply.retract_origin = true;
    reply
}

fn unknown(given: &str) -> Reply {
    let given: String = given.chars().take(40).collect();
    Reply::say(vec![Say::line(Line::new(k::COMMAND_UNKNOWN).arg("given", given))])
}
