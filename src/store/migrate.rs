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

#[cfg(test)]
mod tests {
    use super::*;

    /// The agenda rebuild keeps every item, vote and series of a database made before it, and
    /// from then on never gives a number out twice.
    #[test]
    fn rebuilding_the_agenda_keeps_what_was_there() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", true).unwrap();
        let all = migrations();
        let rebuild = all.iter().position(|sql| sql.contains("agenda_votes_kept")).unwrap();
        for sql in &all[..rebuild] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO teams (id, platform, platform_team_id, timezone, locale,
                                weather_min_people, created_at)
                 VALUES (1, 'console', 'demo', 'UTC', 'en', 3, 'now');
             INSERT INTO members (id, team_id, platform_user_id, created_at)
                 VALUES (1, 1, 'ana', 'now'), (2, 1, 'bo', 'now');
             INSERT INTO supervision_series (id, team_id, pattern, timezone, channel, supervisor,
                                             style, created_at, gap_notified)
                 VALUES (1, 1, 'every tue 14:00', 'UTC', 'team', 'ana', 'open', 0, 1),
                        (2, 1, 'every wed 14:00', 'UTC', 'team', 'ana', 'open', 0, 0);
             INSERT INTO agenda_items (id, series_id, author_id, kind, text, private, status,
                                       session_at, created_at)
                 VALUES (1, 1, 2, 'item', 'one', 0, 'open', 0, 0),
                        (2, 2, 2, 'item', 'two', 1, 'open', 0, 0);
             INSERT INTO agenda_votes (item_id, member_id) VALUES (1, 1), (1, 2), (2, 2);",
        )
        .unwrap();
        conn.pragma_update(None, "user_version", i64::try_from(rebuild).unwrap()).unwrap();
        run(&mut conn).unwrap();

        let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(count("SELECT count(*) FROM agenda_votes"), 3);
        assert_eq!(count("SELECT count(*) FROM agenda_items WHERE private = 1"), 1);
        assert_eq!(count("SELECT gap_notified FROM supervision_series WHERE id = 1"), 1);
        let check: Vec<String> = conn
            .prepare("PRAGMA foreign_key_check")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(check.is_empty(), "{check:?}");
        // The highest numbers erased, new ones carry on after them.
        conn.execute_batch(
            "DELETE FROM agenda_items WHERE id = 2; DELETE FROM supervision_series WHERE id = 2;
             INSERT INTO supervision_series (team_id, pattern, timezone, channel, supervisor,
                                             style, created_at)
                 VALUES (1, 'every thu 14:00', 'UTC', 'team', 'ana', 'open', 0);
             INSERT INTO agenda_items (series_id, author_id, kind, text, private, status,
                                       session_at, created_at)
                 VALUES (1, 2, 'item', 'three', 0, 'open', 0, 0);",
        )
        .unwrap();
        assert_eq!(count("SELECT max(id) FROM supervision_series"), 3);
        assert_eq!(count("SELECT max(id) FROM agenda_items"), 3);
    }

    use crate::schedule::{Recurrence, When};
    use chrono::{TimeZone, Utc};

    /// Rows a hearth from before the monthly rhythms wrote for a fortnightly series.
    #[test]
    fn fortnightly_rows_keep_their_meaning_under_the_new_spelling() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        let all = migrations();
        let before = all.iter().position(|sql| sql.contains("every 2 weeks")).unwrap();
        for sql in &all[..before] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", i64::try_from(before).unwrap()).unwrap();
        let old = "every 2nd tue 14:00 from 2026-11-23";
        conn.execute_batch(&format!(
            "INSERT INTO teams (id, platform, platform_team_id, timezone, locale,
                 weather_min_people, created_at)
             VALUES (1, 'console', 'demo', 'Europe/Berlin', 'en', 3, '2026-11-23');
             INSERT INTO schedules (team_id, kind, payload, pattern, timezone, created_at)
             VALUES (1, 'supervision-reminder', '{{}}', '{old}', 'Europe/Berlin', '2026-11-23'),
                    (1, 'shift', '{{}}', 'every weekday 09:00-17:00', 'Europe/Berlin', '');
             INSERT INTO supervision_series (team_id, pattern, timezone, channel, supervisor,
                 style, created_at)
             VALUES (1, '{old}', 'Europe/Berlin', 'general', 'ana', 'open', 0);
             INSERT INTO communities (team_id, name, created_at, pattern, timezone)
             VALUES (1, 'peers', 0, '{old}', 'Europe/Berlin');"
        ))
        .unwrap();
        run(&mut conn).unwrap();
        let new = "every 2 weeks tue 14:00 from 2026-11-23";
        for (table, pattern) in [
            ("schedules WHERE kind = 'supervision-reminder'", new),
            ("schedules WHERE kind = 'shift'", "every weekday 09:00-17:00"),
            ("supervision_series", new),
            ("communities", new),
        ] {
            let sql = format!("SELECT pattern FROM {table}");
            let found: String = conn.query_row(&sql, [], |r| r.get(0)).unwrap();
            assert_eq!(found, pattern, "{table}");
        }
        let now = Utc.with_ymd_and_hms(2026, 12, 6, 0, 0, 0).unwrap();
        let read = When::parse(new, now, chrono_tz::Europe::Berlin).unwrap();
        assert!(matches!(read, When::Repeat(Recurrence::Weekly { every: 2, .. })));
    }
}
