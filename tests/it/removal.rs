//! Forgetting a team: through the real core (the `Removed` event, and `forget::team` with its
//! dry run), and on Discord, through real serenity against the fake Discord: a server removing
//! hearth forgets its team; an outage forgets nothing.

use crate::harness::{TestBot, monday_morning};
use crate::retention::snapshot;
use fake_discord::{FakeDiscord, Member, Origin};
use hearth::clock::FixedClock;
use hearth::config::Config;
use hearth::store::{Mode, forget};
use hearth_chat::{Actor, Event, Handler, Inbound, Place, Platform, TeamRef};
use hearth_discord::{Discord, DiscordOptions};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

fn console(id: &str) -> TeamRef {
    TeamRef { platform: Platform::Console, id: id.into() }
}

/// A command from `user` in another console team than the test bot's own.
async fn elsewhere(t: &TestBot, user: &str, line: &str) {
    let call = t.bot.catalogue().parse(line).unwrap();
    let actor = Actor { user_id: user.into(), display_name: user.into(), is_team_admin: true };
    let place = Place::Channel { id: "room".into() };
    let inbound = Inbound { team: console("other"), actor, place, event: Event::Command(call) };
    assert!(!t.bot.handle(inbound).await.is_empty(), "{line}");
}

#[tokio::test]
async fn every_table_goes_with_its_team() {
    let outliving = forget::tables_outliving_teams();
    assert_eq!(outliving, Vec::<String>::new(), "these tables would keep rows of a forgotten team");
}

#[tokio::test]
async fn a_removed_team_is_forgotten_whole_and_other_teams_keep_everything() {
    let mut t = TestBot::new().await;
    for line in [
        "setup timezone Europe/London",
        "available on",
        "supervision schedule every monday 14:00",
        "agenda add Their own item",
    ] {
        elsewhere(&t, "zoe", line).await;
    }
    let others = snapshot(&t).await;

    // The console team: kept history and weather, supervision with an agenda and a vote, a
    // shift pattern, a break, an open debrief request and a conversation left half-way.
    t.script(&["/checkin keep on", "/checkin", "2", "3", "yes"]).await;
    t.script(&[
        "/supervision schedule every tuesday 10:00",
        "/agenda add Planning the rota",
        "/as bo",
        "/checkin",
        "1",
        "not now",
        "yes",
        "/agenda vote 2",
        "/available on",
        "/shift pattern every mon,tue 09:00-17:00",
        "/break",
        "/as cy",
        "/debrief request",
        "/as ana",
        "/checkin",
    ])
    .await;
    let all = snapshot(&t).await;
    for table in [
        "members",
        "checkin_history",
        "weather_people",
        "flow_sessions",
        "schedules",
        "agenda_items",
        "agenda_votes",
        "supervision_series",
    ] {
        assert!(all[table] > others[table], "{table}: nothing to forget; {}", t.transcript());
    }

    // A dry run counts every row of the team and deletes none.
    let dry = t
        .bot
        .store()
        .run(|tx| forget::team(tx, &console(crate::harness::TEAM), Mode::DryRun))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(snapshot(&t).await, all);
    for (table, rows) in &all {
        let team_rows = u64::try_from(rows - others[table]).unwrap();
        assert_eq!(dry.rows(table), team_rows, "{table}: {dry}");
    }

    // Removed: nothing is said, and exactly the other team's rows are left.
    let replies = t.bot.handle(Inbound::removed(console(crate::harness::TEAM))).await;
    assert!(replies.is_empty(), "{replies:?}");
    assert_eq!(snapshot(&t).await, others);

    // Removed again, or from a team hearth never knew: nothing happens, nothing is created.
    assert!(t.bot.handle(Inbound::removed(console(crate::harness::TEAM))).await.is_empty());
    assert!(t.bot.handle(Inbound::removed(console("never-seen"))).await.is_empty());
    assert_eq!(snapshot(&t).await, others);
    let unknown = t.bot.store().run(|tx| forget::team(tx, &console("nope"), Mode::Apply));
    assert_eq!(unknown.await.unwrap(), None);
    assert_eq!(snapshot(&t).await, others);

    // An old button, a form or typed text for the forgotten team: a kind answer, and the
    // team is not brought back as an empty one. A command starts it afresh.
    let answer = |event| Inbound {
        team: console(crate::harness::TEAM),
        actor: Actor { user_id: "ana".into(), display_name: "ana".into(), is_team_admin: true },
        place: Place::Direct,
        event,
    };
    let stale = t.bot.handle(answer(Event::Choice { token: "1.abc".into(), option: "1".into() }));
    assert!(format!("{:?}", stale.await).contains("expired"));
    let form = Event::Form { token: "1.abc".into(), fields: vec![("note".into(), "x".into())] };
    assert!(format!("{:?}", t.bot.handle(answer(form)).await).contains("expired"));
    let typed = t.bot.handle(answer(Event::Text("hello".into()))).await;
    assert!(format!("{typed:?}").contains("I only answer commands"), "{typed:?}");
    assert_eq!(snapshot(&t).await, others, "nothing was created");
    t.script(&["/help"]).await;
    assert_eq!(snapshot(&t).await["members"], others["members"] + 1);
}

const WAIT: Duration = Duration::from_secs(10);

/// Rows of the Discord team with this guild id, in `table` (the team itself for `teams`).
async fn discord_rows(bot: &hearth::Bot, table: &'static str, guild: u64) -> i64 {
    let sql = if table == "teams" {
        format!(
            "SELECT count(*) FROM teams WHERE platform = 'discord' AND platform_team_id = '{guild}'"
        )
    } else {
        format!(
            "SELECT count(*) FROM {table} WHERE team_id IN
             (SELECT id FROM teams WHERE platform = 'discord' AND platform_team_id = '{guild}')"
        )
    };
    crate::harness::Db::of(bot).number(&sql).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discord_server_removing_hearth_forgets_the_team_and_an_outage_forgets_nothing() {
    let fake = FakeDiscord::start().await.unwrap();
    let (stays, leaves) = (fake.add_guild("stays"), fake.add_guild("leaves"));
    let ana = fake.fresh_id();
    let mut channels = Vec::new();
    for guild in [stays, leaves] {
        channels.push(fake.add_text_channel(guild, "team-room"));
        fake.add_member(guild, Member::new(ana, "ana"));
    }
    let dir = tempfile::tempdir().unwrap();
    let database_url = crate::harness::postgres_schema().await;
    let config = Config { data_dir: dir.path().to_owned(), database_url, ..Config::default() };
    let clock = Arc::new(FixedClock::new(monday_morning()));
    let bot = Arc::new(hearth::bot::open(config, clock).await.unwrap());
    let mut options = DiscordOptions::new(fake.token());
    options.api_base = Some(fake.base_url());
    let discord = Discord::connect(options, bot.clone()).await.unwrap();
    let stop = CancellationToken::new();
    let until = stop.clone();
    tokio::spawn(async move { discord.run(until).await });
    fake.wait_until_connected(WAIT).await.unwrap();

    for (guild, channel) in [stays, leaves].into_iter().zip(channels) {
        let here = Origin::Guild { guild_id: guild, channel_id: channel };
        let on = json!([{"name": "state", "type": 3, "value": "on"}]);
        let handle = fake.slash_command(here, ana, "available", on).await.unwrap();
        handle.response(WAIT).await.unwrap();
        assert_eq!(discord_rows(&bot, "members", guild).await, 1);
    }

    // An outage of one server, then the other removes hearth: once that removal is done, the
    // server that was only unavailable (its event came first) still has everything.
    fake.guild_outage(stays).unwrap();
    fake.remove_bot(leaves).unwrap();
    let deadline = Instant::now() + WAIT;
    while discord_rows(&bot, "teams", leaves).await > 0 {
        assert!(Instant::now() < deadline, "the removed server's team was not forgotten");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(discord_rows(&bot, "members", leaves).await, 0);
    assert_eq!(discord_rows(&bot, "teams", stays).await, 1, "an outage forgot a team");
    assert_eq!(discord_rows(&bot, "members", stays).await, 1, "an outage forgot a member");
    stop.cancel();
}
