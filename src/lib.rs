//! hearth's core: flows, features, store, prompts and configuration.
//!
//! The core is platform-blind: it speaks `hearth_chat` and never names a platform library.

pub mod bot;
pub mod catalogue;
pub mod clock;
pub mod colour;
pub mod config;
pub mod context;
pub mod engine;
pub mod error;
pub mod features;
pub mod flows;
pub mod inventory;
pub mod limits;
pub mod prompts;
pub mod puzzles;
pub mod store;
pub mod token;

pub use bot::Bot;
pub mod bench;
pub mod check;
pub mod health;
pub mod schedule;
pub mod scheduler;
