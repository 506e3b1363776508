//! The bounds of what people may give hearth: lengths, choices and ranges that both the
//! command catalogue (which tells every platform) and the features (which check them) read.
//!
//! They live here, below both, so that describing a command never imports its handler.

/// The longest agenda item or action.
pub const AGENDA_ITEM_CHARS: usize = 300;

/// The longest community name, and what a community is about.
pub const COMMUNITY_NAME_CHARS: usize = 32;
pub const COMMUNITY_ABOUT_CHARS: usize = 200;
/// The longest topic, and the longest resource (a link with a line about it).
pub const COMMUNITY_TOPIC_CHARS: usize = 300;
pub const COMMUNITY_RESOURCE_CHARS: usize = 500;

/// Supervision styles the supervisees choose from (their words are in prompts/).
pub const SUPERVISION_STYLES: &[&str] =
    &["open", "reflective", "skills", "case-consultation", "wellbeing", "admin"];

/// The longest lead for an end-of-shift debrief, and the longest wait for a request, in
/// minutes.
pub const DEBRIEF_LEAD_MAX: i64 = 120;
pub const REQUEST_WAIT_MAX: i64 = 240;
