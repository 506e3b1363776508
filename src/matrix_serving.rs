//! Serving Matrix from exactly one of the hearth processes that share a database: one
//! account syncs in one place only, so the process holding the `matrix` lease serves it
//! (see `store::Lease`), and the others wait their turn, serving everything else meanwhile.
//!
//! The successor uses the same device and keys: they are in `<data_dir>/matrix/`, which the
//! processes share (a volume they all mount) and only the lease holder opens.

use crate::matrix_identity;
use anyhow::Context;
use hearth::Bot;
use hearth::health::Health;
use hearth::scheduler::Scheduler;
use hearth_matrix::{Matrix, MatrixOptions, RecoveryKey};
use std::sync::Arc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// The lease's name: the same in every hearth on one database.
const LEASE: &str = "matrix";

/// Starts serving Matrix, when configured, as a task pushed to `tasks`. The future returned
/// resolves, with why, if that ends before `shutdown` (it failed or lost the lease: hearth
/// then stops), and never otherwise.
pub fn start(
    options: Option<MatrixOptions>,
    bot: &Arc<Bot>,
    scheduler: Arc<Scheduler>,
    health: &Health,
    shutdown: &CancellationToken,
    tasks: &mut Vec<JoinHandle<()>>,
) -> anyhow::Result<impl Future<Output = anyhow::Error> + use<>> {
    let (failed, ended) = tokio::sync::oneshot::channel();
    if let Some(options) = options {
        let recovery_key = matrix_identity::recovery_key()?;
        health.set("matrix", "waiting for the lease");
        let (bot, health) = (bot.clone(), health.clone());
        let serving = serve(options, recovery_key, bot, scheduler, health, shutdown.clone());
        tasks.push(tokio::spawn(async move {
            if let Err(error) = serving.await {
                let _ = failed.send(error);
            }
        }));
    }
    Ok(async {
        match ended.await {
            Ok(error) => error,
            Err(_) => std::future::pending().await,
        }
    })
}

/// Waits for the lease, then connects and serves Matrix until `shutdown`. Returns an error if
/// connecting fails, or if the lease is lost: another process may be serving Matrix by then,
/// so this one stops it at once (the caller ends the process; see the README).
async fn serve(
    options: MatrixOptions,
    recovery_key: Option<RecoveryKey>,
    bot: Arc<Bot>,
    scheduler: Arc<Scheduler>,
    health: Health,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let user = options.user.clone();
    let waiting = || {
        tracing::info!(user = %user, "waiting to serve Matrix: another hearth process does");
        health.set("matrix", "standby: another process serves Matrix");
    };
    let lease = tokio::select! {
        lease = bot.store().lead(LEASE, waiting) => lease,
        () = shutdown.cancelled() => return Ok(()),
    };
    tracing::info!(user = %user, "serving Matrix");
    let connected = tokio::select! {
        connected = Matrix::connect_recovering(options, bot.clone(), recovery_key) => connected,
        () = lease.lost() => return Err(lost()),
        () = shutdown.cancelled() => return Ok(()),
    };
    let matrix = connected.context("connecting to Matrix")?;
    if let Some(key) = matrix.take_new_recovery_key() {
        matrix_identity::show_new_recovery_key(&bot.config().data_dir, &user, &key)?;
    }
    scheduler.add_delivery(matrix.delivery());
    health.set("matrix", "serving");
    let stop = shutdown.child_token();
    let until = stop.clone();
    let running = tokio::spawn(async move { matrix.run(until).await });
    let lost_it = tokio::select! {
        () = lease.lost() => true,
        () = shutdown.cancelled() => false,
    };
    stop.cancel();
    running.await.context("the Matrix adapter ended badly")?;
    if lost_it { Err(lost()) } else { Ok(()) }
}

fn lost() -> anyhow::Error {
    anyhow::anyhow!(
        "lost the lease that lets this process serve Matrix (its database connection failed): \
         stopping, so that only one process serves Matrix; started again, hearth waits its turn"
    )
}
