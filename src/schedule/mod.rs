//! When things happen: the "when" language people type, the next occurrence of a recurrence
//! in a team's own timezone, quiet hours, and what a schedule does when it fires.
//! Pure: no clock, no database.

mod payload;
mod quiet;
mod when;

pub use payload::{HOUSEKEEPING, Payload, SHIFT_NUDGE};
pub use quiet::QuietHours;
pub use when::{MAX_WHEN_CHARS, Recurrence, Weekdays, When, WhenError};
