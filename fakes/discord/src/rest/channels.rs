//! Channels, messages and DMs (threads are in `threads.rs`).

use serde_json::Value;

use super::threads::bot_sees;
use super::{
    Reply, Sent, check_edit_body, check_message_body, edit_message, json_id, message_json,
    parse_id, store_message,
};
use crate::json;
use crate::state::{ChannelKind, Shared};

const UNKNOWN_CHANNEL: Reply = Reply::Error(404, 10003, "Unknown Channel");
const UNKNOWN_MESSAGE: Reply = Reply::Error(404, 10008, "Unknown Message");
const MISSING_ACCESS: Reply = Reply::Error(403, 50001, "Missing Access");

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
        if !c.bot_may_post || !bot_sees(w, c, shared.bot_user_id) {
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
                if let Some(invalid) = check_edit_body(sent.json) {
                    return invalid;
                }
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
