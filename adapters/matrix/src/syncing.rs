//! What hearth's steady sync asks its homeserver for: only what the adapter reads. Every
//! event a sync brings costs matrix-sdk parsing, often decryption, and a write to its stores,
//! and every sync that returns early wakes the whole process; what hearth never reads is not
//! worth that (see docs/BENCHMARKS.md for what it bought).

use matrix_sdk::Client;
use matrix_sdk::ruma::UserId;
use matrix_sdk::ruma::api::client::filter::{Filter, FilterDefinition, RoomEventFilter};
use matrix_sdk::ruma::api::client::sync::sync_events::v3::Filter as SyncFilter;

/// The name the filter is kept under in matrix-sdk's store; a changed definition needs a new
/// name, or the homeserver keeps serving the old one.
const NAME: &str = "hearth-sync-1";

/// Left out of every sync after the first:
/// - presence and ephemeral events (typing, read receipts): hearth reads none of them;
/// - hearth's own events in room timelines: it ignores what it sent itself, and each one
///   would otherwise come back to be parsed again (a message in an encrypted room decrypted
///   too): a question and its keycap reactions are six events. State events it sent (its
///   own joins and leaves) still arrive, in the rooms' state.
fn definition(me: Option<&UserId>) -> FilterDefinition {
    let mut filter = FilterDefinition::default();
    filter.presence = Filter::ignore_all();
    filter.room.ephemeral = RoomEventFilter::ignore_all();
    if let Some(me) = me {
        filter.room.timeline.not_senders = vec![me.to_owned()];
    }
    filter
}

/// The filter for the steady sync, uploaded once and then referred to by id. Without it (the
/// homeserver refused it) hearth syncs everything, as before: slower, never wrong.
pub(crate) async fn filter(client: &Client) -> Option<SyncFilter> {
    match client.get_or_upload_filter(NAME, definition(client.user_id())).await {
        Ok(id) => Some(SyncFilter::FilterId(id)),
        Err(error) => {
            tracing::warn!(error = %error, "could not upload the sync filter; syncing everything");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use matrix_sdk::ruma::user_id;
    use serde_json::json;

    #[test]
    fn the_steady_sync_leaves_out_presence_ephemeral_and_hearths_own_timeline_events() {
        let filter = definition(Some(user_id!("@hearth:example.org")));
        let json = serde_json::to_value(&filter).unwrap_or_default();
        assert_eq!(json["presence"], json!({"types": []}));
        assert_eq!(json["room"]["ephemeral"], json!({"types": []}));
        assert_eq!(json["room"]["timeline"], json!({"not_senders": ["@hearth:example.org"]}));
        // Everything else (state, account data such as m.direct, to-device) still comes.
        assert!(json["room"].get("state").is_none_or(|state| state == &json!({})));
        assert!(json.get("account_data").is_none_or(|data| data == &json!({})));
    }
}
