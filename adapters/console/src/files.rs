//! Files in console messages: the terminal cannot show a file, so one is written into a folder
//! the operator chose and the message says where. Without a folder, it only says that a file
//! was there. A file is never overwritten: a second `agenda.ics` becomes `agenda-1.ics`.
//!
//! Names come from the core but are treated as untrusted: path separators, control characters
//! and leading dots are dropped, so a file can only land directly in the folder.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The longest file name written, in characters (most file systems allow 255 bytes).
const MAX_NAME_CHARS: usize = 100;
/// How many `-N` suffixes are tried before giving up.
const MAX_SUFFIX: u32 = 10_000;

/// A file name that stays inside its folder: no path separators, no control characters, no
/// leading dots (hidden files, `..`), at most 100 characters. Nothing left: `file`.
pub fn safe_name(name: &str) -> String {
    let kept: String =
        name.chars().filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | ':' | '\0')).collect();
    let kept = kept.trim().trim_start_matches('.').trim();
    let kept: String = kept.chars().take(MAX_NAME_CHARS).collect();
    let kept = kept.trim_end_matches(['.', ' ']);
    if kept.is_empty() { "file".to_owned() } else { kept.to_owned() }
}

/// `name` with `-n` before its extension: `agenda.ics` → `agenda-2.ics`.
fn numbered(name: &str, n: u32) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}-{n}.{ext}"),
        _ => format!("{name}-{n}"),
    }
}

/// Writes `bytes` into `dir` under a safe form of `name`, never replacing an existing file,
/// and answers the path written. The folder is created if missing.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let name = safe_name(name);
    for n in 0..=MAX_SUFFIX {
        let candidate = if n == 0 { name.clone() } else { numbered(&name, n) };
        let path = dir.join(candidate);
        // `create_new` fails if the file exists, atomically: two writers never share a name.
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                file.write_all(bytes)?;
                file.sync_all()?;
                return Ok(path);
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(error),
        }
    }
    Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "no free file name"))
}

/// How the terminal shows a file: where it was written, or that there is no folder for it.
/// `dir` is the console's folder for files, if it has one.
pub fn show(dir: Option<&Path>, name: &str, bytes: &[u8]) -> String {
    let shown = super::clean(name);
    match dir {
        None => format!("📎 {shown} ({} bytes; the console has no folder for files)", bytes.len()),
        Some(dir) => match write(dir, name, bytes) {
            Ok(path) => format!("📎 {shown} → {}", super::clean(&path.display().to_string())),
            Err(error) => {
                tracing::warn!(kind = ?error.kind(), "could not write a file");
                format!(
                    "📎 {shown} ({} bytes; could not be written: {})",
                    bytes.len(),
                    error.kind()
                )
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ConsoleDelivery, render};
    use hearth_chat::{Block, Delivery, Outbound, Platform, Target, TeamRef, Visibility};

    #[test]
    fn names_stay_inside_the_folder() {
        assert_eq!(safe_name("agenda.ics"), "agenda.ics");
        assert_eq!(safe_name("../../etc/passwd"), "etcpasswd");
        assert_eq!(safe_name("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(safe_name("/abs/path.json"), "abspath.json");
        assert_eq!(safe_name(".hidden"), "hidden");
        assert_eq!(safe_name("a\u{1b}[2Jb\n.txt"), "a[2Jb.txt");
        assert_eq!(safe_name("C:evil.txt"), "Cevil.txt");
        assert_eq!(safe_name(".."), "file");
        assert_eq!(safe_name(""), "file");
        assert_eq!(safe_name(" . "), "file");
        assert_eq!(safe_name("trailing. "), "trailing");
        assert_eq!(safe_name("café 🌱.ics"), "café 🌱.ics");
        let long = safe_name(&"é".repeat(300));
        assert_eq!(long.chars().count(), MAX_NAME_CHARS);
    }

    #[test]
    fn numbers_go_before_the_extension() {
        assert_eq!(numbered("agenda.ics", 1), "agenda-1.ics");
        assert_eq!(numbered("export.tar.gz", 2), "export.tar-2.gz");
        assert_eq!(numbered("notes", 3), "notes-3");
    }

    #[test]
    fn a_file_lands_in_the_folder_and_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("files");
        let first = write(&folder, "../agenda.ics", b"BEGIN:VCALENDAR").unwrap();
        assert_eq!(first, folder.join("agenda.ics"));
        assert_eq!(std::fs::read(&first).unwrap(), b"BEGIN:VCALENDAR");
        let second = write(&folder, "agenda.ics", b"second").unwrap();
        let third = write(&folder, "agenda.ics", b"third").unwrap();
        assert_eq!(second, folder.join("agenda-1.ics"));
        assert_eq!(third, folder.join("agenda-2.ics"));
        assert_eq!(std::fs::read(&first).unwrap(), b"BEGIN:VCALENDAR");
        assert_eq!(std::fs::read(&third).unwrap(), b"third");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "nothing outside it");
    }

    #[test]
    fn shown_with_its_place_or_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let shown = show(Some(dir.path()), "next.ics", b"12345");
        let path = dir.path().join("next.ics");
        assert_eq!(shown, format!("📎 next.ics → {}", path.display()));
        assert_eq!(
            show(None, "next.ics", b"12345"),
            "📎 next.ics (5 bytes; the console has no folder for files)"
        );
    }

    #[tokio::test]
    async fn files_land_in_the_folder_for_replies_and_scheduled_messages() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, bytes: &[u8]| Block::File {
            name: name.into(),
            mime: "text/calendar".into(),
            bytes: bytes.to_vec(),
        };
        let outbound = Outbound {
            target: Target::Origin,
            visibility: Visibility::OnlyActor,
            message: hearth_chat::Message {
                blocks: vec![Block::Text("Your next session".into()), file("next.ics", b"A")],
                controls: None,
            },
        };
        let shown = render(&outbound, "ana", Some(dir.path()));
        let path = dir.path().join("next.ics");
        assert_eq!(
            shown,
            format!("hearth 🔒 ana\n  Your next session\n  📎 next.ics → {}\n", path.display())
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"A");

        let delivery =
            ConsoleDelivery::new(None).unwrap().with_files_dir(Some(dir.path().to_owned()));
        let scheduled = Outbound {
            target: Target::Person {
                team: TeamRef { platform: Platform::Console, id: "demo".into() },
                user_id: "ana".into(),
            },
            visibility: Visibility::OnlyActor,
            message: hearth_chat::Message { blocks: vec![file("next.ics", b"B")], controls: None },
        };
        delivery.deliver(scheduled, "hearth-1-2").await.unwrap();
        assert_eq!(std::fs::read(dir.path().join("next.ics")).unwrap(), b"A", "not replaced");
        assert_eq!(std::fs::read(dir.path().join("next-1.ics")).unwrap(), b"B");

        let without = render(&outbound, "ana", None);
        assert!(without.ends_with("📎 next.ics (1 bytes; the console has no folder for files)\n"));
    }
}
