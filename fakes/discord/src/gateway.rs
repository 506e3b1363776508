//! The gateway websocket: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME with
//! replay, and plain JSON text frames (serenity also accepts uncompressed frames).

use std::sync::Arc;

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tracing::debug;

use crate::json;
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
                    if let Some(reply) = handle_frame(&shared, conn_id, &tx, text.as_str())
                        && socket.send(reply).await.is_err()
                    {
                        break;
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
        if w.gateway.conn.as_ref().is_some_and(|(id, _)| *id == conn_id) {
            w.gateway.conn = None;
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
            shared.with(|w| identify(shared, w, conn_id, tx.clone(), data));
            None
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
    WsMessage::Close(Some(CloseFrame { code, reason: reason.into() }))
}

fn token_ok(shared: &Shared, data: &Value) -> bool {
    let sent = data.get("token").and_then(Value::as_str).unwrap_or_default();
    sent.strip_prefix("Bot ").unwrap_or(sent) == shared.token
}

/// IDENTIFY: a new session, READY, then a GUILD_CREATE per guild.
fn identify(
    shared: &Shared,
    w: &mut World,
    conn_id: u64,
    tx: mpsc::UnboundedSender<ConnCmd>,
    data: Value,
) {
    w.gateway.identifies += 1;
    let session_id = format!("fake-session-{}", w.next_id());
    w.gateway.session = Some(Session { id: session_id.clone(), seq: 0, frames: Vec::new() });
    w.gateway.conn = Some((conn_id, tx));
    let mut bot = w.users.get(&shared.bot_user_id).map(json::user).unwrap_or_default();
    bot["verified"] = json!(true);
    bot["mfa_enabled"] = json!(false);
    let guilds: Vec<Value> =
        w.guilds.keys().map(|g| json!({ "id": json::id(*g), "unavailable": true })).collect();
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
    if let Some(shard) = data.get("shard") {
        ready["shard"] = shard.clone();
    }
    w.gateway.intents = data.get("intents").and_then(Value::as_u64).unwrap_or(0);
    w.gateway.last_identify = Some(redact_token(data));
    w.dispatch("READY", ready);
    if w.gateway.intents & intents::GUILDS == 0 {
        return;
    }
    let guilds: Vec<Value> = w.guilds.values().map(|g| json::guild(w, g)).collect();
    for guild in guilds {
        w.dispatch("GUILD_CREATE", guild);
    }
}

/// RESUME: replays what the client missed, then RESUMED; an unknown session is invalid.
fn resume(w: &mut World, conn_id: u64, tx: mpsc::UnboundedSender<ConnCmd>, data: &Value) {
    let wanted = data.get("session_id").and_then(Value::as_str).unwrap_or_default();
    let seen = data.get("seq").and_then(Value::as_u64).unwrap_or(0);
    let known = w.gateway.session.as_ref().is_some_and(|s| s.id == wanted);
    if w.gateway.refuse_resumes && known {
        // Discord lost the session: what was dispatched meanwhile is gone with it.
        w.gateway.session = None;
    }
    let Some(session) = w.gateway.session.as_ref().filter(|s| s.id == wanted) else {
        let _ = tx.send(ConnCmd::Send(json!({ "op": 9, "d": false }).to_string()));
        return;
    };
    for (_, frame) in session.frames.iter().filter(|(seq, _)| *seq > seen) {
        let _ = tx.send(ConnCmd::Send(frame.clone()));
    }
    w.gateway.resumes += 1;
    w.gateway.conn = Some((conn_id, tx));
    w.dispatch("RESUMED", json!({}));
}

fn redact_token(mut data: Value) -> Value {
    if data.get("token").is_some() {
        data["token"] = json!("<redacted>");
    }
    data
}
