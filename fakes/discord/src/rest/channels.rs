//! Channels, messages, threads and DMs.

use serde_json::Value;

use super::{
    Reply, Sent, check_message_body, edit_message, json_id, message_json, parse_id, store_message,
};
use crate::json;
use crate::state::{Channel, ChannelKind, Shared};

const UNKNOWN_CHANNEL: Reply = Reply::Error(404, 10003, "Unknown Channel");
const UNKNOWN_MESSAGE: Reply = Reply::Error(404, 10008, "Unknown Message");
const MISSING_ACCESS: Reply = Reply::Error(403, 50001, "Missing Access");
const INVALID_FORM: Reply = Reply::Error(400, 50035, "Invalid Form Body");

/// `GET /channels/{channel}`.
pub(crate) fn get(shared: &Shared, channel: &str) -> Reply {
    shared.read(|w| match parse_id(channel).and_then(|id| w.channels.get(&id)) {
        Some(c) => Reply::Json(200, json::channel(w, c)),
        None => UNKNOWN_CHANNEL,
    })
}

/// `GET /guilds/{guild}/channels`.
pub(crate) fn guild_channels(shared: &Shared, guild: &str) -> Reply {
    shared.read(|w| {
        let Some(guild_id) = parse_id(guild).filter(|id| w.guilds.contains_key(id)) else {
            return Reply::Error(404, 10004, "Unknown Guild");
        };
        let list = w
            .channels
            .values()
            .filter(|c| c.guild_id == Some(guild_id) && c.kind == ChannelKind::Text)
            .map(|c| json::channel(w, c))
            .collect();
        Reply::Json(200, list)
    })
}

/// `POST /channels/{channel}/messages`.
pub(crate) fn post(shared: &Shared, channel: &str, sent: Sent<'_>) -> Reply {
    let body = sent.json;
    shared.with(|w| {
        let Some(c) = parse_id(channel).and_then(|id| w.channels.get(&id)) else {
            return UNKNOWN_CHANNEL;
        };
        let channel_id = c.id;
        if let ChannelKind::Dm { recipient } = c.kind
            && w.users.get(&recipient).is_some_and(|u| u.dms_closed)
        {
            return Reply::Error(403, 50007, "Cannot send messages to this user");
        }
        if !c.bot_may_post || !bot_sees(c, shared.bot_user_id) {
            return MISSING_ACCESS;
        }
        if c.archived && c.locked {
            return Reply::Error(400, 50083, "Operation cannot be performed on an archived thread");
        }
        if let Some(invalid) = check_message_body(body, sent.files) {
            return invalid;
        }
        if let Some(thread) = w.channels.get_mut(&channel_id) {
            // Sending to an archived, unlocked thread unarchives it.
            thread.archived = false;
        }
        let id = store_message(w, channel_id, body, sent.files, None);
        Reply::Json(200, message_json(shared, w, id))
    })
}

/// `GET`/`PATCH`/`DELETE /channels/{channel}/messages/{message}`.
pub(crate) fn message(
    shared: &Shared,
    method: &str,
    channel: &str,
    message: &str,
    sent: Sent<'_>,
) -> Reply {
    shared.with(|w| {
        let Some(channel_id) = parse_id(channel).filter(|id| w.channels.contains_key(id)) else {
            return UNKNOWN_CHANNEL;
        };
        let found = parse_id(message)
            .and_then(|id| w.messages.get(&id))
            // Ephemeral messages exist only through the interaction webhook.
            .filter(|m| m.channel_id == channel_id && !m.deleted && !m.is_ephemeral())
            .map(|m| m.id);
        let Some(id) = found else { return UNKNOWN_MESSAGE };
        match method {
            "PATCH" => {
                edit_message(w, id, sent.json, sent.files);
                Reply::Json(200, message_json(shared, w, id))
            }
            "DELETE" => {
                if let Some(m) = w.messages.get_mut(&id) {
                    m.deleted = true;
                }
                Reply::NoContent
            }
            _ => Reply::Json(200, message_json(shared, w, id)),
        }
    })
}

/// `POST /channels/{channel}/threads` and `POST /channels/{channel}/messages/{message}/threads`:
/// a name of 1–100 characters; `type` 11 (public) or 12 (private, the default without a
/// message); `auto_archive_duration` one of 60, 1440, 4320 or 10080 minutes.
pub(crate) fn thread(shared: &Shared, channel: &str, message: Option<&str>, body: &Value) -> Reply {
    shared.with(|w| {
        let Some(parent) = parse_id(channel).and_then(|id| w.channels.get(&id)).cloned() else {
            return UNKNOWN_CHANNEL;
        };
        if parent.kind != ChannelKind::Text {
            return Reply::Error(400, 50024, "Cannot execute action on this channel type");
        }
        if !parent.bot_may_post {
            return MISSING_ACCESS;
        }
        let name = body.get("name").and_then(Value::as_str).unwrap_or_default();
        if name.is_empty() || name.chars().count() > 100 {
            return INVALID_FORM;
        }
        let auto_archive_minutes = match body.get("auto_archive_duration") {
            None | Some(Value::Null) => 1440,
            Some(minutes) => match minutes.as_u64() {
                Some(m @ (60 | 1440 | 4320 | 10080)) => m,
                _ => return INVALID_FORM,
            },
        };
        let (id, private) = match message {
            Some(message) => {
                let found = parse_id(message)
                    .and_then(|id| w.messages.get(&id))
                    .filter(|m| m.channel_id == parent.id && !m.deleted)
                    .map(|m| m.id);
                let Some(id) = found else { return UNKNOWN_MESSAGE };
                if w.channels.contains_key(&id) {
                    return Reply::Error(
                        400,
                        160004,
                        "A thread has already been created for this message",
                    );
                }
                (id, false)
            }
            // Without a message, API v10 makes a private thread unless told otherwise.
            None => match body.get("type").map(Value::as_u64) {
                None | Some(Some(12)) => (w.next_id(), true),
                Some(Some(11)) => (w.next_id(), false),
                Some(_) => return INVALID_FORM,
            },
        };
        let kind = ChannelKind::Thread { parent: parent.id, private };
        let mut thread = Channel::new(id, kind, parent.guild_id, name);
        thread.auto_archive_minutes = auto_archive_minutes;
        // Whoever creates a thread is its first member.
        thread.members.push(shared.bot_user_id);
        let value = json::channel(w, &thread);
        w.channels.insert(id, thread);
        Reply::Json(201, value)
    })
}

/// `POST /users/@me/channels`: the DM channel with `recipient_id` (the same one every time).
pub(crate) fn open_dm(shared: &Shared, body: &Value) -> Reply {
    let Some(user) = json_id(body.get("recipient_id")) else {
        return Reply::Error(400, 50035, "Invalid Form Body");
    };
    shared.with(|w| {
        let id = w.dm_channel_for(user);
        match w.channels.get(&id) {
            Some(c) => Reply::Json(200, json::channel(w, c)),
            None => UNKNOWN_CHANNEL,
        }
    })
}

/// `POST /channels/{channel}/typing`.
pub(crate) fn typing(shared: &Shared, channel: &str) -> Reply {
    shared.read(|w| match parse_id(channel).and_then(|id| w.channels.get(&id)) {
        Some(c) if c.bot_may_post => Reply::NoContent,
        Some(_) => MISSING_ACCESS,
        None => UNKNOWN_CHANNEL,
    })
}

/// `PATCH /channels/{channel}`: rename; for threads also `archived` and `locked`.
pub(crate) fn modify(shared: &Shared, channel: &str, body: &Value) -> Reply {
    shared.with(|w| {
        let Some(c) = parse_id(channel).and_then(|id| w.channels.get_mut(&id)) else {
            return UNKNOWN_CHANNEL;
        };
        if let Some(name) = body.get("name").and_then(Value::as_str) {
            name.clone_into(&mut c.name);
        }
        if matches!(c.kind, ChannelKind::Thread { .. }) {
            if let Some(archived) = body.get("archived").and_then(Value::as_bool) {
                c.archived = archived;
            }
            if let Some(locked) = body.get("locked").and_then(Value::as_bool) {
                c.locked = locked;
            }
        }
        let c = c.clone();
        Reply::Json(200, json::channel(w, &c))
    })
}

/// `PUT`/`DELETE /channels/{thread}/thread-members/{user}`, where `user` may be `@me` (the
/// bot joining or leaving). Adding someone to a private thread takes being in it; a user the
/// fake does not know is 404 code 10013.
pub(crate) fn thread_member(shared: &Shared, method: &str, thread: &str, user: &str) -> Reply {
    let user = match user {
        "@me" => Some(shared.bot_user_id),
        id => parse_id(id),
    };
    shared.with(|w| {
        let Some(user) = user.filter(|id| w.users.contains_key(id)) else {
            return Reply::Error(404, 10013, "Unknown User");
        };
        let Some(c) = parse_id(thread).and_then(|id| w.channels.get_mut(&id)) else {
            return UNKNOWN_CHANNEL;
        };
        if !matches!(c.kind, ChannelKind::Thread { .. }) {
            return Reply::Error(400, 50024, "Cannot execute action on this channel type");
        }
        if !bot_sees(c, shared.bot_user_id) {
            return MISSING_ACCESS;
        }
        c.members.retain(|m| *m != user);
        if method == "PUT" {
            c.members.push(user);
        }
        Reply::NoContent
    })
}

/// Whether the bot can see into a channel: a private thread only while it is a member (the
/// fake's bot has no Manage Threads).
fn bot_sees(channel: &Channel, bot: u64) -> bool {
    !matches!(channel.kind, ChannelKind::Thread { private: true, .. })
        || channel.members.contains(&bot)
}
