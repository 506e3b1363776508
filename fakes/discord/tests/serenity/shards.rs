//! Shards, routed as Discord routes them, with real serenity clients: each session gets READY
//! and GUILD_CREATE for its own guilds only, a guild's interactions reach only its shard, DMs go
//! to shard 0, and the IDENTIFYs Discord refuses are closed with its codes.

use std::time::Duration;

use fake_discord::{FakeDiscord, INVALID_SHARD, Member, Origin, SHARDING_REQUIRED, shard_of};
use serde_json::json;
use serenity::all::{
    Client, ClientBuilder, Context, CreateCommand, EventHandler, GatewayIntents, Guild,
    HttpBuilder, Interaction, Ready,
};
use serenity::async_trait;
use tokio::sync::mpsc;

use crate::common::WAIT;

/// What one client saw: READY's shard and guilds, GUILD_CREATEs, interactions.
#[derive(Debug)]
enum Seen {
    Ready { shard: Option<(u32, u32)>, guilds: Vec<u64> },
    GuildCreate(u64),
    Interaction(u64),
}

struct Handler(mpsc::UnboundedSender<Seen>);

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        let shard = ready.shard.map(|s| (s.id.0, s.total));
        let guilds = ready.guilds.iter().map(|g| g.id.get()).collect();
        let _ = self.0.send(Seen::Ready { shard, guilds });
    }

    async fn guild_create(&self, _ctx: Context, guild: Guild, _is_new: Option<bool>) {
        let _ = self.0.send(Seen::GuildCreate(guild.id.get()));
    }

    async fn interaction_create(&self, _ctx: Context, interaction: Interaction) {
        let _ = self.0.send(Seen::Interaction(interaction.id().get()));
    }
}

/// How a client connects: serenity's `start()` (`[0, 1]`), or one shard of a total.
#[derive(Clone, Copy)]
enum Shards {
    Unsharded,
    One(u32, u32),
}

async fn client(discord: &FakeDiscord, shards: Shards) -> mpsc::UnboundedReceiver<Seen> {
    let (tx, seen) = mpsc::unbounded_channel();
    let http = HttpBuilder::new(discord.token())
        .proxy(discord.base_url())
        .ratelimiter_disabled(true)
        .build();
    let mut client: Client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
        .event_handler(Handler(tx))
        .await
        .expect("client builds");
    tokio::spawn(async move {
        match shards {
            Shards::Unsharded => client.start().await,
            Shards::One(id, total) => client.start_shard(id, total).await,
        }
    });
    seen
}

/// Everything a client saw until nothing came for a moment.
async fn drain(seen: &mut mpsc::UnboundedReceiver<Seen>) -> Vec<Seen> {
    let mut all = Vec::new();
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_millis(500), seen.recv()).await
    {
        all.push(event);
    }
    all
}

/// serenity 0.12.5, closed with 4010 or 4011, reads the closed socket in a busy loop until
/// its next heartbeat is due, then identifies again (and again): a short heartbeat interval
/// keeps a refused client from holding a worker thread for Discord's 41 s.
const REFUSED_CLIENT_HEARTBEAT: Duration = Duration::from_millis(200);

/// Two guilds on each shard of two, and a member in each.
struct Sharded {
    discord: FakeDiscord,
    /// `(guild, channel)` by shard: `guilds[shard]`.
    guilds: [Vec<(u64, u64)>; 2],
    ada: u64,
}

async fn sharded() -> Sharded {
    let discord = FakeDiscord::start().await.expect("fake starts");
    discord.set_recommended_shards(2);
    let ada = discord.fresh_id();
    let mut guilds: [Vec<(u64, u64)>; 2] = Default::default();
    for n in 0..4_u64 {
        let shard = n % 2;
        let guild = discord.add_guild_on_shard(&format!("team {n}"), shard, 2);
        assert_eq!(shard_of(guild, 2), shard);
        let channel = discord.add_text_channel(guild, "general");
        discord.add_member(guild, Member::new(ada, "ada"));
        guilds[usize::from(shard == 1)].push((guild, channel));
    }
    Sharded { discord, guilds, ada }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_shard_gets_only_its_guilds_and_their_interactions_dms_go_to_shard_zero() {
    let s = sharded().await;
    let gateway = crate::common::http(&s.discord).get_bot_gateway().await.unwrap();
    assert_eq!(gateway.shards, 2, "GET /gateway/bot recommends the count the test set");
    let mut zero = client(&s.discord, Shards::One(0, 2)).await;
    let mut one = client(&s.discord, Shards::One(1, 2)).await;
    s.discord.wait_until_shards_connected(&[0, 1], WAIT).await.unwrap();
    let http = crate::common::http(&s.discord);
    let command = CreateCommand::new("checkin").description("Check in");
    serenity::all::Command::set_global_commands(&http, vec![command]).await.unwrap();

    let mut handles = Vec::new();
    for (shard, guilds) in s.guilds.iter().enumerate() {
        for &(guild_id, channel_id) in guilds {
            let here = Origin::Guild { guild_id, channel_id };
            let handle = s.discord.slash_command(here, s.ada, "checkin", json!([])).await.unwrap();
            assert_eq!(handle.shards(), vec![u64::try_from(shard).unwrap()]);
            handles.push((shard, handle.id()));
        }
    }
    let dm = s.discord.slash_command(Origin::Dm, s.ada, "checkin", json!([])).await.unwrap();
    assert_eq!(dm.shards(), vec![0], "DMs go to shard 0");

    for (shard, seen) in [(0, drain(&mut zero).await), (1, drain(&mut one).await)] {
        let mut own: Vec<u64> = s.guilds[shard].iter().map(|(g, _)| *g).collect();
        own.sort_unstable();
        let Some(Seen::Ready { shard: ready_shard, guilds }) = seen.first() else {
            panic!("shard {shard}: READY first, got {seen:?}")
        };
        assert_eq!(*ready_shard, Some((u32::try_from(shard).unwrap(), 2)), "READY carries shard");
        let mut guilds = guilds.clone();
        guilds.sort_unstable();
        assert_eq!(guilds, own, "READY lists shard {shard}'s guilds only");
        // serenity runs handlers concurrently: order is not kept.
        let mut created: Vec<u64> = seen
            .iter()
            .filter_map(|e| if let Seen::GuildCreate(g) = e { Some(*g) } else { None })
            .collect();
        created.sort_unstable();
        assert_eq!(created, own, "GUILD_CREATE for shard {shard}'s guilds only, once each");
        let mut interactions: Vec<u64> = seen
            .iter()
            .filter_map(|e| if let Seen::Interaction(i) = e { Some(*i) } else { None })
            .collect();
        let mut expected: Vec<u64> =
            handles.iter().filter(|(s, _)| *s == shard).map(|(_, id)| *id).collect();
        if shard == 0 {
            expected.push(dm.id());
        }
        interactions.sort_unstable();
        expected.sort_unstable();
        assert_eq!(interactions, expected, "shard {shard} got its guilds' interactions only");
    }
    // The fake's own record agrees, event by event (READY is every session's own).
    for record in s.discord.dispatch_log().into_iter().filter(|d| d.event != "READY") {
        let expected = record.guild_id.map_or(0, |g| shard_of(g, 2));
        assert_eq!(record.shard, expected, "{record:?}");
    }
    // Each shard identifies once; serenity may start them in either order.
    let mut identified = s.discord.identified_shards();
    identified.sort_by_key(|(shard, _)| *shard);
    assert_eq!(identified, vec![([0, 2], None), ([1, 2], None)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shard_id_not_below_the_total_is_closed_with_4010() {
    let s = sharded().await;
    s.discord.set_heartbeat_interval(REFUSED_CLIENT_HEARTBEAT);
    let mut bad = client(&s.discord, Shards::One(2, 2)).await;
    let refused = s
        .discord
        .wait_until(WAIT, "a refused IDENTIFY", |d| {
            d.identified_shards().into_iter().find(|(_, code)| code.is_some())
        })
        .await
        .unwrap();
    assert_eq!(refused, ([2, 2], Some(INVALID_SHARD)));
    assert!(s.discord.connected_shards().is_empty(), "no session for an invalid shard");
    assert!(drain(&mut bad).await.is_empty(), "no READY, no events");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_that_would_hold_too_many_guilds_is_closed_with_4011() {
    let s = sharded().await;
    s.discord.set_max_guilds_per_shard(2);
    s.discord.set_heartbeat_interval(REFUSED_CLIENT_HEARTBEAT);
    let mut whole = client(&s.discord, Shards::Unsharded).await;
    let refused = s
        .discord
        .wait_until(WAIT, "a refused IDENTIFY", |d| d.identified_shards().first().copied())
        .await
        .unwrap();
    assert_eq!(refused, ([0, 1], Some(SHARDING_REQUIRED)), "four guilds in one session");
    assert!(drain(&mut whole).await.is_empty());

    // Two guilds a session is allowed: sharded, the same bot connects.
    let mut zero = client(&s.discord, Shards::One(0, 2)).await;
    let mut one = client(&s.discord, Shards::One(1, 2)).await;
    s.discord.wait_until_shards_connected(&[0, 1], WAIT).await.unwrap();
    assert!(matches!(drain(&mut zero).await.first(), Some(Seen::Ready { .. })));
    assert!(matches!(drain(&mut one).await.first(), Some(Seen::Ready { .. })));
}

/// Discord routes by each session's own total and refuses no mix: sessions that disagree on
/// it get some guilds' events twice. Why complementary ranges must share one total.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_that_disagree_on_the_total_get_some_events_twice() {
    let s = sharded().await;
    let mut whole = client(&s.discord, Shards::Unsharded).await;
    let mut one = client(&s.discord, Shards::One(1, 2)).await;
    s.discord.wait_until_shards_connected(&[0, 1], WAIT).await.unwrap();
    let http = crate::common::http(&s.discord);
    let command = CreateCommand::new("checkin").description("Check in");
    serenity::all::Command::set_global_commands(&http, vec![command]).await.unwrap();
    let ((g0, c0), (g1, c1)) = (s.guilds[0][0], s.guilds[1][0]);
    let here = Origin::Guild { guild_id: g1, channel_id: c1 };
    let twice = s.discord.slash_command(here, s.ada, "checkin", json!([])).await.unwrap();
    let here = Origin::Guild { guild_id: g0, channel_id: c0 };
    let once = s.discord.slash_command(here, s.ada, "checkin", json!([])).await.unwrap();
    let mut shards = twice.shards();
    shards.sort_unstable();
    assert_eq!(shards, vec![0, 1], "[0, 1] and [1, 2] both serve a guild of shard 1 of 2");
    assert_eq!(once.shards(), vec![0]);
    let got = |seen: Vec<Seen>| -> Vec<u64> {
        let mut ids: Vec<u64> = seen
            .into_iter()
            .filter_map(|e| if let Seen::Interaction(i) = e { Some(i) } else { None })
            .collect();
        ids.sort_unstable();
        ids
    };
    let mut both = vec![twice.id(), once.id()];
    both.sort_unstable();
    assert_eq!(got(drain(&mut whole).await), both);
    assert_eq!(got(drain(&mut one).await), vec![twice.id()]);
}
