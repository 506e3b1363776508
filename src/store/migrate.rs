//! Schema migrations: the files in `migrations/`, embedded, applied in order, each in its own
//! transaction, with progress in SQLite's `user_version`. (A crate for this exists, but it pins
//! a rusqlite line; thirty lines keep us free to follow matrix-sdk's.)

use super::{Result, StoreError};
use include_dir::{Dir, include_dir};

static MIGRATIONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/migrations");

/// The migrations' SQL, oldest first (file names start with a sortable timestamp).
fn migrations() -> Vec<&'static str> {
    let mut files: Vec<_> =
        MIGRATIONS.files().filter(|f| f.path().extension().is_some_and(|e| e == "sql")).collect();
    files.sort_by_key(|f| f.path());
    files.into_iter().filter_map(|f| f.contents_utf8()).collect()
}

pub fn run(conn: &mut rusqlite::Connection) -> Result<()> {
    let all = migrations();
    let known = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    for (version, sql) in all.iter().enumerate().skip(usize::try_from(found).unwrap_or(0)) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i64::try_from(version + 1).unwrap_or(i64::MAX))?;
        tx.commit()?;
        tracing::info!(version = version + 1, "database migrated");
    }
    Ok(())
}
