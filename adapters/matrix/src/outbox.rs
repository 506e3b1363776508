//! Sending: replies to events and scheduled deliveries, rendered for Matrix, into the room,
//! its thread, a new thread (under a first message carrying its title), the person's direct
//! room (created encrypted and marked direct if missing), or a private room for a few people
//! (see `together`). Errors become the delivery trait's kinds.
//!
//! A file goes after the message's text, as a message of its own (`m.file`, or `m.image` and
//! the like for such media types) in the same room and thread, through matrix-sdk's attachment
//! API: uploaded to the homeserver's media repository, encrypted first in an encrypted room (so
//! the homeserver never holds it in clear), never put in the local media cache. Files are
//! never logged.

use crate::{KEYCAPS, Matrix, Origin, Pending, State, render};
use async_trait::async_trait;
use hearth_chat::{
    Block, Controls, Delivery, DeliveryError, Message, Outbound, Place, Platform, Target,
    Visibility,
};
use matrix_sdk::RoomState;
use matrix_sdk::attachment::AttachmentConfig;
use matrix_sdk::room::Room;
use matrix_sdk::room::reply::{EnforceThread, Reply};
use matrix_sdk::ruma::events::Mentions;
use matrix_sdk::ruma::events::reaction::ReactionEventContent;
use matrix_sdk::ruma::events::relation::{Annotation, Thread};
use matrix_sdk::ruma::events::room::message::{
    AddMentions, Relation, ReplyWithinThread, RoomMessageEventContent,
};
use matrix_sdk::ruma::{OwnedEventId, OwnedTransactionId, RoomId, UserId};
use std::time::Duration;

impl State {
    /// The direct room with `user`, created (encrypted, marked direct) if missing, and
    /// remembered as belonging to `team`. Someone in two teams has one direct room with
    /// hearth; it belongs to the team of the latest private reply, which is the conversation
    /// they are answering.
    pub(crate) async fn direct_room(
        &self,
        user: &UserId,
        team: &RoomId,
    ) -> Result<Room, DeliveryError> {
        let room = match self.client.get_dm_room(user) {
            Some(room) => room,
            None => {
                tracing::debug!("creating a direct room");
                let room = self.client.create_dm(user).await.map_err(|e| delivery_error(&e))?;
                tracing::debug!(room = %room.room_id(), "direct room created");
                room
            }
        };
        self.remember_dm(room.room_id(), team).await;
        Ok(room)
    }

    /// Sends one outbound message. `origin` is the event being answered, if any.
    pub(crate) async fn send(
        &self,
        origin: Option<(&Origin, &UserId)>,
        outbound: Outbound,
        txn: Option<&str>,
    ) -> Result<(), DeliveryError> {
        if outbound.target == Target::RetractOrigin {
            let event = origin.and_then(|(origin, _)| Some((&origin.room, origin.event.as_ref()?)));
            let (room, event) = event.ok_or(DeliveryError::Gone)?;
            room.redact(event, None, None).await.map_err(|e| delivery_error(&e.into()))?;
            tracing::debug!(room = %room.room_id(), "took back a private command");
            return Ok(());
        }
        let new_thread = match &outbound.target {
            Target::NewThread { title, .. } => Some(title.as_str()),
            _ => None,
        };
        let (room, thread, recipient) = match (&outbound.target, outbound.visibility, origin) {
            (Target::Origin, Visibility::Everyone, Some((origin, actor))) => {
                (origin.room.clone(), origin.thread.clone(), Some(actor.to_owned()))
            }
            (Target::Origin, Visibility::OnlyActor, Some((origin, actor))) => {
                if origin.team != *origin.room.room_id() {
                    (origin.room.clone(), None, Some(actor.to_owned()))
                } else {
                    (self.direct_room(actor, &origin.team).await?, None, Some(actor.to_owned()))
                }
            }
            (Target::Origin | Target::RetractOrigin, _, None) | (Target::RetractOrigin, _, _) => {
                return Err(DeliveryError::Gone);
            }
            (Target::Place { place, .. }, _, _) => {
                let (room, thread) = match place {
                    Place::Channel { id } => (id.as_str(), None),
                    Place::Thread { channel, thread } => (channel.as_str(), Some(thread.as_str())),
                    Place::Direct => return Err(DeliveryError::Gone),
                };
                let room_id = RoomId::parse(room).map_err(|_| DeliveryError::Gone)?;
                let room = self.client.get_room(&room_id).ok_or(DeliveryError::Gone)?;
                let thread = thread.and_then(|t| OwnedEventId::try_from(t).ok());
                (room, thread, None)
            }
            (Target::Together { people, title, .. }, _, _) => {
                (self.together_room(people, title, txn).await?, None, None)
            }
            (Target::NewThread { channel, .. }, _, _) => {
                let room_id = RoomId::parse(channel.as_str()).map_err(|_| DeliveryError::Gone)?;
                (self.client.get_room(&room_id).ok_or(DeliveryError::Gone)?, None, None)
            }
            (Target::Person { team, user_id }, _, _) => {
                let user = UserId::parse(user_id.as_str()).map_err(|_| DeliveryError::Gone)?;
                let team = RoomId::parse(team.id.as_str()).map_err(|_| DeliveryError::Gone)?;
                (self.direct_room(&user, &team).await?, None, Some(user))
            }
        };
        if room.state() != RoomState::Joined {
            return Err(DeliveryError::Gone);
        }
        let key = txn;
        let (root_txn, txn) = match (new_thread, txn) {
            (Some(_), Some(key)) => {
                let (root, reply) = thread_txns(key);
                (Some(root), Some(reply))
            }
            (_, txn) => (None, txn.map(OwnedTransactionId::from)),
        };
        let thread = match new_thread {
            Some(title) => {
                let (plain, html) = self.rendered(&thread_root(title));
                let root = send(&room, message(plain, html, None), root_txn).await?;
                tracing::debug!(room = %room.room_id(), "thread opened");
                Some(root)
            }
            None => thread,
        };
        let (plain, html) = self.rendered(&outbound.message);
        let files = files(&outbound.message.blocks);
        // A message that is only files has no text to send.
        let text_less = !files.is_empty() && plain.trim().is_empty();
        let sent = if text_less && outbound.message.controls.is_none() {
            None
        } else {
            let sent = send(&room, message(plain, html, thread.clone()), txn.clone()).await?;
            tracing::debug!(room = %room.room_id(), "sent");
            Some(sent)
        };
        for (i, (name, mime, bytes)) in files.into_iter().enumerate() {
            let txn = txn.as_ref().map(|txn| file_txn(txn.as_str(), i));
            send_file(&room, (name, mime, bytes.to_vec()), thread.clone(), txn).await?;
        }
        if matches!(outbound.target, Target::Together { .. }) {
            self.together_sent(&room, key).await;
            return Ok(());
        }
        let (Some(recipient), Some(controls), Some(sent)) =
            (recipient, outbound.message.controls, sent)
        else {
            return Ok(());
        };
        let key = (room.room_id().to_owned(), recipient);
        match controls {
            Controls::Choices { token, options } => {
                let ids = options.into_iter().map(|o| o.id).collect::<Vec<_>>();
                let count = ids.len().min(KEYCAPS.len());
                self.pending
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(key, Pending::Choices { token, options: ids, event: sent.clone() });
                for keycap in &KEYCAPS[..count] {
                    let reaction = ReactionEventContent::new(Annotation::new(
                        sent.clone(),
                        (*keycap).to_owned(),
                    ));
                    if let Err(error) = room.send(reaction).await {
                        tracing::debug!(error = %error, "could not add a choice reaction");
                    }
                }
            }
            Controls::Form(form) if !form.fields.is_empty() => {
                self.pending.lock().unwrap_or_else(|p| p.into_inner()).insert(
                    key,
                    Pending::Form { token: form.token, fields: form.fields, answers: Vec::new() },
                );
            }
            Controls::Form(_) => {}
        }
        Ok(())
    }

    /// A message's plain and HTML bodies, naming commands the Matrix way.
    /// The plain and HTML bodies, commands named with `!` in both: the words are changed
    /// before they are marked up, so a command at the start of a paragraph or list item is
    /// found in the HTML too.
    fn rendered(&self, message: &Message) -> (String, String) {
        let commands: Vec<&str> =
            self.handler.catalogue().commands.iter().map(|c| c.name).collect();
        render::render(&render::with_bang_commands(message, &commands))
    }
}

/// Sends one message (encrypted in an encrypted room) and answers its event id.
async fn send(
    room: &Room,
    content: RoomMessageEventContent,
    txn: Option<OwnedTransactionId>,
) -> Result<OwnedEventId, DeliveryError> {
    match txn {
        Some(txn) => room.send(content).with_transaction_id(txn).await,
        None => room.send(content).await,
    }
    .map(|sent| sent.response.event_id)
    .map_err(|e| delivery_error(&e))
}

/// The files of a message: name (without a path), media type and bytes.
fn files(blocks: &[Block]) -> Vec<(String, &str, &[u8])> {
    blocks
        .iter()
        .filter_map(|block| match block {
            Block::File { name, mime, bytes } => Some((file_name(name), mime.as_str(), &bytes[..])),
            _ => None,
        })
        .collect()
}

/// A file name clients show and save as it is: no path, no control characters.
fn file_name(name: &str) -> String {
    let kept: String =
        name.chars().filter(|c| !c.is_control() && !matches!(c, '/' | '\\')).collect();
    let kept = kept.trim().trim_start_matches('.');
    if kept.trim().is_empty() { "file".to_owned() } else { kept.to_owned() }
}

/// The transaction id of a message's `i`th file, from the message's own, so that a retried
/// delivery sends each file once too.
pub(crate) fn file_txn(message_txn: &str, i: usize) -> OwnedTransactionId {
    format!("{message_txn}-file-{i}").into()
}

/// Uploads a file (encrypted in an encrypted room) and sends it, in `thread` if given, with
/// no mentions. An unknown media type is sent as `application/octet-stream`.
async fn send_file(
    room: &Room,
    (name, mime, bytes): (String, &str, Vec<u8>),
    thread: Option<OwnedEventId>,
    txn: Option<OwnedTransactionId>,
) -> Result<(), DeliveryError> {
    let mime: mime::Mime = mime.parse().unwrap_or(mime::APPLICATION_OCTET_STREAM);
    let mut config = AttachmentConfig::new().mentions(Some(Mentions::new()));
    if let Some(txn) = txn {
        config = config.txn_id(txn);
    }
    if let Some(root) = thread {
        // In reply to the thread's root, in its thread: where the message's text went.
        config = config.reply(Some(Reply {
            event_id: root,
            enforce_thread: EnforceThread::Threaded(ReplyWithinThread::No),
            add_mentions: AddMentions::No,
        }));
    }
    let size = bytes.len();
    room.send_attachment(name, &mime, bytes, config).await.map_err(|e| delivery_error(&e))?;
    tracing::debug!(room = %room.room_id(), size, "file sent");
    Ok(())
}

/// The first message of a new thread: its title, as a heading.
pub(crate) fn thread_root(title: &str) -> Message {
    Message { blocks: vec![Block::Heading(title.to_owned())], controls: None }
}

/// The transaction ids of a new thread's first message and of the message in it, both from
/// the delivery's idempotency key, so a retry sends neither twice.
pub(crate) fn thread_txns(key: &str) -> (OwnedTransactionId, OwnedTransactionId) {
    (format!("{key}-root").into(), key.into())
}

/// A message with an HTML body, no mentions at all, and in a thread if given.
pub(crate) fn message(
    plain: String,
    html: String,
    thread: Option<OwnedEventId>,
) -> RoomMessageEventContent {
    let mut content = RoomMessageEventContent::text_html(plain, html).add_mentions(Mentions::new());
    if let Some(root) = thread {
        content.relates_to = Some(Relation::Thread(Thread::without_fallback(root)));
    }
    content
}

pub(crate) fn delivery_error(error: &matrix_sdk::Error) -> DeliveryError {
    use matrix_sdk::ruma::api::error::{ErrorKind, RetryAfter};
    match error.client_api_error_kind() {
        Some(ErrorKind::Forbidden) => DeliveryError::Forbidden,
        Some(ErrorKind::NotFound) => DeliveryError::Gone,
        // A file over the homeserver's upload limit (`m.upload.size`) will not pass later.
        Some(ErrorKind::TooLarge) => DeliveryError::Forbidden,
        Some(ErrorKind::LimitExceeded(data)) => {
            let retry_after = match data.retry_after {
                Some(RetryAfter::Delay(delay)) => delay,
                Some(RetryAfter::DateTime(at)) => {
                    at.duration_since(std::time::SystemTime::now()).unwrap_or_default()
                }
                None => Duration::from_secs(1),
            };
            DeliveryError::RateLimited { retry_after }
        }
        _ => DeliveryError::Transient,
    }
}

#[async_trait]
impl Delivery for Matrix {
    fn platform(&self) -> Platform {
        Platform::Matrix
    }

    async fn deliver(
        &self,
        outbound: Outbound,
        idempotency_key: &str,
    ) -> Result<(), DeliveryError> {
        self.state.send(None, outbound, Some(idempotency_key)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use matrix_sdk::ruma::owned_event_id;
    use serde_json::{Value, json};

    fn json_of(content: &RoomMessageEventContent) -> Value {
        serde_json::to_value(content).unwrap_or_default()
    }

    #[test]
    fn a_new_thread_is_a_titled_first_message_and_a_reply_in_its_thread() {
        let (plain, html) = render::render(&thread_root("Debrief <Tuesday> @room"));
        let root = json_of(&message(plain, html, None));
        assert_eq!(root["body"], "Debrief <Tuesday> @\u{2060}room");
        assert_eq!(
            root["formatted_body"],
            "<p><strong>Debrief &lt;Tuesday&gt; @\u{2060}room</strong></p>"
        );
        assert_eq!(root["m.mentions"], json!({}));
        assert!(root.get("m.relates_to").is_none());

        let first = owned_event_id!("$root:example.org");
        let said = Message { blocks: vec![Block::Text("How did it go?".into())], controls: None };
        let (plain, html) = render::render(&said);
        let reply = json_of(&message(plain, html, Some(first)));
        assert_eq!(reply["body"], "How did it go?");
        assert_eq!(reply["m.relates_to"]["rel_type"], "m.thread");
        assert_eq!(reply["m.relates_to"]["event_id"], "$root:example.org");
        assert_eq!(reply["m.mentions"], json!({}));
    }

    #[test]
    fn files_have_their_own_transaction_ids_and_no_path() {
        let (_, reply) = thread_txns("hearth-12-1764000000000");
        assert_eq!(file_txn(reply.as_str(), 0).as_str(), "hearth-12-1764000000000-file-0");
        assert_ne!(file_txn("k", 0), file_txn("k", 1));
        assert_ne!(file_txn("k", 0).as_str(), "k");
        assert_eq!(file_name("../next.ics"), "next.ics");
        assert_eq!(file_name("a\nb.json"), "ab.json");
        assert_eq!(file_name("/"), "file");
        let blocks = [
            Block::Text("Your data".into()),
            Block::File {
                name: "export.json".into(),
                mime: "application/json".into(),
                bytes: vec![1],
            },
        ];
        assert_eq!(files(&blocks), [("export.json".to_owned(), "application/json", &[1u8][..])]);
    }

    #[test]
    fn a_new_thread_sends_each_message_once() {
        let (root, reply) = thread_txns("hearth-12-1764000000000");
        assert_eq!(root.as_str(), "hearth-12-1764000000000-root");
        assert_eq!(reply.as_str(), "hearth-12-1764000000000");
        assert_eq!(thread_txns("hearth-12-1764000000000"), (root, reply));
    }
}
