//! The change feed: every committed change that subscribers and webhooks hear of, in
//! commit order, with its object as the change left it. Who may hear of it is decided
//! when it is delivered, by the object's own read rule ([`crate::policy::Visible`]).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::action_item::ActionItem;
use crate::enums::string_enum;
use crate::meeting::Meeting;
use crate::project::Project;

string_enum! {
    /// What a change is about.
    Topic, "topic" {
        /// An action item was created or changed (status, progress, due date, owner).
        ActionItem => "ACTION_ITEM",
        /// A session was scheduled or changed: time, place, invitations, agenda,
        /// attendance, minutes, cancellation.
        Meeting => "MEETING",
        /// A report on a project landed: a narrative report or a document of category
        /// REPORT.
        ProjectReported => "PROJECT_REPORTED",
        /// A user's access changed (a token revoked, a user deactivated or changed):
        /// open connections check their token again. Never delivered to anyone.
        Access => "ACCESS",
    }
}

impl Topic {
    /// The type a webhook event of this topic carries (Standard Webhooks' `type`);
    /// `None` for the topics no endpoint hears of.
    pub fn event_type(self) -> Option<&'static str> {
        match self {
            Topic::ActionItem => Some("action_item.changed"),
            Topic::Meeting => Some("meeting.changed"),
            Topic::ProjectReported => Some("project.reported"),
            Topic::Access => None,
        }
    }

    /// The topic an audited change is announced under, by the kind of object the audit
    /// log names and the action; `None` for changes nobody subscribes to. Access is
    /// announced only when it may end: a token revoked or a session ended, a user
    /// changed, deactivated or given a new password (which ends their sessions); not
    /// for a sign-in or a new token.
    pub fn of_audited(object_type: &str, action: &str) -> Option<Self> {
        match (object_type, action) {
            ("action_item", _) => Some(Topic::ActionItem),
            ("meeting", _) => Some(Topic::Meeting),
            ("api_token", "api_token.revoke" | "session.logout")
            | (
                "user",
                "user.update"
                | "user.deactivate"
                | "user.password.change"
                | "user.password.set"
                | "user.password.reset",
            ) => Some(Topic::Access),
            _ => None,
        }
    }
}

/// One committed change, as the feed holds it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// The change's place in the feed: later commits have larger numbers.
    pub seq: i64,
    /// Stable across replicas and retries: a webhook's `webhook-id`, a subscriber's
    /// `eventId`.
    pub id: Uuid,
    pub topic: Topic,
    /// The audited action that made the change, such as `action_item.update`.
    pub action: String,
    /// The action item, session or project the change is about.
    pub object_id: Uuid,
    /// What the topic adds: for a report, the report's or document's id and title.
    pub detail: serde_json::Value,
    /// The object as the change left it, read in the change's own transaction.
    pub subject: Option<Subject>,
    pub at: DateTime<Utc>,
}

/// The object of a change, as the change left it: what subscribers are shown and what
/// webhooks carry, whatever later changes did to it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Subject {
    ActionItem(ActionItem),
    Meeting(Meeting),
    Project(Project),
}

impl Subject {
    /// Whether the change concerns `agency` ([`Concerns`]).
    pub fn concerns(&self, agency: Uuid) -> bool {
        match self {
            Subject::ActionItem(item) => item.concerns(agency),
            Subject::Meeting(meeting) => meeting.concerns(agency),
            Subject::Project(project) => project.concerns(agency),
        }
    }

    /// What a webhook event says of the object.
    pub fn summary(&self) -> serde_json::Value {
        match self {
            Subject::ActionItem(item) => serde_json::json!({
                "actionItemId": item.id,
                "reference": item.reference(),
                "title": item.title,
                "status": item.status,
                "progressPercent": item.progress_percent,
                "dueOn": item.due_on,
                "responsibleAgencyId": item.responsible_agency_id,
            }),
            Subject::Meeting(meeting) => serde_json::json!({
                "meetingId": meeting.id,
                "title": meeting.title,
                "status": meeting.status,
                "startsAt": meeting.starts_at,
            }),
            Subject::Project(project) => serde_json::json!({
                "projectId": project.id,
                "iatiIdentifier": project.iati_identifier,
                "title": project.title,
            }),
        }
    }
}

/// Whether a change about an object concerns `agency`: the narrowing of an agency's
/// subscription to its own items and of a webhook's agency scope.
pub trait Concerns {
    fn concerns(&self, agency: Uuid) -> bool;
}

impl Concerns for ActionItem {
    /// The responsible agency, the supporting ones and the funders of its project.
    fn concerns(&self, agency: Uuid) -> bool {
        self.responsible_agency_id == agency
            || self.supporting_agency_ids.contains(&agency)
            || self.project_funder_ids.contains(&agency)
    }
}

impl Concerns for Meeting {
    /// The agencies invited to the session.
    fn concerns(&self, agency: Uuid) -> bool {
        self.invites(agency)
    }
}

impl Concerns for Project {
    /// The agencies taking part in the project, in any role.
    fn concerns(&self, agency: Uuid) -> bool {
        self.involves(agency)
    }
}
