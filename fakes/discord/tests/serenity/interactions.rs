//! Slash commands, buttons, selects and modals, answered with serenity's builders.

use fake_discord::{FakeError, Origin};
use serde_json::json;
use serenity::all::{
    ButtonStyle, Command, CreateActionRow, CreateButton, CreateCommand, CreateInputText,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    CreateModal, CreateSelectMenu, CreateSelectMenuKind, CreateSelectMenuOption,
    EditInteractionResponse, EditMessage, InputTextStyle, Interaction, InteractionContext,
    Permissions,
};
use serenity::http::HttpError;

use crate::common::{Bot, WAIT, world};

fn guild_of(w: &crate::common::World) -> Origin {
    Origin::Guild { guild_id: w.guild, channel_id: w.general }
}

async fn register(bot: &Bot) {
    let commands = vec![
        CreateCommand::new("checkin").description("Check in"),
        CreateCommand::new("setup")
            .description("Set up")
            .default_member_permissions(Permissions::MANAGE_GUILD)
            .contexts(vec![InteractionContext::Guild]),
    ];
    Command::set_global_commands(&bot.http, commands).await.expect("commands register");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slash_command_is_answered_once_and_the_latency_is_recorded() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    register(&bot).await;
    let options = json!([{ "name": "note", "type": 3, "value": "hi" }]);
    let handle = w.discord.slash_command(guild_of(&w), w.ada, "checkin", options).await.unwrap();

    let (ctx, interaction) = bot.next_interaction().await;
    let Interaction::Command(command) = interaction else { panic!("a command") };
    assert_eq!(command.data.name, "checkin");
    assert_eq!(command.data.options[0].value.as_str(), Some("hi"));
    assert_eq!(command.locale, "de");
    let member = command.member.as_ref().expect("a guild member");
    assert!(member.permissions.unwrap().manage_guild());
    assert_eq!(command.user.id.get(), w.ada, "serenity copies member.user into user");
    assert_eq!(command.guild_id.map(|g| g.get()), Some(w.guild));

    let buttons = CreateActionRow::Buttons(vec![
        CreateButton::new("mood:ready").label("Ready").style(ButtonStyle::Success),
    ]);
    let reply = CreateInteractionResponseMessage::new()
        .content("How are you?")
        .components(vec![buttons])
        .ephemeral(true);
    command
        .create_response(&ctx.http, CreateInteractionResponse::Message(reply.clone()))
        .await
        .unwrap();

    let callback = handle.response(WAIT).await.unwrap();
    assert_eq!(callback.kind, 4);
    assert_eq!(callback.data()["content"], "How are you?");
    assert!(callback.latency < WAIT);
    let original = handle.original().expect("the response is a message");
    assert!(original.is_ephemeral());
    assert!(original.component("mood:ready").is_some());

    // Discord allows one callback per interaction.
    let again = command.create_response(&ctx.http, CreateInteractionResponse::Message(reply)).await;
    let Err(serenity::Error::Http(HttpError::UnsuccessfulRequest(error))) = again else {
        panic!("second callback must fail: {again:?}")
    };
    assert_eq!(error.status_code.as_u16(), 400);
    assert_eq!(error.error.code, 40060);

    // A follow-up, then an edit of @original.
    let followup = CreateInteractionResponseFollowup::new().content("Thanks").ephemeral(true);
    let sent = command.create_followup(&ctx.http, followup).await.unwrap();
    assert_eq!(handle.followup(0, WAIT).await.unwrap().id, sent.id.get());
    let edited = command
        .edit_response(&ctx.http, EditInteractionResponse::new().content("Edited"))
        .await
        .unwrap();
    assert_eq!(edited.content, "Edited");
    assert_eq!(handle.original_edited(WAIT).await.unwrap().content, "Edited");
    let fetched = command.get_response(&ctx.http).await.unwrap();
    assert_eq!(fetched.id.get(), original.id);
    // Ephemeral messages cannot be edited through the channel, only the webhook.
    let through_channel = fetched
        .channel_id
        .edit_message(&ctx.http, fetched.id, EditMessage::new().content("x"))
        .await;
    assert!(through_channel.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clicks_and_selects_reach_the_bot_and_update_the_message() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    let select = CreateSelectMenu::new(
        "pick",
        CreateSelectMenuKind::String {
            options: vec![
                CreateSelectMenuOption::new("Ready", "ready"),
                CreateSelectMenuOption::new("Pass", "pass"),
            ],
        },
    );
    let message = serenity::all::ChannelId::new(w.general)
        .send_message(
            &bot.http,
            serenity::all::CreateMessage::new().content("Check in").components(vec![
                CreateActionRow::Buttons(vec![CreateButton::new("go").label("Go")]),
                CreateActionRow::SelectMenu(select),
            ]),
        )
        .await
        .unwrap();

    let click = w.discord.click(w.bo, message.id.get(), "go").await.unwrap();
    let (ctx, interaction) = bot.next_interaction().await;
    let Interaction::Component(component) = interaction else { panic!("a component") };
    assert_eq!(component.data.custom_id, "go");
    assert_eq!(component.message.id, message.id);
    let update = CreateInteractionResponseMessage::new().content("Going").components(vec![]);
    component
        .create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(update))
        .await
        .unwrap();
    assert_eq!(click.response(WAIT).await.unwrap().kind, 7);
    let stored = w.discord.message(message.id.get()).unwrap();
    assert_eq!(stored.content, "Going");
    assert_eq!(
        w.discord.click(w.bo, message.id.get(), "go").await.unwrap_err(),
        FakeError::UnknownComponent("go".into())
    );

    let message2 = serenity::all::ChannelId::new(w.general)
        .send_message(
            &bot.http,
            serenity::all::CreateMessage::new().content("Pick").components(vec![
                CreateActionRow::SelectMenu(CreateSelectMenu::new(
                    "pick",
                    CreateSelectMenuKind::String {
                        options: vec![CreateSelectMenuOption::new("Pass", "pass")],
                    },
                )),
            ]),
        )
        .await
        .unwrap();
    let picked = w.discord.select(w.bo, message2.id.get(), "pick", &["pass"]).await.unwrap();
    let (ctx, interaction) = bot.next_interaction().await;
    let Interaction::Component(component) = interaction else { panic!("a component") };
    let serenity::all::ComponentInteractionDataKind::StringSelect { values } = &component.data.kind
    else {
        panic!("a string select")
    };
    assert_eq!(values, &vec!["pass".to_owned()]);
    component.create_response(&ctx.http, CreateInteractionResponse::Acknowledge).await.unwrap();
    assert_eq!(picked.response(WAIT).await.unwrap().kind, 6);
    component
        .edit_response(&ctx.http, EditInteractionResponse::new().content("Picked"))
        .await
        .unwrap();
    assert_eq!(picked.original_edited(WAIT).await.unwrap().content, "Picked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_modal_is_shown_and_submitted_in_a_dm() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    register(&bot).await;
    let shown = w.discord.slash_command(Origin::Dm, w.bo, "checkin", json!([])).await.unwrap();
    let (ctx, interaction) = bot.next_interaction().await;
    let Interaction::Command(command) = interaction else { panic!("a command") };
    assert!(command.guild_id.is_none() && command.member.is_none());
    assert_eq!(command.user.id.get(), w.bo);
    let modal = CreateModal::new("note", "A note").components(vec![CreateActionRow::InputText(
        CreateInputText::new(InputTextStyle::Paragraph, "Note", "text"),
    )]);
    command.create_response(&ctx.http, CreateInteractionResponse::Modal(modal)).await.unwrap();
    assert_eq!(shown.response(WAIT).await.unwrap().kind, 9);

    let submitted = w
        .discord
        .submit_modal(Origin::Dm, w.bo, "note", &[("text", "feeling fine")])
        .await
        .unwrap();
    let (ctx, interaction) = bot.next_interaction().await;
    let Interaction::Modal(modal) = interaction else { panic!("a modal submit") };
    assert_eq!(modal.data.custom_id, "note");
    let serenity::all::ActionRowComponent::InputText(input) =
        &modal.data.components[0].components[0]
    else {
        panic!("a text input")
    };
    assert_eq!(input.value.as_deref(), Some("feeling fine"));
    modal
        .create_response(
            &ctx.http,
            CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new()),
        )
        .await
        .unwrap();
    assert_eq!(submitted.response(WAIT).await.unwrap().kind, 5);
    modal.edit_response(&ctx.http, EditInteractionResponse::new().content("Saved")).await.unwrap();
    let original = submitted.original_edited(WAIT).await.unwrap();
    assert_eq!(original.content, "Saved");
    assert_eq!(w.discord.dm_messages_to(w.bo).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_a_user_cannot_see_cannot_be_invoked() {
    let w = world().await;
    let bot = Bot::ready(&w.discord).await;
    assert_eq!(
        w.discord.slash_command(guild_of(&w), w.ada, "checkin", json!([])).await.unwrap_err(),
        FakeError::UnknownCommand("checkin".into())
    );
    register(&bot).await;
    let hidden = w.discord.slash_command(guild_of(&w), w.bo, "setup", json!([])).await;
    assert!(matches!(hidden, Err(FakeError::CommandHidden(_))), "{hidden:?}");
    let in_dm = w.discord.slash_command(Origin::Dm, w.ada, "setup", json!([])).await;
    assert!(matches!(in_dm, Err(FakeError::CommandHidden(_))), "{in_dm:?}");
    assert!(w.discord.slash_command(guild_of(&w), w.ada, "setup", json!([])).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_after_the_deadline_is_an_unknown_interaction() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    register(&bot).await;
    w.discord.set_interaction_deadline(Some(std::time::Duration::ZERO));
    let handle = w.discord.slash_command(guild_of(&w), w.bo, "checkin", json!([])).await.unwrap();
    let (ctx, interaction) = bot.next_interaction().await;
    let Interaction::Command(command) = interaction else { panic!("a command") };
    let late = command.create_response(&ctx.http, CreateInteractionResponse::Acknowledge).await;
    let Err(serenity::Error::Http(HttpError::UnsuccessfulRequest(error))) = late else {
        panic!("a late callback must fail: {late:?}")
    };
    assert_eq!((error.status_code.as_u16(), error.error.code), (404, 10062));
    assert!(handle.callback().is_none());
}
