//! The Matrix adapter: hearth in Matrix rooms, encrypted ones included (matrix-sdk with its
//! SQLite state and crypto stores, so a restart keeps the same device and keys).
//!
//! A room hearth is invited to is a team. Commands are typed with `!` (`!checkin`,
//! `!hearth help`); choices are numbered and answered by typing the number or reacting with
//! the keycap hearth adds; forms are asked one question at a time. Replies only the actor may
//! see go to a direct (encrypted) room with that person, which hearth remembers belongs to the
//! team. Kicked or banned from a team room, or left alone in it, hearth tells the core, which
//! forgets the team; a sync error or an outage is never taken for that. Like every adapter it translates and decides nothing: no SQL, no business rules.

#![recursion_limit = "256"]

mod catchup;
mod handling;
mod identity;
mod login;
mod membership;
mod outbox;
use outbox::message;
mod pending;
mod people;
use pending::Pending;
mod render;
mod syncing;
mod together;

pub use identity::{Identity, Outcome, RecoveryKey, grouped, whoami};
pub use login::Credential;
pub use render::{KEYCAPS, command_text};

use hearth_chat::{Delivery, Event, Handler};
use matrix_sdk::config::SyncSettings;
use matrix_sdk::event_handler::Ctx;
use matrix_sdk::room::Room;
use matrix_sdk::ruma::events::reaction::OriginalSyncReactionEvent;
use matrix_sdk::ruma::events::room::member::{MembershipState, StrippedRoomMemberEvent};
use matrix_sdk::ruma::events::room::message::{
    MessageFormat, MessageType, OriginalSyncRoomMessageEvent, Relation,
};
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, RoomId};
use matrix_sdk::{Client, RoomState, SqliteStoreConfig};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How hearth connects to Matrix. Secrets are handed in by the binary, never logged.
#[derive(Clone)]
pub struct MatrixOptions {
    pub homeserver: String,
    /// `@hearth:example.org`, or just the localpart (password login only).
    pub user: String,
    pub credential: Credential,
    /// Where the session and matrix-sdk's stores live.
    pub store_dir: PathBuf,
    /// Members at or above this power level are team admins.
    pub admin_power_level: i64,
    /// Who may invite hearth: server names (`example.org`) or user ids. Empty: anyone.
    pub allowed_inviters: Vec<String>,
}

impl std::fmt::Debug for MatrixOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatrixOptions")
            .field("homeserver", &self.homeserver)
            .field("user", &self.user)
            .field("store_dir", &self.store_dir)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    #[error("matrix: {0}")]
    Sdk(#[from] matrix_sdk::Error),
    #[error("matrix client: {0}")]
    Build(#[from] matrix_sdk::ClientBuildError),
    #[error("matrix session file: {0}")]
    Session(String),
    #[error("matrix identity: {0}")]
    Identity(#[from] identity::IdentityError),
}

struct State {
    client: Client,
    handler: Arc<dyn Handler>,
    options: MatrixOptions,
    pending: Mutex<HashMap<pending::Key, Pending>>,
    /// The last record of `pending` written to the store (see `pending`).
    saved_pending: tokio::sync::Mutex<pending::Saved>,
    /// How long what was typed while hearth was away still counts, in milliseconds.
    catch_up_window: AtomicU64,
}

/// Where an event happened, in hearth's terms.
#[derive(Clone, Debug)]
struct Origin {
    /// The room the event was in.
    room: Room,
    /// The team room (the same room, unless this is a direct room with hearth).
    team: OwnedRoomId,
    thread: Option<OwnedEventId>,
    /// The message being answered, if the event was one (so hearth can take back a private
    /// command typed in a team room).
    event: Option<OwnedEventId>,
}

#[derive(Clone)]
pub struct Matrix {
    state: Arc<State>,
    /// What this start found or did about hearth's cross-signed identity, and the recovery
    /// key made with a new identity, until the binary takes it to show it once.
    identity: Arc<(Outcome, Mutex<Option<RecoveryKey>>)>,
}

impl std::fmt::Debug for Matrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matrix").field("user", &self.state.client.user_id()).finish()
    }
}

const DM_TEAM_PREFIX: &str = "hearth.dm-team.";

impl Matrix {
    /// Logs in (or restores the saved session, keeping the same device and keys), and makes
    /// sure its device is signed by its cross-signing identity (see `identity`).
    pub async fn connect(
        options: MatrixOptions,
        handler: Arc<dyn Handler>,
    ) -> Result<Self, MatrixError> {
        Self::connect_recovering(options, handler, None).await
    }

    /// `connect`, recovering hearth's cross-signing identity with `recovery_key` when its
    /// keys are not in the store (a lost data directory, a fresh access token).
    pub async fn connect_recovering(
        options: MatrixOptions,
        handler: Arc<dyn Handler>,
        recovery_key: Option<RecoveryKey>,
    ) -> Result<Self, MatrixError> {
        std::fs::create_dir_all(&options.store_dir)
            .map_err(|e| MatrixError::Session(e.to_string()))?;
        // A bot in a handful of rooms: small SQLite caches and pools keep idle memory down.
        let store =
            SqliteStoreConfig::with_low_memory_config(options.store_dir.join("matrix-store"));
        let client = Client::builder()
            .homeserver_url(&options.homeserver)
            .sqlite_store_with_config_and_cache_path(store, None::<&std::path::Path>)
            .build()
            .await?;
        match &options.credential {
            Credential::Password(password) => {
                login::with_password(&client, &options.user, password, &options.store_dir).await?;
            }
            Credential::AccessToken(token) => {
                let session = login::session_of_token(&options.homeserver, token).await?;
                client.restore_session(session).await?;
            }
        }
        let (outcome, new_key) =
            identity::establish(&client, &options.credential, recovery_key.as_ref()).await?;
        identity::log_verification_requests(&client);
        let state = Arc::new(State {
            client,
            handler,
            options,
            pending: Mutex::new(HashMap::new()),
            saved_pending: tokio::sync::Mutex::default(),
            catch_up_window: AtomicU64::new(catchup::millis(catchup::DEFAULT_WINDOW)),
        });
        state.load_pending().await;
        Ok(Self { state, identity: Arc::new((outcome, Mutex::new(new_key))) })
    }

    /// hearth's identity as the homeserver has it now (user, device, keys, signed or not).
    pub async fn identity(&self) -> Result<Identity, MatrixError> {
        Ok(identity::read(&self.state.client).await?)
    }

    /// What this start found or did about hearth's cross-signed identity.
    pub fn identity_outcome(&self) -> Outcome {
        self.identity.0.clone()
    }

    /// The recovery key made with a new identity at this start, once: the binary shows it
    /// to the operator (never in a log or a room).
    pub fn take_new_recovery_key(&self) -> Option<RecoveryKey> {
        self.identity.1.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// How long messages and reactions sent to hearth while it was not running still count
    /// when it starts again (10 minutes unless set): younger ones are handled as they would
    /// have been, older ones never.
    pub fn catch_up_within(self, window: Duration) -> Self {
        self.state.catch_up_window.store(catchup::millis(window), Ordering::Relaxed);
        self
    }

    /// The adapter's delivery, for the scheduler.
    pub fn delivery(&self) -> Arc<dyn Delivery> {
        Arc::new(self.clone())
    }

    /// Syncs until `shutdown`: the first sync catches up (after a restart, what was sent to
    /// hearth while it was away runs if it is recent, see `catchup`; old messages never run as
    /// commands); after that every event is handled. Reconnects with backoff.
    pub async fn run(&self, shutdown: CancellationToken) {
        let client = &self.state.client;
        let mut settings = SyncSettings::default().timeout(Duration::from_secs(30));
        let mut backoff = Duration::from_secs(1);
        let resuming = self.state.resuming().await;
        let first = loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                result = client.sync_once(catchup::first_sync(resuming)) => match result {
                    Ok(response) => break response,
                    Err(error) => {
                        tracing::warn!(error = %error, "matrix first sync failed; retrying");
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_secs(30));
                    }
                }
            }
        };
        settings = settings.token(first.next_batch.clone());
        if let Some(filter) = syncing::filter(client).await {
            settings = settings.filter(filter);
        }
        client.add_event_handler_context(self.state.clone());
        client.add_event_handler(on_message);
        client.add_event_handler(on_reaction);
        client.add_event_handler(on_invite);
        client.add_event_handler(membership::on_member);
        // Invites that arrived while hearth was away, and private places it may leave now.
        for room in client.invited_rooms() {
            let state = self.state.clone();
            tokio::spawn(async move { state.accept_invite(room, None).await });
        }
        let state = self.state.clone();
        tokio::spawn(async move {
            state.removed_while_away().await;
            state.leave_settled_togethers().await;
        });
        let catching_up = resuming.then(|| catchup::catch_up(&self.state, &first));
        if let Some(catching_up) = catching_up
            && catchup::until_stopped(catching_up, &shutdown).await.is_none()
        {
            return;
        }
        backoff = Duration::from_secs(1);
        // A stop lets a sync in flight finish (briefly): see `catchup::until_stopped`.
        while let Some(result) =
            catchup::until_stopped(client.sync_once(settings.clone()), &shutdown).await
        {
            match result {
                Ok(response) => {
                    settings = settings.token(response.next_batch);
                    backoff = Duration::from_secs(1);
                }
                Err(error) => {
                    tracing::warn!(error = %error, "matrix sync failed; reconnecting");
                    tokio::select! {
                        () = shutdown.cancelled() => break,
                        () = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(30));
                }
            }
        }
    }
}

async fn on_message(event: OriginalSyncRoomMessageEvent, room: Room, state: Ctx<Arc<State>>) {
    if Some(event.sender.as_ref()) == state.client.user_id()
        || room.state() != RoomState::Joined
        || state.is_together(room.room_id()).await
    {
        return;
    }
    // Edits of a command do not run it again.
    if matches!(event.content.relates_to, Some(Relation::Replacement(_))) {
        return;
    }
    let MessageType::Text(text) = &event.content.msgtype else { return };
    let thread = match &event.content.relates_to {
        Some(Relation::Thread(thread)) => Some(thread.event_id.clone()),
        _ => None,
    };
    tracing::debug!(room = %room.room_id(), event = %event.event_id, "message received");
    let mut origin = state.origin(&room, thread).await;
    origin.event = Some(event.event_id.clone());
    // A mention (pill) shows a display name in the plain body; its link says who it is.
    let pills = match &text.formatted {
        Some(formatted) if formatted.format == MessageFormat::Html => {
            people::pills(&formatted.body)
        }
        _ => Vec::new(),
    };
    let body = people::with_pills(&text.body, &pills);
    state.text(origin, &event.sender, &body).await;
}

async fn on_reaction(event: OriginalSyncReactionEvent, room: Room, state: Ctx<Arc<State>>) {
    if Some(event.sender.as_ref()) == state.client.user_id()
        || state.is_together(room.room_id()).await
    {
        return;
    }
    let Some(index) = render::choice_index(&event.content.relates_to.key) else { return };
    let key = (room.room_id().to_owned(), event.sender.clone());
    let choice = {
        let pending = state.pending.lock().unwrap_or_else(|p| p.into_inner());
        match pending.get(&key) {
            Some(Pending::Choices { token, options, event: asked })
                if *asked == event.content.relates_to.event_id =>
            {
                options.get(index).map(|option| (token.clone(), option.clone()))
            }
            _ => None,
        }
    };
    let Some((token, option)) = choice else { return };
    let origin = state.origin(&room, None).await;
    state.send_event(origin, &event.sender, Event::Choice { token, option }).await;
}

async fn on_invite(event: StrippedRoomMemberEvent, room: Room, state: Ctx<Arc<State>>) {
    if Some(event.state_key.as_ref()) != state.client.user_id()
        || event.content.membership != MembershipState::Invite
    {
        return;
    }
    let state = state.0.clone();
    tokio::spawn(async move { state.accept_invite(room, Some(event.sender)).await });
}

impl State {
    async fn accept_invite(&self, room: Room, inviter: Option<OwnedUserId>) {
        let inviter = match inviter {
            Some(inviter) => Some(inviter),
            None => room
                .invite_details()
                .await
                .ok()
                .and_then(|d| d.inviter)
                .map(|m| m.user_id().to_owned()),
        };
        let allowed = self.options.allowed_inviters.is_empty()
            || inviter.is_some_and(|who| {
                self.options
                    .allowed_inviters
                    .iter()
                    .any(|allowed| allowed == who.as_str() || allowed == who.server_name().as_str())
            });
        if !allowed {
            tracing::info!(room = %room.room_id(), "invite declined: inviter not allowed");
            let _ = room.leave().await;
            return;
        }
        // Joining right after an invite can race the homeserver; try a few times.
        let mut wait = Duration::from_millis(500);
        for _ in 0..6 {
            match room.join().await {
                Ok(()) => return,
                Err(error) => {
                    tracing::warn!(room = %room.room_id(), error = %error, "join failed; retrying");
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                }
            }
        }
    }

    /// The team and place of an event in `room`.
    async fn origin(&self, room: &Room, thread: Option<OwnedEventId>) -> Origin {
        let team = match self.dm_team(room.room_id()).await {
            Some(team) => team,
            None => room.room_id().to_owned(),
        };
        Origin { room: room.clone(), team, thread, event: None }
    }

    /// The team a direct room with hearth belongs to, if it is one.
    async fn dm_team(&self, room: &RoomId) -> Option<OwnedRoomId> {
        let key = format!("{DM_TEAM_PREFIX}{room}");
        let value = self.client.state_store().get_custom_value(key.as_bytes()).await.ok()??;
        RoomId::parse(String::from_utf8(value).ok()?).ok()
    }

    async fn remember_dm(&self, dm: &RoomId, team: &RoomId) {
        let key = format!("{DM_TEAM_PREFIX}{dm}");
        if let Err(error) = self
            .client
            .state_store()
            .set_custom_value(key.as_bytes(), team.as_str().as_bytes().to_vec())
            .await
        {
            tracing::warn!(error = %error, "could not remember a direct room's team");
        }
    }
}
