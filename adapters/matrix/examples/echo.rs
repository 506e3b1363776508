//! A bare Matrix echo bot on the same matrix-sdk, stores and encryption as hearth's adapter:
//! the floor `scripts/matrix-latency` measures hearth against. Any `!` message gets one line
//! back in the sender's direct room (created, encrypted, when missing), just as hearth answers
//! privately — so the difference between the two is hearth's own share (core and adapter).
//!
//! Usage: ECHO_HOMESERVER=… ECHO_USER=… ECHO_PASSWORD=… ECHO_STORE=DIR cargo run --release
//!        -p hearth-matrix --example echo

#![recursion_limit = "256"]

use matrix_sdk::config::SyncSettings;
use matrix_sdk::room::Room;
use matrix_sdk::ruma::events::room::member::{MembershipState, StrippedRoomMemberEvent};
use matrix_sdk::ruma::events::room::message::{
    OriginalSyncRoomMessageEvent, RoomMessageEventContent,
};
use matrix_sdk::{Client, RoomState};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let client = Client::builder()
        .homeserver_url(var("ECHO_HOMESERVER")?)
        .sqlite_store(var("ECHO_STORE")?, None)
        .build()
        .await?;
    client.matrix_auth().login_username(&var("ECHO_USER")?, &var("ECHO_PASSWORD")?).await?;
    // Catch up first, so old messages are not echoed.
    let first = client.sync_once(SyncSettings::default()).await?;
    client.add_event_handler(
        |event: StrippedRoomMemberEvent, room: Room, client: Client| async move {
            if Some(event.state_key.as_ref()) == client.user_id()
                && event.content.membership == MembershipState::Invite
            {
                tokio::spawn(async move { room.join().await });
            }
        },
    );
    client.add_event_handler(
        |event: OriginalSyncRoomMessageEvent, room: Room, client: Client| async move {
            if room.state() != RoomState::Joined
                || Some(event.sender.as_ref()) == client.user_id()
                || !event.content.body().starts_with('!')
            {
                return;
            }
            let dm = match client.get_dm_room(&event.sender) {
                Some(dm) => dm,
                None => match client.create_dm(&event.sender).await {
                    Ok(dm) => dm,
                    Err(_) => return,
                },
            };
            let _ = dm.send(RoomMessageEventContent::text_plain("echo")).await;
        },
    );
    for room in client.invited_rooms() {
        tokio::spawn(async move { room.join().await });
    }
    // The same sync loop as hearth's adapter: long polls back to back. (`Client::sync` waits a
    // second between syncs that return quickly, which would make this floor far too slow.)
    let mut settings =
        SyncSettings::default().timeout(Duration::from_secs(30)).token(first.next_batch);
    loop {
        match client.sync_once(settings.clone()).await {
            Ok(response) => settings = settings.token(response.next_batch),
            Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    }
}
