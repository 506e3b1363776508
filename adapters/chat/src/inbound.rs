//! Inbound envelopes: who said what, where. Built by adapters from platform events.

use crate::catalogue::{CommandCall, CommandError};
use crate::outbound::DeliveryError;
use serde::{Deserialize, Serialize};

/// The chat platform an event came from or a message goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Console,
    Discord,
    Matrix,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Console => "console",
            Platform::Discord => "discord",
            Platform::Matrix => "matrix",
        }
    }

    /// Whether a command's default subcommand is typed without its name beside the named
    /// ones (`/checkin` and `/checkin history`). Discord cannot offer both, so there the
    /// default one goes by its name (`/checkin now`).
    pub fn types_default_subcommand_bare(self) -> bool {
        self != Platform::Discord
    }

    /// Whether a user id reads as a name to people (`ana`, `@ana:example.org`); Discord's are
    /// long numbers, which hearth never shows anyone.
    pub fn user_ids_read_as_names(self) -> bool {
        self != Platform::Discord
    }

    /// Whether a command typed in a shared place stays there for everyone to read. On Matrix
    /// it does; Discord's slash commands are seen only by the person using them, and the
    /// console is one person's terminal.
    pub fn typed_commands_are_public(self) -> bool {
        self == Platform::Matrix
    }

    /// Whether a team is one shared room (Matrix), so that its id is also the place to post
    /// something for the team from a private conversation.
    pub fn team_is_a_room(self) -> bool {
        self == Platform::Matrix
    }

    /// Whether hearth can open a private place for a few people here (`Target::Together`):
    /// a new room on Matrix; on Discord a private thread, which needs a channel to open in.
    pub fn opens_private_places(self, channel_known: bool) -> bool {
        match self {
            Platform::Matrix => true,
            Platform::Discord => channel_known,
            Platform::Console => false,
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "console" => Some(Platform::Console),
            "discord" => Some(Platform::Discord),
            "matrix" => Some(Platform::Matrix),
            _ => None,
        }
    }
}

/// A team as the platform knows it: a Discord guild, a Matrix room or space, a console team.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TeamRef {
    pub platform: Platform,
    pub id: String,
}

/// Where in a team something was said, or is to be said.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Place {
    /// A shared channel or room everyone in the team can read.
    Channel { id: String },
    /// A thread inside a channel.
    Thread { channel: String, thread: String },
    /// A private conversation between hearth and the actor.
    Direct,
}

/// The person behind an event. `is_team_admin` is the platform's own answer (Discord
/// permissions, Matrix power level, console configuration); the core decides what it allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    /// How teammates see this person's name on the platform. Used in messages, never stored.
    pub display_name: String,
    pub is_team_admin: bool,
}

/// One event from a platform, in hearth's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inbound {
    pub team: TeamRef,
    pub actor: Actor,
    pub place: Place,
    pub event: Event,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A command the platform already parsed (for example a Discord slash command).
    Command(CommandCall),
    /// A typed command the adapter could not parse against the catalogue; the core answers.
    BadCommand(CommandError),
    /// Plain text that is neither a command nor an answer to a pending form.
    Text(String),
    /// A choice made on a message hearth sent: a button, a select, a reaction, a typed number.
    Choice { token: String, option: String },
    /// A submitted form: a modal, or answers collected one question at a time.
    Form { token: String, fields: Vec<(String, String)> },
    /// An answer to a form the adapter was asking one question at a time when it restarted:
    /// the answers typed before the restart were never kept, so the form cannot go on. The
    /// core says so and asks the step's question again.
    Restarted { token: String },
    /// A private message the core asked for while answering this actor (`Target::Person`)
    /// could not be delivered. Adapters report it once, so the actor is not left believing
    /// it arrived.
    Undelivered { user_id: String, error: DeliveryError },
    /// A private place the core asked for while answering this actor (`Target::Together`)
    /// could not be opened for `people` (platform user ids), and nothing of it is left to
    /// them. Adapters report it once, like `Undelivered`, so nobody believes they were
    /// connected there; the core tells each of them privately.
    TogetherFailed { people: Vec<String>, error: DeliveryError },
    /// hearth was removed from this team for good: a Discord server removed the bot, a Matrix
    /// room's member kicked or banned hearth, or everyone left its room. The core forgets the
    /// team and everything of it, and answers nothing. Adapters send it only when the platform
    /// says so for certain: an outage, a reconnect or a gap in what they heard never is one.
    /// Built with [`Inbound::removed`].
    Removed,
}

impl Inbound {
    /// "hearth was removed from `team`". Platforms do not always say who did it, and it
    /// does not matter to the core, so the envelope names nobody: the actor's id is empty.
    pub fn removed(team: TeamRef) -> Self {
        let actor =
            Actor { user_id: String::new(), display_name: String::new(), is_team_admin: false };
        Inbound { team, actor, place: Place::Direct, event: Event::Removed }
    }
}
