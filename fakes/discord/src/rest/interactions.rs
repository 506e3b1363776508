//! Interaction callbacks and the interaction webhook (follow-ups, `@original`).

use std::time::Instant;

use serde_json::{Value, json};

use super::{Reply, Sent, check_message_body, edit_message, message_json, parse_id, store_message};
use crate::api::Callback;
use crate::state::{Shared, World};

const UNKNOWN_WEBHOOK: Reply = Reply::Error(404, 10015, "Unknown Webhook");
const UNKNOWN_MESSAGE: Reply = Reply::Error(404, 10008, "Unknown Message");

/// `POST /interactions/{id}/{token}/callback`: once per interaction.
pub(crate) fn callback(shared: &Shared, id: &str, token: &str, sent: Sent<'_>) -> Reply {
    let (body, files) = (sent.json, sent.files);
    shared.with(|w| {
        let Some(id) =
            parse_id(id).filter(|id| w.interactions.get(id).is_some_and(|i| i.token == token))
        else {
            return Reply::Error(404, 10062, "Unknown interaction");
        };
        let Some(state) = w.interactions.get(&id).cloned() else {
            return Reply::Error(404, 10062, "Unknown interaction");
        };
        if state.callback.is_some() {
            return Reply::Error(400, 40060, "Interaction has already been acknowledged.");
        }
        if w.interaction_deadline.is_some_and(|d| state.dispatched_at.elapsed() > d) {
            return Reply::Error(404, 10062, "Unknown interaction");
        }
        let kind = body.get("type").and_then(Value::as_u64).unwrap_or(0);
        let data = body.get("data").cloned().unwrap_or(Value::Null);
        let mut original = None;
        match kind {
            4 => {
                if let Some(invalid) = check_message_body(&data, files) {
                    return invalid;
                }
                original = Some(store_message(w, state.channel_id, &data, files, Some(id)));
            }
            5 => {
                let ephemeral = data.get("flags").and_then(Value::as_u64).unwrap_or(0) & 64;
                let placeholder = json!({ "content": "", "flags": ephemeral | 128 });
                original = Some(store_message(w, state.channel_id, &placeholder, &[], Some(id)));
            }
            7 => match state.source_message {
                Some(source) => edit_message(w, source, &data, files),
                None => {
                    return Reply::Error(400, 40004, "Interaction is not a component interaction");
                }
            },
            6 | 9 => {}
            _ => return Reply::Error(400, 50035, "Invalid Form Body"),
        }
        let received_at = Instant::now();
        if let Some(i) = w.interactions.get_mut(&id) {
            i.callback = Some(Callback {
                kind,
                body: body.clone(),
                received_at,
                latency: received_at.saturating_duration_since(i.dispatched_at),
            });
            i.original_message = original;
        }
        Reply::NoContent
    })
}

/// The acknowledged interaction a webhook token belongs to.
fn acknowledged(shared: &Shared, w: &World, app_id: &str, token: &str) -> Option<u64> {
    if parse_id(app_id) != Some(shared.application_id) {
        return None;
    }
    w.interactions.iter().find(|(_, i)| i.token == token && i.callback.is_some()).map(|(id, _)| *id)
}

/// `POST /webhooks/{app}/{token}`: a follow-up message.
pub(crate) fn followup(shared: &Shared, app_id: &str, token: &str, sent: Sent<'_>) -> Reply {
    let (body, files) = (sent.json, sent.files);
    shared.with(|w| {
        let Some(id) = acknowledged(shared, w, app_id, token) else { return UNKNOWN_WEBHOOK };
        if let Some(invalid) = check_message_body(body, files) {
            return invalid;
        }
        let Some(channel_id) = w.interactions.get(&id).map(|i| i.channel_id) else {
            return UNKNOWN_WEBHOOK;
        };
        let message = store_message(w, channel_id, body, files, Some(id));
        if let Some(i) = w.interactions.get_mut(&id) {
            i.followups.push(message);
        }
        Reply::Json(200, message_json(shared, w, message))
    })
}

/// `GET`/`PATCH`/`DELETE /webhooks/{app}/{token}/messages/{@original | id}`.
pub(crate) fn webhook_message(
    shared: &Shared,
    method: &str,
    app_id: &str,
    token: &str,
    message: &str,
    sent: Sent<'_>,
) -> Reply {
    shared.with(|w| {
        let Some(id) = acknowledged(shared, w, app_id, token) else { return UNKNOWN_WEBHOOK };
        let Some(state) = w.interactions.get(&id) else { return UNKNOWN_WEBHOOK };
        let target = if message == "@original" {
            // After a deferred update (6) or update (7), @original is the component's message.
            let updates = state.callback.as_ref().is_some_and(|c| matches!(c.kind, 6 | 7));
            state.original_message.or(if updates { state.source_message } else { None })
        } else {
            parse_id(message).filter(|m| state.followups.contains(m))
        };
        let Some(target) = target.filter(|m| w.messages.get(m).is_some_and(|m| !m.deleted)) else {
            return UNKNOWN_MESSAGE;
        };
        match method {
            "PATCH" => {
                edit_message(w, target, sent.json, sent.files);
                Reply::Json(200, message_json(shared, w, target))
            }
            "DELETE" => {
                if let Some(m) = w.messages.get_mut(&target) {
                    m.deleted = true;
                }
                Reply::NoContent
            }
            _ => Reply::Json(200, message_json(shared, w, target)),
        }
    })
}
