use std::process::ExitCode;

use clap::Parser;
use cmnp_server::Config;
use cmnp_server::cli::{self, Cli, Command};
use cmnp_server::config::LogFormat;
use tracing_subscriber::EnvFilter;

/// A request allocates many small, short-lived values (fields, rows, JSON); mimalloc's
/// per-thread heaps serve them without the contention of the system allocator's arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
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
