//! sea-orm entities: the tables as the database sees them. They stay inside this crate;
//! everything it hands out is a domain type.

pub mod action_item;
pub mod action_item_supporter;
pub mod action_item_update;
pub mod agency;
pub mod agenda_item;
pub mod agreement;
pub mod api_token;
pub mod attendance;
pub mod audit_event;
pub mod budget_line;
pub mod counter;
pub mod email_outbox;
pub mod indicator;
pub mod indicator_period;
pub mod meeting;
pub mod meeting_invitation;
pub mod meeting_series;
pub mod milestone;
pub mod project;
pub mod project_participant;
pub mod project_report;
pub mod representative;
pub mod result;
pub mod transaction;
pub mod user;
