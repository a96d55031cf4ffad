//! The commission's work loop: meetings with their invitations, agenda, attendance and
//! minutes; agreements; action items with supporting agencies and history; and the
//! counters that number them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean_null, date, date_null, integer, integer_null, pk_uuid, string_len, string_len_null,
    text, text_null, timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};

use crate::helpers::{fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Counters::Table)
                    .col(string_len(Counters::Name, 100).primary_key())
                    .col(integer(Counters::Value))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .col(pk_uuid(Meetings::Id))
                    .col(string_len(Meetings::Kind, 20))
                    .col(integer(Meetings::Year))
                    .col(integer(Meetings::Number))
                    .col(string_len(Meetings::Title, 300))
                    .col(string_len(Meetings::Status, 20))
                    .col(timestamp_with_time_zone(Meetings::StartsAt))
                    .col(timestamp_with_time_zone(Meetings::EndsAt))
                    .col(string_len(Meetings::TimeZone, 64))
                    .col(string_len_null(Meetings::Location, 300))
                    .col(string_len_null(Meetings::OnlineUrl, 500))
                    .col(integer(Meetings::Sequence))
                    .col(text_null(Meetings::CancelReason))
                    .col(integer_null(Meetings::QuorumRequired))
                    .col(integer_null(Meetings::QuorumPresent))
                    .col(boolean_null(Meetings::QuorumReached))
                    .col(timestamp_with_time_zone_null(Meetings::HeldAt))
                    .col(text_null(Meetings::MinutesText))
                    .col(string_len_null(Meetings::MinutesStatus, 20))
                    .col(timestamp_with_time_zone_null(Meetings::MinutesCirculatedAt))
                    .col(uuid_null(Meetings::MinutesApprovedAtMeetingId))
                    .col(timestamp_with_time_zone(Meetings::CreatedAt))
                    .col(timestamp_with_time_zone(Meetings::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "ux_meetings_number",
            Meetings::Table,
            &[Meetings::Kind, Meetings::Year, Meetings::Number],
        )
        .await?;
        index(
            manager,
            "idx_meetings_starts_at",
            Meetings::Table,
            &[Meetings::StartsAt],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(MeetingInvitations::Table)
                    .col(uuid(MeetingInvitations::MeetingId))
                    .col(uuid(MeetingInvitations::AgencyId))
                    .primary_key(
                        Index::create()
                            .col(MeetingInvitations::MeetingId)
                            .col(MeetingInvitations::AgencyId),
                    )
                    .foreign_key(&mut fk(
                        MeetingInvitations::Table,
                        MeetingInvitations::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        MeetingInvitations::Table,
                        MeetingInvitations::AgencyId,
                        Agencies::Table,
                        Agencies::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_meeting_invitations_agency",
            MeetingInvitations::Table,
            &[MeetingInvitations::AgencyId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AgendaItems::Table)
                    .col(pk_uuid(AgendaItems::Id))
                    .col(uuid(AgendaItems::MeetingId))
                    .col(integer(AgendaItems::Position))
                    .col(string_len(AgendaItems::Title, 300))
                    .col(text_null(AgendaItems::Description))
                    .col(uuid_null(AgendaItems::PresenterAgencyId))
                    .col(integer_null(AgendaItems::DurationMinutes))
                    .col(string_len(AgendaItems::Kind, 20))
                    .foreign_key(&mut fk(
                        AgendaItems::Table,
                        AgendaItems::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        AgendaItems::Table,
                        AgendaItems::PresenterAgencyId,
                        Agencies::Table,
                        Agencies::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_agenda_items_meeting",
            AgendaItems::Table,
            &[AgendaItems::MeetingId, AgendaItems::Position],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Attendance::Table)
                    .col(uuid(Attendance::MeetingId))
                    .col(uuid(Attendance::AgencyId))
                    .col(string_len(Attendance::Status, 20))
                    .col(string_len_null(Attendance::AttendeeKind, 20))
                    .col(string_len_null(Attendance::AttendeeName, 200))
                    .col(string_len_null(Attendance::Mode, 20))
                    .col(timestamp_with_time_zone(Attendance::RecordedAt))
                    .primary_key(
                        Index::create()
                            .col(Attendance::MeetingId)
                            .col(Attendance::AgencyId),
                    )
                    .foreign_key(&mut fk(
                        Attendance::Table,
                        Attendance::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Attendance::Table,
                        Attendance::AgencyId,
                        Agencies::Table,
                        Agencies::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Agreements::Table)
                    .col(pk_uuid(Agreements::Id))
                    .col(uuid(Agreements::MeetingId))
                    .col(uuid_null(Agreements::AgendaItemId))
                    .col(integer(Agreements::Year))
                    .col(integer(Agreements::Number))
                    .col(text(Agreements::Text))
                    .col(timestamp_with_time_zone(Agreements::CreatedAt))
                    .foreign_key(&mut fk(
                        Agreements::Table,
                        Agreements::MeetingId,
                        Meetings::Table,
                        Meetings::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Agreements::Table,
                        Agreements::AgendaItemId,
                        AgendaItems::Table,
                        AgendaItems::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "ux_agreements_number",
            Agreements::Table,
            &[Agreements::Year, Agreements::Number],
        )
        .await?;
        index(
            manager,
            "idx_agreements_meeting",
            Agreements::Table,
            &[Agreements::MeetingId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActionItems::Table)
                    .col(pk_uuid(ActionItems::Id))
                    .col(integer(ActionItems::Year))
                    .col(integer(ActionItems::Number))
                    .col(string_len(ActionItems::Title, 300))
                    .col(text_null(ActionItems::Description))
                    .col(uuid_null(ActionItems::AgreementId))
                    .col(uuid_null(ActionItems::ProjectId))
                    .col(uuid(ActionItems::ResponsibleAgencyId))
                    .col(date(ActionItems::DueOn))
                    .col(string_len(ActionItems::Status, 20))
                    .col(integer(ActionItems::ProgressPercent))
                    .col(date_null(ActionItems::CompletedOn))
                    .col(text_null(ActionItems::CancelReason))
                    .col(integer(ActionItems::Version))
                    .col(timestamp_with_time_zone(ActionItems::CreatedAt))
                    .col(timestamp_with_time_zone(ActionItems::UpdatedAt))
                    .foreign_key(&mut fk(
                        ActionItems::Table,
                        ActionItems::AgreementId,
                        Agreements::Table,
                        Agreements::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        ActionItems::Table,
                        ActionItems::ResponsibleAgencyId,
                        Agencies::Table,
                        Agencies::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "ux_action_items_number",
            ActionItems::Table,
            &[ActionItems::Year, ActionItems::Number],
        )
        .await?;
        index(
            manager,
            "idx_action_items_responsible",
            ActionItems::Table,
            &[ActionItems::ResponsibleAgencyId],
        )
        .await?;
        index(
            manager,
            "idx_action_items_status_due",
            ActionItems::Table,
            &[ActionItems::Status, ActionItems::DueOn],
        )
        .await?;
        index(
            manager,
            "idx_action_items_agreement",
            ActionItems::Table,
            &[ActionItems::AgreementId],
        )
        .await?;
        index(
            manager,
            "idx_action_items_project",
            ActionItems::Table,
            &[ActionItems::ProjectId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActionItemSupporters::Table)
                    .col(uuid(ActionItemSupporters::ActionItemId))
                    .col(uuid(ActionItemSupporters::AgencyId))
                    .primary_key(
                        Index::create()
                            .col(ActionItemSupporters::ActionItemId)
                            .col(ActionItemSupporters::AgencyId),
                    )
                    .foreign_key(&mut fk(
                        ActionItemSupporters::Table,
                        ActionItemSupporters::ActionItemId,
                        ActionItems::Table,
                        ActionItems::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        ActionItemSupporters::Table,
                        ActionItemSupporters::AgencyId,
                        Agencies::Table,
                        Agencies::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_action_item_supporters_agency",
            ActionItemSupporters::Table,
            &[ActionItemSupporters::AgencyId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActionItemUpdates::Table)
                    .col(pk_uuid(ActionItemUpdates::Id))
                    .col(uuid(ActionItemUpdates::ActionItemId))
                    .col(timestamp_with_time_zone(ActionItemUpdates::At))
                    .col(uuid_null(ActionItemUpdates::AuthorUserId))
                    .col(uuid_null(ActionItemUpdates::AgencyId))
                    .col(text_null(ActionItemUpdates::Note))
                    .col(string_len_null(ActionItemUpdates::StatusFrom, 20))
                    .col(string_len_null(ActionItemUpdates::StatusTo, 20))
                    .col(integer_null(ActionItemUpdates::ProgressPercent))
                    .col(string_len_null(ActionItemUpdates::EvidenceUrl, 1000))
                    .foreign_key(&mut fk(
                        ActionItemUpdates::Table,
                        ActionItemUpdates::ActionItemId,
                        ActionItems::Table,
                        ActionItems::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_action_item_updates_item",
            ActionItemUpdates::Table,
            &[ActionItemUpdates::ActionItemId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ActionItemUpdates::Table.into_iden(),
            ActionItemSupporters::Table.into_iden(),
            ActionItems::Table.into_iden(),
            Agreements::Table.into_iden(),
            Attendance::Table.into_iden(),
            AgendaItems::Table.into_iden(),
            MeetingInvitations::Table.into_iden(),
            Meetings::Table.into_iden(),
            Counters::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Agencies {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Counters {
    Table,
    Name,
    Value,
}

#[derive(DeriveIden, Clone, Copy)]
enum Meetings {
    Table,
    Id,
    Kind,
    Year,
    Number,
    Title,
    Status,
    StartsAt,
    EndsAt,
    TimeZone,
    Location,
    OnlineUrl,
    Sequence,
    CancelReason,
    QuorumRequired,
    QuorumPresent,
    QuorumReached,
    HeldAt,
    MinutesText,
    MinutesStatus,
    MinutesCirculatedAt,
    MinutesApprovedAtMeetingId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum MeetingInvitations {
    Table,
    MeetingId,
    AgencyId,
}

#[derive(DeriveIden, Clone, Copy)]
enum AgendaItems {
    Table,
    Id,
    MeetingId,
    Position,
    Title,
    Description,
    PresenterAgencyId,
    DurationMinutes,
    Kind,
}

#[derive(DeriveIden, Clone, Copy)]
enum Attendance {
    Table,
    MeetingId,
    AgencyId,
    Status,
    AttendeeKind,
    AttendeeName,
    Mode,
    RecordedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Agreements {
    Table,
    Id,
    MeetingId,
    AgendaItemId,
    Year,
    Number,
    Text,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ActionItems {
    Table,
    Id,
    Year,
    Number,
    Title,
    Description,
    AgreementId,
    ProjectId,
    ResponsibleAgencyId,
    DueOn,
    Status,
    ProgressPercent,
    CompletedOn,
    CancelReason,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ActionItemSupporters {
    Table,
    ActionItemId,
    AgencyId,
}

#[derive(DeriveIden, Clone, Copy)]
enum ActionItemUpdates {
    Table,
    Id,
    ActionItemId,
    At,
    AuthorUserId,
    AgencyId,
    Note,
    StatusFrom,
    StatusTo,
    ProgressPercent,
    EvidenceUrl,
}
