//! Reading back what the bot did: requests, messages, commands, threads, gateway counters, and
//! waiting for them with timeouts.

use std::time::Duration;

use serde_json::Value;

use crate::FakeDiscord;
use crate::api::{Message, RecordedRequest, RegisteredCommand};
use crate::error::FakeError;
use crate::state::ChannelKind;

/// Gateway counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GatewayStats {
    /// Websocket connections opened.
    pub connections: u32,
    /// IDENTIFYs received.
    pub identifies: u32,
    /// Successful RESUMEs.
    pub resumes: u32,
    /// Heartbeats received.
    pub heartbeats: u32,
    /// Whether a connection is live and attached to a session (any shard's).
    pub connected: bool,
    /// The last sequence number dispatched in the newest session (0 if none).
    pub seq: u64,
    /// Connections opened at READY's `resume_gateway_url` (serenity 0.12.5 never uses it).
    pub resume_url_connections: u32,
}

/// A thread the bot created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    /// The thread's channel id (the starter message's id for a thread from a message).
    pub id: u64,
    /// The channel it was created in.
    pub parent_id: u64,
    /// Its name.
    pub name: String,
    /// Whether it is a private thread.
    pub private: bool,
    /// Whether it is archived.
    pub archived: bool,
    /// Whether it is locked.
    pub locked: bool,
    /// Who is in it, in the order they joined: the bot from creating it until it leaves
    /// (`DELETE /channels/{thread}/thread-members/@me`), and users it added
    /// (`PUT /channels/{thread}/thread-members/{user}`).
    pub members: Vec<u64>,
    /// Minutes of inactivity after which Discord archives it.
    pub auto_archive_duration: u64,
    /// Whether members who are not moderators may add others (always true for a public
    /// thread; a private thread's `invitable`).
    pub invitable: bool,
}

impl FakeDiscord {
    /// Every HTTP request received, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.read(|w| w.requests.clone())
    }

    /// Requests to routes the fake does not know (tests should expect none).
    pub fn unknown_routes(&self) -> Vec<RecordedRequest> {
        self.shared.read(|w| w.requests.iter().filter(|r| !r.known_route).cloned().collect())
    }

    /// Requests whose body (or callback `data`) has `allowed_mentions` that could ping someone:
    /// anything but empty `parse`, `users` and `roles` lists and no `replied_user`.
    pub fn mention_risks(&self) -> Vec<RecordedRequest> {
        self.shared.read(|w| {
            w.requests
                .iter()
                .filter(|r| {
                    let direct = r.body.get("allowed_mentions");
                    let nested = r.body.get("data").and_then(|d| d.get("allowed_mentions"));
                    direct.into_iter().chain(nested).any(|m| !mentions_nobody(m))
                })
                .cloned()
                .collect()
        })
    }

    /// Messages the bot has in a channel, oldest first: posts, interaction responses and
    /// follow-ups (ephemeral ones too: see [`Message::is_ephemeral`]), and deleted ones with
    /// `deleted` set.
    pub fn messages_in(&self, channel: u64) -> Vec<Message> {
        self.shared
            .read(|w| w.messages.values().filter(|m| m.channel_id == channel).cloned().collect())
    }

    /// Messages in the bot's DM channel with `user`, oldest first.
    pub fn dm_messages_to(&self, user: u64) -> Vec<Message> {
        match self.dm_channel_of(user) {
            Some(channel) => self.messages_in(channel),
            None => Vec::new(),
        }
    }

    /// One stored message.
    pub fn message(&self, id: u64) -> Option<Message> {
        self.shared.read(|w| w.messages.get(&id).cloned())
    }

    /// The DM channel the bot opened with `user`, if any.
    pub fn dm_channel_of(&self, user: u64) -> Option<u64> {
        self.shared.read(|w| {
            w.channels
                .values()
                .find(|c| c.kind == ChannelKind::Dm { recipient: user })
                .map(|c| c.id)
        })
    }

    /// Threads the bot created, oldest first.
    pub fn threads(&self) -> Vec<Thread> {
        self.shared.read(|w| {
            w.channels
                .values()
                .filter_map(|c| match c.kind {
                    ChannelKind::Thread { parent, private } => Some(Thread {
                        id: c.id,
                        parent_id: parent,
                        name: c.name.clone(),
                        private,
                        archived: c.archived,
                        locked: c.locked,
                        members: c.members.clone(),
                        auto_archive_duration: c.auto_archive_minutes,
                        invitable: c.invitable,
                    }),
                    _ => None,
                })
                .collect()
        })
    }

    /// Threads the bot created in `parent`, oldest first; their messages are
    /// [`FakeDiscord::messages_in`] the thread's id.
    pub fn threads_in(&self, parent: u64) -> Vec<Thread> {
        self.threads().into_iter().filter(|t| t.parent_id == parent).collect()
    }

    /// Who is in a thread now (see [`Thread::members`]); empty for anything else.
    pub fn thread_members(&self, thread: u64) -> Vec<u64> {
        self.threads().into_iter().find(|t| t.id == thread).map(|t| t.members).unwrap_or_default()
    }

    /// Whether the thread lets members who are not moderators add others; `None` if there is
    /// no such thread.
    pub fn thread_invitable(&self, thread: u64) -> Option<bool> {
        self.threads().into_iter().find(|t| t.id == thread).map(|t| t.invitable)
    }

    /// Registered application commands, global and per guild.
    pub fn commands(&self) -> Vec<RegisteredCommand> {
        self.shared.read(|w| w.commands.clone())
    }

    /// Gateway counters.
    pub fn gateway_stats(&self) -> GatewayStats {
        self.shared.read(|w| GatewayStats {
            connections: w.gateway.connections,
            identifies: w.gateway.identifies,
            resumes: w.gateway.resumes,
            heartbeats: w.gateway.heartbeats,
            connected: w.gateway.sessions.iter().any(|s| s.conn.is_some()),
            seq: w.gateway.sessions.last().map_or(0, |s| s.seq),
            resume_url_connections: w.gateway.resume_url_connections,
        })
    }

    /// Every dispatch frame (`{"op": 0, "s", "t", "d"}`) sent in the current sessions, in
    /// order, session after session (one session unless the bot shards; see
    /// [`FakeDiscord::dispatch_log`] for which shard got what).
    pub fn dispatched(&self) -> Vec<Value> {
        self.shared.read(|w| {
            let frames = w.gateway.sessions.iter().flat_map(|s| s.frames.iter());
            frames.filter_map(|(_, frame)| serde_json::from_str(frame).ok()).collect()
        })
    }

    /// The last IDENTIFY payload, token redacted.
    pub fn last_identify(&self) -> Option<Value> {
        self.shared.read(|w| w.gateway.last_identify.clone())
    }

    /// Waits until a connection is live in a session (after IDENTIFY or RESUME; any shard's:
    /// see [`FakeDiscord::wait_until_shards_connected`]).
    pub async fn wait_until_connected(&self, timeout: Duration) -> Result<GatewayStats, FakeError> {
        self.wait_until(timeout, "a live gateway session", |d| {
            let stats = d.gateway_stats();
            stats.connected.then_some(stats)
        })
        .await
    }

    /// Waits until `count` messages (not deleted) are in `channel`; returns them.
    pub async fn wait_for_messages_in(
        &self,
        channel: u64,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<Message>, FakeError> {
        let what = format!("{count} message(s) in channel {channel}");
        self.wait_until(timeout, &what, |d| {
            let live: Vec<Message> =
                d.messages_in(channel).into_iter().filter(|m| !m.deleted).collect();
            (live.len() >= count).then_some(live)
        })
        .await
    }

    /// Waits until `count` messages are in the DM with `user`; returns them.
    pub async fn wait_for_dms_to(
        &self,
        user: u64,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<Message>, FakeError> {
        let what = format!("{count} DM(s) to user {user}");
        self.wait_until(timeout, &what, |d| {
            let dms = d.dm_messages_to(user);
            (dms.len() >= count).then_some(dms)
        })
        .await
    }

    /// Waits until `check` finds something, re-checking whenever the fake's state changes.
    pub async fn wait_until<T>(
        &self,
        timeout: Duration,
        what: &str,
        mut check: impl FnMut(&FakeDiscord) -> Option<T>,
    ) -> Result<T, FakeError> {
        let mut changes = self.shared.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(found) = check(self) {
                return Ok(found);
            }
            if !matches!(tokio::time::timeout_at(deadline, changes.changed()).await, Ok(Ok(()))) {
                return check(self).ok_or_else(|| FakeError::Timeout(what.to_owned()));
            }
        }
    }
}

/// `allowed_mentions` that pings nobody: every list empty, no `replied_user`.
fn mentions_nobody(mentions: &Value) -> bool {
    let empty =
        |key: &str| mentions.get(key).is_none_or(|v| v.as_array().is_some_and(Vec::is_empty));
    empty("parse")
        && empty("users")
        && empty("roles")
        && mentions.get("replied_user").and_then(Value::as_bool) != Some(true)
}
