//! A protocol-level fake Discord (REST + gateway websocket on 127.0.0.1) that real serenity
//! 0.12 code talks to in tests.
//!
//! # Connecting serenity
//!
//! ```ignore
//! let discord = FakeDiscord::start().await?;
//! let http = HttpBuilder::new(discord.token())
//!     .proxy(discord.base_url())          // every REST call goes to the fake
//!     .ratelimiter_disabled(true)         // let the fake's 429s reach the caller
//!     .build();
//! let client = ClientBuilder::new_with_http(http, GatewayIntents::GUILDS)
//!     .event_handler(handler)
//!     .await?;                            // GET /gateway → ws://127.0.0.1:PORT/ws
//! ```
//!
//! `ratelimiter_disabled(true)` is required, not optional: serenity 0.12.5's rate limiter builds
//! every request with no proxy (`ratelimiting.rs` passes `None`), so with it enabled all REST
//! calls go to discord.com. With it disabled, a 429 reaches the caller as an error (serenity
//! does not retry), so code under test must handle 429 itself.
//!
//! serenity fetches `GET /api/v10/gateway` when the client is built and connects its shard to
//! the `url` in the answer (appending `?v=10`). READY names a different `resume_gateway_url`
//! (`/ws-resume`), as Discord does; serenity 0.12.5 ignores it (its `Shard` keeps only
//! `session_id` from READY, and `Shard::resume` reconnects to the URL from `/gateway`) and sends
//! RESUME (op 6) there, which the fake accepts ([`GatewayStats::resume_url_connections`] stays
//! 0). It sends `compress: true` in IDENTIFY but accepts plain JSON text frames, which is all
//! the fake sends.
//!
//! # What the fake does
//!
//! - **Set-up**: [`FakeDiscord::add_guild`], [`FakeDiscord::add_text_channel`],
//!   [`FakeDiscord::add_role`], [`FakeDiscord::add_member`] with a [`Member`],
//!   [`FakeDiscord::set_dms_closed`], [`FakeDiscord::set_bot_may_post`],
//!   [`FakeDiscord::open_command_to_all`] (a server's command-permission override),
//!   [`FakeDiscord::inject_rate_limit`].
//! - **Gateway**: HELLO, IDENTIFY → READY (guilds unavailable) then GUILD_CREATE per guild,
//!   HEARTBEAT → ACK, RESUME → missed dispatches then RESUMED, unknown session → INVALID_SESSION.
//!   [`FakeDiscord::drop_gateway_connection`] cuts the connection to prove the client resumes;
//!   [`FakeDiscord::refuse_resumes`] makes a resume fail, to show what that costs.
//! - **Shards**, routed as Discord does (`shards.rs`): IDENTIFY's `shard: [id, total]` is kept
//!   per session; READY lists, and GUILD_CREATE and every guild event go to, only the sessions
//!   whose `id == (guild_id >> 22) % total`; DMs go to shard 0. An id not below its total is
//!   closed with 4010, a session that would hold more than 2,500 guilds
//!   ([`FakeDiscord::set_max_guilds_per_shard`]) with 4011. `GET /gateway/bot` recommends
//!   [`FakeDiscord::set_recommended_shards`]; [`FakeDiscord::add_guild_on_shard`] picks a
//!   guild id for a shard; [`FakeDiscord::dispatch_log`], [`InteractionHandle::shards`] and
//!   [`FakeDiscord::identified_shards`] say which shard got what.
//! - **Interactions**: [`FakeDiscord::slash_command`] (a USER option, type 6, comes with
//!   `resolved.users`/`members`), [`FakeDiscord::autocomplete`], [`FakeDiscord::click`],
//!   [`FakeDiscord::select`], [`FakeDiscord::select_users`] (a user select, component type 5,
//!   with `resolved`), [`FakeDiscord::submit_modal`] (only a modal the bot opened; from a
//!   component it carries `message`) dispatch INTERACTION_CREATE and return an
//!   [`InteractionHandle`] to await the callback (with its latency), `@original` edits and
//!   follow-ups. What a user could not do in Discord's client is [`FakeError::Impossible`].
//!   Callbacks follow Discord's rules: a type the interaction allows, one initial response
//!   (40060), within 3 s ([`FakeDiscord::set_interaction_deadline`]; later: 404 code 10062 and
//!   [`InteractionHandle::did_not_respond`]); the token then works 15 minutes of the fake's
//!   clock ([`FakeDiscord::advance`]; later: 404 code 10015).
//! - **Other events**, sent only for the intents the bot identified with ([`intents`]):
//!   [`FakeDiscord::user_message`] (MESSAGE_CREATE; guild content blank without
//!   `MESSAGE_CONTENT`), [`FakeDiscord::member_joins`], [`FakeDiscord::member_leaves`],
//!   [`FakeDiscord::remove_bot`] and [`FakeDiscord::guild_outage`] (GUILD_DELETE without and
//!   with `unavailable`).
//! - **REST**: commands (bulk overwrite, upsert, list), messages (post, get, edit, delete),
//!   DMs (`POST /users/@me/channels`; a closed DM gives 403 code 50007), threads (create —
//!   private unless `type` is 11, as in API v10, with `invitable` —, archive/lock/`invitable`,
//!   add and remove members, `@me` being the bot, which is a member of the threads it creates;
//!   in a private thread that is not invitable only a moderator adds people: 403 code 50013
//!   unless [`FakeDiscord::set_bot_manage_threads`]; someone not in the guild is 404 code
//!   10007, and [`FakeDiscord::refuse_thread_member`] makes adding a user 403 code 50001;
//!   posting in an archived locked thread gives 400 code 50083, and in a private thread the
//!   bot has left 403 code 50001),
//!   typing, users, the bot's user and application, the guild, its members, roles and channels.
//!   Messages, interaction responses, follow-ups and edits take files as Discord does: a
//!   `multipart/form-data` body with the JSON in `payload_json` and each file in `files[n]`
//!   (named by the payload's `attachments` entry `n`), at most 10; they are kept, bytes and
//!   all, in [`Message::attachments`]. Unknown channel → 404 code 10003; a
//!   channel the bot may not post in → 403 code 50001; an injected rate limit → 429 with
//!   `retry_after` and `x-ratelimit-*` headers; wrong token → 401; unknown route → 404, recorded
//!   ([`FakeDiscord::unknown_routes`]).
//! - **Validation** (`rules`): registered commands, components, modals, embeds and
//!   autocomplete choices against Discord's documented limits; a violation refuses the whole
//!   request with 400 code 50035 and an `errors` object. `members/search` needs the
//!   `GUILD_MEMBERS` intent (else 403 code 50001).
//! - **Inspection**: [`FakeDiscord::requests`], [`FakeDiscord::messages_in`],
//!   [`FakeDiscord::dm_messages_to`], [`FakeDiscord::commands`],
//!   [`FakeDiscord::threads`], [`FakeDiscord::threads_in`], [`FakeDiscord::thread_members`],
//!   [`FakeDiscord::thread_invitable`],
//!   [`FakeDiscord::mention_risks`],
//!   and waits with timeouts.
//!
//! The fake logs requests at debug level by method, path and status only, never message text.

mod api;
mod bits;
mod error;
mod events;
mod gateway;
mod handle;
mod inspect;
mod interact;
mod json;
mod pick;
mod rest;
mod rules;
mod setup;
mod shards;
mod state;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use api::{Attachment, Callback, Member, Message, Origin, RecordedRequest, RegisteredCommand};
pub use error::FakeError;
pub use handle::InteractionHandle;
pub use inspect::{GatewayStats, Thread};
pub use shards::{Dispatched, INVALID_SHARD, MAX_GUILDS_PER_SHARD, SHARDING_REQUIRED, shard_of};
pub use state::{intents, perms};

use state::{Shared, User, World};

/// A running fake Discord. Dropping it stops the server.
#[derive(Debug)]
pub struct FakeDiscord {
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl FakeDiscord {
    /// Starts the fake on `127.0.0.1` on a free port.
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let mut world = World::default();
        world.gateway.heartbeat_interval_ms = 41_250;
        world.interaction_deadline = Some(state::INITIAL_RESPONSE);
        let application_id = world.next_id();
        let bot_user_id = world.next_id();
        world.users.insert(
            bot_user_id,
            User {
                id: bot_user_id,
                name: "hearth".to_owned(),
                bot: true,
                dms_closed: false,
                locale: "en-US".to_owned(),
            },
        );
        let token = format!("fake.{application_id}.hearth-test-token");
        let shared = Arc::new(Shared::new(world, token, (application_id, bot_user_id), base_url));
        let router = Router::new()
            .route("/ws", get(gateway::upgrade))
            .route("/ws-resume", get(gateway::upgrade_resume))
            .fallback(rest::handle)
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::warn!(%error, "fake discord server stopped");
            }
        });
        Ok(Self { shared, server })
    }

    /// `http://127.0.0.1:PORT`, for serenity's `HttpBuilder::proxy`.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// `ws://127.0.0.1:PORT/ws`, what `GET /gateway` and `/gateway/bot` answer.
    pub fn gateway_url(&self) -> String {
        self.shared.gateway_url()
    }

    /// The one bot token the fake accepts (with or without `Bot `); others get 401.
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// The application id (READY, commands, interactions, webhooks).
    pub fn application_id(&self) -> u64 {
        self.shared.application_id
    }

    /// The bot's user id (differs from the application id, to catch mix-ups).
    pub fn bot_user_id(&self) -> u64 {
        self.shared.bot_user_id
    }

    /// A fresh snowflake, e.g. for a user id.
    pub fn fresh_id(&self) -> u64 {
        self.shared.with(World::next_id)
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}
