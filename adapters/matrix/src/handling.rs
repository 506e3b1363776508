//! Handling what people send: a typed command (parsed against the catalogue, with people
//! named in it turned into user ids), an answer to what hearth asked, or stray text in a direct
//! room, handed to the core as one event; then its replies are sent, and a private message that
//! could not be delivered is reported back once.

use crate::{Origin, State, message, pending::Pending, render};
use hearth_chat::{Actor, Event, Inbound, Outbound, Place, Platform, Target, TeamRef};
use matrix_sdk::ruma::UserId;
use matrix_sdk::ruma::events::room::power_levels::UserPowerLevel;

impl State {
    /// A typed message: a command, an answer to what was asked, or (in a direct room) text.
    pub(crate) async fn text(&self, origin: Origin, sender: &UserId, body: &str) {
        let key = (origin.room.room_id().to_owned(), sender.to_owned());
        if let Some(command) = render::command_text(body) {
            // A new command abandons a half-answered form.
            {
                let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
                let asked = pending.get(&key);
                if matches!(asked, Some(Pending::Form { .. } | Pending::Interrupted { .. })) {
                    pending.remove(&key);
                }
            }
            let event = match self.handler.catalogue().parse(command) {
                Ok(call) => Event::Command(self.with_people(&origin.team, call).await),
                Err(error) => Event::BadCommand(error),
            };
            return self.send_event(origin, sender, event).await;
        }
        let answer = render::answer_text(body).to_owned();
        let taken = self.pending.lock().unwrap_or_else(|p| p.into_inner()).remove(&key);
        let event = match taken {
            Some(Pending::Form { token, fields, mut answers }) => {
                let field = &fields[answers.len()];
                // An optional answer cannot be an empty message here: a lone `-` skips it.
                let answer = if !field.required && answer == "-" {
                    String::new()
                } else if field.names_person {
                    self.person(&origin.team, &answer).await
                } else {
                    answer
                };
                answers.push((field.id.clone(), answer));
                if answers.len() < fields.len() {
                    let (plain, html) = render::question(&fields[answers.len()].label);
                    self.pending
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(key, Pending::Form { token, fields, answers });
                    self.save_pending().await;
                    let content = message(plain, html, None);
                    if let Err(error) = origin.room.send(content).await {
                        tracing::warn!(error = %error, "could not ask the next question");
                    }
                    return;
                }
                Event::Form { token, fields: answers }
            }
            // hearth restarted part-way through a form; what was typed was never kept.
            Some(Pending::Interrupted { token }) => Event::Restarted { token },
            Some(Pending::Choices { token, options, event }) => {
                match render::choice_index(&answer).and_then(|i| options.get(i).cloned()) {
                    Some(option) => Event::Choice { token, option },
                    None => {
                        self.pending
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .insert(key, Pending::Choices { token, options, event });
                        Event::Text(answer)
                    }
                }
            }
            // Team rooms are people's own conversation: hearth answers commands there, and
            // never reads along. In a direct room, stray text gets a kind pointer to /help.
            None if origin.team == *origin.room.room_id() => return,
            None => Event::Text(answer),
        };
        self.send_event(origin, sender, event).await;
    }

    /// Hands one event to hearth and sends what comes back.
    pub(crate) async fn send_event(&self, origin: Origin, sender: &UserId, event: Event) {
        let actor = self.actor(&origin, sender).await;
        let place = if origin.team != *origin.room.room_id() {
            Place::Direct
        } else if let Some(thread) = &origin.thread {
            Place::Thread { channel: origin.team.to_string(), thread: thread.to_string() }
        } else {
            Place::Channel { id: origin.team.to_string() }
        };
        let team = TeamRef { platform: Platform::Matrix, id: origin.team.to_string() };
        let inbound = Inbound { team, actor, place, event };
        let replies = self.handler.handle(inbound.clone()).await;
        tracing::debug!(room = %origin.room.room_id(), replies = replies.len(), "handled");
        let mut queue: std::collections::VecDeque<Outbound> = replies.into();
        // A private message to someone else, or a private place for a few people, that cannot
        // be delivered is reported to hearth, once each; its answer comes next, before the rest.
        let (mut reported_person, mut reported_together) = (false, false);
        while let Some(outbound) = queue.pop_front() {
            let target = outbound.target.clone();
            let Err(error) = self.send(Some((&origin, sender)), outbound, None).await else {
                continue;
            };
            tracing::warn!(error = error.kind(), "could not send a reply");
            let (event, reported) = match target {
                Target::Person { user_id, .. } => {
                    (Event::Undelivered { user_id, error }, &mut reported_person)
                }
                Target::Together { people, .. } => {
                    self.abandon_opening(&people).await;
                    (Event::TogetherFailed { people, error }, &mut reported_together)
                }
                _ => continue,
            };
            if !*reported {
                *reported = true;
                let more = self.handler.handle(Inbound { event, ..inbound.clone() }).await;
                for reply in more.into_iter().rev() {
                    queue.push_front(reply);
                }
            }
        }
        // What the replies asked, kept for after a restart.
        self.save_pending().await;
    }

    async fn actor(&self, origin: &Origin, sender: &UserId) -> Actor {
        let team_room = self.client.get_room(&origin.team);
        let member = match &team_room {
            Some(room) => room.get_member(sender).await.ok().flatten(),
            None => None,
        };
        let display_name = member
            .as_ref()
            .and_then(|m| m.display_name().map(str::to_owned))
            .unwrap_or_else(|| sender.localpart().to_owned());
        let is_team_admin = match member.map(|m| m.power_level()) {
            Some(UserPowerLevel::Infinite) => true,
            Some(UserPowerLevel::Int(level)) => i64::from(level) >= self.options.admin_power_level,
            _ => false,
        };
        Actor { user_id: sender.to_string(), display_name, is_team_admin }
    }
}
