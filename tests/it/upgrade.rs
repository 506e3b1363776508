//! Upgrades: a database file written by an earlier hearth is opened by this one, which applies
//! its pending migrations; every row it held is still there, column by column, and the bot
//! still shows it. The fixture is written through the real core by [`fixture::write_fixture`];
//! `tests/fixtures/README.md` says which commit wrote it.

mod fixture;

use crate::harness::{TestBot, monday_morning};
use chrono::Duration;
use hearth::inventory::INVENTORY;
use hearth_chat::{Block, Outbound};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::path::Path;

/// The database written by main at 2d6d552 (schema 13), at 09:02 on the harness's Monday.
const FIXTURE: &str = "tests/fixtures/2026-12-06.db";

/// Columns of the fixture that a later migration removed, as (table, column, why it is
/// right to lose them). A migration that drops a column must add it here, or this test fails.
const REMOVED_COLUMNS: &[(&str, &str, &str)] = &[];

/// Tables of the fixture that a later migration removed, as (table, why).
const REMOVED_TABLES: &[(&str, &str)] = &[];

/// Columns whose stored values a later migration rewrote (a type or a spelling), as (table,
/// column, what the migration makes of an old value, why).
type Rewrite = fn(&Value) -> Value;
const REWRITTEN_COLUMNS: &[(&str, &str, Rewrite, &str)] = &[];

/// A table's column names and all its rows, sorted by every column.
#[derive(Debug)]
struct Table {
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

fn columns(db: &Connection, table: &str) -> Vec<String> {
    let mut statement = db.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid").unwrap();
    statement.query_map([table], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

fn rows(db: &Connection, table: &str, columns: &[String]) -> Vec<Vec<Value>> {
    let list = columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
    let order = (1..=columns.len()).map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
    let sql = format!("SELECT {list} FROM \"{table}\" ORDER BY {order}");
    let mut statement = db.prepare(&sql).unwrap();
    statement
        .query_map([], |r| (0..columns.len()).map(|i| r.get::<_, Value>(i)).collect())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The rows of `old` are in the upgraded table `name`, by the columns the fixture had (columns
/// added since are new, and not compared), none lost and none added.
fn same_rows(db: &Connection, name: &str, old: &Table, new_columns: &[String]) {
    let mut kept = Vec::new();
    for (at, column) in old.columns.iter().enumerate() {
        if REMOVED_COLUMNS.iter().any(|(t, c, _)| *t == name && c == column) {
            assert!(!new_columns.contains(column), "{name}.{column} is listed as removed");
        } else {
            assert!(
                new_columns.contains(column),
                "{name}.{column} is gone after the upgrade: if meant, say why in REMOVED_COLUMNS"
            );
            let rewrite = REWRITTEN_COLUMNS.iter().find(|(t, c, ..)| *t == name && c == column);
            kept.push((at, column.clone(), rewrite.map(|r| r.2)));
        }
    }
    let sorted = |mut rows: Vec<Vec<Value>>| {
        rows.sort_by_cached_key(|row| format!("{row:?}"));
        rows
    };
    let expected = sorted(
        old.rows
            .iter()
            .map(|row| {
                kept.iter()
                    .map(|(at, _, rewrite)| {
                        rewrite.map_or_else(|| row[*at].clone(), |f| f(&row[*at]))
                    })
                    .collect()
            })
            .collect(),
    );
    let names: Vec<String> = kept.into_iter().map(|(_, column, _)| column).collect();
    let found = sorted(rows(db, name, &names));
    assert_eq!(found.len(), expected.len(), "row count of {name}");
    for (found, expected) in found.iter().zip(&expected) {
        assert_eq!(found, expected, "a row of {name} ({names:?}) changed");
    }
}

/// Every table hearth made (not SQLite's own), with its rows.
fn tables(path: &Path) -> BTreeMap<String, Table> {
    let db = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut statement = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap();
    let names: Vec<String> =
        statement.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    names
        .into_iter()
        .map(|name| {
            let columns = columns(&db, &name);
            let rows = rows(&db, &name, &columns);
            (name, Table { columns, rows })
        })
        .collect()
}

/// The fixture copied into a fresh data directory, as hearth names its database there.
fn copy_of_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    std::fs::copy(fixture, hearth::store::database_path(dir.path())).unwrap();
    dir
}

fn file(replies: &[Outbound]) -> serde_json::Value {
    let bytes = replies.iter().flat_map(|o| &o.message.blocks).find_map(|b| match b {
        Block::File { bytes, .. } => Some(bytes),
        _ => None,
    });
    serde_json::from_slice(bytes.expect("an export file")).unwrap()
}

#[tokio::test]
async fn every_row_of_the_last_release_is_read_back_after_the_upgrade() {
    let dir = copy_of_fixture();
    let path = hearth::store::database_path(dir.path());
    let before = tables(&path);

    // The fixture stands for every table hearth keeps, each with something in it.
    let inventory: Vec<&str> = INVENTORY.iter().map(|h| h.table).collect();
    for (name, table) in &before {
        let removed = REMOVED_TABLES.iter().any(|(t, _)| t == name);
        assert!(inventory.contains(&name.as_str()) || removed, "{name} is not in the inventory");
        assert!(!table.rows.is_empty(), "the fixture has no row in {name}");
    }

    let store = hearth::store::Store::open(dir.path()).expect("the upgrade applies");
    store.close().await;
    let after = tables(&path);

    let db = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let version: i64 = db.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    let migrations = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"))
        .unwrap()
        .filter(|f| f.as_ref().unwrap().path().extension().is_some_and(|e| e == "sql"))
        .count();
    // Every migration in the folder (embedded at build time; build.rs rebuilds on a new one)
    // has run.
    assert_eq!(
        version,
        i64::try_from(migrations).unwrap(),
        "the schema is not at the newest migration"
    );
    let integrity: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let dangling =
        db.prepare("PRAGMA foreign_key_check").unwrap().query_map([], |_| Ok(())).unwrap().count();
    assert_eq!(dangling, 0, "rows pointing at what is gone");
    for name in &inventory {
        assert!(after.contains_key(*name), "{name} is missing after the upgrade");
    }

    for (name, old) in &before {
        if REMOVED_TABLES.iter().any(|(t, _)| t == name) {
            assert!(!after.contains_key(name), "{name} is said to be removed, yet is there");
            continue;
        }
        same_rows(&db, name, old, &after[name].columns);
    }
    drop(db);

    // The bot on the upgraded file shows what the old one stored, and goes on from there.
    let data_dir = dir.path().to_owned();
    // The upgraded SQLite file itself, whatever database the other tests run on.
    let mut t = TestBot::with_config(|c| {
        c.data_dir = data_dir;
        c.database_url = None;
    })
    .await;
    t.clock.set(monday_morning() + Duration::minutes(3));
    let weather = t.script(&["/as bo", "/weather"]).await;
    assert!(weather.contains("Ready: 2") && weather.contains("Reacting: 1"), "{weather}");
    let history = t.say("/checkin history").await;
    assert!(history.contains("2026-11-23"), "{history}");
    let agenda = t.say("/agenda").await;
    for item in ["supervision #2, 2026-11-23 10:00", "#3 Hand-overs", "#4 Something I'm unsure"] {
        assert!(agenda.contains(item), "{item} missing from {agenda}");
    }
    let actions = t.say("/agenda actions").await;
    assert!(actions.contains("Find the service directory for hand-overs"), "{actions}");
    let topics = t.say("/cop topics peer-work").await;
    assert!(topics.contains("Boundaries after hours"), "{topics}");
    assert!(topics.contains("When someone we support goes back to using"), "{topics}");
    // Numbers given out before the upgrade are not given out again.
    let added = t.say("/agenda add After the upgrade").await;
    assert!(added.contains("#6"), "{added}");

    let export = file(&t.command("bo", false, "mydata export").await);
    let text = export.to_string();
    for mine in [
        "Hand-overs between services",
        "Boundaries after hours",
        "https://example.org/boundaries",
        "Find the service directory",
        "peer-work",
    ] {
        assert!(text.contains(mine), "{mine} missing from {export:#}");
    }
    let team = &export["teams"][0];
    assert_eq!(team["checkin_history"].as_array().unwrap().len(), 1);
    assert_eq!(team["debrief_requests_open"].as_array().unwrap().len(), 1);
    assert_eq!(team["member"]["capacity_low"], 1);
}
