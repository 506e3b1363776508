//! Readiness, for an operator's supervisor (systemd, a container runtime, a load balancer):
//! what this process serves — its adapters, its Discord shards, whether it is the one serving
//! Matrix — and whether its database answers. Shown as one line in the log at start, and,
//! when `[health] listen` is set, at `GET /healthz` on that address: `200` with a small JSON
//! body when the database answers, `503` when it does not. Says nothing about any team or
//! person.

use crate::bot::Bot;
use crate::store::Store;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// The longest the database may take to answer before the process counts as not ready.
const DATABASE_TIMEOUT: Duration = Duration::from_secs(2);

/// What each adapter of this process is doing, by adapter name ("serving", "shards 0-1 of 4",
/// "standby: another process serves Matrix").
#[derive(Clone, Debug, Default)]
pub struct Health {
    adapters: Arc<Mutex<BTreeMap<&'static str, String>>>,
}

/// What `/healthz` answers.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Report {
    pub ready: bool,
    /// `sqlite` or `postgres`, and whether it answered.
    pub database: String,
    pub adapters: BTreeMap<&'static str, String>,
}

impl Health {
    pub fn set(&self, adapter: &'static str, state: impl Into<String>) {
        self.adapters.lock().unwrap_or_else(|p| p.into_inner()).insert(adapter, state.into());
    }

    /// The state of every adapter now, and whether the database answers.
    pub async fn report(&self, store: &Store) -> Report {
        let kind = if store.is_postgres() { "postgres" } else { "sqlite" };
        let answered = tokio::time::timeout(DATABASE_TIMEOUT, store.ping()).await;
        let ready = matches!(answered, Ok(Ok(())));
        let adapters = self.adapters.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let database = format!("{kind} {}", if ready { "answers" } else { "does not answer" });
        Report { ready, database, adapters }
    }

    /// The report as one log line's fields.
    pub async fn log_ready(&self, store: &Store) {
        let report = self.report(store).await;
        let adapters: Vec<String> =
            report.adapters.iter().map(|(name, state)| format!("{name}: {state}")).collect();
        tracing::info!(
            ready = report.ready,
            database = report.database,
            adapters = adapters.join("; "),
            "health"
        );
    }

    /// Answers `GET /healthz` on `listener` until `shutdown`.
    pub async fn serve(self, listener: TcpListener, bot: Arc<Bot>, shutdown: CancellationToken) {
        loop {
            let (mut socket, _) = tokio::select! {
                () = shutdown.cancelled() => return,
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        tracing::warn!(%error, "health: could not accept a connection");
                        continue;
                    }
                },
            };
            let (health, bot) = (self.clone(), bot.clone());
            tokio::spawn(async move {
                let mut request = [0_u8; 1024];
                let read = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut request));
                let Ok(Ok(n)) = read.await else { return };
                let response = health.respond(&request[..n], bot.store()).await;
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    }

    /// The HTTP response to a request's first bytes.
    async fn respond(&self, request: &[u8], store: &Store) -> String {
        let line = request.split(|&b| b == b'\r' || b == b'\n').next().unwrap_or_default();
        let mut words = line.split(|&b| b == b' ');
        let (method, path) = (words.next(), words.next());
        if method != Some(b"GET".as_slice()) || path != Some(b"/healthz".as_slice()) {
            return http("404 Not Found", "{\"error\":\"only GET /healthz is served here\"}\n");
        }
        let report = self.report(store).await;
        let status = if report.ready { "200 OK" } else { "503 Service Unavailable" };
        let body = serde_json::to_string(&report).unwrap_or_default() + "\n";
        http(status, &body)
    }
}

fn http(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         cache-control: no-store\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(addr: std::net::SocketAddr, request: &str) -> String {
        let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
        socket.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        socket.read_to_string(&mut response).await.unwrap();
        response
    }

    #[tokio::test]
    async fn healthz_says_what_the_process_serves_and_whether_its_database_answers() {
        let dir = tempfile::tempdir().unwrap();
        let config =
            crate::config::Config { data_dir: dir.path().to_owned(), ..Default::default() };
        let clock = Arc::new(crate::clock::SystemClock);
        let bot = Arc::new(crate::bot::open(config, clock).await.unwrap());
        let health = Health::default();
        health.set("console", "serving");
        health.set("discord", "shards 0-1 of 4");
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = CancellationToken::new();
        let served = tokio::spawn(health.clone().serve(listener, bot.clone(), shutdown.clone()));

        let ok = get(addr, "GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n").await;
        assert!(ok.starts_with("HTTP/1.1 200 OK\r\n"), "{ok}");
        let body = ok.split("\r\n\r\n").nth(1).unwrap();
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["ready"], true);
        assert_eq!(json["database"], "sqlite answers");
        assert_eq!(json["adapters"]["discord"], "shards 0-1 of 4");

        let other = get(addr, "GET /metrics HTTP/1.1\r\n\r\n").await;
        assert!(other.starts_with("HTTP/1.1 404"), "{other}");

        bot.store().close().await;
        let down = get(addr, "GET /healthz HTTP/1.1\r\n\r\n").await;
        assert!(down.starts_with("HTTP/1.1 503"), "{down}");
        assert!(down.contains("sqlite does not answer"), "{down}");
        shutdown.cancel();
        served.await.unwrap();
    }
}
