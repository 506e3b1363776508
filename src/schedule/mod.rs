//! When things happen: the "when" language people type, and the next occurrence of a
//! recurrence in a team's own timezone. Pure: no clock, no database.

mod when;

pub use when::{Recurrence, Weekdays, When, WhenError};
