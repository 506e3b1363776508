//! Interaction callbacks and the interaction webhook (follow-ups, `@original`), with Discord's
//! rules: one initial response, within 3 seconds, of a type the interaction allows; the token
//! then works for 15 minutes.

use serde_json::{Value, json};

use super::{
    Reply, Sent, check_edit_body, check_message_body, edit_message, message_json, parse_id,
    store_message,
};
use crate::api::Callback;
use crate::rules::{self, Problems};
use crate::state::{OpenModal, Shared, TOKEN_LIFETIME, World};

const UNKNOWN_WEBHOOK: Reply = Reply::Error(404, 10015, "Unknown Webhook");
const UNKNOWN_MESSAGE: Reply = Reply::Error(404, 10008, "Unknown Message");
const UNKNOWN_INTERACTION: Reply = Reply::Error(404, 10062, "Unknown interaction");

/// The callback types Discord accepts for an interaction type (2 command, 3 component,
/// 4 autocomplete, 5 modal submit); a modal submit may update the message (6, 7) only when
/// the modal was opened from one of its components.
fn allowed(interaction: u64, from_message: bool) -> &'static [u64] {
    match (interaction, from_message) {
        (2, _) => &[4, 5, 9],
        (3, _) => &[4, 5, 6, 7, 9],
        (4, _) => &[8],
        (5, true) => &[4, 5, 6, 7],
        (5, false) => &[4, 5],
        _ => &[],
    }
}

/// `POST /interactions/{id}/{token}/callback`: once per interaction.
pub(crate) fn callback(shared: &Shared, id: &str, token: &str, sent: Sent<'_>) -> Reply {
    let (body, files) = (sent.json, sent.files);
    shared.with(|w| {
        let Some(id) =
            parse_id(id).filter(|id| w.interactions.get(id).is_some_and(|i| i.token == token))
        else {
            return UNKNOWN_INTERACTION;
        };
        let Some(state) = w.interactions.get(&id).cloned() else { return UNKNOWN_INTERACTION };
        if state.callback.is_some() {
            return Reply::Error(400, 40060, "Interaction has already been acknowledged.");
        }
        if w.interaction_deadline.is_some_and(|d| w.since(state.dispatched_on_clock) > d) {
            // The user has seen "The application did not respond" by now.
            if let Some(i) = w.interactions.get_mut(&id) {
                i.timed_out = true;
            }
            return UNKNOWN_INTERACTION;
        }
        let kind = body.get("type").and_then(Value::as_u64).unwrap_or(0);
        let data = body.get("data").cloned().unwrap_or(Value::Null);
        let from_message = state.source_message.is_some();
        if !allowed(state.kind, from_message).contains(&kind) {
            let mut problems = Problems::default();
            let message = format!(
                "Callback type {kind} is not valid for an interaction of type {}",
                state.kind
            );
            problems.add(&["type".to_owned()], "INTERACTION_CALLBACK_TYPE_INVALID", message);
            return Reply::Invalid(problems.into_body().unwrap_or(Value::Null));
        }
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
            7 => {
                if let Some(invalid) = check_edit_body(&data) {
                    return invalid;
                }
                if let Some(source) = state.source_message {
                    edit_message(w, source, &data, files);
                }
            }
            8 => {
                let mut problems = Problems::default();
                rules::check_choices(&mut problems, &data, &["data".to_owned()]);
                if let Some(body) = problems.into_body() {
                    return Reply::Invalid(body);
                }
            }
            9 => {
                let mut problems = Problems::default();
                rules::check_modal(&mut problems, &data, &["data".to_owned()]);
                if let Some(body) = problems.into_body() {
                    return Reply::Invalid(body);
                }
                open_modal(w, id, state.user, &data);
            }
            _ => {}
        }
        let received_at = std::time::Instant::now();
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

/// Remembers a modal the user now sees (a second one with the same id replaces it).
fn open_modal(w: &mut World, interaction: u64, user: u64, data: &Value) {
    let custom_id = data.get("custom_id").and_then(Value::as_str).unwrap_or_default().to_owned();
    let rows = data.get("components").and_then(Value::as_array).into_iter().flatten();
    let inputs = rows
        .filter_map(|row| row.get("components")?.as_array()?.first()?.get("custom_id")?.as_str())
        .map(str::to_owned)
        .collect();
    w.open_modals.retain(|m| !(m.user == user && m.custom_id == custom_id));
    w.open_modals.push(OpenModal { user, custom_id, opened_by: interaction, inputs });
}

/// The acknowledged interaction a webhook token belongs to, while the token lives (15 minutes
/// of the fake's clock from the interaction).
fn acknowledged(shared: &Shared, w: &World, app_id: &str, token: &str) -> Option<u64> {
    if parse_id(app_id) != Some(shared.application_id) {
        return None;
    }
    w.interactions
        .iter()
        .find(|(_, i)| i.token == token && i.callback.is_some())
        .filter(|(_, i)| w.since(i.dispatched_on_clock) <= TOKEN_LIFETIME)
        .map(|(id, _)| *id)
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
                if let Some(invalid) = check_edit_body(sent.json) {
                    return invalid;
                }
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
