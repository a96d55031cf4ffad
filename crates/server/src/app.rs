//! The HTTP application: routes, shared state and the layers around them.

use std::num::NonZeroUsize;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, Request, StatusCode};
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use cmnp_graphql::{CmnpSchema, Documents, Limits, Settings};
use cmnp_store::Store;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::config::Config;
use crate::metrics::{self, Metrics};
use crate::{
    acta, calendar, documents, exports, graphiql, graphql_http, iati, live, oversized, reply,
};

#[derive(Clone)]
pub struct AppState {
    pub schema: CmnpSchema,
    pub documents: Arc<Documents>,
    pub store: Store,
    pub metrics: Arc<Metrics>,
    pub max_body_bytes: usize,
    /// The largest document an upload carries: a multipart request may be this much
    /// larger than `max_body_bytes`.
    pub document_max_bytes: usize,
    pub public_url: String,
    pub introspection: cmnp_graphql::Introspection,
    /// The commission's time zone, in which exports read "today" and years.
    pub time_zone: chrono_tz::Tz,
    /// The committed changes subscribers hear of.
    pub live: Arc<cmnp_graphql::Live>,
    /// Open WebSocket connections.
    pub sockets: Arc<live::Sockets>,
    pub live_settings: crate::config::LiveSettings,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Parsed GraphQL documents kept: far more than the distinct queries clients send.
const DOCUMENTS: NonZeroUsize = NonZeroUsize::MIN.saturating_add(511);

/// The router over `store`, configured by `config`, and the reader of the change feed
/// its subscribers hear from (which stops once the router is dropped).
pub fn router(store: Store, config: &Config) -> Router {
    router_with(store, config, Arc::default())
}

/// [`router`], whose WebSocket connections `sockets` counts and closes at shutdown.
pub fn router_with(store: Store, config: &Config, sockets: Arc<live::Sockets>) -> Router {
    let live = Arc::new(cmnp_graphql::Live::default());
    live::spawn_reader(store.clone(), &live);
    let schema = cmnp_graphql::build(
        store.clone(),
        Settings {
            session_lifetime: config.session_lifetime,
            time_zone: config.time_zone,
            quorum_rule: config.quorum_rule,
            public_url: config.public_url.clone(),
            series_horizon: config.series_horizon,
            document_max_bytes: config.document_max_bytes,
            webhook_targets: config.live.webhook_targets,
        },
        Limits {
            depth: config.query_depth_limit,
            complexity: config.query_complexity_limit,
        },
        live.clone(),
    );
    let state = AppState {
        schema,
        documents: Arc::new(Documents::new(DOCUMENTS)),
        store,
        metrics: Arc::new(Metrics::new()),
        max_body_bytes: config.max_body_bytes,
        document_max_bytes: config.document_max_bytes,
        public_url: config.public_url.clone(),
        introspection: config.introspection,
        time_zone: config.time_zone,
        live,
        sockets,
        live_settings: config.live,
    };
    let pages = cmnp_web::router(cmnp_web::WebState {
        store: state.store.clone(),
        time_zone: config.time_zone,
        quorum_rule: config.quorum_rule,
        session_lifetime: config.session_lifetime,
        secure_cookies: config.public_url.starts_with("https://"),
    })
    .layer(middleware::from_fn_with_state(
        config.max_body_bytes,
        oversized::refuse_declared,
    ));
    Router::new()
        .route("/graphql", get(live::get).post(graphql_http::post))
        .route("/graphiql/{file}", get(graphiql::asset))
        .route("/meetings/{file}", get(calendar::meeting))
        .route("/meetings/{id}/reply", post(reply::post))
        .route("/meetings/{id}/acta.pdf", get(acta::meeting))
        .route("/meeting-series/{file}", get(calendar::series))
        .route("/calendar/{file}", get(calendar::feed))
        .route("/iati/activities.xml", get(iati::activities))
        .route("/documents/{id}", get(documents::download))
        .route("/exports/action-items.csv", get(exports::action_items))
        .route("/exports/attendance.csv", get(exports::attendance))
        .route("/exports/indicators.csv", get(exports::indicators))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::serve))
        .merge(pages)
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        // The GraphQL handler enforces its own limit with a clear error; this one covers
        // every other route.
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                        let request_id = request
                            .headers()
                            .get(REQUEST_ID)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default();
                        tracing::info_span!(
                            "request",
                            method = %request.method(),
                            path = %request.uri().path(),
                            request_id,
                        )
                    }),
                )
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::SERVICE_UNAVAILABLE,
                    config.request_timeout,
                )),
        )
        .with_state(state)
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::warn!(%error, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database not reachable")
        }
    }
}
