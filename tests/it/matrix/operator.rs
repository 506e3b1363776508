//! What the operator sees of hearth's Matrix identity, through the real binary: at the first
//! start without a terminal the recovery key goes to a private file (its path in the log, the
//! key nowhere else); `hearth matrix whoami` shows a signed device; `hearth check` agrees; and
//! with the data directory's Matrix stores gone, that file as `HEARTH_MATRIX_RECOVERY_KEY_FILE`
//! brings back the same identity on a new device; a verification request gets a log line;
//! a new access token without the key is warned about at start and in `hearth check`.

use super::{PASSWORD, Person, Synapse, synapse, unique};
use matrix_sdk::ruma::OwnedUserId;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub(super) fn hearth(synapse: &Synapse, user: &str, data: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hearth"));
    command
        .arg("--data-dir")
        .arg(data)
        .env_remove("HEARTH_LOG")
        .env("HEARTH_MATRIX__HOMESERVER", &synapse.url)
        .env("HEARTH_MATRIX__USER", user)
        .env("HEARTH_MATRIX_PASSWORD", PASSWORD)
        .stdin(Stdio::null());
    command
}

/// `hearth serve -v`, its log going to `log`.
pub(super) fn serve(mut command: Command, log: &Path) -> std::process::Child {
    command
        .args(["serve", "-v"])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

/// Waits until `text` is in the log (or a minute has passed).
pub(super) async fn wait_for(log: &Path, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(log).unwrap().contains(text) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Stops hearth with SIGTERM; returns its log, which must hold `done`.
async fn stop(mut child: std::process::Child, log: &Path, done: &str) -> String {
    wait_for(log, done).await;
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = tokio::task::spawn_blocking(move || child.wait()).await.unwrap().unwrap();
    let text = std::fs::read_to_string(log).unwrap();
    assert!(status.success() && text.contains(done), "{text}");
    text
}

fn whoami(synapse: &Synapse, user: &str, data: &Path) -> String {
    let Output { status, stdout, stderr } =
        hearth(synapse, user, data).args(["matrix", "whoami"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&stdout).into_owned();
    assert!(status.success(), "{stdout}{}", String::from_utf8_lossy(&stderr));
    stdout
}

fn line<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines().find(|line| line.starts_with(label)).unwrap_or_else(|| panic!("{text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_gets_the_recovery_key_once_and_can_recover_with_it() {
    let Some(synapse) = synapse() else { return };
    let user = unique("hearth");
    synapse.create_account(&user).await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let log = dir.path().join("stderr.log");

    let first = serve(hearth(&synapse, &user, &data), &log);
    let first = stop(first, &log, "outcome=Created").await;
    let key_file = data.join("matrix-recovery-key");
    let key = std::fs::read_to_string(&key_file).unwrap();
    assert!(key.trim().len() > 40, "a recovery key, alone in its file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "readable by hearth's user only");
    }
    assert!(first.contains(&key_file.display().to_string()), "the log names the file: {first}");
    assert!(!first.contains(key.trim()) && !first.contains(PASSWORD), "{first}");

    let before = whoami(&synapse, &user, &data);
    assert!(line(&before, "user:").contains(&format!("@{user}:localhost")), "{before}");
    assert!(line(&before, "cross-signed:").contains("yes"), "{before}");
    assert!(line(&before, "recovery:").contains("set up ("), "{before}");
    assert!(line(&before, "fingerprint:").len() > 40, "{before}");
    let checked = hearth(&synapse, &user, &data).arg("check").output().unwrap();
    assert!(checked.status.success(), "{checked:?}");

    // The Matrix stores are lost; the file brings the identity back on a new device.
    std::fs::remove_dir_all(data.join("matrix")).unwrap();
    let mut again = hearth(&synapse, &user, &data);
    again.env("HEARTH_MATRIX_RECOVERY_KEY_FILE", &key_file);
    let second = serve(again, &log);
    wait_for(&log, "outcome=Recovered").await;

    // Someone asks to verify hearth interactively: the log says how to verify it instead.
    let ana = Person::new(&synapse, "ana").await;
    let id: OwnedUserId = format!("@{user}:localhost").try_into().unwrap();
    ana.client.encryption().request_user_identity(&id).await.unwrap();
    let devices = ana.client.encryption().get_user_devices(&id).await.unwrap();
    for device in devices.devices() {
        device.request_verification().await.unwrap();
    }
    let second = stop(second, &log, "does not do interactive verification").await;
    assert!(second.contains(ana.id.as_str()), "the request's sender is named: {second}");
    assert!(!second.contains(key.trim()), "{second}");
    let after = whoami(&synapse, &user, &data);
    assert_eq!(line(&after, "master key:"), line(&before, "master key:"), "the same identity");
    assert_ne!(line(&after, "device:"), line(&before, "device:"), "a new device");
    assert!(line(&after, "cross-signed:").contains("yes"), "{after}");
    let files = std::fs::read_dir(&data).unwrap().filter_map(Result::ok);
    let keys = files.filter(|f| f.file_name().to_string_lossy().contains("recovery")).count();
    assert_eq!(keys, 1, "no second recovery key was made");

    // An access token of a new device and no recovery key: hearth says at start what will not
    // work, still serves, and `hearth check` reports the unsigned device.
    let token = super::trust::new_device_token(&synapse, &user).await;
    let elsewhere = dir.path().join("elsewhere");
    let mut with_token = hearth(&synapse, &user, &elsewhere);
    with_token.env_remove("HEARTH_MATRIX_PASSWORD").env("HEARTH_MATRIX_ACCESS_TOKEN", &token);
    let unsigned = stop(serve(with_token, &log), &log, "stays unsigned").await;
    assert!(unsigned.contains("cannot read hearth or be read by it"), "{unsigned}");
    assert!(unsigned.contains("HEARTH_MATRIX_RECOVERY_KEY"), "{unsigned}");
    let mut check = hearth(&synapse, &user, &elsewhere);
    check.env_remove("HEARTH_MATRIX_PASSWORD").env("HEARTH_MATRIX_ACCESS_TOKEN", &token);
    let checked = check.arg("check").output().unwrap();
    let said = String::from_utf8_lossy(&checked.stderr);
    assert_eq!(checked.status.code(), Some(2), "{said}");
    assert!(said.contains("is not signed by its cross-signing identity"), "{said}");
}
