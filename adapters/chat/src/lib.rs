//! hearth-chat: the vocabulary spoken between hearth's core and its adapters.
//!
//! Adapters depend on this crate and never on the core, so they can only translate: parse a
//! platform event into an [`Inbound`] envelope, hand it to a [`Handler`], and render the
//! [`Outbound`] messages that come back. Nothing here touches a database or decides anything.

pub mod catalogue;
pub mod inbound;
pub mod outbound;

pub use catalogue::{
    Access, ArgKind, ArgSpec, ArgValue, Catalogue, CommandCall, CommandError, CommandSpec,
    SubcommandSpec,
};
pub use inbound::{Actor, Event, Inbound, Place, Platform, TeamRef};
pub use outbound::{
    Block, ChoiceOption, Controls, DeliveryError, Form, FormField, Message, Outbound, Target,
    Visibility,
};

use async_trait::async_trait;

/// What the core offers every adapter: the command catalogue and a way to handle one event.
#[async_trait]
pub trait Handler: Send + Sync {
    /// Every command hearth understands, described once.
    fn catalogue(&self) -> &Catalogue;

    /// The words for a catalogue description key (`summary_key`) in `locale`, falling back
    /// to the default locale. For platforms that show descriptions outside hearth's own
    /// messages (Discord's command picker); plain text, no arguments.
    fn describe(&self, key: &'static str, locale: &str) -> String;

    /// Handles one inbound event and returns what to send because of it. Never fails: a
    /// person's mistake comes back as a kind message, and an internal fault as an apology.
    async fn handle(&self, inbound: Inbound) -> Vec<Outbound>;

    /// The form that `actor`'s current step in `team` offers under `token`, exactly as it was
    /// offered (the same token, title and fields), for an adapter that must describe a form it
    /// does not hold: another process rendered it, or this one restarted since (a Discord
    /// modal is described only when its button is clicked). `None` when `token` is not the
    /// person's current step (answered, replaced, expired, someone else's), the step offers no
    /// form, or the team or person is unknown. Changes nothing: the step keeps its token.
    async fn form(&self, team: TeamRef, actor: Actor, token: String) -> Option<Form>;
}

/// What each adapter offers the core: sending a message that is not a reply (scheduled
/// reminders, a note to a chosen teammate).
#[async_trait]
pub trait Delivery: Send + Sync {
    /// The platform this adapter delivers to.
    fn platform(&self) -> Platform;

    /// Delivers one message. `Target::Origin` is meaningless here and is refused as `Gone`.
    /// `idempotency_key` is the same for every attempt at the same message, also after a
    /// restart; platforms that can deduplicate sends (Matrix transaction ids) use it.
    async fn deliver(&self, outbound: Outbound, idempotency_key: &str)
    -> Result<(), DeliveryError>;
}
