//! Messages the bot posts, edits or answers with: Discord's limits on content, components,
//! embeds and modals, each refused with 400 code 50035 and the field at fault in `errors`.

use fake_discord::{FakeDiscord, Origin};
use reqwest::Method;
use serde_json::{Value, json};
use serenity::all::{Command, CreateCommand};

use crate::common::{Bot, WAIT, raw, world};

fn button(id: &str) -> Value {
    json!({ "type": 2, "style": 1, "custom_id": id, "label": "Go" })
}

fn row(components: Value) -> Value {
    json!({ "type": 1, "components": components })
}

fn user_select(id: &str) -> Value {
    json!({ "type": 5, "custom_id": id })
}

fn string_select(id: &str, options: usize) -> Value {
    let options: Vec<Value> = (0..options)
        .map(|i| json!({ "label": format!("L{i}"), "value": format!("v{i}") }))
        .collect();
    json!({ "type": 3, "custom_id": id, "options": options })
}

/// POSTs a message; answers the status and `errors`.
async fn post(discord: &FakeDiscord, channel: u64, body: Value) -> (u16, Value) {
    let (status, answer) =
        raw(discord, Method::POST, &format!("channels/{channel}/messages"), &body).await;
    if status == 400 {
        assert_eq!(answer["code"], 50035, "{answer}");
    }
    (status, answer["errors"].clone())
}

#[tokio::test]
async fn components_stay_within_discords_limits() {
    let w = world().await;
    let with = |components: Value| json!({ "content": "Pick", "components": components });
    let refused = [
        ("six rows", with((0..6).map(|i| row(json!([button(&format!("b{i}"))]))).collect())),
        ("six buttons", with(json!([row((0..6).map(|i| button(&format!("b{i}"))).collect())]))),
        ("empty row", with(json!([row(json!([]))]))),
        ("select beside a button", with(json!([row(json!([user_select("who"), button("go")]))]))),
        ("custom id of 101", with(json!([row(json!([button(&"x".repeat(101))]))]))),
        (
            "duplicate custom id",
            with(json!([row(json!([button("go")])), row(json!([button("go")]))])),
        ),
        (
            "label of 81",
            with(json!([row(
                json!([{ "type": 2, "style": 1, "custom_id": "go", "label": "l".repeat(81) }])
            )])),
        ),
        (
            "button without custom id",
            with(json!([row(json!([{ "type": 2, "style": 1, "label": "Go" }]))])),
        ),
        (
            "link with custom id",
            with(json!([row(
                json!([{ "type": 2, "style": 5, "url": "https://example.org", "custom_id": "x", "label": "Go" }])
            )])),
        ),
        ("26 options", with(json!([row(json!([string_select("s", 26)]))]))),
        ("no options", with(json!([row(json!([string_select("s", 0)]))]))),
        (
            "option label of 101",
            with(json!([row(
                json!([{ "type": 3, "custom_id": "s", "options": [{ "label": "l".repeat(101), "value": "v" }] }])
            )])),
        ),
        (
            "min above max",
            with(json!([row(
                json!([{ "type": 5, "custom_id": "who", "min_values": 2, "max_values": 1 }])
            )])),
        ),
        (
            "max_values 26",
            with(json!([row(json!([{ "type": 5, "custom_id": "who", "max_values": 26 }]))])),
        ),
        (
            "a text input in a message",
            with(json!([row(json!([{ "type": 4, "custom_id": "t", "style": 1, "label": "T" }]))])),
        ),
        ("content of 2001", json!({ "content": "c".repeat(2001) })),
    ];
    for (what, body) in refused {
        let (status, errors) = post(&w.discord, w.general, body).await;
        assert_eq!(status, 400, "{what} must be refused");
        assert!(errors.is_object(), "{what}: {errors}");
    }
    assert!(w.discord.messages_in(w.general).is_empty(), "nothing refused was stored");

    let edge = with(json!([
        row((0..5).map(|i| button(&format!("b{i}"))).collect()),
        row(json!([string_select("s", 25)])),
        row(json!([{ "type": 5, "custom_id": "who", "min_values": 0, "max_values": 25 }])),
        row(
            json!([{ "type": 2, "style": 5, "url": "https://example.org", "label": "l".repeat(80) }])
        ),
        row(json!([{ "type": 2, "style": 2, "custom_id": "c".repeat(100), "label": "Go" }])),
    ]));
    assert_eq!(post(&w.discord, w.general, edge).await.0, 200);
    let message = w.discord.messages_in(w.general)[0].id;
    // Edits are held to the same limits.
    let path = format!("channels/{}/messages/{message}", w.general);
    let (status, _) =
        raw(&w.discord, Method::PATCH, &path, &json!({ "content": "c".repeat(2001) })).await;
    assert_eq!(status, 400);
    let six = json!({ "components": (0..6).map(|i| row(json!([button(&format!("b{i}"))]))).collect::<Value>() });
    assert_eq!(raw(&w.discord, Method::PATCH, &path, &six).await.0, 400);
}

#[tokio::test]
async fn embeds_stay_within_discords_limits() {
    let w = world().await;
    let embed = |fields: Value| json!({ "embeds": [fields] });
    let refused = [
        json!({ "embeds": (0..11).map(|_| json!({ "title": "t" })).collect::<Value>() }),
        embed(json!({ "title": "t".repeat(257) })),
        embed(json!({ "description": "d".repeat(4097) })),
        embed(
            json!({ "fields": (0..26).map(|_| json!({ "name": "n", "value": "v" })).collect::<Value>() }),
        ),
        embed(json!({ "fields": [{ "name": "n", "value": "v".repeat(1025) }] })),
        embed(json!({ "footer": { "text": "f".repeat(2049) } })),
        json!({ "embeds": [{ "description": "d".repeat(4000) }, { "description": "d".repeat(2001) }] }),
    ];
    for body in refused {
        assert_eq!(post(&w.discord, w.general, body.clone()).await.0, 400, "{body:.80}");
    }
    let fine =
        embed(json!({ "title": "t", "description": "d".repeat(4096), "footer": { "text": "f" } }));
    assert_eq!(post(&w.discord, w.general, fine).await.0, 200);
}

/// Opens an interaction and answers it with the modal `data`; answers the status and `errors`.
async fn show_modal(data: Value) -> (u16, Value) {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    let note = CreateCommand::new("note").description("A note");
    Command::set_global_commands(&bot.http, vec![note]).await.expect("registered");
    let here = Origin::Guild { guild_id: w.guild, channel_id: w.general };
    let handle = w.discord.slash_command(here, w.bo, "note", json!([])).await.expect("sent");
    bot.next_interaction().await;
    let path = format!("interactions/{}/{}/callback", handle.id(), handle.token());
    let (status, body) =
        raw(&w.discord, Method::POST, &path, &json!({ "type": 9, "data": data })).await;
    if status == 400 {
        assert_eq!(body["code"], 50035, "{body}");
        assert!(handle.callback().is_none(), "a refused modal is no response");
    } else {
        assert_eq!(handle.response(WAIT).await.expect("answered").kind, 9);
    }
    (status, body["errors"].clone())
}

fn input(fields: Value) -> Value {
    let mut input = json!({ "type": 4, "custom_id": "text", "style": 2, "label": "Note" });
    if let (Some(input), Some(fields)) = (input.as_object_mut(), fields.as_object()) {
        input.extend(fields.clone());
    }
    row(json!([input]))
}

fn modal(title: &str, rows: Value) -> Value {
    json!({ "custom_id": "note", "title": title, "components": rows })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn modals_stay_within_discords_limits() {
    let refused = [
        ("title of 46", modal(&"t".repeat(46), json!([input(json!({}))]))),
        ("no inputs", modal("Note", json!([]))),
        (
            "six inputs",
            modal("Note", (0..6).map(|i| input(json!({ "custom_id": format!("t{i}") }))).collect()),
        ),
        ("label of 46", modal("Note", json!([input(json!({ "label": "l".repeat(46) }))]))),
        ("min_length 4001", modal("Note", json!([input(json!({ "min_length": 4001 }))]))),
        ("max_length 0", modal("Note", json!([input(json!({ "max_length": 0 }))]))),
        (
            "value above max",
            modal("Note", json!([input(json!({ "max_length": 5, "value": "sixsix" }))])),
        ),
        (
            "placeholder of 101",
            modal("Note", json!([input(json!({ "placeholder": "p".repeat(101) }))])),
        ),
        ("style 3", modal("Note", json!([input(json!({ "style": 3 }))]))),
        ("a button in a modal", modal("Note", json!([row(json!([button("go")]))]))),
        ("duplicate inputs", modal("Note", json!([input(json!({})), input(json!({}))]))),
    ];
    for (what, data) in refused {
        let (status, errors) = show_modal(data).await;
        assert_eq!(status, 400, "{what} must be refused");
        assert!(errors["data"].is_object(), "{what}: {errors}");
    }
    let edge = modal(
        &"t".repeat(45),
        (0..5)
            .map(|i| {
                input(json!({ "custom_id": format!("t{i}"), "label": "l".repeat(45),
                              "min_length": 0, "max_length": 4000, "placeholder": "p".repeat(100) }))
            })
            .collect(),
    );
    assert_eq!(show_modal(edge).await.0, 204);
}
