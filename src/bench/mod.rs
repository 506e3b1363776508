//! `hearth bench`: measurements of the real core on this machine (see docs/BENCHMARKS.md).
//! Numbers are reported, never asserted.

pub mod checkin;
pub mod follower;
mod processes;
pub mod scheduler;

use std::time::Duration;

#[derive(Debug, clap::Subcommand)]
pub enum Bench {
    /// Complete check-ins through the core: throughput and latency per step.
    Checkin(checkin::Args),
    /// 100,000 schedules: start-up, tick cost, lateness of a burst, memory.
    Scheduler(scheduler::Args),
    /// One more process of `bench scheduler --processes N`, started by it (not by hand).
    #[command(hide = true)]
    SchedulerFollower(follower::Args),
}

pub async fn run(bench: Bench) -> anyhow::Result<()> {
    match bench {
        Bench::Checkin(args) => checkin::run(args).await,
        Bench::Scheduler(args) => scheduler::run(args).await,
        Bench::SchedulerFollower(args) => follower::run(args).await,
    }
}

/// The sample at quantile `q` of sorted `samples`.
fn percentile(samples: &[Duration], q: f64) -> Option<Duration> {
    if samples.is_empty() {
        return None;
    }
    let rank = (samples.len() as f64 * q).ceil() as usize;
    samples.get(rank.clamp(1, samples.len()) - 1).copied()
}

/// Written, not printed: a closed pipe is an error to report, not a panic.
fn write_report(report: &str) -> anyhow::Result<()> {
    std::io::Write::write_all(&mut std::io::stdout(), report.as_bytes())?;
    Ok(())
}

/// This process's resident memory, in MiB (Linux).
fn resident_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
