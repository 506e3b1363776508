//! The real `hearth` binary: the console over piped stdin, `check`, and startup errors.

use std::io::Write;
use std::process::{Command, Stdio};

fn hearth(dir: &std::path::Path, args: &[&str], stdin: &str) -> std::process::Output {
    hearth_with(dir, &[], args, stdin)
}

/// Runs the binary in `dir` with `env` set, `stdin` piped in, until it ends.
pub fn hearth_with(
    dir: &std::path::Path,
    env: &[(&str, &str)],
    args: &[&str],
    stdin: &str,
) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .env_remove("HEARTH_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hearth starts");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("hearth ends")
}

#[test]
fn the_console_answers_a_piped_check_in_and_remembers_across_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = hearth(dir.path(), &[], "/checkin\n2\n3\n1\n1\n/setup timezone Australia/Sydney\n");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(stdout.contains("How are you arriving today?"), "{stdout}");
    assert!(stdout.contains("Added to today's team weather"), "{stdout}");
    assert!(dir.path().join("hearth-data/hearth.db").exists());

    let again = hearth(dir.path(), &[], "/setup\n/checkin history\n/quit\n/never-read\n");
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("Timezone: Australia/Sydney"), "{stdout}");
    assert!(stdout.contains("🟡 Reacting"), "{stdout}");
    assert!(!stdout.contains("never-read"), "{stdout}");
}

#[test]
fn check_passes_on_defaults_and_explains_bad_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let ok = hearth(dir.path(), &["check"], "");
    assert!(ok.status.success(), "{ok:?}");

    std::fs::write(dir.path().join("bad.toml"), "[team_defaults]\nweather_min_people = 1\n")
        .unwrap();
    let bad = hearth(dir.path(), &["--config", "bad.toml", "check"], "");
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(!bad.status.success());
    assert!(stderr.contains("weather_min_people is 1"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    std::fs::create_dir_all(dir.path().join("words/en")).unwrap();
    std::fs::write(dir.path().join("words/en/x.ftl"), "checkin-ask = {\n").unwrap();
    std::fs::write(dir.path().join("words.toml"), "prompts_dir = \"words\"\n").unwrap();
    let broken = hearth(dir.path(), &["--config", "words.toml", "check"], "");
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert_eq!(broken.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("x.ftl"), "{stderr}");

    // The console refuses to start on the same problem, with the same clear words.
    let console = hearth(dir.path(), &["--config", "words.toml"], "/checkin\n");
    assert!(!console.status.success());
    assert!(String::from_utf8_lossy(&console.stderr).contains("x.ftl"));
}

#[test]
fn nothing_a_person_typed_reaches_the_log_even_at_trace_level() {
    let dir = tempfile::tempdir().unwrap();
    // Every flow, with something distinctive wherever a person can type.
    let script = [
        "/setup resources SECRET-RESOURCES-1",
        "/checkin",
        "1",
        "1",
        "SECRET-SHARED-2",
        "1",
        "1",
        "/as SECRET-NAME-3",
        "/checkin",
        "4",
        "1",
        "SECRET-PERSON-4",
        "",
        "2",
        "2",
        "SECRET-STRAY-TEXT-5",
        "/SECRET-COMMAND-6",
        "/help SECRET-HELP-7",
        "/setup timezone SECRET/ZONE-8",
        "/available on",
        "/as you",
        "/debrief",
        "2",
        "1",
        "1",
        "4",
        "4",
        "/debrief request",
        "2",
        "SECRET-NOTE-9",
        "/break",
        "4",
        "1",
        "SECRET-ANSWER-10",
        "2",
        "/shift pattern every mon 09:00-17:00",
        "/capacity low",
        "/supervision schedule every tuesday 14:00",
        "/agenda add SECRET-AGENDA-11",
        "/agenda private SECRET-PRIVATE-12",
        "/cop create circle SECRET-ABOUT-13",
        "/cop topic circle SECRET-TOPIC-14",
        "/cop topic-anonymous circle SECRET-ANON-15",
        "/cop share circle SECRET-RESOURCE-16",
        "/cop schedule circle every friday 12:00",
        "/privacy",
        "/mydata export",
        "/mydata delete",
        "1",
    ]
    .join("\n");
    let out = hearth(dir.path(), &["-vvv"], &script);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    // The conversations really happened, and the log really was written at trace level.
    for said in [
        "I couldn't find \"SECRET-PERSON-4\"",
        "I've asked one teammate",
        "Not quite",
        "Added as #",
        "anonymously: hearth stored the topic",
        "Shared with circle",
        "hearth-my-data.json",
        "hearth has erased everything it held about you",
    ] {
        assert!(stdout.contains(said), "{said} missing from: {stdout}");
    }
    assert!(log.contains("database migrated") && log.contains("handled"), "{log}");
    assert!(!log.contains("SECRET"), "{log}");
}

#[test]
fn a_new_schedule_wakes_the_sleeping_scheduler() {
    // With only housekeeping scheduled the loop sleeps for up to a minute; a schedule added by a
    // command must wake it, so an every-second pattern is heard from at once.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("deliveries.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .current_dir(dir.path())
        .env("HEARTH_CONSOLE__DELIVERY_LOG", &log)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    stdin.write_all(b"/setup shift cron * * * * * *\n").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(3500));
    drop(stdin);
    assert!(child.wait().unwrap().success());
    let lines = std::fs::read_to_string(&log).unwrap_or_default().lines().count();
    assert!(lines >= 2, "{lines} deliveries in 3.5 s");
}
