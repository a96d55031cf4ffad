//! The `cmnp` service: configuration, command line, HTTP router, demo data and the server
//! loop. The binary (`main.rs`) only chooses the allocator and calls [`main`].

mod acta;
pub mod app;
mod calendar;
pub mod cli;
pub mod config;
pub mod demo;
pub mod documents;
mod exports;
mod graphiql;
mod graphql_http;
pub mod iati;
pub mod live;
pub mod mailer;
mod main_entry;
mod metrics;
mod oversized;
pub mod reminders;
mod reply;
mod respond;
mod serve;
pub mod webhooks;

pub use app::router;
pub use config::Config;
pub use graphql_http::GRAPHQL_RESPONSE_JSON;
pub use main_entry::main;
