//! The test bot: the real core on a temporary SQLite file with a fixed clock, spoken to
//! through the console adapter, recording a transcript of everything said.

use chrono::{DateTime, TimeZone, Utc};
use hearth::Bot;
use hearth::clock::FixedClock;
use hearth::config::Config;
use hearth_chat::{Actor, Controls, Event, Handler, Inbound, Outbound, Place, Platform, TeamRef};
use hearth_console::{Console, ConsoleOptions};
use std::sync::Arc;

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
        number(&self.bot, format!("SELECT count(*) FROM {table}")).await
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
    number(&t.bot, sql.to_owned()).await
}

/// The one number a query returns, from whichever database the bot keeps.
pub async fn number(bot: &Bot, sql: String) -> i64 {
    if let Some(url) = &bot.config().database_url {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(url).await.expect("the test PostgreSQL");
        let query = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
        return query.fetch_one(&mut conn).await.expect("count");
    }
    inspect(bot, move |conn| conn.query_row(&sql, [], |r| r.get(0))).await.expect("count")
}

/// Looks at the database file beside the bot with a connection of the test's own: the core
/// hands out no database type, so tests inspect (and, to stage a case, change) the file the
/// way an operator's tool would.
pub async fn inspect<T>(
    bot: &Bot,
    look: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let conn = rusqlite::Connection::open(hearth::store::database_path(&bot.config().data_dir))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Per connection in SQLite: without it a staged delete would not cascade as hearth's do.
    conn.pragma_update(None, "foreign_keys", true)?;
    look(&conn)
}

/// Every table of the schema, for tests that look at all of them.
pub fn tables(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )?;
    let names = statement.query_map([], |r| r.get(0))?;
    names.collect()
}
