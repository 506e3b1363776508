//! Interactions: a slash command, a click, a modal submit or an autocomplete request becomes an
//! inbound event for the core, and the core's replies go back as Discord expects.
//!
//! Answering within Discord's 3 seconds:
//! - a slash command runs the core at once; if it has not answered within `defer_after`
//!   (1.5 s by default), the interaction is deferred ephemerally (so nothing personal shows
//!   while hearth thinks) and the first reply edits that response later;
//! - a click or a modal submit is acknowledged before the core runs: on a personal message
//!   (ephemeral, or in a DM) by disabling its buttons and showing the choice made, on a shared
//!   one by a plain acknowledgement;
//! - the button that opens a form answers with the modal straight away, and so does a user
//!   picker whose form has fields to type once the people are picked (`forms::recall`).
//!
//! The first reply to a slash command is the interaction's response; every further reply at the
//! origin is a follow-up, ephemeral when only the actor may see it (in a guild; in a DM
//! everything is private already). Replies to a place or a person are channel messages or DMs.

use crate::commands;
use crate::components::{modal, settled};
use crate::ids::ComponentId;
use crate::origin::Origin;
use crate::outbox::{Shared, no_mentions};
use crate::picker;
use hearth_chat::{Event, Outbound, Target, Visibility};
use serenity::all::{
    ActionRowComponent, AutocompleteChoice, CommandInteraction, ComponentInteraction,
    ComponentInteractionDataKind, CreateActionRow, CreateAttachment, CreateAutocompleteResponse,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    EditInteractionResponse, Interaction, InteractionId, InteractionResponseFlags, MessageFlags,
    ModalInteraction,
};
use std::collections::VecDeque;

/// What has been sent back for an interaction so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ack {
    /// Nothing: the first reply is the interaction's response.
    Nothing,
    /// A deferred response waits to be edited.
    Deferred { ephemeral: bool },
    /// Answered: further replies are follow-ups.
    Answered,
}

pub async fn dispatch(shared: &Shared, interaction: Interaction) {
    match interaction {
        Interaction::Command(c) => command(shared, c).await,
        Interaction::Autocomplete(c) => autocomplete(shared, c).await,
        Interaction::Component(c) => component(shared, c).await,
        Interaction::Modal(m) => modal_submit(shared, m).await,
        _ => {}
    }
}

async fn respond(
    shared: &Shared,
    id: InteractionId,
    token: &str,
    response: CreateInteractionResponse,
) -> bool {
    match shared.http.create_interaction_response(id, token, &response, Vec::new()).await {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(interaction = %id, error = %error, "could not answer an interaction");
            false
        }
    }
}

async fn command(shared: &Shared, c: CommandInteraction) {
    tracing::debug!(interaction = %c.id, kind = "command", guild = ?c.guild_id, "interaction");
    let Some(guild) = c.guild_id else {
        // Commands exist in guilds only; an old registration could still reach a DM, where
        // hearth has no team to answer for. Acknowledge it without a word.
        let origin_less = CreateInteractionResponse::Defer(
            CreateInteractionResponseMessage::new().ephemeral(true),
        );
        if respond(shared, c.id, &c.token, origin_less).await {
            let _ = shared.http.delete_original_interaction_response(&c.token).await;
        }
        return;
    };
    let origin = Origin::new(
        c.id,
        &c.token,
        guild.to_string(),
        (c.guild_id, c.channel_id, c.channel.as_ref()),
        (&c.user, c.member.as_deref()),
    );
    let event = match commands::call(shared.handler.catalogue(), &c.data) {
        Ok(call) => Event::Command(call),
        Err(error) => Event::BadCommand(error),
    };
    let handler = shared.handler.clone();
    let inbound = origin.inbound(event);
    let mut task = tokio::spawn(async move { handler.handle(inbound).await });
    let mut ack = Ack::Nothing;
    let replies = match tokio::time::timeout(shared.defer_after, &mut task).await {
        Ok(done) => done,
        Err(_) => {
            tracing::debug!(interaction = %c.id, "deferred");
            let defer = CreateInteractionResponse::Defer(
                CreateInteractionResponseMessage::new().ephemeral(true),
            );
            if respond(shared, c.id, &c.token, defer).await {
                ack = Ack::Deferred { ephemeral: true };
            }
            task.await
        }
    };
    let replies = replies.unwrap_or_else(|error| {
        tracing::error!(interaction = %c.id, error = %error, "handling an interaction failed");
        Vec::new()
    });
    answer(shared, &origin, replies, ack).await;
}

async fn autocomplete(shared: &Shared, c: CommandInteraction) {
    let names = match c.data.autocomplete() {
        Some(focused) if commands::focused_is_timezone(shared.handler.catalogue(), &c.data) => {
            crate::zones::timezones(focused.value)
        }
        _ => Vec::new(),
    };
    let choices = names.into_iter().map(|n| AutocompleteChoice::new(n, n)).collect();
    let response = CreateInteractionResponse::Autocomplete(
        CreateAutocompleteResponse::new().set_choices(choices),
    );
    respond(shared, c.id, &c.token, response).await;
}

async fn component(shared: &Shared, c: ComponentInteraction) {
    tracing::debug!(interaction = %c.id, kind = "component", guild = ?c.guild_id, "interaction");
    let Some(id) = ComponentId::parse(&c.data.custom_id) else {
        respond(shared, c.id, &c.token, CreateInteractionResponse::Acknowledge).await;
        return;
    };
    let origin = Origin::new(
        c.id,
        &c.token,
        id.team().to_owned(),
        (c.guild_id, c.channel_id, c.channel.as_ref()),
        (&c.user, c.member.as_ref()),
    );
    let token = id.token().to_owned();
    let (event, chosen) = match (&id, &c.data.kind) {
        (ComponentId::Choice { option, .. }, ComponentInteractionDataKind::Button) => {
            (Event::Choice { token, option: option.clone() }, None)
        }
        (ComponentId::Select { .. }, ComponentInteractionDataKind::StringSelect { values }) => {
            let Some(option) = values.first() else {
                respond(shared, c.id, &c.token, CreateInteractionResponse::Acknowledge).await;
                return;
            };
            (Event::Choice { token, option: option.clone() }, Some(option.clone()))
        }
        (
            ComponentId::Pick { team, field, .. },
            ComponentInteractionDataKind::UserSelect { values },
        ) => {
            let Some(user) = values.first().map(ToString::to_string) else {
                respond(shared, c.id, &c.token, CreateInteractionResponse::Acknowledge).await;
                return;
            };
            match picker::picked(shared, &origin, (team, token), field, &user).await {
                picker::Step::Core(event) => (event, Some(user)),
                picker::Step::Respond(response) => {
                    respond(shared, c.id, &c.token, response).await;
                    return;
                }
            }
        }
        (ComponentId::Skip { .. }, ComponentInteractionDataKind::Button) => {
            shared.forms.lock().unwrap_or_else(|p| p.into_inner()).take(&token);
            (Event::Form { token, fields: Vec::new() }, None)
        }
        (ComponentId::OpenForm { team, .. }, ComponentInteractionDataKind::Button) => {
            let form = crate::forms::recall(shared, &origin, &token).await;
            if let Some(modal) = form.and_then(|form| modal(team, &form)) {
                respond(shared, c.id, &c.token, CreateInteractionResponse::Modal(modal)).await;
                return;
            }
            // Answered already (expired), or not described in time: the core asks again.
            tracing::debug!(interaction = %c.id, "form not known; handed to the core");
            let ack = CreateInteractionResponse::Acknowledge;
            if respond(shared, c.id, &c.token, ack).await {
                let replies =
                    shared.handler.handle(origin.inbound(Event::Restarted { token })).await;
                answer(shared, &origin, replies, Ack::Answered).await;
            }
            return;
        }
        _ => {
            respond(shared, c.id, &c.token, CreateInteractionResponse::Acknowledge).await;
            return;
        }
    };
    let personal = !origin.in_guild || is_ephemeral(c.message.flags);
    let ack = if personal {
        let rows = settled(&c.message.components, &c.data.custom_id, chosen.as_deref());
        CreateInteractionResponse::UpdateMessage(
            CreateInteractionResponseMessage::new().components(rows),
        )
    } else {
        CreateInteractionResponse::Acknowledge
    };
    if respond(shared, c.id, &c.token, ack).await {
        let replies = shared.handler.handle(origin.inbound(event)).await;
        answer(shared, &origin, replies, Ack::Answered).await;
    }
}

async fn modal_submit(shared: &Shared, m: ModalInteraction) {
    tracing::debug!(interaction = %m.id, kind = "modal", guild = ?m.guild_id, "interaction");
    let Some(ComponentId::Modal { team, token }) = ComponentId::parse(&m.data.custom_id) else {
        respond(shared, m.id, &m.token, CreateInteractionResponse::Acknowledge).await;
        return;
    };
    let picked = shared.forms.lock().unwrap_or_else(|p| p.into_inner()).take(&token);
    let mut fields: Vec<(String, String)> = m
        .data
        .components
        .iter()
        .flat_map(|row| &row.components)
        .filter_map(|component| match component {
            ActionRowComponent::InputText(input) => {
                Some((input.custom_id.clone(), input.value.clone().unwrap_or_default()))
            }
            _ => None,
        })
        .collect();
    // The people picked before this modal opened (for a form that names someone).
    fields.extend(picked.into_iter().flat_map(|(_, picked)| picked));
    let origin = Origin::new(
        m.id,
        &m.token,
        team.clone(),
        (m.guild_id, m.channel_id, m.channel.as_ref()),
        (&m.user, m.member.as_ref()),
    );
    let opened_by =
        ComponentId::OpenForm { team, token: token.clone() }.encode().unwrap_or_default();
    let ack = match &m.message {
        Some(message) if !origin.in_guild || is_ephemeral(message.flags) => {
            let rows = settled(&message.components, &opened_by, None);
            CreateInteractionResponse::UpdateMessage(
                CreateInteractionResponseMessage::new().components(rows),
            )
        }
        _ => CreateInteractionResponse::Acknowledge,
    };
    if respond(shared, m.id, &m.token, ack).await {
        let replies = shared.handler.handle(origin.inbound(Event::Form { token, fields })).await;
        answer(shared, &origin, replies, Ack::Answered).await;
    }
}

fn is_ephemeral(flags: Option<MessageFlags>) -> bool {
    flags.is_some_and(|f| f.contains(MessageFlags::EPHEMERAL))
}

/// Sends the core's replies to an interaction.
async fn answer(shared: &Shared, origin: &Origin, replies: Vec<Outbound>, mut ack: Ack) {
    let mut queue: VecDeque<Outbound> = replies.into();
    // A private message to someone else that fails, or a private place that could not be
    // opened, is reported to the core, once each; its answer comes next, before the rest.
    let (mut reported_person, mut reported_together) = (false, false);
    while let Some(outbound) = queue.pop_front() {
        let Some(event) = send(shared, origin, &mut ack, outbound).await else { continue };
        let reported = match event {
            Event::TogetherFailed { .. } => &mut reported_together,
            _ => &mut reported_person,
        };
        if !*reported {
            *reported = true;
            for more in shared.handler.handle(origin.inbound(event)).await.into_iter().rev() {
                queue.push_front(more);
            }
        }
    }
    // A command must be answered even when the core said nothing there.
    match ack {
        Ack::Nothing => {
            let defer = CreateInteractionResponse::Defer(
                CreateInteractionResponseMessage::new().ephemeral(true),
            );
            if respond(shared, origin.id, &origin.token, defer).await {
                let _ = shared.http.delete_original_interaction_response(&origin.token).await;
            }
        }
        Ack::Deferred { .. } => {
            let _ = shared.http.delete_original_interaction_response(&origin.token).await;
        }
        Ack::Answered => {}
    }
}

/// Sends one reply; for a private message to another person that did not arrive, or a private
/// place that could not be opened, returns what the core should hear about it.
async fn send(
    shared: &Shared,
    origin: &Origin,
    ack: &mut Ack,
    outbound: Outbound,
) -> Option<Event> {
    if outbound.target == Target::RetractOrigin {
        // An interaction is seen only by the person who used it: nothing to take back.
        return None;
    }
    if outbound.target != Target::Origin {
        if let Err(error) = shared.deliver(&outbound, None).await {
            tracing::warn!(interaction = %origin.id, error = error.kind(), "could not send");
            match outbound.target {
                Target::Person { user_id, .. } => {
                    return Some(Event::Undelivered { user_id, error });
                }
                Target::Together { people, .. } => {
                    return Some(Event::TogetherFailed { people, error });
                }
                _ => {}
            }
        }
        return None;
    }
    let ephemeral = outbound.visibility == Visibility::OnlyActor && origin.in_guild;
    let pieces = match shared.render(&origin.team.id, &outbound.message) {
        Ok(pieces) => pieces,
        Err(error) => {
            tracing::warn!(interaction = %origin.id, error = error.kind(), "could not reply");
            return None;
        }
    };
    for piece in pieces {
        let (content, rows, file) = (piece.content, piece.rows, piece.file);
        if let Err(error) = reply(shared, origin, ack, content, rows, file, ephemeral).await {
            tracing::warn!(interaction = %origin.id, error = %error, "could not reply");
        }
    }
    None
}

/// One message at the interaction's origin: its response, the edit of a deferred response, or
/// a follow-up; with a file, it is named in the message (attachment 0) and uploaded with it,
/// and is exactly as ephemeral as the message.
async fn reply(
    shared: &Shared,
    origin: &Origin,
    ack: &mut Ack,
    content: String,
    rows: Vec<CreateActionRow>,
    file: Option<CreateAttachment>,
    ephemeral: bool,
) -> serenity::Result<()> {
    let http = &shared.http;
    let files: Vec<CreateAttachment> = file.into_iter().collect();
    match *ack {
        Ack::Nothing => {
            let mut message = CreateInteractionResponseMessage::new()
                .allowed_mentions(no_mentions())
                .flags(InteractionResponseFlags::SUPPRESS_EMBEDS)
                .ephemeral(ephemeral);
            if !content.is_empty() {
                message = message.content(content);
            }
            if !rows.is_empty() {
                message = message.components(rows);
            }
            let message = message.add_files(files.clone());
            let response = CreateInteractionResponse::Message(message);
            http.create_interaction_response(origin.id, &origin.token, &response, files).await?;
        }
        Ack::Deferred { ephemeral: deferred } if deferred == ephemeral => {
            let mut edit = EditInteractionResponse::new()
                .content(content)
                .components(rows)
                .flags(MessageFlags::SUPPRESS_EMBEDS)
                .allowed_mentions(no_mentions());
            for file in &files {
                edit = edit.new_attachment(file.clone());
            }
            http.edit_original_interaction_response(&origin.token, &edit, files).await?;
        }
        Ack::Deferred { .. } | Ack::Answered => {
            if matches!(*ack, Ack::Deferred { .. }) {
                // A deferred response cannot change who sees it: remove it, then follow up.
                http.delete_original_interaction_response(&origin.token).await?;
            }
            let mut followup = CreateInteractionResponseFollowup::new()
                .allowed_mentions(no_mentions())
                .flags(MessageFlags::SUPPRESS_EMBEDS)
                .ephemeral(ephemeral);
            if !content.is_empty() {
                followup = followup.content(content);
            }
            if !rows.is_empty() {
                followup = followup.components(rows);
            }
            let followup = followup.add_files(files.clone());
            http.create_followup_message(&origin.token, &followup, files).await?;
        }
    }
    *ack = Ack::Answered;
    Ok(())
}
