//! Operators' commands: `hearth backup` (an online copy that restores whole), `hearth purge`
//! and `hearth team forget`, through the library and the real binary.

use crate::harness::{Cell, Db, TestBot};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

/// Every row of every table, in a fixed order (not every table has a rowid).
async fn dump(db: &Db) -> BTreeMap<String, Vec<Vec<Cell>>> {
    let mut out = BTreeMap::new();
    for table in db.tables().await {
        let mut rows = db.rows(&format!("SELECT * FROM {table}")).await;
        rows.sort();
        out.insert(table, rows);
    }
    out
}

#[tokio::test]
async fn a_backup_of_the_running_store_restores_every_row_and_never_overwrites() {
    // SQLite's own: `VACUUM INTO` a file (on PostgreSQL a backup is pg_dump's work).
    let mut t = TestBot::with_config(|c| c.database_url = None).await;
    t.script(&["/checkin keep on", "/checkin", "2", "3", "yes"]).await;
    t.script(&["/supervision schedule every monday 14:00", "/agenda add Rota", "/checkin"]).await;
    let data_dir = t.bot.config().data_dir.clone();
    let live = dump(&Db::of(&t.bot)).await;
    assert!(live["checkin_history"].len() == 1 && live["agenda_items"].len() == 1);

    // Taken while the store is open and its last writes may still be in the WAL.
    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("hearth-backup.db");
    let backup = hearth::store::backup::write(&data_dir, &path).unwrap();
    assert!(backup.bytes > 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let again = hearth::store::backup::write(&data_dir, &path);
    assert!(matches!(again, Err(hearth::store::backup::BackupError::Exists(_))), "{again:?}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), backup.bytes, "the backup was touched");

    // Restored into a new data directory: it opens, migrates and holds the same rows.
    let restored = tempfile::tempdir().unwrap();
    std::fs::copy(&path, hearth::store::database_path(restored.path())).unwrap();
    hearth::store::Store::open(restored.path()).unwrap().close().await;
    let copy = dump(&Db::Sqlite(hearth::store::database_path(restored.path()))).await;
    assert_eq!(copy, live);
}

fn hearth(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(args)
        .current_dir(dir)
        .env_remove("HEARTH_LOG")
        .output()
        .expect("hearth runs")
}

fn console(dir: &Path, input: &str) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("hearth starts");
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
}

fn rows(dir: &Path, table: &str) -> i64 {
    let db = hearth::store::database_path(&dir.join("hearth-data"));
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

fn words(output: &Output) -> (String, String) {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (stdout, stderr)
}

#[test]
fn the_binary_backs_up_purges_and_forgets_a_team() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let missing = hearth(path, &["purge"]);
    assert!(!missing.status.success() && words(&missing).1.contains("no database"));
    assert!(!path.join("hearth-data").exists(), "a database was made where none was");

    console(path, "/checkin keep on\n/checkin\n2\n3\n1\n");
    assert_eq!(rows(path, "weather_people"), 1);

    let backup = hearth(path, &["backup", "copy.db"]);
    assert!(backup.status.success(), "{backup:?}");
    let twice = hearth(path, &["backup", "copy.db"]);
    let (_, stderr) = words(&twice);
    assert!(!twice.status.success() && stderr.contains("already exists"), "{stderr}");

    // Nothing is past its retention on the day it was made: counts only, every rule listed.
    let dry = hearth(path, &["purge", "--dry-run"]);
    let (stdout, _) = words(&dry);
    assert!(dry.status.success(), "{dry:?}");
    assert!(stdout.contains("would delete 0 rows"), "{stdout}");
    assert!(stdout.contains("retention.history_days") && stdout.contains("agenda_items"));
    let purge = hearth(path, &["purge"]);
    assert!(purge.status.success() && words(&purge).0.contains("purged 0 rows"), "{purge:?}");
    assert_eq!(rows(path, "weather_people"), 1);

    let dry = hearth(path, &["team", "forget", "console:demo", "--dry-run"]);
    let (stdout, _) = words(&dry);
    assert!(dry.status.success() && stdout.contains("would delete"), "{dry:?}");
    let lines: Vec<Vec<&str>> = stdout.lines().map(|l| l.split_whitespace().collect()).collect();
    assert!(lines.contains(&vec!["teams", "1", "the", "team"]), "{stdout}");
    assert!(lines.contains(&vec!["checkin_history", "1", "with", "the", "team"]), "{stdout}");
    assert_eq!(rows(path, "teams"), 1);

    let forget = hearth(path, &["team", "forget", "console:demo"]);
    assert!(forget.status.success(), "{forget:?}");
    assert_eq!(
        words(&forget).0.replace("forgot console:demo:", ""),
        stdout.replace("forgetting console:demo would delete (dry run: nothing deleted):", "")
    );
    for table in ["teams", "members", "checkin_history", "weather_people"] {
        assert_eq!(rows(path, table), 0, "{table}");
    }
    let unknown = hearth(path, &["team", "forget", "console:demo"]);
    let (_, stderr) = words(&unknown);
    assert!(!unknown.status.success() && stderr.contains("knows no team console:demo"), "{stderr}");
    let bad = hearth(path, &["team", "forget", "slack:demo"]);
    assert!(!bad.status.success() && words(&bad).1.contains("not a platform"), "{bad:?}");

    // The backup still has the team: restoring it is copying it back.
    let restored = path.join("restored");
    std::fs::create_dir_all(&restored).unwrap();
    std::fs::copy(path.join("copy.db"), hearth::store::database_path(&restored)).unwrap();
    let conn = rusqlite::Connection::open(hearth::store::database_path(&restored)).unwrap();
    let teams: i64 = conn.query_row("SELECT count(*) FROM teams", [], |r| r.get(0)).unwrap();
    assert_eq!(teams, 1);
}
