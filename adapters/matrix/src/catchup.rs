//! Catching up after a restart: what people typed or reacted while hearth was away is handled
//! as if it had just arrived, when it is recent enough; older events are not.
//!
//! The mark of what hearth already handled is matrix-sdk's sync token, which the SDK stores
//! before it hands a sync's events to hearth: the first sync after a restart holds only events
//! that came after the last sync hearth handled, so nothing handled before the stop is seen
//! again. A stop therefore lets a sync being handled finish (for up to 2 seconds); a crash at
//! that moment can lose the sync's events, never run them twice. A store that never synced
//! makes a first, initial sync with old history in it: none of that runs. Of the events that
//! arrived while hearth was away, only those younger than the window run — a command typed an
//! hour ago must not act now — and in the order they were sent.

use crate::{State, on_message, on_reaction};
use matrix_sdk::config::SyncSettings;
use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::event_handler::Ctx;
use matrix_sdk::ruma::api::client::filter::FilterDefinition;
use matrix_sdk::ruma::api::client::sync::sync_events::v3::Filter;
use matrix_sdk::ruma::events::{AnySyncMessageLikeEvent, AnySyncTimelineEvent};
use matrix_sdk::ruma::{MilliSecondsSinceUnixEpoch, UInt};
use matrix_sdk::store::StateStoreDataKey;
use matrix_sdk::sync::SyncResponse;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How long what was typed to hearth while it was away still counts.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(10 * 60);

/// Events per room the catch-up sync asks for: more than people type to hearth in a window.
const CATCH_UP_EVENTS: u32 = 200;

impl State {
    /// Whether hearth synced before, so the next sync continues from what it handled.
    pub(crate) async fn resuming(&self) -> bool {
        matches!(
            self.client.state_store().get_kv_data(StateStoreDataKey::SyncToken).await,
            Ok(Some(_))
        )
    }
}

/// The settings of the first sync: when resuming, room timelines long enough to hold what
/// arrived while hearth was away.
pub(crate) fn first_sync(resuming: bool) -> SyncSettings {
    if !resuming {
        return SyncSettings::default();
    }
    let mut filter = FilterDefinition::default();
    filter.room.timeline.limit = Some(UInt::from(CATCH_UP_EVENTS));
    SyncSettings::default().filter(Filter::FilterDefinition(filter))
}

/// Handles the messages and reactions of the first sync after a restart that are younger
/// than the window, oldest first.
pub(crate) async fn catch_up(state: &Arc<State>, first: &SyncResponse) {
    let now = u64::from(MilliSecondsSinceUnixEpoch::now().get());
    let oldest = now.saturating_sub(state.catch_up_window.load(Ordering::Relaxed));
    let mut events = Vec::new();
    let mut too_old = 0usize;
    for (room_id, update) in &first.rooms.joined {
        let Some(room) = state.client.get_room(room_id) else { continue };
        let first_at = update.timeline.events.first().and_then(sent_at);
        if update.timeline.limited && first_at.is_some_and(|at| at >= oldest) {
            // More arrived within the window than the catch-up asked for: the oldest of it
            // is not handled.
            tracing::warn!(room = %room_id, "more arrived while away than hearth catches up on");
        }
        for event in &update.timeline.events {
            match sent_at(event) {
                Some(at) if at >= oldest => events.push((at, room.clone(), event)),
                _ => too_old += 1,
            }
        }
    }
    // Across rooms, in the order people sent them (within a room the timeline's order holds).
    events.sort_by_key(|(at, _, _)| *at);
    tracing::info!(events = events.len(), too_old, "catching up on what arrived while away");
    for (_, room, event) in events {
        let Ok(event) = event.raw().deserialize() else { continue };
        let AnySyncTimelineEvent::MessageLike(event) = event else { continue };
        match event {
            AnySyncMessageLikeEvent::RoomMessage(message) => {
                if let Some(message) = message.as_original() {
                    on_message(message.clone(), room, Ctx(state.clone())).await;
                }
            }
            AnySyncMessageLikeEvent::Reaction(reaction) => {
                if let Some(reaction) = reaction.as_original() {
                    on_reaction(reaction.clone(), room, Ctx(state.clone())).await;
                }
            }
            _ => {}
        }
    }
}

pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// How long a stop waits for the sync or catch-up under way.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// Runs `work` to its end, or, once `shutdown` comes, for at most `STOP_GRACE` more: `None`
/// when it was stopped. A sync whose answer has arrived is being handled, and matrix-sdk has
/// already stored its token past its events: cut short, they would never run. A sync still
/// waiting for its answer loses nothing by being dropped; it costs the stop the grace.
pub(crate) async fn until_stopped<T>(
    work: impl Future<Output = T>,
    shutdown: &CancellationToken,
) -> Option<T> {
    if shutdown.is_cancelled() {
        return None;
    }
    tokio::pin!(work);
    tokio::select! {
        done = &mut work => Some(done),
        () = shutdown.cancelled() => {
            if tokio::time::timeout(STOP_GRACE, work).await.is_err() {
                tracing::debug!("stopped with a sync in flight");
            }
            None
        }
    }
}

/// When an event was sent, by its homeserver's clock, in Unix milliseconds.
fn sent_at(event: &TimelineEvent) -> Option<u64> {
    event.timestamp().or_else(|| event.timestamp_raw()).map(|at| u64::from(at.get()))
}
