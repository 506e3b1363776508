//! Outbound messages: a small closed set of blocks and controls every adapter can render.
//!
//! All text here is plain text. Adapters escape it for their markup and never let it mention
//! anyone: text a person typed may be echoed inside a block.

use crate::inbound::{Place, TeamRef};
use std::time::Duration;

/// Where a message goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Back where the inbound event happened (same channel, thread or DM).
    Origin,
    /// A place in a team.
    Place { team: TeamRef, place: Place },
    /// A private conversation with one person of a team.
    Person { team: TeamRef, user_id: String },
    /// A new thread in a channel, named `title`: a Discord thread, a Matrix thread under a
    /// first message carrying the title. Where a platform has no threads, the channel itself.
    NewThread { team: TeamRef, channel: String, title: String },
    /// A private place opened for a few people of a team, with this message in it.
    /// Matrix: a new private, encrypted room named `title`, the people invited (and given power
    /// level 100 so the room is theirs); hearth sends the message, then leaves as soon as the
    /// people can get in without it (a Matrix room nobody is joined to cannot be entered), and
    /// reads nothing there meanwhile. Discord: a private thread named `title` in `channel`, the
    /// people added, then made non-invitable; hearth sends the message and leaves the thread.
    /// Without a channel on Discord (or on a platform with no such place) delivery fails with
    /// `DeliveryError::Gone`. When an adapter answering an interaction cannot open the place
    /// (any step refused: it then leaves what it opened), it reports
    /// `Event::TogetherFailed`, and the core tells each person privately.
    /// `people` are platform user ids.
    Together { team: TeamRef, people: Vec<String>, title: String, channel: Option<String> },
    /// Take back the message the inbound event came from (a private command typed where
    /// everyone can read it), where the platform lets hearth remove other people's messages:
    /// a redaction on Matrix. The outbound's message is not sent. Where hearth may not, or the
    /// platform has no such thing, nothing happens; the core's words never claim it worked.
    RetractOrigin,
}

/// Who may see a reply sent to `Target::Origin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Everyone who can read the place.
    Everyone,
    /// Only the person who acted (Discord: ephemeral; Matrix: their DM with hearth).
    OnlyActor,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outbound {
    pub target: Target,
    pub visibility: Visibility,
    pub message: Message,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    pub blocks: Vec<Block>,
    pub controls: Option<Controls>,
}

#[derive(Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Text(String),
    List(Vec<String>),
    /// A teammate, by platform user id, shown the way the platform shows people: a Discord
    /// mention (that never pings), a Matrix user id, a console name.
    Person(String),
    /// A file to download (a calendar entry, a data export). Sent with the message; for a reply
    /// only the actor should see, it stays as private as the rest of the message.
    /// `name` is a file name without a path (adapters still make it safe); `mime` its media
    /// type, e.g. `text/calendar`. Where a platform refuses a file (too large), delivery fails
    /// with `DeliveryError::Forbidden`: trying again would not help.
    File {
        name: String,
        mime: String,
        bytes: Vec<u8>,
    },
}

/// Like a derived `Debug`, except that a file shows its size, not its bytes: a file may be a
/// person's data export, and `Debug` output ends up in logs and test failures.
impl std::fmt::Debug for Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Block::Heading(t) => f.debug_tuple("Heading").field(t).finish(),
            Block::Text(t) => f.debug_tuple("Text").field(t).finish(),
            Block::List(items) => f.debug_tuple("List").field(items).finish(),
            Block::Person(id) => f.debug_tuple("Person").field(id).finish(),
            Block::File { name, mime, bytes } => f
                .debug_struct("File")
                .field("name", name)
                .field("mime", mime)
                .field("len", &bytes.len())
                .finish_non_exhaustive(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Controls {
    /// Pick one. The token names the flow step; a stale token gets a kind "this has expired".
    Choices {
        token: String,
        options: Vec<ChoiceOption>,
    },
    Form(Form),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceOption {
    pub id: String,
    pub label: String,
}

/// A short form: a Discord modal, or questions asked one at a time on Matrix and the console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub token: String,
    pub title: String,
    pub fields: Vec<FormField>,
    /// The words of a control that leaves the form empty, offered when every field is
    /// optional. Used where a form is not one dialog with an empty answer to send: on Discord,
    /// a form naming a person is the platform's user picker, with this beside it.
    pub skip: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormField {
    pub id: String,
    pub label: String,
    pub required: bool,
    pub max_chars: usize,
    /// The answer names someone in the team; the core finds them by their platform user id.
    /// Where people cannot type ids (Discord), the adapter offers the platform's own user
    /// picker and hands in the picked id; otherwise it passes the text as typed (Matrix turns
    /// a mention or a display name into the id first).
    pub names_person: bool,
}

/// Why a delivery failed, in terms the core can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    #[error("hearth may not post there")]
    Forbidden,
    #[error("the place or person is gone")]
    Gone,
    #[error("rate limited; retry after {retry_after:?}")]
    RateLimited { retry_after: Duration },
    #[error("the person does not accept direct messages")]
    DirectMessagesClosed,
    #[error("temporary failure")]
    Transient,
    #[error("no adapter delivers to this platform")]
    NoAdapter,
}

impl DeliveryError {
    /// A short name for records and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            DeliveryError::Forbidden => "forbidden",
            DeliveryError::Gone => "gone",
            DeliveryError::RateLimited { .. } => "rate_limited",
            DeliveryError::DirectMessagesClosed => "dms_closed",
            DeliveryError::Transient => "transient",
            DeliveryError::NoAdapter => "no_adapter",
        }
    }

    /// Whether trying again later may work.
    pub fn is_retryable(&self) -> bool {
        matches!(self, DeliveryError::RateLimited { .. } | DeliveryError::Transient)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_shows_its_size_not_its_bytes() {
        let file = Block::File {
            name: "export.json".into(),
            mime: "application/json".into(),
            bytes: b"{\"secret\": 1}".to_vec(),
        };
        let shown = format!("{file:?}");
        assert_eq!(shown, r#"File { name: "export.json", mime: "application/json", len: 13, .. }"#);
        assert_eq!(format!("{:?}", Block::Text("hi".into())), r#"Text("hi")"#);
    }
}
