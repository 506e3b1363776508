//! Whole-bot tests: conversations through the real core, a real SQLite file and a fixed clock,
//! typed through the real console adapter. One test binary, many modules.

// A failed unwrap is how a test says what broke.
#![allow(clippy::unwrap_used)]
// matrix-sdk clients are spawned in the Matrix tests; their futures are deep.
#![recursion_limit = "256"]

mod bad_input;
mod binary;
mod breaks;
mod checkin;
mod cop;
mod crash;
mod debrief;
mod discord;
mod forms;
mod harness;
mod matrix;
mod matrix_removal;
mod modules;
mod mydata;
mod operator;
mod privacy;
mod processes;
mod removal;
mod retention;
mod scheduler;
mod served;
mod supervision;
mod upgrade;
mod weather;
