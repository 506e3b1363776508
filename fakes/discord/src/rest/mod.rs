//! The REST API: authentication, injected rate limits, recording, and routing to handlers.

mod app;
mod channels;
mod interactions;
mod multipart;
mod threads;

use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use chrono::Utc;
use serde_json::{Value, json};
use tracing::debug;

use crate::api::{Message, RecordedRequest};
use crate::rules;
use crate::state::{Shared, World};
use multipart::Upload;

/// Discord's answer to a body it cannot read.
pub(crate) const INVALID_FORM: Reply = Reply::Error(400, 50035, "Invalid Form Body");

/// A request's body: its JSON (a multipart request's `payload_json`) and its files.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sent<'a> {
    pub(crate) json: &'a Value,
    pub(crate) files: &'a [Upload],
}

/// What a handler answers.
#[derive(Debug)]
pub(crate) enum Reply {
    /// A JSON body with this status.
    Json(u16, Value),
    /// 204 No Content.
    NoContent,
    /// A Discord JSON error: status, code, message.
    Error(u16, u64, &'static str),
    /// 400 Invalid Form Body (code 50035) with Discord's `errors` object: the whole body.
    Invalid(Value),
    /// 429 with this `retry_after` in seconds.
    RateLimited(f64),
    /// No such route (404, recorded as unknown).
    Unknown,
}

impl Reply {
    fn status(&self) -> u16 {
        match self {
            Self::Json(status, _) | Self::Error(status, _, _) => *status,
            Self::Invalid(_) => 400,
            Self::NoContent => 204,
            Self::RateLimited(_) => 429,
            Self::Unknown => 404,
        }
    }
}

/// Every request that is not the websocket ends here.
pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let at = Instant::now();
    let path = uri.path().to_owned();
    let decoded = multipart::decode(&headers, &body);
    let malformed = decoded.is_err();
    let (body, files) = decoded.unwrap_or((Value::Null, Vec::new()));
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let reply = match segments.as_slice() {
        ["api", version, _, ..] if version.starts_with('v') && malformed => INVALID_FORM,
        ["api", version, route @ ..] if version.starts_with('v') => {
            let request = Sent { json: &body, files: &files };
            answer(&shared, &method, route, uri.query().unwrap_or(""), &headers, request)
        }
        _ => Reply::Unknown,
    };
    debug!(%method, %path, status = reply.status(), "fake discord request");
    let record = RecordedRequest {
        method: method.to_string(),
        path,
        query: uri.query().map(str::to_owned),
        body,
        status: reply.status(),
        known_route: !matches!(reply, Reply::Unknown),
        at,
    };
    shared.with(|w| w.requests.push(record));
    respond(reply)
}

fn answer(
    shared: &Shared,
    method: &Method,
    route: &[&str],
    query: &str,
    headers: &HeaderMap,
    sent: Sent<'_>,
) -> Reply {
    // Interaction callbacks and webhooks are authorised by their token, not the bot's.
    let by_token = matches!(route.first(), Some(&("interactions" | "webhooks")));
    let token = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let authorised = token.is_some_and(|s| s.strip_prefix("Bot ").unwrap_or(s) == shared.token);
    if !by_token && !authorised {
        return Reply::Error(401, 0, "401: Unauthorized");
    }
    let path = route.join("/");
    let limited = shared.with(|w| {
        let rule = w.rate_limits.iter_mut().find(|r| {
            r.remaining > 0
                && r.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method.as_str()))
                && path.contains(&r.path_contains)
        })?;
        rule.remaining -= 1;
        Some(rule.retry_after)
    });
    if let Some(retry_after) = limited {
        return Reply::RateLimited(retry_after);
    }
    route_to(shared, method.as_str(), route, query, sent)
}

fn route_to(shared: &Shared, method: &str, route: &[&str], query: &str, sent: Sent<'_>) -> Reply {
    let body = sent.json;
    match (method, route) {
        ("GET", ["gateway"]) => app::gateway(shared, false),
        ("GET", ["gateway", "bot"]) => app::gateway(shared, true),
        ("GET", ["users", "@me"]) => app::current_user(shared),
        ("GET", ["users", user]) => app::user(shared, user),
        ("GET", ["oauth2", "applications", "@me"] | ["applications", "@me"]) => {
            app::application(shared)
        }
        (m @ ("GET" | "PUT" | "POST"), ["applications", app_id, "commands"]) => {
            app::commands(shared, m, app_id, None, body)
        }
        (m @ ("GET" | "PUT" | "POST"), ["applications", app_id, "guilds", guild, "commands"]) => {
            app::commands(shared, m, app_id, Some(guild), body)
        }
        (m @ ("GET" | "DELETE"), ["applications", app_id, "commands", command]) => {
            app::command(shared, m, app_id, None, command)
        }
        (
            m @ ("GET" | "DELETE"),
            ["applications", app_id, "guilds", guild, "commands", command],
        ) => app::command(shared, m, app_id, Some(guild), command),
        ("GET", ["guilds", guild]) => app::guild(shared, guild),
        ("GET", ["guilds", guild, "members", "search"]) => {
            app::search_members(shared, guild, query)
        }
        ("GET", ["guilds", guild, "members", user]) => app::member(shared, guild, user),
        ("GET", ["guilds", guild, "roles"]) => app::roles(shared, guild),
        ("GET", ["guilds", guild, "channels"]) => channels::guild_channels(shared, guild),
        ("GET", ["channels", channel]) => channels::get(shared, channel),
        ("PATCH", ["channels", channel]) => threads::modify(shared, channel, body),
        ("POST", ["channels", channel, "typing"]) => channels::typing(shared, channel),
        (m @ ("PUT" | "DELETE"), ["channels", thread, "thread-members", user]) => {
            threads::member(shared, m, thread, user)
        }
        ("POST", ["channels", channel, "messages"]) => channels::post(shared, channel, sent),
        (m @ ("GET" | "PATCH" | "DELETE"), ["channels", channel, "messages", message]) => {
            channels::message(shared, m, channel, message, sent)
        }
        ("POST", ["channels", channel, "threads"]) => threads::create(shared, channel, None, body),
        ("POST", ["channels", channel, "messages", message, "threads"]) => {
            threads::create(shared, channel, Some(message), body)
        }
        ("POST", ["users", "@me", "channels"]) => channels::open_dm(shared, body),
        ("POST", ["interactions", id, token, "callback"]) => {
            interactions::callback(shared, id, token, sent)
        }
        ("POST", ["webhooks", app_id, token]) => {
            interactions::followup(shared, app_id, token, sent)
        }
        (m @ ("GET" | "PATCH" | "DELETE"), ["webhooks", app_id, token, "messages", message]) => {
            interactions::webhook_message(shared, m, app_id, token, message, sent)
        }
        _ => Reply::Unknown,
    }
}

fn respond(reply: Reply) -> Response {
    let (status, body, retry) = match reply {
        Reply::Json(status, value) => (status, Some(value), None),
        Reply::Invalid(body) => (400, Some(body), None),
        Reply::NoContent => (204, None, None),
        Reply::Error(status, code, message) => {
            (status, Some(json!({ "code": code, "message": message })), None)
        }
        Reply::RateLimited(retry_after) => (
            429,
            Some(json!({
                "message": "You are being rate limited.",
                "retry_after": retry_after,
                "global": false,
            })),
            Some(retry_after),
        ),
        Reply::Unknown => (404, Some(json!({ "message": "404: Not Found", "code": 0 })), None),
    };
    let mut response = match body {
        Some(value) => {
            let mut r = Response::new(Body::from(value.to_string()));
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            r
        }
        None => Response::new(Body::empty()),
    };
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    if let Some(retry_after) = retry {
        let headers = response.headers_mut();
        let reset = Utc::now().timestamp_millis() as f64 / 1000.0 + retry_after;
        for (name, value) in [
            ("retry-after", format!("{}", retry_after.ceil())),
            ("x-ratelimit-limit", "5".to_owned()),
            ("x-ratelimit-remaining", "0".to_owned()),
            ("x-ratelimit-reset", format!("{reset:.3}")),
            ("x-ratelimit-reset-after", format!("{retry_after:.3}")),
            ("x-ratelimit-bucket", "fake-bucket".to_owned()),
            ("x-ratelimit-scope", "user".to_owned()),
        ] {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
    }
    response
}

/// A snowflake from a path segment.
pub(crate) fn parse_id(segment: &str) -> Option<u64> {
    segment.parse().ok()
}

/// A snowflake from JSON, sent as a string or a number.
pub(crate) fn json_id(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::String(s) => s.parse().ok(),
        other => other.as_u64(),
    }
}

/// Discord's checks on a new message's body: not empty (a file is enough), content at most
/// 2000 characters, at most 10 files, each attachment it lists uploaded with it, and the limits
/// on components and embeds ([`crate::rules`]).
pub(crate) fn check_message_body(body: &Value, files: &[Upload]) -> Option<Reply> {
    let content = body.get("content").and_then(Value::as_str).unwrap_or_default();
    let non_empty =
        |key: &str| body.get(key).and_then(Value::as_array).is_some_and(|a| !a.is_empty());
    if files.len() > 10 {
        return Some(INVALID_FORM);
    }
    if let Some(invalid) = check_edit_body(body) {
        return Some(invalid);
    }
    // A new message's `attachments` may only name files uploaded with it.
    let listed = body.get("attachments").and_then(Value::as_array).into_iter().flatten();
    if listed
        .map(|a| json_id(a.get("id")))
        .any(|id| id.is_none_or(|id| files.iter().all(|f| f.index != id)))
    {
        return Some(INVALID_FORM);
    }
    if content.is_empty()
        && files.is_empty()
        && !non_empty("embeds")
        && !non_empty("components")
        && !non_empty("sticker_ids")
    {
        return Some(Reply::Error(400, 50006, "Cannot send an empty message"));
    }
    None
}

/// The checks an edit's body gets (what it carries is checked as in a new message; what it
/// leaves out stays): content at most 2000 characters, components and embeds within limits.
pub(crate) fn check_edit_body(body: &Value) -> Option<Reply> {
    let mut problems = rules::Problems::default();
    if body.get("content").and_then(Value::as_str).is_some_and(|c| c.chars().count() > 2000) {
        let message = "Must be 2000 or fewer in length.";
        problems.add(&["content".to_owned()], "BASE_TYPE_MAX_LENGTH", message);
    }
    if let Some(components) = body.get("components") {
        rules::check_components(&mut problems, components, &["components".to_owned()]);
    }
    if let Some(embeds) = body.get("embeds") {
        rules::check_embeds(&mut problems, embeds, &["embeds".to_owned()]);
    }
    problems.into_body().map(Reply::Invalid)
}

/// Stores a message the bot created in `channel_id`; returns its id.
pub(crate) fn store_message(
    w: &mut World,
    channel_id: u64,
    body: &Value,
    files: &[Upload],
    interaction_id: Option<u64>,
) -> u64 {
    let id = w.next_id();
    let attachments = multipart::attachments(body, files, || w.next_id());
    let guild_id = w.channels.get(&channel_id).and_then(|c| c.guild_id);
    let mut message = Message {
        id,
        channel_id,
        guild_id,
        content: String::new(),
        embeds: json!([]),
        components: json!([]),
        flags: 0,
        attachments,
        interaction_id,
        body: body.clone(),
        edits: Vec::new(),
        deleted: false,
        created_at: Instant::now(),
        timestamp: Utc::now(),
        edited: None,
    };
    message.apply(body);
    w.messages.insert(id, message);
    id
}

/// Applies an edit to a stored message. As on Discord, an `attachments` list keeps only the
/// existing attachments it names; new files are added.
pub(crate) fn edit_message(w: &mut World, id: u64, body: &Value, files: &[Upload]) {
    let added = multipart::attachments(body, files, || w.next_id());
    if let Some(message) = w.messages.get_mut(&id) {
        if let Some(keep) = body.get("attachments").and_then(Value::as_array) {
            let kept: Vec<u64> = keep.iter().filter_map(|a| json_id(a.get("id"))).collect();
            message.attachments.retain(|a| kept.contains(&a.id));
        }
        message.attachments.extend(added);
        let before = message.flags;
        message.apply(body);
        // An edit can only change whether embeds are suppressed (4); it ends "loading" (128).
        message.flags = (before & !(4 | 128)) | (message.flags & 4);
        message.edits.push(body.clone());
        message.edited = Some(Utc::now());
    }
}

/// The JSON of a stored message.
pub(crate) fn message_json(shared: &Shared, w: &World, id: u64) -> Value {
    w.messages
        .get(&id)
        .map(|m| crate::json::message(w, shared.bot_user_id, shared.application_id, m))
        .unwrap_or(Value::Null)
}
