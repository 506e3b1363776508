//! The bot: hearth's `Handler`. Turns one inbound event into replies, running flows through
//! the engine and commands through `commands`, inside one database transaction per event.

use crate::clock::Clock;
use crate::commands;
use crate::config::Config;
use crate::engine::{self, Reply, Turn};
use crate::prompts::{Prompts, keys as k};
use crate::store::{self, Store, StoreError, members, teams};
use async_trait::async_trait;
use hearth_chat::{Catalogue, CommandError, Event, Handler, Inbound, Outbound};
use std::sync::Arc;

#[derive(Debug)]
pub struct Bot {
    pub(crate) store: Store,
    pub(crate) prompts: Prompts,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) config: Config,
    pub(crate) catalogue: Catalogue,
}

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
}

impl Bot {
    pub fn new(store: Store, prompts: Prompts, clock: Arc<dyn Clock>, config: Config) -> Self {
        Self { store, prompts, clock, config, catalogue: crate::catalogue::catalogue() }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    async fn try_handle<'a>(&self, inbound: &'a Inbound) -> Result<(Turn<'a>, Reply), BotError> {
        let now = self.clock.now();
        let mut tx = self.store.writer().begin().await?;
        let team =
            teams::get_or_create(&mut tx, &inbound.team, &self.config.team_defaults, now).await?;
        let member = members::get_or_create(&mut tx, team.id, &inbound.actor.user_id, now).await?;
        let turn = Turn { team, member, inbound, now };
        let reply = match &inbound.event {
            Event::Command(call) => commands::run(self, &mut tx, &turn, call).await?,
            Event::BadCommand(error) => Reply::say(vec![command_error(error)]),
            Event::Text(_) => engine::text(self, &mut tx, &turn).await?,
            Event::Choice { token, option } => {
                engine::choice(self, &mut tx, &turn, token, option.clone()).await?
            }
            Event::Form { token, fields } => {
                engine::form(self, &mut tx, &turn, token, fields).await?
            }
        };
        tx.commit().await?;
        Ok((turn, reply))
    }
}

#[async_trait]
impl Handler for Bot {
    fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    async fn handle(&self, inbound: Inbound) -> Vec<Outbound> {
        let kind = event_kind(&inbound.event);
        match self.try_handle(&inbound).await {
            Ok((turn, reply)) => {
                tracing::debug!(
                    team = turn.team.id,
                    member = turn.member.id,
                    event = kind,
                    messages = reply.says.len(),
                    "handled"
                );
                engine::render(self, &turn, reply)
            }
            Err(error) => {
                // Errors name tables and constraints, never bound values, so they are safe
                // to log; the person gets an apology and nothing half-done is kept.
                tracing::error!(platform = inbound.team.platform.as_str(), event = kind, %error, "event failed");
                vec![engine::apology(self)]
            }
        }
    }
}

fn event_kind(event: &Event) -> &'static str {
    match event {
        Event::Command(_) => "command",
        Event::BadCommand(_) => "bad_command",
        Event::Text(_) => "text",
        Event::Choice { .. } => "choice",
        Event::Form { .. } => "form",
    }
}

/// A kind answer to a command that could not be read.
fn command_error(error: &CommandError) -> crate::flows::Say {
    use crate::flows::{Line, Say};
    use hearth_chat::ArgKind;
    let line = match error {
        CommandError::Empty => Line::new(k::COMMAND_EMPTY),
        CommandError::LineTooLong { max_chars } => Line::new(k::COMMAND_TOO_LONG_LINE)
            .arg("max", i64::try_from(*max_chars).unwrap_or(i64::MAX)),
        CommandError::UnknownCommand { given } => {
            Line::new(k::COMMAND_UNKNOWN).arg("given", given.as_str())
        }
        CommandError::UnknownSubcommand { command, given } => {
            Line::new(k::COMMAND_UNKNOWN_SUB).arg("command", *command).arg("given", given.as_str())
        }
        CommandError::MissingArgument { command, subcommand, arg } => Line::new(k::COMMAND_MISSING)
            .arg("command", *command)
            .arg("sub", *subcommand)
            .arg("arg", *arg),
        CommandError::InvalidArgument { command, subcommand, arg, kind } => {
            let hint = match kind {
                ArgKind::Integer { min, max } => {
                    Some(Line::new(k::HINT_NUMBER).arg("min", *min).arg("max", *max))
                }
                ArgKind::OneOf(words) => {
                    Some(Line::new(k::HINT_ONE_OF).arg("words", words.join(", ")))
                }
                ArgKind::Timezone => Some(Line::new(k::HINT_TIMEZONE)),
                ArgKind::Text { .. } => None,
            };
            let invalid = Line::new(k::COMMAND_INVALID)
                .arg("command", *command)
                .arg("sub", *subcommand)
                .arg("arg", *arg);
            return Say::actor(
                std::iter::once(invalid).chain(hint).map(crate::flows::Part::Text).collect(),
            );
        }
        CommandError::TooLong { arg, max_chars, .. } => Line::new(k::COMMAND_TOO_LONG)
            .arg("arg", *arg)
            .arg("max", i64::try_from(*max_chars).unwrap_or(i64::MAX)),
        CommandError::TooManyArguments { command, subcommand } => {
            Line::new(k::COMMAND_TOO_MANY).arg("command", *command).arg("sub", *subcommand)
        }
    };
    Say::line(line)
}

/// Opens everything the bot needs from configuration: the store (migrated) and the prompts.
pub async fn open(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Bot> {
    let prompts = Prompts::load(config.prompts_dir.as_deref())?;
    let store = store::Store::open(&config.data_dir).await?;
    Ok(Bot::new(store, prompts, clock, config))
}
