//! Interaction callbacks as strict as Discord: a type the interaction allows, one initial
//! response within 3 seconds, tokens that expire after 15 minutes, modal submits that carry
//! the message they came from, autocomplete answers of at most 25 choices.

use std::time::Duration;

use fake_discord::{FakeDiscord, InteractionHandle, Origin};
use reqwest::Method;
use serde_json::{Value, json};
use serenity::all::{
    ChannelId, Command, CommandOptionType, CreateActionRow, CreateButton, CreateCommand,
    CreateCommandOption, CreateMessage, GatewayIntents, GuildId, Interaction,
};

use crate::common::{Bot, WAIT, discord_error, http, raw, world};

async fn register(bot: &Bot) {
    let topic = CreateCommandOption::new(CommandOptionType::String, "topic", "Which topic")
        .set_autocomplete(true);
    let commands = vec![
        CreateCommand::new("checkin").description("Check in"),
        CreateCommand::new("cop").description("Topics").add_option(topic),
    ];
    Command::set_global_commands(&bot.http, commands).await.expect("commands register");
}

fn here(w: &crate::common::World) -> Origin {
    Origin::Guild { guild_id: w.guild, channel_id: w.general }
}

async fn answer(discord: &FakeDiscord, handle: &InteractionHandle, body: Value) -> (u16, Value) {
    let path = format!("interactions/{}/{}/callback", handle.id(), handle.token());
    raw(discord, Method::POST, &path, &body).await
}

fn modal(custom_id: &str) -> Value {
    json!({ "type": 9, "data": { "custom_id": custom_id, "title": "Note", "components": [
        { "type": 1, "components": [{ "type": 4, "custom_id": "text", "style": 1, "label": "Note" }] }
    ] } })
}

fn message(content: &str) -> Value {
    json!({ "type": 4, "data": { "content": content } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callback_types_must_fit_the_interaction() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    register(&bot).await;
    let d = &w.discord;

    // A slash command: a message, a deferral or a modal; never an update (6, 7) or choices (8).
    let command = d.slash_command(here(&w), w.bo, "checkin", json!([])).await.unwrap();
    bot.next_interaction().await;
    for refused in [6, 7, 8] {
        let (status, body) = answer(d, &command, json!({ "type": refused, "data": {} })).await;
        assert_eq!((status, body["code"].clone()), (400, json!(50035)), "type {refused}");
        assert!(body["errors"]["type"].is_object(), "{body}");
    }
    assert_eq!(answer(d, &command, message("Hi")).await.0, 204);
    // Only one initial response.
    let (status, body) = answer(d, &command, message("Again")).await;
    assert_eq!((status, body["code"].clone()), (400, json!(40060)));

    // A modal opened by a slash command: its submit cannot update a message (there is none),
    // and never gets a modal back.
    let opens = d.slash_command(here(&w), w.bo, "checkin", json!([])).await.unwrap();
    bot.next_interaction().await;
    assert_eq!(answer(d, &opens, modal("note")).await.0, 204);
    let submit = d.submit_modal(here(&w), w.bo, "note", &[("text", "hi")]).await.unwrap();
    let (_, interaction) = bot.next_interaction().await;
    let Interaction::Modal(submitted) = interaction else { panic!("a modal submit") };
    assert!(submitted.message.is_none(), "not opened from a message");
    for refused in [6, 7, 8, 9] {
        let (status, _) =
            answer(d, &submit, json!({ "type": refused, "data": modal("again")["data"] })).await;
        assert_eq!(status, 400, "type {refused} after a modal submit");
    }
    assert_eq!(answer(d, &submit, json!({ "type": 5, "data": { "flags": 64 } })).await.0, 204);
    // A submitted modal is closed.
    let twice = d.submit_modal(here(&w), w.bo, "note", &[("text", "hi")]).await;
    assert!(matches!(twice, Err(fake_discord::FakeError::Impossible(_))), "{twice:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_modal_from_a_button_carries_its_message_and_may_update_it() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    let d = &w.discord;
    let form = CreateMessage::new()
        .content("Share a line?")
        .components(vec![CreateActionRow::Buttons(vec![CreateButton::new("form").label("Write")])]);
    let posted = ChannelId::new(w.general).send_message(&bot.http, form).await.unwrap();
    let click = d.click(w.bo, posted.id.get(), "form").await.unwrap();
    bot.next_interaction().await;
    // A component may not be answered with choices.
    assert_eq!(answer(d, &click, json!({ "type": 8, "data": { "choices": [] } })).await.0, 400);
    assert_eq!(answer(d, &click, modal("line")).await.0, 204);

    let wrong_field = d.submit_modal(here(&w), w.bo, "line", &[("nope", "x")]).await;
    assert!(matches!(wrong_field, Err(fake_discord::FakeError::Impossible(_))));
    let submit = d.submit_modal(here(&w), w.bo, "line", &[("text", "a good day")]).await.unwrap();
    let (_, interaction) = bot.next_interaction().await;
    let Interaction::Modal(submitted) = interaction else { panic!("a modal submit") };
    let from = submitted.message.as_ref().expect("the message the button was on");
    assert_eq!(from.id, posted.id);
    let update = json!({ "type": 7, "data": { "content": "Shared", "components": [] } });
    assert_eq!(answer(d, &submit, update).await.0, 204);
    assert_eq!(d.message(posted.id.get()).unwrap().content, "Shared");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_is_answered_with_at_most_25_choices() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    register(&bot).await;
    let d = &w.discord;
    let typed = json!([{ "name": "topic", "type": 3, "value": "bo", "focused": true }]);
    let unfocused = json!([{ "name": "topic", "type": 3, "value": "bo" }]);
    assert!(d.autocomplete(here(&w), w.ada, "cop", unfocused).await.is_err());
    let asked = d.autocomplete(here(&w), w.ada, "cop", typed.clone()).await.unwrap();
    let (_, interaction) = bot.next_interaction().await;
    let Interaction::Autocomplete(auto) = interaction else { panic!("autocomplete") };
    assert_eq!(auto.data.name, "cop");
    let choices = |n: usize| -> Value {
        (0..n).map(|i| json!({ "name": format!("Topic {i}"), "value": format!("t{i}") })).collect()
    };
    assert_eq!(answer(d, &asked, message("no")).await.0, 400, "only type 8");
    let (status, body) =
        answer(d, &asked, json!({ "type": 8, "data": { "choices": choices(26) } })).await;
    assert_eq!((status, body["code"].clone()), (400, json!(50035)));
    let long = json!([{ "name": "n".repeat(101), "value": "v" }]);
    assert_eq!(answer(d, &asked, json!({ "type": 8, "data": { "choices": long } })).await.0, 400);
    assert_eq!(
        answer(d, &asked, json!({ "type": 8, "data": { "choices": choices(25) } })).await.0,
        204
    );
    assert_eq!(asked.response(WAIT).await.unwrap().kind, 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_initial_response_within_3_seconds_fails_the_interaction() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    register(&bot).await;
    let d = &w.discord;
    let slow = d.slash_command(here(&w), w.bo, "checkin", json!([])).await.unwrap();
    bot.next_interaction().await;
    assert!(!slow.did_not_respond(), "still within 3 s");
    tokio::time::sleep(Duration::from_millis(3200)).await;
    assert!(slow.did_not_respond(), "the user saw the app not respond");
    let (status, body) = answer(d, &slow, message("Late")).await;
    assert_eq!((status, body["code"].clone()), (404, json!(10062)));
    assert!(slow.callback().is_none());

    // The fake's clock counts too: a callback after `advance` past 3 s is late as well.
    let later = d.slash_command(here(&w), w.bo, "checkin", json!([])).await.unwrap();
    bot.next_interaction().await;
    d.advance(Duration::from_secs(4));
    assert_eq!(answer(d, &later, message("Late")).await.0, 404);
    assert!(later.did_not_respond());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interaction_tokens_expire_after_15_minutes() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    register(&bot).await;
    let d = &w.discord;
    let app = d.application_id();
    let handle = d.slash_command(here(&w), w.bo, "checkin", json!([])).await.unwrap();
    bot.next_interaction().await;
    assert_eq!(answer(d, &handle, json!({ "type": 5, "data": { "flags": 64 } })).await.0, 204);
    let followup = format!("webhooks/{app}/{}", handle.token());
    let original = format!("webhooks/{app}/{}/messages/@original", handle.token());
    d.advance(Duration::from_secs(14 * 60 + 50));
    assert_eq!(raw(d, Method::PATCH, &original, &json!({ "content": "Done" })).await.0, 200);
    assert_eq!(raw(d, Method::POST, &followup, &json!({ "content": "More" })).await.0, 200);
    d.advance(Duration::from_secs(11));
    let (status, body) = raw(d, Method::PATCH, &original, &json!({ "content": "Late" })).await;
    assert_eq!((status, body["code"].clone()), (404, json!(10015)));
    let (status, body) = raw(d, Method::POST, &followup, &json!({ "content": "Late" })).await;
    assert_eq!((status, body["code"].clone()), (404, json!(10015)));
    assert_eq!(handle.followups().len(), 1);
    assert!(!handle.did_not_respond(), "the deferred answer was filled in");

    // A deferred answer never filled in while the token lived: the person saw it fail.
    let abandoned = d.slash_command(here(&w), w.bo, "checkin", json!([])).await.unwrap();
    bot.next_interaction().await;
    assert_eq!(answer(d, &abandoned, json!({ "type": 5 })).await.0, 204);
    d.advance(Duration::from_secs(14 * 60));
    assert!(!abandoned.did_not_respond(), "still loading");
    d.advance(Duration::from_secs(61));
    assert!(abandoned.did_not_respond());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_search_takes_the_privileged_members_intent() {
    // GUILDS only, as hearth identifies.
    let w = world().await;
    let _bot = Bot::ready(&w.discord).await;
    let search = GuildId::new(w.guild).search_members(&http(&w.discord), "bo", Some(5)).await;
    assert_eq!(discord_error(search), (403, 50001));

    let w = world().await;
    let intents = GatewayIntents::GUILDS | GatewayIntents::GUILD_MEMBERS;
    let mut bot = Bot::start_with(&w.discord, intents).await;
    while !matches!(bot.next().await, crate::common::Seen::Ready(_)) {}
    let found = GuildId::new(w.guild).search_members(&http(&w.discord), "bo", Some(5)).await;
    assert_eq!(found.expect("allowed with GUILD_MEMBERS").len(), 1);
}
