//! Choosing a person without any privileged intent: a user select menu (component type 5) in a
//! message, and a USER option (type 6) in a slash command, each arriving with `resolved`.

use fake_discord::{FakeError, Member, Origin};
use serde_json::json;
use serenity::all::{
    ChannelId, Command, CommandOptionType, ComponentInteractionDataKind, CreateActionRow,
    CreateCommand, CreateCommandOption, CreateInteractionResponse, CreateMessage, CreateSelectMenu,
    CreateSelectMenuKind, Interaction, UserId,
};

use crate::common::{Bot, WAIT, discord_error, world};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_select_brings_the_picked_members_resolved() {
    let w = world().await;
    let cy = w.discord.fresh_id();
    w.discord.add_member(w.guild, Member::new(cy, "cy"));
    let stranger = w.discord.fresh_id();
    w.discord.add_user(stranger, "stranger");
    let mut bot = Bot::ready(&w.discord).await;
    let picker = CreateSelectMenu::new("who", CreateSelectMenuKind::User { default_users: None })
        .placeholder("Who should reach out?")
        .min_values(1)
        .max_values(2);
    let message = ChannelId::new(w.general)
        .send_message(
            &bot.http,
            CreateMessage::new()
                .content("Pick")
                .components(vec![CreateActionRow::SelectMenu(picker)]),
        )
        .await
        .unwrap();
    let stored = w.discord.message(message.id.get()).unwrap();
    assert_eq!(stored.component("who").unwrap()["type"], 5);

    let picked = w.discord.select_users(w.ada, message.id.get(), "who", &[w.bo, cy]).await.unwrap();
    let (ctx, interaction) = bot.next_interaction().await;
    let Interaction::Component(component) = interaction else { panic!("a component") };
    let ComponentInteractionDataKind::UserSelect { values } = &component.data.kind else {
        panic!("a user select: {:?}", component.data.kind)
    };
    assert_eq!(values, &vec![UserId::new(w.bo), UserId::new(cy)]);
    let resolved = &component.data.resolved;
    assert_eq!(resolved.users[&UserId::new(w.bo)].name, "bo");
    assert!(resolved.members.contains_key(&UserId::new(cy)), "members come with a guild pick");
    assert_eq!(component.message.id, message.id);
    component.create_response(&ctx.http, CreateInteractionResponse::Acknowledge).await.unwrap();
    assert_eq!(picked.response(WAIT).await.unwrap().kind, 6);

    // What Discord's picker would never offer or allow.
    let id = message.id.get();
    let too_few = w.discord.select_users(w.ada, id, "who", &[]).await;
    assert!(matches!(too_few, Err(FakeError::Impossible(_))), "{too_few:?}");
    let too_many = w.discord.select_users(w.ada, id, "who", &[w.bo, cy, w.ada]).await;
    assert!(matches!(too_many, Err(FakeError::Impossible(_))), "{too_many:?}");
    let outsider = w.discord.select_users(w.ada, id, "who", &[stranger]).await;
    assert!(matches!(outsider, Err(FakeError::Impossible(_))), "{outsider:?}");
    let as_strings = w.discord.select(w.ada, id, "who", &["x"]).await;
    assert!(matches!(as_strings, Err(FakeError::Impossible(_))), "{as_strings:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_menus_are_refused_outside_discords_limits() {
    let w = world().await;
    let bot = Bot::ready(&w.discord).await;
    let channel = ChannelId::new(w.general);
    let send = |menu: CreateSelectMenu| {
        channel.send_message(
            &bot.http,
            CreateMessage::new()
                .content("Pick")
                .components(vec![CreateActionRow::SelectMenu(menu)]),
        )
    };
    let users = || CreateSelectMenuKind::User { default_users: None };
    let long_id = CreateSelectMenu::new("x".repeat(101), users());
    assert_eq!(discord_error(send(long_id).await), (400, 50035));
    let inverted = CreateSelectMenu::new("who", users()).min_values(3).max_values(2);
    assert_eq!(discord_error(send(inverted).await), (400, 50035));
    let too_many = CreateSelectMenu::new("who", users()).max_values(26);
    assert_eq!(discord_error(send(too_many).await), (400, 50035));
    assert!(send(CreateSelectMenu::new("who", users()).max_values(25)).await.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_option_comes_with_the_user_and_member_resolved() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    let person = CreateCommandOption::new(CommandOptionType::User, "person", "Who").required(true);
    let debrief = CreateCommand::new("debrief").description("Debrief").add_option(person);
    Command::set_global_commands(&bot.http, vec![debrief]).await.unwrap();
    let here = Origin::Guild { guild_id: w.guild, channel_id: w.general };
    let options = json!([{ "name": "person", "type": 6, "value": w.bo.to_string() }]);
    w.discord.slash_command(here, w.ada, "debrief", options).await.unwrap();
    let (_, interaction) = bot.next_interaction().await;
    let Interaction::Command(command) = interaction else { panic!("a command") };
    let resolved = &command.data.resolved;
    assert_eq!(resolved.users[&UserId::new(w.bo)].name, "bo");
    assert!(resolved.members.contains_key(&UserId::new(w.bo)));
    assert_eq!(command.data.options[0].value.as_user_id(), Some(UserId::new(w.bo)));
}
