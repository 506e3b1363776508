//! What every part of the adapter shares, and sending hearth's messages that are not replies to
//! an interaction: to a channel or thread of a team, into a new public thread of a channel,
//! into a new private thread for a few people (the people added, then closed to invitations;
//! hearth leaves once its message is in, and leaves it too when Discord refuses a step), or to
//! a person's DM. No message hearth sends shows link previews (`SUPPRESS_EMBEDS`): a link
//! someone shared stays a plain link, and Discord fetches nothing on its behalf.

use crate::components::components;
use crate::files::{Piece, attachments, check, pieces};
use crate::forms::Forms;
use crate::rest::{Rest, nonce};
use crate::text::{MAX_CHUNKS, MAX_CONTENT, content, split, truncate};
use hearth_chat::{Controls, DeliveryError, Handler, Message, Outbound, Place, Target, TeamRef};
use serenity::all::{
    ChannelId, CreateAllowedMentions, CreateMessage, Http, MessageFlags, Nonce, UserId,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Discord's limit on a thread's name.
pub const MAX_THREAD_NAME: usize = 100;
/// How many opened threads whose message did not go out are remembered for a retry.
const MAX_OPENED: usize = 256;

pub struct Shared {
    pub handler: Arc<dyn Handler>,
    pub http: Arc<Http>,
    pub rest: Rest,
    pub forms: Mutex<Forms>,
    /// Threads opened for a delivery (by idempotency key) whose message has not all gone out,
    /// so that a retry posts into the same thread instead of opening another.
    pub opened: Mutex<HashMap<String, ChannelId>>,
    /// How long the core may take before an interaction is deferred.
    pub defer_after: Duration,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").field("defer_after", &self.defer_after).finish_non_exhaustive()
    }
}

/// Mentions nobody: hearth never pings from text.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new().replied_user(false)
}

impl Shared {
    /// Renders a message of `team` as the Discord messages that carry it, remembering any
    /// form it offers for when its button is clicked. None means there is nothing to send; a
    /// file too large to send is `Forbidden` (see `files`), and then nothing is sent.
    pub fn render(&self, team: &str, message: &Message) -> Result<Vec<Piece>, DeliveryError> {
        let files = attachments(&message.blocks)?;
        let rows = components(team, message.controls.as_ref());
        if let (Some(Controls::Form(form)), false) = (&message.controls, rows.is_empty()) {
            self.forms.lock().unwrap_or_else(|p| p.into_inner()).insert(form.clone());
        }
        let chunks = split(&content(&message.blocks), MAX_CONTENT, MAX_CHUNKS);
        Ok(pieces(chunks, rows, files))
    }

    /// Sends a message to a place or a person. `idempotency_key`, when given, becomes the
    /// message nonce, so Discord drops a second copy of the same scheduled message.
    pub async fn deliver(
        &self,
        outbound: &Outbound,
        idempotency_key: Option<&str>,
    ) -> Result<(), DeliveryError> {
        check(&outbound.message.blocks)?;
        let (team, channel) = match &outbound.target {
            Target::Origin | Target::RetractOrigin => return Err(DeliveryError::Gone),
            Target::Place { team, place } => {
                let id = match place {
                    Place::Channel { id } => id,
                    Place::Thread { thread, .. } => thread,
                    Place::Direct => return Err(DeliveryError::Gone),
                };
                (team, ChannelId::new(snowflake(id)?))
            }
            Target::Person { team, user_id } => {
                let user = UserId::new(snowflake(user_id)?);
                (team, self.rest.dm_channel(user).await?)
            }
            Target::NewThread { team, channel, title } => {
                let parent = ChannelId::new(snowflake(channel)?);
                (team, self.open_thread(parent, title, false, idempotency_key).await?)
            }
            Target::Together { team, people, title, channel } => {
                let parent = channel.as_deref().ok_or(DeliveryError::Gone)?;
                let parent = ChannelId::new(snowflake(parent)?);
                return self
                    .together(team, parent, (people, title), &outbound.message, idempotency_key)
                    .await;
            }
        };
        self.send_pieces(channel, &team.id, &outbound.message, idempotency_key).await?;
        if let Some(key) = idempotency_key {
            self.opened.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
        }
        tracing::debug!(channel = %channel, "message sent");
        Ok(())
    }

    /// Posts a message of `team` in `channel`, in as many pieces as it takes.
    async fn send_pieces(
        &self,
        channel: ChannelId,
        team: &str,
        message: &Message,
        idempotency_key: Option<&str>,
    ) -> Result<(), DeliveryError> {
        for (i, piece) in self.render(team, message)?.into_iter().enumerate() {
            let mut message = CreateMessage::new()
                .allowed_mentions(no_mentions())
                .flags(MessageFlags::SUPPRESS_EMBEDS);
            if !piece.content.is_empty() {
                message = message.content(piece.content);
            }
            if !piece.rows.is_empty() {
                message = message.components(piece.rows);
            }
            if let Some(key) = idempotency_key {
                message = message.nonce(Nonce::String(nonce(key, i))).enforce_nonce(true);
            }
            self.rest.send(channel, message, piece.file).await?;
        }
        Ok(())
    }

    /// A private thread in `parent` for `people`: opened, the people added, then closed to
    /// invitations, hearth's message posted, and hearth gone. If Discord refuses any step,
    /// hearth takes out whoever it added, leaves, and returns the error, so the core can tell the people
    /// the truth instead of letting them look for a thread that is not theirs. (A retry opens
    /// a new thread: hearth is no longer in the old one.)
    async fn together(
        &self,
        team: &TeamRef,
        parent: ChannelId,
        (people, title): (&[String], &str),
        message: &Message,
        idempotency_key: Option<&str>,
    ) -> Result<(), DeliveryError> {
        let people = people
            .iter()
            .map(|person| snowflake(person).map(UserId::new))
            .collect::<Result<Vec<_>, _>>()?;
        let thread = self.open_thread(parent, title, true, None).await?;
        let mut added = Vec::new();
        let filled = async {
            for person in &people {
                self.rest.add_thread_member(thread, *person).await?;
                added.push(*person);
            }
            self.rest.set_not_invitable(thread).await?;
            self.send_pieces(thread, &team.id, message, idempotency_key).await
        };
        let result = filled.await;
        if let Err(error) = &result {
            tracing::info!(thread = %thread, error = error.kind(), "a private thread could not be opened");
            // Refused half-way: nothing of it is left to the people (a private thread's creator
            // may remove its members), so nobody finds an empty thread the core says is not there.
            for person in added {
                if let Err(error) = self.rest.remove_thread_member(thread, person).await {
                    tracing::warn!(thread = %thread, error = error.kind(), "could not take someone out of a thread");
                }
            }
        }
        // The place is the people's own (or nobody's): hearth reads nothing there.
        match self.rest.leave_thread(thread).await {
            Ok(()) => tracing::debug!(thread = %thread, "left a private thread"),
            Err(error) => {
                tracing::warn!(thread = %thread, error = error.kind(), "could not leave a private thread");
            }
        }
        result
    }

    /// A new thread (public, or private) in `parent` named after `title`, or the one already
    /// opened for this delivery by an attempt that failed after opening it.
    async fn open_thread(
        &self,
        parent: ChannelId,
        title: &str,
        private: bool,
        idempotency_key: Option<&str>,
    ) -> Result<ChannelId, DeliveryError> {
        let opened = |key| self.opened.lock().unwrap_or_else(|p| p.into_inner()).get(key).copied();
        if let Some(thread) = idempotency_key.and_then(opened) {
            return Ok(thread);
        }
        let thread = self.rest.create_thread(parent, &thread_name(title), private).await?;
        tracing::debug!(channel = %parent, thread = %thread, private, "thread opened");
        if let Some(key) = idempotency_key {
            let mut opened = self.opened.lock().unwrap_or_else(|p| p.into_inner());
            if opened.len() >= MAX_OPENED {
                opened.clear();
            }
            opened.insert(key.to_owned(), thread);
        }
        Ok(thread)
    }
}

/// A thread name Discord accepts: one line, at most 100 characters. Names are shown as
/// typed (no markdown, no mentions), so nothing is escaped.
fn thread_name(title: &str) -> String {
    truncate(&title.split_whitespace().collect::<Vec<_>>().join(" "), MAX_THREAD_NAME)
}

/// A Discord id from hearth's records; anything else names nothing that exists.
fn snowflake(id: &str) -> Result<u64, DeliveryError> {
    id.parse::<u64>().ok().filter(|id| *id != 0).ok_or(DeliveryError::Gone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thread_names_are_one_line_within_discords_limit() {
        assert_eq!(thread_name("  Debrief:\n Tuesday  "), "Debrief: Tuesday");
        let long = thread_name(&"é".repeat(150));
        assert_eq!(long.chars().count(), MAX_THREAD_NAME);
        assert!(long.ends_with('…'));
        assert_eq!(thread_name(&"a".repeat(100)), "a".repeat(100));
    }
}
