//! What each person was last asked in a room — numbered choices, or a form asked one question
//! at a time — kept in memory and in matrix-sdk's store, so that a number typed or a keycap
//! reacted after a restart still reaches its question (the core checks the token, as always).
//!
//! The store keeps the step's opaque token, the option ids, the question's event id, a form's
//! questions (hearth's own words) and how many of them were answered: never an answer. A form
//! part-way answered when hearth stopped therefore cannot go on; it comes back as
//! `Interrupted`, and the core says that hearth restarted and asks again. An entry goes when
//! it is answered or replaced, and after 24 hours, when the core's conversation has expired.

use crate::State;
use hearth_chat::FormField;
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedUserId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::{Duration, SystemTime};

/// Where the entries are kept: one value in matrix-sdk's state store (custom values).
const KEY: &[u8] = b"hearth.pending";
/// As long as the core keeps a conversation open (`SESSION_LIFETIME`).
const LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// A room and a person in it.
pub(crate) type Key = (OwnedRoomId, OwnedUserId);

/// What a person was last asked in a room.
#[derive(Debug)]
pub(crate) enum Pending {
    Choices {
        token: String,
        options: Vec<String>,
        event: OwnedEventId,
    },
    /// `answers` are what the person typed so far: in memory only.
    Form {
        token: String,
        fields: Vec<Question>,
        answers: Vec<(String, String)>,
    },
    /// A form hearth was part-way through when it stopped: the answers given were lost.
    Interrupted {
        token: String,
    },
}

/// One question of a form, as asked on Matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Question {
    pub(crate) id: String,
    pub(crate) label: String,
    /// Whether an answer is needed (a lone `-` skips one that is not).
    pub(crate) required: bool,
    /// Whether the answer names a teammate, to be turned into their user id.
    pub(crate) names_person: bool,
}

impl From<FormField> for Question {
    fn from(field: FormField) -> Self {
        Question {
            id: field.id,
            label: field.label,
            required: field.required,
            names_person: field.names_person,
        }
    }
}

/// An entry as stored: no answers, only how many there were.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Stored {
    Choices { token: String, options: Vec<String>, event: OwnedEventId },
    Form { token: String, fields: Vec<Question>, answered: usize },
}

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    room: OwnedRoomId,
    user: OwnedUserId,
    /// When this question was first stored, in Unix seconds.
    since: u64,
    asked: Stored,
}

/// What was last written, so that unchanged entries are not written again and keep their age.
#[derive(Debug, Default)]
pub(crate) struct Saved {
    bytes: Vec<u8>,
    /// The token and age of every entry written.
    since: HashMap<Key, (String, u64)>,
}

impl Pending {
    fn token(&self) -> &str {
        match self {
            Pending::Choices { token, .. }
            | Pending::Form { token, .. }
            | Pending::Interrupted { token } => token,
        }
    }

    fn stored(&self) -> Stored {
        match self {
            Pending::Choices { token, options, event } => Stored::Choices {
                token: token.clone(),
                options: options.clone(),
                event: event.clone(),
            },
            Pending::Form { token, fields, answers } => Stored::Form {
                token: token.clone(),
                fields: fields.clone(),
                answered: answers.len(),
            },
            // Still unanswered: the person has not typed anything since the restart.
            Pending::Interrupted { token } => {
                Stored::Form { token: token.clone(), fields: Vec::new(), answered: 1 }
            }
        }
    }
}

impl Stored {
    fn pending(self) -> Pending {
        match self {
            Stored::Choices { token, options, event } => Pending::Choices { token, options, event },
            Stored::Form { token, fields, answered: 0 } => {
                Pending::Form { token, fields, answers: Vec::new() }
            }
            Stored::Form { token, .. } => Pending::Interrupted { token },
        }
    }
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn expired(since: u64, now: u64) -> bool {
    now.saturating_sub(since) > LIFETIME.as_secs()
}

impl State {
    /// Reads what people were asked before hearth stopped (entries older than a day dropped).
    pub(crate) async fn load_pending(&self) {
        let stored = match self.client.state_store().get_custom_value(KEY).await {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(error = %error, "could not read what people were asked");
                return;
            }
        };
        let entries: Vec<Entry> = match serde_json::from_slice(&stored) {
            Ok(entries) => entries,
            Err(error) => {
                // From a version that stored something else: the core asks again.
                tracing::warn!(error = %error, "unreadable record of what people were asked");
                return;
            }
        };
        let now = now_secs();
        let mut saved = self.saved_pending.lock().await;
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        for Entry { room, user, since, asked } in entries {
            if expired(since, now) {
                continue;
            }
            let asked = asked.pending();
            saved.since.insert((room.clone(), user.clone()), (asked.token().to_owned(), since));
            pending.insert((room, user), asked);
        }
        tracing::debug!(people = pending.len(), "restored what people were asked");
    }

    /// Writes what people were last asked to matrix-sdk's store, if it changed since the last
    /// write. Entries past their lifetime are dropped here, from memory too.
    pub(crate) async fn save_pending(&self) {
        // One writer at a time, so an older picture never overwrites a newer one.
        let mut saved = self.saved_pending.lock().await;
        let now = now_secs();
        let entries = {
            let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
            let since = |key: &Key, asked: &Pending| match saved.since.get(key) {
                Some((token, since)) if token == asked.token() => *since,
                _ => now,
            };
            pending.retain(|key, asked| !expired(since(key, asked), now));
            let mut entries: Vec<Entry> = pending
                .iter()
                .map(|((room, user), asked)| Entry {
                    room: room.clone(),
                    user: user.clone(),
                    since: since(&(room.clone(), user.clone()), asked),
                    asked: asked.stored(),
                })
                .collect();
            entries.sort_by(|a, b| (&a.room, &a.user).cmp(&(&b.room, &b.user)));
            entries
        };
        let bytes = match serde_json::to_vec(&entries) {
            Ok(bytes) => bytes,
            Err(error) => {
                tracing::warn!(error = %error, "could not record what people were asked");
                return;
            }
        };
        if bytes == saved.bytes {
            return;
        }
        if let Err(error) = self.client.state_store().set_custom_value(KEY, bytes.clone()).await {
            tracing::warn!(error = %error, "could not record what people were asked");
            return;
        }
        saved.since = entries
            .into_iter()
            .map(|e| {
                let token = e.asked_token().to_owned();
                ((e.room, e.user), (token, e.since))
            })
            .collect();
        saved.bytes = bytes;
    }
}

impl Entry {
    fn asked_token(&self) -> &str {
        match &self.asked {
            Stored::Choices { token, .. } | Stored::Form { token, .. } => token,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use matrix_sdk::ruma::owned_event_id;

    #[test]
    fn choices_survive_and_a_form_keeps_no_answer() {
        let event = owned_event_id!("$asked:example.org");
        let choices = Pending::Choices { token: "t1".into(), options: vec!["a".into()], event };
        let stored = choices.stored();
        assert!(matches!(
            stored.pending(),
            Pending::Choices { token, options, .. } if token == "t1" && options == ["a"]
        ));

        let fields = vec![Question {
            id: "text".into(),
            label: "Anything to share?".into(),
            required: false,
            names_person: false,
        }];
        let asked = Pending::Form { token: "t2".into(), fields: fields.clone(), answers: vec![] };
        assert!(matches!(
            asked.stored().pending(),
            Pending::Form { token, fields: f, answers } if token == "t2" && f == fields && answers.is_empty()
        ));

        // Part-way through: what was typed is not written, so the form cannot go on.
        let secret = "something personal".to_owned();
        let half = Pending::Form {
            token: "t3".into(),
            fields: fields.clone(),
            answers: vec![("text".into(), secret.clone())],
        };
        let json = serde_json::to_string(&half.stored()).unwrap();
        assert!(!json.contains(&secret), "{json}");
        let back: Stored = serde_json::from_str(&json).unwrap();
        assert!(matches!(back.pending(), Pending::Interrupted { token } if token == "t3"));
        // Restored as interrupted and written again, it stays interrupted.
        let again = Pending::Interrupted { token: "t3".into() }.stored().pending();
        assert!(matches!(again, Pending::Interrupted { token } if token == "t3"));
    }

    #[test]
    fn entries_last_a_day() {
        let now = 1_800_000_000;
        assert!(!expired(now - 60, now));
        assert!(!expired(now - LIFETIME.as_secs(), now));
        assert!(expired(now - LIFETIME.as_secs() - 1, now));
    }
}
