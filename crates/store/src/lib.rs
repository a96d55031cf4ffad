//! cmnp's persistence: the database connection, migrations, and repositories that take
//! and return domain types. Every mutation here writes its audit event in the same
//! transaction as the change.

mod action_items;
mod agencies;
mod agenda;
mod agreements;
mod answers;
mod audit;
mod connect;
mod counters;
mod decisions;
mod documents;
mod entity;
mod error;
mod meetings;
mod nodes;
mod observations;
mod outbox;
mod overview;
mod page;
mod password;
mod project_parts;
mod projects;
mod reminders;
mod representatives;
mod row;
mod series;
mod throttle;
mod tokens;
mod users;
mod working_days;

pub use action_items::ActionItemFilter;
pub use agencies::AgencyFilter;
pub use answers::{Answered, Respondent};
pub use audit::AuditFilter;
pub use cmnp_domain::policy::ProjectScope;
pub use connect::{Backend, Store};
pub use decisions::Deciding;
pub use documents::{DocumentFiles, OwnerObject};
pub use error::StoreError;
pub use meetings::{MeetingFilter, NewMeeting};
pub use nodes::NodeRef;
pub use observations::ObservationReply;
pub use outbox::{Claimed, DeliveryFilter};
pub use overview::ItemCounts;
pub use page::{Direction, Page, PageRequest};
pub use project_parts::ProjectParts;
pub use projects::ProjectFilter;
pub use reminders::ItemHeadline;
pub use series::NewSeries;
pub use tokens::actor_of;
pub use tokens::{Authenticated, IssuedToken};
pub use users::{IssuedReset, UserFilter};
