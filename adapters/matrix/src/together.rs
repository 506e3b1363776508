//! Private places for a few people of a team (`Target::Together`): a new private, encrypted
//! room named after its title, the people invited at power level 100, hearth's one message,
//! and hearth leaving as soon as the people can get in without it.
//!
//! hearth cannot leave at once: a Matrix room that no one on a person's homeserver has joined
//! cannot be entered by that person (the homeserver knows no server to join through). So
//! hearth leaves once every person still invited has someone of their own homeserver in the
//! room — with everyone on one homeserver, as soon as the first person is in. Until then it
//! reads nothing there: the room is marked in matrix-sdk's store (so a restart keeps the mark)
//! and the event handlers pass marked rooms by. This module decides nothing about who meets
//! whom; it only opens the place it is told to.

use crate::State;
use crate::outbox::delivery_error;
use hearth_chat::DeliveryError;
use matrix_sdk::room::{Room, RoomMember};
use matrix_sdk::ruma::api::client::room::create_room::RoomPowerLevelsContentOverride;
use matrix_sdk::ruma::api::client::room::create_room::v3::{Request as CreateRoom, RoomPreset};
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::ruma::{Int, OwnedUserId, RoomId, RoomVersionId, UserId};
use matrix_sdk::{RoomMemberships, RoomState};

/// Marks a room as a private place: `opening` until hearth's message is in, then `sent`.
const MARK_PREFIX: &str = "hearth.together.";
/// The room opened for a delivery (by idempotency key), so a retry does not open another.
const FOR_KEY_PREFIX: &str = "hearth.together-for.";
const OPENING: &[u8] = b"opening";
const SENT: &[u8] = b"sent";
/// Room names are one line; Synapse refuses very long ones.
const MAX_NAME_CHARS: usize = 255;

impl State {
    /// The private room for a delivery: the one an earlier attempt with the same key opened,
    /// or a new one with `people` invited.
    pub(crate) async fn together_room(
        &self,
        people: &[String],
        title: &str,
        key: Option<&str>,
    ) -> Result<Room, DeliveryError> {
        let people = people
            .iter()
            .map(|p| UserId::parse(p.as_str()).map_err(|_| DeliveryError::Gone))
            .collect::<Result<Vec<_>, _>>()?;
        let me = self.client.user_id().ok_or(DeliveryError::Transient)?.to_owned();
        if people.is_empty() || people.contains(&me) {
            return Err(DeliveryError::Gone);
        }
        if let Some(room) = self.opened_for(key).await {
            return Ok(room);
        }
        let version = self
            .client
            .homeserver_capabilities()
            .room_versions()
            .await
            .map_err(|e| delivery_error(&e))?
            .default;
        let request = create_request(&people, title, &me, version)?;
        let room = self.client.create_room(request).await.map_err(|e| delivery_error(&e))?;
        self.set(&mark_key(room.room_id()), OPENING.to_vec()).await;
        if let Some(key) = key {
            self.set(&format!("{FOR_KEY_PREFIX}{key}"), room.room_id().as_bytes().to_vec()).await;
        }
        tracing::debug!(room = %room.room_id(), people = people.len(), "private room opened");
        Ok(room)
    }

    /// hearth's message is in: from now on it may leave, and does if it already can.
    pub(crate) async fn together_sent(&self, room: &Room, key: Option<&str>) {
        self.set(&mark_key(room.room_id()), SENT.to_vec()).await;
        if let Some(key) = key {
            let for_key = format!("{FOR_KEY_PREFIX}{key}");
            let _ = self.client.state_store().remove_custom_value(for_key.as_bytes()).await;
        }
        self.leave_together_if_open(room).await;
    }

    /// Whether `room` is a private place hearth opened (and has not yet forgotten).
    pub(crate) async fn is_together(&self, room: &RoomId) -> bool {
        self.mark(room).await.is_some()
    }

    /// Leaves a private place once its message is in and everyone still invited can get in
    /// without hearth. Anything else is left alone.
    pub(crate) async fn leave_together_if_open(&self, room: &Room) {
        if room.state() != RoomState::Joined
            || self.mark(room.room_id()).await.as_deref() != Some(SENT)
        {
            return;
        }
        let ids = |members: Vec<RoomMember>| -> Vec<OwnedUserId> {
            members.iter().map(|m| m.user_id().to_owned()).collect()
        };
        let (Ok(invited), Ok(joined)) = (
            room.members(RoomMemberships::INVITE).await.map(ids),
            room.members(RoomMemberships::JOIN).await.map(ids),
        ) else {
            return;
        };
        let me = self.client.user_id();
        let others: Vec<OwnedUserId> =
            joined.into_iter().filter(|id| Some(id.as_ref()) != me).collect();
        if !can_get_in(&invited, &others) {
            return;
        }
        tracing::info!(room = %room.room_id(), "leaving a private room: its people are in");
        if let Err(error) = room.leave().await {
            tracing::warn!(room = %room.room_id(), error = %error, "could not leave a room");
            return;
        }
        self.forget(room).await;
    }

    /// A private place for `people` that hearth opened but could not finish (its message was
    /// refused) is taken down: the invitations are taken back and hearth leaves, so nobody is
    /// left invited to a room nobody is in while the core tells them there is none.
    pub(crate) async fn abandon_opening(&self, people: &[String]) {
        for room in self.client.joined_rooms() {
            if self.mark(room.room_id()).await.as_deref() != Some(OPENING) {
                continue;
            }
            let Ok(invited) = room.members(RoomMemberships::INVITE).await else { continue };
            if !invited.iter().all(|m| people.iter().any(|p| p.as_str() == m.user_id().as_str())) {
                continue;
            }
            for member in &invited {
                let _ = room.kick_user(member.user_id(), None).await;
            }
            if let Err(error) = room.leave().await {
                tracing::warn!(room = %room.room_id(), error = %error, "could not leave a room");
                continue;
            }
            tracing::info!(room = %room.room_id(), "left a private room that could not be opened");
            self.forget(&room).await;
        }
    }

    /// At start: private places whose people got in while hearth was away are left now.
    pub(crate) async fn leave_settled_togethers(&self) {
        for room in self.client.joined_rooms() {
            self.leave_together_if_open(&room).await;
        }
    }

    /// Drops the mark of a room hearth has left.
    pub(crate) async fn unmark_together(&self, room: &RoomId) {
        let _ = self.client.state_store().remove_custom_value(mark_key(room).as_bytes()).await;
    }

    async fn opened_for(&self, key: Option<&str>) -> Option<Room> {
        let for_key = format!("{FOR_KEY_PREFIX}{}", key?);
        let value = self.client.state_store().get_custom_value(for_key.as_bytes()).await.ok()??;
        let room_id = RoomId::parse(String::from_utf8(value).ok()?).ok()?;
        self.client.get_room(&room_id).filter(|room| room.state() == RoomState::Joined)
    }

    async fn mark(&self, room: &RoomId) -> Option<Vec<u8>> {
        self.client.state_store().get_custom_value(mark_key(room).as_bytes()).await.ok()?
    }

    async fn set(&self, key: &str, value: Vec<u8>) {
        if let Err(error) = self.client.state_store().set_custom_value(key.as_bytes(), value).await
        {
            tracing::warn!(error = %error, "could not remember a private room");
        }
    }
}

fn mark_key(room: &RoomId) -> String {
    format!("{MARK_PREFIX}{room}")
}

/// The room to create: private and invite-only (`PrivateChat`), not a direct room, encrypted
/// from its first event, named, with each person at power level 100. Before room version 12
/// the creator must be in the power levels too (Synapse refuses the override otherwise); from
/// 12 on creators are above power levels and must not be listed.
fn create_request(
    people: &[OwnedUserId],
    title: &str,
    me: &UserId,
    version: RoomVersionId,
) -> Result<CreateRoom, DeliveryError> {
    let creators_above_levels =
        version.rules().is_some_and(|rules| rules.authorization.explicitly_privilege_room_creators);
    let mut levels = RoomPowerLevelsContentOverride::new();
    for person in people {
        levels.users.insert(person.clone(), Int::from(100));
    }
    if !creators_above_levels {
        levels.users.insert(me.to_owned(), Int::from(100));
    }
    let mut request = CreateRoom::new();
    request.preset = Some(RoomPreset::PrivateChat);
    request.is_direct = false;
    request.room_version = Some(version);
    request.name = Some(room_name(title));
    request.invite = people.to_vec();
    request.initial_state = vec![
        InitialStateEvent::with_empty_state_key(
            RoomEncryptionEventContent::with_recommended_defaults(),
        )
        .to_raw_any(),
    ];
    request.power_level_content_override =
        Some(Raw::new(&levels).map_err(|_| DeliveryError::Transient)?);
    Ok(request)
}

/// A room name: one line, not too long. Names are shown as text, so nothing is escaped.
fn room_name(title: &str) -> String {
    let line = title.split_whitespace().collect::<Vec<_>>().join(" ");
    line.chars().take(MAX_NAME_CHARS).collect()
}

/// Whether everyone still invited can join without hearth: each has someone of their own
/// homeserver in the room. With nobody invited any more (all in, or all declined), yes.
fn can_get_in(invited: &[OwnedUserId], others_joined: &[OwnedUserId]) -> bool {
    invited.iter().all(|person| {
        others_joined.iter().any(|joined| joined.server_name() == person.server_name())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use matrix_sdk::ruma::owned_user_id;
    use serde_json::json;

    #[test]
    fn hearth_may_leave_once_each_invitee_has_someone_of_their_server_in() {
        let ana = owned_user_id!("@ana:a.org");
        let bo = owned_user_id!("@bo:a.org");
        let cy = owned_user_id!("@cy:c.org");
        assert!(!can_get_in(&[ana.clone(), bo.clone()], &[]), "nobody in yet");
        assert!(
            can_get_in(std::slice::from_ref(&bo), std::slice::from_ref(&ana)),
            "ana's server is in"
        );
        assert!(!can_get_in(&[bo.clone(), cy.clone()], std::slice::from_ref(&ana)));
        assert!(can_get_in(std::slice::from_ref(&cy), &[ana.clone(), cy.clone()]));
        assert!(can_get_in(&[], &[ana, bo]), "everyone in");
        assert!(can_get_in(&[], &[]), "everyone declined: hearth is alone");
    }

    #[test]
    fn the_room_is_private_encrypted_named_and_the_peoples_own() {
        let people = [owned_user_id!("@ana:a.org"), owned_user_id!("@bo:a.org")];
        let me = owned_user_id!("@hearth:a.org");
        let title = "Debrief:\n ana  and bo";
        let new = create_request(&people, title, &me, RoomVersionId::V12).unwrap();
        let body = serde_json::to_value(&new.power_level_content_override).unwrap();
        assert_eq!(body["users"], json!({"@ana:a.org": 100, "@bo:a.org": 100}));
        assert_eq!(new.name.as_deref(), Some("Debrief: ana and bo"));
        assert_eq!(new.preset, Some(RoomPreset::PrivateChat));
        assert!(!new.is_direct);
        assert_eq!(new.invite, people);
        let state = serde_json::to_value(&new.initial_state).unwrap();
        assert_eq!(state[0]["type"], "m.room.encryption");
        let old = create_request(&people, title, &me, RoomVersionId::V11).unwrap();
        let body = serde_json::to_value(&old.power_level_content_override).unwrap();
        assert_eq!(body["users"]["@hearth:a.org"], 100, "before v12 the creator is listed");
        assert_eq!(room_name(&"x".repeat(300)).chars().count(), MAX_NAME_CHARS);
    }
}
