//! Start-up, READY and GUILD_CREATE, event shapes, and reconnecting after a dropped connection.

use fake_discord::Origin;
use serde_json::json;
use serenity::all::{CreateCommand, Interaction};
use serenity::model::event::GatewayEvent;

use crate::common::{Bot, Seen, WAIT, world};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_reaches_ready_and_guild_create_through_the_fake_only() {
    let w = world().await;
    let mut bot = Bot::start(&w.discord).await;

    let Seen::Ready(ready) = bot.next().await else { panic!("READY comes first") };
    assert_eq!(ready.user.id.get(), w.discord.bot_user_id());
    assert_eq!(ready.application.id.get(), w.discord.application_id());
    assert_eq!(ready.guilds.len(), 1);
    assert!(ready.guilds[0].unavailable);

    let Seen::GuildCreate(guild) = bot.next().await else { panic!("then GUILD_CREATE") };
    assert_eq!(guild.id.get(), w.guild);
    assert_eq!(guild.name, "Team");
    assert!(guild.channels.keys().any(|c| c.get() == w.general));
    assert_eq!(guild.members.len(), 3, "the bot, ada and bo");

    // The gateway URL came from the fake's /gateway: serenity connected nowhere else.
    let requests = w.discord.requests();
    assert!(requests.iter().any(|r| r.method == "GET" && r.path == "/api/v10/gateway"));
    assert!(requests.iter().all(|r| r.path.starts_with("/api/v10/")));
    assert_eq!(w.discord.gateway_stats().identifies, 1);
    assert!(w.discord.last_identify().is_some_and(|i| i["token"] == "<redacted>"));
    assert!(w.discord.unknown_routes().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_dispatched_event_deserializes_in_serenity() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    let command = CreateCommand::new("checkin").description("Check in");
    serenity::all::Command::set_global_commands(&bot.http, vec![command]).await.unwrap();
    let handle = w
        .discord
        .slash_command(
            Origin::Guild { guild_id: w.guild, channel_id: w.general },
            w.ada,
            "checkin",
            json!([]),
        )
        .await
        .unwrap();
    let (_, interaction) = bot.next_interaction().await;
    assert!(matches!(interaction, Interaction::Command(_)));

    let frames = w.discord.dispatched();
    assert!(frames.len() >= 3);
    for (n, frame) in frames.into_iter().enumerate() {
        assert_eq!(frame["s"], json!(n + 1), "sequence numbers count up from 1");
        let name = frame["t"].clone();
        serde_json::from_value::<GatewayEvent>(frame)
            .unwrap_or_else(|e| panic!("{name} does not deserialize: {e}"));
    }
    drop(handle);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_resumes_and_replays_what_was_missed() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    let command = CreateCommand::new("checkin").description("Check in");
    serenity::all::Command::set_global_commands(&bot.http, vec![command]).await.unwrap();
    w.discord.wait_until_connected(WAIT).await.unwrap();

    assert!(w.discord.drop_gateway_connection());
    // Dispatched while the client is away: must arrive after RESUME.
    let handle = w
        .discord
        .slash_command(
            Origin::Guild { guild_id: w.guild, channel_id: w.general },
            w.bo,
            "checkin",
            json!([]),
        )
        .await
        .unwrap();

    let mut resumed = false;
    let interaction = loop {
        match bot.next().await {
            Seen::Resumed => resumed = true,
            Seen::Interaction(_, interaction) => break interaction,
            _ => {}
        }
    };
    assert_eq!(interaction.id().get(), handle.id());
    let stats = w.discord.wait_until_connected(WAIT).await.unwrap();
    assert_eq!(stats.identifies, 1, "resumed, not re-identified");
    assert_eq!(stats.resumes, 1);
    assert!(stats.connections >= 2);
    // serenity 0.12.5 resumes at the `/gateway` URL, never at READY's `resume_gateway_url`.
    assert_eq!(stats.resume_url_connections, 0);
    // RESUMED follows the replayed interaction.
    while !resumed {
        resumed = matches!(bot.next().await, Seen::Resumed);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalidated_session_makes_the_client_identify_again() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    w.discord.invalidate_session();
    loop {
        if let Seen::Ready(_) = bot.next().await {
            break;
        }
    }
    assert_eq!(w.discord.gateway_stats().identifies, 2);
}

/// What a failed resume costs: Discord answers INVALID_SESSION, serenity identifies again (a
/// new READY and GUILD_CREATE), and whatever was dispatched while it was away is lost — here a
/// slash command, which the person then sees fail as "did not respond".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_resume_loses_what_was_dispatched_meanwhile() {
    let w = world().await;
    let mut bot = Bot::ready(&w.discord).await;
    let command = CreateCommand::new("checkin").description("Check in");
    serenity::all::Command::set_global_commands(&bot.http, vec![command]).await.unwrap();
    w.discord.wait_until_connected(WAIT).await.unwrap();
    w.discord.refuse_resumes(true);

    w.discord.hold_gateway_connections(true);
    assert!(w.discord.drop_gateway_connection());
    let here = Origin::Guild { guild_id: w.guild, channel_id: w.general };
    let lost = w.discord.slash_command(here, w.bo, "checkin", json!([])).await.unwrap();
    w.discord.hold_gateway_connections(false);
    let mut guilds = 0;
    loop {
        match bot.next().await {
            Seen::Interaction(..) => panic!("the lost interaction must not arrive"),
            Seen::GuildCreate(_) => guilds += 1,
            Seen::Ready(_) if guilds == 0 => {}
            Seen::Ready(_) => panic!("READY comes before GUILD_CREATE"),
            _ => {}
        }
        if guilds == 1 {
            break;
        }
    }
    let stats = w.discord.wait_until_connected(WAIT).await.unwrap();
    assert_eq!((stats.identifies, stats.resumes), (2, 0), "identified again");
    // Nothing can answer it: after 3 s the person saw it fail.
    w.discord.advance(std::time::Duration::from_secs(4));
    assert!(lost.did_not_respond());
    assert!(lost.callback().is_none());

    // A new interaction reaches the new session.
    let next = w.discord.slash_command(here, w.bo, "checkin", json!([])).await.unwrap();
    let (_, interaction) = bot.next_interaction().await;
    assert_eq!(interaction.id().get(), next.id());
}
