//! Injecting interactions as a user would: slash commands, autocomplete and modal submits
//! here, components in `pick.rs`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::FakeDiscord;
use crate::api::Origin;
use crate::error::FakeError;
use crate::handle::InteractionHandle;
use crate::json;
use crate::rest::message_json;
use crate::state::{InteractionState, Shared, World, perms};

/// How long an injection waits for the bot's gateway session to be ready.
const READY_WAIT: Duration = Duration::from_secs(20);

/// Where an interaction happens, resolved.
pub(crate) struct Place {
    pub(crate) channel_id: u64,
    pub(crate) guild_id: Option<u64>,
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
        self.command_interaction(origin, user, name, options, 2).await
    }

    /// An APPLICATION_COMMAND (2) or AUTOCOMPLETE (4) interaction for a registered command.
    async fn command_interaction(
        &self,
        origin: Origin,
        user: u64,
        name: &str,
        options: Value,
        kind: u64,
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
            Ok((kind, data, None))
        })
        .await
    }

    /// A user submits the modal `custom_id` with text inputs `(custom_id, value)`. The bot must
    /// have shown them that modal (callback type 9) and it must still be open; it is submitted
    /// where it was opened, and a modal opened from a message's component carries that
    /// `message`, as on Discord. Every input of the modal is sent (empty if not given); a field
    /// the modal does not have is [`FakeError::Impossible`]. `origin` must be where the modal
    /// was opened.
    pub async fn submit_modal(
        &self,
        origin: Origin,
        user: u64,
        custom_id: &str,
        fields: &[(&str, &str)],
    ) -> Result<InteractionHandle, FakeError> {
        let (opened_in, inputs) = self.shared.with(|w| {
            let found =
                w.open_modals.iter().position(|m| m.user == user && m.custom_id == custom_id);
            let modal = found.map(|i| w.open_modals[i].clone()).ok_or_else(|| {
                FakeError::Impossible(format!("user {user} has no open modal {custom_id:?}"))
            })?;
            if let Some((field, _)) =
                fields.iter().find(|(f, _)| !modal.inputs.iter().any(|i| i == f))
            {
                return Err(FakeError::Impossible(format!(
                    "modal {custom_id:?} has no input {field:?}"
                )));
            }
            let opener = w.interactions.get(&modal.opened_by).ok_or(FakeError::NotConnected)?;
            let channel = opener.channel_id;
            let source = opener.source_message;
            let origin = match w.channels.get(&channel).and_then(|c| c.guild_id) {
                Some(guild_id) => Origin::Guild { guild_id, channel_id: channel },
                None => Origin::Dm,
            };
            Ok(((origin, source), modal.inputs))
        })?;
        let (opened_at, source) = opened_in;
        if opened_at != origin {
            return Err(FakeError::Impossible(format!("modal {custom_id:?} was opened elsewhere")));
        }
        let rows: Vec<Value> = inputs
            .iter()
            .map(|id| {
                let value = fields.iter().find(|(f, _)| f == id).map_or("", |(_, v)| *v);
                json!({ "type": 1, "components": [{ "type": 4, "custom_id": id, "value": value }] })
            })
            .collect();
        let data = json!({ "custom_id": custom_id, "components": rows });
        let custom_id = custom_id.to_owned();
        let handle = self.inject(origin, user, move |_, _, _| Ok((5, data, source))).await?;
        self.shared
            .with(|w| w.open_modals.retain(|m| !(m.user == user && m.custom_id == custom_id)));
        Ok(handle)
    }

    /// A user types in an option of `/name` that has `autocomplete` (AUTOCOMPLETE, type 4):
    /// `options` as for [`Self::slash_command`], the typed one with `"focused": true`. The bot
    /// answers with callback type 8 and at most 25 choices ([`InteractionHandle::response`]).
    pub async fn autocomplete(
        &self,
        origin: Origin,
        user: u64,
        name: &str,
        options: Value,
    ) -> Result<InteractionHandle, FakeError> {
        fn focused(options: &Value) -> bool {
            options.as_array().into_iter().flatten().any(|o| {
                o.get("focused").and_then(Value::as_bool) == Some(true)
                    || o.get("options").is_some_and(focused)
            })
        }
        if !focused(&options) {
            return Err(FakeError::Impossible("autocomplete needs a focused option".to_owned()));
        }
        self.command_interaction(origin, user, name, options, 4).await
    }

    /// Builds and dispatches INTERACTION_CREATE once the bot's session is ready.
    pub(crate) async fn inject(
        &self,
        origin: Origin,
        user: u64,
        build: impl FnOnce(&World, &Place, u64) -> Result<(u64, Value, Option<u64>), FakeError>,
    ) -> Result<InteractionHandle, FakeError> {
        // Discord routes by the guild's shard: wait for the session that serves it.
        let guild = match origin {
            Origin::Guild { guild_id, .. } => Some(guild_id),
            Origin::Dm => None,
        };
        self.shared
            .wait_for(READY_WAIT, "the bot's gateway session", |w| w.served(guild).then_some(()))
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
                    kind,
                    user,
                    timed_out: false,
                    shards: Vec::new(),
                    token: token.clone(),
                    channel_id: place.channel_id,
                    source_message,
                    dispatched_at,
                    dispatched_on_clock: w.now(),
                    callback: None,
                    original_message: None,
                    followups: Vec::new(),
                },
            );
            let shards = w.dispatch_routed("INTERACTION_CREATE", payload);
            if shards.is_empty() {
                return Err(FakeError::NotConnected);
            }
            if let Some(state) = w.interactions.get_mut(&id) {
                state.shards = shards;
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
    let mut app_permissions =
        if may_post { perms::BOT } else { perms::BOT & !perms::SEND_MESSAGES };
    if w.bot_manage_threads {
        app_permissions |= perms::MANAGE_THREADS;
    }
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
