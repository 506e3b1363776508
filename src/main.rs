//! The `hearth` binary: reads configuration, opens the store, and runs the adapters.

use anyhow::Context;
use clap::{Parser, Subcommand};
use hearth::clock::SystemClock;
use hearth::config::Config;
use hearth::scheduler::{Deliveries, Scheduler};
use hearth_console::{Console, ConsoleDelivery, ConsoleOptions};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

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
    /// Chat with hearth in this terminal (the default).
    Console,
    /// Create or update the database, then exit.
    Migrate,
    /// Check configuration and prompts; exits non-zero on any problem.
    Check,
    /// Measure how fast hearth handles complete check-ins.
    #[command(subcommand)]
    Bench(hearth::bench::Bench),
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
    match cli.command.unwrap_or(Command::Console) {
        Command::Console => console(config).await,
        Command::Migrate => {
            let store = hearth::store::Store::open(&config.data_dir)?;
            store.close().await;
            println!(
                "hearth: database at {} is up to date",
                hearth::store::database_path(&config.data_dir).display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let problems = hearth::check::problems(&config);
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
    }
}

async fn console(config: Config) -> anyhow::Result<ExitCode> {
    let problems = hearth::check::problems(&config);
    if let Some(problem) = problems.first() {
        anyhow::bail!("{problem} (run `hearth check` for the full list)");
    }
    let options = ConsoleOptions {
        team: config.console.team.clone(),
        speaker: config.console.speaker.clone(),
        admins: true,
    };
    let delivery = ConsoleDelivery::new(config.console.delivery_log.as_deref())
        .context("opening the console's delivery log")?;
    let bot = Arc::new(hearth::bot::open(config, Arc::new(SystemClock))?);
    let deliveries = Deliveries::default().with(Arc::new(delivery));
    let scheduler = Arc::new(Scheduler::new(bot.clone(), deliveries));
    scheduler.ensure_housekeeping().await?;
    let shutdown = CancellationToken::new();
    let scheduling = tokio::spawn(scheduler.run(shutdown.clone()));
    let mut console = Console::new(bot.clone(), options);
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
        _ = tokio::signal::ctrl_c() => {}
    }
    shutdown.cancel();
    if let Err(error) = scheduling.await {
        tracing::error!(%error, "the scheduler ended badly");
    }
    bot.store().close().await;
    Ok(ExitCode::SUCCESS)
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_env("HEARTH_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}
