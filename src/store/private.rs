//! The data directory and the database files are the team's private data: the directory is
//! created 0700 and `hearth.db` (with its `-wal` and `-shm`, which SQLite creates with the
//! database file's mode) 0600, as backups are. Files of an earlier release made with the
//! process's umask are narrowed to 0600 on open. Only file modes here, no SQL.

use super::{StoreError, database_path};
use std::path::Path;

/// Creates `data_dir` (0700) if missing, and the database file in it (0600) if missing;
/// narrows the database files already there to 0600. A data directory that existed already
/// keeps its mode (it may be a folder the operator chose for more than hearth); if others
/// may read it, the log says so.
pub fn prepare(data_dir: &Path) -> Result<(), StoreError> {
    let dir_error = |source| StoreError::DataDir { path: data_dir.to_owned(), source };
    if !data_dir.exists() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(data_dir).map_err(dir_error)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let mode = std::fs::metadata(data_dir).map_err(dir_error)?.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(
                mode = format!("{:o}", mode & 0o777),
                "the data directory can be read by other users of this machine; \
                 chmod 700 it (hearth's database files in it are private either way)"
            );
        }
        let db = database_path(data_dir);
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&db)
            .map_err(dir_error)?;
        for suffix in ["", "-wal", "-shm"] {
            let path = db.with_file_name(format!("hearth.db{suffix}"));
            let Ok(meta) = std::fs::metadata(&path) else { continue };
            if meta.permissions().mode() & 0o077 != 0 {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                    .map_err(dir_error)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::super::Store;
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[tokio::test]
    async fn a_new_data_directory_and_its_database_are_private() {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("hearth-data");
        let store = Store::open(&dir).unwrap();
        // A write, so that the WAL and its index exist while the store is open.
        store
            .run(|tx| tx.execute("CREATE TABLE t (x BIGINT)", crate::store::sql::params![]))
            .await
            .unwrap();
        assert_eq!(mode(&dir), 0o700);
        for name in ["hearth.db", "hearth.db-wal", "hearth.db-shm"] {
            assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
        }
        store.close().await;
    }

    #[tokio::test]
    async fn database_files_of_an_earlier_release_are_narrowed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let store = Store::open(dir.path()).unwrap();
        store
            .run(|tx| tx.execute("CREATE TABLE t (x BIGINT)", crate::store::sql::params![]))
            .await
            .unwrap();
        store.close().await;
        for name in ["hearth.db", "hearth.db-wal", "hearth.db-shm"] {
            let path = dir.path().join(name);
            if path.exists() {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            }
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(mode(&dir.path().join("hearth.db")), 0o600);
        store
            .run(|tx| tx.execute("INSERT INTO t VALUES (1)", crate::store::sql::params![]))
            .await
            .unwrap();
        for name in ["hearth.db-wal", "hearth.db-shm"] {
            assert_eq!(mode(&dir.path().join(name)), 0o600, "{name}");
        }
        // The operator's own folder keeps its mode.
        assert_eq!(mode(dir.path()), 0o755);
        store.close().await;
    }
}
