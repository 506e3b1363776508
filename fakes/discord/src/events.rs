//! Gateway events other than interactions that a user's actions cause: messages they type,
//! members joining and leaving, the bot being removed from a guild or a guild's outage. Each is
//! sent only if the bot asked for its intent.

use chrono::Utc;
use serde_json::json;

use crate::FakeDiscord;
use crate::api::{Member, Origin};
use crate::error::FakeError;
use crate::json;
use crate::state::{World, intents};

impl FakeDiscord {
    /// A user types `content` (MESSAGE_CREATE). Needs the `GUILD_MESSAGES` or `DIRECT_MESSAGES`
    /// intent; in a guild the content is blanked unless the bot has `MESSAGE_CONTENT` or is
    /// mentioned, as on Discord. Returns the message id (the fake does not store users'
    /// messages).
    pub fn user_message(&self, origin: Origin, user: u64, content: &str) -> Result<u64, FakeError> {
        let bot = self.bot_user_id();
        self.shared.with(|w| {
            let (channel_id, guild_id) = match origin {
                Origin::Dm => (w.dm_channel_for(user), None),
                Origin::Guild { guild_id, channel_id } => (channel_id, Some(guild_id)),
            };
            let needed =
                if guild_id.is_some() { intents::GUILD_MESSAGES } else { intents::DIRECT_MESSAGES };
            subscribed(w, guild_id, needed, "GUILD_MESSAGES or DIRECT_MESSAGES")?;
            let readable = guild_id.is_none()
                || session_intents(w, guild_id) & intents::MESSAGE_CONTENT != 0
                || content.contains(&format!("<@{bot}>"));
            let id = w.next_id();
            let mut message = json!({
                "id": json::id(id),
                "channel_id": json::id(channel_id),
                "author": json::user_by_id(w, user),
                "content": if readable { content } else { "" },
                "timestamp": json::timestamp(Utc::now()),
                "edited_timestamp": null,
                "tts": false,
                "mention_everyone": false,
                "mentions": [],
                "mention_roles": [],
                "attachments": [],
                "embeds": [],
                "components": [],
                "pinned": false,
                "type": 0,
                "flags": 0,
            });
            if let Some(guild) = guild_id.and_then(|g| w.guilds.get(&g)) {
                let mut member = json::member(w, guild, user, false);
                if let Some(fields) = member.as_object_mut() {
                    fields.remove("user");
                }
                message["guild_id"] = json::id(guild.id);
                message["member"] = member;
            }
            w.dispatch("MESSAGE_CREATE", message).then_some(id).ok_or(FakeError::NotConnected)
        })
    }

    /// A member joins the guild (added, then GUILD_MEMBER_ADD if the bot has `GUILD_MEMBERS`).
    pub fn member_joins(&self, guild: u64, member: Member) -> Result<(), FakeError> {
        let user_id = member.user_id;
        self.add_member(guild, member);
        self.shared.with(|w| {
            subscribed(w, Some(guild), intents::GUILD_MEMBERS, "GUILD_MEMBERS")?;
            let g = w
                .guilds
                .get(&guild)
                .ok_or_else(|| FakeError::UnknownPlace(format!("guild {guild}")))?;
            let mut value = json::member(w, g, user_id, false);
            value["guild_id"] = json::id(guild);
            w.dispatch("GUILD_MEMBER_ADD", value).then_some(()).ok_or(FakeError::NotConnected)
        })
    }

    /// A member leaves the guild (removed, then GUILD_MEMBER_REMOVE if the bot has
    /// `GUILD_MEMBERS`).
    pub fn member_leaves(&self, guild: u64, user: u64) -> Result<(), FakeError> {
        self.shared.with(|w| {
            let g = w
                .guilds
                .get_mut(&guild)
                .ok_or_else(|| FakeError::UnknownPlace(format!("guild {guild}")))?;
            g.members.remove(&user);
            subscribed(w, Some(guild), intents::GUILD_MEMBERS, "GUILD_MEMBERS")?;
            let value = json!({ "guild_id": json::id(guild), "user": json::user_by_id(w, user) });
            w.dispatch("GUILD_MEMBER_REMOVE", value).then_some(()).ok_or(FakeError::NotConnected)
        })
    }
}

impl FakeDiscord {
    /// The bot is removed from a guild (kicked, or the guild deleted): the guild is gone from
    /// the fake, and GUILD_DELETE is sent with no `unavailable` field (needs `GUILDS`), as
    /// Discord does.
    pub fn remove_bot(&self, guild: u64) -> Result<(), FakeError> {
        self.shared.with(|w| {
            subscribed(w, Some(guild), intents::GUILDS, "GUILDS")?;
            w.guilds
                .remove(&guild)
                .ok_or_else(|| FakeError::UnknownPlace(format!("guild {guild}")))?;
            let value = json!({ "id": json::id(guild) });
            w.dispatch("GUILD_DELETE", value).then_some(()).ok_or(FakeError::NotConnected)
        })
    }

    /// A guild becomes unavailable (an outage on Discord's side): GUILD_DELETE with
    /// `unavailable: true` (needs `GUILDS`). The guild and the bot's place in it stay.
    pub fn guild_outage(&self, guild: u64) -> Result<(), FakeError> {
        self.shared.with(|w| {
            subscribed(w, Some(guild), intents::GUILDS, "GUILDS")?;
            if !w.guilds.contains_key(&guild) {
                return Err(FakeError::UnknownPlace(format!("guild {guild}")));
            }
            let value = json!({ "id": json::id(guild), "unavailable": true });
            w.dispatch("GUILD_DELETE", value).then_some(()).ok_or(FakeError::NotConnected)
        })
    }
}

/// Whether a session serves `guild` (`None`: DMs) and asked for `bits` (any of them).
fn subscribed(w: &World, guild: Option<u64>, bits: u64, name: &str) -> Result<(), FakeError> {
    if !w.served(guild) {
        return Err(FakeError::NotConnected);
    }
    if session_intents(w, guild) & bits == 0 {
        return Err(FakeError::NotSubscribed(name.to_owned()));
    }
    Ok(())
}

/// The intents of the sessions that serve `guild` (`None`: DMs), together.
fn session_intents(w: &World, guild: Option<u64>) -> u64 {
    let serving = w.gateway.sessions.iter().filter(|s| s.serves(guild));
    serving.fold(0, |bits, s| bits | s.intents)
}
