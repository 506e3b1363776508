//! `hearth bench scheduler`: many schedules across many teams in a file-backed database (or a
//! PostgreSQL).
//! Reports the time to start with them, the cost of a tick, the lateness of a burst (from an
//! occurrence's due time to its message being handed to the adapter) through the real run
//! loop and system clock, and resident memory along the way.
//! On PostgreSQL, `--processes N` runs the burst through N processes sharing the database (the
//! others are followers this one starts, see `processes.rs`), and also reports how many
//! deliveries each made and whether any occurrence was delivered twice or not at all.

use super::processes::{Followers, Outcome};
use super::{percentile, resident_mib, write_report};
use crate::bot::Bot;
use crate::clock::SystemClock;
use crate::config::{Config, TeamDefaults};
use crate::prompts::Prompts;
use crate::schedule::{Payload, Recurrence, Weekdays, When};
use crate::scheduler::{Deliveries, Scheduler};
use crate::store::schedules::{self, NewSchedule};
use crate::store::{StoreError, teams};
use async_trait::async_trait;
use chrono::{DateTime, Duration as Span, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use hearth_chat::{Delivery, DeliveryError, Outbound, Platform, TeamRef};
use rand::Rng;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Active schedules in all.
    #[arg(long, default_value_t = 100_000)]
    pub schedules: usize,
    /// Spread over this many teams.
    #[arg(long, default_value_t = 10_000)]
    pub teams: usize,
    /// How many of them fall due together.
    #[arg(long, default_value_t = 10_000)]
    pub burst: usize,
    /// The burst falls due over this many seconds (0: all at the same instant).
    #[arg(long, default_value_t = 60)]
    pub window_secs: u64,
    /// Where to put the benchmark database (default: a fresh temporary folder).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Run on this PostgreSQL instead (`postgres://…`, an empty database or schema; the
    /// password, if any, from `HEARTH_DATABASE_PASSWORD`).
    #[arg(long)]
    pub database_url: Option<String>,
    /// Processes sharing the PostgreSQL of `--database-url` during the burst: this one and
    /// N-1 followers it starts.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub processes: u16,
    /// The burst falls due this many seconds after its schedules start being made (the
    /// followers must be up by then).
    #[arg(long, default_value_t = 20)]
    pub lead_secs: u64,
}

/// A follower has this long to stop once asked (its scheduler's own grace is shorter).
const FOLLOWER_GRACE: Duration = Duration::from_secs(15);

/// Records when each message reached the adapter.
#[derive(Debug, Default)]
struct Recorder(Mutex<Vec<(String, DateTime<Utc>)>>);

#[async_trait]
impl Delivery for Recorder {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    async fn deliver(&self, _outbound: Outbound, key: &str) -> Result<(), DeliveryError> {
        let now = Utc::now();
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push((key.to_owned(), now));
        Ok(())
    }
}

const TIMEZONES: [Tz; 4] =
    [Tz::Europe__London, Tz::America__New_York, Tz::Australia__Sydney, Tz::Asia__Kolkata];

pub async fn run(args: Args) -> anyhow::Result<()> {
    let followers_wanted = usize::from(args.processes) - 1;
    if followers_wanted > 0 && args.database_url.is_none() {
        anyhow::bail!(
            "--processes {} needs --database-url: processes share a PostgreSQL database \
             (a SQLite database belongs to one process)",
            args.processes
        );
    }
    let temp = tempfile::Builder::new().prefix("hearth-bench-").tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| temp.path().to_owned());
    let config = Config {
        data_dir: dir.clone(),
        database_url: args.database_url.clone(),
        ..Config::default()
    };
    config.validate()?;
    let open = || crate::bot::open_store(&config);
    let mut report = String::new();
    let rss_start = resident_mib();

    // Populate: teams, weekly schedules at random times, and the burst as one-shots.
    let store = open().await?;
    let started = Instant::now();
    // The burst falls due 20 s (`--lead-secs`) after its schedules start being made (they are
    // made last), so a slower database (PostgreSQL takes ~25 s for all 100,000) does not start
    // it late.
    let lead = Span::seconds(i64::try_from(args.lead_secs)?);
    let mut burst_start = None;
    let window = Span::seconds(i64::try_from(args.window_secs)?);
    let teams = args.teams.max(1);
    let regular = args.schedules.saturating_sub(args.burst);
    for chunk in (0..args.schedules).collect::<Vec<_>>().chunks(5_000) {
        let chunk = chunk.to_vec();
        let now = Utc::now();
        let burst_start = if chunk.last().is_some_and(|&i| i >= regular) {
            *burst_start.get_or_insert(now + lead)
        } else {
            now
        };
        store
            .run(move |tx| -> Result<(), StoreError> {
                let mut rng = rand::rng();
                let defaults = TeamDefaults::default();
                for i in chunk {
                    let team_ref =
                        TeamRef { platform: Platform::Console, id: format!("team-{}", i % teams) };
                    let team = teams::get_or_create(tx, &team_ref, &defaults, now)?;
                    let when = if i < regular {
                        When::Repeat(Recurrence::Weekly {
                            days: Weekdays::of(
                                Weekday::try_from(rng.random_range(0..7u8)).unwrap_or(Weekday::Mon),
                            ),
                            at: NaiveTime::from_hms_opt(
                                rng.random_range(0..24),
                                rng.random_range(0..60),
                                0,
                            )
                            .unwrap_or_default(),
                            ends: None,
                            every: 1,
                            from: NaiveDate::MIN,
                        })
                    } else {
                        let offset = rng.random_range(0..=window.num_milliseconds());
                        When::Once(burst_start + Span::milliseconds(offset))
                    };
                    let new = NewSchedule {
                        team_id: Some(team.id),
                        member_id: None,
                        payload: Payload::ShiftNudge { channel: "team".into() },
                        when,
                        timezone: TIMEZONES[i % TIMEZONES.len()],
                    };
                    schedules::insert(tx, &new, now)?;
                }
                Ok(())
            })
            .await?;
    }
    store.close().await;
    report += &*format!(
        "created {} schedules ({} in the burst) across {} teams in {:.1} s\n",
        args.schedules,
        args.burst,
        teams,
        started.elapsed().as_secs_f64()
    );
    let rss_populated = resident_mib();

    // The other processes, up before this one's measurements and the burst.
    let followers = match &args.database_url {
        Some(url) if followers_wanted > 0 => {
            let mut followers = Followers::start(followers_wanted, url)?;
            followers.ready(Duration::from_secs(60)).await?;
            Some(followers)
        }
        _ => None,
    };
    let followers_ready = Utc::now();

    // Start-up with them all: open, recover interrupted deliveries, find the next run.
    let started = Instant::now();
    let store = open().await?;
    let bot = Arc::new(Bot::new(store, Prompts::load(None)?, Arc::new(SystemClock), config));
    let recorder = Arc::new(Recorder::default());
    let scheduler =
        Arc::new(Scheduler::new(bot.clone(), Deliveries::default().with(recorder.clone())));
    scheduler.ensure_housekeeping().await?;
    scheduler.recover(Utc::now()).await?;
    let next = bot.store().run(|tx| schedules::earliest(tx, schedules::EVERY_PLATFORM)).await?;
    report += &*format!(
        "start-up with them: {:.1} ms (next run found: {})\n",
        started.elapsed().as_secs_f64() * 1000.0,
        next.is_some()
    );

    // A tick with nothing due: the loop's cost per wake when idle.
    let ticks = 200;
    let started = Instant::now();
    for _ in 0..ticks {
        scheduler.tick(Utc::now()).await?;
    }
    report += &*format!(
        "idle tick: {:.0} µs each (mean of {ticks})\n",
        started.elapsed().as_secs_f64() * 1e6 / f64::from(ticks)
    );

    // The burst, through the real run loop and clock.
    let shutdown = CancellationToken::new();
    let running = tokio::spawn(scheduler.clone().run(shutdown.clone()));
    let deadline = Instant::now() + Duration::from_secs(args.window_secs + 80);
    // The burst's schedules were created last: their ids follow the regular ones'.
    let first_burst_id = i64::try_from(regular)? + 1;
    // (schedule, due ms, delivered at) of each delivery of the burst.
    let burst_keys = |sent: &[(String, DateTime<Utc>)]| -> Vec<(i64, i64, DateTime<Utc>)> {
        sent.iter()
            .filter_map(|(key, at)| {
                let mut parts = key.rsplit('-');
                let due = parts.next()?.parse::<i64>().ok()?;
                let id = parts.next()?.parse::<i64>().ok()?;
                (id >= first_burst_id).then_some((id, due, *at))
            })
            .collect()
    };
    let sent = || recorder.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
    loop {
        let mut done = occurrences(&[burst_keys(&sent())]);
        if let Some(followers) = &followers {
            let theirs: Vec<_> = followers.deliveries().iter().map(|d| burst_keys(d)).collect();
            done.extend(occurrences(&theirs));
        }
        if done.len() >= args.burst || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    shutdown.cancel();
    let outcomes = match followers {
        Some(followers) => followers.stop(FOLLOWER_GRACE).await,
        None => Vec::new(),
    };
    running.await?;
    let mut by_process = vec![burst_keys(&sent())];
    by_process.extend(outcomes.iter().map(|o| burst_keys(&o.deliveries)));
    let mut lateness: Vec<Duration> = by_process
        .iter()
        .flatten()
        .map(|&(_, due, at)| (at.timestamp_millis() - due).max(0).unsigned_abs())
        .map(Duration::from_millis)
        .collect();
    lateness.sort();
    let ms = |d: Option<Duration>| d.map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0);
    report += &*format!(
        "burst of {} over {} s: delivered {}, lateness p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms\n",
        args.burst,
        args.window_secs,
        lateness.len(),
        ms(percentile(&lateness, 0.50)),
        ms(percentile(&lateness, 0.99)),
        ms(lateness.last().copied()),
    );
    if followers_wanted > 0 {
        let lead = burst_start
            .map_or(f64::NAN, |due| (due - followers_ready).num_milliseconds() as f64 / 1000.0);
        report += &processes_report(&by_process, &outcomes, args.burst, lead);
    }
    let runs = bot.store().run(schedules::run_counts).await?;
    report +=
        &*format!("run records (the burst and any regular schedule due meanwhile): {runs:?}\n");
    bot.store().close().await;
    let mib = |m: Option<f64>| m.map_or("?".to_owned(), |m| format!("{m:.1} MiB"));
    report += &*format!(
        "resident memory: at start {}, after creating {}, after the burst {}\n",
        mib(rss_start),
        mib(rss_populated),
        mib(resident_mib())
    );
    write_report(&report)
}

/// Each occurrence (schedule, due ms) among `deliveries`, with how many times it was delivered.
fn occurrences(deliveries: &[Vec<(i64, i64, DateTime<Utc>)>]) -> HashMap<(i64, i64), usize> {
    let mut times = HashMap::new();
    for &(id, due, _) in deliveries.iter().flatten() {
        *times.entry((id, due)).or_default() += 1;
    }
    times
}

/// Several processes' share of the burst: who delivered how much, and whether any occurrence
/// was delivered twice or not at all; `lead` is how long before the burst the followers were
/// ready (s).
fn processes_report(
    by_process: &[Vec<(i64, i64, DateTime<Utc>)>],
    outcomes: &[Outcome],
    burst: usize,
    lead: f64,
) -> String {
    let each: Vec<String> = by_process
        .iter()
        .enumerate()
        .map(|(n, d)| match n {
            0 => format!("this process {}", d.len()),
            n => format!("follower {n} {}", d.len()),
        })
        .collect();
    let times = occurrences(by_process);
    let twice = times.values().filter(|&&n| n > 1).count();
    let missing = burst.saturating_sub(times.len());
    let mut report = format!(
        "{} processes (the followers ready {lead:.1} s before the burst fell due); burst \
         deliveries: {}\n",
        by_process.len(),
        each.join(", ")
    );
    report += &*format!(
        "burst occurrences delivered more than once: {twice}, not delivered: {missing}\n"
    );
    for (n, outcome) in outcomes.iter().enumerate() {
        if let Some(trouble) = &outcome.trouble {
            report += &*format!("follower {}: {trouble}\n", n + 1);
        }
    }
    report
}
