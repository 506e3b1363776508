//! Real `hearth` binaries on PostgreSQL (the tests' PostgreSQL pass: `scripts/test` starts one;
//! without it these tests say so and do nothing). Three processes on one database, each with its own data directory and console, sharing one schedule that fires
//! every second, while one of them at a time is killed with SIGKILL and started again. From
//! the run table and the shared delivery log: every occurrence is claimed by one process only
//! and delivered, those a killed process left half done are taken over by another once their
//! claim's lease runs out, and none is delivered twice except one in flight at a kill. And the
//! operator's commands, which on PostgreSQL leave backups to `pg_dump`, and the scheduler
//! benchmark with two processes.

use crate::harness::postgres_schema;
use rand::Rng;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn start(dir: &Path, url: &str, n: usize, first_line: &str) -> Child {
    crate::crash::start_in(dir, &format!("data-{n}"), Some(url), first_line)
}

#[tokio::test]
async fn three_processes_deliver_each_occurrence_once_while_one_is_killed_again_and_again() {
    let Some(url) = postgres_schema().await else {
        eprintln!("no HEARTH_TEST_DATABASE_URL: this PostgreSQL test did not run");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let began = Instant::now();
    let mut processes: Vec<Child> = (0..3)
        .map(|n| {
            let first = if n == 0 { "/setup shift cron * * * * * *\n" } else { "" };
            start(dir.path(), &url, n, first)
        })
        .collect();
    let kills = 5;
    for _ in 0..kills {
        let (pause, victim, down) = {
            let mut rng = rand::rng();
            (rng.random_range(1500..3500), rng.random_range(0..3), rng.random_range(300..2500))
        };
        tokio::time::sleep(Duration::from_millis(pause)).await;
        processes[victim].kill().expect("SIGKILL");
        processes[victim].wait().expect("reaped");
        tokio::time::sleep(Duration::from_millis(down)).await;
        processes[victim] = start(dir.path(), &url, victim, "");
    }
    // Long enough for a claim a killed process left to pass its lease and be taken over.
    let lease = hearth::scheduler::CLAIM_LEASE;
    tokio::time::sleep(lease + Duration::from_secs(8)).await;
    for child in &mut processes {
        drop(child.stdin.take());
    }
    for child in &mut processes {
        assert!(child.wait().expect("exits").success());
    }
    let ran_for = began.elapsed();

    let (delivered, duplicates) =
        crate::crash::deliveries(&dir.path().join("deliveries.log"), kills);

    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let runs: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT r.schedule_id, r.due_at, r.status FROM schedule_runs r
         JOIN schedules s ON s.id = r.schedule_id WHERE s.kind = 'shift_nudge' ORDER BY r.due_at",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    eprintln!("runs {} delivered keys {} duplicates {duplicates}", runs.len(), delivered.len());
    // Two processes were always running, so seconds go by without their occurrence only when
    // every process ticked late (a loaded machine: a schedule that fell behind moves on to its
    // next occurrence after now, by design) — rarely, and never for long.
    let gaps = crate::crash::all_delivered(&runs, &delivered);
    assert!(gaps.len() <= kills && gaps.iter().all(|&gap| gap <= 3000), "gaps {gaps:?}");
    assert!(runs.len() as u64 + 3 >= ran_for.as_secs(), "{} runs in {ran_for:?}", runs.len());
}

/// The operator's commands on PostgreSQL: a backup is PostgreSQL's own tool's work (hearth says
/// so and prints the command, and makes no file); purge and forgetting a team work as on SQLite.
#[tokio::test]
async fn operator_commands_on_postgres_point_to_pg_dump_and_purge_and_forget_work() {
    let Some(url) = postgres_schema().await else {
        eprintln!("no HEARTH_TEST_DATABASE_URL: this PostgreSQL test did not run");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let hearth = |args: &[&str], input: &str| {
        let env = [("HEARTH_DATABASE_URL", url.as_str())];
        let out = crate::binary::hearth_with(dir.path(), &env, args, input);
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    };
    let (status, _, _) = hearth(&["console"], "/checkin keep on\n/checkin\n2\n3\n1\n");
    assert_eq!(status, Some(0));

    let (status, stdout, stderr) = hearth(&["backup", "copy.dump"], "");
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("pg_dump"), "{stderr}");
    assert!(stdout.starts_with("pg_dump --format=custom --file=copy.dump"), "{stdout}");
    assert!(!dir.path().join("copy.dump").exists());
    assert!(!dir.path().join("hearth-data/hearth.db").exists(), "no SQLite file is made");

    let (status, stdout, _) = hearth(&["purge", "--dry-run"], "");
    assert_eq!(status, Some(0));
    assert!(stdout.contains("would delete 0 rows"), "{stdout}");
    let (status, stdout, _) = hearth(&["team", "forget", "console:demo"], "");
    assert_eq!(status, Some(0), "{stdout}");
    let lines: Vec<Vec<&str>> = stdout.lines().map(|l| l.split_whitespace().collect()).collect();
    assert!(lines.contains(&vec!["checkin_history", "1", "with", "the", "team"]), "{stdout}");
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let teams: i64 =
        sqlx::query_scalar("SELECT count(*) FROM teams").fetch_one(&pool).await.unwrap();
    assert_eq!(teams, 0);
}

/// Two processes meeting a new team and a new member at the same moment (on a shared
/// database both insert them): both go on, with the same rows, and neither fails.
#[tokio::test]
async fn two_processes_meeting_a_new_team_at_once_both_get_it() {
    let Some(url) = postgres_schema().await else {
        eprintln!("no HEARTH_TEST_DATABASE_URL: this PostgreSQL test did not run");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let open = || hearth::store::Store::connect(dir.path(), Some(&url), None);
    let stores =
        [std::sync::Arc::new(open().await.unwrap()), std::sync::Arc::new(open().await.unwrap())];
    let defaults = hearth::config::TeamDefaults::default();
    let now = chrono::Utc::now();
    let mut meetings = Vec::new();
    for n in 0..20 {
        for store in &stores {
            let (store, defaults) = (store.clone(), defaults.clone());
            let team = hearth_chat::TeamRef {
                platform: hearth_chat::Platform::Console,
                id: format!("team {n}"),
            };
            meetings.push(tokio::spawn(async move {
                store
                    .run(move |tx| {
                        hearth::store::members::with_team(tx, &team, "ana", &defaults, now)
                            .map(|(team, member)| (team.id, member.id))
                    })
                    .await
            }));
        }
    }
    let mut met = Vec::new();
    for meeting in meetings {
        met.push(meeting.await.unwrap().expect("no process fails meeting a new team"));
    }
    for pair in met.chunks(2) {
        assert_eq!(pair[0], pair[1], "both processes have the same team and member");
    }
}

/// `hearth bench scheduler --processes 2`, small, on PostgreSQL: the first process populates
/// and starts a follower of itself; the whole burst is delivered, by both, and none twice.
#[tokio::test]
async fn the_scheduler_benchmark_delivers_a_burst_through_two_processes_once_each() {
    let Some(url) = postgres_schema().await else {
        eprintln!("no HEARTH_TEST_DATABASE_URL: this PostgreSQL test did not run");
        return;
    };
    let args = ["--schedules", "300", "--teams", "30", "--burst", "100", "--window-secs", "2"];
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["bench", "scheduler"])
        .args(args)
        .args(["--lead-secs", "5", "--processes", "2", "--database-url", &url])
        .env_remove("HEARTH_LOG")
        .stdin(Stdio::null())
        .output()
        .expect("hearth runs");
    let report = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{report}\n{stderr}");
    assert!(report.contains("burst of 100 over 2 s: delivered 100, lateness"), "{report}");
    assert!(report.contains("more than once: 0, not delivered: 0\n"), "{report}");
    assert!(!report.contains("follower 1:"), "the follower stopped as asked: {report}");
    let each = report.lines().find_map(|l| l.split_once("burst deliveries: ")).unwrap().1;
    let counts: Vec<usize> =
        each.split(", ").map(|p| p.rsplit(' ').next().unwrap().parse().unwrap()).collect();
    assert_eq!(counts.len(), 2, "{report}");
    assert_eq!(counts.iter().sum::<usize>(), 100, "{report}");
    assert!(counts.iter().all(|&n| n > 0), "both processes delivered some: {report}");
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    // The burst's schedules were made last, after the 200 weekly ones.
    let runs: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, count(*) FROM schedule_runs WHERE schedule_id BETWEEN 201 AND 300
         GROUP BY status",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(runs, [("delivered".to_owned(), 100)]);
}

/// More than one process needs a shared database: without one the benchmark refuses, kindly.
#[test]
fn the_scheduler_benchmark_refuses_several_processes_without_postgres() {
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["bench", "scheduler", "--schedules", "10", "--processes", "2"])
        .env_remove("HEARTH_LOG")
        .stdin(Stdio::null())
        .output()
        .expect("hearth runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("--processes 2 needs --database-url"), "{stderr}");
    assert!(out.stdout.is_empty());
}
