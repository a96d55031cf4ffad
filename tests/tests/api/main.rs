//! End-to-end tests of the API: the real router over a real, migrated database (SQLite,
//! or PostgreSQL when TEST_DATABASE_URL is set).

mod action_items;
mod agencies;
mod auth;
mod bounded;
mod browser;
mod calendar;
mod concurrency;
mod conformance;
mod credentials;
mod demo;
mod email;
mod faults;
mod fuzz_seeds;
mod graphiql;
mod hostile;
mod http;
mod matrix;
mod meetings;
mod migrations;
mod nodes;
mod oversized;
mod pages;
mod password_reset;
mod projects;
mod reminders;
mod representatives;
mod restart;
mod schema;
mod series;
mod soak;
mod statements;
mod users;
mod work;
