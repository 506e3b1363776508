//! The scheduler: one loop that sleeps until the earliest next run (or until a schedule
//! changes, or shutdown), then `tick`s.
//!
//! `tick(now)` claims what is due in one transaction (see `store::schedules::claim_due`):
//! each occurrence gets a run row under the unique key (schedule, due instant), so it can
//! never fire twice, even if two ticks race. Internal work (housekeeping) is done inside that
//! transaction. Messages are delivered after the commit, through the platform's `Delivery`,
//! retried with backoff a bounded number of times, and their outcome is recorded: a message is
//! never dropped silently.
//!
//! A scheduler takes only the occurrences it can deliver: those of the platforms it has an
//! adapter for (and hearth's own upkeep). Of several processes on one database, one serves
//! Matrix at a time; the others leave Matrix teams' occurrences to it, and a process that
//! starts serving Matrix later (see `add_delivery`) takes them from then on.
//!
//! Downtime: an occurrence missed while hearth was down fires once if hearth is back within
//! its kind's grace period (`Payload::grace`), else it is recorded as skipped; either way the
//! schedule moves on to its next run after now. A delivery cut short by a crash is retried
//! at the next start if still within grace, so such an in-flight message may arrive twice
//! (the platform can deduplicate it by the occurrence's idempotency key); nothing else can.

use crate::bot::Bot;
use crate::error::Result;
use crate::features;
use crate::schedule::{Payload, Recurrence, When};
use crate::store::schedules::{self, Due, NewSchedule, RunStatus};
use crate::store::{self, Retention};
use chrono::{DateTime, Utc};
use hearth_chat::{Delivery, Outbound, Platform};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

mod delivery;
pub use delivery::{Deliveries, RetryPolicy};

/// Most occurrences claimed in one transaction.
pub const BATCH: usize = 500;
/// The longest the loop sleeps without looking again.
const MAX_SLEEP: Duration = Duration::from_secs(60);
/// How long shutdown waits for deliveries already under way.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// Several processes on one PostgreSQL: an occurrence whose claim was made or renewed this long
/// ago and is still not finished was left by a process that died, and another takes it over.
/// The process delivering it renews its claim three times as often (retries can take longer).
pub const CLAIM_LEASE: Duration = Duration::from_secs(30);
/// How often each of several processes looks for occurrences left that way.
const ABANDONED_EVERY: Duration = Duration::from_secs(5);
/// hearth's upkeep runs every ten minutes.
const HOUSEKEEPING: &str = "0 */10 * * * *";

#[derive(Debug)]
pub struct Scheduler {
    bot: Arc<Bot>,
    /// Grows while the scheduler runs, when this process starts serving a platform.
    deliveries: RwLock<Deliveries>,
    retry: RetryPolicy,
    /// [`CLAIM_LEASE`], shorter in tests.
    lease: Duration,
}

impl Scheduler {
    pub fn new(bot: Arc<Bot>, deliveries: Deliveries) -> Self {
        let retry = RetryPolicy::default();
        Self { bot, deliveries: RwLock::new(deliveries), retry, lease: CLAIM_LEASE }
    }

    /// A platform this process serves from now on (Matrix, once it holds the lease): its
    /// teams' occurrences are taken here from the next tick, which comes at once.
    pub fn add_delivery(&self, delivery: Arc<dyn Delivery>) {
        let mut deliveries = self.deliveries.write().unwrap_or_else(|p| p.into_inner());
        deliveries.0.insert(delivery.platform(), delivery);
        self.bot.schedules_changed().notify_one();
    }

    /// The platforms this process delivers to.
    fn served(&self) -> Vec<Platform> {
        self.deliveries.read().unwrap_or_else(|p| p.into_inner()).platforms()
    }

    fn delivery(&self, platform: Platform) -> Option<Arc<dyn Delivery>> {
        self.deliveries.read().unwrap_or_else(|p| p.into_inner()).0.get(&platform).cloned()
    }

    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// A claim lease other than [`CLAIM_LEASE`] (for tests).
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// Makes sure hearth's own upkeep is scheduled.
    pub async fn ensure_housekeeping(&self) -> Result<()> {
        let now = self.bot.now();
        self.bot
            .store()
            .run(move |tx| {
                if schedules::of_hearth(tx, Payload::Housekeeping.kind())?.is_empty() {
                    let new = NewSchedule {
                        team_id: None,
                        member_id: None,
                        payload: Payload::Housekeeping,
                        when: When::Repeat(Recurrence::Cron(HOUSEKEEPING.into())),
                        timezone: chrono_tz::Tz::UTC,
                    };
                    schedules::insert(tx, &new, now)?;
                }
                Ok(())
            })
            .await
    }

    /// Claims everything due at `now` (up to a batch), doing internal work and preparing each
    /// occurrence's messages in the same transaction. Returns what still needs delivering.
    pub async fn tick(&self, now: DateTime<Utc>) -> Result<Vec<Firing>> {
        let retention = Retention::from(&self.bot.config().retention);
        let core = self.bot.shared_core();
        let served = self.served();
        let firings = self
            .bot
            .store()
            .run(move |tx| -> Result<_> {
                let claimed = schedules::claim_due(tx, now, BATCH, &served)?;
                let mut firings = Vec::new();
                for due in claimed {
                    tracing::debug!(
                        schedule = due.key.schedule_id,
                        kind = due.payload.kind(),
                        status = due.status.as_str(),
                        "occurrence claimed"
                    );
                    if due.status == RunStatus::Done && due.payload == Payload::Housekeeping {
                        store::housekeeping(tx, now, retention)?;
                    }
                    if due.status == RunStatus::Claimed {
                        let messages = features::scheduled(&core, tx, &due, now)?;
                        firings.push(Firing { due, messages });
                    }
                }
                Ok(firings)
            })
            .await?;
        Ok(firings)
    }

    /// Occurrences a previous run of hearth claimed but did not finish delivering, with their
    /// messages prepared again: on SQLite (one process) every one left; on PostgreSQL, shared
    /// with other processes, those claimed longer than [`CLAIM_LEASE`] ago. Only of the
    /// platforms this process serves, and hearth's own.
    pub async fn recover(&self, now: DateTime<Utc>) -> Result<Vec<Firing>> {
        self.recover_of(now, self.served(), true).await
    }

    /// [`Scheduler::recover`] for the platforms in `served`, and hearth's own occurrences if
    /// `own`.
    async fn recover_of(
        &self,
        now: DateTime<Utc>,
        served: Vec<Platform>,
        own: bool,
    ) -> Result<Vec<Firing>> {
        let core = self.bot.shared_core();
        let claimed_before = if self.bot.store().is_postgres() {
            now - chrono::Duration::from_std(self.lease).unwrap_or_default()
        } else {
            now + chrono::Duration::milliseconds(1)
        };
        self.bot
            .store()
            .run(move |tx| {
                let mut firings = Vec::new();
                for due in schedules::unfinished(tx, now, claimed_before, &served, own)? {
                    let messages = features::scheduled(&core, tx, &due, now)?;
                    firings.push(Firing { due, messages });
                }
                Ok(firings)
            })
            .await
    }

    /// Runs until `shutdown`: recovers interrupted deliveries, then ticks whenever something
    /// is due or a schedule changes.
    pub async fn run(self: Arc<Self>, shutdown: CancellationToken) {
        let wake = self.bot.schedules_changed();
        let shared = self.bot.store().is_postgres();
        let mut deliveries = JoinSet::new();
        let mut looked_for_abandoned: Option<tokio::time::Instant> = None;
        // The platforms whose abandoned occurrences were looked for.
        let mut recovered: Vec<Platform> = Vec::new();
        loop {
            // At the start, and on a shared database now and then: what a stopped process
            // claimed and did not deliver. And for a platform this process has just begun to
            // serve, what was left of it (hearth's own occurrences aside: this process has
            // been taking those all along, and some may be under way).
            let served = self.served();
            let new: Vec<Platform> =
                served.iter().filter(|p| !recovered.contains(p)).copied().collect();
            let look = match looked_for_abandoned {
                None => Some((served.clone(), true)),
                Some(at) if shared && at.elapsed() >= ABANDONED_EVERY => {
                    Some((served.clone(), true))
                }
                Some(_) if !new.is_empty() => Some((new, false)),
                Some(_) => None,
            };
            if let Some((platforms, own)) = look {
                looked_for_abandoned = Some(tokio::time::Instant::now());
                recovered = served.clone();
                match self.recover_of(self.bot.now(), platforms, own).await {
                    Ok(again) => {
                        for due in again {
                            let scheduler = self.clone();
                            deliveries.spawn(async move { scheduler.deliver(due).await });
                        }
                    }
                    Err(error) => {
                        tracing::error!(%error, "could not recover interrupted deliveries")
                    }
                }
            }
            let mut full = false;
            match self.tick(self.bot.now()).await {
                Ok(due) => {
                    full = due.len() >= BATCH;
                    for firing in due {
                        let scheduler = self.clone();
                        deliveries.spawn(async move { scheduler.deliver(firing).await });
                    }
                }
                Err(error) => tracing::error!(%error, "tick failed"),
            }
            while deliveries.try_join_next().is_some() {}
            if full {
                continue;
            }
            let sleep = match self.bot.store().run(move |tx| schedules::earliest(tx, &served)).await
            {
                Ok(Some(next)) => {
                    (next - self.bot.now()).to_std().unwrap_or(Duration::ZERO).min(MAX_SLEEP)
                }
                Ok(None) => MAX_SLEEP,
                Err(error) => {
                    tracing::error!(%error, "could not read the next run");
                    MAX_SLEEP
                }
            };
            let sleep = if shared { sleep.min(ABANDONED_EVERY) } else { sleep };
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = wake.notified() => {}
                () = tokio::time::sleep(sleep) => {}
            }
        }
        // Deliveries under way get a moment to finish; any cut short stay claimed and are
        // delivered again at the next start (or, on a shared database, by another process once
        // their claim's lease has run out).
        let _ = tokio::time::timeout(SHUTDOWN_GRACE, async {
            while deliveries.join_next().await.is_some() {}
        })
        .await;
        deliveries.abort_all();
    }
}

/// A claimed occurrence and the messages it sends.
#[derive(Clone, Debug)]
pub struct Firing {
    pub due: Due,
    pub messages: Vec<Outbound>,
}
