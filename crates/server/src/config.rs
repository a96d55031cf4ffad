//! Configuration: defaults that run on a laptop, an optional TOML file, and `CMNP_*`
//! environment variables, which win over the file.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use chrono_tz::Tz;
use cmnp_domain::ValidationError;
use cmnp_domain::meeting::QuorumRule;
use cmnp_domain::reminder::{CronSchedule, Offsets};
use cmnp_notify::ReminderRules;
use serde::Deserialize;

/// The service's settings, validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: SocketAddr,
    /// The address people reach the service at, for links and printed instructions.
    pub public_url: String,
    /// The commission's time zone, in which dates such as due dates are read.
    pub time_zone: Tz,
    pub session_lifetime: chrono::Duration,
    /// How many voting members a session needs.
    pub quorum_rule: QuorumRule,
    pub max_body_bytes: usize,
    pub query_depth_limit: usize,
    pub query_complexity_limit: usize,
    /// Who may query the schema itself.
    pub introspection: cmnp_graphql::Introspection,
    pub request_timeout: Duration,
    pub log_format: LogFormat,
    /// `smtp://user:pass@host:port` or `smtps://…`; `None` writes e-mails to `outbox_dir`.
    pub smtp_url: Option<String>,
    pub outbox_dir: PathBuf,
    /// The address the commission's e-mails come from.
    pub mail_from: String,
    /// Which reminders and digests go out, and when.
    pub reminders: ReminderRules,
    /// When the sweep that plans meeting and due-date reminders runs.
    pub reminder_schedule: CronSchedule,
    /// How far ahead the sessions of a meeting series are created.
    pub series_horizon: chrono::Duration,
    /// Where documents' bytes are kept.
    pub document_storage: DocumentStorage,
    /// The largest document accepted, in bytes.
    pub document_max_bytes: usize,
    /// Subscriptions and webhooks.
    pub live: LiveSettings,
}

/// The limits of subscriptions over WebSocket and the rules of webhook deliveries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveSettings {
    /// Which webhook targets are taken beyond public `https://` addresses.
    pub webhook_targets: cmnp_domain::webhook::TargetPolicy,
    /// The wait before a failed delivery's second attempt; it doubles with each
    /// attempt, to at most an hour (as e-mails wait).
    pub webhook_retry_base: Duration,
    /// How long an endpoint has to answer a delivery.
    pub webhook_timeout: Duration,
    /// Open WebSocket connections one token may hold.
    pub max_connections_per_token: usize,
    /// Subscriptions one connection may hold.
    pub max_subscriptions: usize,
    /// The largest WebSocket message a client may send.
    pub max_message_bytes: usize,
    /// How often an idle connection is pinged; one that answers nothing for two
    /// intervals is closed.
    pub ping_interval: Duration,
}

/// Where documents' bytes are kept: a local folder, or an S3-compatible bucket (whose
/// credentials come from the standard `AWS_*` variables).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentStorage {
    Folder(PathBuf),
    S3 {
        bucket: String,
        /// For S3-compatible services other than AWS (MinIO, Garage…).
        endpoint: Option<String>,
        region: Option<String>,
        /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, read with the rest of the
        /// configuration; without them the AWS credential chain (a role, instance
        /// metadata) decides.
        access_key: Option<AccessKey>,
    },
}

/// An S3 access key: its id and its secret, which `Debug` never shows.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessKey {
    pub id: String,
    pub secret: String,
}

impl std::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessKey")
            .field("id", &self.id)
            .field("secret", &"[redacted]")
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The file's shape: every key optional, unknown keys refused (a typo should not be
/// silently ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    bind: Option<String>,
    public_url: Option<String>,
    time_zone: Option<String>,
    session_hours: Option<u32>,
    quorum_rule: Option<String>,
    max_body_bytes: Option<usize>,
    query_depth_limit: Option<usize>,
    query_complexity_limit: Option<usize>,
    introspection: Option<String>,
    request_timeout_secs: Option<u64>,
    log_format: Option<String>,
    smtp_url: Option<String>,
    outbox_dir: Option<String>,
    mail_from: Option<String>,
    meeting_reminder_days: Option<String>,
    due_reminder_days: Option<String>,
    reminder_schedule: Option<String>,
    series_horizon_days: Option<u32>,
    documents_dir: Option<String>,
    documents_s3_bucket: Option<String>,
    documents_s3_endpoint: Option<String>,
    documents_s3_region: Option<String>,
    document_max_bytes: Option<usize>,
    overdue_digest_schedule: Option<String>,
    secretariat_digest_schedule: Option<String>,
    webhooks_allow_loopback_http: Option<bool>,
    webhooks_allow_private: Option<bool>,
    webhook_retry_secs: Option<u64>,
    webhook_timeout_secs: Option<u64>,
    ws_max_connections_per_token: Option<usize>,
    ws_max_subscriptions: Option<usize>,
    ws_max_message_bytes: Option<usize>,
    ws_ping_secs: Option<u64>,
}

/// The furthest ahead a series' sessions are created: two years.
const MAX_SERIES_HORIZON_DAYS: u32 = 731;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/cmnp.db?mode=rwc";

impl Config {
    /// Reads the configuration: `file` (or the file named by `CMNP_CONFIG`), then the
    /// environment as given by `env`.
    pub fn load(file: Option<&Path>, env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| env("CMNP_CONFIG").map(PathBuf::from));
        let from_file = match &file {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("cannot read the configuration file {}", path.display())
                })?;
                toml::from_str::<FileConfig>(&text)
                    .with_context(|| format!("invalid configuration file {}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let pick = |name: &str, value: Option<String>| env(name).or(value);

        let database_url = pick("CMNP_DATABASE_URL", from_file.database_url)
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            bail!(
                "CMNP_DATABASE_URL must start with sqlite: or postgres:// (got {database_url:?})"
            );
        }
        let bind_text =
            pick("CMNP_BIND", from_file.bind).unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_text.parse().with_context(|| {
            format!("CMNP_BIND must be an address such as 127.0.0.1:8080 (got {bind_text:?})")
        })?;
        let public_url = pick("CMNP_PUBLIC_URL", from_file.public_url)
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_owned();
        let zone_text = pick("CMNP_TIME_ZONE", from_file.time_zone)
            .unwrap_or_else(|| cmnp_domain::words::TIME_ZONE.name().into());
        let time_zone: Tz = zone_text.parse().map_err(|_| {
            anyhow::anyhow!(
                "CMNP_TIME_ZONE must be an IANA time zone such as America/Lima (got {zone_text:?})"
            )
        })?;
        let session_hours =
            number("CMNP_SESSION_HOURS", &env, from_file.session_hours)?.unwrap_or(12);
        if !(1..=24 * 30).contains(&session_hours) {
            bail!("CMNP_SESSION_HOURS must be between 1 and 720 (got {session_hours})");
        }
        let quorum_text =
            pick("CMNP_QUORUM_RULE", from_file.quorum_rule).unwrap_or_else(|| "majority".into());
        let quorum_rule = QuorumRule::parse(&quorum_text)
            .map_err(|error| anyhow::anyhow!("CMNP_QUORUM_RULE: {}", error.message))?;
        let log_text =
            pick("CMNP_LOG_FORMAT", from_file.log_format).unwrap_or_else(|| "text".into());
        let log_format = match log_text.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => bail!("CMNP_LOG_FORMAT must be text or json (got {other:?})"),
        };
        let smtp_url =
            pick("CMNP_SMTP_URL", from_file.smtp_url).filter(|url| !url.trim().is_empty());
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            bail!(
                "CMNP_SMTP_URL must start with smtp:// or smtps:// (got {:?})",
                crate::cli::redact(url)
            );
        }
        let mail_from = pick("CMNP_MAIL_FROM", from_file.mail_from)
            .unwrap_or_else(|| "cmnp@localhost.localdomain".into());
        cmnp_domain::email::EmailAddress::parse("CMNP_MAIL_FROM", &mail_from)
            .map_err(|error| anyhow::anyhow!("CMNP_MAIL_FROM: {}", error.message))?;
        let offsets = |name: &str, value: Option<String>| {
            Offsets::parse(name, &pick(name, value).unwrap_or_else(|| "7,1".into()))
                .map_err(|error| setting(&error))
        };
        let schedule = |name: &str, value: Option<String>, default: &str| {
            CronSchedule::parse(name, &pick(name, value).unwrap_or_else(|| default.into()))
                .map_err(|error| setting(&error))
        };
        let reminders = ReminderRules {
            time_zone,
            meeting_days: offsets(
                "CMNP_MEETING_REMINDER_DAYS",
                from_file.meeting_reminder_days,
            )?,
            due_days: offsets("CMNP_DUE_REMINDER_DAYS", from_file.due_reminder_days)?,
            overdue_digest: schedule(
                "CMNP_OVERDUE_DIGEST_SCHEDULE",
                from_file.overdue_digest_schedule,
                "0 8 * * Mon",
            )?,
            secretariat_digest: schedule(
                "CMNP_SECRETARIAT_DIGEST_SCHEDULE",
                from_file.secretariat_digest_schedule,
                "0 8 * * Mon",
            )?,
        };
        let introspection_text = pick("CMNP_INTROSPECTION", from_file.introspection)
            .unwrap_or_else(|| "everyone".into());
        let introspection = cmnp_graphql::Introspection::parse(&introspection_text).with_context(|| {
            format!("CMNP_INTROSPECTION must be everyone, signed-in or off (got {introspection_text:?})")
        })?;
        let reminder_schedule = schedule(
            "CMNP_REMINDER_SCHEDULE",
            from_file.reminder_schedule,
            "0 7 * * *",
        )?;
        let series_horizon_days = number(
            "CMNP_SERIES_HORIZON_DAYS",
            &env,
            from_file.series_horizon_days,
        )?
        .unwrap_or(90);
        if !(1..=MAX_SERIES_HORIZON_DAYS).contains(&series_horizon_days) {
            bail!(
                "CMNP_SERIES_HORIZON_DAYS must be between 1 and {MAX_SERIES_HORIZON_DAYS} (got {series_horizon_days})"
            );
        }
        let non_empty = |name: &str, value: Option<String>| {
            pick(name, value).filter(|value| !value.trim().is_empty())
        };
        let document_storage =
            match non_empty("CMNP_DOCUMENTS_S3_BUCKET", from_file.documents_s3_bucket) {
                Some(bucket) => DocumentStorage::S3 {
                    bucket,
                    endpoint: non_empty(
                        "CMNP_DOCUMENTS_S3_ENDPOINT",
                        from_file.documents_s3_endpoint,
                    ),
                    region: non_empty("CMNP_DOCUMENTS_S3_REGION", from_file.documents_s3_region),
                    access_key: access_key(&env)?,
                },
                None => DocumentStorage::Folder(PathBuf::from(
                    non_empty("CMNP_DOCUMENTS_DIR", from_file.documents_dir)
                        .unwrap_or_else(|| "data/documents".into()),
                )),
            };
        let live = LiveSettings {
            webhook_targets: cmnp_domain::webhook::TargetPolicy {
                allow_loopback_http: flag(
                    "CMNP_WEBHOOKS_ALLOW_LOOPBACK_HTTP",
                    &env,
                    from_file.webhooks_allow_loopback_http,
                )?,
                allow_private: flag(
                    "CMNP_WEBHOOKS_ALLOW_PRIVATE",
                    &env,
                    from_file.webhooks_allow_private,
                )?,
            },
            webhook_retry_base: Duration::from_secs(positive(
                "CMNP_WEBHOOK_RETRY_SECS",
                &env,
                from_file.webhook_retry_secs,
                30,
            )?),
            webhook_timeout: Duration::from_secs(positive(
                "CMNP_WEBHOOK_TIMEOUT_SECS",
                &env,
                from_file.webhook_timeout_secs,
                10,
            )?),
            max_connections_per_token: positive(
                "CMNP_WS_MAX_CONNECTIONS_PER_TOKEN",
                &env,
                from_file.ws_max_connections_per_token,
                8,
            )?,
            max_subscriptions: positive(
                "CMNP_WS_MAX_SUBSCRIPTIONS",
                &env,
                from_file.ws_max_subscriptions,
                20,
            )?,
            max_message_bytes: positive(
                "CMNP_WS_MAX_MESSAGE_BYTES",
                &env,
                from_file.ws_max_message_bytes,
                64 * 1024,
            )?,
            ping_interval: Duration::from_secs(positive(
                "CMNP_WS_PING_SECS",
                &env,
                from_file.ws_ping_secs,
                30,
            )?),
        };
        Ok(Self {
            live,
            document_storage,
            document_max_bytes: positive(
                "CMNP_DOCUMENT_MAX_BYTES",
                &env,
                from_file.document_max_bytes,
                20 * 1024 * 1024,
            )?,
            series_horizon: chrono::Duration::days(i64::from(series_horizon_days)),
            introspection,
            reminders,
            reminder_schedule,
            smtp_url,
            outbox_dir: PathBuf::from(
                pick("CMNP_OUTBOX_DIR", from_file.outbox_dir)
                    .unwrap_or_else(|| "data/outbox".into()),
            ),
            mail_from,
            database_url,
            bind,
            public_url,
            time_zone,
            session_lifetime: chrono::Duration::hours(i64::from(session_hours)),
            quorum_rule,
            max_body_bytes: positive(
                "CMNP_MAX_BODY_BYTES",
                &env,
                from_file.max_body_bytes,
                1024 * 1024,
            )?,
            query_depth_limit: positive(
                "CMNP_QUERY_DEPTH_LIMIT",
                &env,
                from_file.query_depth_limit,
                12,
            )?,
            query_complexity_limit: positive(
                "CMNP_QUERY_COMPLEXITY_LIMIT",
                &env,
                from_file.query_complexity_limit,
                50_000,
            )?,
            request_timeout: Duration::from_secs(positive(
                "CMNP_REQUEST_TIMEOUT_SECS",
                &env,
                from_file.request_timeout_secs,
                30,
            )?),
            log_format,
        })
    }

    /// The configuration from the process environment.
    pub fn from_env(file: Option<&Path>) -> anyhow::Result<Self> {
        Self::load(file, |name| std::env::var(name).ok())
    }
}

/// The bucket's access key from `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`: both or
/// neither, since half a key would fall through to the credential chain unnoticed.
fn access_key(env: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Option<AccessKey>> {
    let given = |name: &str| env(name).filter(|value| !value.trim().is_empty());
    match (given("AWS_ACCESS_KEY_ID"), given("AWS_SECRET_ACCESS_KEY")) {
        (Some(id), Some(secret)) => Ok(Some(AccessKey { id, secret })),
        (None, None) => Ok(None),
        (Some(_), None) => bail!("AWS_SECRET_ACCESS_KEY must be set with AWS_ACCESS_KEY_ID"),
        (None, Some(_)) => bail!("AWS_ACCESS_KEY_ID must be set with AWS_SECRET_ACCESS_KEY"),
    }
}

/// A setting's validation error, naming the setting.
fn setting(error: &ValidationError) -> anyhow::Error {
    anyhow::anyhow!("{}: {}", error.field, error.message)
}

fn number<T: std::str::FromStr>(
    name: &str,
    env: &impl Fn(&str) -> Option<String>,
    from_file: Option<T>,
) -> anyhow::Result<Option<T>> {
    match env(name) {
        Some(text) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| anyhow::anyhow!("{name} must be a whole number (got {text:?})")),
        None => Ok(from_file),
    }
}

/// A yes-or-no setting: `true` or `false` (also `1` and `0`); `false` when unset.
fn flag(
    name: &str,
    env: &impl Fn(&str) -> Option<String>,
    from_file: Option<bool>,
) -> anyhow::Result<bool> {
    match env(name).as_deref().map(str::trim) {
        None | Some("") => Ok(from_file.unwrap_or(false)),
        Some("true" | "1") => Ok(true),
        Some("false" | "0") => Ok(false),
        Some(other) => bail!("{name} must be true or false (got {other:?})"),
    }
}

fn positive<T>(
    name: &str,
    env: &impl Fn(&str) -> Option<String>,
    from_file: Option<T>,
    default: T,
) -> anyhow::Result<T>
where
    T: std::str::FromStr + PartialOrd + Default + std::fmt::Display,
{
    let value = number(name, env, from_file)?.unwrap_or(default);
    if value <= T::default() {
        bail!("{name} must be greater than zero (got {value})");
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn load(vars: &[(&str, &str)], file: Option<&Path>) -> anyhow::Result<Config> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::load(file, |name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_run_on_a_laptop() {
        let config = load(&[], None).unwrap();
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(config.public_url, "http://127.0.0.1:8080");
        assert_eq!(config.time_zone, chrono_tz::America::Lima);
        assert_eq!(config.session_lifetime, chrono::Duration::hours(12));
        assert_eq!(config.quorum_rule, QuorumRule::Majority);
        assert_eq!(config.reminders.meeting_days.days(), &[7, 1]);
        assert_eq!(config.reminders.due_days.days(), &[7, 1]);
        assert_eq!(config.reminders.overdue_digest.expression(), "0 8 * * Mon");
        assert_eq!(config.reminder_schedule.expression(), "0 7 * * *");
        assert_eq!(config.series_horizon, chrono::Duration::days(90));
        assert_eq!(
            config.document_storage,
            DocumentStorage::Folder(PathBuf::from("data/documents"))
        );
        assert_eq!(config.document_max_bytes, 20 * 1024 * 1024);
    }

    #[test]
    fn a_bucket_moves_documents_to_s3() {
        let config = load(
            &[
                ("CMNP_DOCUMENTS_S3_BUCKET", "cmnp-documents"),
                ("CMNP_DOCUMENTS_S3_ENDPOINT", "http://127.0.0.1:9000"),
            ],
            None,
        )
        .unwrap();
        assert_eq!(
            config.document_storage,
            DocumentStorage::S3 {
                bucket: "cmnp-documents".into(),
                endpoint: Some("http://127.0.0.1:9000".into()),
                region: None,
                access_key: None,
            }
        );
    }

    #[test]
    fn a_bucket_takes_its_access_key_whole() {
        let bucket = ("CMNP_DOCUMENTS_S3_BUCKET", "cmnp-documents");
        let config = load(
            &[
                bucket,
                ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
                ("AWS_SECRET_ACCESS_KEY", "a secret"),
            ],
            None,
        )
        .unwrap();
        let DocumentStorage::S3 { access_key, .. } = &config.document_storage else {
            panic!("not a bucket: {:?}", config.document_storage);
        };
        let key = access_key.as_ref().unwrap();
        assert_eq!(
            (key.id.as_str(), key.secret.as_str()),
            ("AKIDEXAMPLE", "a secret")
        );
        assert!(!format!("{config:?}").contains("a secret"));
        for (given, missing) in [
            ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
            ("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID"),
        ] {
            let error = load(&[bucket, (given, "x")], None).unwrap_err();
            assert!(error.to_string().starts_with(missing), "{error}");
        }
    }

    #[test]
    fn environment_wins_over_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cmnp.toml");
        std::fs::write(
            &path,
            "bind = \"127.0.0.1:9000\"\ntime_zone = \"Europe/Madrid\"\n",
        )
        .unwrap();
        let config = load(&[("CMNP_BIND", "127.0.0.1:9100")], Some(&path)).unwrap();
        assert_eq!(config.bind.port(), 9100);
        assert_eq!(config.time_zone, chrono_tz::Europe::Madrid);
    }

    #[test]
    fn bad_values_stop_start_up_with_the_variable_named() {
        for (name, value) in [
            ("CMNP_TIME_ZONE", "Lima/Peru"),
            ("CMNP_BIND", "localhost"),
            ("CMNP_DATABASE_URL", "mysql://x"),
            ("CMNP_SESSION_HOURS", "0"),
            ("CMNP_MAX_BODY_BYTES", "lots"),
            ("CMNP_LOG_FORMAT", "xml"),
            ("CMNP_QUORUM_RULE", "most"),
            ("CMNP_SMTP_URL", "mail.example:25"),
            ("CMNP_MAIL_FROM", "not an address"),
            ("CMNP_MEETING_REMINDER_DAYS", "7,0"),
            ("CMNP_INTROSPECTION", "sometimes"),
            ("CMNP_DUE_REMINDER_DAYS", "a week"),
            ("CMNP_REMINDER_SCHEDULE", "every morning"),
            ("CMNP_OVERDUE_DIGEST_SCHEDULE", "0 8 * * 1"),
            ("CMNP_SECRETARIAT_DIGEST_SCHEDULE", "0 25 * * Mon"),
            ("CMNP_SERIES_HORIZON_DAYS", "0"),
            ("CMNP_SERIES_HORIZON_DAYS", "a quarter"),
            ("CMNP_DOCUMENT_MAX_BYTES", "0"),
        ] {
            let error = load(&[(name, value)], None).unwrap_err();
            assert!(format!("{error:#}").contains(name), "{name}: {error:#}");
        }
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cmnp.toml");
        std::fs::write(&path, "bnid = \"127.0.0.1:9000\"\n").unwrap();
        let error = load(&[], Some(&path)).unwrap_err();
        assert!(format!("{error:#}").contains("bnid"), "{error:#}");
    }
}
