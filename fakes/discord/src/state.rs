//! The fake's world: guilds, channels, users, messages, interactions and everything it received.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::sync::{mpsc, watch};

use crate::api::{Callback, Message, RecordedRequest, RegisteredCommand};
use crate::error::FakeError;

pub use crate::bits::{intents, perms};

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
    /// Private threads only: whether members who are not moderators may add others.
    pub(crate) invitable: bool,
    /// Threads only: who created it (the bot, for every thread the fake has).
    pub(crate) owner_id: u64,
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
            invitable: true,
            owner_id: 0,
        }
    }
}

/// One interaction the fake dispatched, and what the bot did with it.
#[derive(Debug, Clone)]
pub(crate) struct InteractionState {
    /// Discord's interaction type: 2 command, 3 component, 4 autocomplete, 5 modal submit.
    pub(crate) kind: u64,
    /// Who used it.
    pub(crate) user: u64,
    pub(crate) token: String,
    pub(crate) channel_id: u64,
    /// For component interactions: the message whose component was used.
    pub(crate) source_message: Option<u64>,
    pub(crate) dispatched_at: Instant,
    /// When it was dispatched by the fake's clock (what deadlines and tokens count from).
    pub(crate) dispatched_on_clock: Instant,
    pub(crate) callback: Option<Callback>,
    pub(crate) original_message: Option<u64>,
    pub(crate) followups: Vec<u64>,
    /// Whether a callback came after the initial-response deadline (the user saw "did not
    /// respond").
    pub(crate) timed_out: bool,
    /// The shards whose sessions it was dispatched to.
    pub(crate) shards: Vec<u64>,
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

/// One gateway session: a shard of the bot, from its IDENTIFY until Discord forgets it.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) id: String,
    pub(crate) seq: u64,
    /// Every dispatch frame sent in this session, by sequence number, for RESUME to replay.
    pub(crate) frames: Vec<(u64, String)>,
    /// IDENTIFY's `shard`: `[id, total]` (`[0, 1]` when the client sent none).
    pub(crate) shard: [u64; 2],
    /// The intents it identified with.
    pub(crate) intents: u64,
    /// The live connection attached to it, if any (a session outlives its connection, for
    /// RESUME).
    pub(crate) conn: Option<(u64, mpsc::UnboundedSender<ConnCmd>)>,
}

/// Gateway bookkeeping.
#[derive(Debug, Default)]
pub(crate) struct GatewayState {
    /// Every session Discord still knows, oldest first; events go to each one whose shard
    /// serves them (see `shards.rs`).
    pub(crate) sessions: Vec<Session>,
    pub(crate) connections: u32,
    pub(crate) identifies: u32,
    pub(crate) resumes: u32,
    pub(crate) heartbeats: u32,
    pub(crate) heartbeat_interval_ms: u64,
    pub(crate) last_identify: Option<Value>,
    /// The intents of the last IDENTIFY.
    pub(crate) intents: u64,
    /// Connections opened at `resume_gateway_url` rather than the `/gateway` URL.
    pub(crate) resume_url_connections: u32,
    /// Whether RESUME is answered with INVALID_SESSION (the session lost).
    pub(crate) refuse_resumes: bool,
    /// Whether new connections wait before HELLO.
    pub(crate) hold_connections: bool,
    /// What `GET /gateway/bot` recommends as `shards` (0 is read as 1).
    pub(crate) recommended_shards: u64,
    /// The most guilds one session may hold before IDENTIFY is closed with 4011 (0: Discord's
    /// 2,500).
    pub(crate) max_guilds_per_shard: usize,
    /// Every IDENTIFY's shard, in order, and whether it was refused (the close code).
    pub(crate) identified: Vec<([u64; 2], Option<u16>)>,
    /// Every dispatch each session received, in order.
    pub(crate) log: Vec<crate::shards::Dispatched>,
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
    /// Callbacks later than this after dispatch get 404 code 10062, as on Discord (3 s).
    pub(crate) interaction_deadline: Option<Duration>,
    /// How far the fake's clock is ahead of real time (tests move it with `advance`).
    pub(crate) clock_offset: Duration,
    /// Whether the bot has `MANAGE_THREADS` (off, as for an app invited without it).
    pub(crate) bot_manage_threads: bool,
    /// Users that cannot be added to any thread (they left, or cannot see the channel).
    pub(crate) thread_member_refused: Vec<u64>,
    /// Modals shown to users and not yet submitted.
    pub(crate) open_modals: Vec<OpenModal>,
}

/// A modal the bot showed in answer to an interaction (callback 9), until it is submitted.
#[derive(Debug, Clone)]
pub(crate) struct OpenModal {
    pub(crate) user: u64,
    pub(crate) custom_id: String,
    /// The interaction it answered, for its place and, if a component, its message.
    pub(crate) opened_by: u64,
    /// The modal's text inputs, by custom id: what a submit may fill in.
    pub(crate) inputs: Vec<String>,
}

/// How long Discord waits for the initial response to an interaction.
pub(crate) const INITIAL_RESPONSE: Duration = Duration::from_secs(3);
/// How long an interaction token works for follow-ups and `@original`.
pub(crate) const TOKEN_LIFETIME: Duration = Duration::from_secs(15 * 60);

/// Milliseconds between the Unix epoch and Discord's epoch (2015-01-01).
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

impl World {
    /// The fake's clock: real time plus whatever a test advanced it by.
    pub(crate) fn now(&self) -> Instant {
        Instant::now() + self.clock_offset
    }

    /// The fake time since `at` (an instant from [`Instant::now`]).
    pub(crate) fn since(&self, at: Instant) -> Duration {
        self.now().saturating_duration_since(at)
    }

    /// A fresh snowflake: time-based like Discord's, strictly increasing.
    pub(crate) fn next_id(&mut self) -> u64 {
        let ms = u64::try_from(Utc::now().timestamp_millis()).unwrap_or(DISCORD_EPOCH_MS);
        let candidate = ms.saturating_sub(DISCORD_EPOCH_MS) << 22;
        self.last_id = candidate.max(self.last_id + 1);
        self.last_id
    }

    /// A fresh snowflake whose timestamp puts it on `shard` of `total` (`(id >> 22) % total`),
    /// a few milliseconds on at most.
    pub(crate) fn next_id_on_shard(&mut self, shard: u64, total: u64) -> u64 {
        let total = total.max(1);
        let ms = (self.next_id() >> 22) + 1;
        let ms = ms + (shard % total + total - ms % total) % total;
        self.last_id = ms << 22;
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

    /// The `resume_gateway_url` READY names: the same gateway on another path.
    pub(crate) fn resume_gateway_url(&self) -> String {
        format!("{}/ws-resume", self.base_url.replacen("http://", "ws://", 1))
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
