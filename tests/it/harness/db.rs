//! A look at the test bot's database (and, where a test stages a case, a change to it) that
//! means the same on both backends: SQLite through a connection of the test's own on the data
//! file, PostgreSQL through sqlx on the bot's `database_url`. Rows come back as [`Cell`]s, and
//! the catalogue questions (tables, columns, cascades) are asked in each backend's own terms.

use hearth::Bot;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// One value of a row, whichever database it came from: PostgreSQL's integers of every width
/// and its booleans (as 0/1) are `Int`, as SQLite's are.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

impl Cell {
    pub fn int(&self) -> i64 {
        match self {
            Cell::Int(n) => *n,
            other => panic!("not an integer: {other:?}"),
        }
    }

    pub fn text(&self) -> &str {
        self.maybe_text().unwrap_or_else(|| panic!("not a text: {self:?}"))
    }

    /// The text, or `None` for a null.
    pub fn maybe_text(&self) -> Option<&str> {
        match self {
            Cell::Text(text) => Some(text),
            Cell::Null => None,
            other => panic!("not a text: {other:?}"),
        }
    }

    pub fn blob(&self) -> &[u8] {
        match self {
            Cell::Blob(bytes) => bytes,
            other => panic!("not bytes: {other:?}"),
        }
    }
}

/// Where a bot keeps its data, opened the way an operator's tool would: the core hands out no
/// database type.
pub enum Db {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Db {
    pub fn of(bot: &Bot) -> Self {
        match &bot.config().database_url {
            Some(url) => Db::Postgres(url.clone()),
            None => Db::Sqlite(hearth::store::database_path(&bot.config().data_dir)),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Db::Sqlite(_))
    }

    /// Every row a query returns, or the database's refusal.
    pub async fn try_rows(&self, sql: &str) -> Result<Vec<Vec<Cell>>, String> {
        match self {
            Db::Sqlite(path) => sqlite_rows(path, sql).map_err(|e| e.to_string()),
            Db::Postgres(url) => postgres_rows(url, sql).await.map_err(|e| e.to_string()),
        }
    }

    pub async fn rows(&self, sql: &str) -> Vec<Vec<Cell>> {
        self.try_rows(sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The first column of every row.
    pub async fn column(&self, sql: &str) -> Vec<Cell> {
        self.rows(sql)
            .await
            .into_iter()
            .map(|row| row.into_iter().next().expect("a column"))
            .collect()
    }

    /// The first column of every row, each a text.
    pub async fn texts(&self, sql: &str) -> Vec<String> {
        self.column(sql).await.iter().map(|c| c.text().to_owned()).collect()
    }

    /// The one integer a query returns.
    pub async fn number(&self, sql: &str) -> i64 {
        let rows = self.rows(sql).await;
        assert_eq!(rows.len(), 1, "{sql}: one row expected, got {rows:?}");
        rows[0][0].int()
    }

    /// Runs a statement that changes something; returns how many rows it changed. On SQLite
    /// with foreign keys on, so a staged delete cascades as hearth's own do.
    pub async fn execute(&self, sql: &str) -> u64 {
        match self {
            Db::Sqlite(path) => {
                let changed = open(path).and_then(|conn| conn.execute(sql, []));
                changed.unwrap_or_else(|e| panic!("{sql}: {e}")) as u64
            }
            Db::Postgres(url) => {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(url).await.expect("the test PostgreSQL");
                let done = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())).execute(&mut conn);
                done.await.unwrap_or_else(|e| panic!("{sql}: {e}")).rows_affected()
            }
        }
    }

    /// Every table of hearth's schema, by name (not the backends' own bookkeeping:
    /// `sqlite_…` tables, or PostgreSQL's `hearth_schema`, which holds the migration version
    /// SQLite keeps in `PRAGMA user_version`).
    pub async fn tables(&self) -> Vec<String> {
        let sql = match self {
            Db::Sqlite(_) => {
                "SELECT name FROM sqlite_master
                 WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            Db::Postgres(_) => {
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                   AND table_name <> 'hearth_schema'
                 ORDER BY table_name COLLATE \"C\""
            }
        };
        self.texts(sql).await
    }

    /// A table's columns in their order, with their declared types in lower case (`text`,
    /// `integer`, `bigint`, `blob`, `bytea` …: the backends name types differently).
    pub async fn columns(&self, table: &str) -> Vec<(String, String)> {
        assert!(table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{table}");
        let sql = match self {
            Db::Sqlite(_) => {
                format!("SELECT name, type FROM pragma_table_info('{table}') ORDER BY cid")
            }
            Db::Postgres(_) => format!(
                "SELECT column_name::text, data_type::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = '{table}'
                 ORDER BY ordinal_position"
            ),
        };
        let rows = self.rows(&sql).await;
        rows.iter().map(|r| (r[0].text().to_owned(), r[1].text().to_ascii_lowercase())).collect()
    }

    /// The tables whose deleted rows take `table`'s rows with them (`ON DELETE CASCADE`).
    pub async fn cascades(&self, table: &str) -> BTreeSet<String> {
        assert!(table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'), "{table}");
        let sql = match self {
            Db::Sqlite(_) => format!(
                "SELECT \"table\" FROM pragma_foreign_key_list('{table}') WHERE on_delete = 'CASCADE'"
            ),
            // `confdeltype = 'c'`: the constraint's ON DELETE CASCADE.
            Db::Postgres(_) => format!(
                "SELECT parent.relname::text FROM pg_constraint c
                 JOIN pg_class child ON child.oid = c.conrelid
                 JOIN pg_class parent ON parent.oid = c.confrelid
                 WHERE c.contype = 'f' AND c.confdeltype = 'c'
                   AND child.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
                   AND child.relname = '{table}'"
            ),
        };
        self.texts(&sql).await.into_iter().collect()
    }
}

fn open(path: &std::path::Path) -> rusqlite::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Per connection in SQLite: without it a staged delete would not cascade as hearth's do.
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(conn)
}

fn sqlite_rows(path: &std::path::Path, sql: &str) -> rusqlite::Result<Vec<Vec<Cell>>> {
    use rusqlite::types::ValueRef;
    let conn = open(path)?;
    let mut statement = conn.prepare(sql)?;
    let width = statement.column_count();
    let mut rows = statement.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let cells = (0..width).map(|i| {
            Ok(match row.get_ref(i)? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(n) => Cell::Int(n),
                ValueRef::Text(text) => Cell::Text(String::from_utf8_lossy(text).into_owned()),
                ValueRef::Blob(bytes) => Cell::Blob(bytes.to_vec()),
                ValueRef::Real(x) => panic!("{sql}: a real number {x}, which hearth never stores"),
            })
        });
        out.push(cells.collect::<rusqlite::Result<_>>()?);
    }
    Ok(out)
}

async fn postgres_rows(url: &str, sql: &str) -> Result<Vec<Vec<Cell>>, sqlx::Error> {
    use sqlx::{Connection, Row, TypeInfo, ValueRef};
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).fetch_all(&mut conn).await?;
    let mut out = Vec::new();
    for row in rows {
        let mut cells = Vec::new();
        for i in 0..row.len() {
            let raw = row.try_get_raw(i)?;
            if raw.is_null() {
                cells.push(Cell::Null);
                continue;
            }
            let kind = raw.type_info().name().to_owned();
            cells.push(match kind.as_str() {
                "INT8" => Cell::Int(row.try_get::<i64, _>(i)?),
                "INT4" => Cell::Int(row.try_get::<i32, _>(i)?.into()),
                "INT2" => Cell::Int(row.try_get::<i16, _>(i)?.into()),
                "BOOL" => Cell::Int(row.try_get::<bool, _>(i)?.into()),
                "BYTEA" => Cell::Blob(row.try_get::<Vec<u8>, _>(i)?),
                "TEXT" | "VARCHAR" | "NAME" | "BPCHAR" => Cell::Text(row.try_get::<String, _>(i)?),
                other => panic!("{sql}: column {i} is {other}; cast it to BIGINT or TEXT"),
            });
        }
        out.push(cells);
    }
    Ok(out)
}
