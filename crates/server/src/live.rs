//! Live updates in the server: the reader of the change feed, which publishes each
//! committed change to this process's subscribers, and the WebSocket endpoint on
//! `/graphql` (`graphql-transport-ws`) they subscribe through.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use async_graphql::http::{WebSocket as GraphqlSocket, WebSocketProtocols, WsMessage};
use async_graphql::parser::types::OperationType;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cmnp_domain::live::Topic;
use cmnp_domain::user::Surface;
use cmnp_graphql::Live;
use cmnp_store::{Backend, FeedPage, Store, actor_of};
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

use crate::app::AppState;
use crate::config::LiveSettings;

/// The one sub-protocol served: the `graphql-ws` library's, as Apollo and urql speak it.
const PROTOCOL: &str = "graphql-transport-ws";

/// How long a client has to send `connection_init`.
const INIT_WAIT: Duration = Duration::from_secs(10);

/// How often an open connection's token is checked again, besides whenever someone's
/// access changes.
const RECHECK: Duration = Duration::from_secs(60);

/// The read and write buffers of a WebSocket connection, in bytes.
const SOCKET_BUFFER: usize = 8 * 1024;

/// Changes read from the feed at once.
const BATCH: u64 = 500;

/// Starts reading the change feed of `store` into `live`, until `live` is dropped.
pub fn spawn_reader(store: Store, live: &Arc<Live>) {
    tokio::spawn(read_feed(store, Arc::downgrade(live)));
}

/// Follows the feed from its end: woken by the database, and every second on
/// PostgreSQL (every five on SQLite, whose wake-ups come from this process) should a
/// wake-up be lost. Stops once nobody holds `live`, or the store is closed (whose
/// closing waits for the connection it listens on).
async fn read_feed(store: Store, live: Weak<Live>) {
    let fallback = match store.backend() {
        Backend::Postgres => Duration::from_secs(1),
        Backend::Sqlite => Duration::from_secs(5),
    };
    let (mut wakeups, mut cursor) = loop {
        let started = async {
            Ok::<_, cmnp_store::StoreError>((store.wakeups().await?, store.latest_change().await?))
        };
        match started.await {
            Ok(started) => break started,
            Err(error) => {
                tracing::warn!(%error, "cannot follow the change feed yet");
                tokio::time::sleep(fallback).await;
                if live.strong_count() == 0 {
                    return;
                }
            }
        }
    };
    let mut every = tokio::time::interval(fallback);
    loop {
        let woken = tokio::select! {
            woken = wakeups.next() => woken,
            _ = every.tick() => Ok(()),
        };
        let Some(live) = live.upgrade().filter(|_| !store.is_closed()) else {
            return;
        };
        if let Err(error) = woken {
            tracing::warn!(%error, "the change listener lost its connection; it reconnects");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        loop {
            match store.changes_after(cursor, BATCH).await {
                Ok(FeedPage { last: None, .. }) => break,
                Ok(FeedPage {
                    changes,
                    last: Some(last),
                }) => {
                    for change in changes {
                        live.publish(change);
                    }
                    cursor = last;
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot read the change feed");
                    break;
                }
            }
        }
    }
}

/// Open WebSocket connections, by token, to hold each token to its limit; and the
/// signal that closes them all when the server shuts down.
pub struct Sockets {
    by_token: Mutex<HashMap<Uuid, usize>>,
    open: AtomicUsize,
    going_away: watch::Sender<bool>,
}

impl Default for Sockets {
    fn default() -> Self {
        Self {
            by_token: Mutex::default(),
            open: AtomicUsize::new(0),
            going_away: watch::Sender::new(false),
        }
    }
}

impl Sockets {
    /// Connections open on this process.
    pub fn open(&self) -> usize {
        self.open.load(Ordering::Relaxed)
    }

    /// Closes every connection with `1001 Going Away`, so that clients reconnect to
    /// another replica or to this one once it is back; waits at most `patience` for
    /// them to close.
    pub async fn close_all(&self, patience: Duration) {
        self.going_away.send_replace(true);
        let deadline = Instant::now() + patience;
        while self.open() > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Admits one more connection of `token`, if it holds fewer than `max`.
    fn admit(self: &Arc<Self>, token: Uuid, max: usize) -> Option<Admitted> {
        let mut by_token = self.by_token.lock().unwrap_or_else(PoisonError::into_inner);
        let held = by_token.entry(token).or_default();
        if *held >= max {
            return None;
        }
        *held += 1;
        self.open.fetch_add(1, Ordering::Relaxed);
        Some(Admitted {
            sockets: self.clone(),
            token,
        })
    }
}

/// One admitted connection, counted until it is dropped.
struct Admitted {
    sockets: Arc<Sockets>,
    token: Uuid,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut by_token = self
            .sockets
            .by_token
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(held) = by_token.get_mut(&self.token) {
            *held -= 1;
            if *held == 0 {
                by_token.remove(&self.token);
            }
        }
        self.sockets.open.fetch_sub(1, Ordering::Relaxed);
    }
}

/// `GET /graphql`: a WebSocket upgrade for subscriptions, or an HTTP query.
pub async fn get(
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
    state: State<AppState>,
    headers: HeaderMap,
    query: RawQuery,
) -> Response {
    let Ok(upgrade) = upgrade else {
        return crate::graphql_http::get(state, headers, query).await;
    };
    let offered = headers
        .get(axum::http::header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|p| p.trim() == PROTOCOL));
    if !offered {
        return (
            StatusCode::BAD_REQUEST,
            "subscriptions speak the graphql-transport-ws protocol: offer it in Sec-WebSocket-Protocol",
        )
            .into_response();
    }
    let State(state) = state;
    upgrade
        .protocols([PROTOCOL])
        .max_message_size(state.live_settings.max_message_bytes)
        .max_frame_size(state.live_settings.max_message_bytes)
        // A connection mostly waits: small buffers (the defaults are 128 KiB each) keep
        // a thousand of them in tens of megabytes. Larger messages are read in chunks.
        .read_buffer_size(SOCKET_BUFFER)
        .write_buffer_size(SOCKET_BUFFER)
        .on_upgrade(move |socket| serve(socket, state))
}

/// The schema as the WebSocket serves it: subscriptions only. Queries and mutations go
/// over HTTP, where the introspection setting, the one connection a request reads
/// through and the cache of parsed documents apply.
#[derive(Clone)]
struct SubscriptionsOnly(cmnp_graphql::CmnpSchema);

impl SubscriptionsOnly {
    fn refusal() -> async_graphql::Response {
        let error: async_graphql::Error = cmnp_graphql::ApiError::bad_input(
            "query",
            "over WebSocket only subscriptions run: send queries and mutations over HTTP to /graphql",
        )
        .into();
        async_graphql::Response::from_errors(vec![
            error.into_server_error(async_graphql::Pos::default()),
        ])
    }

    /// Whether `request` is a document that parses and runs something else than a
    /// subscription (one that does not parse is reported by the schema, with where).
    fn refuses(request: &async_graphql::Request) -> bool {
        async_graphql::parser::parse_query(&request.query).is_ok()
            && !crate::graphql_http::runs(request, OperationType::Subscription)
    }
}

impl async_graphql::Executor for SubscriptionsOnly {
    fn execute(
        &self,
        request: async_graphql::Request,
    ) -> impl Future<Output = async_graphql::Response> + Send {
        let schema = self.0.clone();
        async move {
            if Self::refuses(&request) {
                Self::refusal()
            } else {
                schema.execute(request).await
            }
        }
    }

    fn execute_stream(
        &self,
        request: async_graphql::Request,
        session_data: Option<Arc<async_graphql::Data>>,
    ) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
        if Self::refuses(&request) {
            futures_util::stream::once(std::future::ready(Self::refusal())).boxed()
        } else {
            async_graphql::Executor::execute_stream(&self.0, request, session_data)
        }
    }
}

/// Who a connection signed in as, once `connection_init` succeeded.
struct SignedIn {
    secret: String,
    token_id: Uuid,
    actor: cmnp_domain::policy::Actor,
    _admitted: Admitted,
}

/// A refusal of `connection_init`, with the close code the protocol gives it.
struct Refused {
    code: u16,
    reason: String,
}

async fn sign_in(
    store: &Store,
    sockets: &Arc<Sockets>,
    settings: LiveSettings,
    payload: &serde_json::Value,
) -> Result<(SignedIn, cmnp_store::Authenticated), Refused> {
    let forbidden = |reason: &str| Refused {
        code: 4403,
        reason: reason.to_owned(),
    };
    let secret = payload
        .get("authorization")
        .or_else(|| payload.get("Authorization"))
        .and_then(serde_json::Value::as_str)
        .map(|value| crate::graphql_http::bearer_text(value).unwrap_or(value.trim()))
        .or_else(|| payload.get("token").and_then(serde_json::Value::as_str))
        .ok_or_else(|| {
            forbidden("Forbidden: connection_init needs {\"authorization\": \"Bearer <token>\"}")
        })?;
    let authenticated = match store.authenticate_for(secret, Surface::Api).await {
        Ok(Some(authenticated)) => authenticated,
        Ok(None) => return Err(forbidden("Forbidden: the token is not valid")),
        Err(error) => {
            tracing::error!(%error, "cannot check a subscription's token");
            return Err(Refused {
                code: 1011,
                reason: "internal error".into(),
            });
        }
    };
    let admitted = sockets
        .admit(authenticated.token.id, settings.max_connections_per_token)
        .ok_or_else(|| Refused {
            code: 4429,
            reason: format!(
                "Too many connections: a token holds at most {}",
                settings.max_connections_per_token
            ),
        })?;
    Ok((
        SignedIn {
            secret: secret.to_owned(),
            token_id: authenticated.token.id,
            actor: actor_of(&authenticated.user),
            _admitted: admitted,
        },
        authenticated,
    ))
}

/// Whether a connection may go on: its token still valid, for the same user with the
/// same role and agency.
async fn still_allowed(store: &Store, secret: &str, actor: &cmnp_domain::policy::Actor) -> bool {
    match store.authenticate_for(secret, Surface::Api).await {
        Ok(Some(authenticated)) => actor_of(&authenticated.user) == *actor,
        Ok(None) => false,
        Err(error) => {
            // A database that cannot answer says nothing about the token: keep going.
            tracing::warn!(%error, "cannot check an open connection's token");
            true
        }
    }
}

/// How long a client has to take a message: one that stops reading is closed.
const SEND_PATIENCE: Duration = Duration::from_secs(10);

/// Sends `message`; false when the client is gone or has not taken it in time.
async fn send(sink: &mut SplitSink<WebSocket, Message>, message: Message) -> bool {
    matches!(
        tokio::time::timeout(SEND_PATIENCE, sink.send(message)).await,
        Ok(Ok(()))
    )
}

fn close(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

/// Serves one connection: the protocol by async-graphql, with sign-in in
/// `connection_init`, limits, pings, and a check of the token whenever someone's access
/// changes (4403 once it no longer holds).
async fn serve(socket: WebSocket, state: AppState) {
    let settings = state.live_settings;
    let (mut sink, stream) = socket.split();
    let heard = Arc::new(Mutex::new(Instant::now()));
    // Why reading stopped, when the client's side broke (a message over the limit).
    let broken: Arc<Mutex<Option<String>>> = Arc::default();
    let incoming = {
        let (heard, broken) = (heard.clone(), broken.clone());
        stream
            .take_while(move |message| {
                if let Err(error) = message {
                    *broken.lock().unwrap_or_else(PoisonError::into_inner) =
                        Some(error.to_string());
                }
                std::future::ready(matches!(message, Ok(m) if !matches!(m, Message::Close(_))))
            })
            .filter_map(move |message| {
                *heard.lock().unwrap_or_else(PoisonError::into_inner) = Instant::now();
                std::future::ready(match message {
                    Ok(Message::Text(text)) => Some(text.as_str().as_bytes().to_vec()),
                    Ok(Message::Binary(bytes)) => Some(bytes.to_vec()),
                    _ => None,
                })
            })
    };
    let signed_in: Arc<Mutex<Option<SignedIn>>> = Arc::default();
    let refused: Arc<Mutex<Option<Refused>>> = Arc::default();
    let graphql = {
        let (store, sockets, signed_in, refused) = (
            state.store.clone(),
            state.sockets.clone(),
            signed_in.clone(),
            refused.clone(),
        );
        GraphqlSocket::new(
            SubscriptionsOnly(state.schema.clone()),
            incoming,
            WebSocketProtocols::GraphQLWS,
        )
        .on_connection_init(move |payload| async move {
            match sign_in(&store, &sockets, settings, &payload).await {
                Ok((who, authenticated)) => {
                    *signed_in.lock().unwrap_or_else(PoisonError::into_inner) = Some(who);
                    Ok(cmnp_graphql::connection_data(
                        &store,
                        authenticated,
                        settings.max_subscriptions,
                    ))
                }
                Err(refusal) => {
                    let reason = refusal.reason.clone();
                    *refused.lock().unwrap_or_else(PoisonError::into_inner) = Some(refusal);
                    Err(async_graphql::Error::new(reason))
                }
            }
        })
    };
    let mut graphql = std::pin::pin!(graphql);
    let mut changes = state.live.changes();
    let mut going_away = state.sockets.going_away.subscribe();
    let mut ping = tokio::time::interval_at(
        tokio::time::Instant::now() + settings.ping_interval,
        settings.ping_interval,
    );
    let mut recheck = tokio::time::interval_at(tokio::time::Instant::now() + RECHECK, RECHECK);
    let init_deadline = tokio::time::sleep(INIT_WAIT);
    let mut init_deadline = std::pin::pin!(init_deadline);
    let signed = || {
        signed_in
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    };
    // A connection that opens as the server goes away is told so at once.
    if *going_away.borrow_and_update() {
        going_away.mark_changed();
    }
    // Whether the connection may go on after a change of access about `whom` (a token
    // or a user; `None`: anyone's, or unknown); only its own token and user are checked.
    let still_open = async |whom: Option<Uuid>| {
        let current = signed_in
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .filter(|who| whom.is_none_or(|id| id == who.token_id || id == who.actor.user_id))
            .map(|who| (who.secret.clone(), who.actor.clone()));
        match current {
            Some((secret, actor)) => still_allowed(&state.store, &secret, &actor).await,
            None => true,
        }
    };
    let forbidden = || Some(close(4403, "Forbidden: the token no longer gives access"));
    let farewell = loop {
        tokio::select! {
            message = graphql.next() => match message {
                Some(WsMessage::Text(text)) => {
                    if !send(&mut sink, Message::Text(text.into())).await {
                        break None;
                    }
                }
                Some(WsMessage::Close(code, reason)) => {
                    let refusal = refused.lock().unwrap_or_else(PoisonError::into_inner).take();
                    break Some(match refusal {
                        Some(refusal) => close(refusal.code, &refusal.reason),
                        // A subscription before `connection_init`, as the protocol names it.
                        None if code == 1011 => close(4401, "Unauthorized"),
                        None => close(code, &reason),
                    });
                }
                None => {
                    let reason = broken.lock().unwrap_or_else(PoisonError::into_inner).take();
                    break reason.map(|reason| {
                        if reason.contains("too long") {
                            close(1009, "Message too big")
                        } else {
                            close(1002, "Protocol error")
                        }
                    });
                }
            },
            change = changes.recv() => {
                let whom = match change {
                    Ok(change) if change.topic == Topic::Access => Some(change.object_id),
                    Ok(_) => continue,
                    Err(broadcast::error::RecvError::Lagged(_)) => None,
                    Err(broadcast::error::RecvError::Closed) => {
                        break Some(close(1001, "Going away"));
                    }
                };
                if !still_open(whom).await {
                    break forbidden();
                }
            }
            _ = recheck.tick() => {
                if !still_open(None).await {
                    break forbidden();
                }
            }
            _ = ping.tick() => {
                let quiet = heard.lock().unwrap_or_else(PoisonError::into_inner).elapsed();
                if quiet > settings.ping_interval * 2 {
                    break Some(close(1001, "Going away: no answer to pings"));
                }
                if !send(&mut sink, Message::Ping(axum::body::Bytes::new())).await {
                    break None;
                }
            }
            Ok(()) = going_away.changed() => {
                break Some(close(1001, "Going away: the server is shutting down"));
            }
            () = &mut init_deadline, if !signed() => {
                break Some(close(4408, "Connection initialisation timeout"));
            }
        }
    };
    if let Some(farewell) = farewell {
        send(&mut sink, farewell).await;
    }
    let _ = sink.close().await;
}
