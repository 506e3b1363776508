//! The bot: hearth's `Handler`. Each inbound event is handled in one store job (one
//! transaction): the team and member are found, the command or flow step runs, and effects
//! are saved; the replies are rendered to words after the commit.

use crate::clock::Clock;
use crate::config::Config;
use crate::context::{Core, Reply, Turn};
use crate::engine;
use crate::error::CoreError;
use crate::features;
use crate::flows::Say;
use crate::prompts::{Prompts, keys as k};
use crate::store::{Mode, Store, Tx, forget, members, teams};
use crate::token::Token;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hearth_chat::{
    Actor, Catalogue, CommandError, Event, Form, Handler, Inbound, Outbound, Place, TeamRef,
};
use std::sync::Arc;
use tokio::sync::Notify;

#[derive(Debug)]
pub struct Bot {
    core: Arc<Core>,
    store: Store,
    clock: Arc<dyn Clock>,
    /// Told when an event added or changed a schedule, so the scheduler looks again.
    schedules_changed: Arc<Notify>,
}

impl Bot {
    pub fn new(store: Store, prompts: Prompts, clock: Arc<dyn Clock>, config: Config) -> Self {
        let catalogue = crate::catalogue::catalogue();
        let collections = collections(&prompts);
        let weather_key = Arc::new(crate::store::weather::Key::random());
        let features = features::FEATURES;
        let core =
            Arc::new(Core { config, catalogue, prompts, collections, weather_key, features });
        Self { core, store, clock, schedules_changed: Arc::new(Notify::new()) }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn config(&self) -> &Config {
        &self.core.config
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn core(&self) -> &Core {
        &self.core
    }

    /// The core, for work handed to the store thread.
    pub fn shared_core(&self) -> Arc<Core> {
        self.core.clone()
    }

    pub fn schedules_changed(&self) -> Arc<Notify> {
        self.schedules_changed.clone()
    }
}

impl Bot {
    /// hearth was removed from `team`: forget it and everything of it. Nobody is told; the
    /// platform has already taken hearth out of the conversation.
    async fn removed(&self, team: TeamRef) {
        let platform = team.platform.as_str();
        let forgotten = self.store.run(move |tx| forget::team(tx, &team, Mode::Apply)).await;
        match forgotten {
            Ok(Some(plan)) => {
                self.schedules_changed.notify_one();
                tracing::info!(platform, rows = plan.total(), "removed from a team; forgot it");
            }
            Ok(None) => tracing::debug!(platform, "removed from a team hearth did not know"),
            Err(error) => tracing::error!(platform, %error, "could not forget a team"),
        }
    }
}

/// Everything an event does to stored data, inside its transaction.
fn handle(
    core: &Core,
    tx: &Tx,
    inbound: Inbound,
    now: DateTime<Utc>,
) -> Result<Handled, CoreError> {
    // An answer to something hearth sent to a team it has since forgotten (removed from
    // it, or `hearth team forget`) must not bring the team back as an empty one.
    let answers = matches!(
        inbound.event,
        Event::Text(_)
            | Event::Choice { .. }
            | Event::Form { .. }
            | Event::Restarted { .. }
            | Event::Undelivered { .. }
            | Event::TogetherFailed { .. }
    );
    let found = if answers {
        members::in_known_team(tx, &inbound.team, &inbound.actor.user_id, now)?
    } else {
        let defaults = &core.config.team_defaults;
        Some(members::with_team(tx, &inbound.team, &inbound.actor.user_id, defaults, now)?)
    };
    let Some((team, member)) = found else {
        return Ok(Handled::UnknownTeam(inbound.event));
    };
    let weather_key = core.weather_key.clone();
    let turn = Turn { team, member, inbound, now, weather_key };
    let reply = match &turn.inbound.event {
        Event::Command(call) => features::run(core, tx, &turn, call),
        Event::BadCommand(error) => Ok(Reply::say(vec![command_error(core, &turn, error)])),
        Event::Text(_) => engine::text(core, tx, &turn),
        // Tokens are read in one place; one hearth did not make has expired, as far as
        // anyone pressing it can tell.
        Event::Choice { token, option } => match Token::parse(token) {
            Some(Token::Request { request, nonce }) => {
                features::debrief::choice(tx, &turn, request, &nonce, option)
            }
            Some(step) => engine::choice(core, tx, &turn, &step, option.clone()),
            None => Ok(expired()),
        },
        Event::Form { token, fields } => match Token::parse(token) {
            Some(token) => engine::form(core, tx, &turn, &token, fields),
            None => Ok(expired()),
        },
        Event::Restarted { token } => match Token::parse(token) {
            Some(token) => engine::restarted(core, tx, &turn, &token),
            None => Ok(expired()),
        },
        Event::Undelivered { user_id, error } => {
            Ok(features::undelivered(core, &turn, user_id, error))
        }
        Event::TogetherFailed { people, .. } => Ok(features::together_failed(&turn, people)),
        // Handled before a team is looked up (`Bot::removed`); never reaches here.
        Event::Removed => Ok(Reply::default()),
    };
    Ok(Handled::Turn(Box::new((turn, reply?))))
}

/// The form `actor`'s current step offers under `token` (see `Handler::form`), in a job that
/// only reads: an unknown team or person is not created, and the session is left as it is.
fn offered_form(
    core: &Core,
    tx: &Tx,
    (team, actor): (TeamRef, Actor),
    token: String,
    now: DateTime<Utc>,
) -> Result<Option<Form>, CoreError> {
    let Some(found) = teams::find(tx, &team)? else { return Ok(None) };
    let Some(member) = members::get(tx, found.id, &actor.user_id)? else { return Ok(None) };
    // The turn stands for a click on a form this process did not render (`Restarted`, but
    // answered by describing it). A step's form never depends on the place, so it names none.
    let event = Event::Restarted { token: token.clone() };
    let inbound = Inbound { team, actor, place: Place::Direct, event };
    let turn = Turn { team: found, member, inbound, now, weather_key: core.weather_key.clone() };
    engine::offered_form(core, tx, &turn, &token)
}

/// The answer to a button or form that no longer asks anything (or never did).
fn expired() -> Reply {
    Reply::say(vec![Say::text(k::EXPIRED)])
}

/// What handling an event came to.
enum Handled {
    Turn(Box<(Turn, Reply)>),
    /// An answer reached a team hearth does not know (any longer); nothing was stored.
    UnknownTeam(Event),
}

/// The one message for an answer to a team hearth does not know: for a button or a form,
/// that it has expired; for typed text, that hearth answers commands.
fn to_unknown_team(core: &Core, event: &Event) -> Vec<Outbound> {
    let key = match event {
        Event::Choice { .. } | Event::Form { .. } | Event::Restarted { .. } => k::EXPIRED,
        Event::Text(_) => k::TEXT_WITHOUT_COMMAND,
        _ => return Vec::new(),
    };
    vec![engine::outside_a_team(core, key)]
}

#[async_trait]
impl Handler for Bot {
    fn catalogue(&self) -> &Catalogue {
        &self.core.catalogue
    }

    fn describe(&self, key: &'static str, locale: &str) -> String {
        self.core.prompts.render(locale, &crate::flows::Line::new(key))
    }

    async fn handle(&self, inbound: Inbound) -> Vec<Outbound> {
        if matches!(inbound.event, Event::Removed) {
            self.removed(inbound.team).await;
            return Vec::new();
        }
        let kind = event_kind(&inbound.event);
        let platform = inbound.team.platform.as_str();
        let now = self.clock.now();
        let core = self.core.clone();
        match self.store.run(move |tx| handle(&core, tx, inbound, now)).await {
            Ok(Handled::UnknownTeam(event)) => {
                tracing::debug!(
                    platform,
                    event = kind,
                    "an answer for a team hearth does not know"
                );
                to_unknown_team(&self.core, &event)
            }
            Ok(Handled::Turn(handled)) => {
                let (turn, reply) = *handled;
                if reply.schedules_changed {
                    self.schedules_changed.notify_one();
                }
                tracing::debug!(
                    team = turn.team.id,
                    member = turn.member.id,
                    event = kind,
                    messages = reply.says.len(),
                    "handled"
                );
                engine::render(&self.core, &turn, reply)
            }
            Err(error) => {
                // Errors name tables and constraints, never bound values, so they are safe
                // to log; the person gets an apology and nothing half-done is kept.
                tracing::error!(platform, event = kind, %error, "event failed");
                vec![engine::apology(&self.core)]
            }
        }
    }

    async fn form(&self, team: TeamRef, actor: Actor, token: String) -> Option<Form> {
        let platform = team.platform.as_str();
        let now = self.clock.now();
        let core = self.core.clone();
        let described =
            self.store.run(move |tx| offered_form(&core, tx, (team, actor), token, now)).await;
        match described {
            Ok(form) => {
                tracing::debug!(platform, found = form.is_some(), "a form described again");
                form
            }
            Err(error) => {
                tracing::error!(platform, %error, "a form could not be described again");
                None
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
        Event::Restarted { .. } => "restarted",
        Event::Undelivered { .. } => "undelivered",
        Event::TogetherFailed { .. } => "together_failed",
        Event::Removed => "removed",
    }
}

/// Counts the exercises, scramble words and riddles in the prompts.
fn collections(prompts: &Prompts) -> crate::flows::Collections {
    use crate::flows::breaks::Kind;
    crate::flows::Collections {
        breathe: prompts.count(Kind::Breathe.collection()),
        stretch: prompts.count(Kind::Stretch.collection()),
        ground: prompts.count(Kind::Ground.collection()),
        rest: prompts.count(Kind::Rest.collection()),
        puzzles: crate::puzzles::Sizes {
            words: prompts.words(crate::prompts::DEFAULT_LOCALE).len() as u32,
            riddles: prompts.count("riddle"),
        },
    }
}

/// A kind answer to a command that could not be read: the command as people type it (never
/// a default subcommand's internal name), and what was missing in the catalogue's own words
/// (never an argument's internal name).
fn command_error(core: &Core, turn: &Turn, error: &CommandError) -> Say {
    use crate::flows::{Line, Part};
    use hearth_chat::ArgKind;
    let locale = turn.team.locale.as_str();
    let platform = turn.inbound.team.platform;
    // `/available`, not `/available set`: the default subcommand is typed bare.
    let typed = |command: &str, sub: &str| core.catalogue.typed_name(command, sub, platform);
    // What an argument is, as the catalogue describes it to people ("on or off").
    let what = |command: &str, sub: &str, arg: &str| {
        let key = core
            .catalogue
            .command(command)
            .and_then(|c| c.subcommands.iter().find(|s| s.name == sub))
            .and_then(|s| s.args.iter().find(|a| a.name == arg))
            .map(|a| a.summary_key);
        key.map(|key| lower_first(&core.prompts.render(locale, &Line::new(key))))
            .unwrap_or_default()
    };
    let line = match error {
        CommandError::Empty => Line::new(k::COMMAND_EMPTY),
        CommandError::LineTooLong { max_chars } => {
            Line::new(k::COMMAND_TOO_LONG_LINE).arg("max", *max_chars)
        }
        CommandError::UnknownCommand { given } => {
            Line::new(k::COMMAND_UNKNOWN).arg("given", given.as_str())
        }
        CommandError::UnknownSubcommand { command, given } if given.is_empty() => {
            Line::new(k::COMMAND_NEEDS_SUB).arg("command", *command)
        }
        CommandError::UnknownSubcommand { command, given } => {
            Line::new(k::COMMAND_UNKNOWN_SUB).arg("command", *command).arg("given", given.as_str())
        }
        CommandError::MissingArgument { command, subcommand, arg } => Line::new(k::COMMAND_MISSING)
            .arg("command", typed(command, subcommand))
            .arg("help", *command)
            .arg("what", what(command, subcommand, arg)),
        CommandError::InvalidArgument { command, subcommand, kind, .. } => {
            let hint = match kind {
                // Bounds that are only a storage limit (an item's number) mean nothing to
                // people: then only "a whole number" is said.
                ArgKind::Integer { min, max } if *max <= HINT_MAX_BOUND => {
                    Some(Line::new(k::HINT_NUMBER).arg("min", *min).arg("max", *max))
                }
                ArgKind::Integer { .. } => Some(Line::new(k::HINT_WHOLE_NUMBER)),
                ArgKind::OneOf(words) => {
                    Some(Line::new(k::HINT_ONE_OF).arg("words", words.join(", ")))
                }
                ArgKind::Timezone => Some(Line::new(k::HINT_TIMEZONE)),
                ArgKind::Text { .. } | ArgKind::Person => None,
            };
            let invalid = Line::new(k::COMMAND_INVALID)
                .arg("command", typed(command, subcommand))
                .arg("help", *command);
            return Say::actor(std::iter::once(invalid).chain(hint).map(Part::Text).collect());
        }
        CommandError::TooLong { command, subcommand, max_chars, .. } => {
            Line::new(k::COMMAND_TOO_LONG)
                .arg("command", typed(command, subcommand))
                .arg("max", *max_chars)
        }
        CommandError::TooManyArguments { command, subcommand } => Line::new(k::COMMAND_TOO_MANY)
            .arg("command", typed(command, subcommand))
            .arg("help", *command),
    };
    Say::line(line)
}

/// The largest integer bound worth showing people; beyond it a bound is a storage limit.
const HINT_MAX_BOUND: i64 = 10_000;

/// "The item's number" → "the item's number", to stand inside a sentence. Words that start
/// with two capitals (UTC) are left alone.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_owned(),
    }
}

/// The configured store, migrated: PostgreSQL at `database_url` (its password from
/// `HEARTH_DATABASE_PASSWORD` or its file), or SQLite in the data directory.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let password = crate::config::Secret::from_env(crate::config::DATABASE_PASSWORD)?;
    let password = password.as_ref().map(crate::config::Secret::expose);
    Ok(Store::connect(&config.data_dir, config.database_url.as_deref(), password).await?)
}

/// Opens everything the bot needs from configuration: the store (migrated) and the prompts.
pub async fn open(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<Bot> {
    let prompts = Prompts::load(config.prompts_dir.as_deref())?;
    let store = open_store(&config).await?;
    Ok(Bot::new(store, prompts, clock, config))
}
