//! Writes the upgrade test's fixture: a database made by this hearth through the real core,
//! with at least one row in every table of the inventory.
//!
//! Regenerate (after a release whose schema the fixture should stand for, under a new name in
//! [`super::FIXTURE`]) with
//! `cargo test --test it upgrade::fixture::write_fixture -- --ignored`.
//! The scenario is fixed and the clock too; what hearth picks by chance (a break's exercise,
//! topic numbers, the per-day weather codes) differs between two runs, and the test compares
//! whatever the committed file holds.

use crate::cop::topic_numbers;
use crate::harness::{TestBot, scheduler, tick};
use chrono::Duration;
use hearth::clock::Clock;
use hearth::inventory::INVENTORY;
use std::path::Path;

/// The conversation that fills the database: three check-ins published as weather (one kept
/// in history), an open debrief request and a cancelled one, a break, shifts, a group and a
/// one-to-one supervision series with items, a vote, an action and a done item, a community
/// with members, topics (one anonymous), a vote and a resource, and a check-in left half-way.
const SCENARIO: &[&str] = &[
    "/setup timezone Europe/London",
    "/as cy",
    "/available on",
    "/checkin",
    "1",
    "2",
    "1",
    "2",
    "/as bo",
    "/checkin keep on",
    "/checkin",
    "1",
    "1",
    "Had a good start, thanks all",
    "1",
    "/debrief request",
    "2",
    "",
    "/shift start until 17:00",
    "/capacity low",
    "/breaks auto on",
    "/break 1",
    "1",
    "/as ana",
    "/checkin",
    "2",
    "1",
    "1",
    "1",
    "/setup role coordinator bo",
    "/supervision schedule every tuesday 14:00",
    "/agenda add Planning the rota",
    "/agenda add Boundaries after hours",
    "/agenda done 2",
    "/supervision with bo every monday 10:00",
    "/cop create peer-work Learning from our work with peers",
    "/cop schedule peer-work every thursday 12:30",
    "/as bo",
    "/agenda add Hand-overs between services",
    "/agenda private Something I'm unsure about",
    "/agenda vote 1",
    "/cop join peer-work",
    "/cop facilitate peer-work on",
    "/cop topic peer-work Boundaries after hours",
    "/cop topic-anonymous peer-work When someone we support goes back to using",
    "/cop share peer-work https://example.org/boundaries A short guide on boundaries",
    "/as ana",
    "/agenda action bo Find the service directory for hand-overs due 2026-12-01",
    "/as dee",
    "/debrief request",
    "2",
    "",
    "/debrief cancel",
];

#[tokio::test]
#[ignore = "writes the fixture into the source tree; run by hand, see the module's notes"]
async fn write_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_owned();
    let mut t = TestBot::with_config(|c| c.data_dir = data_dir).await;
    t.script(SCENARIO).await;
    let topic = topic_numbers(t.transcript())[0].clone();
    t.script(&["/as cy", "/cop join peer-work", &format!("/cop vote {topic}")]).await;
    // A run of the scheduler: the one-minute break's welcome back.
    let (s, recorder) = scheduler(&t);
    let sent = tick(&t, &s, &recorder, t.clock.now() + Duration::minutes(2)).await;
    assert!(!sent.is_empty(), "the break ended");
    // Left half-way, so a flow session is stored.
    t.script(&["/as eve", "/checkin"]).await;
    println!("{}", t.transcript());
    for holding in INVENTORY {
        assert!(t.rows(holding.table).await > 0, "{} is empty", holding.table);
    }
    t.bot.store().close().await;

    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join(super::FIXTURE);
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let _ = std::fs::remove_file(&out);
    let db = rusqlite::Connection::open(hearth::store::database_path(dir.path())).unwrap();
    db.execute("VACUUM INTO ?1", [out.to_str().unwrap()]).unwrap();
    // A file without a WAL of its own, whatever mode hearth then opens it in.
    let copy = rusqlite::Connection::open(&out).unwrap();
    copy.pragma_update(None, "journal_mode", "delete").unwrap();
}
