//! `hearth bench checkin`: simulated people running complete check-ins through the real core
//! and a file-backed SQLite database in WAL mode (or a PostgreSQL), reporting throughput and
//! per-step latency.

use super::{percentile, write_report};
use crate::bot::Bot;
use crate::clock::SystemClock;
use crate::config::Config;
use crate::prompts::Prompts;
use hearth_chat::{
    Actor, Catalogue, Controls, Event, Handler, Inbound, Outbound, Place, Platform, TeamRef,
};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many people check in (each one complete check-in).
    #[arg(long, default_value_t = 20_000)]
    pub people: usize,
    /// Spread over this many teams.
    #[arg(long, default_value_t = 200)]
    pub teams: usize,
    /// People checking in at the same moment.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// Where to put the benchmark database (default: a fresh folder under the temp dir,
    /// removed afterwards).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Run on this PostgreSQL instead (`postgres://…`; the password, if any, from
    /// `HEARTH_DATABASE_PASSWORD`). Several benchmark processes may share one: give each its
    /// own `--first-person`.
    #[arg(long)]
    pub database_url: Option<String>,
    /// The number of this process's first person, so that processes sharing a database
    /// check in different people.
    #[arg(long, default_value_t = 0)]
    pub first_person: usize,
}

const STEPS: [&str; 5] = ["start", "colour", "follow-up", "weather", "keep"];

pub async fn run(args: Args) -> anyhow::Result<()> {
    let temp = tempfile::Builder::new().prefix("hearth-bench-").tempdir()?;
    let dir = args.dir.clone().unwrap_or_else(|| temp.path().to_owned());
    let config = Config {
        data_dir: dir.clone(),
        database_url: args.database_url.clone(),
        ..Config::default()
    };
    config.validate()?;
    let store = crate::bot::open_store(&config).await?;
    let bot = Arc::new(Bot::new(store, Prompts::load(None)?, Arc::new(SystemClock), config));
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency.max(1) {
        let (bot, next) = (bot.clone(), next.clone());
        let (people, teams, first) = (args.people, args.teams.max(1), args.first_person);
        tasks.push(tokio::spawn(async move {
            let mut latencies: Vec<Vec<Duration>> = vec![Vec::new(); STEPS.len()];
            loop {
                let person = next.fetch_add(1, Ordering::Relaxed);
                if person >= people {
                    break;
                }
                check_in(&bot, first + person, person % teams, &mut latencies).await?;
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies: Vec<Vec<Duration>> = vec![Vec::new(); STEPS.len()];
    for task in tasks {
        for (all, mine) in latencies.iter_mut().zip(task.await??) {
            all.extend(mine);
        }
    }
    let elapsed = started.elapsed();
    bot.store().close().await;

    let rate = args.people as f64 / elapsed.as_secs_f64();
    let backend = if args.database_url.is_some() { "PostgreSQL" } else { "SQLite" };
    let mut report = format!(
        "{} complete check-ins on {backend} by {} people in {} teams, {} at a time: {:.2} s, \
         {:.0} check-ins/s\n",
        args.people,
        args.people,
        args.teams,
        args.concurrency,
        elapsed.as_secs_f64(),
        rate
    );
    report += &*format!(
        "{:<10} {:>8} {:>10} {:>10} {:>10}\n",
        "step", "count", "p50 µs", "p99 µs", "max µs"
    );
    for (name, mut samples) in STEPS.iter().zip(latencies) {
        samples.sort();
        if let (Some(p50), Some(p99), Some(max)) =
            (percentile(&samples, 0.50), percentile(&samples, 0.99), samples.last())
        {
            report += &*format!(
                "{name:<10} {:>8} {:>10} {:>10} {:>10}\n",
                samples.len(),
                p50.as_micros(),
                p99.as_micros(),
                max.as_micros()
            );
        }
    }
    write_report(&report)
}

/// One person's whole check-in: start, a colour, "not now", add to weather, don't keep.
async fn check_in(
    bot: &Bot,
    person: usize,
    team: usize,
    latencies: &mut [Vec<Duration>],
) -> anyhow::Result<()> {
    let colours = ["green", "yellow", "orange", "red"];
    let inbound = |event| Inbound {
        team: TeamRef { platform: Platform::Console, id: format!("team-{team}") },
        actor: Actor {
            user_id: format!("person-{person}"),
            display_name: format!("person-{person}"),
            is_team_admin: false,
        },
        place: Place::Channel { id: "team".into() },
        event,
    };
    let catalogue: &Catalogue = bot.catalogue();
    let start = catalogue.parse("checkin")?;
    let answers = [colours[person % colours.len()], "not-now", "yes", "no"];

    let timed = Instant::now();
    let mut replies = bot.handle(inbound(Event::Command(start))).await;
    latencies[0].push(timed.elapsed());
    for (step, answer) in answers.into_iter().enumerate() {
        let token = token(&replies).ok_or_else(|| anyhow::anyhow!("no question at step {step}"))?;
        let timed = Instant::now();
        replies = bot.handle(inbound(Event::Choice { token, option: answer.to_owned() })).await;
        latencies[step + 1].push(timed.elapsed());
    }
    anyhow::ensure!(token(&replies).is_none(), "check-in did not finish");
    Ok(())
}

fn token(replies: &[Outbound]) -> Option<String> {
    replies.iter().find_map(|o| match &o.message.controls {
        Some(Controls::Choices { token, .. }) => Some(token.clone()),
        _ => None,
    })
}
