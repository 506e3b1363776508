//! Threads: creating them, who is in them, and changing them, with Discord's rules for private
//! threads — a private thread is seen only by its members and moderators (`MANAGE_THREADS`),
//! and while it is not `invitable` only moderators may add people to it.

use serde_json::Value;

use super::{Reply, parse_id};
use crate::json;
use crate::state::{Channel, ChannelKind, Shared, World};

const UNKNOWN_CHANNEL: Reply = Reply::Error(404, 10003, "Unknown Channel");
const UNKNOWN_MESSAGE: Reply = Reply::Error(404, 10008, "Unknown Message");
const MISSING_ACCESS: Reply = Reply::Error(403, 50001, "Missing Access");
const MISSING_PERMISSIONS: Reply = Reply::Error(403, 50013, "Missing Permissions");
const INVALID_FORM: Reply = Reply::Error(400, 50035, "Invalid Form Body");
const ARCHIVED: Reply =
    Reply::Error(400, 50083, "Operation cannot be performed on an archived thread");
const NOT_A_THREAD: Reply = Reply::Error(400, 50024, "Cannot execute action on this channel type");

/// Whether the bot can see into a channel: a private thread only while it is a member, unless
/// it is a moderator (`MANAGE_THREADS`, see `FakeDiscord::set_bot_manage_threads`).
pub(crate) fn bot_sees(w: &World, channel: &Channel, bot: u64) -> bool {
    !matches!(channel.kind, ChannelKind::Thread { private: true, .. })
        || w.bot_manage_threads
        || channel.members.contains(&bot)
}

/// `POST /channels/{channel}/threads` and `POST /channels/{channel}/messages/{message}/threads`:
/// a name of 1–100 characters; `type` 11 (public) or 12 (private, the default without a
/// message); `auto_archive_duration` one of 60, 1440, 4320 or 10080 minutes; `invitable`
/// (private threads only, default true).
pub(crate) fn create(shared: &Shared, channel: &str, message: Option<&str>, body: &Value) -> Reply {
    shared.with(|w| {
        let Some(parent) = parse_id(channel).and_then(|id| w.channels.get(&id)).cloned() else {
            return UNKNOWN_CHANNEL;
        };
        if parent.kind != ChannelKind::Text {
            return NOT_A_THREAD;
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
        let invitable = match body.get("invitable") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(invitable)) => *invitable,
            Some(_) => return INVALID_FORM,
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
        // `invitable` means something only for private threads; Discord ignores it otherwise.
        thread.invitable = !private || invitable;
        thread.owner_id = shared.bot_user_id;
        // Whoever creates a thread is its first member.
        thread.members.push(shared.bot_user_id);
        let value = json::channel(w, &thread);
        w.channels.insert(id, thread);
        Reply::Json(201, value)
    })
}

/// `PATCH /channels/{channel}`: rename; for threads also `archived`, `locked` and (private
/// threads only) `invitable`. Changing `invitable` takes being the thread's creator or a
/// moderator.
pub(crate) fn modify(shared: &Shared, channel: &str, body: &Value) -> Reply {
    shared.with(|w| {
        let moderator = w.bot_manage_threads;
        let Some(c) = parse_id(channel).and_then(|id| w.channels.get_mut(&id)) else {
            return UNKNOWN_CHANNEL;
        };
        let invitable = match body.get("invitable") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => return INVALID_FORM,
        };
        if let Some(invitable) = invitable {
            if !matches!(c.kind, ChannelKind::Thread { private: true, .. }) {
                return INVALID_FORM;
            }
            if c.owner_id != shared.bot_user_id && !moderator {
                return MISSING_PERMISSIONS;
            }
            c.invitable = invitable;
        }
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

/// `PUT`/`DELETE /channels/{thread}/thread-members/{user}`, where `user` may be `@me` (the bot
/// joining or leaving).
///
/// Adding someone, as Discord documents it: the thread must not be archived; the bot must see
/// the thread and may send messages in its channel; in a private thread that is not
/// `invitable`, only a moderator (`MANAGE_THREADS`) adds others. The user must be a member of
/// the guild (404 code 10007 otherwise; an unknown user is 10013), and a user the test refused
/// (`FakeDiscord::refuse_thread_member`) gets 403 code 50001. Removing someone else takes
/// `MANAGE_THREADS`, or having created the private thread.
pub(crate) fn member(shared: &Shared, method: &str, thread: &str, user: &str) -> Reply {
    let bot = shared.bot_user_id;
    let user = match user {
        "@me" => Some(bot),
        id => parse_id(id),
    };
    shared.with(|w| {
        let Some(user) = user.filter(|id| w.users.contains_key(id)) else {
            return Reply::Error(404, 10013, "Unknown User");
        };
        let Some(c) = parse_id(thread).and_then(|id| w.channels.get(&id)) else {
            return UNKNOWN_CHANNEL;
        };
        let ChannelKind::Thread { parent, private } = c.kind else { return NOT_A_THREAD };
        if !bot_sees(w, c, bot) {
            return MISSING_ACCESS;
        }
        let moderator = w.bot_manage_threads;
        let id = c.id;
        if method == "DELETE" {
            if user != bot && !moderator && !(private && c.owner_id == bot) {
                return MISSING_PERMISSIONS;
            }
        } else {
            if c.archived {
                return ARCHIVED;
            }
            if !w.channels.get(&parent).is_some_and(|p| p.bot_may_post) {
                return MISSING_PERMISSIONS;
            }
            if user != bot && private && !c.invitable && !moderator {
                return MISSING_PERMISSIONS;
            }
            let in_guild = c
                .guild_id
                .and_then(|g| w.guilds.get(&g))
                .is_some_and(|g| g.members.contains_key(&user) || g.owner_id == user);
            if !in_guild {
                return Reply::Error(404, 10007, "Unknown Member");
            }
            if w.thread_member_refused.contains(&user) {
                return MISSING_ACCESS;
            }
        }
        let Some(c) = w.channels.get_mut(&id) else { return UNKNOWN_CHANNEL };
        c.members.retain(|m| *m != user);
        if method == "PUT" {
            c.members.push(user);
        }
        Reply::NoContent
    })
}
