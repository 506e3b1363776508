//! The real adapter (real serenity) against a protocol-level fake Discord: commands registered,
//! slash commands, a person picked as an argument, clicks, modals, ephemeral replies, DMs, new
//! threads, deferral, delivery errors, and no mentions anywhere. The core is replaced by a
//! small scripted handler; whole-bot transcripts through the real core live in the
//! workspace's `tests/it`.

#![allow(clippy::unwrap_used)]

mod files;
mod support;

use hearth_chat::{
    ChoiceOption, Controls, DeliveryError, Outbound, Place, Platform, Target, Visibility,
};
use serde_json::{Value, json};
use std::time::Duration;
use support::{Bot, text};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_are_registered_from_the_catalogue() {
    let bot = Bot::start().await;
    let commands = bot.fake.commands();
    let mut names: Vec<&str> = commands.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["checkin", "dm", "help", "reach", "setup"]);
    assert!(commands.iter().all(|c| c.guild_id == Some(bot.guild)));
    let setup = commands.iter().find(|c| c.name == "setup").unwrap();
    assert_eq!(setup.body["default_member_permissions"], "32");
    assert_eq!(setup.body["description"], "Words for cmd-setup");
    let checkin = commands.iter().find(|c| c.name == "checkin").unwrap();
    assert_eq!(checkin.body["contexts"], json!([0]));
    assert_eq!(checkin.body["options"][0]["name"], "now");
    assert!(bot.fake.unknown_routes().is_empty(), "{:?}", bot.fake.unknown_routes());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_check_in_runs_through_buttons_and_a_modal() {
    let bot = Bot::start().await;
    let here = bot.channel_origin();
    let slash = bot
        .fake
        .slash_command(here, bot.ana, "checkin", json!([{"name": "now", "type": 1, "options": []}]))
        .await
        .unwrap();
    let response = slash.response(WAIT).await.unwrap();
    assert_eq!(response.kind, 4);
    // Ephemeral (64), and no link previews (4).
    assert_eq!(response.data()["flags"], 64 | 4, "the question is ephemeral");
    assert!(text(&response.data()["content"]).contains("How are you arriving"));
    let asked = slash.original().unwrap();
    let ready = format!("h|c|{}|1.a|green", bot.guild);
    assert!(asked.component(&ready).is_some(), "{}", asked.components);

    // A click: the question's buttons are disabled at once; the answer follows privately.
    let click = bot.fake.click(bot.ana, asked.id, &ready).await.unwrap();
    let update = click.response(WAIT).await.unwrap();
    assert_eq!(update.kind, 7);
    let buttons = &update.data()["components"][0]["components"];
    assert!(buttons.as_array().unwrap().iter().all(|b| b["disabled"] == true));
    let offer = click.followup(0, WAIT).await.unwrap();
    assert!(offer.is_ephemeral());
    let channel = Place::Channel { id: bot.channel.to_string() };
    assert_eq!(bot.seen_choices(), [(bot.guild.to_string(), channel)]);
    let open = format!("h|f|{}|1.b", bot.guild);
    assert!(offer.component(&open).is_some(), "{}", offer.components);

    // The form's button opens a modal; submitting it shares a line with the channel.
    let opened = bot.fake.click(bot.ana, offer.id, &open).await.unwrap();
    let modal = opened.response(WAIT).await.unwrap();
    assert_eq!(modal.kind, 9);
    assert_eq!(modal.data()["custom_id"], format!("h|m|{}|1.b", bot.guild));
    assert_eq!(modal.data()["components"][0]["components"][0]["custom_id"], "text");
    let said = "hi @everyone <@1> **loud**";
    let submit = bot
        .fake
        .submit_modal(here, bot.ana, &format!("h|m|{}|1.b", bot.guild), &[("text", said)])
        .await
        .unwrap();
    assert!(matches!(submit.response(WAIT).await.unwrap().kind, 6 | 7));
    let shared = submit.followup(0, WAIT).await.unwrap();
    assert!(!shared.is_ephemeral());
    assert!(!shared.content.contains("@everyone") && shared.content.contains("\\*\\*loud\\*\\*"));
    assert_eq!(bot.seen_forms(), [vec![("text".to_owned(), said.to_owned())]]);

    assert!(bot.fake.mention_risks().is_empty(), "{:?}", bot.fake.mention_risks());
    bot.check_wire().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_core_is_deferred_then_the_answer_edits_it() {
    let bot = Bot::start().await;
    let slash = bot
        .fake
        .slash_command(
            bot.channel_origin(),
            bot.admin,
            "setup",
            json!([{"name": "show", "type": 1, "options": []}]),
        )
        .await
        .unwrap();
    let deferred = slash.response(WAIT).await.unwrap();
    assert_eq!(deferred.kind, 5);
    assert_eq!(deferred.data()["flags"], 64);
    let edited = slash.original_edited(WAIT).await.unwrap();
    assert_eq!(edited.content, "Settings, slowly");
    assert!(edited.is_ephemeral());
    assert!(bot.seen_admin());
    bot.check_wire().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_public_answer_replaces_the_private_deferral() {
    let bot = Bot::start().await;
    let option = json!([{"name": "command", "type": 3, "value": "slow-public"}]);
    let slash =
        bot.fake.slash_command(bot.channel_origin(), bot.ana, "help", option).await.unwrap();
    let deferred = slash.response(WAIT).await.unwrap();
    assert_eq!((deferred.kind, deferred.data()["flags"].clone()), (5, json!(64)));
    let public = slash.followup(0, WAIT).await.unwrap();
    assert_eq!(public.content, "For everyone, slowly");
    assert!(!public.is_ephemeral());
    assert!(slash.original().unwrap().deleted, "the private 'thinking' message is removed");
    bot.check_wire().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_answers_are_split_and_extra_replies_follow_up() {
    let bot = Bot::start().await;
    let slash =
        bot.fake.slash_command(bot.channel_origin(), bot.ana, "help", json!([])).await.unwrap();
    let first = slash.response(WAIT).await.unwrap();
    assert_eq!(first.kind, 4);
    let rest = slash.followup(0, WAIT).await.unwrap();
    let first_len = text(&first.data()["content"]).chars().count();
    assert!(first_len <= 2_000 && first_len > 1_000, "{first_len}");
    assert!(rest.content.ends_with("end"));
    let first_ephemeral = first.data()["flags"].as_u64().is_some_and(|f| f & 64 != 0);
    assert_eq!(rest.is_ephemeral(), first_ephemeral);
    assert!(rest.suppresses_embeds());
    bot.check_wire().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_note_goes_to_a_dm() {
    let bot = Bot::start().await;
    let slash =
        bot.fake.slash_command(bot.channel_origin(), bot.ana, "dm", json!([])).await.unwrap();
    slash.response(WAIT).await.unwrap();
    let dms = bot.fake.wait_for_dms_to(bot.ana, 1, WAIT).await.unwrap();
    assert_eq!(dms[0].content, "Just for you");
    bot.check_wire().await;
    assert_eq!(
        dms[0].body["allowed_mentions"],
        json!({"parse": [], "users": [], "roles": [], "replied_user": false})
    );
}

fn to_person(bot: &Bot, user: u64) -> Outbound {
    Outbound {
        target: Target::Person { team: bot.team(), user_id: user.to_string() },
        visibility: Visibility::OnlyActor,
        message: support::message("A reminder"),
    }
}

fn to_channel(bot: &Bot, channel: &str) -> Outbound {
    Outbound {
        target: Target::Place {
            team: bot.team(),
            place: Place::Channel { id: channel.to_owned() },
        },
        visibility: Visibility::Everyone,
        message: support::message("Shift starts soon"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduled_deliveries_and_their_errors() {
    let bot = Bot::start().await;
    let delivery = bot.discord.delivery();
    assert_eq!(delivery.platform(), Platform::Discord);

    delivery.deliver(to_channel(&bot, &bot.channel.to_string()), "hearth-1-1").await.unwrap();
    let posted = bot.fake.messages_in(bot.channel);
    let posted = posted.last().unwrap();
    assert_eq!(posted.content, "Shift starts soon");
    assert_eq!(posted.body["enforce_nonce"], true);
    assert!(posted.body["nonce"].as_str().unwrap().len() <= 25);

    delivery.deliver(to_person(&bot, bot.ana), "hearth-2-1").await.unwrap();
    assert_eq!(bot.fake.dm_messages_to(bot.ana).len(), 1);

    bot.fake.set_dms_closed(bot.admin, true);
    let closed = delivery.deliver(to_person(&bot, bot.admin), "hearth-3-1").await;
    assert_eq!(closed, Err(DeliveryError::DirectMessagesClosed));

    bot.fake.set_bot_may_post(bot.channel, false);
    let forbidden = delivery.deliver(to_channel(&bot, &bot.channel.to_string()), "k4").await;
    assert_eq!(forbidden, Err(DeliveryError::Forbidden));
    bot.fake.set_bot_may_post(bot.channel, true);

    let gone = delivery.deliver(to_channel(&bot, "999999"), "k5").await;
    assert_eq!(gone, Err(DeliveryError::Gone));
    let nonsense = delivery.deliver(to_channel(&bot, "not-an-id"), "k6").await;
    assert_eq!(nonsense, Err(DeliveryError::Gone));

    bot.fake.inject_rate_limit(Some("POST"), "/messages", 2.5, 1);
    let limited = delivery.deliver(to_channel(&bot, &bot.channel.to_string()), "k7").await;
    assert_eq!(
        limited,
        Err(DeliveryError::RateLimited { retry_after: Duration::from_millis(2_500) })
    );
    delivery.deliver(to_channel(&bot, &bot.channel.to_string()), "k7").await.unwrap();

    let origin = Outbound { target: Target::Origin, ..to_person(&bot, bot.ana) };
    assert_eq!(delivery.deliver(origin, "k8").await, Err(DeliveryError::Gone));
    bot.check_wire().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timezones_are_suggested_while_typing() {
    let bot = Bot::start().await;
    let replies = bot.autocomplete("lond").await;
    assert_eq!(replies, vec![Value::from("Europe/London")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_question_is_left_alone_and_a_stale_choice_expires_privately() {
    let bot = Bot::start().await;
    let mut nudge = to_channel(&bot, &bot.channel.to_string());
    let options = vec![ChoiceOption { id: "yes".into(), label: "Check in".into() }];
    nudge.message.controls = Some(Controls::Choices { token: "0.old".into(), options });
    bot.discord.delivery().deliver(nudge, "hearth-9-9").await.unwrap();
    let posted = bot.fake.wait_for_messages_in(bot.channel, 1, WAIT).await.unwrap();
    let button = format!("h|c|{}|0.old|yes", bot.guild);
    let click = bot.fake.click(bot.ana, posted[0].id, &button).await.unwrap();
    assert_eq!(click.response(WAIT).await.unwrap().kind, 6, "a shared message is not changed");
    let answer = click.followup(0, WAIT).await.unwrap();
    assert!(answer.is_ephemeral());
    assert_eq!(answer.content, "That choice has expired");
    bot.check_wire().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_button_in_a_dm_knows_its_team() {
    let bot = Bot::start().await;
    let mut note = to_person(&bot, bot.ana);
    let options = vec![ChoiceOption { id: "green".into(), label: "Ready".into() }];
    note.message.controls = Some(Controls::Choices { token: "1.a".into(), options });
    bot.discord.delivery().deliver(note, "hearth-10-1").await.unwrap();
    let dm = bot.fake.wait_for_dms_to(bot.ana, 1, WAIT).await.unwrap();
    let button = format!("h|c|{}|1.a|green", bot.guild);
    let click = bot.fake.click(bot.ana, dm[0].id, &button).await.unwrap();
    assert_eq!(click.response(WAIT).await.unwrap().kind, 7, "a DM is personal: buttons settle");
    let answer = click.followup(0, WAIT).await.unwrap();
    assert!(!answer.is_ephemeral(), "in a DM nothing needs to be ephemeral");
    assert_eq!(bot.seen_choices(), [(bot.guild.to_string(), Place::Direct)]);
    bot.check_wire().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_argument_is_a_user_picker_and_shows_as_a_mention_that_never_pings() {
    let bot = Bot::start().await;
    let reach = bot.fake.commands().into_iter().find(|c| c.name == "reach").unwrap();
    assert_eq!(reach.body["options"][0]["name"], "who");
    assert_eq!(reach.body["options"][0]["type"], 6, "a USER option");
    let picked = json!([{"name": "who", "type": 6, "value": bot.ana.to_string()}]);
    let slash =
        bot.fake.slash_command(bot.channel_origin(), bot.admin, "reach", picked).await.unwrap();
    let answer = slash.response(WAIT).await.unwrap();
    assert_eq!(bot.seen_people(), [bot.ana.to_string()]);
    assert_eq!(text(&answer.data()["content"]), format!("Asking\n\n<@{}>", bot.ana));
    assert!(bot.fake.mention_risks().is_empty(), "{:?}", bot.fake.mention_risks());
    bot.check_wire().await;
}

fn to_new_thread(bot: &Bot, title: &str) -> Outbound {
    Outbound {
        target: Target::NewThread {
            team: bot.team(),
            channel: bot.channel.to_string(),
            title: title.to_owned(),
        },
        visibility: Visibility::Everyone,
        message: support::message("How did today go?"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_thread_is_opened_in_the_channel_and_carries_the_message() {
    let bot = Bot::start().await;
    let delivery = bot.discord.delivery();
    delivery.deliver(to_new_thread(&bot, "Debrief: Tuesday"), "hearth-20-1").await.unwrap();
    let threads = bot.fake.threads_in(bot.channel);
    assert_eq!(threads.len(), 1);
    let thread = &threads[0];
    assert_eq!(thread.name, "Debrief: Tuesday");
    assert!(!thread.private, "everyone in the channel sees it");
    assert_eq!(thread.auto_archive_duration, 1440);
    let posted = bot.fake.messages_in(thread.id);
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].content, "How did today go?");
    assert_eq!(posted[0].body["enforce_nonce"], true);
    assert!(bot.fake.messages_in(bot.channel).is_empty(), "nothing lands in the channel itself");

    // A long title is cut to Discord's 100 characters rather than refused.
    delivery.deliver(to_new_thread(&bot, &"word ".repeat(40)), "hearth-21-1").await.unwrap();
    let long = &bot.fake.threads_in(bot.channel)[1];
    assert!(long.name.chars().count() <= 100 && long.name.ends_with('…'), "{}", long.name);

    // A retry after the thread opened but its message did not go out uses the same thread.
    bot.fake.inject_rate_limit(Some("POST"), "/messages", 0.5, 1);
    let limited = delivery.deliver(to_new_thread(&bot, "Retried"), "hearth-22-1").await;
    assert!(matches!(limited, Err(DeliveryError::RateLimited { .. })), "{limited:?}");
    delivery.deliver(to_new_thread(&bot, "Retried"), "hearth-22-1").await.unwrap();
    let threads = bot.fake.threads_in(bot.channel);
    assert_eq!(threads.iter().filter(|t| t.name == "Retried").count(), 1);
    assert_eq!(bot.fake.messages_in(threads[2].id).len(), 1);

    bot.fake.set_bot_may_post(bot.channel, false);
    let forbidden = delivery.deliver(to_new_thread(&bot, "Closed"), "hearth-23-1").await;
    assert_eq!(forbidden, Err(DeliveryError::Forbidden));
    let gone = Outbound {
        target: Target::NewThread { team: bot.team(), channel: "999999".into(), title: "x".into() },
        ..to_new_thread(&bot, "x")
    };
    assert_eq!(delivery.deliver(gone, "hearth-24-1").await, Err(DeliveryError::Gone));
    assert!(bot.fake.messages_in(bot.channel).is_empty());
    bot.check_wire().await;
}

fn together(bot: &Bot, channel: Option<String>) -> Outbound {
    Outbound {
        target: Target::Together {
            team: bot.team(),
            people: vec![bot.ana.to_string(), bot.admin.to_string()],
            title: "Debrief: ana and sam".into(),
            channel,
        },
        visibility: Visibility::Everyone,
        message: support::message("You're connected: this thread is yours"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_thread_is_opened_for_the_people_and_hearth_leaves_it() {
    let bot = Bot::start().await;
    let delivery = bot.discord.delivery();
    let here = Some(bot.channel.to_string());
    delivery.deliver(together(&bot, here.clone()), "hearth-30-1").await.unwrap();

    let threads = bot.fake.threads_in(bot.channel);
    assert_eq!(threads.len(), 1, "{threads:?}");
    let thread = &threads[0];
    assert!(thread.private, "only the people in it see it");
    assert_eq!(thread.name, "Debrief: ana and sam");
    assert_eq!(thread.auto_archive_duration, 1440);
    // Opened, the people added, and only then closed to invitations; hearth leaves last.
    let on_thread: Vec<(String, String, Value)> = bot
        .fake
        .requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/threads") || r.path.contains(&thread.id.to_string()))
        .map(|r| (r.method, r.path.replace(&thread.id.to_string(), "T"), r.body))
        .collect();
    let steps: Vec<String> = on_thread
        .iter()
        .map(|(method, path, _)| {
            format!("{method} {}", path.rsplit("/api/v10/").next().unwrap_or(path))
        })
        .collect();
    let (ana, sam) = (bot.ana, bot.admin);
    assert_eq!(
        steps,
        [
            format!("POST channels/{}/threads", bot.channel),
            format!("PUT channels/T/thread-members/{ana}"),
            format!("PUT channels/T/thread-members/{sam}"),
            "PATCH channels/T".to_owned(),
            "POST channels/T/messages".to_owned(),
            "DELETE channels/T/thread-members/@me".to_owned(),
        ]
    );
    assert_eq!(on_thread[0].2["type"], 12);
    assert!(on_thread[0].2.get("invitable").is_none(), "invitable until the people are in");
    assert_eq!(on_thread[3].2, json!({"invitable": false}));
    assert_eq!(bot.fake.thread_members(thread.id), [bot.ana, bot.admin], "hearth has left");
    let posted = bot.fake.messages_in(thread.id);
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].content, "You're connected: this thread is yours");
    assert_eq!(posted[0].body["enforce_nonce"], true);
    assert!(bot.fake.messages_in(bot.channel).is_empty(), "nothing lands in the channel itself");
    assert!(bot.fake.mention_risks().is_empty(), "{:?}", bot.fake.mention_risks());

    // Refused half-way (here the message cannot go out): the error is returned, the people
    // are taken out again and hearth leaves, so nobody is left in an empty thread.
    bot.fake.inject_rate_limit(Some("POST"), "/messages", 0.5, 1);
    let limited = delivery.deliver(together(&bot, here.clone()), "hearth-30-2").await;
    assert!(matches!(limited, Err(DeliveryError::RateLimited { .. })), "{limited:?}");
    let threads = bot.fake.threads_in(bot.channel);
    assert_eq!(threads.len(), 2, "{threads:?}");
    let refused = threads.iter().find(|t| t.id != thread.id).unwrap();
    assert!(bot.fake.thread_members(refused.id).is_empty(), "{refused:?}");
    assert!(bot.fake.messages_in(refused.id).is_empty());

    // Without a channel (or with people Discord cannot know) there is no such place.
    let nowhere = delivery.deliver(together(&bot, None), "hearth-31-1").await;
    assert_eq!(nowhere, Err(DeliveryError::Gone));
    let mut stranger = together(&bot, here);
    if let Target::Together { people, .. } = &mut stranger.target {
        people.push("not-an-id".into());
    }
    assert_eq!(delivery.deliver(stranger, "hearth-32-1").await, Err(DeliveryError::Gone));
    assert_eq!(bot.fake.threads_in(bot.channel).len(), 2, "no thread for a place that cannot be");
    bot.check_wire().await;
}

/// A form that names a person is Discord's user picker, with "Not now" when it may be left
/// empty: the pick reaches the core as the picked user's id, the picker is then disabled (in
/// an ephemeral reply, by updating the message), and "Not now" hands in the form empty.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_in_a_form_is_picked_with_the_user_picker() {
    let bot = Bot::start().await;
    let who = json!([{"name": "command", "type": 3, "value": "who"}]);
    let asked = bot.fake.slash_command(bot.channel_origin(), bot.ana, "help", who.clone());
    let asked = asked.await.unwrap();
    asked.response(WAIT).await.unwrap();
    let question = asked.original().unwrap();
    assert!(question.is_ephemeral());
    let picker = question.component(&format!("h|u|{}|2.a|who", bot.guild)).unwrap().clone();
    assert_eq!(
        (picker["type"].clone(), picker["placeholder"].clone()),
        (json!(5), json!("Their name"))
    );
    let picker_id = picker["custom_id"].as_str().unwrap().to_owned();
    let picked =
        bot.fake.select_users(bot.ana, question.id, &picker_id, &[bot.admin]).await.unwrap();
    let update = picked.response(WAIT).await.unwrap();
    assert_eq!(update.kind, 7, "the answered picker is disabled in place");
    picked.followup(0, WAIT).await.unwrap();
    assert_eq!(bot.seen_forms(), [vec![("who".to_owned(), bot.admin.to_string())]]);

    let asked = bot.fake.slash_command(bot.channel_origin(), bot.ana, "help", who).await.unwrap();
    asked.response(WAIT).await.unwrap();
    let question = asked.original().unwrap();
    let skipped = bot.fake.click(bot.ana, question.id, &format!("h|k|{}|2.a", bot.guild)).await;
    skipped.unwrap().followup(0, WAIT).await.unwrap();
    assert_eq!(bot.seen_forms().last(), Some(&Vec::new()), "Not now: the form, empty");
    bot.check_wire().await;
}
