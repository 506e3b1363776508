//! The `hearth` binary: reads configuration, opens the store, and runs the adapters.

// matrix-sdk's sync futures are deep; spawning them needs a higher limit.
#![recursion_limit = "256"]

use anyhow::Context;
use clap::{Parser, Subcommand};
use hearth::clock::SystemClock;
use hearth::config::Config;
use hearth::config::Secret;
use hearth::health::Health;
use hearth::scheduler::{Deliveries, Scheduler};
use hearth_chat::{Platform, TeamRef};
use hearth_console::{Console, ConsoleDelivery, ConsoleOptions};
use hearth_discord::{Discord, DiscordOptions};
use hearth_matrix::{Credential, MatrixOptions};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

mod matrix_identity;
mod matrix_serving;

#[derive(Debug, Parser)]
#[command(
    name = "hearth",
    version,
    about = "A kind chat bot that helps peer-support teams look after themselves."
)]
struct Cli {
    /// A TOML configuration file.
    #[arg(long, global = true, env = "HEARTH_CONFIG")]
    config: Option<PathBuf>,
    /// Where the database lives (overrides the configuration).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// More log detail on stderr: -v info, -vv debug, -vvv trace. Logs never hold what
    /// anyone typed.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Chat with hearth in this terminal (the default), beside any configured platform.
    Console,
    /// Serve the configured platforms (Matrix, Discord) without a terminal chat, until stopped.
    Serve,
    /// Create or update the database, then exit.
    Migrate,
    /// Check configuration and prompts; exits non-zero on any problem.
    Check,
    /// Measure how fast hearth handles complete check-ins.
    #[command(subcommand)]
    Bench(hearth::bench::Bench),
    /// Copy the database to a new file PATH, safely while hearth runs. It holds people's
    /// data: the file is readable by you only; keep it as carefully as the database.
    Backup { path: PathBuf },
    /// Delete what is past its retention now (hearth also does this every 10 minutes) and
    /// show per table how many rows went and by which rule.
    Purge {
        /// Only show what would go; delete nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Teams hearth knows.
    #[command(subcommand)]
    Team(TeamCommand),
    /// hearth on Matrix.
    #[command(subcommand)]
    Matrix(MatrixCommand),
}

#[derive(Debug, Subcommand)]
enum MatrixCommand {
    /// hearth's user, device, the device's fingerprint and whether it is signed by hearth's
    /// cross-signing identity: what to compare when verifying hearth by hand. Run it while
    /// hearth is stopped (it opens the same stores).
    Whoami,
}

#[derive(Debug, Subcommand)]
enum TeamCommand {
    /// Delete a team and everything hearth keeps of it, in one go, and show what went.
    Forget {
        /// PLATFORM:ID, as in discord:123456789, matrix:!room:example.org or console:demo.
        #[arg(value_parser = team_ref)]
        team: TeamRef,
        /// Only show what would go; delete nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// `PLATFORM:ID`: the platform's name, then the team's id there.
fn team_ref(s: &str) -> Result<TeamRef, String> {
    let (platform, id) =
        s.split_once(':').ok_or("expected PLATFORM:ID, as in discord:123 or console:demo")?;
    let platform = Platform::parse(platform)
        .ok_or_else(|| format!("{platform:?} is not a platform: use discord, matrix or console"))?;
    if id.is_empty() {
        return Err("the team's id after the colon is missing".into());
    }
    Ok(TeamRef { platform, id: id.to_owned() })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("hearth: could not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("hearth: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut config = Config::load(cli.config.as_deref()).context("configuration")?;
    if let Some(dir) = cli.data_dir {
        config.data_dir = dir;
    }
    // With no command: the console, beside any configured platform if a person is at the
    // terminal; a configured platform alone when hearth runs as a service.
    let platform_configured =
        config.matrix.homeserver.is_some() || Secret::from_env(DISCORD_TOKEN)?.is_some();
    let command =
        cli.command.unwrap_or(if platform_configured && !std::io::stdin().is_terminal() {
            Command::Serve
        } else {
            Command::Console
        });
    match command {
        Command::Console => serve(config, true).await,
        Command::Serve => serve(config, false).await,
        Command::Migrate => {
            let store = hearth::bot::open_store(&config).await?;
            store.close().await;
            match &config.database_url {
                Some(_) => println!("hearth: the PostgreSQL database is up to date"),
                None => println!(
                    "hearth: database at {} is up to date",
                    hearth::store::database_path(&config.data_dir).display()
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let mut problems = hearth::check::problems(&config);
            problems.extend(matrix_identity::problems(matrix_options(&config)).await);
            if problems.is_empty() {
                println!("hearth: configuration and prompts are in order");
                Ok(ExitCode::SUCCESS)
            } else {
                for problem in &problems {
                    eprintln!("hearth: {problem}");
                }
                Ok(ExitCode::from(2))
            }
        }
        Command::Bench(args) => {
            hearth::bench::run(args).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { path } => {
            if let Some(url) = &config.database_url {
                // PostgreSQL's own tool makes a consistent copy of a live database; hearth
                // would only do it worse.
                eprintln!(
                    "hearth: this hearth keeps its data in PostgreSQL; back it up with pg_dump \
                     (the password as PGPASSWORD or in ~/.pgpass), for example:"
                );
                println!("pg_dump --format=custom --file={} '{url}'", path.display());
                return Ok(ExitCode::from(2));
            }
            let data_dir = config.data_dir.clone();
            let backup =
                tokio::task::spawn_blocking(move || hearth::store::backup::write(&data_dir, &path))
                    .await??;
            println!(
                "hearth: backed up {} to {} ({} bytes; readable by you only)",
                hearth::store::database_path(&config.data_dir).display(),
                backup.path.display(),
                backup.bytes
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Purge { dry_run } => {
            let store = open_existing(&config).await?;
            let retention = hearth::store::Retention::from(&config.retention);
            let plan = store.purge(chrono::Utc::now(), retention, mode(dry_run)).await;
            store.close().await;
            let plan = plan?;
            if dry_run {
                println!(
                    "hearth: a purge now would delete {} rows (dry run: nothing deleted)",
                    plan.total()
                );
            } else {
                println!("hearth: purged {} rows", plan.total());
            }
            print!("{plan}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Matrix(MatrixCommand::Whoami) => {
            let Some(options) = matrix_options(&config)? else {
                anyhow::bail!("Matrix is not configured (matrix.homeserver is not set)");
            };
            matrix_identity::whoami(&options).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Team(TeamCommand::Forget { team, dry_run }) => {
            let store = open_existing(&config).await?;
            let name = format!("{}:{}", team.platform.as_str(), team.id);
            let mode = mode(dry_run);
            let plan = store.run(move |tx| hearth::store::forget::team(tx, &team, mode)).await;
            store.close().await;
            let Some(plan) = plan? else {
                anyhow::bail!("hearth knows no team {name}; nothing was deleted");
            };
            if dry_run {
                println!("hearth: forgetting {name} would delete (dry run: nothing deleted):");
            } else {
                println!("hearth: forgot {name}:");
            }
            print!("{plan}");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The store on a database that must exist already (an operator's command on the wrong data
/// directory should not make an empty one).
async fn open_existing(config: &Config) -> anyhow::Result<hearth::store::Store> {
    let path = hearth::store::database_path(&config.data_dir);
    if config.database_url.is_none() && !path.is_file() {
        anyhow::bail!("there is no database at {} (is the data directory right?)", path.display());
    }
    hearth::bot::open_store(config).await
}

fn mode(dry_run: bool) -> hearth::store::Mode {
    if dry_run { hearth::store::Mode::DryRun } else { hearth::store::Mode::Apply }
}

/// Runs the adapters that are configured, the scheduler, and (when wanted) the console,
/// until the console ends or hearth is told to stop (Ctrl-C, SIGTERM).
async fn serve(config: Config, console_wanted: bool) -> anyhow::Result<ExitCode> {
    let problems = hearth::check::problems(&config);
    if let Some(problem) = problems.first() {
        anyhow::bail!("{problem} (run `hearth check` for the full list)");
    }
    let options = ConsoleOptions {
        team: config.console.team.clone(),
        speaker: config.console.speaker.clone(),
        admins: true,
    };
    // Files hearth sends in the console (a calendar entry) are written here.
    let files_dir = Some(config.data_dir.join("files"));
    let console_delivery = ConsoleDelivery::new(config.console.delivery_log.as_deref())
        .context("opening the console's delivery log")?
        .with_files_dir(files_dir.clone());
    let matrix_options = matrix_options(&config)?;
    let discord_options = discord_options(&config)?;
    let health_listen = config.health.listen;
    let bot = Arc::new(hearth::bot::open(config, Arc::new(SystemClock)).await?);
    let shutdown = CancellationToken::new();
    let mut deliveries = Deliveries::default().with(Arc::new(console_delivery));
    let mut tasks = Vec::new();
    let health = Health::default();
    if console_wanted {
        health.set("console", "serving");
    }
    if let Some(options) = discord_options {
        let serving =
            options.shards.map_or_else(|| "serving every shard".into(), |s| s.to_string());
        let discord =
            Discord::connect(options, bot.clone()).await.context("connecting to Discord")?;
        deliveries = deliveries.with(discord.delivery());
        health.set("discord", serving);
        let stop = shutdown.clone();
        tasks.push(tokio::spawn(async move { discord.run(stop).await }));
    }
    let scheduler = Arc::new(Scheduler::new(bot.clone(), deliveries));
    scheduler.ensure_housekeeping().await?;
    tasks.push(tokio::spawn(scheduler.clone().run(shutdown.clone())));
    health.set("scheduler", "running");
    // Matrix: once this process holds the lease, meanwhile the rest is served.
    let matrix_failed =
        matrix_serving::start(matrix_options, &bot, scheduler, &health, &shutdown, &mut tasks)?;
    tokio::pin!(matrix_failed);
    let mut failure = None;
    if let Some(addr) = health_listen {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("listening for health checks on {addr}"))?;
        let (health, bot, stop) = (health.clone(), bot.clone(), shutdown.clone());
        tasks.push(tokio::spawn(health.serve(listener, bot, stop)));
    }
    health.log_ready(bot.store()).await;

    if console_wanted {
        let mut console = Console::new(bot.clone(), options).with_files_dir(files_dir);
        let interactive = std::io::stdin().is_terminal();
        let mut stdout = tokio::io::stdout();
        if interactive {
            use tokio::io::AsyncWriteExt;
            let welcome = console.line("/help").await;
            stdout.write_all(welcome.text.as_bytes()).await?;
        }
        let stdin = tokio::io::BufReader::new(tokio::io::stdin());
        tokio::select! {
            result = hearth_console::run(&mut console, stdin, stdout, interactive) => result?,
            () = stop_requested() => {}
            error = &mut matrix_failed => failure = Some(error),
        }
    } else {
        tokio::select! {
            () = stop_requested() => {}
            error = &mut matrix_failed => failure = Some(error),
        }
    }
    shutdown.cancel();
    for task in tasks {
        if let Err(error) = task.await {
            tracing::error!(%error, "a task ended badly");
        }
    }
    bot.store().close().await;
    failure.map_or(Ok(ExitCode::SUCCESS), Err)
}

/// Ctrl-C or SIGTERM.
async fn stop_requested() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}

/// Matrix settings, when a homeserver is configured. The password or access token comes only
/// from the environment (or a file named there).
fn matrix_options(config: &Config) -> anyhow::Result<Option<MatrixOptions>> {
    let Some(homeserver) = &config.matrix.homeserver else { return Ok(None) };
    let password = Secret::from_env("HEARTH_MATRIX_PASSWORD")?;
    let token = Secret::from_env("HEARTH_MATRIX_ACCESS_TOKEN")?;
    let credential = match (password, token) {
        (Some(password), None) => Credential::Password(password.expose().to_owned()),
        (None, Some(token)) => Credential::AccessToken(token.expose().to_owned()),
        (Some(_), Some(_)) => anyhow::bail!(
            "both HEARTH_MATRIX_PASSWORD and HEARTH_MATRIX_ACCESS_TOKEN are set; keep one"
        ),
        (None, None) => anyhow::bail!(
            "matrix.homeserver is set, but neither HEARTH_MATRIX_PASSWORD nor \
             HEARTH_MATRIX_ACCESS_TOKEN (or their _FILE forms) is"
        ),
    };
    Ok(Some(MatrixOptions {
        homeserver: homeserver.clone(),
        user: config.matrix.user.clone(),
        credential,
        store_dir: config.data_dir.join("matrix"),
        admin_power_level: config.matrix.admin_power_level,
        allowed_inviters: config.matrix.allowed_inviters.clone(),
    }))
}

/// The Discord bot token's variable (or `…_FILE`); Discord is served when it is set.
const DISCORD_TOKEN: &str = "HEARTH_DISCORD_TOKEN";

/// Discord settings, when a token is in the environment.
fn discord_options(config: &Config) -> anyhow::Result<Option<DiscordOptions>> {
    let Some(token) = Secret::from_env(DISCORD_TOKEN)? else { return Ok(None) };
    let mut options = DiscordOptions::new(token.expose());
    options.api_base = config.discord.api_base.clone();
    options.guild_id = config.discord.guild_id;
    if let (Some(range), Some(total)) = (config.discord.shards, config.discord.shard_total) {
        let shards = hearth_discord::Shards::new(range.first(), range.last(), total);
        options.shards = Some(shards.context("discord.shards must lie within shard_total")?);
    }
    options.locale = config.team_defaults.locale.clone();
    Ok(Some(options))
}

/// Libraries whose detailed logs carry request bodies, URLs with interaction tokens or
/// headers: capped unless `HEARTH_LOG` asks for them by name.
const QUIET_LIBRARIES: [&str; 7] =
    ["serenity", "tungstenite", "tokio_tungstenite", "reqwest", "hyper", "matrix_sdk", "ruma"];

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_env("HEARTH_LOG").unwrap_or_else(|_| {
        let quiet = QUIET_LIBRARIES.map(|name| format!("{name}=warn")).join(",");
        EnvFilter::new(format!("{default},{quiet}"))
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}
