//! Periodic housekeeping: forgetting finished days' weather salts, expired conversations and
//! data past its retention. Runs at start and then every few minutes until stopped.

use crate::bot::Bot;
use crate::store::Retention;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

const EVERY: Duration = Duration::from_secs(300);

#[derive(Debug)]
pub struct Housekeeping {
    stop: CancellationToken,
    task: JoinHandle<()>,
}

pub fn spawn(bot: Arc<Bot>) -> Housekeeping {
    let stop = CancellationToken::new();
    let token = stop.clone();
    let task = tokio::spawn(async move {
        let retention = Retention::from(&bot.config().retention);
        loop {
            if let Err(error) = bot.store().housekeeping(bot.now(), retention).await {
                tracing::error!(%error, "housekeeping failed");
            }
            tokio::select! {
                _ = token.cancelled() => break,
                _ = tokio::time::sleep(EVERY) => {}
            }
        }
    });
    Housekeeping { stop, task }
}

impl Housekeeping {
    /// Stops after any pass in progress has committed.
    pub async fn stop(self) {
        self.stop.cancel();
        if let Err(error) = self.task.await {
            tracing::error!(%error, "housekeeping task ended badly");
        }
    }
}
