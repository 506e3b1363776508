//! The handle a test awaits the bot's answer to an injected interaction with.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::api::{Callback, Message};
use crate::error::FakeError;
use crate::state::{Shared, TOKEN_LIFETIME};

/// One injected interaction; await what the bot did with it.
#[derive(Debug, Clone)]
pub struct InteractionHandle {
    pub(crate) shared: Arc<Shared>,
    pub(crate) id: u64,
    pub(crate) token: String,
    pub(crate) channel_id: u64,
    pub(crate) guild_id: Option<u64>,
    pub(crate) dispatched_at: Instant,
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

    /// The shard ids of the sessions INTERACTION_CREATE was dispatched to: one, the guild's
    /// shard (shard 0 for a DM), unless sessions disagree on the shard total.
    pub fn shards(&self) -> Vec<u64> {
        self.shared
            .read(|w| w.interactions.get(&self.id).map(|i| i.shards.clone()))
            .unwrap_or_default()
    }

    /// Waits for the callback (the bot's one response), up to `timeout`.
    pub async fn response(&self, timeout: Duration) -> Result<Callback, FakeError> {
        let what = format!("the response to interaction {}", self.id);
        self.shared
            .wait_for(timeout, &what, |w| w.interactions.get(&self.id)?.callback.clone())
            .await
    }

    /// Whether the user saw "The application did not respond": no initial response came within
    /// the deadline (Discord's 3 s, see [`crate::FakeDiscord::set_interaction_deadline`]), one
    /// came too late and was refused, or a deferred message (type 5) was never filled in while
    /// the token lived (15 minutes of the fake's clock).
    pub fn did_not_respond(&self) -> bool {
        self.shared.read(|w| {
            let Some(state) = w.interactions.get(&self.id) else { return false };
            let age = w.since(state.dispatched_on_clock);
            let late = w.interaction_deadline.is_some_and(|d| age > d);
            let deferred = state.callback.as_ref().is_some_and(|c| c.kind == 5);
            let filled = state
                .original_message
                .and_then(|id| w.messages.get(&id))
                .is_some_and(|m| !m.edits.is_empty());
            let abandoned = deferred && !filled && age > TOKEN_LIFETIME;
            state.timed_out || (state.callback.is_none() && late) || abandoned
        })
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
