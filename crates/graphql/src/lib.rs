//! cmnp's GraphQL API. Types here wrap domain values; every object passes the domain's
//! access policy on its way out ([`types`]); every error maps to one `extensions.code`
//! ([`error`]). [`schema`] builds the schema without data, for the SDL and for tests;
//! [`build`] attaches the store and settings for serving.

mod batching;
mod boxed;
mod connection;
mod context;
pub mod error;
mod live;
mod loaders;
mod mutation;
mod plain;
mod query;
mod scalars;
mod types;

use std::num::NonZeroUsize;
use std::sync::Mutex;
use std::time::Duration;

use async_graphql::dataloader::DataLoader;
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Schema, SchemaBuilder};
use cmnp_store::{Authenticated, Store};
use lru::LruCache;

pub use context::Settings;
pub use error::{ApiError, ApiResult};
pub use live::{Live, Subscription, connection_data};
pub use mutation::Mutation;
pub use query::Query;

pub type CmnpSchema = Schema<Query, Mutation, Subscription>;

/// Limits that keep one request from monopolising the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub depth: usize,
    pub complexity: usize,
}

/// The schema with no data attached.
pub fn schema() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription)
}

/// The SDL that `schema.graphql` holds.
pub fn sdl() -> String {
    schema().finish().sdl()
}

/// The schema ready to serve: store, settings, limits and the live changes attached.
pub fn build(
    store: Store,
    settings: Settings,
    limits: Limits,
    live: std::sync::Arc<Live>,
) -> CmnpSchema {
    schema()
        .data(store)
        .data(settings)
        .data(live)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .finish()
}

/// Who may query the schema itself (`__schema`, `__type`): tools such as GraphiQL need
/// it; a deployment may keep the schema's shape to signed-in users, or to nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Introspection {
    Everyone,
    SignedIn,
    Nobody,
}

impl Introspection {
    /// Reads `everyone`, `signed-in` or `off`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "everyone" => Some(Self::Everyone),
            "signed-in" => Some(Self::SignedIn),
            "off" => Some(Self::Nobody),
            _ => None,
        }
    }
}

/// Documents already parsed, by their text: clients send the same few queries again and
/// again, and parsing one costs more than copying its tree. Bounded, least recently used
/// first out, so that a client sending ever new documents only evicts.
pub struct Documents(Mutex<LruCache<String, ExecutableDocument>>);

impl Documents {
    pub fn new(capacity: NonZeroUsize) -> Self {
        Self(Mutex::new(LruCache::new(capacity)))
    }

    /// Gives `request` its parsed document from the cache, or parses it and keeps it. A
    /// document that does not parse is left for execution to report, with its position.
    fn prepare(&self, mut request: async_graphql::Request) -> async_graphql::Request {
        let cached = self
            .0
            .lock()
            .ok()
            .and_then(|mut cache| cache.get(&request.query).cloned());
        match cached {
            Some(document) => request.set_parsed_query(document),
            None => {
                if let Ok(document) = request.parsed_query() {
                    let document = document.clone();
                    if let Ok(mut cache) = self.0.lock() {
                        cache.put(request.query.clone(), document);
                    }
                }
            }
        }
        request
    }
}

/// Runs one request as `session` (anonymous when `None`) over `store` (in place of the
/// schema's own, so that a request can read through the one connection it holds):
/// attaches who is asking and the data loaders that batch this request's reads, switches
/// introspection off where the policy says so, and drives the request so that each level
/// of the query is read in one batch ([`batching`]).
pub async fn execute(
    schema: &CmnpSchema,
    documents: &Documents,
    request: async_graphql::Request,
    store: &Store,
    session: Option<Authenticated>,
    introspection: Introspection,
) -> async_graphql::Response {
    let allowed = match introspection {
        Introspection::Everyone => true,
        Introspection::SignedIn => session.is_some(),
        Introspection::Nobody => false,
    };
    let request = documents.prepare(request);
    let request = if allowed {
        request
    } else {
        request.disable_introspection()
    };
    let tick = batching::Tick::default();
    let request = request
        .data(store.clone())
        .data(context::Session::from(session))
        .data(
            // Idle, the request has asked for every key of the level: no delay to wait.
            DataLoader::new(loaders::StoreLoader::new(store.clone()), tick.spawner())
                .delay(Duration::ZERO),
        );
    tick.drive(schema.execute(request)).await
}
