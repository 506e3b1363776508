//! The Discord adapter: hearth as slash commands, buttons, select menus, modals and ephemeral
//! replies (serenity 0.12, rustls, no cache, no framework).
//!
//! A guild is a team; when hearth is removed from a guild (not when it is only unavailable),
//! the core is told, and forgets that team. The application commands are generated from the core's catalogue when
//! hearth connects (per guild when a guild id is configured, for development; globally
//! otherwise). Interactions arrive over the gateway with no privileged intent: hearth reads no
//! messages and lists no members, only the commands and clicks addressed to it; a teammate is
//! named with Discord's own user picker. A process may serve a range of the bot's shards
//! ([`Shards`]), so that several processes share a bot past Discord's 2,500 servers a session.
//! Like every adapter it translates and decides nothing: no SQL, no business rules. Logs carry
//! ids and kinds, never text or tokens.

mod commands;
mod components;
mod files;
mod forms;
mod ids;
mod interactions;
mod origin;
mod outbox;
mod picker;
mod rest;
#[cfg(test)]
mod testing;
mod text;
mod zones;

pub use ids::ComponentId;
pub use text::{MAX_CONTENT, escape};
pub use zones::timezones;

use async_trait::async_trait;
use hearth_chat::{Delivery, DeliveryError, Handler, Inbound, Outbound, Platform, TeamRef};
use outbox::Shared;
use serenity::all::{
    ApplicationId, Client, Context, EventHandler, GatewayIntents, Guild, GuildId, HttpBuilder,
    Interaction, UnavailableGuild,
};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How hearth connects to Discord. The token is handed in by the binary and never printed.
#[derive(Clone)]
pub struct DiscordOptions {
    pub token: String,
    /// Another API base URL (`http://127.0.0.1:PORT`). For tests against a fake Discord only:
    /// it also turns off serenity's rate limiter, which would otherwise still call discord.com.
    pub api_base: Option<String>,
    /// Register the commands in this guild only (they appear at once; for development).
    /// `None`: register them globally.
    pub guild_id: Option<u64>,
    /// The locale of the command descriptions.
    pub locale: String,
    /// How long the core may take before an interaction is deferred (Discord allows 3 s).
    pub defer_after: Duration,
    /// The shards this process serves; `None`: one session for every guild (serenity's
    /// `start`), as a bot in fewer than 2,500 servers may.
    pub shards: Option<Shards>,
}

/// The shards one process serves: `first..=last` of `total`. Discord sends a guild's events
/// to shard `(guild_id >> 22) % total` (DMs to shard 0), so processes that split one total
/// into complementary ranges serve every guild once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shards {
    first: u32,
    last: u32,
    total: u32,
}

impl Shards {
    /// `None` unless `first <= last < total`.
    pub fn new(first: u32, last: u32, total: u32) -> Option<Self> {
        (first <= last && last < total).then_some(Self { first, last, total })
    }
}

/// "shards 0-1 of 4", as an operator's health check shows it.
impl std::fmt::Display for Shards {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "shards {}-{} of {}", self.first, self.last, self.total)
    }
}

impl DiscordOptions {
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
            api_base: None,
            guild_id: None,
            locale: "en".into(),
            defer_after: Duration::from_millis(1_500),
            shards: None,
        }
    }
}

impl std::fmt::Debug for DiscordOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordOptions")
            .field("api_base", &self.api_base)
            .field("guild_id", &self.guild_id)
            .field("locale", &self.locale)
            .field("defer_after", &self.defer_after)
            .field("shards", &self.shards)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    #[error("discord: {0}")]
    Serenity(#[from] serenity::Error),
    #[error("discord: the HTTP client could not be built: {0}")]
    Client(String),
    #[error("discord: guild id 0 names no guild")]
    NoGuild,
}

/// The adapter, connected: commands registered, ready to `run`.
#[derive(Clone)]
pub struct Discord {
    shared: Arc<Shared>,
    client: Arc<tokio::sync::Mutex<Option<Client>>>,
    application_id: ApplicationId,
    shards: Option<Shards>,
}

impl std::fmt::Debug for Discord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Discord").field("application_id", &self.application_id).finish()
    }
}

/// The gateway's events, handed to the adapter once it is built.
struct Events {
    shared: Arc<OnceLock<Arc<Shared>>>,
}

#[async_trait]
impl EventHandler for Events {
    async fn interaction_create(&self, _ctx: Context, interaction: Interaction) {
        if let Some(shared) = self.shared.get() {
            interactions::dispatch(shared, interaction).await;
        }
    }

    /// A guild is gone. `unavailable` means an outage (Discord will send it back): nothing
    /// happens. Otherwise hearth was removed from it (kicked, or the guild was deleted), and
    /// the core is told to forget that team.
    async fn guild_delete(&self, _ctx: Context, guild: UnavailableGuild, _full: Option<Guild>) {
        if guild.unavailable {
            tracing::info!(guild = %guild.id, "guild unavailable (an outage); nothing changes");
            return;
        }
        let Some(shared) = self.shared.get() else { return };
        tracing::info!(guild = %guild.id, "removed from a guild");
        let team = TeamRef { platform: Platform::Discord, id: guild.id.to_string() };
        shared.handler.handle(Inbound::removed(team)).await;
    }
}

impl Discord {
    /// Checks the token, registers the catalogue's commands and prepares the gateway client.
    /// Everything here happens once per process, whatever its shards: hearth does nothing on
    /// a shard's READY. Registering is a bulk overwrite of the same catalogue, so processes
    /// that each register leave the same commands.
    pub async fn connect(
        options: DiscordOptions,
        handler: Arc<dyn Handler>,
    ) -> Result<Self, DiscordError> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| DiscordError::Client(e.without_url().to_string()))?;
        let mut http = HttpBuilder::new(&options.token).client(client.clone());
        if let Some(base) = &options.api_base {
            http = http.proxy(base.trim_end_matches('/')).ratelimiter_disabled(true);
        }
        let http = http.default_allowed_mentions(outbox::no_mentions()).build();
        let application = http.get_current_application_info().await?;
        http.set_application_id(application.id);

        let commands = commands::commands(handler.as_ref(), &options.locale);
        match options.guild_id {
            Some(0) => return Err(DiscordError::NoGuild),
            Some(guild) => GuildId::new(guild).set_commands(&http, commands).await.map(drop)?,
            None => serenity::all::Command::set_global_commands(&http, commands).await.map(drop)?,
        }
        tracing::info!(application = %application.id, guild = ?options.guild_id, "discord commands registered");

        let ready = Arc::new(OnceLock::new());
        // Interactions reach a bot whatever its intents. GUILDS (not privileged) is only for
        // GUILD_DELETE, which says hearth was removed from a guild; hearth reads no messages.
        let gateway = serenity::all::ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
            .event_handler(Events { shared: ready.clone() });
        let gateway = gateway.await?;
        let shared = Arc::new(Shared {
            handler,
            http: gateway.http.clone(),
            rest: rest::Rest::new(gateway.http.clone(), client),
            forms: Mutex::new(forms::Forms::default()),
            opened: Mutex::new(std::collections::HashMap::new()),
            defer_after: options.defer_after,
        });
        let _ = ready.set(shared.clone());
        Ok(Self {
            shared,
            client: Arc::new(tokio::sync::Mutex::new(Some(gateway))),
            application_id: application.id,
            shards: options.shards,
        })
    }

    /// The adapter's delivery, for the scheduler.
    pub fn delivery(&self) -> Arc<dyn Delivery> {
        Arc::new(self.clone())
    }

    /// Listens on the gateway until `shutdown` (serenity reconnects and resumes by itself),
    /// on this process's shards if it has some.
    pub async fn run(&self, shutdown: CancellationToken) {
        let Some(mut client) = self.client.lock().await.take() else {
            tracing::warn!("discord is already running");
            return;
        };
        let manager = client.shard_manager.clone();
        let shards = self.shards;
        let serve = async move {
            match shards {
                None => {
                    tracing::info!("discord: one session for every guild (shard 0 of 1)");
                    client.start().await
                }
                Some(Shards { first, last, total }) => {
                    tracing::info!(
                        first,
                        last,
                        total,
                        "discord: serving shards first..=last of total"
                    );
                    // serenity 0.12.5 reads this range's end as included: `first..last`
                    // starts `first` through `last`, `2..2` starts shard 2 alone.
                    client.start_shard_range(first..last, total).await
                }
            }
        };
        tokio::select! {
            () = shutdown.cancelled() => manager.shutdown_all().await,
            result = serve => {
                if let Err(error) = result {
                    tracing::error!(error = %error, "discord gateway stopped");
                }
            }
        }
    }
}

#[async_trait]
impl Delivery for Discord {
    fn platform(&self) -> Platform {
        Platform::Discord
    }

    async fn deliver(
        &self,
        outbound: Outbound,
        idempotency_key: &str,
    ) -> Result<(), DeliveryError> {
        self.shared.deliver(&outbound, Some(idempotency_key)).await
    }
}
