//! Delivering what the scheduler claimed: through the platform's adapter, retried with
//! backoff when the error may pass, with the claim renewed meanwhile so that no other process
//! takes the occurrence over, and the outcome recorded.

use super::{Firing, Scheduler};
use crate::store::schedules::{self, RunKey, RunStatus};
use hearth_chat::{Delivery, DeliveryError, Outbound, Platform};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// The adapters that deliver scheduled messages, by platform.
#[derive(Clone, Default)]
pub struct Deliveries(pub(super) HashMap<Platform, Arc<dyn Delivery>>);

impl std::fmt::Debug for Deliveries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Deliveries {
    pub fn with(mut self, delivery: Arc<dyn Delivery>) -> Self {
        self.0.insert(delivery.platform(), delivery);
        self
    }

    pub(super) fn platforms(&self) -> Vec<Platform> {
        self.0.keys().copied().collect()
    }
}

/// Bounded retries for deliveries that may work later.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    pub attempts: u32,
    pub first_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { attempts: 4, first_backoff: Duration::from_secs(2) }
    }
}

impl Scheduler {
    /// Delivers one occurrence's messages, retrying what may work later, and records the
    /// outcome: delivered only if every message arrived.
    pub async fn deliver(&self, firing: Firing) -> RunStatus {
        let Firing { due, messages } = firing;
        let key = due.key.idempotency_key();
        let platform = due.team.as_ref().map(|t| t.team.platform);
        let sending = async {
            let mut attempts = 0;
            let mut outcome = Ok(());
            for (i, outbound) in messages.into_iter().enumerate() {
                // Each message of an occurrence has its own stable key.
                let key = if i == 0 { key.clone() } else { format!("{key}-{i}") };
                let (tries, result) = self.deliver_one(platform, outbound, &key).await;
                attempts += tries;
                if let Err(error) = result {
                    tracing::warn!(
                        schedule = due.key.schedule_id,
                        kind = due.payload.kind(),
                        error = error.kind(),
                        attempts = tries,
                        "delivery failed"
                    );
                    outcome = Err(error);
                }
            }
            (attempts, outcome)
        };
        let (attempts, outcome) = tokio::select! {
            biased;
            sent = sending => sent,
            never = self.hold(due.key) => match never {},
        };
        let (status, error) = match &outcome {
            // An occurrence with nothing to say (a nudge that was not due) did its work.
            Ok(()) if attempts == 0 => (RunStatus::Done, None),
            Ok(()) => (RunStatus::Delivered, None),
            Err(error) => (RunStatus::Failed, Some(error.kind())),
        };
        let now = self.bot.now();
        let recorded = self
            .bot
            .store()
            .run(move |tx| schedules::finish(tx, due.key, status, attempts, error, now))
            .await;
        if let Err(error) = recorded {
            tracing::error!(%error, "could not record a delivery");
        }
        status
    }

    /// Renews the claim on an occurrence while it is being delivered, so that no other process
    /// takes it over as abandoned however long its retries take. Never ends.
    async fn hold(&self, key: RunKey) -> std::convert::Infallible {
        let every = (self.lease / 3).max(Duration::from_millis(10));
        let mut renewals = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        loop {
            renewals.tick().await;
            let now = self.bot.now();
            match self.bot.store().run(move |tx| schedules::renew(tx, key, now)).await {
                Ok(true) => {}
                Ok(false) => break,
                Err(error) => tracing::warn!(%error, "could not renew a claim"),
            }
        }
        std::future::pending().await
    }

    async fn deliver_one(
        &self,
        platform: Option<Platform>,
        outbound: Outbound,
        key: &str,
    ) -> (u32, std::result::Result<(), DeliveryError>) {
        let mut attempts = 0;
        let mut backoff = self.retry.first_backoff;
        loop {
            attempts += 1;
            let result = match platform.and_then(|p| self.delivery(p)) {
                Some(delivery) => delivery.deliver(outbound.clone(), key).await,
                None => Err(DeliveryError::NoAdapter),
            };
            match result {
                Ok(()) => return (attempts, Ok(())),
                Err(error) if error.is_retryable() && attempts < self.retry.attempts => {
                    let wait = match error {
                        DeliveryError::RateLimited { retry_after } => retry_after.max(backoff),
                        _ => backoff,
                    };
                    tokio::time::sleep(wait).await;
                    backoff = backoff.saturating_mul(4);
                }
                Err(error) => return (attempts, Err(error)),
            }
        }
    }
}
