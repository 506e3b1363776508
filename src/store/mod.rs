//! The store: every SQL statement hearth runs lives under this module.
//!
//! SQLite in WAL mode with foreign keys on. Writes go through a pool of exactly one connection,
//! so writers queue in-process instead of meeting `SQLITE_BUSY`; reads use a separate pool that
//! WAL lets run beside the writer. SQL stays plain and portable where that costs nothing.

pub mod history;
pub mod members;
pub mod sessions;
pub mod teams;
pub mod weather;

use chrono::{DateTime, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{SqliteConnection, SqlitePool};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use members::Member;
pub use teams::Team;

pub type Conn = SqliteConnection;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("could not apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("could not create the data directory {path}: {source}")]
    DataDir { path: PathBuf, source: std::io::Error },
    #[error("stored data is not what this version expects: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone, Debug)]
pub struct Store {
    write: SqlitePool,
    read: SqlitePool,
}

/// The database file inside a data directory.
pub fn database_path(data_dir: &Path) -> PathBuf {
    data_dir.join("hearth.db")
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir` and applies pending migrations.
    pub async fn open(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir)
            .map_err(|source| StoreError::DataDir { path: data_dir.to_owned(), source })?;
        let options = SqliteConnectOptions::new()
            .filename(database_path(data_dir))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode NORMAL never corrupts the database and survives a crash of hearth;
            // only a power cut may lose the last transactions. FULL would fsync every commit.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .connect_with(options.clone())
            .await?;
        MIGRATOR.run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self { write, read })
    }

    /// The single writer. Hold a transaction from it only as long as one step needs.
    pub fn writer(&self) -> &SqlitePool {
        &self.write
    }

    pub fn reader(&self) -> &SqlitePool {
        &self.read
    }

    /// Deletes what has outlived its purpose: finished days' weather salts and per-person rows,
    /// expired flow sessions, and aggregates and history past their retention.
    pub async fn housekeeping(&self, now: DateTime<Utc>, retention: &Retention) -> Result<()> {
        let mut tx = self.write.begin().await?;
        weather::forget_ended_days(&mut tx, now).await?;
        sessions::purge_expired(&mut tx, now).await?;
        weather::purge_before(&mut tx, (now - retention.weather).date_naive()).await?;
        history::purge_before(&mut tx, now - retention.history).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// Retention periods as durations, from configuration.
#[derive(Clone, Copy, Debug)]
pub struct Retention {
    pub weather: chrono::Duration,
    pub history: chrono::Duration,
}

impl From<&crate::config::Retention> for Retention {
    fn from(r: &crate::config::Retention) -> Self {
        Self {
            weather: chrono::Duration::days(r.weather_days.into()),
            history: chrono::Duration::days(r.history_days.into()),
        }
    }
}
