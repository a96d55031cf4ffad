//! End-to-end tests of the API: the real router over a real, migrated database (SQLite,
//! or PostgreSQL when TEST_DATABASE_URL is set).

mod agencies;
mod auth;
mod demo;
mod http;
mod migrations;
mod representatives;
mod schema;
mod users;
