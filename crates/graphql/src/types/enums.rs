//! The domain's enumerations as GraphQL enums.

use async_graphql::Enum;
use cmnp_domain::{agency, representative, user};

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "agency::AgencyKind")]
pub enum AgencyKind {
    Ministry,
    PublicAgency,
    Judiciary,
    Prosecution,
    Police,
    Ombudsman,
    RegionalGovernment,
    CivilSociety,
    InternationalOrganization,
    ForeignGovernment,
    Other,
}

/// An agency's place in the commission; `PARTNER` is not a member (a donor, say).
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "agency::Membership")]
pub enum Membership {
    Presidency,
    TechnicalSecretariat,
    Member,
    Observer,
    Partner,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "representative::RepresentativeKind")]
pub enum RepresentativeKind {
    Principal,
    Alternate,
}

/// A language cmnp writes in.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "representative::Language")]
pub enum Language {
    Es,
    En,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "user::Role")]
pub enum Role {
    Secretariat,
    Agency,
    Donor,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "user::TokenKind")]
pub enum TokenKind {
    Session,
    PageSession,
    Api,
    Calendar,
    PasswordReset,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::meeting::MeetingKind")]
pub enum MeetingKind {
    Ordinary,
    Extraordinary,
}

/// Which sessions of a series a change reaches.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecurrenceScope {
    /// This session alone.
    #[default]
    This,
    /// This session and every later one of its series.
    ThisAndFollowing,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::meeting::MeetingStatus")]
pub enum MeetingStatus {
    Scheduled,
    Held,
    Cancelled,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::meeting::MinutesStatus")]
pub enum MinutesStatus {
    Draft,
    Circulated,
    Approved,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::agenda::AgendaItemKind")]
pub enum AgendaItemKind {
    Information,
    Decision,
    FollowUp,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::agenda::AttendanceStatus")]
pub enum AttendanceStatus {
    Present,
    Absent,
    Excused,
}

/// Who attended for an agency: its principal, its alternate, or a named delegate.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::agenda::AttendeeKind")]
pub enum AttendeeKind {
    Principal,
    Alternate,
    Delegate,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::agenda::AttendanceMode")]
pub enum AttendanceMode {
    InPerson,
    Online,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::action_item::ActionItemStatus")]
pub enum ActionItemStatus {
    Open,
    InProgress,
    Blocked,
    Done,
    Cancelled,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::project::ProjectStatus")]
pub enum ProjectStatus {
    Pipeline,
    Implementation,
    Finalisation,
    Closed,
    Cancelled,
    Suspended,
}

/// IATI organisation role in a project.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::project::ParticipantRole")]
pub enum ParticipantRole {
    Funding,
    Accountable,
    Extending,
    Implementing,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::project::BudgetKind")]
pub enum BudgetKind {
    Original,
    Revised,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::project::BudgetStatus")]
pub enum BudgetStatus {
    Indicative,
    Committed,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::project::TransactionType")]
pub enum TransactionType {
    IncomingFunds,
    Commitment,
    Disbursement,
    Expenditure,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::project::ResultType")]
pub enum ResultType {
    Output,
    Outcome,
    Impact,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::project::IndicatorMeasure")]
pub enum IndicatorMeasure {
    Unit,
    Percentage,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::outbox::EmailKind")]
pub enum EmailKind {
    MeetingInvitation,
    MeetingUpdate,
    MeetingCancellation,
    MeetingReminder,
    ActionItemDue,
    OverdueDigest,
    SecretariatDigest,
    PasswordReset,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::outbox::DeliveryStatus")]
pub enum DeliveryStatus {
    Pending,
    Sending,
    Sent,
    Dead,
    Skipped,
}
