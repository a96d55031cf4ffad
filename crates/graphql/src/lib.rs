//! cmnp's GraphQL API. Types here wrap domain values; every object passes the domain's
//! access policy on its way out ([`types`]); every error maps to one `extensions.code`
//! ([`error`]). [`schema`] builds the schema without data, for the SDL and for tests;
//! [`build`] attaches the store and settings for serving.

mod connection;
mod context;
pub mod error;
mod loaders;
mod mutation;
mod query;
mod scalars;
mod types;

use async_graphql::dataloader::DataLoader;
use async_graphql::{EmptySubscription, Schema, SchemaBuilder};
use cmnp_store::{Authenticated, Store};

pub use context::Settings;
pub use error::{ApiError, ApiResult};
pub use mutation::Mutation;
pub use query::Query;

pub type CmnpSchema = Schema<Query, Mutation, EmptySubscription>;

/// Limits that keep one request from monopolising the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub depth: usize,
    pub complexity: usize,
}

/// The schema with no data attached.
pub fn schema() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
}

/// The SDL that `schema.graphql` holds.
pub fn sdl() -> String {
    schema().finish().sdl()
}

/// The schema ready to serve: store, settings and limits attached.
pub fn build(store: Store, settings: Settings, limits: Limits) -> CmnpSchema {
    schema()
        .data(store)
        .data(settings)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .finish()
}

/// Attaches what one request needs: who is asking, and data loaders that batch this
/// request's reads.
pub fn prepare(
    request: async_graphql::Request,
    store: &Store,
    session: Option<Authenticated>,
) -> async_graphql::Request {
    request
        .data(context::Session::from(session))
        .data(DataLoader::new(
            loaders::StoreLoader::new(store.clone()),
            tokio::spawn,
        ))
}
