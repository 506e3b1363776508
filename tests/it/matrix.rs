//! The Matrix adapter against a real Synapse on 127.0.0.1 (started by `scripts/test`, which
//! sets `HEARTH_TEST_SYNAPSE_DIR`). People are matrix-sdk clients with their own encryption
//! stores, acting as people would: typing commands, answering by number and by reaction.
//! Every scenario runs in an encrypted and a plain room, in room versions 12 and 11.

use chrono::Utc;
use hearth::clock::SystemClock;
use hearth::config::Config;
use hearth::scheduler::{Deliveries, Scheduler};
use hearth_matrix::{Credential, Matrix, MatrixOptions};
use hmac::{Hmac, Mac};
use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::Room;
use matrix_sdk::ruma::api::client::room::create_room::v3::Request as CreateRoom;
use matrix_sdk::ruma::events::InitialStateEvent;
use matrix_sdk::ruma::events::reaction::ReactionEventContent;
use matrix_sdk::ruma::events::relation::Annotation;
use matrix_sdk::ruma::events::room::encryption::RoomEncryptionEventContent;
use matrix_sdk::ruma::events::room::member::StrippedRoomMemberEvent;
use matrix_sdk::ruma::events::room::message::{
    OriginalSyncRoomMessageEvent, Relation, ReplacementMetadata, RoomMessageEventContent,
};
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, RoomVersionId};
use matrix_sdk::{Client, LoopCtrl, RoomState};
use sha1::Sha1;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

mod cop;
mod operator;
mod promises;
mod restart;
pub(crate) mod restartable;
mod takeover;
mod trust;

/// The test Synapse that `scripts/test` started (it sets `HEARTH_TEST_SYNAPSE_DIR`).
pub(crate) fn synapse() -> Option<Synapse> {
    match std::env::var_os("HEARTH_TEST_SYNAPSE_DIR") {
        Some(dir) => Some(Synapse::at(dir.into())),
        None => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must run the Matrix tests: use scripts/test"
            );
            eprintln!("Matrix tests skipped: no Synapse. `scripts/test` starts one.");
            None
        }
    }
}

/// A Synapse started by `scripts/synapse/start DIR`: where it listens, and the shared secret
/// its admin API registers accounts with (open registration is off).
pub(crate) struct Synapse {
    dir: PathBuf,
    pub(crate) url: String,
    secret: String,
}

impl Synapse {
    fn at(dir: PathBuf) -> Synapse {
        let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap().trim().to_owned();
        let (url, secret) = (read("url"), read("registration_shared_secret"));
        Synapse { dir, url, secret }
    }

    /// Creates an account through `/_synapse/admin/v1/register`, as an operator would, and
    /// returns the access token of the device made with it.
    pub(crate) async fn create_account(&self, name: &str) -> String {
        let endpoint = format!("{}/_synapse/admin/v1/register", self.url);
        let http = matrix_sdk::reqwest::Client::new();
        let nonce: serde_json::Value = serde_json::from_slice(
            &http.get(&endpoint).send().await.unwrap().bytes().await.unwrap(),
        )
        .unwrap();
        let nonce = nonce["nonce"].as_str().unwrap();
        let mut mac = Hmac::<Sha1>::new_from_slice(self.secret.as_bytes()).unwrap();
        mac.update([nonce, name, PASSWORD, "notadmin"].join("\0").as_bytes());
        let mac: String =
            mac.finalize().into_bytes().iter().map(|byte| format!("{byte:02x}")).collect();
        let body = serde_json::json!({
            "nonce": nonce, "username": name, "password": PASSWORD, "admin": false, "mac": mac,
        });
        let response = http
            .post(&endpoint)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "registering {name}: {}", response.status());
        let session: serde_json::Value =
            serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        session["access_token"].as_str().unwrap().to_owned()
    }

    /// Stops and starts the homeserver, keeping its data and port.
    fn restart(&self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/synapse/restart");
        let status = std::process::Command::new(script).arg(&self.dir).status().unwrap();
        assert!(status.success(), "restarting Synapse failed");
    }
}

/// A homeserver of the test's own, for scenarios that would disturb the shared one.
struct OwnSynapse {
    synapse: Synapse,
    _dir: tempfile::TempDir,
}

impl OwnSynapse {
    fn start() -> OwnSynapse {
        let dir = tempfile::tempdir().unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/synapse/start");
        let output = std::process::Command::new(script).arg(dir.path()).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        OwnSynapse { synapse: Synapse::at(dir.path().to_owned()), _dir: dir }
    }
}

impl Drop for OwnSynapse {
    fn drop(&mut self) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/synapse/stop");
        let _ = std::process::Command::new(script).arg(&self.synapse.dir).status();
    }
}

/// A name no other test run on this homeserver has used.
pub(crate) fn unique(name: &str) -> String {
    format!("{name}{}", Utc::now().timestamp_nanos_opt().unwrap_or_default() % 1_000_000_000)
}

pub(crate) const PASSWORD: &str = "correct horse battery staple";

/// Every message a person saw: room, event, sender, body.
type Seen = Arc<Mutex<Vec<(OwnedRoomId, OwnedEventId, OwnedUserId, String)>>>;
/// Thread replies seen: (the thread's root event, the reply's body).
type Threads = Arc<Mutex<Vec<(OwnedEventId, String)>>>;

/// A person: a Matrix client that joins whatever it is invited to and keeps every message.
pub(crate) struct Person {
    pub(crate) client: Client,
    pub(crate) id: OwnedUserId,
    seen: Seen,
    threads: Threads,
    /// While set, invitations wait for the test to accept them.
    holds_invites: Arc<AtomicBool>,
    _store: tempfile::TempDir,
}

impl Person {
    pub(crate) async fn new(synapse: &Synapse, name: &str) -> Person {
        Self::with_client(synapse, name, |builder| builder).await
    }

    /// A person whose client is built with `configure` (trust settings, see `trust`).
    pub(crate) async fn with_client(
        synapse: &Synapse,
        name: &str,
        configure: impl FnOnce(matrix_sdk::ClientBuilder) -> matrix_sdk::ClientBuilder,
    ) -> Person {
        let store = tempfile::tempdir().unwrap();
        let name = unique(name);
        synapse.create_account(&name).await;
        let builder =
            Client::builder().homeserver_url(&synapse.url).sqlite_store(store.path(), None);
        let client = configure(builder).build().await.unwrap();
        client.matrix_auth().login_username(&name, PASSWORD).send().await.unwrap();
        // Set-up that follows the login (cross-signing, if the client does it) is done before
        // the person acts.
        client.encryption().wait_for_e2ee_initialization_tasks().await;
        let seen: Seen = Arc::new(Mutex::new(Vec::new()));
        let threads: Threads = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let thread_log = threads.clone();
        client.add_event_handler(move |event: OriginalSyncRoomMessageEvent, room: Room| {
            let log = log.clone();
            let thread_log = thread_log.clone();
            async move {
                if let Some(Relation::Thread(thread)) = &event.content.relates_to {
                    let body = event.content.body().to_owned();
                    thread_log.lock().unwrap().push((thread.event_id.clone(), body));
                }
                log.lock().unwrap().push((
                    room.room_id().to_owned(),
                    event.event_id.clone(),
                    event.sender.clone(),
                    event.content.body().to_owned(),
                ));
            }
        });
        let holds_invites = Arc::new(AtomicBool::new(false));
        let holds = holds_invites.clone();
        client.add_event_handler(
            move |event: StrippedRoomMemberEvent, room: Room, client: Client| {
                let holds = holds.load(Ordering::SeqCst);
                async move {
                    if !holds && Some(event.state_key.as_ref()) == client.user_id() {
                        for _ in 0..10 {
                            if room.join().await.is_ok() {
                                break;
                            }
                            tokio::time::sleep(Duration::from_millis(300)).await;
                        }
                    }
                }
            },
        );
        // Like any good client, keep syncing through errors (a homeserver restart).
        let syncing = client.clone();
        tokio::spawn(async move {
            let settings = SyncSettings::default().timeout(Duration::from_secs(5));
            syncing
                .sync_with_result_callback(settings, |result| async move {
                    if result.is_err() {
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                    Ok(LoopCtrl::Continue)
                })
                .await
        });
        let id = client.user_id().unwrap().to_owned();
        Person { client, id, seen, threads, holds_invites, _store: store }
    }

    pub(crate) async fn say(&self, room: &OwnedRoomId, text: &str) {
        let room = self.room(room).await;
        room.send(RoomMessageEventContent::text_plain(text)).await.unwrap();
    }

    /// The room, once this person has joined it (invitations are accepted as they sync).
    pub(crate) async fn room(&self, id: &OwnedRoomId) -> Room {
        for _ in 0..100 {
            if let Some(room) = self.client.get_room(id).filter(|r| r.state() == RoomState::Joined)
            {
                return room;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{} never saw room {id}", self.id);
    }

    /// The first room this person is invited to (and has not accepted), once it arrives.
    async fn invitation(&self) -> Room {
        for _ in 0..100 {
            if let Some(room) = self.client.invited_rooms().into_iter().next() {
                return room;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{} was never invited", self.id);
    }

    /// Waits for a message from `from` containing `text`, seen after `after` messages.
    pub(crate) async fn expect(
        &self,
        from: &OwnedUserId,
        text: &str,
        after: usize,
    ) -> (OwnedRoomId, OwnedEventId, String) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let found = self.seen.lock().unwrap().iter().skip(after).find_map(
                |(room, event, sender, body)| {
                    (sender == from && body.contains(text))
                        .then(|| (room.clone(), event.clone(), body.clone()))
                },
            );
            if let Some(found) = found {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "{} never got {text:?}; saw {:#?}",
                self.id,
                self.seen.lock().unwrap()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub(crate) fn count(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

/// How hearth proves who it is: both ways are tested.
#[derive(Clone, Copy, Debug)]
enum Login {
    Password,
    AccessToken,
}

/// hearth itself, in-process: the real core, the Matrix adapter and the scheduler.
struct Hearth {
    id: OwnedUserId,
    /// The adapter's delivery, as the scheduler uses it.
    delivery: Arc<dyn hearth_chat::Delivery>,
    stop: CancellationToken,
    _data: tempfile::TempDir,
}

impl Hearth {
    async fn start(synapse: &Synapse, login: Login) -> Hearth {
        Self::start_with(synapse, login, |_| {}).await
    }

    /// With changes to the default configuration.
    async fn start_with(
        synapse: &Synapse,
        login: Login,
        change: impl FnOnce(&mut Config),
    ) -> Hearth {
        // HEARTH_TEST_LOG=hearth_matrix=debug shows the adapter's side when a test fails.
        let filter = tracing_subscriber::EnvFilter::try_from_env("HEARTH_TEST_LOG")
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
        let data = tempfile::tempdir().unwrap();
        let name = unique("hearth");
        let token = synapse.create_account(&name).await;
        let credential = match login {
            Login::Password => Credential::Password(PASSWORD.to_owned()),
            Login::AccessToken => Credential::AccessToken(token),
        };
        let mut config = Config { data_dir: data.path().join("data"), ..Config::default() };
        change(&mut config);
        let bot = Arc::new(hearth::bot::open(config, Arc::new(SystemClock)).await.unwrap());
        let options = MatrixOptions {
            homeserver: synapse.url.clone(),
            user: name.clone(),
            credential,
            store_dir: data.path().join("matrix"),
            admin_power_level: 50,
            allowed_inviters: vec!["localhost".into()],
        };
        let matrix = Matrix::connect(options, bot.clone()).await.unwrap();
        let stop = CancellationToken::new();
        let delivery = matrix.delivery();
        let scheduler =
            Arc::new(Scheduler::new(bot.clone(), Deliveries::default().with(delivery.clone())));
        tokio::spawn(scheduler.run(stop.clone()));
        let running = stop.clone();
        tokio::spawn(async move { matrix.run(running).await });
        let id = format!("@{name}:localhost").try_into().unwrap();
        Hearth { id, delivery, stop, _data: data }
    }
}

impl Drop for Hearth {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

async fn team_room(
    owner: &Person,
    others: &[&Person],
    hearth: &Hearth,
    encrypted: bool,
    version: RoomVersionId,
) -> OwnedRoomId {
    let invite = others.iter().map(|p| p.id.clone()).chain([hearth.id.clone()]).collect();
    room_of(owner, invite, encrypted, Some(version)).await
}

/// A new room of `owner`'s with `invite` invited, encrypted if asked, of `version` (else the
/// homeserver's default).
pub(crate) async fn room_of(
    owner: &Person,
    invite: Vec<OwnedUserId>,
    encrypted: bool,
    version: Option<RoomVersionId>,
) -> OwnedRoomId {
    let mut request = CreateRoom::new();
    request.room_version = version;
    request.invite = invite;
    if encrypted {
        request.initial_state = vec![
            InitialStateEvent::with_empty_state_key(
                RoomEncryptionEventContent::with_recommended_defaults(),
            )
            .to_raw_any(),
        ];
    }
    let room = owner.client.create_room(request).await.unwrap();
    room.room_id().to_owned()
}

/// Asks for `!hearth help` until hearth (invited with the room) has joined and answers; the
/// answer comes privately, in a direct room, which is returned.
pub(crate) async fn first_help(
    person: &Person,
    team: &OwnedRoomId,
    hearth: &OwnedUserId,
) -> OwnedRoomId {
    let n = person.count();
    for _ in 0..20 {
        person.say(team, "!hearth help").await;
        let answer = person.expect(hearth, "What I can do", n);
        if let Ok((dm, _, help)) = tokio::time::timeout(Duration::from_secs(3), answer).await {
            assert_ne!(&dm, team, "personal answers go to a direct room");
            assert!(help.contains("!checkin") && !help.contains("/checkin"), "{help}");
            return dm;
        }
    }
    panic!("hearth never answered in {team}");
}

async fn scenario(encrypted: bool, version: RoomVersionId, login: Login) {
    let Some(synapse) = synapse() else { return };
    let hearth = Hearth::start(&synapse, login).await;
    let (ana, bo, cy) = tokio::join!(
        Person::new(&synapse, "ana"),
        Person::new(&synapse, "bo"),
        Person::new(&synapse, "cy")
    );
    let team = team_room(&ana, &[&bo, &cy], &hearth, encrypted, version).await;
    let h = &hearth.id;

    // hearth joins when invited, and answers `!help` in the team room privately, by DM.
    let dm = first_help(&ana, &team, h).await;

    // A check-in answered by typed numbers and by a keycap reaction.
    let mut n = ana.count();
    ana.say(&team, "!checkin").await;
    ana.expect(h, "How are you arriving today?", n).await;
    n = ana.count();
    ana.say(&dm, "2").await;
    let (_, offer, _) = ana.expect(h, "Reacting is a normal part", n).await;
    n = ana.count();
    let reaction = ReactionEventContent::new(Annotation::new(offer, "3️⃣".into()));
    ana.room(&dm).await.send(reaction).await.unwrap();
    ana.expect(h, "team weather", n).await;
    n = ana.count();
    ana.say(&dm, "1").await;
    ana.expect(h, "private history", n).await;
    n = ana.count();
    ana.say(&dm, "2").await;
    ana.expect(h, "Thank you for checking in", n).await;

    // A formatted command works like a plain one; an edit or a redaction of a command does
    // not run anything again.
    let mut n = ana.count();
    let formatted =
        RoomMessageEventContent::text_html("!checkin history", "<b>!checkin history</b>");
    let sent = ana.room(&team).await.send(formatted).await.unwrap();
    ana.expect(h, "You're not keeping a check-in history", n).await;
    let edit = RoomMessageEventContent::text_plain("!privacy")
        .make_replacement(ReplacementMetadata::new(sent.response.event_id.clone(), None));
    ana.room(&team).await.send(edit).await.unwrap();
    ana.room(&team).await.redact(&sent.response.event_id, None, None).await.unwrap();
    n = ana.count();
    ana.say(&team, "!weather").await;
    let (_, _, next) = ana.expect(h, "", n).await;
    assert!(next.contains("Team weather"), "the edit or redaction ran a command: {next}");

    // Two more people: the weather shows once three have added their colour.
    for person in [&bo, &cy] {
        let mut m = person.count();
        person.say(&team, "!checkin").await;
        let (their_dm, _, _) = person.expect(h, "How are you arriving today?", m).await;
        // Answered in the direct room, green may still share a line in the team room; not now.
        for (answer, next) in [
            ("1", "post it in the team room"),
            ("2", "team weather"),
            ("1", "private history"),
            ("2", "Thank you"),
        ] {
            m = person.count();
            person.say(&their_dm, answer).await;
            person.expect(h, next, m).await;
        }
    }
    n = ana.count();
    ana.say(&team, "!weather").await;
    let (_, _, weather) = ana.expect(h, "Team weather", n).await;
    assert!(weather.contains("🟢 Ready: 2") && weather.contains("🟡 Reacting: 1"), "{weather}");

    // Mistakes get kind answers.
    for (typed, answer) in
        [("!", "Type a command"), ("!chekin", "I don't know a command called \"chekin\"")]
    {
        n = ana.count();
        ana.say(&team, typed).await;
        ana.expect(h, answer, n).await;
    }
    n = ana.count();
    ana.say(&team, &format!("!setup resources {}", "x".repeat(40 * 1024))).await;
    ana.expect(h, "longer than I can", n).await;

    // A scheduled message: the shift-start invitation, posted in the team room.
    n = ana.count();
    ana.say(&team, "!setup shift cron * * * * * *").await;
    ana.expect(h, "Shift pattern saved", n).await;
    let (room, _, _) = ana.expect(h, "A new shift is starting", n).await;
    assert_eq!(room, team);
    ana.say(&team, "!setup shift off").await;
    drop(hearth);
}

/// Debriefs, a break and supervision on Matrix, in an encrypted room: a request reaches the available
/// teammate in their direct room without the requester's name, a typed "1" accepts it, and each
/// gets the other's user id; a puzzle break; the end-of-shift debrief opens as a thread in the
/// team room.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debriefs_in_an_encrypted_room() {
    let Some(synapse) = synapse() else { return };
    let hearth = Hearth::start(&synapse, Login::Password).await;
    let (ana, bo) = tokio::join!(Person::new(&synapse, "ana"), Person::new(&synapse, "bo"));
    let team = team_room(&ana, &[&bo], &hearth, true, RoomVersionId::V12).await;
    let h = &hearth.id;
    let (ana_dm, bo_dm) = tokio::join!(first_help(&ana, &team, h), first_help(&bo, &team, h));

    let mut m = bo.count();
    bo.say(&team, "!available on").await;
    bo.expect(h, "You're now taking debrief requests", m).await;

    // A debrief request is private: typed in the direct room.
    let mut n = ana.count();
    ana.say(&ana_dm, "!debrief request").await;
    ana.expect(h, "Should they see your name now", n).await;
    n = ana.count();
    ana.say(&ana_dm, "2").await;
    ana.expect(h, "Add a short note if you like", n).await;
    m = bo.count();
    n = ana.count();
    ana.say(&ana_dm, "a rough one").await;
    ana.expect(h, "I've asked one teammate, without your name", n).await;
    let (room, _, ask) = bo.expect(h, "A teammate would like a debrief", m).await;
    assert_eq!(room, bo_dm);
    assert!(ask.contains("a rough one") && !ask.contains(ana.id.as_str()), "{ask}");
    n = ana.count();
    m = bo.count();
    bo.say(&bo_dm, "1").await;
    let (_, _, connected) = bo.expect(h, "You're connected with", m).await;
    assert!(connected.contains(ana.id.as_str()), "{connected}");
    let (_, _, connected) = ana.expect(h, "accepted your debrief request", n).await;
    assert!(connected.contains(bo.id.as_str()), "{connected}");
    // And a private room for the two of them, which both join and hearth leaves.
    let (pair_room, _, _) = ana.expect(h, "This space is for your debrief", n).await;
    assert!(pair_room != team && pair_room != ana_dm);
    let (bo_sees, _, _) = bo.expect(h, "This space is for your debrief", m).await;
    assert_eq!(bo_sees, pair_room);

    // A break, answered by typed numbers: a puzzle, its answer shown, then ended early.
    n = ana.count();
    ana.say(&team, "!break").await;
    ana.expect(h, "5 minutes for yourself", n).await;
    n = ana.count();
    ana.say(&ana_dm, "4").await;
    ana.expect(h, "Show the answer", n).await;
    n = ana.count();
    ana.say(&ana_dm, "2").await;
    ana.expect(h, "The answer:", n).await;
    ana.expect(h, "When you're ready", n).await;
    n = ana.count();
    ana.say(&ana_dm, "2").await;
    ana.expect(h, "Ending early is fine too", n).await;

    // Supervision with an agenda, typed; a private item in the direct room.
    for (room, command, answer) in [
        (&team, "!supervision schedule every tuesday 14:00", "Scheduled supervision #1"),
        (&team, "!agenda add Hand-overs between services", "Added as #1"),
        (
            &ana_dm,
            "!agenda private Something I'm unsure about",
            "Only you see it until you share it",
        ),
        (&team, "!agenda", "(private: only you see it"),
    ] {
        n = ana.count();
        ana.say(room, command).await;
        ana.expect(h, answer, n).await;
    }

    // The end-of-shift debrief opens a minute before the shift ends. The shift is set last, to
    // end three minutes from now (rounded down to the minute), so its debrief is still ahead
    // however long the commands before it took.
    for (command, answer) in [
        ("!setup debrief here", "End-of-shift debriefs will open here"),
        ("!setup debrief-lead 1", "1 minute before"),
    ] {
        n = ana.count();
        ana.say(&team, command).await;
        ana.expect(h, answer, n).await;
    }
    let now = Utc::now();
    let start = (now - chrono::Duration::minutes(10)).format("%H:%M");
    let end = (now + chrono::Duration::minutes(3)).format("%H:%M");
    n = ana.count();
    ana.say(&team, &format!("!setup shift every day {start}-{end}")).await;
    ana.expect(h, "Shift pattern saved", n).await;
    let deadline = Instant::now() + Duration::from_secs(200);
    let (room, root, _) = loop {
        let title = ana.seen.lock().unwrap().iter().find_map(|(room, event, sender, body)| {
            (sender == h && body.contains("End-of-shift debrief,"))
                .then(|| (room.clone(), event.clone(), body.clone()))
        });
        if let Some(title) = title {
            break title;
        }
        assert!(Instant::now() < deadline, "no end-of-shift debrief opened");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(room, team);
    let reply = loop {
        let reply = ana.threads.lock().unwrap().iter().find(|(r, _)| *r == root).cloned();
        if let Some((_, body)) = reply {
            break body;
        }
        assert!(Instant::now() < deadline, "the debrief's thread stayed empty");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(reply.contains("Are we OK?") && reply.contains("listening counts"), "{reply}");
    drop(hearth);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_room_version_12() {
    scenario(true, RoomVersionId::V12, Login::Password).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_room_version_11() {
    scenario(false, RoomVersionId::V11, Login::Password).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_room_version_11_access_token() {
    scenario(true, RoomVersionId::V11, Login::AccessToken).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_room_version_12_access_token() {
    scenario(false, RoomVersionId::V12, Login::AccessToken).await;
}

/// A homeserver restart in the middle of a check-in loses nothing: the flow goes on from the
/// step it was at, and a command sent while hearth is still reconnecting is answered. The
/// test has a homeserver of its own, so the restart does not disturb the other scenarios.
/// Then: a direct room its person left is left by hearth too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn homeserver_restart_loses_nothing_and_left_rooms_are_left() {
    if synapse().is_none() {
        return;
    }
    let own = OwnSynapse::start();
    let hearth = Hearth::start(&own.synapse, Login::Password).await;
    let ana = Person::new(&own.synapse, "ana").await;
    let team = team_room(&ana, &[], &hearth, true, RoomVersionId::V12).await;
    let h = &hearth.id;
    let dm = first_help(&ana, &team, h).await;

    let mut n = ana.count();
    ana.say(&team, "!checkin").await;
    ana.expect(h, "How are you arriving today?", n).await;

    tokio::task::block_in_place(|| own.synapse.restart());

    n = ana.count();
    ana.say(&dm, "2").await;
    ana.expect(h, "Reacting is a normal part", n).await;
    n = ana.count();
    ana.say(&team, "!weather").await;
    ana.expect(h, "Team weather", n).await;

    // Someone who leaves their direct room with hearth is not written to there again: hearth
    // leaves it too, and the next private answer comes in a new direct room.
    ana.room(&dm).await.leave().await.unwrap();
    let again = first_help(&ana, &team, h).await;
    assert_ne!(again, dm, "hearth answered in a direct room its person had left");
}

/// A private place for two people of a team: a new room, encrypted, named after its title, not
/// a direct room, both invited (and, accepting, in it) at power level 100, hearth's message
/// readable there — and hearth gone from it. hearth's own direct room with a person is still
/// the one it answers in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_room_for_two_that_hearth_leaves() {
    use hearth_chat::{Block, Message, Outbound, Platform, Target, TeamRef, Visibility};
    use matrix_sdk::RoomMemberships;
    use matrix_sdk::ruma::events::room::power_levels::UserPowerLevel;

    let Some(synapse) = synapse() else { return };
    let hearth = Hearth::start(&synapse, Login::Password).await;
    let (ana, bo) = tokio::join!(Person::new(&synapse, "ana"), Person::new(&synapse, "bo"));
    let team = team_room(&ana, &[&bo], &hearth, true, RoomVersionId::V12).await;
    let h = &hearth.id;
    let dm = first_help(&ana, &team, h).await;

    // Both take their time to accept: hearth must still be there when they do, or nobody
    // could get in (a room no one on their homeserver has joined cannot be entered).
    ana.holds_invites.store(true, Ordering::SeqCst);
    bo.holds_invites.store(true, Ordering::SeqCst);
    let (n, m) = (ana.count(), bo.count());
    let title = "Debrief: ana and bo";
    let together = Outbound {
        target: Target::Together {
            team: TeamRef { platform: Platform::Matrix, id: team.to_string() },
            people: vec![ana.id.to_string(), bo.id.to_string()],
            title: title.to_owned(),
            channel: None,
        },
        visibility: Visibility::Everyone,
        message: Message {
            blocks: vec![Block::Text("You're connected. This room is yours.".into())],
            controls: None,
        },
    };
    hearth.delivery.deliver(together, "hearth-together-1").await.unwrap();
    for person in [&ana, &bo] {
        let invited = person.invitation().await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        invited.join().await.unwrap();
    }
    let (place, _, _) = ana.expect(h, "You're connected. This room is yours.", n).await;
    let (theirs, _, _) = bo.expect(h, "You're connected. This room is yours.", m).await;
    assert_eq!(place, theirs, "one room for both");
    assert!(place != team && place != dm, "a new room");

    for person in [&ana, &bo] {
        let room = person.room(&place).await;
        assert!(room.latest_encryption_state().await.unwrap().is_encrypted());
        assert_eq!(room.name().as_deref(), Some(title));
        assert!(!room.is_direct().await.unwrap(), "not a direct room");
        for member in [&ana.id, &bo.id] {
            let level = room.get_member(member).await.unwrap().unwrap().power_level();
            assert!(
                matches!(level, UserPowerLevel::Int(level) if i64::from(level) == 100),
                "{member}: {level:?}"
            );
        }
    }
    let room = ana.room(&place).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let left = room.members(RoomMemberships::LEAVE).await.unwrap();
        if left.iter().any(|member| member.user_id() == h) {
            break;
        }
        assert!(Instant::now() < deadline, "hearth stayed in the private room");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let joined = room.members(RoomMemberships::JOIN).await.unwrap();
    let mut joined: Vec<_> = joined.iter().map(|member| member.user_id().to_owned()).collect();
    joined.sort();
    let mut people = vec![ana.id.clone(), bo.id.clone()];
    people.sort();
    assert_eq!(joined, people, "the room is theirs alone");

    // hearth still answers the team privately in the same direct room as before.
    assert_eq!(first_help(&ana, &team, h).await, dm);
    drop(hearth);
}

/// A file for a person of an encrypted team: the text, then the file in their (encrypted)
/// direct room with hearth, as an `m.file` named after the file whose media is encrypted and
/// whose downloaded, decrypted bytes are the ones sent. Delivered again with the same key (a
/// retry), neither the text nor the file arrives twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_reaches_a_person_encrypted_and_intact() {
    use hearth_chat::{Block, Message, Outbound, Platform, Target, TeamRef, Visibility};
    use matrix_sdk::ruma::events::room::MediaSource;
    use matrix_sdk::ruma::events::room::message::{FileMessageEventContent, MessageType};

    let Some(synapse) = synapse() else { return };
    let hearth = Hearth::start(&synapse, Login::Password).await;
    let ana = Person::new(&synapse, "ana").await;
    let team = team_room(&ana, &[], &hearth, true, RoomVersionId::V12).await;
    let h = &hearth.id;
    let dm = first_help(&ana, &team, h).await;

    type Files = Arc<Mutex<Vec<(OwnedRoomId, OwnedUserId, FileMessageEventContent)>>>;
    let files: Files = Arc::new(Mutex::new(Vec::new()));
    let log = files.clone();
    ana.client.add_event_handler(move |event: OriginalSyncRoomMessageEvent, room: Room| {
        let log = log.clone();
        async move {
            if let MessageType::File(file) = event.content.msgtype {
                log.lock().unwrap().push((room.room_id().to_owned(), event.sender, file));
            }
        }
    });

    // Every byte value, and more than one 64 KiB block of them.
    let bytes: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    let outbound = Outbound {
        target: Target::Person {
            team: TeamRef { platform: Platform::Matrix, id: team.to_string() },
            user_id: ana.id.to_string(),
        },
        visibility: Visibility::OnlyActor,
        message: Message {
            blocks: vec![
                Block::Text("Your next supervision session".into()),
                Block::File {
                    name: "next-session.ics".into(),
                    mime: "text/calendar".into(),
                    bytes: bytes.clone(),
                },
            ],
            controls: None,
        },
    };
    let n = ana.count();
    hearth.delivery.deliver(outbound.clone(), "hearth-file-1").await.unwrap();
    let (room, _, _) = ana.expect(h, "Your next supervision session", n).await;
    assert_eq!(room, dm, "privately, in the direct room");
    let deadline = Instant::now() + Duration::from_secs(60);
    let (room, sender, file) = loop {
        if let Some(found) = files.lock().unwrap().first().cloned() {
            break found;
        }
        assert!(Instant::now() < deadline, "no file arrived; saw {:#?}", ana.seen.lock().unwrap());
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!((&room, &sender), (&dm, h));
    assert!(ana.room(&dm).await.latest_encryption_state().await.unwrap().is_encrypted());
    assert_eq!(file.filename(), "next-session.ics");
    assert_eq!(file.body, "next-session.ics");
    assert!(matches!(file.source, MediaSource::Encrypted(_)), "the media itself is encrypted");
    let info = file.info.as_ref().unwrap();
    assert_eq!(info.mimetype.as_deref(), Some("text/calendar"));
    let downloaded = ana.client.media().get_file(&file, false).await.unwrap().unwrap();
    assert!(downloaded == bytes, "the decrypted file differs ({} bytes)", downloaded.len());

    // A retry of the same delivery: the homeserver has both transactions already.
    let seen = ana.count();
    hearth.delivery.deliver(outbound, "hearth-file-1").await.unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(files.lock().unwrap().len(), 1, "the file arrived twice");
    assert_eq!(ana.count(), seen, "something arrived twice");

    // In a new thread of the team room, the file follows the text into the thread.
    let thread = Outbound {
        target: Target::NewThread {
            team: TeamRef { platform: Platform::Matrix, id: team.to_string() },
            channel: team.to_string(),
            title: "Supervision, Tuesday".into(),
        },
        visibility: Visibility::Everyone,
        message: Message {
            blocks: vec![
                Block::Text("The agenda".into()),
                Block::File { name: "agenda.ics".into(), mime: "text/calendar".into(), bytes },
            ],
            controls: None,
        },
    };
    hearth.delivery.deliver(thread, "hearth-file-2").await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let threads = ana.threads.lock().unwrap().clone();
        let root = |body: &str| threads.iter().find(|(_, b)| b == body).map(|(r, _)| r.clone());
        if let (Some(text), Some(file)) = (root("The agenda"), root("agenda.ics")) {
            assert_eq!(text, file, "the file is in the text's thread");
            break;
        }
        assert!(Instant::now() < deadline, "no file in the thread; saw {threads:#?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let in_team =
        files.lock().unwrap().iter().any(|(room, _, f)| *room == team && f.body == "agenda.ics");
    assert!(in_team, "the file is in the team room");
    drop(hearth);
}
