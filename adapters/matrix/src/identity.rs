//! hearth's cross-signed identity on Matrix: at every start its device is made (or found)
//! signed by its account's cross-signing identity, with secret storage and key backup behind
//! a recovery key, so clients that exclude insecure devices (MSC4153) still talk to it and the
//! identity outlives the data directory. `whoami` reports it for manual verification.
//!
//! Logs here name users, devices and states only: never a key, a recovery key or a password.

use crate::Credential;
use matrix_sdk::Client;
use matrix_sdk::encryption::recovery::{RecoveryError, RecoveryState};
use matrix_sdk::encryption::{CryptoStoreError, identities::ManualVerifyError};
use matrix_sdk::ruma::api::client::uiaa::{
    AuthData, MatrixUserIdentifier, Password, UserIdentifier,
};
use matrix_sdk::ruma::{OwnedDeviceId, OwnedUserId};

/// A recovery key (matrix-sdk's secret storage key): whoever holds it can take over hearth's
/// cross-signing identity. It has no `Display`, and its `Debug` hides it.
#[derive(Clone)]
pub struct RecoveryKey(String);

impl RecoveryKey {
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the one place that shows it to the operator. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey([REDACTED])")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("{0}")]
    Sdk(#[from] matrix_sdk::Error),
    #[error("the encryption store: {0}")]
    Store(#[from] CryptoStoreError),
    #[error("signing hearth's own device: {0}")]
    Sign(#[from] ManualVerifyError),
    #[error("setting up recovery: {0}")]
    Recovery(RecoveryError),
    #[error(
        "the recovery key (HEARTH_MATRIX_RECOVERY_KEY) did not open hearth's secret storage: \
         {0}; check that it is the key hearth showed for this account"
    )]
    WrongRecoveryKey(RecoveryError),
    #[error("encryption is not ready (no session)")]
    NotReady,
}

/// What a start found or did about hearth's identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The device was already signed by the identity.
    AlreadySigned,
    /// A new identity was made and the device signed; a new recovery key goes with it.
    Created,
    /// The identity was recovered from secret storage with the recovery key, and this
    /// device signed by it.
    Recovered,
    /// The identity's keys were here; the device was signed now.
    SignedNow,
    /// The device is not signed by the account's identity (why is in the log).
    Unsigned,
}

/// At start, after login: make sure this device is signed by the account's cross-signing
/// identity. Creates the identity (and recovery, returning the new recovery key) when the
/// account has none; recovers it with `recovery_key` when its keys are not here (a lost data
/// directory, a fresh access token); signs the device with keys it holds. When none of that
/// is possible it says so in the log and goes on: hearth still works with clients that do
/// not exclude insecure devices.
pub(crate) async fn establish(
    client: &Client,
    credential: &Credential,
    recovery_key: Option<&RecoveryKey>,
) -> Result<(Outcome, Option<RecoveryKey>), IdentityError> {
    let encryption = client.encryption();
    encryption.wait_for_e2ee_initialization_tasks().await;
    let user = client.user_id().ok_or(IdentityError::NotReady)?.to_owned();
    let have_keys = encryption.cross_signing_status().await.is_some_and(|s| s.has_self_signing);
    let mut new_key = None;
    let outcome = if have_keys {
        if own_device_signed(client).await? {
            Outcome::AlreadySigned
        } else {
            // Refused when the keys here are no longer the identity's (a reset from another
            // client): the check below says so, or recovers with the recovery key.
            let device = encryption.get_own_device().await?.ok_or(IdentityError::NotReady)?;
            if let Err(error) = device.verify().await {
                tracing::info!(user = %user, error = %error, "could not sign hearth's device");
            }
            Outcome::SignedNow
        }
    } else {
        // Asks the homeserver: is there an identity for this account already?
        let existing = encryption.request_user_identity(&user).await?;
        match (existing, recovery_key) {
            (Some(_), Some(key)) => {
                recover(client, key).await?;
                Outcome::Recovered
            }
            (Some(_), None) => {
                tracing::warn!(
                    user = %user,
                    "hearth's account has a cross-signing identity whose keys are not here \
                     (a new data directory or an access token of a new device): this device \
                     stays unsigned, so people whose clients exclude insecure devices (as \
                     current Element does) cannot read hearth or be read by it in encrypted \
                     rooms. Set HEARTH_MATRIX_RECOVERY_KEY (or HEARTH_MATRIX_RECOVERY_KEY_FILE) \
                     to the recovery key hearth showed when it first started"
                );
                Outcome::Unsigned
            }
            (None, given) => {
                if given.is_some() {
                    tracing::warn!(
                        user = %user,
                        "a recovery key is set, but hearth's account has no cross-signing \
                         identity to recover; making a new one"
                    );
                }
                if !bootstrap(client, &user, credential).await? {
                    return Ok((Outcome::Unsigned, None));
                }
                new_key = Some(enable_recovery(client).await?);
                tracing::info!(user = %user, "made a cross-signing identity for hearth");
                Outcome::Created
            }
        }
    };
    // Keys hearth held may be for an identity replaced since (reset from another client):
    // the recovery key, if set, may be the new identity's.
    let mut outcome = outcome;
    if outcome != Outcome::Unsigned && !own_device_signed(client).await? {
        if let Some(key) = recovery_key.filter(|_| outcome != Outcome::Recovered) {
            recover(client, key).await?;
            outcome = Outcome::Recovered;
        }
        if !own_device_signed(client).await? {
            tracing::warn!(
                user = %user,
                "hearth's device is not signed by its account's current cross-signing \
                 identity (was the identity reset from another client?): people whose clients \
                 exclude insecure devices cannot talk with it in encrypted rooms. Set \
                 HEARTH_MATRIX_RECOVERY_KEY to the current identity's recovery key"
            );
            return Ok((Outcome::Unsigned, new_key));
        }
    }
    if new_key.is_none() && outcome != Outcome::Unsigned {
        // An identity without recovery (made by an older hearth): set recovery up now.
        // Not being able to is no reason to stop serving: the device is signed.
        if encryption.recovery().state() == RecoveryState::Disabled {
            match enable_recovery(client).await {
                Ok(key) => new_key = Some(key),
                Err(error) => tracing::warn!(
                    user = %user, error = %error,
                    "could not set up recovery for hearth's identity; if the data directory \
                     is lost, the identity is lost with it"
                ),
            }
        }
    }
    if outcome != Outcome::Unsigned
        && let Some(device) = client.device_id()
    {
        tracing::info!(
            user = %user, device = %device, outcome = ?outcome,
            "hearth's device is signed by its cross-signing identity"
        );
    }
    Ok((outcome, new_key))
}

/// Takes the identity's keys from secret storage with the recovery key, and signs this
/// device with them.
async fn recover(client: &Client, key: &RecoveryKey) -> Result<(), IdentityError> {
    let recovery = client.encryption().recovery();
    recovery.recover(key.expose()).await.map_err(|error| match error {
        RecoveryError::SecretStorage(_) => IdentityError::WrongRecoveryKey(error),
        other => IdentityError::Recovery(other),
    })?;
    tracing::info!(user = ?client.user_id(), "recovered hearth's cross-signing identity");
    if !own_device_signed(client).await? {
        sign_new_device(client).await?;
    }
    Ok(())
}

/// Makes and uploads a cross-signing identity, answering the homeserver's user-interactive
/// auth with the password when it asks. False (with the reason in the log) when it cannot.
async fn bootstrap(
    client: &Client,
    user: &OwnedUserId,
    credential: &Credential,
) -> Result<bool, IdentityError> {
    let encryption = client.encryption();
    let Err(error) = encryption.bootstrap_cross_signing(None).await else { return Ok(true) };
    let Some(uiaa) = error.as_uiaa_response() else { return Err(error.into()) };
    let Credential::Password(password) = credential else {
        tracing::warn!(
            user = %user,
            "the homeserver wants a password to make hearth's cross-signing identity, and \
             hearth has only an access token: its device stays unsigned, so people whose \
             clients exclude insecure devices cannot talk with it in encrypted rooms. Set up \
             cross-signing for the account with another client (keeping its recovery key) \
             and give hearth that key in HEARTH_MATRIX_RECOVERY_KEY"
        );
        return Ok(false);
    };
    let identifier = UserIdentifier::Matrix(MatrixUserIdentifier::new(user.to_string()));
    let mut auth = Password::new(identifier, password.clone());
    auth.session = uiaa.session.clone();
    encryption.bootstrap_cross_signing(Some(AuthData::Password(auth))).await?;
    Ok(true)
}

/// Signs a device whose keys the homeserver may not have yet (a new login has not synced),
/// since a signature of keys it does not have is dropped. Uploading the recovered identity
/// again sends the device's keys first; the identity's own upload after them may be refused
/// for want of a password, which does not matter (the homeserver has that identity already),
/// and then the device is signed.
async fn sign_new_device(client: &Client) -> Result<(), IdentityError> {
    let encryption = client.encryption();
    if let Err(error) = encryption.bootstrap_cross_signing(None).await
        && error.as_uiaa_response().is_none()
    {
        return Err(error.into());
    }
    let device = encryption.get_own_device().await?.ok_or(IdentityError::NotReady)?;
    device.verify().await?;
    Ok(())
}

/// Secret storage and key backup, behind a new recovery key.
async fn enable_recovery(client: &Client) -> Result<RecoveryKey, IdentityError> {
    let key = client.encryption().recovery().enable().await.map_err(IdentityError::Recovery)?;
    Ok(RecoveryKey(key))
}

/// Whether this device, as the homeserver now has it, is signed by its owner's identity.
async fn own_device_signed(client: &Client) -> Result<bool, IdentityError> {
    let encryption = client.encryption();
    let user = client.user_id().ok_or(IdentityError::NotReady)?;
    // Fresh keys from the homeserver: a signature uploaded a moment ago, or an identity
    // replaced from another client, shows only after a query.
    encryption.request_user_identity(user).await?;
    let device = encryption.get_own_device().await?.ok_or(IdentityError::NotReady)?;
    Ok(device.is_cross_signed_by_owner())
}

/// hearth's identity as a person verifying it would compare it.
#[derive(Clone, Debug)]
pub struct Identity {
    pub user: OwnedUserId,
    pub device: OwnedDeviceId,
    /// The device's Ed25519 key (what clients show as the session key), base64.
    pub device_key: Option<String>,
    /// The cross-signing master key, base64, if the account has an identity.
    pub master_key: Option<String>,
    /// Whether the device is signed by its owner's identity.
    pub signed: bool,
    /// Whether secret storage holds the identity's keys and the key backup's (recovery).
    pub recovery: bool,
}

/// Reads the identity of the session `client` has restored (asking the homeserver for the
/// account's current keys); changes nothing.
pub(crate) async fn read(client: &Client) -> Result<Identity, IdentityError> {
    let encryption = client.encryption();
    encryption.wait_for_e2ee_initialization_tasks().await;
    let user = client.user_id().ok_or(IdentityError::NotReady)?.to_owned();
    let identity = encryption.request_user_identity(&user).await?;
    let device = encryption.get_own_device().await?.ok_or(IdentityError::NotReady)?;
    Ok(Identity {
        user,
        device: device.device_id().to_owned(),
        device_key: device.ed25519_key().map(|key| key.to_base64()),
        master_key: identity
            .and_then(|identity| identity.master_key().get_first_key())
            .map(|key| key.to_base64()),
        signed: device.is_cross_signed_by_owner(),
        recovery: encryption.recovery().state() == RecoveryState::Enabled,
    })
}

/// hearth's identity as the homeserver and hearth's stores have it now, for `hearth matrix
/// whoami` and `hearth check`: restores the saved session (or the access token's) on the
/// existing stores, without logging in, syncing or changing anything. Best run while hearth
/// is stopped, as it opens the same stores.
pub async fn whoami(options: &crate::MatrixOptions) -> Result<Identity, crate::MatrixError> {
    use crate::MatrixError;
    let store = options.store_dir.join("matrix-store");
    let session = match &options.credential {
        Credential::Password(_) => crate::login::saved_session(&options.store_dir)
            .map_err(|e| MatrixError::Session(e.to_string()))?,
        Credential::AccessToken(token) => {
            Some(crate::login::session_of_token(&options.homeserver, token).await?)
        }
    };
    let (Some(session), true) = (session, store.is_dir()) else {
        return Err(MatrixError::Session(format!(
            "hearth has not signed in to Matrix with this data directory yet (no stores at {}); \
             it does at its first start",
            options.store_dir.display()
        )));
    };
    let client = Client::builder()
        .homeserver_url(&options.homeserver)
        .sqlite_store(&store, None)
        .build()
        .await?;
    client.restore_session(session).await?;
    Ok(read(&client).await?)
}

/// A base64 key in groups of four, as Matrix clients show a session key.
pub fn grouped(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    chars.chunks(4).map(|chunk| chunk.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// hearth does not take part in interactive verification; a request gets a log line saying
/// how to verify it instead, rather than silence (ids only).
pub(crate) fn log_verification_requests(client: &Client) {
    use matrix_sdk::ruma::events::key::verification::request::ToDeviceKeyVerificationRequestEvent;
    use matrix_sdk::ruma::events::room::message::{MessageType, OriginalSyncRoomMessageEvent};
    client.add_event_handler(|event: ToDeviceKeyVerificationRequestEvent| async move {
        tracing::warn!(
            from = %event.sender,
            device = %event.content.from_device,
            "a verification request reached hearth: hearth does not do interactive \
             verification; compare the fingerprint from `hearth matrix whoami` instead"
        );
    });
    client.add_event_handler(|event: OriginalSyncRoomMessageEvent| async move {
        if let MessageType::VerificationRequest(request) = &event.content.msgtype {
            tracing::warn!(
                from = %event.sender,
                device = %request.from_device,
                "a verification request reached hearth in a room: hearth does not do \
                 interactive verification; compare the fingerprint from `hearth matrix \
                 whoami` instead"
            );
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_grouped_by_four() {
        assert_eq!(grouped("abcdefghij"), "abcd efgh ij");
        assert_eq!(grouped(""), "");
    }

    #[test]
    fn a_recovery_key_does_not_show_in_debug() {
        let key = RecoveryKey::new("EsTc 1234 secret");
        assert_eq!(format!("{key:?}"), "RecoveryKey([REDACTED])");
        assert_eq!(key.expose(), "EsTc 1234 secret");
    }
}
