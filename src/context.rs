//! What every part of handling an event shares: the process's `Core` (configuration, catalogue,
//! words), the `Turn` (this event, its team and member) and the `Reply` it comes to.
//!
//! It sits below the engine and the features and imports neither, so that both can name it
//! without either importing the other back.

use crate::config::Config;
use crate::error::Result;
use crate::flows::{Collections, Effect, Say};
use crate::prompts::Prompts;
use crate::store::{Member, Team, Tx, weather};
use chrono::{DateTime, Utc};
use hearth_chat::{Catalogue, Inbound, Outbound};
use std::sync::Arc;

/// What the handling of an event needs, shared with the store thread.
#[derive(Debug)]
pub struct Core {
    pub config: Config,
    pub catalogue: Catalogue,
    pub prompts: Prompts,
    /// How many exercises and puzzles `prompts` offers.
    pub collections: Collections,
    /// The secret behind today's team-weather codes: made at start, kept only in memory.
    pub weather_key: Arc<weather::Key>,
    /// What the engine needs of the features above it.
    pub features: Features,
}

/// The features' entry points that the engine calls, handed down at start (the bot gives
/// `features::FEATURES`), so that the engine never imports the features that use it.
#[derive(Clone, Copy, Debug)]
pub struct Features {
    /// Carries out one effect of a flow step in its transaction; the reply's `says` and
    /// `elsewhere` are what it did (the engine owns the step's token and the rest).
    pub apply: fn(&Core, &Tx, &Turn, Effect) -> Result<Reply>,
    /// Whether anybody on the team could be asked for a debrief now (when nobody can, a step
    /// into a debrief request says so at once).
    pub anyone_reachable: fn(&Tx, &Turn) -> Result<bool>,
}

/// One event being handled: the team and member it concerns, and when.
#[derive(Debug)]
pub struct Turn {
    pub team: Team,
    pub member: Member,
    pub inbound: Inbound,
    pub now: DateTime<Utc>,
    /// The process's team-weather key (see [`weather::Key`]).
    pub weather_key: Arc<weather::Key>,
}

/// What to say because of an event, and the token for any question in it.
#[derive(Debug, Default)]
pub struct Reply {
    pub says: Vec<Say>,
    pub token: Option<String>,
    /// The event added, changed or removed a schedule.
    pub schedules_changed: bool,
    /// Messages already put into words for the teams they go to (people of an open
    /// community who are on other teams).
    pub elsewhere: Vec<Outbound>,
    /// Take back the message that was answered (a private command typed in a team room).
    pub retract_origin: bool,
}

impl Reply {
    pub fn say(says: Vec<Say>) -> Self {
        Self { says, ..Self::default() }
    }
}
