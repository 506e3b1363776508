//! The fake Discord driven by real serenity 0.12.5: gateway, interactions and REST.

mod common;
mod events;
mod gateway;
mod interactions;
mod picker;
mod rest;
mod shards;
mod strict_commands;
mod strict_interactions;
mod strict_messages;
mod threads;
