//! The fake's world: guilds, channels, users, messages, interactions and everything it received.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::sync::{mpsc, watch};

use crate::api::{Callback, Message, RecordedRequest, RegisteredCommand};
use crate::error::FakeError;

/// Gateway intent bits the fake honours (Discord's values).
pub mod intents {
    /// `GUILDS`: GUILD_CREATE and GUILD_DELETE.
    pub const GUILDS: u64 = 1;
    /// `GUILD_MEMBERS` (privileged): GUILD_MEMBER_ADD and _REMOVE.
    pub const GUILD_MEMBERS: u64 = 1 << 1;
    /// `GUILD_MESSAGES`: MESSAGE_CREATE in guilds.
    pub const GUILD_MESSAGES: u64 = 1 << 9;
    /// `DIRECT_MESSAGES`: MESSAGE_CREATE in DMs.
    pub const DIRECT_MESSAGES: u64 = 1 << 12;
    /// `MESSAGE_CONTENT` (privileged): content of guild messages that do not mention the bot.
    pub const MESSAGE_CONTENT: u64 = 1 << 15;
}

/// Permission bits the fake uses (Discord's values).
pub mod perms {
    /// `ADMINISTRATOR`: every permission, overwrites ignored.
    pub const ADMINISTRATOR: u64 = 1 << 3;
    /// `MANAGE_GUILD`.
    pub const MANAGE_GUILD: u64 = 1 << 5;
    /// `VIEW_CHANNEL`.
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    /// `SEND_MESSAGES`.
    pub const SEND_MESSAGES: u64 = 1 << 11;
    /// `EMBED_LINKS`.
    pub const EMBED_LINKS: u64 = 1 << 14;
    /// `READ_MESSAGE_HISTORY`.
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    /// `USE_APPLICATION_COMMANDS`.
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    /// `CREATE_PUBLIC_THREADS`.
    pub const CREATE_PUBLIC_THREADS: u64 = 1 << 35;
    /// `CREATE_PRIVATE_THREADS`.
    pub const CREATE_PRIVATE_THREADS: u64 = 1 << 36;
    /// `SEND_MESSAGES_IN_THREADS`.
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    /// What `@everyone` has in a guild the fake creates.
    pub const EVERYONE: u64 = VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | READ_MESSAGE_HISTORY
        | USE_APPLICATION_COMMANDS;
    /// Every permission bit the fake knows of (what an administrator or owner has).
    pub const ALL: u64 = (1 << 47) - 1;
    /// What the bot has in a channel it may post in.
    pub const BOT: u64 =
        EVERYONE | CREATE_PUBLIC_THREADS | CREATE_PRIVATE_THREADS | SEND_MESSAGES_IN_THREADS;
}

/// A user the fake knows.
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) bot: bool,
    pub(crate) dms_closed: bool,
    pub(crate) locale: String,
}

/// A guild role.
#[derive(Debug, Clone)]
pub(crate) struct Role {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) permissions: u64,
    pub(crate) position: u16,
}

/// A guild member (the user lives in `World::users`).
#[derive(Debug, Clone)]
pub(crate) struct GuildMember {
    pub(crate) roles: Vec<u64>,
    pub(crate) permissions: u64,
    pub(crate) joined_at: DateTime<Utc>,
}

/// A guild.
#[derive(Debug, Clone)]
pub(crate) struct Guild {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) owner_id: u64,
    pub(crate) locale: String,
    pub(crate) roles: Vec<Role>,
    pub(crate) members: BTreeMap<u64, GuildMember>,
    pub(crate) joined_at: DateTime<Utc>,
    /// Commands a server admin opened to everyone in the server's integration settings,
    /// whatever their `default_member_permissions`.
    pub(crate) commands_open_to_all: Vec<String>,
}

impl Guild {
    /// A member's guild-wide permissions: `@everyone`, their roles, extra bits; owner and
    /// administrators get everything.
    pub(crate) fn permissions_of(&self, user_id: u64) -> u64 {
        if user_id == self.owner_id {
            return perms::ALL;
        }
        let Some(member) = self.members.get(&user_id) else { return 0 };
        let mut bits = member.permissions;
        for role in &self.roles {
            if role.id == self.id || member.roles.contains(&role.id) {
                bits |= role.permissions;
            }
        }
        if bits & perms::ADMINISTRATOR != 0 { perms::ALL } else { bits }
    }
}

/// What kind of channel, Discord's channel types 0, 1, 11 and 12.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChannelKind {
    Text,
    Dm { recipient: u64 },
    Thread { parent: u64, private: bool },
}

/// A channel.
#[derive(Debug, Clone)]
pub(crate) struct Channel {
    pub(crate) id: u64,
    pub(crate) kind: ChannelKind,
    pub(crate) guild_id: Option<u64>,
    pub(crate) name: String,
    pub(crate) position: u16,
    pub(crate) bot_may_post: bool,
    pub(crate) created_at: DateTime<Utc>,
    /// Threads only: archived, locked, who is in it, and the minutes of inactivity
    /// after which Discord archives it.
    pub(crate) archived: bool,
    pub(crate) locked: bool,
    pub(crate) members: Vec<u64>,
    pub(crate) auto_archive_minutes: u64,
}

impl Channel {
    /// A channel the bot may post in, created now.
    pub(crate) fn new(id: u64, kind: ChannelKind, guild_id: Option<u64>, name: &str) -> Self {
        Self {
            id,
            kind,
            guild_id,
            name: name.to_owned(),
            position: 0,
            bot_may_post: true,
            created_at: Utc::now(),
            archived: false,
            locked: false,
            members: Vec::new(),
            auto_archive_minutes: 1440,
        }
    }
}

/// One interaction the fake dispatched, and what the bot did with it.
#[derive(Debug, Clone)]
pub(crate) struct InteractionState {
    pub(crate) token: String,
    pub(crate) channel_id: u64,
    /// For component interactions: the message whose component was used.
    pub(crate) source_message: Option<u64>,
    pub(crate) dispatched_at: Instant,
    pub(crate) callback: Option<Callback>,
    pub(crate) original_message: Option<u64>,
    pub(crate) followups: Vec<u64>,
}

/// An injected rate limit: the next `count` requests that match get 429.
#[derive(Debug, Clone)]
pub(crate) struct RateLimitRule {
    pub(crate) method: Option<String>,
    pub(crate) path_contains: String,
    pub(crate) retry_after: f64,
    pub(crate) remaining: u32,
}

/// What a gateway connection task is told to do.
#[derive(Debug)]
pub(crate) enum ConnCmd {
    /// Send this text frame.
    Send(String),
    /// Drop the TCP connection without a close frame.
    Drop,
    /// Send a close frame with this code, then drop.
    Close(u16),
}

/// The one gateway session (the fake serves a single unsharded bot).
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) id: String,
    pub(crate) seq: u64,
    /// Every dispatch frame sent in this session, by sequence number, for RESUME to replay.
    pub(crate) frames: Vec<(u64, String)>,
}

/// Gateway bookkeeping.
#[derive(Debug, Default)]
pub(crate) struct GatewayState {
    pub(crate) session: Option<Session>,
    pub(crate) conn: Option<(u64, mpsc::UnboundedSender<ConnCmd>)>,
    pub(crate) connections: u32,
    pub(crate) identifies: u32,
    pub(crate) resumes: u32,
    pub(crate) heartbeats: u32,
    pub(crate) heartbeat_interval_ms: u64,
    pub(crate) last_identify: Option<Value>,
    /// The intents of the last IDENTIFY.
    pub(crate) intents: u64,
}

/// All mutable state, behind one mutex.
#[derive(Debug, Default)]
pub(crate) struct World {
    last_id: u64,
    pub(crate) guilds: BTreeMap<u64, Guild>,
    pub(crate) channels: BTreeMap<u64, Channel>,
    pub(crate) users: BTreeMap<u64, User>,
    pub(crate) messages: BTreeMap<u64, Message>,
    pub(crate) commands: Vec<RegisteredCommand>,
    pub(crate) command_version: u64,
    pub(crate) interactions: HashMap<u64, InteractionState>,
    pub(crate) requests: Vec<RecordedRequest>,
    pub(crate) rate_limits: Vec<RateLimitRule>,
    pub(crate) gateway: GatewayState,
    /// Callbacks later than this after dispatch get 404 code 10062, as on Discord.
    pub(crate) interaction_deadline: Option<Duration>,
}

/// Milliseconds between the Unix epoch and Discord's epoch (2015-01-01).
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

impl World {
    /// A fresh snowflake: time-based like Discord's, strictly increasing.
    pub(crate) fn next_id(&mut self) -> u64 {
        let ms = u64::try_from(Utc::now().timestamp_millis()).unwrap_or(DISCORD_EPOCH_MS);
        let candidate = ms.saturating_sub(DISCORD_EPOCH_MS) << 22;
        self.last_id = candidate.max(self.last_id + 1);
        self.last_id
    }

    /// The user, created on first sight with a made-up name (as Discord would know them).
    pub(crate) fn user_or_default(&mut self, id: u64) -> &mut User {
        self.users.entry(id).or_insert_with(|| User {
            id,
            name: format!("user{id}"),
            bot: false,
            dms_closed: false,
            locale: "en-US".to_owned(),
        })
    }

    /// The DM channel between the bot and `user`, created if needed.
    pub(crate) fn dm_channel_for(&mut self, user: u64) -> u64 {
        let existing = self
            .channels
            .values()
            .find(|c| c.kind == ChannelKind::Dm { recipient: user })
            .map(|c| c.id);
        if let Some(id) = existing {
            return id;
        }
        self.user_or_default(user);
        let id = self.next_id();
        self.channels.insert(id, Channel::new(id, ChannelKind::Dm { recipient: user }, None, ""));
        id
    }

    /// Sends a dispatch (op 0) in the current session, if there is one; it is kept for RESUME.
    pub(crate) fn dispatch(&mut self, event: &str, data: Value) -> bool {
        let Some(session) = self.gateway.session.as_mut() else { return false };
        session.seq += 1;
        let seq = session.seq;
        let frame = serde_json::json!({ "op": 0, "s": seq, "t": event, "d": data }).to_string();
        session.frames.push((seq, frame.clone()));
        if let Some((_, conn)) = &self.gateway.conn {
            // A closed connection is fine: the frame waits in the session for RESUME.
            let _ = conn.send(ConnCmd::Send(frame));
        }
        true
    }

    /// Sends a non-dispatch frame to the live connection, if any.
    pub(crate) fn send_raw(&self, frame: String) {
        if let Some((_, conn)) = &self.gateway.conn {
            let _ = conn.send(ConnCmd::Send(frame));
        }
    }
}

/// The state shared by the server tasks and the test's handle.
#[derive(Debug)]
pub(crate) struct Shared {
    world: Mutex<World>,
    changed: watch::Sender<u64>,
    pub(crate) token: String,
    pub(crate) application_id: u64,
    pub(crate) bot_user_id: u64,
    pub(crate) base_url: String,
}

impl Shared {
    pub(crate) fn new(world: World, token: String, ids: (u64, u64), base_url: String) -> Self {
        Self {
            world: Mutex::new(world),
            changed: watch::channel(0).0,
            token,
            application_id: ids.0,
            bot_user_id: ids.1,
            base_url,
        }
    }

    /// The websocket URL handed out by `/gateway` (serenity appends `?v=10`).
    pub(crate) fn gateway_url(&self) -> String {
        format!("{}/ws", self.base_url.replacen("http://", "ws://", 1))
    }

    /// A receiver that sees every later change.
    pub(crate) fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }

    /// Changes the world and wakes every waiter.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&mut World) -> T) -> T {
        let result = {
            let mut world = self.world.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut world)
        };
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
        result
    }

    /// Reads the world.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&World) -> T) -> T {
        let world = self.world.lock().unwrap_or_else(PoisonError::into_inner);
        f(&world)
    }

    /// Waits until `f` finds something, re-checking after every change, up to `timeout`.
    pub(crate) async fn wait_for<T>(
        &self,
        timeout: Duration,
        what: &str,
        mut f: impl FnMut(&World) -> Option<T>,
    ) -> Result<T, FakeError> {
        let mut changes = self.changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(found) = self.read(&mut f) {
                return Ok(found);
            }
            match tokio::time::timeout_at(deadline, changes.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) | Err(_) => {
                    return self.read(&mut f).ok_or_else(|| FakeError::Timeout(what.to_owned()));
                }
            }
        }
    }
}
