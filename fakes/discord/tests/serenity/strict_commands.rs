//! Registering application commands: every command is checked against Discord's documented
//! rules, and one bad command refuses the whole bulk overwrite (400, code 50035, `errors`).

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{raw, world};

fn command(name: &str) -> Value {
    json!({ "name": name, "type": 1, "description": "Check in" })
}

fn option(name: &str, kind: u64) -> Value {
    json!({ "name": name, "type": kind, "description": "An option" })
}

/// PUTs `commands` globally; answers the status and the `errors` object.
async fn put(discord: &fake_discord::FakeDiscord, commands: &Value) -> (u16, Value) {
    let path = format!("applications/{}/commands", discord.application_id());
    let (status, body) = raw(discord, Method::PUT, &path, commands).await;
    if status != 200 {
        assert_eq!(body["code"], 50035, "{body}");
        assert_eq!(body["message"], "Invalid Form Body");
    }
    (status, body["errors"].clone())
}

#[tokio::test]
async fn a_bad_command_refuses_the_whole_overwrite() {
    let w = world().await;
    let good = json!([command("checkin"), command("weather")]);
    assert_eq!(put(&w.discord, &good).await.0, 200);
    let bad = json!([command("checkin"), command("Weather"), command("debrief")]);
    let (status, errors) = put(&w.discord, &bad).await;
    assert_eq!(status, 400);
    assert_eq!(errors["1"]["name"]["_errors"][0]["code"], "APPLICATION_COMMAND_INVALID_NAME");
    let names: Vec<String> = w.discord.commands().into_iter().map(|c| c.name).collect();
    assert_eq!(names, ["checkin", "weather"], "nothing of the refused overwrite registered");
    // Guild commands and single upserts follow the same rules.
    let guild_path =
        format!("applications/{}/guilds/{}/commands", w.discord.application_id(), w.guild);
    let (status, _) = raw(&w.discord, Method::PUT, &guild_path, &json!([command("a b")])).await;
    assert_eq!(status, 400);
    let one = format!("applications/{}/commands", w.discord.application_id());
    let (status, _) = raw(&w.discord, Method::POST, &one, &command("x".repeat(33).as_str())).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn names_follow_discords_pattern_and_are_lowercase() {
    let w = world().await;
    // Letters and numbers of any script, Devanagari's and Thai's marks, `-` and `_`.
    let fine =
        json!([command("check-in_2"), command("チェック"), command("नमस्ते"), command("สวัสดี")]);
    assert_eq!(put(&w.discord, &fine).await.0, 200);
    for bad in ["CheckIn", "check in", "check!", "", &"a".repeat(33), "ÉTÉ"] {
        let (status, errors) = put(&w.discord, &json!([command(bad)])).await;
        assert_eq!(status, 400, "{bad:?} must be refused");
        assert!(errors["0"]["name"]["_errors"].is_array(), "{bad:?}: {errors}");
    }
    // User and message commands may have capitals and spaces, but no description.
    let user = json!([{ "name": "Ask To Reach Out", "type": 2, "description": "" }]);
    assert_eq!(put(&w.discord, &user).await.0, 200);
    let described = json!([{ "name": "Ask", "type": 2, "description": "no" }]);
    assert_eq!(put(&w.discord, &described).await.0, 400);
}

#[tokio::test]
async fn descriptions_options_and_choices_stay_within_limits() {
    let w = world().await;
    let mut empty = command("checkin");
    empty["description"] = json!("");
    let mut long = command("checkin");
    long["description"] = json!("d".repeat(101));
    let mut options = command("checkin");
    options["options"] = (0..26).map(|i| option(&format!("o{i}"), 3)).collect();
    let mut choices = command("checkin");
    let mut colour = option("colour", 3);
    colour["choices"] = (0..26).map(|i| json!({ "name": format!("c{i}"), "value": "v" })).collect();
    choices["options"] = json!([colour]);
    let mut long_choice = command("checkin");
    let mut one = option("colour", 3);
    one["choices"] = json!([{ "name": "n", "value": "v".repeat(101) }]);
    long_choice["options"] = json!([one]);
    for bad in [empty, long, options, choices, long_choice] {
        let (status, errors) = put(&w.discord, &json!([bad])).await;
        assert_eq!(status, 400, "{bad}");
        assert!(errors["0"].is_object(), "{errors}");
    }
    let mut edge = command("checkin");
    edge["description"] = json!("d".repeat(100));
    edge["options"] = (0..25).map(|i| option(&format!("o{i}"), 3)).collect();
    assert_eq!(put(&w.discord, &json!([edge])).await.0, 200);
}

#[tokio::test]
async fn options_are_ordered_unique_and_nested_as_discord_allows() {
    let w = world().await;
    let with = |options: Value| {
        let mut c = command("agenda");
        c["options"] = options;
        json!([c])
    };
    let mut required = option("text", 3);
    required["required"] = json!(true);
    let after_optional = with(json!([option("note", 3), required]));
    let (status, errors) = put(&w.discord, &after_optional).await;
    assert_eq!(status, 400);
    assert_eq!(
        errors["0"]["options"]["1"]["required"]["_errors"][0]["code"],
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID"
    );
    assert_eq!(put(&w.discord, &with(json!([option("x", 3), option("x", 4)]))).await.0, 400);
    let mut both = option("topic", 3);
    both["autocomplete"] = json!(true);
    both["choices"] = json!([{ "name": "a", "value": "a" }]);
    assert_eq!(put(&w.discord, &with(json!([both]))).await.0, 400);
    let mut on_user = option("who", 6);
    on_user["autocomplete"] = json!(true);
    assert_eq!(put(&w.discord, &with(json!([on_user]))).await.0, 400);
    // A subcommand holds no subcommand; a group holds only subcommands; no mixing at the top.
    let mut deep = option("add", 1);
    deep["options"] = json!([option("more", 1)]);
    assert_eq!(put(&w.discord, &with(json!([deep]))).await.0, 400);
    let mut group = option("items", 2);
    group["options"] = json!([option("text", 3)]);
    assert_eq!(put(&w.discord, &with(json!([group]))).await.0, 400);
    assert_eq!(put(&w.discord, &with(json!([option("add", 1), option("text", 3)]))).await.0, 400);
    let mut sub = option("add", 1);
    sub["options"] = json!([option("text", 3), option("who", 6)]);
    let mut fine_group = option("items", 2);
    fine_group["options"] = json!([sub.clone()]);
    assert_eq!(put(&w.discord, &with(json!([sub, fine_group]))).await.0, 200);
    // Two commands of one type with one name.
    assert_eq!(put(&w.discord, &json!([command("agenda"), command("agenda")])).await.0, 400);
}

#[tokio::test]
async fn a_command_is_at_most_8000_characters_all_levels_together() {
    let w = world().await;
    let described = |name: String| {
        let mut o = option(&name, 3);
        o["description"] = json!("d".repeat(100));
        o
    };
    // 25 subcommands × (3 + 100 + 3 options × (2 + 100)) ≈ 10,000 characters.
    let subs: Vec<Value> = (0..25)
        .map(|i| {
            let mut s = described(format!("s{i:02}"));
            s["type"] = json!(1);
            s["options"] = (0..3).map(|j| described(format!("o{j}"))).collect();
            s
        })
        .collect();
    let mut big = command("big");
    big["options"] = json!(subs);
    let (status, errors) = put(&w.discord, &json!([big])).await;
    assert_eq!(status, 400);
    assert_eq!(errors["0"]["_errors"][0]["code"], "APPLICATION_COMMAND_TOO_LARGE");
    let mut smaller = command("big");
    smaller["options"] = json!(subs[..15].to_vec());
    assert_eq!(put(&w.discord, &json!([smaller])).await.0, 200, "about 6,100 characters");
}
