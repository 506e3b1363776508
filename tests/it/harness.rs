//! The test bot: the real core on a temporary SQLite file (or, on the PostgreSQL pass, a
//! schema of its own) with a fixed clock, spoken to through the console adapter, recording a
//! transcript of everything said; [`Db`] looks at its database on either backend.

use chrono::{DateTime, TimeZone, Utc};
use hearth::Bot;
use hearth::clock::FixedClock;
use hearth::config::Config;
use hearth_chat::{Actor, Controls, Event, Handler, Inbound, Outbound, Place, Platform, TeamRef};
use hearth_console::{Console, ConsoleOptions};
use std::sync::Arc;

mod db;
pub use db::{Cell, Db};

pub const TEAM: &str = "demo";

/// Monday 23 November 2026, 09:00 UTC.
pub fn monday_morning() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().expect("valid date")
}

pub struct TestBot {
    pub bot: Arc<Bot>,
    pub clock: Arc<FixedClock>,
    console: Console<Bot>,
    transcript: String,
    dir: tempfile::TempDir,
}

impl TestBot {
    pub async fn new() -> Self {
        Self::with_config(|_| {}).await
    }

    pub async fn with_config(change: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = postgres_schema().await;
        let mut config =
            Config { data_dir: dir.path().to_owned(), database_url, ..Config::default() };
        change(&mut config);
        let clock = Arc::new(FixedClock::new(monday_morning()));
        let bot = Arc::new(hearth::bot::open(config, clock.clone()).await.expect("bot opens"));
        let console = Console::new(bot.clone(), options());
        Self { bot, clock, console, transcript: String::new(), dir }
    }

    /// Closes the bot and opens a new one on the same database, as after a restart.
    pub async fn restart(&mut self) {
        self.bot.store().close().await;
        let config = Config { data_dir: self.dir.path().to_owned(), ..self.bot.config().clone() };
        let bot = Arc::new(hearth::bot::open(config, self.clock.clone()).await.expect("reopens"));
        self.console = Console::new(bot.clone(), options());
        self.bot = bot;
        self.transcript.push_str("--- restart ---\n");
    }

    /// Types lines into the console, as whoever is speaking; returns what hearth printed.
    pub async fn say(&mut self, line: &str) -> String {
        let shown: String = if line.len() > 120 {
            format!("{}… ({} bytes)", &line[..40], line.len())
        } else {
            line.to_owned()
        };
        self.transcript.push_str(&format!("> {}: {shown}\n", self.console.speaker()));
        let output = self.console.line(line).await;
        self.transcript.push_str(&output.text);
        output.text
    }

    pub async fn script(&mut self, lines: &[&str]) -> String {
        let mut out = String::new();
        for line in lines {
            out.push_str(&self.say(line).await);
        }
        out
    }

    pub fn transcript(&self) -> &str {
        &self.transcript
    }

    /// Sends an event straight to the core, as a platform adapter would.
    pub async fn event(&self, user: &str, admin: bool, event: Event) -> Vec<Outbound> {
        self.bot
            .handle(Inbound {
                team: TeamRef { platform: Platform::Console, id: TEAM.into() },
                actor: Actor {
                    user_id: user.into(),
                    display_name: user.into(),
                    is_team_admin: admin,
                },
                place: Place::Channel { id: "team".into() },
                event,
            })
            .await
    }

    pub async fn command(&self, user: &str, admin: bool, line: &str) -> Vec<Outbound> {
        let call = self.bot.catalogue().parse(line).expect("command parses");
        self.event(user, admin, Event::Command(call)).await
    }

    /// Counts rows in a table, to check what was (not) stored.
    pub async fn rows(&self, table: &str) -> i64 {
        Db::of(&self.bot).number(&format!("SELECT count(*) FROM {table}")).await
    }
}

fn options() -> ConsoleOptions {
    ConsoleOptions { team: TEAM.into(), speaker: "ana".into(), admins: true }
}

pub fn token(replies: &[Outbound]) -> String {
    replies
        .iter()
        .find_map(|o| match &o.message.controls {
            Some(Controls::Choices { token, .. }) => Some(token.clone()),
            Some(Controls::Form(form)) => Some(form.token.clone()),
            None => None,
        })
        .expect("a question was asked")
}

/// All the text of some replies, for assertions.
pub fn text(replies: &[Outbound]) -> String {
    format!("{replies:?}")
}

/// A delivery adapter that records what it was asked to send, and can be told to fail.
#[derive(Default)]
pub struct Recorder {
    pub sent: std::sync::Mutex<Vec<(Outbound, String)>>,
    /// Errors to return, in order, before succeeding.
    pub failures: std::sync::Mutex<Vec<hearth_chat::DeliveryError>>,
}

#[async_trait::async_trait]
impl hearth_chat::Delivery for Recorder {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    async fn deliver(
        &self,
        outbound: Outbound,
        key: &str,
    ) -> Result<(), hearth_chat::DeliveryError> {
        let mut failures = self.failures.lock().expect("not poisoned");
        if !failures.is_empty() {
            return Err(failures.remove(0));
        }
        self.sent.lock().expect("not poisoned").push((outbound, key.to_owned()));
        Ok(())
    }
}

impl Recorder {
    pub fn texts(&self) -> Vec<String> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|(o, _)| format!("{:?} {:?}", o.target, o.message.blocks))
            .collect()
    }
}

/// The scheduler over the test bot, delivering to a [`Recorder`], with quick retries.
pub fn scheduler(t: &TestBot) -> (Arc<hearth::scheduler::Scheduler>, Arc<Recorder>) {
    use hearth::scheduler::{Deliveries, RetryPolicy, Scheduler};
    let recorder = Arc::new(Recorder::default());
    let retry = RetryPolicy { attempts: 2, first_backoff: std::time::Duration::from_millis(1) };
    let deliveries = Deliveries::default().with(recorder.clone());
    (Arc::new(Scheduler::new(t.bot.clone(), deliveries).with_retry(retry)), recorder)
}

/// Sets the clock to `now`, ticks and delivers what is due; returns what was sent, as text.
pub async fn tick(
    t: &TestBot,
    s: &hearth::scheduler::Scheduler,
    recorder: &Recorder,
    now: DateTime<Utc>,
) -> Vec<String> {
    t.clock.set(now);
    let before = recorder.texts().len();
    for firing in s.tick(now).await.expect("tick") {
        let status = s.deliver(firing).await;
        assert_ne!(status, hearth::store::schedules::RunStatus::Failed);
    }
    recorder.texts()[before..].to_vec()
}

/// The environment variable `scripts/test` sets to a PostgreSQL it started, for the second
/// run of the tests: every test bot then keeps its data there instead of in SQLite.
pub const POSTGRES: &str = "HEARTH_TEST_DATABASE_URL";

/// A schema of its own in the test PostgreSQL, as a `database_url` that works in it; `None`
/// when the tests run on SQLite.
pub async fn postgres_schema() -> Option<String> {
    use sqlx::Connection;
    let base = std::env::var(POSTGRES).ok()?;
    let schema = format!("t{:016x}", rand::random::<u64>());
    let mut conn = sqlx::PgConnection::connect(&base).await.expect("the test PostgreSQL answers");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await
        .expect("a test schema");
    let join = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{join}options[search_path]={schema}"))
}

/// One number from the database, to check what was (not) stored.
pub async fn count(t: &TestBot, sql: &'static str) -> i64 {
    Db::of(&t.bot).number(sql).await
}
