//! Heartbeats, RECONNECT, and events filtered by intents: messages and member joins.

use std::time::Duration;

use fake_discord::{FakeError, Member, Origin};
use serenity::all::GatewayIntents;

use crate::common::{Bot, Seen, WAIT, world};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeats_are_acknowledged_and_the_session_stays_up() {
    let w = world().await;
    w.discord.set_heartbeat_interval(Duration::from_millis(100));
    let _bot = Bot::ready(&w.discord).await;
    let stats = w
        .discord
        .wait_until(WAIT, "three heartbeats", |d| {
            let stats = d.gateway_stats();
            (stats.heartbeats >= 3).then_some(stats)
        })
        .await
        .unwrap();
    assert_eq!(stats.connections, 1, "acknowledged heartbeats keep the connection");
    assert_eq!(stats.identifies, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reconnect_request_is_followed_by_a_resume() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    w.discord.request_reconnect();
    while !matches!(bot.next().await, Seen::Resumed) {}
    let stats = w.discord.gateway_stats();
    assert_eq!((stats.identifies, stats.resumes), (1, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_close_frame_with_a_resumable_code_is_followed_by_a_resume() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    assert!(w.discord.close_gateway_connection(4000));
    while !matches!(bot.next().await, Seen::Resumed) {}
    assert_eq!(w.discord.gateway_stats().resumes, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_follow_intents_and_the_message_content_rule() {
    let w = world().await;
    let intents = GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::DIRECT_MESSAGES
        | GatewayIntents::GUILD_MEMBERS;
    let mut bot = Bot::start_with(&w.discord, intents).await;
    w.discord.wait_until_connected(WAIT).await.unwrap();

    let id = w.discord.user_message(Origin::Dm, w.bo, "5").unwrap();
    let seen = loop {
        if let Seen::Message(message) = bot.next().await {
            break message;
        }
    };
    assert_eq!((seen.id.get(), seen.content.as_str()), (id, "5"));
    assert_eq!(seen.author.id.get(), w.bo);
    assert!(seen.guild_id.is_none());

    let general = Origin::Guild { guild_id: w.guild, channel_id: w.general };
    w.discord.user_message(general, w.ada, "private words").unwrap();
    let seen = loop {
        if let Seen::Message(message) = bot.next().await {
            break message;
        }
    };
    assert_eq!(seen.content, "", "no MESSAGE_CONTENT intent: guild content is blank");
    assert_eq!(seen.guild_id.map(|g| g.get()), Some(w.guild));

    let cy = w.discord.fresh_id();
    w.discord.member_joins(w.guild, Member::new(cy, "cy")).unwrap();
    let member = loop {
        if let Seen::MemberAdded(member) = bot.next().await {
            break member;
        }
    };
    assert_eq!((member.user.id.get(), member.guild_id.get()), (cy, w.guild));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_the_bot_did_not_subscribe_to_are_refused() {
    let w = world().await;
    let _bot = Bot::ready(&w.discord).await;
    let refused = w.discord.user_message(Origin::Dm, w.bo, "hello");
    assert!(matches!(refused, Err(FakeError::NotSubscribed(_))), "{refused:?}");
    let refused = w.discord.member_leaves(w.guild, w.bo);
    assert!(matches!(refused, Err(FakeError::NotSubscribed(_))), "{refused:?}");
}
