//! The one table of a flow step's effects: each `Effect` a pure flow returns is carried out
//! here, by the feature it belongs to, inside the step's transaction.
//!
//! The engine never imports the features: it reaches this table through the `Features` the
//! bot hands to `Core` at start (see `FEATURES`).

use crate::context::{Core, Features, Reply, Turn};
use crate::error::Result;
use crate::flows::Effect;
use crate::store::{Tx, history, members, weather};

/// The feature layer's entry points, as the engine knows them.
pub const FEATURES: Features = Features { apply, anyone_reachable };

/// Carries out one effect; what it says comes back in the reply.
fn apply(core: &Core, tx: &Tx, turn: &Turn, effect: Effect) -> Result<Reply> {
    let says = match effect {
        Effect::AddToWeather(colour) => {
            let day = turn.now.with_timezone(&turn.team.timezone).date_naive();
            let person = (turn.team.id, turn.member.platform_user_id.as_str());
            let batch = turn.team.weather_min_people;
            weather::add(tx, &turn.weather_key, person, day, colour, batch, turn.now)?;
            Vec::new()
        }
        Effect::AddToHistory(colour) => {
            history::add(tx, turn.member.id, turn.now, colour)?;
            Vec::new()
        }
        Effect::SetKeepHistory(keep) => {
            members::set_keep_history(tx, turn.member.id, keep)?;
            Vec::new()
        }
        Effect::ReduceLoad => super::shift::set_capacity(tx, turn, true)?,
        Effect::StartBreak { minutes, activity } => {
            super::breaks::start_timer(tx, turn, minutes, &activity)?
        }
        Effect::ExtendBreak => super::breaks::extend(tx, turn)?,
        Effect::EndBreak => {
            super::breaks::end_timer(tx, turn)?;
            Vec::new()
        }
        // Only "turn these off" comes from a flow, so no cap is shown.
        Effect::BreakNudges { every_minutes } => {
            super::breaks::set_nudges(tx, turn, every_minutes, 0)?
        }
        Effect::SnoozeBreakNudge => {
            super::breaks::snooze(tx, turn)?;
            Vec::new()
        }
        Effect::OpenRequest(opening) => super::debrief::open(tx, turn, opening)?,
        Effect::CheckOnMe { days } => super::debrief::check_on_me(tx, turn, days)?,
        Effect::InviteAvailable => {
            let invite = super::shift::invite_available(tx, turn.member.id, turn.now)?;
            invite.map(crate::flows::Say::line).into_iter().collect()
        }
        // Erasing the person needs the whole core (it may tell people on other teams).
        Effect::EraseMe => return super::mydata::erase(core, tx, turn),
        // Turned into another flow by `FlowState::advance`: nothing is left to do.
        Effect::BeginRequest | Effect::BeginBreak => Vec::new(),
    };
    Ok(Reply::say(says))
}

/// Whether anybody on the team could be asked for a debrief now.
fn anyone_reachable(tx: &Tx, turn: &Turn) -> Result<bool> {
    Ok(!super::shift::reachable(tx, &turn.team, turn.member.id, turn.now)?.is_empty())
}
