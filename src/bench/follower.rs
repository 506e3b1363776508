//! `hearth bench scheduler-follower` (hidden): one more process of `hearth bench scheduler
//! --processes N`, started by it on the same PostgreSQL. It runs the real scheduler with its
//! run loop and tells the first process, on stdout and nothing else, when it is ready and each
//! delivery's idempotency key and instant; it stops when its stdin closes. Logs go to stderr.

use crate::bot::Bot;
use crate::clock::SystemClock;
use crate::config::Config;
use crate::prompts::Prompts;
use crate::scheduler::{Deliveries, Scheduler};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hearth_chat::{Delivery, DeliveryError, Outbound, Platform};
use std::sync::Arc;
use tokio::io::{AsyncWriteExt, Stdout};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The PostgreSQL the first process populated (the password, if any, from
    /// `HEARTH_DATABASE_PASSWORD`).
    #[arg(long)]
    pub database_url: String,
}

/// The follower's first line: its scheduler is about to run.
pub const READY: &str = "ready";
/// Its last line: it stopped, and every delivery it made was reported before.
pub const STOPPED: &str = "stopped";
const DELIVERED: &str = "delivered";

/// One delivery, as a line of the protocol: `delivered <key> <µs since the epoch>`.
fn delivered_line(key: &str, at: DateTime<Utc>) -> String {
    format!("{DELIVERED} {key} {}\n", at.timestamp_micros())
}

/// A `delivered` line's key and instant; `None` for any other line.
pub fn parse_delivered(line: &str) -> Option<(String, DateTime<Utc>)> {
    let mut parts = line.split(' ');
    if parts.next()? != DELIVERED {
        return None;
    }
    let key = parts.next()?;
    let at = DateTime::from_timestamp_micros(parts.next()?.parse().ok()?)?;
    parts.next().is_none().then(|| (key.to_owned(), at))
}

/// Passes each message's key and the instant it reached the adapter to the writer.
#[derive(Debug)]
struct Reporter(mpsc::UnboundedSender<(String, DateTime<Utc>)>);

#[async_trait]
impl Delivery for Reporter {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    async fn deliver(&self, _outbound: Outbound, key: &str) -> Result<(), DeliveryError> {
        let now = Utc::now();
        // The writer outlives the scheduler; should it be gone, the delivery did not happen.
        self.0.send((key.to_owned(), now)).map_err(|_| DeliveryError::Transient)
    }
}

async fn say(out: &mut Stdout, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes()).await?;
    out.flush().await
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let temp = tempfile::Builder::new().prefix("hearth-bench-").tempdir()?;
    let config = Config {
        data_dir: temp.path().to_owned(),
        database_url: Some(args.database_url),
        ..Config::default()
    };
    config.validate()?;
    let store = crate::bot::open_store(&config).await?;
    anyhow::ensure!(store.is_postgres(), "a follower shares a PostgreSQL database only");
    let bot = Arc::new(Bot::new(store, Prompts::load(None)?, Arc::new(SystemClock), config));
    let (sender, mut receiver) = mpsc::unbounded_channel();
    let scheduler = Arc::new(Scheduler::new(
        bot.clone(),
        Deliveries::default().with(Arc::new(Reporter(sender))),
    ));
    let mut out = tokio::io::stdout();
    say(&mut out, &format!("{READY}\n")).await?;

    let shutdown = CancellationToken::new();
    let running = tokio::spawn(scheduler.run(shutdown.clone()));
    // The first process closes stdin to stop this one (or it ended, and its end closed it).
    let stop = shutdown.clone();
    tokio::spawn(async move {
        let _ = tokio::io::copy(&mut tokio::io::stdin(), &mut tokio::io::sink()).await;
        stop.cancel();
    });
    // Deliveries as they happen, a few lines at a time, until the scheduler and its delivery
    // (the channel's only sender) are gone.
    let writing = async move {
        while let Some((key, at)) = receiver.recv().await {
            let mut lines = delivered_line(&key, at);
            while let Ok((key, at)) = receiver.try_recv() {
                lines += &delivered_line(&key, at);
            }
            out.write_all(lines.as_bytes()).await?;
            out.flush().await?;
        }
        Ok::<_, std::io::Error>(out)
    };
    let (written, ran) = tokio::join!(writing, running);
    ran?;
    let mut out = written?;
    bot.store().close().await;
    say(&mut out, &format!("{STOPPED}\n")).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_line_reads_back_as_it_was_written() {
        let at = DateTime::from_timestamp_micros(1_765_000_000_123_456).unwrap();
        let line = delivered_line("hearth-7-1765000000000", at);
        assert_eq!(line, "delivered hearth-7-1765000000000 1765000000123456\n");
        assert_eq!(parse_delivered(line.trim_end()), Some(("hearth-7-1765000000000".into(), at)));
        assert_eq!(parse_delivered(READY), None);
        assert_eq!(parse_delivered("delivered hearth-7-1 12 extra"), None);
        assert_eq!(parse_delivered("delivered hearth-7-1 soon"), None);
    }
}
