//! Delivery of webhooks: a worker claims due deliveries, posts each signed per the
//! Standard Webhooks specification, and records the outcome; failures are retried with
//! the e-mail outbox's backoff (from `CMNP_WEBHOOK_RETRY_SECS`) until they are dead.
//! Nothing is sent from inside a request.
//!
//! A target is checked again at each attempt: the URL against the settings, and every
//! address its host resolves to; the request then goes to the address that was checked
//! (no second lookup to be rebound) and follows no redirect.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration as StdDuration;

use chrono::{Duration, Utc};
use cmnp_domain::outbox::{DeliveryStatus, backoff_from};
use cmnp_domain::webhook::{TargetPolicy, TargetUrl};
use cmnp_store::{ClaimedDelivery, Store, WebhookFailure};
use tokio::sync::watch;

use crate::config::LiveSettings;

/// How much longer than a request's timeout a claimed delivery stays with its worker,
/// before another may take it over.
const LEASE_MARGIN: StdDuration = StdDuration::from_secs(5);
const BATCH: u64 = 20;
/// How often the worker looks for due deliveries when nothing wakes it.
const EVERY: StdDuration = StdDuration::from_secs(1);

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub delivered: usize,
    pub retried: usize,
    pub dead: usize,
}

struct Failure {
    status_code: Option<u16>,
    text: String,
    permanent: bool,
}

impl Failure {
    fn refused(text: String) -> Self {
        Self {
            status_code: None,
            text,
            permanent: true,
        }
    }
}

/// Where to connect for `url`: the URL checked against `policy`, and its host resolved
/// to addresses that are all allowed.
async fn target(url: &str, policy: TargetPolicy) -> Result<(TargetUrl, SocketAddr), Failure> {
    let target = TargetUrl::parse(url, policy)
        .map_err(|error| Failure::refused(format!("the URL {}", error.message)))?;
    let host = target
        .host()
        .ok_or_else(|| Failure::refused("the URL has no host".into()))?;
    let port = target.port().unwrap_or(443);
    let addresses: Vec<SocketAddr> = match host.parse::<IpAddr>() {
        Ok(address) => vec![SocketAddr::new(address, port)],
        Err(_) => tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|error| Failure {
                status_code: None,
                text: format!("cannot resolve {host}: {error}"),
                permanent: false,
            })?
            .collect(),
    };
    if let Some(refused) = addresses
        .iter()
        .find(|address| !policy.allows(target.scheme(), address.ip()))
    {
        return Err(Failure::refused(format!(
            "{host} resolves to {}, a private, loopback or reserved address, which the service does not deliver to",
            refused.ip()
        )));
    }
    let first = addresses.first().copied().ok_or_else(|| Failure {
        status_code: None,
        text: format!("{host} resolves to no address"),
        permanent: false,
    })?;
    Ok((target, first))
}

/// Posts one delivery, signed for this attempt.
async fn post(claimed: &ClaimedDelivery, settings: LiveSettings) -> Result<u16, Failure> {
    let (target, address) = target(&claimed.url, settings.webhook_targets).await?;
    let host = target.host().unwrap_or_default();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(settings.webhook_timeout)
        // A proxy would resolve the host again, past the addresses checked here.
        .no_proxy()
        .resolve(&host, address)
        .user_agent(concat!("cmnp-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| Failure {
            status_code: None,
            text: error.to_string(),
            permanent: false,
        })?;
    let delivery = &claimed.delivery;
    let timestamp = Utc::now().timestamp();
    let signature = claimed
        .secret
        .sign(&delivery.message_id, timestamp, &delivery.payload);
    let response = client
        .post(target.as_str())
        .header("content-type", "application/json")
        .header("webhook-id", &delivery.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(delivery.payload.clone())
        .send()
        .await
        .map_err(|error| Failure {
            status_code: None,
            text: format!("{error}"),
            permanent: false,
        })?;
    let status = response.status();
    if status.is_success() {
        Ok(status.as_u16())
    } else {
        Err(Failure {
            status_code: Some(status.as_u16()),
            text: format!("the endpoint answered {status}"),
            // 410 Gone: the endpoint says it is gone for good.
            permanent: status == reqwest::StatusCode::GONE,
        })
    }
}

/// Delivers what is due now, batch after batch, until nothing due is left or
/// `shutdown` turns true.
pub async fn deliver_due(
    store: &Store,
    settings: LiveSettings,
    shutdown: &watch::Receiver<bool>,
) -> anyhow::Result<Pass> {
    let mut pass = Pass::default();
    let first_wait =
        Duration::from_std(settings.webhook_retry_base).unwrap_or(Duration::seconds(30));
    let lease =
        Duration::from_std(settings.webhook_timeout + LEASE_MARGIN).unwrap_or(Duration::minutes(1));
    loop {
        let claimed = store
            .claim_webhook_deliveries(Utc::now(), BATCH, lease)
            .await?;
        if claimed.is_empty() || *shutdown.borrow() {
            // Claimed at shutdown: given back when the lease ends.
            return Ok(pass);
        }
        // Posted at once, so that the whole batch is done within one lease.
        let outcomes =
            futures_util::future::join_all(claimed.iter().map(|delivery| post(delivery, settings)))
                .await;
        for (delivery, outcome) in claimed.iter().zip(outcomes) {
            match outcome {
                Ok(status) => {
                    store
                        .mark_webhook_delivered(delivery, status, Utc::now())
                        .await?;
                    pass.delivered += 1;
                }
                Err(failure) => {
                    // The URL may carry a key of the receiver's: the log names the endpoint.
                    tracing::warn!(webhook = %delivery.delivery.webhook_id, error = %failure.text, "webhook not delivered");
                    let status = store
                        .mark_webhook_failed(
                            delivery,
                            WebhookFailure {
                                status_code: failure.status_code,
                                error: &failure.text,
                                permanent: failure.permanent,
                            },
                            backoff_from(first_wait, delivery.delivery.attempts),
                            Utc::now(),
                        )
                        .await?;
                    if status == DeliveryStatus::Dead {
                        pass.dead += 1;
                    } else {
                        pass.retried += 1;
                    }
                }
            }
        }
    }
}

/// The webhook worker of `cmnp serve`: a pass whenever a change is committed and every
/// second, until `shutdown` turns true; the pass under way finishes first.
pub async fn run(store: Store, settings: LiveSettings, mut shutdown: watch::Receiver<bool>) {
    let mut wakeups = match store.wakeups().await {
        Ok(wakeups) => Some(wakeups),
        Err(error) => {
            tracing::warn!(%error, "webhooks: no wake-ups; looking every second");
            None
        }
    };
    loop {
        match deliver_due(&store, settings, &shutdown).await {
            Ok(pass) if pass != Pass::default() => tracing::info!(?pass, "webhooks delivered"),
            Ok(_) => {}
            Err(error) => tracing::error!("{error:#}"),
        }
        let woken = async {
            match &mut wakeups {
                // A lost listener reconnects at its next use; meanwhile the worker looks
                // every second.
                Some(wakeups) => wakeups.next().await.is_ok(),
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            listening = woken => {
                if !listening {
                    tokio::time::sleep(EVERY).await;
                }
            }
            () = tokio::time::sleep(EVERY) => {}
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    return;
                }
            }
        }
    }
}
