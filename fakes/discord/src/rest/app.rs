//! Gateway discovery, the bot's own user and application, commands, members and roles.

use serde_json::{Value, json};

use super::{Reply, json_id, parse_id};
use crate::api::RegisteredCommand;
use crate::json;
use crate::rules;
use crate::state::{Shared, intents};

/// `GET /gateway` and `GET /gateway/bot`: the fake's own websocket.
pub(crate) fn gateway(shared: &Shared, bot: bool) -> Reply {
    let mut value = json!({ "url": shared.gateway_url() });
    if bot {
        value["shards"] = json!(shared.read(|w| w.gateway.recommended_shards.max(1)));
        value["session_start_limit"] =
            json!({ "total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1 });
    }
    Reply::Json(200, value)
}

/// `GET /users/@me`.
pub(crate) fn current_user(shared: &Shared) -> Reply {
    shared.read(|w| {
        let mut user = json::user_by_id(w, shared.bot_user_id);
        user["verified"] = json!(true);
        user["mfa_enabled"] = json!(false);
        user["flags"] = json!(0);
        Reply::Json(200, user)
    })
}

/// `GET /oauth2/applications/@me`.
pub(crate) fn application(shared: &Shared) -> Reply {
    shared.read(|w| {
        let bot = json::user_by_id(w, shared.bot_user_id);
        Reply::Json(
            200,
            json!({
                "id": json::id(shared.application_id),
                "name": bot["username"],
                "icon": null,
                "description": "",
                "bot_public": false,
                "bot_require_code_grant": false,
                "verify_key": "0".repeat(64),
                "owner": bot,
                "bot": bot,
                "team": null,
                "flags": 0,
            }),
        )
    })
}

/// Discord's answer when a route names another application than the bot's.
fn not_this_application(shared: &Shared, app_id: &str) -> Option<Reply> {
    (parse_id(app_id) != Some(shared.application_id)).then_some(Reply::Error(
        403,
        20012,
        "You are not authorized to perform this action on this application",
    ))
}

/// `GET`/`PUT` (bulk overwrite)/`POST` (upsert one) of global or guild commands.
pub(crate) fn commands(
    shared: &Shared,
    method: &str,
    app_id: &str,
    guild: Option<&str>,
    body: &Value,
) -> Reply {
    if let Some(refused) = not_this_application(shared, app_id) {
        return refused;
    }
    let guild_id = match guild.map(parse_id) {
        None => None,
        Some(Some(id)) if shared.read(|w| w.guilds.contains_key(&id)) => Some(id),
        Some(_) => return Reply::Error(404, 10004, "Unknown Guild"),
    };
    shared.with(|w| {
        let existing_id = |w: &crate::state::World, name: &str| {
            w.commands.iter().find(|c| c.guild_id == guild_id && c.name == name).map(|c| c.id)
        };
        let mut status = 200;
        match method {
            "PUT" => {
                // One bad command refuses the whole overwrite; nothing registered changes.
                if let Some(invalid) = rules::check_commands(body) {
                    return Reply::Invalid(invalid);
                }
                let Some(items) = body.as_array() else {
                    return Reply::Error(400, 50035, "Invalid Form Body");
                };
                let mut fresh = Vec::new();
                for item in items {
                    let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
                    let id = match existing_id(w, name) {
                        Some(id) => id,
                        None => w.next_id(),
                    };
                    fresh.push(RegisteredCommand {
                        id,
                        guild_id,
                        name: name.to_owned(),
                        body: item.clone(),
                    });
                }
                w.commands.retain(|c| c.guild_id != guild_id);
                w.commands.extend(fresh);
                w.command_version = w.next_id();
            }
            "POST" => {
                if let Some(invalid) = rules::check_command(body) {
                    return Reply::Invalid(invalid);
                }
                let name = body.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
                if name.is_empty() {
                    return Reply::Error(400, 50035, "Invalid Form Body");
                }
                let id = match existing_id(w, &name) {
                    Some(id) => id,
                    None => {
                        status = 201;
                        w.next_id()
                    }
                };
                w.commands.retain(|c| c.id != id);
                w.commands.push(RegisteredCommand {
                    id,
                    guild_id,
                    name: name.clone(),
                    body: body.clone(),
                });
                w.command_version = w.next_id();
                let created = w.commands.iter().find(|c| c.id == id);
                let value =
                    created.map(|c| json::command(shared.application_id, w.command_version, c));
                return Reply::Json(status, value.unwrap_or(Value::Null));
            }
            _ => {}
        }
        let list: Vec<Value> = w
            .commands
            .iter()
            .filter(|c| c.guild_id == guild_id)
            .map(|c| json::command(shared.application_id, w.command_version, c))
            .collect();
        Reply::Json(status, Value::Array(list))
    })
}

/// `GET`/`DELETE` of one command.
pub(crate) fn command(
    shared: &Shared,
    method: &str,
    app_id: &str,
    guild: Option<&str>,
    command: &str,
) -> Reply {
    if let Some(refused) = not_this_application(shared, app_id) {
        return refused;
    }
    let scope = match guild.map(parse_id) {
        None => None,
        Some(Some(guild_id)) => Some(guild_id),
        Some(None) => return Reply::Error(404, 10004, "Unknown Guild"),
    };
    let id = parse_id(command);
    shared.with(|w| {
        let found = w.commands.iter().position(|c| Some(c.id) == id && c.guild_id == scope);
        let Some(index) = found else {
            return Reply::Error(404, 10063, "Unknown application command");
        };
        if method == "DELETE" {
            w.commands.remove(index);
            return Reply::NoContent;
        }
        Reply::Json(
            200,
            json::command(shared.application_id, w.command_version, &w.commands[index]),
        )
    })
}

/// `GET /guilds/{guild}`: the guild without its members and channels.
pub(crate) fn guild(shared: &Shared, guild: &str) -> Reply {
    shared.read(|w| match parse_id(guild).and_then(|id| w.guilds.get(&id)) {
        Some(g) => {
            let mut value = json::guild(w, g);
            if let Some(fields) = value.as_object_mut() {
                for key in
                    ["members", "channels", "threads", "presences", "voice_states", "joined_at"]
                {
                    fields.remove(key);
                }
            }
            Reply::Json(200, value)
        }
        None => Reply::Error(404, 10004, "Unknown Guild"),
    })
}

/// `GET /guilds/{guild}/members/{user}`.
pub(crate) fn member(shared: &Shared, guild: &str, user: &str) -> Reply {
    shared.read(|w| {
        let Some(guild) = parse_id(guild).and_then(|id| w.guilds.get(&id)) else {
            return Reply::Error(404, 10004, "Unknown Guild");
        };
        match json_id(Some(&Value::String(user.to_owned()))) {
            Some(user_id) if guild.members.contains_key(&user_id) => {
                let mut member = json::member(w, guild, user_id, false);
                member["guild_id"] = json::id(guild.id);
                Reply::Json(200, member)
            }
            _ => Reply::Error(404, 10007, "Unknown Member"),
        }
    })
}

/// `GET /guilds/{guild}/members/search?query=…&limit=…`: members whose name starts with the
/// query, ignoring case, as Discord matches usernames and nicknames. Like Discord, refused
/// (403, code 50001) unless the bot's gateway session identified with the privileged
/// `GUILD_MEMBERS` intent.
pub(crate) fn search_members(shared: &Shared, guild: &str, query: &str) -> Reply {
    if shared.read(|w| w.gateway.intents & intents::GUILD_MEMBERS == 0) {
        return Reply::Error(403, 50001, "Missing Access");
    }
    let param = |name: &str| {
        query.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('=')).map(decode)
    };
    let Some(wanted) = param("query").map(|q| q.to_lowercase()) else {
        return Reply::Error(400, 50035, "Invalid Form Body");
    };
    let limit = param("limit").and_then(|l| l.parse().ok()).unwrap_or(1_usize);
    shared.read(|w| {
        let Some(guild) = parse_id(guild).and_then(|id| w.guilds.get(&id)) else {
            return Reply::Error(404, 10004, "Unknown Guild");
        };
        let found: Vec<Value> = guild
            .members
            .keys()
            .filter(|id| {
                w.users.get(id).is_some_and(|u| u.name.to_lowercase().starts_with(&wanted))
            })
            .take(limit)
            .map(|&id| {
                let mut member = json::member(w, guild, id, false);
                member["guild_id"] = json::id(guild.id);
                member
            })
            .collect();
        Reply::Json(200, Value::Array(found))
    })
}

/// Percent-decoding of a query value (`%20`, `+`), enough for names.
fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match value.get(i + 1..i + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `GET /guilds/{guild}/roles`.
pub(crate) fn roles(shared: &Shared, guild: &str) -> Reply {
    shared.read(|w| match parse_id(guild).and_then(|id| w.guilds.get(&id)) {
        Some(guild) => Reply::Json(200, guild.roles.iter().map(json::role).collect()),
        None => Reply::Error(404, 10004, "Unknown Guild"),
    })
}

/// `GET /users/{user}`.
pub(crate) fn user(shared: &Shared, user: &str) -> Reply {
    shared.read(|w| match parse_id(user).and_then(|id| w.users.get(&id)) {
        Some(u) => Reply::Json(200, json::user(u)),
        None => Reply::Error(404, 10013, "Unknown User"),
    })
}
