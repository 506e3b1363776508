//! How hearth signs in to its homeserver: a password once (the session is then kept, readable
//! only by hearth's user) or an access token checked at every start and never written down.

use crate::MatrixError;
use matrix_sdk::Client;
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::ruma::OwnedUserId;

/// How hearth proves who it is. Handed in by the binary from the environment or a file.
#[derive(Clone)]
pub enum Credential {
    /// Log in once with a password; the session (with its access token) is then saved,
    /// readable only by hearth's user, so restarts keep the same device and keys.
    Password(String),
    /// An access token for an existing device (made by the operator, for example with
    /// another client). hearth asks the homeserver which user and device it belongs to at
    /// every start and never writes the token down.
    AccessToken(String),
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Credential::Password(_) => "Password([REDACTED])",
            Credential::AccessToken(_) => "AccessToken([REDACTED])",
        })
    }
}

/// Restores the session saved at the first password login, or logs in and saves it.
pub async fn with_password(
    client: &Client,
    user: &str,
    password: &str,
    store_dir: &std::path::Path,
) -> Result<(), MatrixError> {
    let session_file = store_dir.join(SESSION_FILE);
    if let Some(session) =
        saved_session(store_dir).map_err(|e| MatrixError::Session(e.to_string()))?
    {
        client.restore_session(session).await?;
        return Ok(());
    }
    client
        .matrix_auth()
        .login_username(user, password)
        .initial_device_display_name("hearth")
        .await?;
    let session = client
        .matrix_auth()
        .session()
        .ok_or_else(|| MatrixError::Session("no session after login".into()))?;
    let text = serde_json::to_string(&session).map_err(|e| MatrixError::Session(e.to_string()))?;
    write_private(&session_file, &text).map_err(|e| MatrixError::Session(e.to_string()))
}

/// The session saved at the first password login, if there is one.
pub(crate) fn saved_session(
    store_dir: &std::path::Path,
) -> Result<Option<MatrixSession>, serde_json::Error> {
    let Ok(saved) = std::fs::read_to_string(store_dir.join(SESSION_FILE)) else { return Ok(None) };
    serde_json::from_str(&saved).map(Some)
}

const SESSION_FILE: &str = "matrix-session.json";

/// The session an access token stands for, asked of the homeserver (`whoami`). A token
/// without a device cannot hold encryption keys, so it is refused.
pub async fn session_of_token(homeserver: &str, token: &str) -> Result<MatrixSession, MatrixError> {
    use matrix_sdk::authentication::SessionTokens;
    let failed = |what: &str| MatrixError::Session(format!("checking the access token: {what}"));
    let url = format!("{}/_matrix/client/v3/account/whoami", homeserver.trim_end_matches('/'));
    let response = matrix_sdk::reqwest::Client::new()
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .map_err(|_| failed("the homeserver did not answer"))?;
    if !response.status().is_success() {
        return Err(failed(&format!("the homeserver said {}", response.status())));
    }
    let body = response.bytes().await.map_err(|_| failed("the answer was cut off"))?;
    #[derive(serde::Deserialize)]
    struct Body {
        user_id: OwnedUserId,
        device_id: Option<matrix_sdk::ruma::OwnedDeviceId>,
    }
    let Body { user_id, device_id } =
        serde_json::from_slice(&body).map_err(|_| failed("the answer was not understood"))?;
    let device_id = device_id.ok_or_else(|| failed("it belongs to no device"))?;
    Ok(MatrixSession {
        meta: matrix_sdk::SessionMeta { user_id, device_id },
        tokens: SessionTokens { access_token: token.to_owned(), refresh_token: None },
    })
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}
