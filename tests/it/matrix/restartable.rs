//! hearth's Matrix adapter on the real core, for tests that stop it and start it again on the
//! same account, device, stores and database (a restart, a removal while it was away).

use super::{PASSWORD, Synapse, unique};
use hearth::config::Config;
use hearth_matrix::{Credential, Matrix, MatrixOptions, Outcome, RecoveryKey};
use matrix_sdk::ruma::OwnedUserId;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// hearth's Matrix adapter on the real core, stopped and started again on the same account,
/// device, stores and database.
pub(crate) struct Restartable {
    pub(crate) id: OwnedUserId,
    pub(crate) bot: Arc<hearth::Bot>,
    pub(crate) options: MatrixOptions,
    /// Handed to the adapter at every start (`HEARTH_MATRIX_RECOVERY_KEY`).
    pub(crate) recovery_key: Option<RecoveryKey>,
    /// The running adapter, to ask it about its identity.
    pub(crate) matrix: Option<Matrix>,
    /// How old a message may be and still be handled after a start (the default if `None`).
    window: Option<Duration>,
    running: Option<(CancellationToken, tokio::task::JoinHandle<()>)>,
    _data: tempfile::TempDir,
}

impl Restartable {
    pub(crate) async fn start(synapse: &Synapse, window: Option<Duration>) -> Restartable {
        let mut hearth = Self::new(synapse, window).await;
        hearth.run().await;
        hearth
    }

    /// A new account and database, with the adapter not started yet (`run` starts it).
    pub(crate) async fn start_bare(synapse: &Synapse) -> Restartable {
        Self::new(synapse, None).await
    }

    async fn new(synapse: &Synapse, window: Option<Duration>) -> Restartable {
        let filter = tracing_subscriber::EnvFilter::try_from_env("HEARTH_TEST_LOG")
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
        let data = tempfile::tempdir().unwrap();
        let name = unique("hearth");
        synapse.create_account(&name).await;
        let database_url = crate::harness::postgres_schema().await;
        let config =
            Config { data_dir: data.path().join("data"), database_url, ..Config::default() };
        let bot = Arc::new(
            hearth::bot::open(config, Arc::new(hearth::clock::SystemClock)).await.unwrap(),
        );
        let options = MatrixOptions {
            homeserver: synapse.url.clone(),
            user: name.clone(),
            credential: Credential::Password(PASSWORD.to_owned()),
            store_dir: data.path().join("matrix"),
            admin_power_level: 50,
            allowed_inviters: vec!["localhost".into()],
        };
        let id = format!("@{name}:localhost").try_into().unwrap();
        Restartable {
            id,
            bot,
            options,
            recovery_key: None,
            matrix: None,
            window,
            running: None,
            _data: data,
        }
    }

    /// Starts the adapter: a new one, which knows only what it kept in its stores. Returns
    /// what it found or did about its identity, and the recovery key it made, if it did.
    pub(crate) async fn run(&mut self) -> (Outcome, Option<RecoveryKey>) {
        let recovery_key = self.recovery_key.clone();
        let mut matrix =
            Matrix::connect_recovering(self.options.clone(), self.bot.clone(), recovery_key)
                .await
                .unwrap();
        let identity = (matrix.identity_outcome(), matrix.take_new_recovery_key());
        self.matrix = Some(matrix.clone());
        if let Some(window) = self.window {
            matrix = matrix.catch_up_within(window);
        }
        let stop = CancellationToken::new();
        let until = stop.clone();
        let task = tokio::spawn(async move { matrix.run(until).await });
        self.running = Some((stop, task));
        identity
    }

    /// Stops the adapter and waits until it has let go of its stores.
    pub(crate) async fn stop(&mut self) {
        if let Some((stop, task)) = self.running.take() {
            stop.cancel();
            task.await.unwrap();
        }
        self.matrix = None;
    }
}

impl Drop for Restartable {
    fn drop(&mut self) {
        if let Some((stop, _)) = &self.running {
            stop.cancel();
        }
    }
}
