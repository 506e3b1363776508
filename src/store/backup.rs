//! Backups: a consistent copy of the live database (`VACUUM INTO`, a snapshot read that works
//! while hearth is running and writing in WAL mode), into a new file only its owner can read.
//! Never overwrites a file, and never changes the live database.

use super::{DatabaseError, database_path};
use rusqlite::OpenFlags;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("there is no database at {0} (is the data directory right?)")]
    NoDatabase(PathBuf),
    #[error("{0} already exists; a backup never overwrites a file, so please name a new one")]
    Exists(PathBuf),
    #[error("could not create {path}: {source}")]
    Create { path: PathBuf, source: std::io::Error },
    #[error("the backup path {0} is not valid UTF-8, which SQLite needs")]
    NotUtf8(PathBuf),
    #[error("could not copy the database: {0}")]
    Copy(DatabaseError),
    #[error("could not write {path} to disk: {source}")]
    Sync { path: PathBuf, source: std::io::Error },
}

impl From<rusqlite::Error> for BackupError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Copy(DatabaseError::Sqlite(error))
    }
}

/// A finished backup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backup {
    pub path: PathBuf,
    pub bytes: u64,
}

/// Copies the database in `data_dir` to `to`, a file that must not exist yet. It is created
/// first, empty and readable and writable by its owner only (0600 on unix), so no moment
/// exists in which others could read people's data; if the copy fails it is removed again.
pub fn write(data_dir: &Path, to: &Path) -> Result<Backup, BackupError> {
    let source = database_path(data_dir);
    if !source.is_file() {
        return Err(BackupError::NoDatabase(source));
    }
    let target = to.to_str().ok_or_else(|| BackupError::NotUtf8(to.to_owned()))?;
    create_private(to)?;
    let copied = copy(&source, target).and_then(|()| {
        let file = File::open(to).and_then(|f| f.sync_all().and(f.metadata()));
        file.map(|m| m.len()).map_err(|source| BackupError::Sync { path: to.to_owned(), source })
    });
    match copied {
        Ok(bytes) => Ok(Backup { path: to.to_owned(), bytes }),
        Err(error) => {
            let _ = std::fs::remove_file(to);
            Err(error)
        }
    }
}

/// `VACUUM INTO` from its own connection: it cannot run inside a transaction, and every
/// store job runs inside one. It reads one snapshot, so concurrent writes are not in the copy.
fn copy(source: &Path, target: &str) -> Result<(), BackupError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = rusqlite::Connection::open_with_flags(source, flags)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.execute("VACUUM INTO ?1", [target])?;
    Ok(())
}

/// Creates `path` empty, failing if anything is there already (without a gap in which another
/// file could appear), private to its owner.
fn create_private(path: &Path) -> Result<(), BackupError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(BackupError::Exists(path.to_owned()))
        }
        Err(source) => Err(BackupError::Create { path: path.to_owned(), source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_database_is_no_backup_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let to = dir.path().join("backup.db");
        assert!(matches!(write(dir.path(), &to), Err(BackupError::NoDatabase(_))));
        assert!(!to.exists());
    }
}
