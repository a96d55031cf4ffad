//! Who may do what (DESIGN.md section 1). Every rule about access lives here, once per
//! kind of object, so that the API enforces it the same way on every path.

use uuid::Uuid;

use crate::ValidationError;
use crate::action_item::{ActionItem, HistoryEntry};
use crate::agency::Agency;
use crate::agenda::{AgendaItem, Attendance};
use crate::agreement::Agreement;
use crate::audit::AuditEvent;
use crate::meeting::{Meeting, MeetingSeries, MinutesStatus};
use crate::project::{ParticipantRole, Project};
use crate::representative::Representative;
use crate::user::{ApiToken, Role, User};

/// A signed-in user, as far as access rules are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Uuid,
    pub role: Role,
    /// The agency the user acts for (`AGENCY` and `DONOR` users).
    pub agency_id: Option<Uuid>,
}

/// Operations that are allowed or not by role alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Create and change agencies and their representatives.
    ManageAgencies,
    /// Create users and list them.
    ManageUsers,
    /// Read the audit log.
    ReadAuditLog,
    /// Read the representatives of agencies (personal contact data).
    ReadRepresentatives,
    /// Schedule and run sessions: agenda, attendance, minutes, agreements.
    ManageMeetings,
    /// Create action items directly and cancel them.
    ManageActionItems,
    /// Update action items: status, progress, notes and evidence. Which items, and which
    /// of their fields, [`crate::action_item::check_updater`] decides.
    UpdateActionItems,
    /// Read the commission's work: agreements and action items.
    ReadCommissionWork,
    /// Create and change projects, their participants, budgets and transactions.
    ManageProjects,
    /// Read the e-mail outbox and retry dead letters.
    ManageOutbox,
    /// Register webhook endpoints, read their deliveries and retry dead ones.
    ManageWebhooks,
    /// Report progress on projects: indicator values, milestones, narrative reports. On
    /// which projects, [`may_report_on`] decides.
    ReportOnProjects,
    /// Answer sessions' invitations for representatives. For whom,
    /// [`check_responder`] decides.
    AnswerInvitations,
    /// Send observations on circulated minutes, as an agency. On which minutes,
    /// [`crate::observation::submit`] decides (those of sessions the agency attended).
    SubmitObservations,
    /// Attach documents to sessions, action items and projects. To which objects,
    /// [`crate::document::Owner::check_uploader`] decides.
    AttachDocuments,
}

impl Actor {
    pub fn is_secretariat(&self) -> bool {
        self.role == Role::Secretariat
    }

    /// The agency whose invitations bound the sessions the actor lists: its own for an
    /// agency user, none (every session) for the secretariat. Donors read no sessions at
    /// all ([`Permission::ReadCommissionWork`]).
    pub fn sessions_bound(&self) -> Option<Uuid> {
        match self.role {
            Role::Secretariat => None,
            Role::Agency | Role::Donor => self.agency_id,
        }
    }

    /// The agency whose commitments the actor works on, for an agency's focal point.
    pub fn focal_agency(&self) -> Option<Uuid> {
        match self.role {
            Role::Agency => self.agency_id,
            Role::Secretariat | Role::Donor => None,
        }
    }

    pub fn may(&self, permission: Permission) -> bool {
        match permission {
            Permission::ManageAgencies
            | Permission::ManageUsers
            | Permission::ReadAuditLog
            | Permission::ManageMeetings
            | Permission::ManageActionItems
            | Permission::ManageProjects
            | Permission::ManageOutbox
            | Permission::ManageWebhooks => self.is_secretariat(),
            Permission::ReadRepresentatives
            | Permission::ReadCommissionWork
            | Permission::UpdateActionItems
            | Permission::ReportOnProjects
            | Permission::AnswerInvitations
            | Permission::AttachDocuments => {
                matches!(self.role, Role::Secretariat | Role::Agency)
            }
            Permission::SubmitObservations => self.role == Role::Agency,
        }
    }

    /// Whether the actor may create and revoke API tokens of `user_id`: the secretariat
    /// for anyone, everybody else for themselves.
    pub fn may_manage_tokens_of(&self, user_id: Uuid) -> bool {
        self.is_secretariat() || self.user_id == user_id
    }
}

/// The projects an actor may list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectScope {
    All,
    /// Projects this agency takes part in, in any role.
    Participant(Uuid),
    /// Projects this agency funds.
    Funder(Uuid),
}

impl ProjectScope {
    /// What `actor` may list: all for the secretariat, the projects its agency takes part
    /// in for an agency user, those its agency funds for a donor; `None` for a user
    /// without an agency.
    pub fn of(actor: &Actor) -> Option<Self> {
        match (actor.role, actor.agency_id) {
            (Role::Secretariat, _) => Some(Self::All),
            (Role::Agency, Some(agency)) => Some(Self::Participant(agency)),
            (Role::Donor, Some(agency)) => Some(Self::Funder(agency)),
            _ => None,
        }
    }
}

/// The read rule of one kind of object.
pub trait Visible {
    fn visible_to(&self, actor: &Actor) -> bool;
}

/// A shared value is seen by whoever may see the value.
impl<T: Visible + ?Sized> Visible for std::sync::Arc<T> {
    fn visible_to(&self, actor: &Actor) -> bool {
        (**self).visible_to(actor)
    }
}

impl Visible for Agency {
    /// Agencies' public profiles (names, membership) are part of every other object a
    /// signed-in user may see, so every role reads them.
    fn visible_to(&self, _actor: &Actor) -> bool {
        true
    }
}

impl Visible for Representative {
    fn visible_to(&self, actor: &Actor) -> bool {
        actor.may(Permission::ReadRepresentatives)
    }
}

impl Visible for User {
    fn visible_to(&self, actor: &Actor) -> bool {
        actor.is_secretariat() || actor.user_id == self.id
    }
}

impl Visible for ApiToken {
    fn visible_to(&self, actor: &Actor) -> bool {
        actor.may_manage_tokens_of(self.user_id)
    }
}

impl Visible for AuditEvent {
    fn visible_to(&self, actor: &Actor) -> bool {
        actor.may(Permission::ReadAuditLog)
    }
}

impl Visible for crate::outbox::EmailDelivery {
    fn visible_to(&self, actor: &Actor) -> bool {
        actor.may(Permission::ManageOutbox)
    }
}

impl Visible for crate::webhook::Webhook {
    fn visible_to(&self, actor: &Actor) -> bool {
        actor.may(Permission::ManageWebhooks)
    }
}

impl Visible for crate::webhook::WebhookDelivery {
    fn visible_to(&self, actor: &Actor) -> bool {
        actor.may(Permission::ManageWebhooks)
    }
}

impl Visible for Meeting {
    /// The secretariat sees every session; an agency sees the sessions it is invited to.
    fn visible_to(&self, actor: &Actor) -> bool {
        actor.is_secretariat()
            || (actor.role == Role::Agency && actor.agency_id.is_some_and(|a| self.invites(a)))
    }
}

impl Visible for crate::rsvp::InvitationAnswer {
    /// The secretariat reads every answer; an agency its own representatives' answers.
    fn visible_to(&self, actor: &Actor) -> bool {
        actor.is_secretariat()
            || (actor.role == Role::Agency && actor.agency_id == Some(self.agency_id))
    }
}

impl Visible for MeetingSeries {
    /// The secretariat sees every series; an agency the series whose list invites it. A
    /// series without a list (none is stored so since lists are resolved when a series is
    /// scheduled) is the secretariat's alone.
    fn visible_to(&self, actor: &Actor) -> bool {
        actor.is_secretariat()
            || (actor.role == Role::Agency
                && actor.agency_id.is_some_and(|agency| {
                    self.invited_agency_ids
                        .as_ref()
                        .is_some_and(|invited| invited.contains(&agency))
                }))
    }
}

/// Minutes: the secretariat always; an invited agency once they are circulated.
pub fn minutes_visible_to(meeting: &Meeting, actor: &Actor) -> bool {
    let circulated = meeting
        .minutes
        .as_ref()
        .is_some_and(|minutes| minutes.status != MinutesStatus::Draft);
    actor.is_secretariat() || (circulated && meeting.visible_to(actor))
}

impl Visible for crate::observation::Observation {
    /// Observations belong to the minutes: the secretariat, and the agencies invited to
    /// the session, who read the minutes once circulated (observations come after).
    fn visible_to(&self, actor: &Actor) -> bool {
        actor.is_secretariat()
            || (actor.role == Role::Agency
                && actor
                    .agency_id
                    .is_some_and(|a| self.invited_agency_ids.contains(&a)))
    }
}

/// Parts of a session are reached only through the session, whose own rule has already
/// been applied; this rule keeps donors out should another path ever lead to them.
macro_rules! commission_work {
    ($($type:ty),+) => {
        $(impl Visible for $type {
            fn visible_to(&self, actor: &Actor) -> bool {
                actor.may(Permission::ReadCommissionWork)
            }
        })+
    };
}

commission_work!(AgendaItem, Attendance, HistoryEntry);

impl Visible for ActionItem {
    /// The secretariat and agencies read every item; a donor reads the items linked to
    /// projects its agency funds.
    fn visible_to(&self, actor: &Actor) -> bool {
        actor.may(Permission::ReadCommissionWork)
            || (actor.role == Role::Donor
                && actor
                    .agency_id
                    .is_some_and(|a| self.project_funder_ids.contains(&a)))
    }
}

impl Visible for Project {
    /// The secretariat reads every project; an agency the projects it takes part in; a
    /// donor only the projects its agency funds.
    fn visible_to(&self, actor: &Actor) -> bool {
        match (actor.role, actor.agency_id) {
            (Role::Secretariat, _) => true,
            (Role::Agency, Some(agency)) => self.involves(agency),
            (Role::Donor, Some(agency)) => self.has(agency, ParticipantRole::Funding),
            _ => false,
        }
    }
}

/// Why the domain refused a change: every "no" to a change is decided here, in the
/// domain, and the store and the API only pass it on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The actor may not make this change.
    Forbidden(String),
    /// The change breaks a rule.
    Invalid(ValidationError),
}

impl From<ValidationError> for Refusal {
    fn from(error: ValidationError) -> Self {
        Refusal::Invalid(error)
    }
}

/// Who reports progress on a project (indicator values, milestones, narrative reports):
/// the secretariat and the users of an implementing agency. The role part of the rule is
/// [`Permission::ReportOnProjects`], which the API asks before it reads any input.
pub fn may_report_on(project: &Project, actor: &Actor) -> bool {
    actor.is_secretariat()
        || (actor.may(Permission::ReportOnProjects)
            && actor
                .agency_id
                .is_some_and(|a| project.has(a, ParticipantRole::Implementing)))
}

/// [`may_report_on`] as a decision.
pub fn check_reporter(project: &Project, actor: &Actor) -> Result<(), Refusal> {
    if may_report_on(project, actor) {
        Ok(())
    } else {
        Err(Refusal::Forbidden(
            "only the secretariat and implementing agencies report on this project".into(),
        ))
    }
}

/// Who answers an invitation for a representative of `agency_id`: the secretariat for
/// anyone, an agency's users for their own agency's representatives, and only to a
/// session the agency is invited to.
pub fn check_responder(meeting: &Meeting, agency_id: Uuid, actor: &Actor) -> Result<(), Refusal> {
    let own = actor.role == Role::Agency && actor.agency_id == Some(agency_id);
    if !(actor.is_secretariat() || own) {
        return Err(Refusal::Forbidden(
            "only the secretariat and the representative's own agency answer for them".into(),
        ));
    }
    if !meeting.invites(agency_id) {
        return Err(Refusal::Invalid(ValidationError::new(
            "representativeId",
            "the representative's agency is not invited to this session",
        )));
    }
    Ok(())
}

/// Targets belong to the results framework, which the secretariat manages; implementers
/// report what was achieved.
pub fn check_target_setter(sets_target: bool, actor: &Actor) -> Result<(), Refusal> {
    if sets_target && !actor.is_secretariat() {
        Err(Refusal::Forbidden(
            "only the secretariat sets targets".into(),
        ))
    } else {
        Ok(())
    }
}

impl Visible for Agreement {
    /// An agreement belongs to its session: the secretariat and the invited agencies.
    fn visible_to(&self, actor: &Actor) -> bool {
        actor.is_secretariat()
            || (actor.role == Role::Agency
                && actor
                    .agency_id
                    .is_some_and(|a| self.invited_agency_ids.contains(&a)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: Uuid::now_v7(),
            role,
            agency_id: (role != Role::Secretariat).then(Uuid::now_v7),
        }
    }

    #[test]
    fn each_role_lists_its_own_share_of_sessions_items_and_projects() {
        let secretariat = actor(Role::Secretariat);
        let agency = actor(Role::Agency);
        let donor = actor(Role::Donor);
        assert_eq!(secretariat.sessions_bound(), None, "every session");
        assert_eq!(agency.sessions_bound(), agency.agency_id);
        assert_eq!(agency.focal_agency(), agency.agency_id);
        assert_eq!(secretariat.focal_agency(), None);
        assert_eq!(
            donor.focal_agency(),
            None,
            "a donor works on no commitments"
        );
        assert_eq!(ProjectScope::of(&secretariat), Some(ProjectScope::All));
        assert_eq!(
            ProjectScope::of(&agency),
            agency.agency_id.map(ProjectScope::Participant)
        );
        assert_eq!(
            ProjectScope::of(&donor),
            donor.agency_id.map(ProjectScope::Funder)
        );
        let stray = Actor {
            agency_id: None,
            ..donor
        };
        assert_eq!(ProjectScope::of(&stray), None);
    }

    #[test]
    fn only_the_secretariat_manages_the_commission() {
        for permission in [
            Permission::ManageAgencies,
            Permission::ManageUsers,
            Permission::ReadAuditLog,
        ] {
            assert!(actor(Role::Secretariat).may(permission));
            assert!(!actor(Role::Agency).may(permission));
            assert!(!actor(Role::Donor).may(permission));
        }
    }

    #[test]
    fn refusals_of_changes_are_decided_here() {
        let secretariat = actor(Role::Secretariat);
        let agency = actor(Role::Agency);
        let donor = actor(Role::Donor);
        assert_eq!(check_target_setter(true, &secretariat), Ok(()));
        assert_eq!(check_target_setter(false, &agency), Ok(()));
        assert!(matches!(
            check_target_setter(true, &agency),
            Err(Refusal::Forbidden(message)) if message.contains("targets")
        ));
        assert_eq!(crate::action_item::check_worker(&agency), Ok(()));
        assert!(matches!(
            crate::action_item::check_worker(&donor),
            Err(Refusal::Forbidden(_))
        ));
    }

    #[test]
    fn donors_neither_update_items_nor_report_on_projects() {
        for permission in [Permission::UpdateActionItems, Permission::ReportOnProjects] {
            assert!(actor(Role::Secretariat).may(permission));
            assert!(actor(Role::Agency).may(permission));
            assert!(!actor(Role::Donor).may(permission));
        }
    }

    #[test]
    fn only_agencies_send_observations() {
        assert!(actor(Role::Agency).may(Permission::SubmitObservations));
        assert!(!actor(Role::Secretariat).may(Permission::SubmitObservations));
        assert!(!actor(Role::Donor).may(Permission::SubmitObservations));
    }

    #[test]
    fn donors_do_not_read_representatives() {
        assert!(actor(Role::Secretariat).may(Permission::ReadRepresentatives));
        assert!(actor(Role::Agency).may(Permission::ReadRepresentatives));
        assert!(!actor(Role::Donor).may(Permission::ReadRepresentatives));
    }

    #[test]
    fn tokens_belong_to_their_user() {
        let agency = actor(Role::Agency);
        assert!(agency.may_manage_tokens_of(agency.user_id));
        assert!(!agency.may_manage_tokens_of(Uuid::now_v7()));
        assert!(actor(Role::Secretariat).may_manage_tokens_of(agency.user_id));
    }
}
