//! Configuration: defaults, then a TOML file, then `HEARTH_…` environment variables.
//!
//! Secrets never come from the TOML file: only from the environment or a file named there, and
//! they are held in a type that cannot be printed or logged.

use chrono_tz::Tz;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

mod shards;
pub use shards::{ShardRange, ShardRangeError};

/// The longest retention period (a century): beyond it dates stop being dates.
pub const MAX_RETENTION_DAYS: u32 = 36_500;

/// The smallest team-weather group hearth will ever show counts for.
pub const WEATHER_MIN_PEOPLE_FLOOR: u32 = 3;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the SQLite database lives; created if missing.
    pub data_dir: PathBuf,
    /// A PostgreSQL database instead of SQLite (`postgres://user@host/db`), for several hearth
    /// processes sharing one; its password comes from `HEARTH_DATABASE_PASSWORD` (or the file
    /// named by `HEARTH_DATABASE_PASSWORD_FILE`), never from this file.
    pub database_url: Option<String>,
    /// A folder of `<locale>/*.ftl` files whose messages replace the built-in wording.
    pub prompts_dir: Option<PathBuf>,
    /// Settings a team starts with until its admins change them with `/setup`.
    pub team_defaults: TeamDefaults,
    pub retention: Retention,
    pub breaks: BreaksConfig,
    pub supervision: SupervisionConfig,
    pub communities: CommunitiesConfig,
    pub console: ConsoleConfig,
    pub matrix: MatrixConfig,
    pub discord: DiscordConfig,
    pub health: HealthConfig,
}

/// Readiness for a supervisor: `GET /healthz` on `listen` (for example `127.0.0.1:9400`) when
/// set; unset, none (the readiness line in the log remains).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HealthConfig {
    pub listen: Option<std::net::SocketAddr>,
}

/// Discord, when a bot token is set in `HEARTH_DISCORD_TOKEN` or in the file named by
/// `HEARTH_DISCORD_TOKEN_FILE` (never in this file).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiscordConfig {
    /// Register hearth's commands in this guild only, where they appear at once (for
    /// development and trials). Unset: register them globally, for every guild hearth is in.
    pub guild_id: Option<u64>,
    /// For tests only: the base URL of a fake Discord (`http://127.0.0.1:PORT`). It also
    /// turns off serenity's rate limiter, which would otherwise still call discord.com.
    pub api_base: Option<String>,
    /// The shards this process serves (`"0-1"`, or `2`) of `shard_total`, set together, so
    /// that processes with complementary ranges share a bot. Unset: one process, one session.
    pub shards: Option<ShardRange>,
    pub shard_total: Option<u32>,
}

/// Matrix, when `homeserver` is set. The password comes from `HEARTH_MATRIX_PASSWORD`, or an
/// access token from `HEARTH_MATRIX_ACCESS_TOKEN` (or the files named by their `_FILE` forms),
/// never from this file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatrixConfig {
    pub homeserver: Option<String>,
    /// hearth's account: `@hearth:example.org` (for password login; a token names its own).
    pub user: String,
    /// Members at or above this power level in a team's room are its admins.
    pub admin_power_level: i64,
    /// Who may invite hearth into a room: server names or user ids. Empty: anyone.
    pub allowed_inviters: Vec<String>,
}

impl Default for MatrixConfig {
    fn default() -> Self {
        Self {
            homeserver: None,
            user: "hearth".into(),
            admin_power_level: 50,
            allowed_inviters: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TeamDefaults {
    pub timezone: Tz,
    pub locale: String,
    pub weather_min_people: u32,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Retention {
    /// Team weather counts.
    pub weather_days: u32,
    /// A person's own check-in colours, when they chose to keep them.
    pub history_days: u32,
    /// Supervision agenda items and actions, counted from when they were done or dropped.
    pub agenda_days: u32,
}

/// Breaks and their optional nudges.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BreaksConfig {
    /// The most automatic break nudges one person gets in one shift.
    pub nudges_per_shift: u32,
}

impl Default for BreaksConfig {
    fn default() -> Self {
        Self { nudges_per_shift: 3 }
    }
}

/// Supervision sessions.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SupervisionConfig {
    /// How long before each session its participants are reminded, in minutes.
    pub reminder_minutes: Vec<u32>,
    /// A series with no session this far ahead gets one advance notice (days).
    pub gap_horizon_days: u32,
}

impl Default for SupervisionConfig {
    fn default() -> Self {
        Self { reminder_minutes: vec![24 * 60, 15], gap_horizon_days: 42 }
    }
}

/// Communities of practice.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CommunitiesConfig {
    /// How long before each gathering its members are reminded, in minutes.
    pub reminder_minutes: Vec<u32>,
}

impl Default for CommunitiesConfig {
    fn default() -> Self {
        Self { reminder_minutes: vec![24 * 60, 15] }
    }
}

/// The longest lead a reminder may have: a week, in minutes.
pub const MAX_REMINDER_MINUTES: u32 = 7 * 24 * 60;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsoleConfig {
    /// The console's team id: everyone played in one console session belongs to it.
    pub team: String,
    /// Who is speaking when the console starts (`/as NAME` switches).
    pub speaker: String,
    /// A file to which each scheduled message the console shows adds one line (its
    /// idempotency key and where it went). For scripts and tests.
    pub delivery_log: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("hearth-data"),
            database_url: None,
            prompts_dir: None,
            team_defaults: TeamDefaults::default(),
            retention: Retention::default(),
            breaks: BreaksConfig::default(),
            supervision: SupervisionConfig::default(),
            communities: CommunitiesConfig::default(),
            console: ConsoleConfig::default(),
            matrix: MatrixConfig::default(),
            discord: DiscordConfig::default(),
            health: HealthConfig::default(),
        }
    }
}

impl Default for TeamDefaults {
    fn default() -> Self {
        Self { timezone: Tz::UTC, locale: "en".into(), weather_min_people: 3 }
    }
}

impl Default for Retention {
    fn default() -> Self {
        Self { weather_days: 365, history_days: 90, agenda_days: 365 }
    }
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self { team: "demo".into(), speaker: "you".into(), delivery_log: None }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read the configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    #[error(
        "team_defaults.weather_min_people is {0}; it can't be below {WEATHER_MIN_PEOPLE_FLOOR}, so no one can be identified"
    )]
    WeatherTooSmall(u32),
    #[error("retention.{0} is {1}; it must be from 1 to {MAX_RETENTION_DAYS} days")]
    Retention(&'static str, u32),
    #[error("{0}.reminder_minutes must each be between 1 and {MAX_REMINDER_MINUTES} (a week)")]
    ReminderLead(&'static str),
    #[error("console.{0} must not be empty")]
    EmptyName(&'static str),
    #[error("discord.{0}")]
    Discord(&'static str),
    #[error("database_url {0}")]
    DatabaseUrl(&'static str),
    #[error("could not read the secret file named by {var}: {source}")]
    SecretFile { var: String, source: std::io::Error },
}

/// Where the PostgreSQL password comes from (or the file named by its `_FILE` form).
pub const DATABASE_PASSWORD: &str = "HEARTH_DATABASE_PASSWORD";

/// The top-level settings, as `HEARTH_…` variables may name them.
const SECTIONS: [&str; 12] = [
    "data_dir",
    "database_url",
    "prompts_dir",
    "team_defaults",
    "retention",
    "breaks",
    "supervision",
    "communities",
    "console",
    "matrix",
    "discord",
    "health",
];

/// Whether a `HEARTH_…` variable (prefix removed, as written, `__` already turned into `.`)
/// names a setting.
fn is_setting(key: &str) -> bool {
    let section = key.split('.').next().unwrap_or(key);
    SECTIONS.iter().any(|s| s.eq_ignore_ascii_case(section))
}

impl Config {
    /// Loads defaults, then `file` if given (it must exist), then `HEARTH_…` variables
    /// (`HEARTH_DATA_DIR`, `HEARTH_TEAM_DEFAULTS__TIMEZONE`, …; `__` separates sections).
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(file) = file {
            figment = figment.merge(Toml::file_exact(file));
        }
        // Only variables naming a setting are read: others (HEARTH_LOG, HEARTH_CONFIG, secrets
        // such as HEARTH_MATRIX_PASSWORD, a test's own variables) are not configuration.
        let env = Env::prefixed("HEARTH_").split("__").filter(|key| is_setting(key.as_str()));
        let config: Config = figment.merge(env).extract().map_err(Box::new)?;
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.team_defaults.weather_min_people < WEATHER_MIN_PEOPLE_FLOOR {
            return Err(ConfigError::WeatherTooSmall(self.team_defaults.weather_min_people));
        }
        let retention = &self.retention;
        for (name, days) in [
            ("weather_days", retention.weather_days),
            ("history_days", retention.history_days),
            ("agenda_days", retention.agenda_days),
        ] {
            if !(1..=MAX_RETENTION_DAYS).contains(&days) {
                return Err(ConfigError::Retention(name, days));
            }
        }
        let leads = [
            ("supervision", &self.supervision.reminder_minutes),
            ("communities", &self.communities.reminder_minutes),
        ];
        for (section, minutes) in leads {
            if minutes.iter().any(|m| !(1..=MAX_REMINDER_MINUTES).contains(m)) {
                return Err(ConfigError::ReminderLead(section));
            }
        }
        if self.console.team.trim().is_empty() {
            return Err(ConfigError::EmptyName("team"));
        }
        if self.console.speaker.trim().is_empty() {
            return Err(ConfigError::EmptyName("speaker"));
        }
        if let Some(url) = &self.database_url {
            check_database_url(url)?;
        }
        if self.discord.guild_id == Some(0) {
            return Err(ConfigError::Discord("guild_id must be a guild's id, not 0"));
        }
        if let Some(base) = &self.discord.api_base
            && !(base.starts_with("http://") || base.starts_with("https://"))
        {
            return Err(ConfigError::Discord("api_base must start with http:// or https://"));
        }
        shards::check(self.discord.shards, self.discord.shard_total)
            .map_err(ConfigError::Discord)?;
        Ok(())
    }
}

/// A PostgreSQL URL without a password in it (the password is a secret, set apart).
fn check_database_url(url: &str) -> Result<(), ConfigError> {
    let Some(rest) = url.strip_prefix("postgres://").or_else(|| url.strip_prefix("postgresql://"))
    else {
        return Err(ConfigError::DatabaseUrl("must start with postgres:// (SQLite needs none)"));
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if let Some((user, _)) = authority.rsplit_once('@')
        && user.contains(':')
    {
        return Err(ConfigError::DatabaseUrl(
            "must not hold a password: set HEARTH_DATABASE_PASSWORD (or _FILE) instead",
        ));
    }
    Ok(())
}

/// A secret (a bot token, a password). Its `Debug` prints `[REDACTED]`; it has no `Display`.
#[derive(Clone, Debug)]
pub struct Secret(SecretString);

impl Secret {
    /// Reads `VAR`, or the file named by `VAR_FILE` (trailing newline trimmed).
    pub fn from_env(var: &str) -> Result<Option<Secret>, ConfigError> {
        if let Ok(value) = std::env::var(var) {
            return Ok(Some(Secret(value.into())));
        }
        let file_var = format!("{var}_FILE");
        match std::env::var_os(&file_var) {
            None => Ok(None),
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .map_err(|source| ConfigError::SecretFile { var: file_var, source })?;
                Ok(Some(Secret(text.trim_end_matches(['\r', '\n']).to_owned().into())))
            }
        }
    }

    /// The secret itself, for the one call that needs it. Never log the result.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

#[cfg(test)]
mod tests;
