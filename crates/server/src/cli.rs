//! The `cmnp` command line.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use cmnp_domain::user::{NewUser, Password, Role, UserInput};
use cmnp_store::Store;

use crate::config::Config;
use crate::{demo, reminders, serve};

#[derive(Debug, Parser)]
#[command(
    name = "cmnp",
    version,
    about = "Coordination service of the CMNP-TP-TIM"
)]
pub struct Cli {
    /// A TOML configuration file (also CMNP_CONFIG); environment variables win over it.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve HTTP (GraphQL at /graphql).
    Serve {
        /// Load the demo commission first (once; running again adds nothing).
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Load data.
    Seed {
        #[command(subcommand)]
        what: SeedCommand,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Print the GraphQL schema (SDL), as schema.graphql holds it.
    Schema,
    /// Export data.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Plan reminders and digests.
    Reminders {
        #[command(subcommand)]
        command: RemindersCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum RemindersCommand {
    /// Show what the sweeps of a day plan, without planning or sending anything.
    Preview {
        /// The day, in the commission's time zone (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<chrono::NaiveDate>,
    },
    /// Plan what is due now and deliver everything due, once.
    RunOnce,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Every project as IATI 2.03 activity XML.
    Iati {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SeedCommand {
    /// The demo commission: agencies, representatives, demo users.
    Demo,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password comes from CMNP_PASSWORD or a prompt.
    Create(CreateUser),
    /// Close an account: its password no longer signs in and every token it holds is
    /// revoked.
    Deactivate {
        #[arg(long)]
        email: String,
    },
    /// Reopen a closed account; its revoked tokens stay revoked.
    Reactivate {
        #[arg(long)]
        email: String,
    },
    /// Set a user's password (from CMNP_PASSWORD or a prompt); every session of the user
    /// ends.
    SetPassword {
        #[arg(long)]
        email: String,
    },
    /// Send a user a one-time link to choose a new password, valid for 24 hours (by
    /// e-mail through the outbox), and print it; earlier links stop working.
    ResetLink {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Args)]
pub struct CreateUser {
    #[arg(long)]
    email: String,
    #[arg(long)]
    name: String,
    #[arg(long, value_enum)]
    role: RoleArg,
    /// The agency's acronym (for AGENCY and DONOR users).
    #[arg(long)]
    agency: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "SCREAMING_SNAKE_CASE")]
enum RoleArg {
    Secretariat,
    Agency,
    Donor,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Secretariat => Role::Secretariat,
            RoleArg::Agency => Role::Agency,
            RoleArg::Donor => Role::Donor,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token and print it (alone) on standard output.
    Create {
        /// The user the token authenticates as.
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
        /// Days until it expires; default: never (until revoked).
        #[arg(long)]
        expires_in_days: Option<u32>,
    },
}

/// Runs a command that needs the configuration (every one but `schema`).
pub async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve { demo } => serve::run(config, demo).await,
        Command::Migrate => {
            let store = open(&config).await?;
            tracing::info!("migrations applied");
            store.close().await?;
            Ok(())
        }
        Command::Seed {
            what: SeedCommand::Demo,
        } => {
            let store = open(&config).await?;
            let loaded = demo::load(&store, config.time_zone, config.quorum_rule).await?;
            tracing::info!(?loaded, "demo data loaded");
            store.close().await?;
            Ok(())
        }
        Command::User { command } => match command {
            UserCommand::Create(args) => create_user(&config, args).await,
            UserCommand::Deactivate { email } => {
                change_account(&config, &email, AccountChange::Deactivate).await
            }
            UserCommand::Reactivate { email } => {
                change_account(&config, &email, AccountChange::Reactivate).await
            }
            UserCommand::SetPassword { email } => {
                let password = Password::parse(password_for(&email)?)?;
                change_account(&config, &email, AccountChange::SetPassword(password)).await
            }
            UserCommand::ResetLink { email } => reset_link(&config, &email).await,
        },
        Command::Token {
            command:
                TokenCommand::Create {
                    email,
                    name,
                    expires_in_days,
                },
        } => create_token(&config, &email, &name, expires_in_days).await,
        Command::Schema => print(&cmnp_graphql::sdl()),
        Command::Reminders { command } => {
            let store = open(&config).await?;
            let text = match command {
                RemindersCommand::Preview { on } => {
                    let day = on.unwrap_or_else(|| {
                        cmnp_domain::meeting::local_date(chrono::Utc::now(), config.time_zone)
                    });
                    let at = reminders::end_of_day(&config, day)?;
                    let report = notifier(&config)
                        .sweep(&store, &config.reminders, at, false)
                        .await?;
                    reminders::describe(&report)
                }
                RemindersCommand::RunOnce => reminders::run_once(&store, &config).await?,
            };
            store.close().await?;
            print(&text)
        }
        Command::Export {
            what: ExportCommand::Iati { output },
        } => {
            let store = open(&config).await?;
            let xml = crate::iati::export(
                &store,
                cmnp_store::ProjectScope::All,
                &config.public_url,
                config.time_zone,
            )
            .await?;
            store.close().await?;
            match output {
                Some(path) => std::fs::write(&path, xml)
                    .with_context(|| format!("cannot write {}", path.display())),
                None => print(&xml),
            }
        }
    }
}

/// Connects to the configured database (creating the SQLite folder if needed) and
/// applies pending migrations.
pub async fn open(config: &Config) -> anyhow::Result<Store> {
    if let Some(path) = sqlite_path(&config.database_url)
        && let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the database folder {}", folder.display()))?;
    }
    let store = Store::connect(&config.database_url)
        .await
        .with_context(|| {
            format!(
                "cannot connect to the database at {}",
                redact(&config.database_url)
            )
        })?;
    store
        .migrate()
        .await
        .context("cannot apply database migrations")?;
    Ok(store
        .with_planner(notifier(config))
        .with_time_zone(config.time_zone)
        .with_document_files(crate::documents::files(config)?))
}

/// The commission's notifications, written as [`commission`] writes them.
pub fn notifier(config: &Config) -> cmnp_notify::Notifier {
    cmnp_notify::Notifier::new(commission(config))
}

/// Who the commission's e-mails come from, and where their links point.
pub fn commission(config: &Config) -> cmnp_mail::Commission {
    cmnp_mail::Commission::cmnp(&config.public_url, &config.mail_from)
}

fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.starts_with(':')).then(|| PathBuf::from(path))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

/// The password for `email`: CMNP_PASSWORD, or a prompt on the terminal.
fn password_for(email: &str) -> anyhow::Result<String> {
    match std::env::var("CMNP_PASSWORD") {
        Ok(password) => Ok(password),
        Err(_) => rpassword::prompt_password(format!("Password for {email}: "))
            .context("cannot read the password (set CMNP_PASSWORD when there is no terminal)"),
    }
}

/// A change to an existing account from the command line.
enum AccountChange {
    Deactivate,
    Reactivate,
    SetPassword(Password),
}

async fn change_account(config: &Config, email: &str, change: AccountChange) -> anyhow::Result<()> {
    let store = open(config).await?;
    let Some(user) = store.user_by_email(email).await? else {
        bail!("no user has the e-mail {email}");
    };
    let changed = match change {
        AccountChange::Deactivate => store.deactivate_user(None, user.id).await?,
        AccountChange::Reactivate => store.reactivate_user(None, user.id).await?,
        AccountChange::SetPassword(password) => store.set_password(None, user.id, password).await?,
    };
    store.close().await?;
    tracing::info!(user = %changed.email, active = changed.active, "account changed");
    Ok(())
}

async fn reset_link(config: &Config, email: &str) -> anyhow::Result<()> {
    let store = open(config).await?;
    let Some(user) = store.user_by_email(email).await? else {
        bail!("no user has the e-mail {email}");
    };
    let issued = store.request_password_reset(None, user.id).await?;
    store.close().await?;
    tracing::info!(user = %issued.user.email, expires_at = %issued.expires_at, emailed = issued.emailed, "reset link issued");
    print(&format!(
        "{}\n",
        commission(config).reset_url(&issued.secret, issued.user.locale)
    ))
}

async fn create_user(config: &Config, args: CreateUser) -> anyhow::Result<()> {
    let password = password_for(&args.email)?;
    let store = open(config).await?;
    let agency_id = match &args.agency {
        Some(acronym) => Some(
            store
                .agency_by_acronym(acronym)
                .await?
                .with_context(|| format!("no agency has the acronym {acronym}"))?
                .id,
        ),
        None => None,
    };
    let new = NewUser::try_from(UserInput {
        email: args.email,
        name: args.name,
        role: Some(args.role.into()),
        agency_id,
        password,
        locale: None,
    })?;
    let user = store.create_user(None, new).await?;
    store.close().await?;
    tracing::info!(user = %user.email, role = %user.role, "user created");
    Ok(())
}

async fn create_token(
    config: &Config,
    email: &str,
    name: &str,
    expires_in_days: Option<u32>,
) -> anyhow::Result<()> {
    let store = open(config).await?;
    let Some(user) = store.user_by_email(email).await? else {
        bail!("no user has the e-mail {email}");
    };
    let now = chrono::Utc::now();
    let expires_at = expires_in_days.map(|days| now + chrono::Duration::days(i64::from(days)));
    let (name, expires_at) = cmnp_domain::user::token_fields(name, expires_at, now)?;
    let issued = store
        .create_api_token(None, user.id, name, expires_at)
        .await?;
    store.close().await?;
    print(&issued.secret)
}

/// Writes `text` and a newline to standard output: the command's result, for scripts.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", text.trim_end()).context("cannot write to standard output")?;
    stdout.flush().context("cannot write to standard output")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_and_redaction() {
        assert_eq!(
            sqlite_path("sqlite://data/cmnp.db?mode=rwc"),
            Some(PathBuf::from("data/cmnp.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
        assert_eq!(
            redact("postgres://cmnp:s3cret@db:5432/cmnp"),
            "postgres://cmnp:***@db:5432/cmnp"
        );
        assert_eq!(redact("sqlite://data/cmnp.db"), "sqlite://data/cmnp.db");
    }
}
