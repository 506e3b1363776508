//! `/mydata` through the real core: after a scenario touching every flow with several people,
//! the free text people typed is nowhere in the database; an export holds exactly one
//! person's data; erasing them (after a "keep it") leaves no row that names or points to them
//! while everyone else's data and the anonymous aggregates stay; a second export finds nothing.

use crate::harness::{Cell, Db, TestBot, count};
use hearth_chat::{Block, Outbound};
use insta::assert_snapshot;

/// Every text column of every table, as `(table, column)`.
async fn text_columns(db: &Db) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for table in db.tables().await {
        for (column, kind) in db.columns(&table).await {
            if kind == "text" {
                out.push((table.clone(), column));
            }
        }
    }
    out
}

/// Where in the database a text holds `needle` (exactly, or inside JSON or prose). The texts
/// are searched here rather than in SQL, so both backends search them the same way.
async fn found(t: &TestBot, needle: &str, exact: bool) -> Vec<String> {
    let db = Db::of(&t.bot);
    let mut places = Vec::new();
    for (table, column) in text_columns(&db).await {
        let texts = db.column(&format!("SELECT \"{column}\" FROM \"{table}\"")).await;
        let holds = |text: &str| text == needle || (!exact && text.contains(needle));
        if texts.iter().filter_map(Cell::maybe_text).any(holds) {
            places.push(format!("{table}.{column}"));
        }
    }
    places
}

fn file(replies: &[Outbound]) -> Option<serde_json::Value> {
    replies.iter().flat_map(|o| &o.message.blocks).find_map(|b| match b {
        Block::File { bytes, .. } => Some(serde_json::from_slice(bytes).unwrap()),
        _ => None,
    })
}

#[tokio::test]
async fn export_then_erase_leaves_nothing_of_the_person() {
    let mut t = TestBot::new().await;
    t.script(&[
        "/as cy",
        "/help",
        "/available on",
        "/as bo",
        "/checkin",
        "1",
        "1",
        "FREE-TEXT-CHECKIN a good start",
        "1",
        "1",
        "/debrief request",
        "2",
        "FREE-TEXT-NOTE a rough one",
        "/shift start until 17:00",
        "/capacity low",
        "/breaks auto on",
        "/break",
        "1",
        "/as ana",
        "/setup role coordinator bo",
        "/supervision schedule every tuesday 14:00",
        "/agenda add ANA-ITEM for everyone",
        "/supervision with bo every monday 10:00",
        "/cop create peer-work",
        "/as bo",
        "/agenda add BO-ITEM hand-overs",
        "/agenda vote 1",
        "/cop join peer-work",
        "/cop facilitate peer-work on",
        "/cop topic peer-work BO-TOPIC boundaries",
        "/cop topic-anonymous peer-work ANON-TOPIC relapse",
        "/cop share peer-work BO-RESOURCE https://example.org",
        "/cop create bo-alone",
        "/as ana",
        "/cop schedule peer-work every thursday 12:30",
        "/agenda action bo BO-ACTION find the directory",
    ])
    .await;
    // Nothing anyone typed into a check-in or a debrief is stored anywhere.
    assert!(found(&t, "FREE-TEXT", false).await.is_empty());
    assert_eq!(count(&t, "SELECT count(*) FROM weather_people").await, 1);

    // bo's export: bo's words and memberships, nobody else's, and not the anonymous topic.
    let export = t.command("bo", false, "mydata export").await;
    let data = file(&export).expect("a file");
    let text = data.to_string();
    for mine in ["BO-ITEM", "BO-TOPIC", "BO-RESOURCE", "BO-ACTION", "peer-work", "bo-alone"] {
        assert!(text.contains(mine), "{mine} missing from {data:#}");
    }
    for theirs in ["ANA-ITEM", "ANON-TOPIC", "FREE-TEXT"] {
        assert!(!text.contains(theirs), "{theirs} in bo's export: {data:#}");
    }
    let team = &data["teams"][0];
    assert_eq!(team["roles"][0]["role"], "coordinator");
    assert_eq!(team["checkin_history"].as_array().unwrap().len(), 1);
    assert_eq!(team["debrief_requests_open"].as_array().unwrap().len(), 1);
    assert_eq!(team["supervision"][0]["you"], "supervisee");
    assert_eq!(team["member"]["capacity_low"], 1);
    let joined = team["communities"][0]["joined_at"].as_str().unwrap_or_default();
    assert!(joined.starts_with("2026-11-23T09:00:00"), "times read as times: {joined}");

    t.script(&["/as bo", "/mydata", "/mydata delete", "2", "/mydata delete", "1"]).await;

    // Nothing names bo or points to a row of theirs; the anonymous topic and the weather stay.
    assert!(found(&t, "bo", true).await.is_empty(), "{:?}", found(&t, "bo", true).await);
    assert!(found(&t, "\"bo\"", false).await.is_empty());
    for mark in ["BO-ITEM", "BO-TOPIC", "BO-RESOURCE", "bo-alone"] {
        assert!(found(&t, mark, false).await.is_empty(), "{mark}");
    }
    // The action ana wrote for bo in their one-to-one series is ana's: the series ended, and
    // the action stays with her, no longer owned by anyone.
    assert_eq!(found(&t, "BO-ACTION", false).await, ["agenda_items.text"]);
    let owned = "SELECT count(*) FROM agenda_items WHERE text LIKE 'BO-ACTION%' AND owner IS NULL
                 AND private = 1 AND series_id IS NULL";
    assert_eq!(count(&t, owned).await, 1);
    // PostgreSQL checks every reference as each statement ends; SQLite only where asked to.
    let db = Db::of(&t.bot);
    if db.is_sqlite() {
        let dangling = db.rows("PRAGMA foreign_key_check").await;
        assert!(dangling.is_empty(), "rows pointing at what is gone: {dangling:?}");
    }
    assert_eq!(found(&t, "ANON-TOPIC", false).await, ["community_topics.text"]);
    assert_eq!(found(&t, "ANA-ITEM", false).await, ["agenda_items.text"]);
    // bo's colour today is taken out: this run of hearth still recognises its code.
    assert_eq!(count(&t, "SELECT count(*) FROM weather_people").await, 0);
    assert_eq!(count(&t, "SELECT count(*) FROM supervision_series").await, 1, "the group one");
    assert_eq!(count(&t, "SELECT count(*) FROM communities").await, 1, "bo-alone closed");
    assert_eq!(count(&t, "SELECT count(*) FROM debrief_requests").await, 0);

    // Asking again finds nothing, and leaves nothing behind.
    let again = t.command("bo", false, "mydata export").await;
    assert!(file(&again).is_none());
    assert!(found(&t, "bo", true).await.is_empty());
    let tail = t.transcript().split("> bo: /mydata\n").nth(1).unwrap().to_owned();
    assert_snapshot!(format!("> bo: /mydata\n{tail}\n(bo, later) /mydata export\n  {again:?}"));
}
