//! Two real `hearth serve` processes on one PostgreSQL (the tests' PostgreSQL pass) with one
//! Matrix account and one data directory (the volume they share): exactly one serves Matrix,
//! the other waits; when the serving one is killed with SIGKILL, the other takes over within a
//! minute, with the same device and keys, and answers what was typed meanwhile. A process
//! whose lease connection is ended stops, with an error for its supervisor.

use super::operator::{hearth, serve, wait_for};
use super::{Person, first_help, room_of, synapse, unique};
use crate::harness::postgres_schema;
use matrix_sdk::deserialized_responses::EncryptionInfo;
use matrix_sdk::ruma::events::room::message::OriginalSyncRoomMessageEvent;
use matrix_sdk::ruma::{OwnedDeviceId, OwnedUserId};
use std::path::Path;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The device hearth's log names as signed by its identity at a start, and that start's
/// outcome (`Created`, `AlreadySigned`, …).
fn logged_device(log: &Path) -> (String, String) {
    let text = std::fs::read_to_string(log).unwrap();
    let line =
        text.lines().find(|l| l.contains("hearth's device is signed")).unwrap_or_else(|| {
            panic!("no device in {}: {text}", log.display());
        });
    let field = |name: &str| {
        let start = line.find(&format!("{name}=")).unwrap() + name.len() + 1;
        line[start..].split_whitespace().next().unwrap().to_owned()
    };
    (field("device"), field("outcome"))
}

/// A message of hearth's as a person saw it: its text and the device that sent it.
type Sent = (String, Option<OwnedDeviceId>);

fn log_text(log: &Path) -> String {
    std::fs::read_to_string(log).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_process_serving_matrix_dies_another_takes_over_with_the_same_device() {
    let Some(synapse) = synapse() else { return };
    let Some(url) = postgres_schema().await else {
        eprintln!("no HEARTH_TEST_DATABASE_URL: the Matrix takeover test did not run");
        return;
    };
    let user = unique("hearth");
    synapse.create_account(&user).await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (first_log, second_log) = (dir.path().join("first.log"), dir.path().join("second.log"));
    let start = |log: &Path| {
        let mut command: Command = hearth(&synapse, &user, &data);
        command.env("HEARTH_DATABASE_URL", &url);
        serve(command, log)
    };

    let mut first: Child = start(&first_log);
    wait_for(&first_log, "hearth's device is signed").await;
    let (device, outcome) = logged_device(&first_log);
    assert_eq!(outcome, "Created", "{}", log_text(&first_log));
    let mut second = start(&second_log);
    wait_for(&second_log, "waiting to serve Matrix").await;
    let waiting = log_text(&second_log);
    assert!(waiting.contains("waiting to serve Matrix"), "{waiting}");
    assert!(!waiting.contains("serving Matrix"), "{waiting}");

    // A person sees which of hearth's devices sent each of its (encrypted) messages.
    let ana = Person::new(&synapse, "ana").await;
    let h: OwnedUserId = format!("@{user}:localhost").try_into().unwrap();
    let senders: Arc<Mutex<Vec<Sent>>> = Arc::default();
    let (seen, from) = (senders.clone(), h.clone());
    ana.client.add_event_handler(
        move |event: OriginalSyncRoomMessageEvent, info: Option<EncryptionInfo>| {
            if event.sender == from {
                let device = info.and_then(|info| info.sender_device);
                seen.lock().unwrap().push((event.content.body().to_owned(), device));
            }
            async {}
        },
    );
    let team = room_of(&ana, vec![h.clone()], true, None).await;
    first_help(&ana, &team, &h).await;
    let n = ana.count();
    ana.say(&team, "!checkin").await;
    ana.expect(&h, "How are you arriving today?", n).await;

    // The serving process dies; a check-in typed at once is answered by the other.
    first.kill().unwrap();
    first.wait().unwrap();
    let killed = Instant::now();
    let n = ana.count();
    ana.say(&team, "!checkin").await;
    ana.expect(&h, "How are you arriving today?", n).await;
    let took = killed.elapsed();
    eprintln!("answered by the successor {took:?} after the kill");
    assert!(took < Duration::from_secs(60), "took {took:?}");
    let (taken_over, outcome) = logged_device(&second_log);
    assert_eq!(taken_over, device, "the same device");
    assert_eq!(outcome, "AlreadySigned", "the same identity, its keys from the shared volume");

    // Every message hearth sent, before and after, came from that one device, and the first
    // check-in was not answered again by the successor.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let senders = senders.lock().unwrap().clone();
    let asked = senders.iter().filter(|(body, _)| body.contains("How are you arriving")).count();
    assert_eq!(asked, 2, "{senders:#?}");
    let by_device = |(_, d): &Sent| d.as_ref().map(|d| d.as_str()) == Some(device.as_str());
    assert!(senders.iter().all(by_device), "{senders:#?}");

    // The successor's lease connection is ended (a database failover, say): it stops serving,
    // and ends with an error for its supervisor to start it again, as a waiting process.
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let schema: String =
        sqlx::query_scalar("SELECT current_schema()").fetch_one(&pool).await.unwrap();
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'
         AND granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = $1",
    )
    .bind(lease_key(&schema, "matrix"))
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(ended, [true], "the successor held the lease");
    let status = tokio::task::spawn_blocking(move || second.wait()).await.unwrap().unwrap();
    let said = log_text(&second_log);
    assert!(!status.success() && said.contains("lost the lease"), "{status:?} {said}");
}

/// The lease's advisory lock key, as `store::lease` derives it: it must stay the same across
/// versions of hearth, which may share a database during an upgrade.
fn lease_key(schema: &str, name: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"hearth lease\0")
        .chain_update(schema.as_bytes())
        .chain_update(b"\0")
        .chain_update(name.as_bytes())
        .finalize();
    i64::from_be_bytes(digest[..8].try_into().unwrap())
}
