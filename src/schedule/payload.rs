//! What a schedule does when it fires, and how late it may still do it.

use chrono::Duration;
use serde::{Deserialize, Serialize};

/// Stored as JSON beside the schedule. Ids and choices only, never free text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Payload {
    /// hearth's own upkeep: forget ended days' weather salts, purge by retention.
    Housekeeping,
    /// A team's shift starts: one gentle invitation to check in, in the team's channel.
    ShiftNudge { channel: String },
}

/// The stored kind of each payload, for queries by kind.
pub const HOUSEKEEPING: &str = "housekeeping";
pub const SHIFT_NUDGE: &str = "shift_nudge";

impl Payload {
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::Housekeeping => HOUSEKEEPING,
            Payload::ShiftNudge { .. } => SHIFT_NUDGE,
        }
    }

    /// The downtime policy: an occurrence missed while hearth was down still happens (once)
    /// if hearth is back within this long after it was due; otherwise it is skipped.
    pub fn grace(&self) -> Duration {
        match self {
            // Upkeep is always worth doing late.
            Payload::Housekeeping => Duration::days(1),
            // "Want to check in?" an hour into the shift is noise, not kindness.
            Payload::ShiftNudge { .. } => Duration::minutes(15),
        }
    }

    /// Nudges respect quiet hours; other kinds do not.
    pub fn is_nudge(&self) -> bool {
        matches!(self, Payload::ShiftNudge { .. })
    }

    /// Done inside hearth rather than sent to anyone.
    pub fn is_internal(&self) -> bool {
        matches!(self, Payload::Housekeeping)
    }
}
