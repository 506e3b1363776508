//! hearth's Matrix adapter on the real core, for tests that stop it and start it again on the
//! same account, device, stores and database (a restart, a removal while it was away).

use super::{PASSWORD, Synapse, unique};
use hearth::config::Config;
use hearth_matrix::{Credential, Matrix, MatrixOptions};
use matrix_sdk::ruma::OwnedUserId;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// hearth's Matrix adapter on the real core, stopped and started again on the same account,
/// device, stores and database.
pub(crate) struct Restartable {
    pub(crate) id: OwnedUserId,
    pub(crate) bot: Arc<hearth::Bot>,
    options: MatrixOptions,
    /// How old a message may be and still be handled after a start (the default if `None`).
    window: Option<Duration>,
    running: Option<(CancellationToken, tokio::task::JoinHandle<()>)>,
    _data: tempfile::TempDir,
}

impl Restartable {
    pub(crate) async fn start(synapse: &Synapse, window: Option<Duration>) -> Restartable {
        let filter = tracing_subscriber::EnvFilter::try_from_env("HEARTH_TEST_LOG")
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
        let _ = tracing_subscriber::fmt().with_env_filter(filter).with_test_writer().try_init();
        let data = tempfile::tempdir().unwrap();
        let name = unique("hearth");
        synapse.create_account(&name).await;
        let config = Config { data_dir: data.path().join("data"), ..Config::default() };
        let bot =
            Arc::new(hearth::bot::open(config, Arc::new(hearth::clock::SystemClock)).unwrap());
        let options = MatrixOptions {
            homeserver: synapse.url.clone(),
            user: name.clone(),
            credential: Credential::Password(PASSWORD.to_owned()),
            store_dir: data.path().join("matrix"),
            admin_power_level: 50,
            allowed_inviters: vec!["localhost".into()],
        };
        let id = format!("@{name}:localhost").try_into().unwrap();
        let mut hearth = Restartable { id, bot, options, window, running: None, _data: data };
        hearth.run().await;
        hearth
    }

    /// Starts the adapter: a new one, which knows only what it kept in its stores.
    pub(crate) async fn run(&mut self) {
        let mut matrix = Matrix::connect(self.options.clone(), self.bot.clone()).await.unwrap();
        if let Some(window) = self.window {
            matrix = matrix.catch_up_within(window);
        }
        let stop = CancellationToken::new();
        let until = stop.clone();
        let task = tokio::spawn(async move { matrix.run(until).await });
        self.running = Some((stop, task));
    }

    /// Stops the adapter and waits until it has let go of its stores.
    pub(crate) async fn stop(&mut self) {
        if let Some((stop, task)) = self.running.take() {
            stop.cancel();
            task.await.unwrap();
        }
    }
}

impl Drop for Restartable {
    fn drop(&mut self) {
        if let Some((stop, _)) = &self.running {
            stop.cancel();
        }
    }
}
