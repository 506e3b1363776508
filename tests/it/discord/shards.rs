//! One bot split between two hearth processes on complementary shard ranges of one fake
//! Discord that routes as Discord does: every shard is identified once, each guild's commands
//! reach, and are answered by, only the process that owns its shard, and no guild's
//! GUILD_CREATE reaches the other.

use super::WAIT;
use crate::harness::monday_morning;
use async_trait::async_trait;
use fake_discord::{FakeDiscord, Member, Origin, shard_of};
use hearth::clock::FixedClock;
use hearth::config::Config;
use hearth_chat::{Actor, Catalogue, Event, Form, Handler, Inbound, Outbound, TeamRef};
use hearth_discord::{Discord, DiscordOptions, Shards};
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// serenity waits 5 s between a process's IDENTIFYs: two shards each take a while to be live.
const ALL_SHARDS: Duration = Duration::from_secs(40);
/// Longer than serenity's 5 s between a process's IDENTIFYs.
const NEXT_BOOT: Duration = Duration::from_secs(7);

/// The real core, noting which teams' commands reached this process.
struct Recording {
    bot: Arc<hearth::Bot>,
    commands: Mutex<Vec<String>>,
}

#[async_trait]
impl Handler for Recording {
    fn catalogue(&self) -> &Catalogue {
        self.bot.catalogue()
    }

    fn describe(&self, key: &'static str, locale: &str) -> String {
        self.bot.describe(key, locale)
    }

    async fn handle(&self, inbound: Inbound) -> Vec<Outbound> {
        if matches!(inbound.event, Event::Command(_)) {
            self.commands.lock().unwrap().push(inbound.team.id.clone());
        }
        self.bot.handle(inbound).await
    }

    async fn form(&self, team: TeamRef, actor: Actor, token: String) -> Option<Form> {
        self.bot.form(team, actor, token).await
    }
}

/// A hearth process: its own data directory and core, serving `shards` of the fake.
struct Process {
    recording: Arc<Recording>,
    stop: CancellationToken,
    _dir: tempfile::TempDir,
}

impl Drop for Process {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

async fn process(fake: &FakeDiscord, shards: Shards) -> Process {
    let dir = tempfile::tempdir().unwrap();
    let config = Config { data_dir: dir.path().to_owned(), ..Config::default() };
    let clock = Arc::new(FixedClock::new(monday_morning()));
    let bot = Arc::new(hearth::bot::open(config, clock).await.unwrap());
    let recording = Arc::new(Recording { bot, commands: Mutex::new(Vec::new()) });
    let mut options = DiscordOptions::new(fake.token());
    options.api_base = Some(fake.base_url());
    options.shards = Some(shards);
    let discord = Discord::connect(options, recording.clone()).await.unwrap();
    let stop = CancellationToken::new();
    let until = stop.clone();
    tokio::spawn(async move { discord.run(until).await });
    Process { recording, stop, _dir: dir }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_complementary_shards_answer_each_guild_once_by_its_shard() {
    let fake = FakeDiscord::start().await.unwrap();
    fake.set_recommended_shards(4);
    let ana = fake.fresh_id();
    // Two guilds on every shard of four.
    let guilds: Vec<(u64, u64)> = (0..8)
        .map(|n| {
            let guild = fake.add_guild_on_shard(&format!("team {n}"), n % 4, 4);
            fake.add_member(guild, Member::new(ana, "ana"));
            (guild, fake.add_text_channel(guild, "team-room"))
        })
        .collect();
    let low = process(&fake, Shards::new(0, 1, 4).unwrap()).await;
    let high = process(&fake, Shards::new(2, 3, 4).unwrap()).await;
    fake.wait_until_shards_connected(&[0, 1, 2, 3], ALL_SHARDS).await.unwrap();

    let mut identified = fake.identified_shards();
    identified.sort_unstable();
    let each_once: Vec<_> = (0..4).map(|id| ([id, 4], None)).collect();
    assert_eq!(identified, each_once, "every shard identified once, none refused");
    // Both processes registered the catalogue: a bulk overwrite, so one set of commands.
    let checkins = fake.commands().iter().filter(|c| c.name == "checkin").count();
    assert_eq!(checkins, 1);

    let now = json!([{"name": "now", "type": 1, "options": []}]);
    for &(guild_id, channel_id) in &guilds {
        let here = Origin::Guild { guild_id, channel_id };
        let asked = fake.slash_command(here, ana, "checkin", now.clone()).await.unwrap();
        let answer = asked.response(WAIT).await.unwrap();
        assert_eq!(answer.kind, 4, "answered at once");
        assert!(asked.original().unwrap().content.contains("How are you arriving"));
        assert_eq!(asked.shards(), vec![shard_of(guild_id, 4)], "dispatched to its shard only");
    }
    assert!(fake.unknown_routes().is_empty(), "{:?}", fake.unknown_routes());

    for (process, owned) in [(&low, 0..2), (&high, 2..4)] {
        let mut seen = process.recording.commands.lock().unwrap().clone();
        seen.sort_unstable();
        let mut expected: Vec<String> = guilds
            .iter()
            .filter(|(g, _)| owned.contains(&shard_of(*g, 4)))
            .map(|(g, _)| g.to_string())
            .collect();
        expected.sort_unstable();
        assert_eq!(seen, expected, "shards {owned:?}: their guilds' commands, once each");
    }
    for &(guild, _) in &guilds {
        let created: Vec<u64> = fake
            .dispatch_log()
            .into_iter()
            .filter(|d| d.event == "GUILD_CREATE" && d.guild_id == Some(guild))
            .map(|d| d.shard)
            .collect();
        assert_eq!(created, vec![shard_of(guild, 4)], "GUILD_CREATE once, to its own shard");
    }
    // serenity boots a process's shards 5 s apart: a shard past a range would come a slot
    // after the range's last one.
    let extra = fake.wait_until(NEXT_BOOT, "an IDENTIFY past the ranges", |d| {
        (d.identified_shards().len() > 4).then(|| d.identified_shards())
    });
    assert!(extra.await.is_err(), "{:?}", fake.identified_shards());
}

/// `hearth serve` with `[discord]` given by the environment only, on `database` when given.
fn serve(
    fake: &FakeDiscord,
    dir: &std::path::Path,
    shards: &str,
    database: Option<&str>,
) -> std::process::Child {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_hearth"));
    if let Some(url) = database {
        command.env("HEARTH_DATABASE_URL", url);
    }
    command
        .args(["serve", "-vv"])
        .current_dir(dir)
        .env_remove("HEARTH_LOG")
        .env("HEARTH_DISCORD_TOKEN", fake.token())
        .env("HEARTH_DISCORD__API_BASE", fake.base_url())
        .env("HEARTH_DISCORD__SHARDS", shards)
        .env("HEARTH_DISCORD__SHARD_TOTAL", "4")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(dir.join("stderr.log")).unwrap())
        .spawn()
        .unwrap()
}

/// Two real `hearth serve` processes, shards `0-1` and `2-3` of four from their environment:
/// each logs the shards it serves and handles exactly its own guilds' commands; both stop
/// cleanly on SIGTERM. In the tests' PostgreSQL pass they share one database, as a host runs
/// them, and each guild became one team there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_binaries_split_the_shards_between_them() {
    let fake = FakeDiscord::start().await.unwrap();
    let ana = fake.fresh_id();
    let guilds: Vec<(u64, u64)> = (0..4)
        .map(|n| {
            let guild = fake.add_guild_on_shard(&format!("team {n}"), n, 4);
            fake.add_member(guild, Member::new(ana, "ana"));
            (guild, fake.add_text_channel(guild, "team-room"))
        })
        .collect();
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let database = crate::harness::postgres_schema().await;
    let mut children = [
        serve(&fake, dirs[0].path(), "0-1", database.as_deref()),
        serve(&fake, dirs[1].path(), "2-3", database.as_deref()),
    ];
    fake.wait_until_shards_connected(&[0, 1, 2, 3], ALL_SHARDS).await.unwrap();

    let now = json!([{"name": "now", "type": 1, "options": []}]);
    let mut asked = Vec::new();
    for &(guild_id, channel_id) in &guilds {
        let here = Origin::Guild { guild_id, channel_id };
        let handle = fake.slash_command(here, ana, "checkin", now.clone()).await.unwrap();
        assert_eq!(handle.response(WAIT).await.unwrap().kind, 4);
        asked.push((shard_of(guild_id, 4), handle.id()));
    }
    for child in &mut children {
        let pid = child.id().to_string();
        assert!(
            std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success()
        );
    }
    for (n, mut child) in children.into_iter().enumerate() {
        let status = tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap();
        let log = std::fs::read_to_string(dirs[n].path().join("stderr.log")).unwrap();
        assert!(status.success(), "{log}");
        let (first, last) = if n == 0 { (0, 1) } else { (2, 3) };
        let said = format!("first={first} last={last} total=4");
        assert!(log.contains(&said), "process {n} logs its shards: {log}");
        for (shard, interaction) in &asked {
            let handled = log.contains(&format!("interaction={interaction} "));
            let owns = (first..=last).contains(shard);
            assert_eq!(handled, owns, "interaction on shard {shard}, process {n}: {log}");
        }
    }
    if let Some(url) = database {
        let pool = sqlx::PgPool::connect(&url).await.unwrap();
        let teams: i64 =
            sqlx::query_scalar("SELECT count(*) FROM teams WHERE platform = 'discord'")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert_eq!(teams, 4, "one team per guild in the shared database");
    }
}

/// The shard keys from the environment are checked like the file's.
#[test]
fn the_binary_checks_shards_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let check = |shards: &str, total: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
            .arg("check")
            .current_dir(dir.path())
            .env_remove("HEARTH_LOG")
            .env("HEARTH_DISCORD__SHARDS", shards)
            .env("HEARTH_DISCORD__SHARD_TOTAL", total)
            .output()
            .unwrap()
    };
    assert!(check("3", "4").status.success());
    assert!(check("0-1", "2").status.success());
    let outside = check("2-4", "4");
    let stderr = String::from_utf8_lossy(&outside.stderr);
    assert!(!outside.status.success());
    assert!(stderr.contains("discord.shards must lie within shard_total"), "{stderr}");
    let reversed = check("1-0", "2");
    let stderr = String::from_utf8_lossy(&reversed.stderr);
    assert!(!reversed.status.success());
    assert!(stderr.contains("lowest first"), "{stderr}");
}
