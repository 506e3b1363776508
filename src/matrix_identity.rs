//! The binary's side of hearth's Matrix identity (a module of `main.rs`, not of the core
//! library): showing a new recovery key to the operator once, `hearth matrix whoami`, and
//! the identity's line in `hearth check`.

use anyhow::Context;
use hearth::config::Secret;
use hearth_matrix::{Identity, MatrixOptions, RecoveryKey};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The recovery key's variable (or `…_FILE`): lets a hearth without its identity's keys (a
/// lost data directory, a new access token) recover them.
pub const RECOVERY_KEY: &str = "HEARTH_MATRIX_RECOVERY_KEY";

pub fn recovery_key() -> anyhow::Result<Option<RecoveryKey>> {
    Ok(Secret::from_env(RECOVERY_KEY)?.map(|secret| RecoveryKey::new(secret.expose())))
}

/// Shows a new recovery key to the operator, once, and never in a log: on the terminal when
/// there is one, else in a file of the data directory readable by hearth's user only, whose
/// path (not its contents) is logged.
pub fn show_new_recovery_key(data_dir: &Path, user: &str, key: &RecoveryKey) -> anyhow::Result<()> {
    if std::io::stdout().is_terminal() {
        println!(
            "\nhearth made a cross-signing identity for {user} on Matrix, so that clients which \
             exclude unverified devices still talk to it. Its recovery key:\n\n    {}\n\n\
             Keep it somewhere safe outside hearth's data directory (a password manager). With \
             it in {RECOVERY_KEY} (or {RECOVERY_KEY}_FILE), a hearth whose data directory was \
             lost, or that signs in with a new access token, gets the same identity back. \
             Whoever has it can take that identity over. hearth shows it only this once.\n",
            key.expose()
        );
        return Ok(());
    }
    let path = write_key_file(data_dir, key)?;
    tracing::warn!(
        user,
        file = %path.display(),
        "hearth made a cross-signing identity on Matrix. Its recovery key is in this file \
         (readable by hearth's user only; it is not shown anywhere else): move it somewhere \
         safe outside the data directory, and give it back in HEARTH_MATRIX_RECOVERY_KEY_FILE \
         if the data directory is ever lost"
    );
    Ok(())
}

/// Writes the key alone (usable as `HEARTH_MATRIX_RECOVERY_KEY_FILE`) to a new file, never
/// over an older one.
fn write_key_file(data_dir: &Path, key: &RecoveryKey) -> anyhow::Result<PathBuf> {
    use std::io::Write;
    std::fs::create_dir_all(data_dir)?;
    let mut path = data_dir.join("matrix-recovery-key");
    if path.exists() {
        path = data_dir.join(format!("matrix-recovery-key-{}", chrono::Utc::now().timestamp()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&path)
        .with_context(|| format!("writing the recovery key to {}", path.display()))?;
    writeln!(file, "{}", key.expose())?;
    Ok(path)
}

/// `hearth matrix whoami`: what a person compares when verifying hearth by hand.
pub async fn whoami(options: &MatrixOptions) -> anyhow::Result<()> {
    let identity = hearth_matrix::whoami(options).await?;
    print!("{}", describe(&identity));
    Ok(())
}

fn describe(identity: &Identity) -> String {
    let key = |key: &Option<String>| match key {
        Some(key) => hearth_matrix::grouped(key),
        None => "(none)".to_owned(),
    };
    let signed = if identity.signed {
        "yes: this device is signed by hearth's cross-signing identity"
    } else {
        "NO: this device is not signed by hearth's cross-signing identity, so clients that \
         exclude unverified devices will not talk to it (see the log at start)"
    };
    let recovery = if identity.recovery {
        "set up (secret storage and key backup, opened by the recovery key)"
    } else {
        "not set up: the identity would be lost with the data directory"
    };
    format!(
        "user:          {}\ndevice:        {}\nfingerprint:   {}  (the device's Ed25519 key)\n\
         master key:    {}\ncross-signed:  {signed}\nrecovery:      {recovery}\n",
        identity.user,
        identity.device,
        key(&identity.device_key),
        key(&identity.master_key),
    )
}

/// `hearth check`'s word on the Matrix identity: problems (empty when all is well, or when
/// hearth has not signed in yet, which it does at its first start).
pub async fn problems(options: anyhow::Result<Option<MatrixOptions>>) -> Vec<String> {
    let options = match options {
        Ok(Some(options)) => options,
        Ok(None) => return Vec::new(),
        Err(error) => return vec![format!("matrix: {error:#}")],
    };
    if !options.store_dir.join("matrix-store").is_dir() {
        return Vec::new();
    }
    match hearth_matrix::whoami(&options).await {
        Ok(identity) if identity.signed => Vec::new(),
        Ok(identity) => vec![format!(
            "matrix: hearth's device {} is not signed by its cross-signing identity, so \
             clients that exclude unverified devices will not talk to it; start hearth with \
             {RECOVERY_KEY} set to recover its identity",
            identity.device
        )],
        Err(error) => vec![format!("matrix: could not check hearth's identity: {error}")],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_key_file_is_private_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let first = write_key_file(dir.path(), &RecoveryKey::new("one")).unwrap();
        let second = write_key_file(dir.path(), &RecoveryKey::new("two")).unwrap();
        assert_ne!(first, second);
        assert_eq!(std::fs::read_to_string(&first).unwrap(), "one\n");
        assert_eq!(std::fs::read_to_string(&second).unwrap(), "two\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&first).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
