//! Prometheus metrics, served as text at `/metrics`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::app::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    path: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PathLabels {
    path: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: String,
}

pub struct Metrics {
    registry: Registry,
    deliveries: Family<StatusLabels, Gauge>,
    /// How many agencies nobody can be written to (`Store::unreachable_agencies`).
    unreachable: Gauge,
    webhook_deliveries: Family<StatusLabels, Gauge>,
    subscriptions: Gauge,
    sockets: Gauge,
    requests: Family<RequestLabels, Counter>,
    latency: Family<PathLabels, Histogram, fn() -> Histogram>,
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("cmnp");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests served", requests.clone());
        let latency: Family<PathLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(|| Histogram::new(exponential_buckets(0.001, 2.0, 14)));
        registry.register(
            "http_request_duration_seconds",
            "Time to serve an HTTP request",
            latency.clone(),
        );
        let deliveries = Family::<StatusLabels, Gauge>::default();
        registry.register(
            "email_deliveries",
            "E-mails in the outbox by status (PENDING and SENDING make its depth)",
            deliveries.clone(),
        );
        let unreachable = Gauge::default();
        registry.register(
            "agencies_unreachable",
            "Agencies that should hear from the commission with no current representative and no active focal point",
            unreachable.clone(),
        );
        let webhook_deliveries = Family::<StatusLabels, Gauge>::default();
        registry.register(
            "webhook_deliveries",
            "Webhook deliveries by status (PENDING and SENDING make the queue)",
            webhook_deliveries.clone(),
        );
        let subscriptions = Gauge::default();
        registry.register(
            "subscriptions_open",
            "GraphQL subscriptions open on this process",
            subscriptions.clone(),
        );
        let sockets = Gauge::default();
        registry.register(
            "websocket_connections_open",
            "WebSocket connections open on this process",
            sockets.clone(),
        );
        Self {
            registry,
            deliveries,
            unreachable,
            webhook_deliveries,
            subscriptions,
            sockets,
            requests,
            latency,
        }
    }

    fn observe(&self, method: &'static str, path: &str, status: StatusCode, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                method,
                path: path.to_owned(),
                status: status.as_u16(),
            })
            .inc();
        self.latency
            .get_or_create(&PathLabels {
                path: path.to_owned(),
            })
            .observe(seconds);
    }

    fn set_by_status(
        family: &Family<StatusLabels, Gauge>,
        counts: &[(cmnp_domain::outbox::DeliveryStatus, u64)],
    ) {
        for (status, count) in counts {
            family
                .get_or_create(&StatusLabels {
                    status: status.as_str().to_owned(),
                })
                .set(i64::try_from(*count).unwrap_or(i64::MAX));
        }
    }

    fn render(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// The method as a label: the standard ones by name, anything a client makes up as
/// `OTHER`, so no client can create label sets without bound.
fn method_label(method: &Method) -> &'static str {
    const STANDARD: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    ];
    STANDARD
        .into_iter()
        .find(|standard| *standard == method.as_str())
        .unwrap_or("OTHER")
}

/// Counts and times every request, labelled by method, route and status, each from a
/// bounded set: the route, not the raw path; the method as [`method_label`] names it;
/// the status the service itself answered with.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let path = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let response = next.run(request).await;
    state.metrics.observe(
        method,
        &path,
        response.status(),
        started.elapsed().as_secs_f64(),
    );
    response
}

pub async fn serve(State(state): State<AppState>) -> Response {
    match state.store.delivery_counts().await {
        Ok(counts) => Metrics::set_by_status(&state.metrics.deliveries, &counts),
        Err(error) => tracing::warn!(%error, "cannot count the outbox"),
    }
    match state.store.webhook_delivery_counts().await {
        Ok(counts) => Metrics::set_by_status(&state.metrics.webhook_deliveries, &counts),
        Err(error) => tracing::warn!(%error, "cannot count the webhook deliveries"),
    }
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    state
        .metrics
        .subscriptions
        .set(count(state.live.open_subscriptions()));
    state.metrics.sockets.set(count(state.sockets.open()));
    match state
        .store
        .unreachable_agencies(state.store.today(chrono::Utc::now()))
        .await
    {
        Ok(agencies) => {
            state
                .metrics
                .unreachable
                .set(i64::try_from(agencies.len()).unwrap_or(i64::MAX));
        }
        Err(error) => tracing::warn!(%error, "cannot count the unreachable agencies"),
    }
    match state.metrics.render() {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot render metrics");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
