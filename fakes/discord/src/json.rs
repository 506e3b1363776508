//! Discord's JSON objects (users, members, roles, channels, guilds, messages, commands), built
//! from the fake's world in the shape serenity 0.12 deserializes.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::api::{Attachment, Message, RegisteredCommand};
use crate::state::{Channel, ChannelKind, Guild, Role, User, World};

/// Discord's ISO 8601 timestamps.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, false)
}

/// A snowflake as Discord sends it: a string.
pub(crate) fn id(id: u64) -> Value {
    Value::String(id.to_string())
}

/// A user object.
pub(crate) fn user(user: &User) -> Value {
    json!({
        "id": id(user.id),
        "username": user.name,
        "discriminator": "0",
        "global_name": user.name,
        "avatar": null,
        "bot": user.bot,
        "public_flags": 0,
    })
}

/// A user object for an id, even one the fake never saw.
pub(crate) fn user_by_id(world: &World, user_id: u64) -> Value {
    match world.users.get(&user_id) {
        Some(u) => user(u),
        None => json!({ "id": id(user_id), "username": format!("user{user_id}"),
                        "discriminator": "0", "global_name": null, "avatar": null }),
    }
}

/// `resolved` for the user options (type 6) among `options`, subcommands' included: each user,
/// and their member object without `user` when they are in `guild`. `None` without any.
pub(crate) fn resolved_users(
    world: &World,
    guild: Option<&Guild>,
    options: &Value,
) -> Option<Value> {
    fn user_ids(options: &Value, found: &mut Vec<u64>) {
        for option in options.as_array().into_iter().flatten() {
            match option.get("type").and_then(Value::as_u64) {
                Some(6) => found.extend(crate::rest::json_id(option.get("value"))),
                Some(1 | 2) => user_ids(option.get("options").unwrap_or(&Value::Null), found),
                _ => {}
            }
        }
    }
    let mut ids = Vec::new();
    user_ids(options, &mut ids);
    if ids.is_empty() {
        return None;
    }
    let (mut users, mut members) = (serde_json::Map::new(), serde_json::Map::new());
    for user_id in ids {
        users.insert(user_id.to_string(), user_by_id(world, user_id));
        if let Some(guild) = guild.filter(|g| g.members.contains_key(&user_id)) {
            let mut partial = member(world, guild, user_id, true);
            if let Some(fields) = partial.as_object_mut() {
                fields.remove("user");
            }
            members.insert(user_id.to_string(), partial);
        }
    }
    Some(json!({ "users": users, "members": members }))
}

/// A role object.
pub(crate) fn role(role: &Role) -> Value {
    json!({
        "id": id(role.id),
        "name": role.name,
        "color": 0,
        "colors": { "primary_color": 0, "secondary_color": null, "tertiary_color": null },
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": role.position,
        "permissions": role.permissions.to_string(),
        "managed": false,
        "mentionable": false,
        "flags": 0,
    })
}

/// A guild member object; `permissions` is only sent inside interactions.
pub(crate) fn member(world: &World, guild: &Guild, user_id: u64, with_permissions: bool) -> Value {
    let m = guild.members.get(&user_id);
    let mut value = json!({
        "user": user_by_id(world, user_id),
        "nick": null,
        "avatar": null,
        "banner": null,
        "roles": m.map(|m| m.roles.iter().map(|r| id(*r)).collect::<Vec<_>>()).unwrap_or_default(),
        "joined_at": timestamp(m.map_or(guild.joined_at, |m| m.joined_at)),
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
    });
    if with_permissions {
        value["permissions"] = Value::String(guild.permissions_of(user_id).to_string());
    }
    value
}

/// A channel object: guild text channel, DM or thread.
pub(crate) fn channel(world: &World, channel: &Channel) -> Value {
    match channel.kind {
        ChannelKind::Dm { recipient } => json!({
            "id": id(channel.id),
            "type": 1,
            "last_message_id": null,
            "flags": 0,
            "recipients": [user_by_id(world, recipient)],
        }),
        ChannelKind::Text => json!({
            "id": id(channel.id),
            "type": 0,
            "guild_id": channel.guild_id.map(id),
            "name": channel.name,
            "position": channel.position,
            "permission_overwrites": [],
            "nsfw": false,
            "topic": null,
            "parent_id": null,
            "last_message_id": null,
            "rate_limit_per_user": 0,
            "flags": 0,
        }),
        ChannelKind::Thread { parent, private } => {
            let owner = if channel.owner_id == 0 { world_bot_id(world) } else { channel.owner_id };
            let mut value = json!({
                "id": id(channel.id),
                "type": if private { 12 } else { 11 },
                "guild_id": channel.guild_id.map(id),
                "parent_id": id(parent),
                "owner_id": id(owner),
                "name": channel.name,
                "last_message_id": null,
                "rate_limit_per_user": 0,
                "message_count": 0,
                "member_count": channel.members.len(),
                "total_message_sent": 0,
                "flags": 0,
                "thread_metadata": {
                    "archived": channel.archived,
                    "auto_archive_duration": channel.auto_archive_minutes,
                    "archive_timestamp": timestamp(channel.created_at),
                    "locked": channel.locked,
                    "create_timestamp": timestamp(channel.created_at),
                },
            });
            if private {
                value["thread_metadata"]["invitable"] = json!(channel.invitable);
            }
            value
        }
    }
}

/// The bot is the one user flagged `bot` (the fake adds it first).
fn world_bot_id(world: &World) -> u64 {
    world.users.values().find(|u| u.bot).map_or(0, |u| u.id)
}

/// The partial channel sent inside an interaction.
pub(crate) fn partial_channel(world: &World, channel: &Channel, app_permissions: u64) -> Value {
    let mut value = self::channel(world, channel);
    value["permissions"] = Value::String(app_permissions.to_string());
    value
}

/// A whole guild, as in GUILD_CREATE.
pub(crate) fn guild(world: &World, guild: &Guild) -> Value {
    let channels: Vec<Value> = world
        .channels
        .values()
        .filter(|c| c.guild_id == Some(guild.id) && c.kind == ChannelKind::Text)
        .map(|c| channel(world, c))
        .collect();
    let threads: Vec<Value> = world
        .channels
        .values()
        .filter(|c| c.guild_id == Some(guild.id) && matches!(c.kind, ChannelKind::Thread { .. }))
        .map(|c| channel(world, c))
        .collect();
    let members: Vec<Value> =
        guild.members.keys().map(|user_id| member(world, guild, *user_id, false)).collect();
    let mut value = json!({
        "id": id(guild.id),
        "name": guild.name,
        "icon": null, "icon_hash": null, "splash": null, "discovery_splash": null,
        "owner_id": id(guild.owner_id),
        "afk_channel_id": null, "afk_timeout": 300,
        "widget_enabled": false, "widget_channel_id": null,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": guild.roles.iter().map(role).collect::<Vec<_>>(),
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null, "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null, "max_members": 500_000,
        "vanity_url_code": null, "description": null, "banner": null,
    });
    let create_fields = json!({
        "premium_tier": 0, "premium_subscription_count": 0,
        "preferred_locale": guild.locale,
        "public_updates_channel_id": null,
        "max_video_channel_users": 25, "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "joined_at": timestamp(guild.joined_at),
        "large": false,
        "unavailable": false,
        "member_count": members.len(),
        "voice_states": [],
        "members": members,
        "channels": channels,
        "threads": threads,
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    });
    if let (Some(all), Value::Object(extra)) = (value.as_object_mut(), create_fields) {
        all.extend(extra);
    }
    value
}

/// A message object, authored by the bot.
pub(crate) fn message(world: &World, bot: u64, app_id: u64, message: &Message) -> Value {
    let mut value = json!({
        "id": id(message.id),
        "channel_id": id(message.channel_id),
        "author": user_by_id(world, bot),
        "content": message.content,
        "timestamp": timestamp(message.timestamp),
        "edited_timestamp": message.edited.map(timestamp),
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": message.attachments.iter().map(|a| attachment(message.channel_id, a)).collect::<Vec<_>>(),
        "embeds": message.embeds,
        "components": message.components,
        "pinned": false,
        "type": if message.interaction_id.is_some() { 20 } else { 0 },
        "flags": message.flags,
    });
    if let Some(guild_id) = message.guild_id {
        value["guild_id"] = id(guild_id);
    }
    if message.interaction_id.is_some() {
        value["application_id"] = id(app_id);
        value["webhook_id"] = id(app_id);
    }
    value
}

/// An attachment object as Discord returns it (its URLs name nothing the fake serves).
fn attachment(channel_id: u64, a: &Attachment) -> Value {
    let url =
        format!("https://cdn.discordapp.com/attachments/{channel_id}/{}/{}", a.id, a.filename);
    json!({
        "id": id(a.id),
        "filename": a.filename,
        "size": a.bytes.len(),
        "url": url,
        "proxy_url": url,
        "content_type": a.content_type,
    })
}

/// An application command object as Discord returns it.
pub(crate) fn command(app_id: u64, version: u64, cmd: &RegisteredCommand) -> Value {
    let mut value = cmd.body.clone();
    if !value.is_object() {
        value = json!({});
    }
    value["id"] = id(cmd.id);
    value["application_id"] = id(app_id);
    value["version"] = id(version);
    if let Some(guild_id) = cmd.guild_id {
        value["guild_id"] = id(guild_id);
    }
    for (key, default) in [("type", json!(1)), ("description", json!("")), ("nsfw", json!(false))] {
        if value.get(key).is_none_or(Value::is_null) {
            value[key] = default;
        }
    }
    if value.get("options").is_none_or(Value::is_null) {
        value["options"] = json!([]);
    }
    value
}
