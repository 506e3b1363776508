//! Whole-bot tests: conversations through the real core, a real SQLite file and a fixed clock,
//! typed through the real console adapter. One test binary, many modules.

// A failed unwrap is how a test says what broke.
#![allow(clippy::unwrap_used)]

mod bad_input;
mod binary;
mod checkin;
mod crash;
mod harness;
mod scheduler;
mod weather;
