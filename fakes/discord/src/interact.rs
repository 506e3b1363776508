//! Injecting interactions as a user would (slash commands, buttons, selects, modals) and the
//! handle a test awaits the bot's answer with.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::FakeDiscord;
use crate::api::{Callback, Message, Origin};
use crate::error::FakeError;
use crate::json;
use crate::rest::message_json;
use crate::state::{InteractionState, Shared, World, perms};

/// How long an injection waits for the bot's gateway session to be ready.
const READY_WAIT: Duration = Duration::from_secs(20);

/// One injected interaction; await what the bot did with it.
#[derive(Debug, Clone)]
pub struct InteractionHandle {
    shared: Arc<Shared>,
    id: u64,
    token: String,
    channel_id: u64,
    guild_id: Option<u64>,
    dispatched_at: Instant,
}

impl InteractionHandle {
    /// The interaction id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The interaction token (also the follow-up webhook token).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The channel it was invoked in (the DM channel for DMs).
    pub fn channel_id(&self) -> u64 {
        self.channel_id
    }

    /// The guild, or `None` in a DM.
    pub fn guild_id(&self) -> Option<u64> {
        self.guild_id
    }

    /// When INTERACTION_CREATE was dispatched.
    pub fn dispatched_at(&self) -> Instant {
        self.dispatched_at
    }

    /// Waits for the callback (the bot's one response), up to `timeout`.
    pub async fn response(&self, timeout: Duration) -> Result<Callback, FakeError> {
        let what = format!("the response to interaction {}", self.id);
        self.shared
            .wait_for(timeout, &what, |w| w.interactions.get(&self.id)?.callback.clone())
            .await
    }

    /// The callback, if one arrived.
    pub fn callback(&self) -> Option<Callback> {
        self.shared.read(|w| w.interactions.get(&self.id)?.callback.clone())
    }

    /// The message the response created (types 4 and 5), with edits applied.
    pub fn original(&self) -> Option<Message> {
        self.shared.read(|w| {
            let id = w.interactions.get(&self.id)?.original_message?;
            w.messages.get(&id).cloned()
        })
    }

    /// Waits until `@original` has been edited (a deferred response filled in, or the
    /// component's message after a deferred update), up to `timeout`; returns the message.
    pub async fn original_edited(&self, timeout: Duration) -> Result<Message, FakeError> {
        let what = format!("an edit of interaction {}'s original message", self.id);
        self.shared
            .wait_for(timeout, &what, |w| {
                let state = w.interactions.get(&self.id)?;
                let id = state.original_message.or(state.source_message)?;
                w.messages.get(&id).filter(|m| !m.edits.is_empty()).cloned()
            })
            .await
    }

    /// The follow-up messages so far, in order.
    pub fn followups(&self) -> Vec<Message> {
        self.shared.read(|w| {
            let Some(state) = w.interactions.get(&self.id) else { return Vec::new() };
            state.followups.iter().filter_map(|id| w.messages.get(id).cloned()).collect()
        })
    }

    /// Waits for the `index`-th follow-up (0-based), up to `timeout`.
    pub async fn followup(&self, index: usize, timeout: Duration) -> Result<Message, FakeError> {
        let what = format!("follow-up {index} of interaction {}", self.id);
        self.shared
            .wait_for(timeout, &what, |w| {
                let id = w.interactions.get(&self.id)?.followups.get(index)?;
                w.messages.get(id).cloned()
            })
            .await
    }
}

/// Where an interaction happens, resolved.
struct Place {
    channel_id: u64,
    guild_id: Option<u64>,
}

impl FakeDiscord {
    /// A user runs `/name` with `options` (Discord's option objects, e.g.
    /// `json!([{"name": "mood", "type": 3, "value": "ok"}])`, or `json!([])`). The command must
    /// be registered (globally, or for the guild) and visible to the user. A user option
    /// (`{"type": 6, "value": "<user id>"}`) comes with the user, and their membership if they
    /// are in the guild, under `data.resolved`, as Discord sends it.
    pub async fn slash_command(
        &self,
        origin: Origin,
        user: u64,
        name: &str,
        options: Value,
    ) -> Result<InteractionHandle, FakeError> {
        self.inject(origin, user, move |w, place, member_perms| {
            let command = w
                .commands
                .iter()
                .find(|c| c.name == name && (c.guild_id.is_none() || c.guild_id == place.guild_id))
                .ok_or_else(|| FakeError::UnknownCommand(name.to_owned()))?;
            if place.guild_id.is_none() && !usable_in_dms(&command.body) {
                return Err(FakeError::CommandHidden(format!("/{name} is not usable in DMs")));
            }
            let required = command.body.get("default_member_permissions");
            let required = crate::rest::json_id(required).unwrap_or(0);
            let open_to_all = place
                .guild_id
                .and_then(|g| w.guilds.get(&g))
                .is_some_and(|g| g.commands_open_to_all.iter().any(|c| c == name));
            if place.guild_id.is_some() && member_perms & required != required && !open_to_all {
                return Err(FakeError::CommandHidden(format!(
                    "/{name} needs permissions {required}"
                )));
            }
            let guild = place.guild_id.and_then(|g| w.guilds.get(&g));
            let resolved = json::resolved_users(w, guild, &options);
            let mut data = json!({
                "id": json::id(command.id), "name": name, "type": 1, "options": options,
            });
            if let Some(resolved) = resolved {
                data["resolved"] = resolved;
            }
            if let Some(guild_id) = command.guild_id {
                data["guild_id"] = json::id(guild_id);
            }
            Ok((2, data, None))
        })
        .await
    }

    /// A user clicks the button `custom_id` on a message the bot sent.
    pub async fn click(
        &self,
        user: u64,
        message_id: u64,
        custom_id: &str,
    ) -> Result<InteractionHandle, FakeError> {
        self.use_component(user, message_id, custom_id, None).await
    }

    /// A user picks `values` in the select menu `custom_id` on a message the bot sent.
    pub async fn select(
        &self,
        user: u64,
        message_id: u64,
        custom_id: &str,
        values: &[&str],
    ) -> Result<InteractionHandle, FakeError> {
        self.use_component(user, message_id, custom_id, Some(values)).await
    }

    /// A user submits the modal `custom_id` with text inputs `(custom_id, value)`.
    pub async fn submit_modal(
        &self,
        origin: Origin,
        user: u64,
        custom_id: &str,
        fields: &[(&str, &str)],
    ) -> Result<InteractionHandle, FakeError> {
        let rows: Vec<Value> = fields
            .iter()
            .map(|(id, value)| {
                json!({ "type": 1, "components": [{ "type": 4, "custom_id": id, "value": value }] })
            })
            .collect();
        let data = json!({ "custom_id": custom_id, "components": rows });
        self.inject(origin, user, move |_, _, _| Ok((5, data, None))).await
    }

    async fn use_component(
        &self,
        user: u64,
        message_id: u64,
        custom_id: &str,
        values: Option<&[&str]>,
    ) -> Result<InteractionHandle, FakeError> {
        let origin = self.shared.read(|w| {
            let message = w.messages.get(&message_id).filter(|m| !m.deleted);
            let message = message.ok_or(FakeError::UnknownMessage(message_id))?;
            Ok::<_, FakeError>(match message.guild_id {
                Some(guild_id) => Origin::Guild { guild_id, channel_id: message.channel_id },
                None => Origin::Dm,
            })
        })?;
        let values: Option<Vec<String>> =
            values.map(|v| v.iter().map(|s| (*s).to_owned()).collect());
        self.inject(origin, user, move |w, place, _| {
            let message =
                w.messages.get(&message_id).ok_or(FakeError::UnknownMessage(message_id))?;
            if message.channel_id != place.channel_id {
                return Err(FakeError::UnknownMessage(message_id));
            }
            let component = message
                .component(custom_id)
                .ok_or_else(|| FakeError::UnknownComponent(custom_id.to_owned()))?;
            if component.get("disabled").and_then(Value::as_bool) == Some(true) {
                return Err(FakeError::UnknownComponent(format!("{custom_id} (disabled)")));
            }
            let mut data = json!({
                "custom_id": custom_id,
                "component_type": component.get("type").cloned().unwrap_or(json!(2)),
            });
            if let Some(values) = values {
                data["values"] = json!(values);
            }
            Ok((3, data, Some(message_id)))
        })
        .await
    }

    /// Builds and dispatches INTERACTION_CREATE once the bot's session is ready.
    async fn inject(
        &self,
        origin: Origin,
        user: u64,
        build: impl FnOnce(&World, &Place, u64) -> Result<(u64, Value, Option<u64>), FakeError>,
    ) -> Result<InteractionHandle, FakeError> {
        self.shared
            .wait_for(READY_WAIT, "the bot's gateway session", |w| {
                w.gateway.session.as_ref().map(|_| ())
            })
            .await
            .map_err(|_| FakeError::NotConnected)?;
        let shared = &self.shared;
        let handle = shared.with(|w| {
            let place = resolve(w, origin, user)?;
            let member_perms =
                place.guild_id.and_then(|g| w.guilds.get(&g)).map_or(0, |g| g.permissions_of(user));
            let (kind, data, source_message) = build(w, &place, member_perms)?;
            let id = w.next_id();
            let token = format!("fake-interaction-token-{id}-{}", w.next_id());
            let mut payload = envelope(shared, w, &place, user, kind, data);
            payload["id"] = json::id(id);
            payload["token"] = json!(token);
            if let Some(source) = source_message {
                payload["message"] = message_json(shared, w, source);
            }
            let dispatched_at = Instant::now();
            w.interactions.insert(
                id,
                InteractionState {
                    token: token.clone(),
                    channel_id: place.channel_id,
                    source_message,
                    dispatched_at,
                    callback: None,
                    original_message: None,
                    followups: Vec::new(),
                },
            );
            if !w.dispatch("INTERACTION_CREATE", payload) {
                return Err(FakeError::NotConnected);
            }
            Ok(InteractionHandle {
                shared: Arc::clone(shared),
                id,
                token,
                channel_id: place.channel_id,
                guild_id: place.guild_id,
                dispatched_at,
            })
        })?;
        Ok(handle)
    }
}

/// Whether a registered command may be used in the bot's DMs (`contexts` has 1, and
/// `dm_permission` is not false).
fn usable_in_dms(body: &Value) -> bool {
    let by_contexts = match body.get("contexts").and_then(Value::as_array) {
        Some(contexts) => contexts.iter().any(|c| c.as_u64() == Some(1)),
        None => true,
    };
    by_contexts && body.get("dm_permission").and_then(Value::as_bool) != Some(false)
}

fn resolve(w: &mut World, origin: Origin, user: u64) -> Result<Place, FakeError> {
    match origin {
        Origin::Dm => Ok(Place { channel_id: w.dm_channel_for(user), guild_id: None }),
        Origin::Guild { guild_id, channel_id } => {
            let guild = w
                .guilds
                .get(&guild_id)
                .ok_or_else(|| FakeError::UnknownPlace(format!("guild {guild_id}")))?;
            if !guild.members.contains_key(&user) && guild.owner_id != user {
                return Err(FakeError::UnknownPlace(format!("member {user} of guild {guild_id}")));
            }
            match w.channels.get(&channel_id) {
                Some(c) if c.guild_id == Some(guild_id) => {
                    Ok(Place { channel_id, guild_id: Some(guild_id) })
                }
                _ => Err(FakeError::UnknownPlace(format!(
                    "channel {channel_id} in guild {guild_id}"
                ))),
            }
        }
    }
}

/// The fields every interaction has, in Discord's shape.
fn envelope(shared: &Shared, w: &World, place: &Place, user: u64, kind: u64, data: Value) -> Value {
    let channel = w.channels.get(&place.channel_id);
    let may_post = channel.is_some_and(|c| c.bot_may_post);
    let app_permissions = if may_post { perms::BOT } else { perms::BOT & !perms::SEND_MESSAGES };
    let locale = w.users.get(&user).map_or_else(|| "en-US".to_owned(), |u| u.locale.clone());
    let mut payload = json!({
        "application_id": json::id(shared.application_id),
        "type": kind,
        "data": data,
        "channel_id": json::id(place.channel_id),
        "channel": channel.map(|c| json::partial_channel(w, c, app_permissions)),
        "version": 1,
        "app_permissions": app_permissions.to_string(),
        "locale": locale,
        "entitlements": [],
        "attachment_size_limit": 26_214_400,
    });
    match place.guild_id.and_then(|g| w.guilds.get(&g)) {
        Some(guild) => {
            payload["guild_id"] = json::id(guild.id);
            payload["guild_locale"] = json!(guild.locale);
            payload["member"] = json::member(w, guild, user, true);
            payload["context"] = json!(0);
            payload["authorizing_integration_owners"] = json!({ "0": json::id(guild.id) });
        }
        None => {
            payload["user"] = json::user_by_id(w, user);
            payload["context"] = json!(1);
            payload["authorizing_integration_owners"] = json!({ "1": json::id(user) });
        }
    }
    payload
}
