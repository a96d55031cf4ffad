//! GraphQL object types. Each wraps a domain value and can only be built through its
//! `reveal` constructor, which applies the domain's read rule for that kind of object:
//! whatever path a query takes to an object, the same rule decides whether it is shown.

mod action_item;
mod agency;
mod agenda;
mod agreement;
mod answer;
mod api_token;
mod audit_event;
mod document;
mod email_delivery;
pub mod enums;
mod meeting;
mod meeting_series;
mod node;
mod observation;
mod project;
mod representative;
mod user;
mod webhook;

pub use action_item::ActionItem;
pub use agency::Agency;
pub use agenda::{AgendaItem, AttendanceRecord};
pub use agreement::Agreement;
pub use answer::{AgencyExpectation, ExpectedQuorum, InvitationAnswer};
pub use api_token::ApiToken;
pub use audit_event::AuditEvent;
pub use document::Document;
pub use email_delivery::EmailDelivery;
pub use meeting::Meeting;
pub use meeting_series::MeetingSeries;
pub use node::{Node, nodes};
pub use observation::Observation;
pub use project::{BudgetLine, Indicator, Milestone, Project, ProjectResult, Transaction};
pub use representative::Representative;
pub use user::User;
pub use webhook::{Webhook, WebhookDelivery, WebhookEvent};

use async_graphql::ID;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

/// Reads an `ID` argument as a UUID; a malformed one is bad input on `field`.
pub(crate) fn parse_id(field: &str, id: &ID) -> ApiResult<Uuid> {
    Uuid::parse_str(id.as_str())
        .map_err(|_| ApiError::bad_input(field, format!("{:?} is not a valid id", id.as_str())))
}

pub(crate) fn id(uuid: Uuid) -> ID {
    ID(uuid.to_string())
}
