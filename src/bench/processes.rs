//! The first process's side of `hearth bench scheduler --processes N`: it starts N-1 followers
//! of itself (`hearth bench scheduler-follower`, see `follower.rs`) on the same PostgreSQL,
//! waits until they are ready, follows what they deliver, and stops them. A follower that
//! ends early or does not stop is reported, never waited for without end.

use super::follower::{READY, STOPPED, parse_delivered};
use chrono::{DateTime, Utc};
use std::io::BufRead;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What a follower said on stdout so far.
#[derive(Debug, Default)]
struct Heard {
    ready: bool,
    stopped: bool,
    /// Its stdout closed: it ended (or is ending).
    closed: bool,
    deliveries: Vec<(String, DateTime<Utc>)>,
    /// Lines outside the protocol.
    stray: usize,
}

#[derive(Debug)]
struct Follower {
    child: Child,
    heard: Arc<Mutex<Heard>>,
    reader: Option<JoinHandle<()>>,
}

impl Follower {
    fn heard(&self) -> MutexGuard<'_, Heard> {
        self.heard.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The followers, running. Dropped, it kills any still running.
#[derive(Debug)]
pub struct Followers(Vec<Follower>);

/// One follower at the end: what it delivered and, if it did not stop as asked, how it ended.
#[derive(Debug)]
pub struct Outcome {
    pub deliveries: Vec<(String, DateTime<Utc>)>,
    pub trouble: Option<String>,
}

impl Followers {
    /// Starts `count` followers of this very binary on `database_url`. The password, if any,
    /// reaches them through the environment they inherit, never on a command line.
    pub fn start(count: usize, database_url: &str) -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let mut followers = Followers(Vec::with_capacity(count));
        for _ in 0..count {
            let mut child = Command::new(&exe)
                .args(["bench", "scheduler-follower", "--database-url", database_url])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()?;
            let stdout = child.stdout.take().ok_or_else(|| anyhow::anyhow!("no stdout"))?;
            let heard = Arc::new(Mutex::new(Heard::default()));
            let reader = {
                let heard = heard.clone();
                std::thread::spawn(move || listen(stdout, &heard))
            };
            followers.0.push(Follower { child, heard, reader: Some(reader) });
        }
        Ok(followers)
    }

    /// Waits until every follower is ready, for at most `within`.
    pub async fn ready(&mut self, within: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + within;
        loop {
            for (n, follower) in self.0.iter_mut().enumerate() {
                let closed = follower.heard().closed;
                if closed && !follower.heard().ready {
                    let status = follower.child.wait()?;
                    anyhow::bail!("follower {} ended before it was ready ({status})", n + 1);
                }
            }
            if self.0.iter().all(|f| f.heard().ready) {
                return Ok(());
            }
            if Instant::now() > deadline {
                anyhow::bail!("the followers were not ready within {} s", within.as_secs());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Every follower's deliveries so far.
    pub fn deliveries(&self) -> Vec<Vec<(String, DateTime<Utc>)>> {
        self.0.iter().map(|f| f.heard().deliveries.clone()).collect()
    }

    /// Asks every follower to stop (closes its stdin), waits up to `grace` for them to end,
    /// kills any still running, and returns what each delivered and how it ended.
    pub async fn stop(mut self, grace: Duration) -> Vec<Outcome> {
        for follower in &mut self.0 {
            drop(follower.child.stdin.take());
        }
        let deadline = Instant::now() + grace;
        let mut statuses: Vec<Option<ExitStatus>> = vec![None; self.0.len()];
        while Instant::now() < deadline {
            for (status, follower) in statuses.iter_mut().zip(&mut self.0) {
                if status.is_none() {
                    *status = follower.child.try_wait().ok().flatten();
                }
            }
            if statuses.iter().all(Option::is_some) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut outcomes = Vec::with_capacity(self.0.len());
        for (status, follower) in statuses.into_iter().zip(&mut self.0) {
            let trouble = match status {
                None => {
                    let _ = follower.child.kill();
                    let _ = follower.child.wait();
                    Some(format!("did not stop within {} s: killed", grace.as_secs()))
                }
                Some(status) if !status.success() => Some(format!("ended: {status}")),
                Some(_) if !follower.heard().stopped => Some("ended without saying so".into()),
                Some(_) => None,
            };
            // Its stdout is closed now that it ended: the reader has read everything.
            if let Some(reader) = follower.reader.take() {
                let _ = reader.join();
            }
            let heard = follower.heard();
            let trouble = match (trouble, heard.stray) {
                (None, 0) => None,
                (trouble, 0) => trouble,
                (trouble, stray) => Some(format!(
                    "{}{stray} lines outside the protocol",
                    trouble.map(|t| t + "; ").unwrap_or_default()
                )),
            };
            outcomes.push(Outcome { deliveries: heard.deliveries.clone(), trouble });
        }
        outcomes
    }
}

impl Drop for Followers {
    fn drop(&mut self) {
        for follower in &mut self.0 {
            if follower.child.try_wait().ok().flatten().is_none() {
                let _ = follower.child.kill();
                let _ = follower.child.wait();
            }
        }
    }
}

/// Reads a follower's stdout to its end, noting what it says.
fn listen(stdout: std::process::ChildStdout, heard: &Mutex<Heard>) {
    for line in std::io::BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        let mut heard = heard.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(delivery) = parse_delivered(&line) {
            heard.deliveries.push(delivery);
        } else if line == READY {
            heard.ready = true;
        } else if line == STOPPED {
            heard.stopped = true;
        } else {
            heard.stray += 1;
        }
    }
    heard.lock().unwrap_or_else(|p| p.into_inner()).closed = true;
}
