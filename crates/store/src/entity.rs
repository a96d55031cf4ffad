//! sea-orm entities: the tables as the database sees them. They stay inside this crate;
//! everything it hands out is a domain type.

pub mod agency;
pub mod api_token;
pub mod audit_event;
pub mod representative;
pub mod user;
