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

/// The secretariat's answer to an observation on circulated minutes.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::observation::ObservationAnswer")]
pub enum ObservationAnswer {
    /// Taken into the minutes.
    Accepted,
    /// Answered without changing the minutes.
    NotAccepted,
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

/// How an agreement was decided.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::decision::DecisionMethod")]
pub enum DecisionMethod {
    Consensus,
    Vote,
}

/// What a vote needs to adopt an agreement, among the voting agencies present.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::decision::VoteRule")]
pub enum VoteRule {
    /// More votes in favour than half of the voting agencies present: abstentions do not
    /// count in favour, and a tie is not a majority.
    MajorityOfPresent,
    /// At least two thirds of the voting agencies present in favour.
    TwoThirdsOfPresent,
    /// Every voting agency present in favour.
    Unanimity,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::decision::VoteChoice")]
pub enum VoteChoice {
    For,
    Against,
    Abstain,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::decision::DecisionResult")]
pub enum DecisionResult {
    Adopted,
    Rejected,
}

/// A representative's answer to a session's invitation.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::rsvp::Answer")]
pub enum Answer {
    /// "Asistiré": the representative comes.
    Attending,
    /// "No asistiré": the representative does not come.
    NotAttending,
    /// The representative will not come and sends the agency's alternate.
    SendingAlternate,
}

/// How an answer reached the commission.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::rsvp::AnswerVia")]
pub enum AnswerVia {
    /// A signed link from the invitation e-mail.
    Link,
    /// `respondToInvitation`.
    Graphql,
    /// A calendar client's iCalendar `REPLY`.
    IcalReply,
}

/// Whether an invited agency is expected at a session.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::rsvp::Expectation")]
pub enum Expectation {
    /// A representative comes, or sends the alternate.
    Expected,
    /// Every representative who answered declined.
    NotExpected,
    /// Nobody has answered.
    Unknown,
}

/// What a document belongs to.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::document::OwnerKind")]
pub enum DocumentOwnerKind {
    /// An agenda item: the session's meeting pack.
    AgendaItem,
    /// A session's minutes; the owner id is the session's.
    MeetingMinutes,
    /// An action item: evidence of the work.
    ActionItem,
    /// A project: reports and other papers.
    Project,
}

/// What a document is; a project's reports are published in its IATI activity.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "cmnp_domain::document::DocumentCategory")]
pub enum DocumentCategory {
    /// A report on a project's progress, results and outputs (projects only).
    Report,
    Other,
}
