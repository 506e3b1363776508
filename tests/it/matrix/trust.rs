//! Matrix clients that exclude insecure devices (MSC4153, as a current Element does) still
//! talk with hearth: its device is signed by its cross-signing identity, and that identity
//! survives a lost data directory or a fresh access token, given the recovery key. The test
//! people here decrypt only what cross-signed devices sent (`TrustRequirement::CrossSigned`)
//! and share room keys only with devices signed by their owner (`IdentityBasedStrategy`), and
//! make their own cross-signing identity at login, as Element does.

use super::restartable::Restartable;
use super::{PASSWORD, Person, Synapse, first_help, room_of, synapse};
use hearth_matrix::{Credential, Outcome};
use matrix_sdk::encryption::EncryptionSettings;
use matrix_sdk::ruma::{OwnedDeviceId, OwnedRoomId, OwnedUserId, RoomVersionId};
use matrix_sdk_crypto::{CollectStrategy, DecryptionSettings, TrustRequirement};
use std::time::{Duration, Instant};

/// A person whose client enforces trust as a current Element does.
async fn strict_person(synapse: &Synapse, name: &str) -> Person {
    let person = Person::with_client(synapse, name, |builder| {
        builder
            .with_decryption_settings(DecryptionSettings {
                sender_device_trust_requirement: TrustRequirement::CrossSigned,
            })
            .with_room_key_recipient_strategy(CollectStrategy::IdentityBasedStrategy)
            .with_encryption_settings(EncryptionSettings {
                auto_enable_cross_signing: true,
                ..EncryptionSettings::default()
            })
    })
    .await;
    // The signature just uploaded shows on the device once its keys are asked for again.
    person.client.encryption().request_user_identity(&person.id).await.unwrap();
    let own = person.client.encryption().get_own_device().await.unwrap().unwrap();
    assert!(own.is_cross_signed_by_owner(), "the test person's own device is cross-signed");
    person
}

/// A check-in to the end, every reply read: typed in the team room, answered in the direct
/// room; green, with a line shared in the team room.
async fn check_in(person: &Person, team: &OwnedRoomId, dm: &OwnedRoomId, h: &OwnedUserId) {
    let mut n = person.count();
    person.say(team, "!checkin").await;
    let (room, _, _) = person.expect(h, "How are you arriving today?", n).await;
    assert_eq!(&room, dm, "asked privately");
    for (answer, next) in [
        ("1", "post it in the team room"),
        ("1", "What would you like to share?"),
        ("steady today", "Posted. Thank you for sharing."),
        ("1", "private history"),
        ("2", "Thank you for checking in"),
    ] {
        n = person.count();
        person.say(dm, answer).await;
        let (room, _, _) = person.expect(h, next, n).await;
        assert_eq!(&room, dm, "{next:?} came privately");
        if answer == "steady today" {
            let (room, _, _) = person.expect(h, "shares: steady today", n).await;
            assert_eq!(&room, team, "the shared line is in the team room");
        }
    }
}

/// Whether `person`'s client sees hearth's `device` as signed by hearth's identity (it asks
/// the homeserver again until it does, or a minute has passed).
async fn seen_signed(person: &Person, hearth: &OwnedUserId, device: &OwnedDeviceId) -> bool {
    let encryption = person.client.encryption();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        encryption.request_user_identity(hearth).await.unwrap();
        let signed = encryption
            .get_device(hearth, device)
            .await
            .unwrap()
            .is_some_and(|device| device.is_cross_signed_by_owner());
        if signed || Instant::now() > deadline {
            return signed;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_whose_client_excludes_insecure_devices_talks_with_hearth() {
    let Some(synapse) = synapse() else { return };
    let mut hearth = Restartable::start_bare(&synapse).await;
    let (outcome, key) = hearth.run().await;
    assert_eq!(outcome, Outcome::Created, "a first start makes hearth's identity");
    assert!(key.is_some(), "and a recovery key for it");
    let identity = hearth.matrix.as_ref().unwrap().identity().await.unwrap();
    assert!(identity.signed, "hearth's device is signed by its identity: {identity:?}");
    assert!(identity.recovery, "recovery is set up: {identity:?}");
    assert!(identity.master_key.is_some() && identity.device_key.is_some(), "{identity:?}");

    let ana = strict_person(&synapse, "ana").await;
    let h = hearth.id.clone();
    let team = room_of(&ana, vec![h.clone()], true, Some(RoomVersionId::V12)).await;
    let dm = first_help(&ana, &team, &h).await;
    assert!(ana.room(&dm).await.latest_encryption_state().await.unwrap().is_encrypted());
    assert!(seen_signed(&ana, &h, &identity.device).await, "ana sees hearth's device signed");
    check_in(&ana, &team, &dm, &h).await;

    // A second start keeps the identity and the device, and makes no new recovery key.
    hearth.stop().await;
    let (outcome, key) = hearth.run().await;
    assert_eq!(outcome, Outcome::AlreadySigned);
    assert!(key.is_none(), "a recovery key is made once");
    let again = hearth.matrix.as_ref().unwrap().identity().await.unwrap();
    assert_eq!((&again.device, &again.master_key), (&identity.device, &identity.master_key));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hearth_recovers_its_identity_when_its_data_directory_is_lost() {
    let Some(synapse) = synapse() else { return };
    let mut hearth = Restartable::start_bare(&synapse).await;
    let (_, key) = hearth.run().await;
    let before = hearth.matrix.as_ref().unwrap().identity().await.unwrap();
    let ana = strict_person(&synapse, "ana").await;
    let h = hearth.id.clone();
    let team = room_of(&ana, vec![h.clone()], true, Some(RoomVersionId::V12)).await;
    first_help(&ana, &team, &h).await;

    // The Matrix stores go; the recovery key brings the identity back to a new device.
    hearth.stop().await;
    std::fs::remove_dir_all(&hearth.options.store_dir).unwrap();
    hearth.recovery_key = key;
    let (outcome, key) = hearth.run().await;
    assert_eq!(outcome, Outcome::Recovered);
    assert!(key.is_none(), "recovering makes no new recovery key");
    let after = hearth.matrix.as_ref().unwrap().identity().await.unwrap();
    assert_eq!(after.master_key, before.master_key, "the same identity");
    assert_ne!(after.device, before.device, "a new device");
    assert!(after.signed, "the new device is signed by the identity: {after:?}");
    assert!(seen_signed(&ana, &h, &after.device).await, "ana sees the new device signed");

    // ana, enforcing trust, still talks with hearth, in the team room and a direct room.
    let dm = first_help(&ana, &team, &h).await;
    check_in(&ana, &team, &dm, &h).await;
}

/// An access token for a new device of `user`, made with the login API as an operator's
/// client would (the device has no keys until hearth gives it some).
pub(crate) async fn new_device_token(synapse: &Synapse, user: &str) -> String {
    let body = serde_json::json!({
        "type": "m.login.password",
        "identifier": { "type": "m.id.user", "user": user },
        "password": PASSWORD,
    });
    let response = matrix_sdk::reqwest::Client::new()
        .post(format!("{}/_matrix/client/v3/login", synapse.url))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "logging in: {}", response.status());
    let session: serde_json::Value =
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    session["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_access_token_is_signed_only_with_the_recovery_key() {
    let Some(synapse) = synapse() else { return };
    let mut hearth = Restartable::start_bare(&synapse).await;
    let (_, key) = hearth.run().await;
    let before = hearth.matrix.as_ref().unwrap().identity().await.unwrap();
    hearth.stop().await;

    // A new device's token, in a new store: without the recovery key it stays unsigned (and
    // says so in the log), but still serves.
    let token = new_device_token(&synapse, hearth.id.localpart()).await;
    hearth.options.credential = Credential::AccessToken(token);
    hearth.options.store_dir = hearth.options.store_dir.with_file_name("matrix-token");
    let (outcome, new_key) = hearth.run().await;
    assert_eq!(outcome, Outcome::Unsigned);
    assert!(new_key.is_none());
    let unsigned = hearth.matrix.as_ref().unwrap().identity().await.unwrap();
    assert!(!unsigned.signed && unsigned.device != before.device, "{unsigned:?}");
    assert_eq!(unsigned.master_key, before.master_key, "the identity is untouched");
    hearth.stop().await;

    // With the key, the same device is signed by the same identity.
    hearth.recovery_key = key;
    let (outcome, _) = hearth.run().await;
    assert_eq!(outcome, Outcome::Recovered);
    let after = hearth.matrix.as_ref().unwrap().identity().await.unwrap();
    assert_eq!((&after.device, &after.master_key), (&unsigned.device, &before.master_key));
    assert!(after.signed, "{after:?}");

    let ana = strict_person(&synapse, "ana").await;
    let h = hearth.id.clone();
    let team = room_of(&ana, vec![h.clone()], true, Some(RoomVersionId::V12)).await;
    let dm = first_help(&ana, &team, &h).await;
    check_in(&ana, &team, &dm, &h).await;
}

/// An access token for an account without an identity: Synapse lets a first identity be made
/// without a password, so hearth makes one (and its recovery key) as with a password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_access_token_account_without_an_identity_gets_one() {
    let Some(synapse) = synapse() else { return };
    let mut hearth = Restartable::start_bare(&synapse).await;
    let token = new_device_token(&synapse, hearth.id.localpart()).await;
    hearth.options.credential = Credential::AccessToken(token);
    let (outcome, key) = hearth.run().await;
    assert_eq!(outcome, Outcome::Created);
    assert!(key.is_some());
    let identity = hearth.matrix.as_ref().unwrap().identity().await.unwrap();
    assert!(identity.signed && identity.recovery, "{identity:?}");
}

/// hearth's identity replaced from another client (a reset, with a new recovery key): hearth
/// finds its device no longer signed and says so; given the new identity's recovery key, it
/// takes the new identity and signs its device with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_identity_reset_elsewhere_is_noticed_and_recovered_with_the_new_key() {
    use matrix_sdk::encryption::CrossSigningResetAuthType;
    use matrix_sdk::ruma::api::client::uiaa;

    let Some(synapse) = synapse() else { return };
    let mut hearth = Restartable::start_bare(&synapse).await;
    hearth.run().await;
    let before = hearth.matrix.as_ref().unwrap().identity().await.unwrap();
    hearth.stop().await;

    // Another client of hearth's account resets the identity and makes a new recovery key.
    let store = tempfile::tempdir().unwrap();
    let other = matrix_sdk::Client::builder()
        .homeserver_url(&synapse.url)
        .sqlite_store(store.path(), None)
        .build()
        .await
        .unwrap();
    other.matrix_auth().login_username(hearth.id.localpart(), PASSWORD).send().await.unwrap();
    other.encryption().wait_for_e2ee_initialization_tasks().await;
    let recovery = other.encryption().recovery();
    if let Some(handle) = recovery.reset_identity().await.unwrap() {
        let CrossSigningResetAuthType::Uiaa(info) = handle.auth_type() else { panic!() };
        let who =
            uiaa::UserIdentifier::Matrix(uiaa::MatrixUserIdentifier::new(hearth.id.to_string()));
        let mut password = uiaa::Password::new(who, PASSWORD.to_owned());
        password.session = info.session.clone();
        handle.reset(Some(uiaa::AuthData::Password(password))).await.unwrap();
    }
    let new_key = hearth_matrix::RecoveryKey::new(recovery.enable().await.unwrap());

    let (outcome, _) = hearth.run().await;
    assert_eq!(outcome, Outcome::Unsigned, "the device is no longer signed");
    hearth.stop().await;
    hearth.recovery_key = Some(new_key);
    let (outcome, _) = hearth.run().await;
    assert_eq!(outcome, Outcome::Recovered);
    let after = hearth.matrix.as_ref().unwrap().identity().await.unwrap();
    assert_eq!(after.device, before.device, "the same device");
    assert_ne!(after.master_key, before.master_key, "the new identity");
    assert!(after.signed, "{after:?}");
}

/// A recovery key that is not the identity's stops the start with a message saying so,
/// rather than serving unsigned without a word.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_recovery_key_is_refused_clearly() {
    let Some(synapse) = synapse() else { return };
    let mut hearth = Restartable::start_bare(&synapse).await;
    hearth.run().await;
    hearth.stop().await;
    std::fs::remove_dir_all(&hearth.options.store_dir).unwrap();
    // A well-formed key of another account.
    let mut other = Restartable::start_bare(&synapse).await;
    let (_, wrong) = other.run().await;
    let started = hearth_matrix::Matrix::connect_recovering(
        hearth.options.clone(),
        hearth.bot.clone(),
        wrong,
    )
    .await;
    let error = started.expect_err("a wrong recovery key stops the start").to_string();
    assert!(error.contains("did not open hearth's secret storage"), "{error}");
}
