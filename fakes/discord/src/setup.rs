//! Setting up the world (guilds, channels, roles, members, DMs, rate limits) and controlling the
//! gateway connection from a test.

use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};

use crate::FakeDiscord;
use crate::api::Member;
use crate::json;
use crate::state::{
    Channel, ChannelKind, ConnCmd, Guild, GuildMember, RateLimitRule, Role, User, World, perms,
};

impl FakeDiscord {
    /// Adds a guild the bot is in (owned by the bot until [`Self::set_guild_owner`]), with its
    /// `@everyone` role (id = guild id, [`perms::EVERYONE`]). Set it up before the client
    /// connects: READY and GUILD_CREATE describe the guilds as they are then.
    pub fn add_guild(&self, name: &str) -> u64 {
        let id = self.shared.with(World::next_id);
        self.insert_guild(id, name);
        id
    }

    /// Adds the guild `id` as [`Self::add_guild`] describes.
    pub(crate) fn insert_guild(&self, id: u64, name: &str) {
        let bot = self.bot_user_id();
        self.shared.with(|w| {
            let everyone = Role {
                id,
                name: "@everyone".to_owned(),
                permissions: perms::EVERYONE,
                position: 0,
            };
            let mut guild = Guild {
                id,
                name: name.to_owned(),
                owner_id: bot,
                locale: "en-US".to_owned(),
                roles: vec![everyone],
                members: Default::default(),
                joined_at: Utc::now(),
                commands_open_to_all: Vec::new(),
            };
            guild.members.insert(
                bot,
                GuildMember { roles: Vec::new(), permissions: 0, joined_at: Utc::now() },
            );
            w.guilds.insert(id, guild);
        });
    }

    /// Makes `user` the guild's owner (owners have every permission).
    pub fn set_guild_owner(&self, guild: u64, user: u64) {
        self.shared.with(|w| {
            if let Some(g) = w.guilds.get_mut(&guild) {
                g.owner_id = user;
            }
        });
    }

    /// Sets the guild's preferred locale (sent as `guild_locale`).
    pub fn set_guild_locale(&self, guild: u64, locale: &str) {
        self.shared.with(|w| {
            if let Some(g) = w.guilds.get_mut(&guild) {
                g.locale = locale.to_owned();
            }
        });
    }

    /// Adds a text channel to a guild; the bot may post in it.
    pub fn add_text_channel(&self, guild: u64, name: &str) -> u64 {
        self.shared.with(|w| {
            let id = w.next_id();
            let position = w.channels.values().filter(|c| c.guild_id == Some(guild)).count();
            let mut channel = Channel::new(id, ChannelKind::Text, Some(guild), name);
            channel.position = u16::try_from(position).unwrap_or(u16::MAX);
            w.channels.insert(id, channel);
            id
        })
    }

    /// Adds a role with these permission bits (see [`perms`]); returns its id.
    pub fn add_role(&self, guild: u64, name: &str, permissions: u64) -> u64 {
        self.shared.with(|w| {
            let id = w.next_id();
            if let Some(g) = w.guilds.get_mut(&guild) {
                let position = u16::try_from(g.roles.len()).unwrap_or(u16::MAX);
                g.roles.push(Role { id, name: name.to_owned(), permissions, position });
            }
            id
        })
    }

    /// Adds (or replaces) a guild member; the user becomes known to the fake.
    pub fn add_member(&self, guild: u64, member: Member) {
        self.shared.with(|w| {
            let user = w.user_or_default(member.user_id);
            user.name.clone_from(&member.name);
            user.locale.clone_from(&member.locale);
            if let Some(g) = w.guilds.get_mut(&guild) {
                g.members.insert(
                    member.user_id,
                    GuildMember {
                        roles: member.roles,
                        permissions: member.permissions,
                        joined_at: Utc::now(),
                    },
                );
            }
        });
    }

    /// Adds a user the bot shares no guild with (e.g. for DMs).
    pub fn add_user(&self, user_id: u64, name: &str) {
        self.shared.with(|w| {
            let user: &mut User = w.user_or_default(user_id);
            user.name = name.to_owned();
        });
    }

    /// Whether the user refuses DMs from the bot: posting in their DM channel gives 403 code
    /// 50007 (opening the channel still works, as on Discord).
    pub fn set_dms_closed(&self, user: u64, closed: bool) {
        self.shared.with(|w| w.user_or_default(user).dms_closed = closed);
    }

    /// Opens `/name` to every member of the guild, whatever its `default_member_permissions`,
    /// as a server admin can in Discord's integration settings. The bot still sees who lacks
    /// the permissions in `member.permissions`, and must refuse them itself if it should.
    pub fn open_command_to_all(&self, guild: u64, name: &str) {
        self.shared.with(|w| {
            if let Some(g) = w.guilds.get_mut(&guild) {
                g.commands_open_to_all.push(name.to_owned());
            }
        });
    }

    /// Whether the bot may post in a channel; if not, posting gives 403 code 50001.
    pub fn set_bot_may_post(&self, channel: u64, allowed: bool) {
        self.shared.with(|w| {
            if let Some(c) = w.channels.get_mut(&channel) {
                c.bot_may_post = allowed;
            }
        });
    }

    /// The next `count` requests whose method matches (`None`: any) and whose path (after
    /// `/api/v10/`) contains `path_contains` get 429 with `retry_after` seconds.
    pub fn inject_rate_limit(
        &self,
        method: Option<&str>,
        path_contains: &str,
        retry_after: f64,
        count: u32,
    ) {
        self.shared.with(|w| {
            w.rate_limits.push(RateLimitRule {
                method: method.map(str::to_owned),
                path_contains: path_contains.to_owned(),
                retry_after,
                remaining: count,
            });
        });
    }

    /// How long after dispatch an interaction's initial response may come; a later callback
    /// gets 404 code 10062 and the user saw "did not respond". Discord's 3 s by default;
    /// `None` turns the rule off. [`crate::Callback::latency`] is recorded either way.
    pub fn set_interaction_deadline(&self, deadline: Option<Duration>) {
        self.shared.with(|w| w.interaction_deadline = deadline);
    }

    /// Moves the fake's clock forward (tests only): interaction tokens expire after 15 minutes
    /// of this clock, and the initial-response deadline counts on it too.
    pub fn advance(&self, by: Duration) {
        self.shared.with(|w| w.clock_offset += by);
    }

    /// Whether the bot has `MANAGE_THREADS` (default: no). A moderator sees every private
    /// thread and adds people to one that is not `invitable`.
    pub fn set_bot_manage_threads(&self, allowed: bool) {
        self.shared.with(|w| w.bot_manage_threads = allowed);
    }

    /// Makes adding `user` to any thread fail with 403 code 50001 (`refused`), as Discord does
    /// for someone who cannot see the thread's channel; `false` undoes it. A user who left the
    /// guild ([`Self::member_leaves`]) gets 404 code 10007 without this.
    pub fn refuse_thread_member(&self, user: u64, refused: bool) {
        self.shared.with(|w| {
            w.thread_member_refused.retain(|u| *u != user);
            if refused {
                w.thread_member_refused.push(user);
            }
        });
    }

    /// The heartbeat interval sent in HELLO to connections opened from now on.
    pub fn set_heartbeat_interval(&self, interval: Duration) {
        let ms = u64::try_from(interval.as_millis()).unwrap_or(u64::MAX);
        self.shared.with(|w| w.gateway.heartbeat_interval_ms = ms);
    }

    /// Cuts every live gateway connection without a close frame (like a network failure). The
    /// sessions stay resumable; dispatches meanwhile are replayed on RESUME. Returns whether a
    /// connection was live.
    pub fn drop_gateway_connection(&self) -> bool {
        self.send_to_connection(|| ConnCmd::Drop)
    }

    /// Closes every live gateway connection with a close frame carrying `code` (e.g. 4000).
    pub fn close_gateway_connection(&self, code: u16) -> bool {
        self.send_to_connection(|| ConnCmd::Close(code))
    }

    /// Whether a RESUME fails as when Discord has lost the session: INVALID_SESSION (not
    /// resumable), the session and whatever was dispatched in it since the client left are
    /// gone, and the client must identify again.
    pub fn refuse_resumes(&self, refused: bool) {
        self.shared.with(|w| w.gateway.refuse_resumes = refused);
    }

    /// Whether new gateway connections are held before HELLO (up to a minute), so a test can
    /// dispatch while the client is surely away; `false` lets them through.
    pub fn hold_gateway_connections(&self, held: bool) {
        self.shared.with(|w| w.gateway.hold_connections = held);
    }

    /// Sends op 7 RECONNECT on every live connection: the client should reconnect and resume.
    pub fn request_reconnect(&self) {
        self.shared.read(|w| w.send_raw(&json!({ "op": 7, "d": null }).to_string()));
    }

    /// Sends op 9 INVALID_SESSION (not resumable) on every live connection and forgets every
    /// session: the client must identify again.
    pub fn invalidate_session(&self) {
        self.shared.with(|w| {
            w.send_raw(&json!({ "op": 9, "d": false }).to_string());
            w.gateway.sessions.clear();
        });
    }

    /// Dispatches any event (op 0) to the sessions that serve its guild (its `guild_id`, or
    /// `id` for GUILD_CREATE/UPDATE/DELETE; none: shard 0), as Discord routes it; false if no
    /// session serves it.
    pub fn dispatch(&self, event: &str, data: Value) -> bool {
        self.shared.with(|w| w.dispatch(event, data))
    }

    /// Dispatches GUILD_CREATE for a guild as it is now (e.g. after adding channels later).
    pub fn announce_guild(&self, guild: u64) -> bool {
        self.shared.with(|w| {
            let Some(value) = w.guilds.get(&guild).map(|g| json::guild(w, g)) else {
                return false;
            };
            w.dispatch("GUILD_CREATE", value)
        })
    }

    fn send_to_connection(&self, cmd: impl Fn() -> ConnCmd) -> bool {
        self.shared.with(|w| {
            let live = w.gateway.sessions.iter_mut().filter_map(|s| s.conn.take());
            live.fold(false, |sent, (_, conn)| conn.send(cmd()).is_ok() || sent)
        })
    }
}
