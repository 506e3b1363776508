//! A form opened through one hearth process and answered through another. Two adapters share
//! one core and database, as two processes on one PostgreSQL do, on complementary shards of a
//! fake Discord that routes as Discord does: process A serves the team's guild (shard 1 of 2),
//! process B shard 0, which gets every click in a DM. A form A sends to someone's DM is
//! clicked through B, which never rendered it: B asks the core to describe it again and goes
//! on as if it had (a modal, or a pick recorded), instead of asking the question again.

use super::WAIT;
use crate::harness::monday_morning;
use async_trait::async_trait;
use fake_discord::{FakeDiscord, InteractionHandle, Member, Message, Origin};
use hearth::clock::FixedClock;
use hearth::config::Config;
use hearth_chat::{
    Actor, Catalogue, Controls, Delivery, Event, Form, Handler, Inbound, Outbound, Place, Platform,
    Target, TeamRef,
};
use hearth_discord::{Discord, DiscordOptions, Shards};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Both processes' single shards are identified at once, with no 5 s between them.
const CONNECTED: Duration = Duration::from_secs(20);

/// The real core, describing forms again no sooner than after `delay` (a busy database).
struct Slow {
    bot: Arc<hearth::Bot>,
    delay: Duration,
}

#[async_trait]
impl Handler for Slow {
    fn catalogue(&self) -> &Catalogue {
        self.bot.catalogue()
    }

    fn describe(&self, key: &'static str, locale: &str) -> String {
        self.bot.describe(key, locale)
    }

    async fn handle(&self, inbound: Inbound) -> Vec<Outbound> {
        self.bot.handle(inbound).await
    }

    async fn form(&self, team: TeamRef, actor: Actor, token: String) -> Option<Form> {
        tokio::time::sleep(self.delay).await;
        self.bot.form(team, actor, token).await
    }
}

struct Pair {
    fake: FakeDiscord,
    bot: Arc<hearth::Bot>,
    /// A, which serves the guild and sends the form.
    a: Discord,
    guild: u64,
    channel: u64,
    ana: u64,
    bo: u64,
    stop: CancellationToken,
    _dir: tempfile::TempDir,
}

impl Drop for Pair {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

async fn adapter(
    fake: &FakeDiscord,
    handler: Arc<dyn Handler>,
    shard: u32,
    stop: &CancellationToken,
) -> Discord {
    let mut options = DiscordOptions::new(fake.token());
    options.api_base = Some(fake.base_url());
    options.shards = Some(Shards::new(shard, shard, 2).unwrap());
    let discord = Discord::connect(options, handler).await.unwrap();
    let (running, until) = (discord.clone(), stop.clone());
    tokio::spawn(async move { running.run(until).await });
    discord
}

impl Pair {
    /// Process B's core describes forms again after `slow` (none: at once).
    async fn start(slow: Duration) -> Self {
        let fake = FakeDiscord::start().await.unwrap();
        fake.set_recommended_shards(2);
        let guild = fake.add_guild_on_shard("peer team", 1, 2);
        let channel = fake.add_text_channel(guild, "team-room");
        let (ana, bo) = (fake.fresh_id(), fake.fresh_id());
        fake.add_member(guild, Member::new(ana, "ana"));
        fake.add_member(guild, Member::new(bo, "bo"));
        let dir = tempfile::tempdir().unwrap();
        // On the PostgreSQL pass, the database the two processes share is PostgreSQL.
        let database_url = crate::harness::postgres_schema().await;
        let config = Config { data_dir: dir.path().to_owned(), database_url, ..Config::default() };
        let clock = Arc::new(FixedClock::new(monday_morning()));
        let bot = Arc::new(hearth::bot::open(config, clock).await.unwrap());
        let stop = CancellationToken::new();
        let a = adapter(&fake, bot.clone(), 1, &stop).await;
        let b = Arc::new(Slow { bot: bot.clone(), delay: slow });
        adapter(&fake, b, 0, &stop).await;
        fake.wait_until_shards_connected(&[0, 1], CONNECTED).await.unwrap();
        Self { fake, bot, a, guild, channel, ana, bo, stop, _dir: dir }
    }

    /// `who` acts in the guild's channel, straight through the core.
    async fn event(&self, who: u64, event: Event) -> Vec<Outbound> {
        let team = TeamRef { platform: Platform::Discord, id: self.guild.to_string() };
        let actor =
            Actor { user_id: who.to_string(), display_name: "ana".into(), is_team_admin: false };
        let place = Place::Channel { id: self.channel.to_string() };
        self.bot.handle(Inbound { team, actor, place, event }).await
    }

    async fn choose(&self, who: u64, asked: &[Outbound], option: &str) -> Vec<Outbound> {
        let token = crate::harness::token(asked);
        self.event(who, Event::Choice { token, option: option.into() }).await
    }

    /// A check-in by ana up to the form `options` lead to, sent to ana's DM through process
    /// A; the DM, as Discord shows it.
    async fn form_in_a_dm(&self, options: &[&str]) -> (Form, Message) {
        let call = self.bot.catalogue().parse("checkin").unwrap();
        let mut asked = self.event(self.ana, Event::Command(call)).await;
        for option in options {
            asked = self.choose(self.ana, &asked, option).await;
        }
        let offered =
            asked.into_iter().find(|o| matches!(o.message.controls, Some(Controls::Form(_))));
        let offered = offered.expect("a form was offered");
        let Some(Controls::Form(form)) = offered.message.controls.clone() else { unreachable!() };
        let team = TeamRef { platform: Platform::Discord, id: self.guild.to_string() };
        let target = Target::Person { team, user_id: self.ana.to_string() };
        let to_dm = Outbound { target, ..offered };
        self.a.deliver(to_dm, "the form, by DM").await.unwrap();
        let dms = self.fake.wait_for_dms_to(self.ana, 1, WAIT).await.unwrap();
        (form, dms.into_iter().last().unwrap())
    }
}

fn custom_id(message: &Message, kind: &str) -> String {
    let rows = message.components.as_array().cloned().unwrap_or_default();
    let ids = rows.iter().flat_map(|r| r["components"].as_array().cloned().unwrap_or_default());
    let found = ids.filter_map(|c| c["custom_id"].as_str().map(str::to_owned));
    found.into_iter().find(|id| id.starts_with(kind)).unwrap_or_else(|| panic!("no {kind}"))
}

/// Every follow-up's text, once they stop arriving.
async fn said(handle: &InteractionHandle) -> String {
    let mut count = usize::MAX;
    while count != handle.followups().len() {
        count = handle.followups().len();
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    handle.followups().iter().map(|m| m.content.clone()).collect::<Vec<_>>().join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_sent_by_one_process_opens_its_modal_through_another() {
    let pair = Pair::start(Duration::ZERO).await;
    let (form, dm) = pair.form_in_a_dm(&["green", "share"]).await;
    let open = custom_id(&dm, "h|f|");
    let clicked = pair.fake.click(pair.ana, dm.id, &open).await.unwrap();
    assert_eq!(clicked.shards(), vec![0], "a DM's click goes to shard 0: process B");
    let response = clicked.response(WAIT).await.unwrap();
    assert_eq!(response.kind, 9, "the modal, at once: {}", said(&clicked).await);
    let modal = response.data();
    let modal_id = format!("h|m|{}|{}", pair.guild, form.token);
    assert_eq!(modal["custom_id"], modal_id.as_str());
    assert_eq!(modal["title"], form.title.as_str());
    assert_eq!(modal["components"][0]["components"][0]["custom_id"], "text");

    let submitted = pair.fake.submit_modal(Origin::Dm, pair.ana, &modal_id, &[("text", "hi")]);
    let submitted = submitted.await.unwrap();
    submitted.response(WAIT).await.unwrap();
    let answer = said(&submitted).await;
    assert!(answer.contains("team weather") && !answer.contains("restarted"), "{answer}");
    assert!(pair.fake.unknown_routes().is_empty(), "{:?}", pair.fake.unknown_routes());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_picked_through_another_process_answers_the_form() {
    let pair = Pair::start(Duration::ZERO).await;
    // bo has used hearth in the team, so they can be picked.
    let call = pair.bot.catalogue().parse("checkin").unwrap();
    let asked = pair.event(pair.bo, Event::Command(call)).await;
    pair.choose(pair.bo, &asked, "pass").await;
    let (_, dm) = pair.form_in_a_dm(&["red", "alert"]).await;
    let picker = custom_id(&dm, "h|u|");
    let picked = pair.fake.select_users(pair.ana, dm.id, &picker, &[pair.bo]).await.unwrap();
    assert_eq!(picked.shards(), vec![0]);
    assert_eq!(picked.response(WAIT).await.unwrap().kind, 7, "the picker disabled in place");
    let answer = said(&picked).await;
    assert!(answer.contains("I've asked") && !answer.contains("restarted"), "{answer}");
    let to_bo = pair.fake.wait_for_dms_to(pair.bo, 1, WAIT).await.unwrap();
    assert!(to_bo[0].content.contains("could use some support"), "{}", to_bo[0].content);
}

/// A modal must be the click's first response, within Discord's 3 s: a core that cannot
/// describe the form within `defer_after` (1.5 s) is not waited for. The click is acknowledged
/// in time and the question asked again, with a form that now works here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_the_core_cannot_describe_in_time_is_asked_again() {
    let pair = Pair::start(Duration::from_secs(5)).await;
    let (form, dm) = pair.form_in_a_dm(&["green", "share"]).await;
    let clicked = pair.fake.click(pair.ana, dm.id, &custom_id(&dm, "h|f|")).await.unwrap();
    let response = clicked.response(WAIT).await.unwrap();
    assert_ne!(response.kind, 9);
    assert!(!clicked.did_not_respond() && response.latency < Duration::from_secs(3));
    let answer = said(&clicked).await;
    assert!(answer.contains("I restarted"), "{answer}");
    let again = clicked.followups().into_iter().last().unwrap();
    let open = custom_id(&again, "h|f|");
    assert!(!open.ends_with(&form.token), "a new step, a new token");
    let reopened = pair.fake.click(pair.ana, again.id, &open).await.unwrap();
    assert_eq!(reopened.response(WAIT).await.unwrap().kind, 9);
}
