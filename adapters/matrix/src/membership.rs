//! hearth's own membership of rooms: leaving a room nobody else is in (so it never writes where
//! nobody reads), forgetting what the adapter kept about a room it is out of, and telling the
//! core when hearth is out of a team's room for good — kicked or banned, left alone in it, or
//! kicked while it was not running. Only events that say so are taken for that: a sync error,
//! an outage or a member list that cannot be read never is. What a removal deletes is the
//! core's business.

use crate::{DM_TEAM_PREFIX, State};
use hearth_chat::{Inbound, Platform, TeamRef};
use matrix_sdk::event_handler::Ctx;
use matrix_sdk::room::Room;
use matrix_sdk::ruma::RoomId;
use matrix_sdk::ruma::events::room::member::{MembershipState, OriginalSyncRoomMemberEvent};
use matrix_sdk::{RoomMemberships, RoomState};
use std::sync::Arc;

/// Someone joined or left a room hearth is in. Joining a private place hearth opened may let
/// hearth leave it. Alone in a room (a person left their direct room, the last teammate left),
/// hearth leaves too, so it never writes into a room nobody reads; removed itself, it forgets
/// the room and what it was waiting for there. A team room hearth was kicked or banned from, or
/// left because nobody else was in it any more, is a team that has ended for hearth: the core
/// is told, and forgets it.
pub(crate) async fn on_member(
    event: OriginalSyncRoomMemberEvent,
    room: Room,
    state: Ctx<Arc<State>>,
) {
    if event.content.membership == MembershipState::Join {
        let state = state.0.clone();
        tokio::spawn(async move { state.leave_together_if_open(&room).await });
        return;
    }
    if !matches!(event.content.membership, MembershipState::Leave | MembershipState::Ban) {
        return;
    }
    let state = state.0.clone();
    let own = state.client.user_id();
    let itself = Some(event.state_key.as_ref()) == own;
    // Someone else took hearth out (a kick or a ban); its own leaving is not a removal.
    let removed = itself && Some(event.sender.as_ref()) != own;
    tokio::spawn(async move {
        if !itself && !state.alone_in(&room).await {
            return;
        }
        if !itself {
            tracing::info!(room = %room.room_id(), "leaving a room nobody else is in");
        }
        let team_room = state.is_team_room(room.room_id()).await;
        if !itself && let Err(error) = room.leave().await {
            tracing::warn!(room = %room.room_id(), error = %error, "could not leave a room");
            return;
        }
        // Only if hearth is out of the room now: a kick followed by a new invite and join in
        // the same sync is not a removal.
        let out = matches!(room.state(), RoomState::Left | RoomState::Banned);
        if team_room && (!itself || (removed && out)) {
            state.removed_from(room.room_id()).await;
        }
        state.forget(&room).await;
    });
}

impl State {
    /// Whether `room` is (or was) a team's room: neither a direct room with a person nor a
    /// private place hearth opened for a few people.
    async fn is_team_room(&self, room: &RoomId) -> bool {
        self.dm_team(room).await.is_none() && !self.is_together(room).await
    }

    /// Whether nobody but hearth is in `room` or invited to it, by the room's member list (the
    /// summary's member count is not kept up to date by every homeserver). When the list
    /// cannot be read, hearth is not alone: leaving forgets a team.
    async fn alone_in(&self, room: &Room) -> bool {
        let own = self.client.user_id();
        match room.members(RoomMemberships::JOIN | RoomMemberships::INVITE).await {
            Ok(members) => members.iter().all(|m| Some(m.user_id()) == own),
            Err(error) => {
                tracing::warn!(room = %room.room_id(), error = %error, "could not read members");
                false
            }
        }
    }

    /// Tells the core that hearth is out of a team's room for good.
    async fn removed_from(&self, room: &RoomId) {
        tracing::info!(room = %room, "removed from a team room");
        let team = TeamRef { platform: Platform::Matrix, id: room.to_string() };
        self.handler.handle(Inbound::removed(team)).await;
    }

    /// Team rooms hearth was kicked or banned from while it was away: the first sync brings
    /// them as left rooms before any handler listens. A room it left itself is not one.
    pub(crate) async fn removed_while_away(&self) {
        let Some(own) = self.client.user_id().map(ToOwned::to_owned) else { return };
        let out = |room: &Room| matches!(room.state(), RoomState::Left | RoomState::Banned);
        for room in self.client.rooms().into_iter().filter(out) {
            let kicked = match room.get_member_no_sync(&own).await {
                Ok(Some(member)) => {
                    matches!(member.membership(), MembershipState::Leave | MembershipState::Ban)
                        && member.event().sender() != own
                }
                _ => false,
            };
            if kicked && self.is_team_room(room.room_id()).await {
                tracing::info!(room = %room.room_id(), "was removed from a room while away");
                self.removed_from(room.room_id()).await;
                self.forget(&room).await;
            }
        }
    }

    /// Drops everything the adapter kept about a room it has left.
    pub(crate) async fn forget(&self, room: &Room) {
        self.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|(pending_room, _), _| pending_room != room.room_id());
        let key = format!("{DM_TEAM_PREFIX}{}", room.room_id());
        let _ = self.client.state_store().remove_custom_value(key.as_bytes()).await;
        self.unmark_together(room.room_id()).await;
        if let Err(error) = room.forget().await {
            tracing::debug!(room = %room.room_id(), error = %error, "could not forget a room");
        }
    }
}
