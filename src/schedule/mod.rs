//! When things happen: the "when" language people type, the next occurrence of a recurrence
//! in a team's own timezone, quiet hours, and what a schedule does when it fires.
//! Pure: no clock, no database.

mod payload;
mod quiet;
mod shift;
mod when;

pub use payload::{
    BREAK_END, BREAK_NUDGE, CHECK_ON_ME, COMMUNITY_GATHERING, COMMUNITY_REMINDER, HOUSEKEEPING,
    PERSONAL_SHIFT, Payload, REQUEST_TIMEOUT, SHIFT_NUDGE, SUPERVISION_GAPS, SUPERVISION_REMINDER,
    TEAM_DEBRIEF,
};
pub use quiet::QuietHours;
pub use shift::{MAX_SHIFT, ShiftNow, on_shift, parse_duration, parse_until, shift_in_progress};
pub(crate) use when::short_name;
pub use when::{MAX_WHEN_CHARS, Recurrence, WeekOfMonth, Weekdays, When, WhenError};
