//! A fake Discord with one guild, and a real serenity client connected to it.

use std::sync::Arc;
use std::time::Duration;

use fake_discord::{FakeDiscord, Member};
use serenity::all::{
    Client, ClientBuilder, Context, EventHandler, GatewayIntents, Guild, HttpBuilder, Interaction,
    Ready, ResumedEvent,
};
use serenity::async_trait;
use serenity::http::Http;
use tokio::sync::mpsc;

/// Generous: the machine may be busy compiling.
pub const WAIT: Duration = Duration::from_secs(20);

/// What the client's event handler saw.
#[derive(Debug)]
pub enum Seen {
    Ready(Box<Ready>),
    GuildCreate(Box<Guild>),
    Interaction(Box<Context>, Box<Interaction>),
    Resumed,
    Message(Box<serenity::all::Message>),
    MemberAdded(Box<serenity::all::Member>),
}

struct Handler(mpsc::UnboundedSender<Seen>);

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        let _ = self.0.send(Seen::Ready(Box::new(ready)));
    }

    async fn guild_create(&self, _ctx: Context, guild: Guild, _is_new: Option<bool>) {
        let _ = self.0.send(Seen::GuildCreate(Box::new(guild)));
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let _ = self.0.send(Seen::Interaction(Box::new(ctx), Box::new(interaction)));
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        let _ = self.0.send(Seen::Resumed);
    }

    async fn message(&self, _ctx: Context, message: serenity::all::Message) {
        let _ = self.0.send(Seen::Message(Box::new(message)));
    }

    async fn guild_member_addition(&self, _ctx: Context, member: serenity::all::Member) {
        let _ = self.0.send(Seen::MemberAdded(Box::new(member)));
    }
}

/// A guild "Team" with channel "general" and two members: Ada (MANAGE_GUILD) and Bo.
pub struct World {
    pub discord: FakeDiscord,
    pub guild: u64,
    pub general: u64,
    pub ada: u64,
    pub bo: u64,
}

pub async fn world() -> World {
    let discord = FakeDiscord::start().await.expect("fake starts");
    let guild = discord.add_guild("Team");
    let general = discord.add_text_channel(guild, "general");
    let ada = discord.fresh_id();
    let bo = discord.fresh_id();
    discord.add_member(guild, Member::new(ada, "ada").manage_guild().locale("de"));
    discord.add_member(guild, Member::new(bo, "bo"));
    World { discord, guild, general, ada, bo }
}

/// serenity's `Http`, pointed at the fake.
pub fn http(discord: &FakeDiscord) -> Http {
    HttpBuilder::new(discord.token())
        .proxy(discord.base_url())
        .ratelimiter_disabled(true)
        .application_id(discord.application_id().into())
        .build()
}

/// A running serenity client, and what its handler sees.
pub struct Bot {
    pub http: Arc<Http>,
    pub seen: mpsc::UnboundedReceiver<Seen>,
}

impl Bot {
    /// Starts a gateway client built from an `Http` aimed at the fake, with intent `GUILDS`.
    pub async fn start(discord: &FakeDiscord) -> Bot {
        Bot::start_with(discord, GatewayIntents::GUILDS).await
    }

    /// Starts a gateway client with these intents.
    /// Its `Http` has no application id: serenity learns it from READY, as a real bot does.
    pub async fn start_with(discord: &FakeDiscord, intents: GatewayIntents) -> Bot {
        // serenity's warnings (e.g. an event it could not deserialize) show in failing tests.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("serenity=warn,fake_discord=warn")
            .try_init();
        let (tx, seen) = mpsc::unbounded_channel();
        let http = HttpBuilder::new(discord.token())
            .proxy(discord.base_url())
            .ratelimiter_disabled(true)
            .build();
        let mut client: Client = ClientBuilder::new_with_http(http, intents)
            .event_handler(Handler(tx))
            .await
            .expect("client builds");
        let http = Arc::clone(&client.http);
        tokio::spawn(async move { client.start().await });
        Bot { http, seen }
    }

    /// The next thing the handler saw.
    pub async fn next(&mut self) -> Seen {
        tokio::time::timeout(WAIT, self.seen.recv())
            .await
            .expect("an event in time")
            .expect("the client is running")
    }

    /// Skips events until an interaction arrives.
    pub async fn next_interaction(&mut self) -> (Context, Interaction) {
        loop {
            if let Seen::Interaction(ctx, interaction) = self.next().await {
                return (*ctx, *interaction);
            }
        }
    }

    /// Starts a client and waits for READY and the guild's GUILD_CREATE.
    pub async fn ready(discord: &FakeDiscord) -> Bot {
        let mut bot = Bot::start(discord).await;
        let mut ready = false;
        let mut guilds = 0;
        while !(ready && guilds >= 1) {
            match bot.next().await {
                Seen::Ready(_) => ready = true,
                Seen::GuildCreate(_) => guilds += 1,
                _ => {}
            }
        }
        bot
    }
}

/// The Discord error code and HTTP status of a failed serenity call.
pub fn discord_error<T: std::fmt::Debug>(result: serenity::Result<T>) -> (u16, isize) {
    match result {
        Err(serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(e))) => {
            (e.status_code.as_u16(), e.error.code)
        }
        other => panic!("expected a Discord error, got {other:?}"),
    }
}

/// Sends `body` to `/api/v10/{path}` as plain JSON over HTTP (for payloads serenity's builders
/// would not produce); answers the status and the JSON body (null if none).
pub async fn raw(
    discord: &FakeDiscord,
    method: reqwest::Method,
    path: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let url = format!("{}/api/v10/{path}", discord.base_url());
    let response = reqwest::Client::new()
        .request(method, url)
        .header("authorization", format!("Bot {}", discord.token()))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .expect("the fake answers");
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("a body");
    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}
