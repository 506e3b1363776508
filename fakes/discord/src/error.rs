//! What can go wrong when a test drives the fake.

use std::fmt;

/// An error from the fake's test API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FakeError {
    /// Waited too long for the named thing.
    Timeout(String),
    /// No gateway session is ready, so nothing can be dispatched.
    NotConnected,
    /// The bot did not ask for the intent this event needs (named).
    NotSubscribed(String),
    /// A slash command that the bot never registered (globally or for the guild).
    UnknownCommand(String),
    /// The command exists but this user cannot see it here (DMs, or missing permissions).
    CommandHidden(String),
    /// A message the fake never stored.
    UnknownMessage(u64),
    /// The message has no component with this custom id.
    UnknownComponent(String),
    /// A guild or channel that was never set up.
    UnknownPlace(String),
    /// Something Discord's client would not let a user do (why): picking a value a select does
    /// not offer, too many values, submitting a modal that is not open, …
    Impossible(String),
}

impl fmt::Display for FakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout(what) => write!(f, "timed out waiting for {what}"),
            Self::NotConnected => write!(f, "no gateway session is ready"),
            Self::NotSubscribed(intent) => write!(f, "the bot has no {intent} intent"),
            Self::UnknownCommand(name) => write!(f, "the bot registered no command /{name}"),
            Self::CommandHidden(why) => write!(f, "command hidden: {why}"),
            Self::UnknownMessage(id) => write!(f, "no message {id}"),
            Self::UnknownComponent(id) => write!(f, "the message has no component {id:?}"),
            Self::UnknownPlace(what) => write!(f, "unknown {what}"),
            Self::Impossible(why) => write!(f, "a user cannot do that: {why}"),
        }
    }
}

impl std::error::Error for FakeError {}
