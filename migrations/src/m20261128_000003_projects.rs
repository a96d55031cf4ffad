//! Funded projects (IATI activities): participants, budget lines, transactions, results
//! with indicators and their periods, milestones and narrative reports. Amounts are stored
//! as exact decimal text, so both databases keep every cent.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, date, date_null, integer_null, json_binary, pk_uuid, string_len, string_len_null,
    string_len_uniq, text, text_null, timestamp_with_time_zone, uuid, uuid_null,
};

use crate::helpers::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Projects::Table)
                    .col(pk_uuid(Projects::Id))
                    .col(string_len_uniq(Projects::IatiIdentifier, 200))
                    .col(uuid(Projects::ReportingAgencyId))
                    .col(string_len(Projects::Title, 500))
                    .col(text_null(Projects::Description))
                    .col(string_len(Projects::Status, 20))
                    .col(string_len(Projects::Currency, 3))
                    .col(date_null(Projects::PlannedStart))
                    .col(date_null(Projects::PlannedEnd))
                    .col(date_null(Projects::ActualStart))
                    .col(date_null(Projects::ActualEnd))
                    .col(json_binary(Projects::Regions))
                    .col(json_binary(Projects::Sectors))
                    .col(timestamp_with_time_zone(Projects::CreatedAt))
                    .col(timestamp_with_time_zone(Projects::UpdatedAt))
                    .foreign_key(&mut fk(
                        Projects::Table,
                        Projects::ReportingAgencyId,
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
                    .table(ProjectParticipants::Table)
                    .col(uuid(ProjectParticipants::ProjectId))
                    .col(uuid(ProjectParticipants::AgencyId))
                    .col(string_len(ProjectParticipants::Role, 20))
                    .primary_key(
                        Index::create()
                            .col(ProjectParticipants::ProjectId)
                            .col(ProjectParticipants::AgencyId)
                            .col(ProjectParticipants::Role),
                    )
                    .foreign_key(&mut fk(
                        ProjectParticipants::Table,
                        ProjectParticipants::ProjectId,
                        Projects::Table,
                        Projects::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        ProjectParticipants::Table,
                        ProjectParticipants::AgencyId,
                        Agencies::Table,
                        Agencies::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_project_participants_agency",
            ProjectParticipants::Table,
            &[ProjectParticipants::AgencyId, ProjectParticipants::Role],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(BudgetLines::Table)
                    .col(pk_uuid(BudgetLines::Id))
                    .col(uuid(BudgetLines::ProjectId))
                    .col(date(BudgetLines::PeriodStart))
                    .col(date(BudgetLines::PeriodEnd))
                    .col(string_len(BudgetLines::Amount, 40))
                    .col(string_len(BudgetLines::Currency, 3))
                    .col(string_len(BudgetLines::Kind, 20))
                    .col(string_len(BudgetLines::Status, 20))
                    .foreign_key(&mut fk(
                        BudgetLines::Table,
                        BudgetLines::ProjectId,
                        Projects::Table,
                        Projects::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_budget_lines_project",
            BudgetLines::Table,
            &[BudgetLines::ProjectId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Transactions::Table)
                    .col(pk_uuid(Transactions::Id))
                    .col(uuid(Transactions::ProjectId))
                    .col(string_len(Transactions::Kind, 20))
                    .col(date(Transactions::Date))
                    .col(string_len(Transactions::Amount, 40))
                    .col(string_len(Transactions::Currency, 3))
                    .col(uuid_null(Transactions::ProviderAgencyId))
                    .col(uuid_null(Transactions::ReceiverAgencyId))
                    .col(text_null(Transactions::Description))
                    .foreign_key(&mut fk(
                        Transactions::Table,
                        Transactions::ProjectId,
                        Projects::Table,
                        Projects::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Transactions::Table,
                        Transactions::ProviderAgencyId,
                        Agencies::Table,
                        Agencies::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .foreign_key(&mut fk(
                        Transactions::Table,
                        Transactions::ReceiverAgencyId,
                        Agencies::Table,
                        Agencies::Id,
                        ForeignKeyAction::Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_transactions_project",
            Transactions::Table,
            &[Transactions::ProjectId, Transactions::Date],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Results::Table)
                    .col(pk_uuid(Results::Id))
                    .col(uuid(Results::ProjectId))
                    .col(string_len(Results::Kind, 20))
                    .col(string_len(Results::Title, 500))
                    .foreign_key(&mut fk(
                        Results::Table,
                        Results::ProjectId,
                        Projects::Table,
                        Projects::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_results_project",
            Results::Table,
            &[Results::ProjectId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Indicators::Table)
                    .col(pk_uuid(Indicators::Id))
                    .col(uuid(Indicators::ResultId))
                    .col(string_len(Indicators::Title, 500))
                    .col(string_len(Indicators::Measure, 20))
                    .col(boolean(Indicators::Ascending))
                    .col(string_len(Indicators::Baseline, 40))
                    .col(integer_null(Indicators::BaselineYear))
                    .col(string_len(Indicators::Target, 40))
                    .foreign_key(&mut fk(
                        Indicators::Table,
                        Indicators::ResultId,
                        Results::Table,
                        Results::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_indicators_result",
            Indicators::Table,
            &[Indicators::ResultId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(IndicatorPeriods::Table)
                    .col(pk_uuid(IndicatorPeriods::Id))
                    .col(uuid(IndicatorPeriods::IndicatorId))
                    .col(date(IndicatorPeriods::PeriodStart))
                    .col(date(IndicatorPeriods::PeriodEnd))
                    .col(string_len_null(IndicatorPeriods::Target, 40))
                    .col(string_len_null(IndicatorPeriods::Actual, 40))
                    .col(text_null(IndicatorPeriods::Comment))
                    .foreign_key(&mut fk(
                        IndicatorPeriods::Table,
                        IndicatorPeriods::IndicatorId,
                        Indicators::Table,
                        Indicators::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_indicator_periods_indicator",
            IndicatorPeriods::Table,
            &[IndicatorPeriods::IndicatorId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Milestones::Table)
                    .col(pk_uuid(Milestones::Id))
                    .col(uuid(Milestones::ProjectId))
                    .col(string_len(Milestones::Title, 500))
                    .col(date(Milestones::PlannedOn))
                    .col(date_null(Milestones::DoneOn))
                    .foreign_key(&mut fk(
                        Milestones::Table,
                        Milestones::ProjectId,
                        Projects::Table,
                        Projects::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_milestones_project",
            Milestones::Table,
            &[Milestones::ProjectId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProjectReports::Table)
                    .col(pk_uuid(ProjectReports::Id))
                    .col(uuid(ProjectReports::ProjectId))
                    .col(date(ProjectReports::PeriodStart))
                    .col(date(ProjectReports::PeriodEnd))
                    .col(text(ProjectReports::Narrative))
                    .col(text_null(ProjectReports::Risks))
                    .col(timestamp_with_time_zone(ProjectReports::SubmittedAt))
                    .foreign_key(&mut fk(
                        ProjectReports::Table,
                        ProjectReports::ProjectId,
                        Projects::Table,
                        Projects::Id,
                        ForeignKeyAction::Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_project_reports_project",
            ProjectReports::Table,
            &[ProjectReports::ProjectId],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ProjectReports::Table.into_iden(),
            Milestones::Table.into_iden(),
            IndicatorPeriods::Table.into_iden(),
            Indicators::Table.into_iden(),
            Results::Table.into_iden(),
            Transactions::Table.into_iden(),
            BudgetLines::Table.into_iden(),
            ProjectParticipants::Table.into_iden(),
            Projects::Table.into_iden(),
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
enum Projects {
    Table,
    Id,
    IatiIdentifier,
    ReportingAgencyId,
    Title,
    Description,
    Status,
    Currency,
    PlannedStart,
    PlannedEnd,
    ActualStart,
    ActualEnd,
    Regions,
    Sectors,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ProjectParticipants {
    Table,
    ProjectId,
    AgencyId,
    Role,
}

#[derive(DeriveIden, Clone, Copy)]
enum BudgetLines {
    Table,
    Id,
    ProjectId,
    PeriodStart,
    PeriodEnd,
    Amount,
    Currency,
    Kind,
    Status,
}

#[derive(DeriveIden, Clone, Copy)]
enum Transactions {
    Table,
    Id,
    ProjectId,
    Kind,
    Date,
    Amount,
    Currency,
    ProviderAgencyId,
    ReceiverAgencyId,
    Description,
}

#[derive(DeriveIden, Clone, Copy)]
enum Results {
    Table,
    Id,
    ProjectId,
    Kind,
    Title,
}

#[derive(DeriveIden, Clone, Copy)]
enum Indicators {
    Table,
    Id,
    ResultId,
    Title,
    Measure,
    Ascending,
    Baseline,
    BaselineYear,
    Target,
}

#[derive(DeriveIden, Clone, Copy)]
enum IndicatorPeriods {
    Table,
    Id,
    IndicatorId,
    PeriodStart,
    PeriodEnd,
    Target,
    Actual,
    Comment,
}

#[derive(DeriveIden, Clone, Copy)]
enum Milestones {
    Table,
    Id,
    ProjectId,
    Title,
    PlannedOn,
    DoneOn,
}

#[derive(DeriveIden, Clone, Copy)]
enum ProjectReports {
    Table,
    Id,
    ProjectId,
    PeriodStart,
    PeriodEnd,
    Narrative,
    Risks,
    SubmittedAt,
}
