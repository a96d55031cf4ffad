//! The commission's domain: the values cmnp works with, the rules they obey and who may
//! do what. Nothing here performs I/O or knows about the database, GraphQL or HTTP.

pub mod action_item;
pub mod agency;
pub mod agenda;
pub mod agreement;
pub mod audit;
pub mod decision;
pub mod document;
pub mod email;
mod enums;
pub mod live;
pub mod meeting;
pub mod node;
pub mod observation;
pub mod outbox;
pub mod policy;
pub mod project;
pub mod reminder;
pub mod representative;
pub mod rsvp;
pub mod sign_in;
pub mod text;
pub mod user;
pub mod validation;
pub mod webhook;
pub mod words;
pub mod working_days;

pub use validation::ValidationError;
