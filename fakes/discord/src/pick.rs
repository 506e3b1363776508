//! Using a component on a message the bot sent, as Discord's client lets a user: clicking a
//! button, picking options in a string select, picking people in a user select.

use serde_json::{Value, json};

use crate::FakeDiscord;
use crate::api::Origin;
use crate::error::FakeError;
use crate::handle::InteractionHandle;
use crate::json;

/// What the user does with the component.
enum Use {
    Click,
    Options(Vec<String>),
    Users(Vec<u64>),
}

impl FakeDiscord {
    /// A user clicks the button `custom_id` on a message the bot sent.
    pub async fn click(
        &self,
        user: u64,
        message_id: u64,
        custom_id: &str,
    ) -> Result<InteractionHandle, FakeError> {
        self.use_component(user, message_id, custom_id, Use::Click).await
    }

    /// A user picks `values` in the string select `custom_id` on a message the bot sent: each
    /// one of its options' values, as many as its `min_values`..=`max_values` allow (default
    /// 1..=1), or it is [`FakeError::Impossible`].
    pub async fn select(
        &self,
        user: u64,
        message_id: u64,
        custom_id: &str,
        values: &[&str],
    ) -> Result<InteractionHandle, FakeError> {
        let values = values.iter().map(|s| (*s).to_owned()).collect();
        self.use_component(user, message_id, custom_id, Use::Options(values)).await
    }

    /// A user picks `users` in the user select (component type 5) `custom_id` on a message the
    /// bot sent: as many as its `min_values`..=`max_values` allow, and in a guild only members
    /// of it (Discord's picker offers nobody else). The interaction carries `values` (the ids)
    /// and `resolved.users` (+ `resolved.members` in a guild), as Discord sends it.
    pub async fn select_users(
        &self,
        user: u64,
        message_id: u64,
        custom_id: &str,
        users: &[u64],
    ) -> Result<InteractionHandle, FakeError> {
        self.use_component(user, message_id, custom_id, Use::Users(users.to_vec())).await
    }

    async fn use_component(
        &self,
        user: u64,
        message_id: u64,
        custom_id: &str,
        used: Use,
    ) -> Result<InteractionHandle, FakeError> {
        let origin = self.shared.read(|w| {
            let message = w.messages.get(&message_id).filter(|m| !m.deleted);
            let message = message.ok_or(FakeError::UnknownMessage(message_id))?;
            Ok::<_, FakeError>(match message.guild_id {
                Some(guild_id) => Origin::Guild { guild_id, channel_id: message.channel_id },
                None => Origin::Dm,
            })
        })?;
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
            let kind = component.get("type").and_then(Value::as_u64).unwrap_or(2);
            let mut data = json!({ "custom_id": custom_id, "component_type": kind });
            let guild = place.guild_id.and_then(|g| w.guilds.get(&g));
            let count = match (&used, kind) {
                (Use::Click, 2) => None,
                (Use::Options(values), 3) => {
                    let offered: Vec<&str> = component
                        .get("options")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|o| o.get("value")?.as_str())
                        .collect();
                    if let Some(v) = values.iter().find(|v| !offered.contains(&v.as_str())) {
                        return Err(impossible(custom_id, &format!("offers no option {v:?}")));
                    }
                    data["values"] = json!(values);
                    Some(values.len())
                }
                (Use::Users(users), 5) => {
                    if let Some(guild) = guild
                        && let Some(u) = users.iter().find(|u| !guild.members.contains_key(u))
                    {
                        return Err(impossible(
                            custom_id,
                            &format!("cannot offer {u}: not a member"),
                        ));
                    }
                    let ids: Vec<String> = users.iter().map(u64::to_string).collect();
                    data["values"] = json!(ids);
                    let picked: Vec<Value> = users
                        .iter()
                        .map(|u| json!({ "type": 6, "value": u.to_string() }))
                        .collect();
                    if let Some(resolved) = json::resolved_users(w, guild, &Value::Array(picked)) {
                        data["resolved"] = resolved;
                    }
                    Some(users.len())
                }
                _ => return Err(impossible(custom_id, &format!("is component type {kind}"))),
            };
            if let Some(count) = count {
                let bound = |key: &str, default: u64| {
                    component.get(key).and_then(Value::as_u64).unwrap_or(default)
                };
                let (min, max) = (bound("min_values", 1), bound("max_values", 1));
                let count = u64::try_from(count).unwrap_or(u64::MAX);
                if count < min || count > max {
                    let why = format!("takes {min} to {max} values, not {count}");
                    return Err(impossible(custom_id, &why));
                }
            }
            Ok((3, data, Some(message_id)))
        })
        .await
    }
}

fn impossible(custom_id: &str, why: &str) -> FakeError {
    FakeError::Impossible(format!("component {custom_id:?} {why}"))
}
