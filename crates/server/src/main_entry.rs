//! What the `cmnp` binary does, from its arguments to its exit code: parse the command
//! line, read the configuration, set up logging and run the command.

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use crate::Config;
use crate::cli::{self, Cli, Command};
use crate::config::LogFormat;

/// Runs `cmnp` with the process's arguments and environment.
pub fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cmnp: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run())
}

async fn run() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Schema = cli.command {
        return exit(cli::print(&cmnp_graphql::sdl()));
    }
    let config = match Config::from_env(cli.config.as_deref()) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("cmnp: configuration error: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    init_logging(config.log_format);
    exit(cli::run(cli.command, config).await)
}

fn exit(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cmnp: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to standard error, so that standard output carries only a command's result
/// (the token of `cmnp token create`, the SDL of `cmnp schema`).
fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_env("CMNP_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
