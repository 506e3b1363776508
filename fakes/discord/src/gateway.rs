//! The gateway websocket: HELLO, IDENTIFY → READY + GUILD_CREATE (for the guilds of the
//! session's shard), heartbeats, RESUME with replay, and plain JSON text frames (serenity also
//! accepts uncompressed frames).

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tracing::debug;

use crate::json;
use crate::shards::{self, MAX_GUILDS_PER_SHARD, SHARDING_REQUIRED};
use crate::state::{ConnCmd, Session, Shared, World, intents};

/// How long a held connection waits before the fake gives up on it.
const HOLD_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// `GET /ws`: upgrades and serves one gateway connection.
pub(crate) async fn upgrade(State(shared): State<Arc<Shared>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| serve(shared, socket, false))
}

/// `GET /ws-resume`: the `resume_gateway_url` READY names; the same gateway, counted apart so
/// a test can tell where a client resumes.
pub(crate) async fn upgrade_resume(
    State(shared): State<Arc<Shared>>,
    ws: WebSocketUpgrade,
) -> Response {
    ws.on_upgrade(move |socket| serve(shared, socket, true))
}

async fn serve(shared: Arc<Shared>, mut socket: WebSocket, at_resume_url: bool) {
    // A test may hold new connections back (say nothing, not even HELLO) for a while.
    let released = shared.wait_for(HOLD_LIMIT, "released connections", |w| {
        (!w.gateway.hold_connections).then_some(())
    });
    if released.await.is_err() {
        return;
    }
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (conn_id, interval) = shared.with(|w| {
        w.gateway.connections += 1;
        if at_resume_url {
            w.gateway.resume_url_connections += 1;
        }
        (u64::from(w.gateway.connections), w.gateway.heartbeat_interval_ms)
    });
    let hello = json!({ "op": 10, "s": null, "t": null, "d": { "heartbeat_interval": interval } });
    if socket.send(WsMessage::Text(hello.to_string().into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            frame = socket.recv() => match frame {
                Some(Ok(WsMessage::Text(text))) => {
                    if let Some(reply) = handle_frame(&shared, conn_id, &tx, text.as_str()) {
                        let closing = matches!(reply, WsMessage::Close(_));
                        // After a close frame Discord ends the connection.
                        if socket.send(reply).await.is_err() || closing {
                            break;
                        }
                    }
                }
                Some(Ok(WsMessage::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
            cmd = rx.recv() => match cmd {
                Some(ConnCmd::Send(frame)) => {
                    if socket.send(WsMessage::Text(frame.into())).await.is_err() {
                        break;
                    }
                }
                Some(ConnCmd::Close(code)) => {
                    let frame = CloseFrame { code, reason: "fake-discord".into() };
                    let _ = socket.send(WsMessage::Close(Some(frame))).await;
                    break;
                }
                Some(ConnCmd::Drop) | None => break,
            },
        }
    }
    debug!(conn_id, "gateway connection ended");
    shared.with(|w| {
        for session in &mut w.gateway.sessions {
            if session.conn.as_ref().is_some_and(|(id, _)| *id == conn_id) {
                session.conn = None;
            }
        }
    });
}

/// Handles one client frame; returns a frame to send back directly (heartbeat ACK, close).
fn handle_frame(
    shared: &Shared,
    conn_id: u64,
    tx: &mpsc::UnboundedSender<ConnCmd>,
    text: &str,
) -> Option<WsMessage> {
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        return Some(close(4002, "decode error"));
    };
    let data = frame.get("d").cloned().unwrap_or(Value::Null);
    match frame.get("op").and_then(Value::as_u64) {
        Some(1) => {
            shared.with(|w| w.gateway.heartbeats += 1);
            Some(WsMessage::Text(json!({ "op": 11 }).to_string().into()))
        }
        Some(2) => {
            if !token_ok(shared, &data) {
                return Some(close(4004, "authentication failed"));
            }
            shared.with(|w| identify(shared, w, conn_id, tx.clone(), data))
        }
        Some(6) => {
            if !token_ok(shared, &data) {
                return Some(close(4004, "authentication failed"));
            }
            shared.with(|w| resume(w, conn_id, tx.clone(), &data));
            None
        }
        // Presence updates, member chunk requests, voice: accepted and ignored.
        Some(_) => None,
        None => Some(close(4002, "decode error")),
    }
}

fn close(code: u16, reason: &'static str) -> WsMessage {
    debug!(code, reason, "gateway connection closed by the fake");
    WsMessage::Close(Some(CloseFrame { code, reason: reason.into() }))
}

fn token_ok(shared: &Shared, data: &Value) -> bool {
    let sent = data.get("token").and_then(Value::as_str).unwrap_or_default();
    sent.strip_prefix("Bot ").unwrap_or(sent) == shared.token
}

/// IDENTIFY: a new session for the shard asked for, READY, then a GUILD_CREATE per guild of
/// that shard; or a close frame for a shard Discord would refuse.
fn identify(
    shared: &Shared,
    w: &mut World,
    conn_id: u64,
    tx: mpsc::UnboundedSender<ConnCmd>,
    data: Value,
) -> Option<WsMessage> {
    w.gateway.identifies += 1;
    let shard = match shards::identify_shard(&data) {
        Ok(shard) => shard,
        Err(code) => {
            w.gateway.identified.push((shards::asked(&data), Some(code)));
            return Some(close(code, "invalid shard"));
        }
    };
    let guild_ids = w.guilds_of(shard);
    let limit = match w.gateway.max_guilds_per_shard {
        0 => MAX_GUILDS_PER_SHARD,
        n => n,
    };
    if guild_ids.len() > limit {
        w.gateway.identified.push((shard, Some(SHARDING_REQUIRED)));
        return Some(close(SHARDING_REQUIRED, "sharding required"));
    }
    w.gateway.identified.push((shard, None));
    // A new IDENTIFY replaces this connection's old session and any session of the same shard
    // left without a connection: Discord would let those time out, and what they held is lost.
    w.gateway.sessions.retain(|s| match &s.conn {
        Some((id, _)) => *id != conn_id,
        None => s.shard != shard,
    });
    let session_id = format!("fake-session-{}", w.next_id());
    let session_intents = data.get("intents").and_then(Value::as_u64).unwrap_or(0);
    w.gateway.sessions.push(Session {
        id: session_id.clone(),
        seq: 0,
        frames: Vec::new(),
        shard,
        intents: session_intents,
        conn: Some((conn_id, tx)),
    });
    let index = w.gateway.sessions.len() - 1;
    let mut bot = w.users.get(&shared.bot_user_id).map(json::user).unwrap_or_default();
    bot["verified"] = json!(true);
    bot["mfa_enabled"] = json!(false);
    let guilds: Vec<Value> =
        guild_ids.iter().map(|g| json!({ "id": json::id(*g), "unavailable": true })).collect();
    let mut ready = json!({
        "v": 10,
        "user": bot,
        "guilds": guilds,
        "session_id": session_id,
        "resume_gateway_url": shared.resume_gateway_url(),
        "private_channels": [],
        "relationships": [],
        "application": { "id": json::id(shared.application_id), "flags": 0 },
    });
    if data.get("shard").is_some() {
        ready["shard"] = json!(shard);
    }
    w.gateway.intents = session_intents;
    w.gateway.last_identify = Some(redact_token(data));
    w.send_in(index, "READY", ready, None);
    if session_intents & intents::GUILDS == 0 {
        return None;
    }
    for id in guild_ids {
        if let Some(guild) = w.guilds.get(&id).map(|g| json::guild(w, g)) {
            w.send_in(index, "GUILD_CREATE", guild, Some(id));
        }
    }
    None
}

/// RESUME: replays what the client missed, then RESUMED; an unknown session is invalid.
fn resume(w: &mut World, conn_id: u64, tx: mpsc::UnboundedSender<ConnCmd>, data: &Value) {
    let wanted = data.get("session_id").and_then(Value::as_str).unwrap_or_default();
    let seen = data.get("seq").and_then(Value::as_u64).unwrap_or(0);
    if w.gateway.refuse_resumes {
        // Discord lost the session: what was dispatched meanwhile is gone with it.
        w.gateway.sessions.retain(|s| s.id != wanted);
    }
    let Some(index) = w.gateway.sessions.iter().position(|s| s.id == wanted) else {
        let _ = tx.send(ConnCmd::Send(json!({ "op": 9, "d": false }).to_string()));
        return;
    };
    let session = &mut w.gateway.sessions[index];
    for (_, frame) in session.frames.iter().filter(|(seq, _)| *seq > seen) {
        let _ = tx.send(ConnCmd::Send(frame.clone()));
    }
    session.conn = Some((conn_id, tx));
    w.gateway.resumes += 1;
    w.send_in(index, "RESUMED", json!({}), None);
}

fn redact_token(mut data: Value) -> Value {
    if data.get("token").is_some() {
        data["token"] = json!("<redacted>");
    }
    data
}
