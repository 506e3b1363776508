//! The real `hearth` binary, killed with SIGKILL at random moments while a schedule fires
//! every second, restarted each time. From the run table and the console's delivery log:
//! no occurrence is lost while hearth runs, occurrences missed while it is down follow the
//! grace policy (fire once on return), and none is delivered twice except one that was in
//! flight at a kill (at most one per kill).

use rand::Rng;
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The binary's console on `dir`'s `data` folder (or `data-{n}`, beside others) and, when
/// given, a PostgreSQL; every process writes to `dir`'s one delivery log.
pub fn start_in(dir: &Path, data: &str, database: Option<&str>, first_line: &str) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hearth"));
    if let Some(url) = database {
        command.env("HEARTH_DATABASE_URL", url);
    }
    let mut child = command
        .current_dir(dir)
        .env("HEARTH_DATA_DIR", dir.join(data))
        .env("HEARTH_CONSOLE__DELIVERY_LOG", dir.join("deliveries.log"))
        .env_remove("HEARTH_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("hearth starts");
    // Stdin stays open: hearth keeps running until killed (or until it is closed).
    child.stdin.as_mut().expect("stdin").write_all(first_line.as_bytes()).expect("write");
    child
}

fn start(dir: &Path, first_line: &str) -> Child {
    start_in(dir, "data", None, first_line)
}

/// How often each occurrence's key was delivered to the team, from the console's delivery
/// log; at most twice each, and twice for at most one occurrence per kill (the one in flight).
pub fn deliveries(log: &Path, kills: usize) -> (HashMap<String, usize>, usize) {
    let log = std::fs::read_to_string(log).unwrap();
    let mut delivered: HashMap<String, usize> = HashMap::new();
    for line in log.lines() {
        let (key, place) = line.split_once('\t').expect("key<TAB>place");
        assert_eq!(place, "#team");
        *delivered.entry(key.to_owned()).or_default() += 1;
    }
    let duplicates = delivered.values().filter(|&&n| n > 1).count();
    assert!(delivered.values().all(|&n| n <= 2), "{delivered:?}");
    assert!(duplicates <= kills, "{duplicates} duplicates after {kills} kills");
    (delivered, duplicates)
}

/// Checks that every run (schedule, due instant, status) was delivered and every delivery was
/// a run's; returns the gaps (ms) of more than a second between consecutive runs.
pub fn all_delivered(runs: &[(i64, i64, String)], delivered: &HashMap<String, usize>) -> Vec<i64> {
    for (schedule, due, status) in runs {
        assert_eq!(status, "delivered", "occurrence {due} of {schedule}");
        let key = format!("hearth-{schedule}-{due}");
        assert!(delivered.contains_key(key.as_str()), "{key} was never delivered");
    }
    assert_eq!(delivered.len(), runs.len());
    let gaps: Vec<i64> =
        runs.windows(2).map(|w| w[1].1 - w[0].1).filter(|&gap| gap > 1000).collect();
    eprintln!("gaps {gaps:?}");
    gaps
}

#[test]
fn sigkill_loses_no_occurrence_and_duplicates_at_most_the_one_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = rand::rng();
    let kills = 5;
    let mut downtimes = Vec::new();
    let began = Instant::now();
    let mut child = start(dir.path(), "/setup shift cron * * * * * *\n");
    for _ in 0..kills {
        std::thread::sleep(Duration::from_millis(rng.random_range(1500..3500)));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let down = Duration::from_millis(rng.random_range(300..2500));
        std::thread::sleep(down);
        downtimes.push(down);
        child = start(dir.path(), "");
    }
    std::thread::sleep(Duration::from_millis(2500));
    // A clean stop: closing stdin ends the console, which lets deliveries finish.
    drop(child.stdin.take());
    assert!(child.wait().expect("exits").success());
    let ran_for = began.elapsed();

    let (delivered, duplicates) = deliveries(&dir.path().join("deliveries.log"), kills);

    let db = rusqlite::Connection::open(dir.path().join("data/hearth.db")).unwrap();
    let mut statement = db
        .prepare(
            "SELECT r.schedule_id, r.due_at, r.status FROM schedule_runs r
             JOIN schedules s ON s.id = r.schedule_id WHERE s.kind = 'shift_nudge' ORDER BY r.due_at",
        )
        .unwrap();
    let runs: Vec<(i64, i64, String)> = statement
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();

    eprintln!(
        "runs {} delivered keys {} duplicates {duplicates} downtimes {downtimes:?}",
        runs.len(),
        delivered.len()
    );
    // Every claimed occurrence was delivered in the end (interrupted ones at the next start),
    // and every delivery belongs to a recorded occurrence.
    // While hearth runs, every second fires. A gap appears only across a restart: the seconds
    // missed while it was down come back as one firing (the grace policy), so there are at
    // most as many gaps as restarts, and none longer than the downtime plus start-up.
    let gaps = all_delivered(&runs, &delivered);
    assert!(gaps.len() <= kills, "gaps {gaps:?}");
    let longest_down = downtimes.iter().max().unwrap().as_millis() as i64;
    assert!(gaps.iter().all(|&gap| gap <= longest_down + 5000), "gaps {gaps:?}");
    // And it really ran: most of the seconds are there.
    assert!(runs.len() as u64 >= ran_for.as_secs() / 2, "{} runs in {ran_for:?}", runs.len());
}
