//! The core's own errors: what can fail while handling an event or a scheduled message besides
//! the store, which keeps every database error to itself (as `StoreError`).

use crate::schedule::WhenError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something hearth made itself (a conversation's state, an export) could not be written
    /// as JSON. The message names what, never the content.
    #[error("could not write {what} as JSON: {source}")]
    Json { what: &'static str, source: serde_json::Error },
    /// One of hearth's own schedules (written in the code, not by a person) does not read: a
    /// bug, reported rather than a panic.
    #[error("hearth's own schedule for {what} does not read: {source}")]
    OwnSchedule { what: &'static str, source: WhenError },
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
