//! The plain data types a test sets the fake up with and reads back from it.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::state::perms;

/// A guild member to add with [`crate::FakeDiscord::add_member`].
#[derive(Debug, Clone)]
pub struct Member {
    /// The user's id (pick any, or [`crate::FakeDiscord::fresh_id`]).
    pub user_id: u64,
    /// The username.
    pub name: String,
    /// Role ids (from [`crate::FakeDiscord::add_role`]).
    pub roles: Vec<u64>,
    /// Permission bits granted on top of `@everyone` and the roles (see [`crate::perms`]).
    pub permissions: u64,
    /// The locale their client sends with interactions.
    pub locale: String,
}

impl Member {
    /// A member with no roles, `@everyone`'s permissions and locale `en-US`.
    pub fn new(user_id: u64, name: impl Into<String>) -> Self {
        Self {
            user_id,
            name: name.into(),
            roles: Vec::new(),
            permissions: 0,
            locale: "en-US".to_owned(),
        }
    }

    /// Gives the member these roles.
    #[must_use]
    pub fn roles(mut self, roles: impl IntoIterator<Item = u64>) -> Self {
        self.roles.extend(roles);
        self
    }

    /// Grants `MANAGE_GUILD`.
    #[must_use]
    pub fn manage_guild(mut self) -> Self {
        self.permissions |= perms::MANAGE_GUILD;
        self
    }

    /// Grants `ADMINISTRATOR` (and so every permission).
    #[must_use]
    pub fn administrator(mut self) -> Self {
        self.permissions |= perms::ADMINISTRATOR;
        self
    }

    /// Sets the locale sent with their interactions, e.g. `"de"`.
    #[must_use]
    pub fn locale(mut self, locale: impl Into<String>) -> Self {
        self.locale = locale.into();
        self
    }
}

/// Where a user invokes an interaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A text channel (or thread) of a guild.
    Guild {
        /// The guild.
        guild_id: u64,
        /// The channel in it.
        channel_id: u64,
    },
    /// The user's DM channel with the bot (created if needed).
    Dm,
}

/// A message the bot created: posted to a channel or DM, or as an interaction response or
/// follow-up. Edits are applied in place.
#[derive(Debug, Clone)]
pub struct Message {
    /// Its id.
    pub id: u64,
    /// The channel (or DM channel, or thread) it is in.
    pub channel_id: u64,
    /// Its guild, if any.
    pub guild_id: Option<u64>,
    /// `content`, empty if none.
    pub content: String,
    /// `embeds`, as sent (a JSON array).
    pub embeds: Value,
    /// `components`, as sent (a JSON array).
    pub components: Value,
    /// Message flags (4 = no link previews, 64 = ephemeral, 128 = loading for a deferred
    /// response).
    pub flags: u64,
    /// The files sent with it (multipart `files[n]` parts), in order, and any added by edits.
    pub attachments: Vec<Attachment>,
    /// The interaction it answers (response or follow-up), if any.
    pub interaction_id: Option<u64>,
    /// The JSON body that created it.
    pub body: Value,
    /// The JSON bodies of every edit, in order.
    pub edits: Vec<Value>,
    /// Whether the bot deleted it.
    pub deleted: bool,
    /// When the fake stored it.
    pub created_at: Instant,
    pub(crate) timestamp: DateTime<Utc>,
    pub(crate) edited: Option<DateTime<Utc>>,
}

impl Message {
    /// Whether only the invoking user sees it (flag 64).
    pub fn is_ephemeral(&self) -> bool {
        self.flags & 64 != 0
    }

    /// Whether link previews are turned off (flag 4, `SUPPRESS_EMBEDS`).
    pub fn suppresses_embeds(&self) -> bool {
        self.flags & 4 != 0
    }

    /// Applies a create or edit body: fields present replace the stored ones.
    pub(crate) fn apply(&mut self, body: &Value) {
        if let Some(content) = body.get("content") {
            self.content = content.as_str().unwrap_or_default().to_owned();
        }
        if let Some(embeds) = body.get("embeds") {
            self.embeds = if embeds.is_null() { Value::Array(Vec::new()) } else { embeds.clone() };
        }
        if let Some(components) = body.get("components") {
            self.components =
                if components.is_null() { Value::Array(Vec::new()) } else { components.clone() };
        }
        if let Some(flags) = body.get("flags").and_then(Value::as_u64) {
            self.flags = flags;
        }
    }

    /// The component (button, select, …) with this custom id, if the message has one.
    pub fn component(&self, custom_id: &str) -> Option<&Value> {
        self.components
            .as_array()?
            .iter()
            .filter_map(|row| row.get("components")?.as_array())
            .flatten()
            .find(|c| c.get("custom_id").and_then(Value::as_str) == Some(custom_id))
    }
}

/// A file the bot attached to a message.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The id the fake gave it.
    pub id: u64,
    /// Its name: the payload's `attachments` entry's `filename`, else the part's.
    pub filename: String,
    /// The part's `Content-Type` (`application/octet-stream` if it had none).
    pub content_type: String,
    /// Its bytes, as received.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("id", &self.id)
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// The bot's answer to an interaction: the body POSTed to `/interactions/{id}/{token}/callback`.
#[derive(Debug, Clone)]
pub struct Callback {
    /// The callback type: 4 message, 5 deferred message, 6 deferred update, 7 update message,
    /// 9 modal.
    pub kind: u64,
    /// The whole JSON body (`{"type", "data"}`).
    pub body: Value,
    /// When it arrived.
    pub received_at: Instant,
    /// From dispatching the interaction to receiving the callback.
    pub latency: Duration,
}

impl Callback {
    /// The callback's `data` (null if none).
    pub fn data(&self) -> &Value {
        self.body.get("data").unwrap_or(&Value::Null)
    }
}

/// One HTTP request the fake received.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, e.g. `/api/v10/channels/1/messages`.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// The JSON body, if any: a multipart request's `payload_json` (its files are on the
    /// [`Message`] they made); null for none, non-JSON or a malformed multipart body.
    pub body: Value,
    /// The status the fake answered.
    pub status: u16,
    /// Whether the fake knew the route.
    pub known_route: bool,
    /// When it arrived.
    pub at: Instant,
}

/// An application command the bot registered.
#[derive(Debug, Clone)]
pub struct RegisteredCommand {
    /// The id the fake gave it.
    pub id: u64,
    /// The guild it was registered for, or `None` for global.
    pub guild_id: Option<u64>,
    /// Its name.
    pub name: String,
    /// The JSON the bot sent for it.
    pub body: Value,
}
