//! The demo's funded projects: the IOM and MININTER course for border officials in
//! Tumbes, funded by PRM, and two more in other states. Dates are relative to the day the
//! demo is loaded.

use anyhow::Context;
use chrono::{Duration, NaiveDate};
use cmnp_domain::policy::Actor;
use cmnp_domain::project::{
    BudgetKind, BudgetStatus, IndicatorFields, IndicatorMeasure, MoneyInput, NewBudgetLine,
    NewTransaction, ParticipantRole, PeriodFields, ProjectFields, ProjectStatus, ResultType,
    TransactionType,
};
use cmnp_store::{ProjectScope, Store};
use rust_decimal::Decimal;
use uuid::Uuid;

/// The Tumbes training project's identifier (IOM reports it).
pub const TUMBES: &str = "XM-DAC-47066-PE-TUMBES-2026";

/// Loads the projects unless the demo already has some; returns how many it added.
pub async fn load(
    store: &Store,
    secretariat: &Actor,
    implementer: &Actor,
    today: NaiveDate,
) -> anyhow::Result<usize> {
    if !store.all_projects(ProjectScope::All).await?.is_empty() {
        return Ok(0);
    }
    let agency = |acronym: &'static str| async move {
        store
            .agency_by_acronym(acronym)
            .await?
            .map(|a| a.id)
            .with_context(|| format!("demo agency {acronym} is missing"))
    };
    let (oim, prm, dgsd, mininter, unodc) = (
        agency("OIM").await?,
        agency("PRM").await?,
        agency("DGSD").await?,
        agency("MININTER").await?,
        agency("UNODC").await?,
    );
    let usd = |amount: &str| -> anyhow::Result<MoneyInput> {
        Ok(MoneyInput {
            amount: amount.parse::<Decimal>()?,
            currency: None,
        })
    };

    let tumbes = store
        .create_project(Some(secretariat), ProjectFields {
            iati_identifier: TUMBES.into(),
            reporting_agency_id: Some(oim),
            title: "Movilidad humana, tráfico ilícito de migrantes y directrices intersectoriales para la prevención y persecución del delito, y la atención y protección de las víctimas".into(),
            description: Some("Curso para operadoras y operadores de frontera en Tumbes, organizado por la OIM y el Ministerio del Interior (Dirección General para la Seguridad Democrática), con financiamiento de la Oficina de Población, Refugiados y Migración (PRM) del Departamento de Estado de los EE. UU.".into()),
            status: Some(ProjectStatus::Implementation),
            currency: "USD".into(),
            planned_start: Some(today - Duration::days(180)),
            planned_end: Some(today + Duration::days(120)),
            actual_start: Some(today - Duration::days(170)),
            actual_end: None,
            regions: vec!["Tumbes".into()],
            sectors: vec!["15190".into()],
        })
        .await?;
    for (agency_id, role) in [
        (prm, ParticipantRole::Funding),
        (oim, ParticipantRole::Accountable),
        (oim, ParticipantRole::Implementing),
        (dgsd, ParticipantRole::Implementing),
    ] {
        store
            .add_project_participant(Some(secretariat), tumbes.id, agency_id, role)
            .await?;
    }
    let (year_start, year_end) = (today - Duration::days(180), today + Duration::days(120));
    store
        .add_budget_line(
            Some(secretariat),
            tumbes.id,
            NewBudgetLine {
                period_start: year_start,
                period_end: year_end,
                money: usd("120000.00")?,
                kind: BudgetKind::Original,
                status: BudgetStatus::Committed,
            },
        )
        .await?;
    store
        .add_budget_line(
            Some(secretariat),
            tumbes.id,
            NewBudgetLine {
                period_start: year_start,
                period_end: year_end,
                money: usd("125000.00")?,
                kind: BudgetKind::Revised,
                status: BudgetStatus::Committed,
            },
        )
        .await?;
    for (kind, days_ago, amount, provider, receiver, description) in [
        (
            TransactionType::IncomingFunds,
            175,
            "125000.00",
            prm,
            oim,
            "Aporte de PRM",
        ),
        (
            TransactionType::Commitment,
            170,
            "125000.00",
            oim,
            oim,
            "Compromiso del proyecto",
        ),
        (
            TransactionType::Disbursement,
            150,
            "80000.00",
            oim,
            dgsd,
            "Desembolso para la logística de los cursos",
        ),
        (
            TransactionType::Expenditure,
            60,
            "46250.75",
            oim,
            oim,
            "Primer curso en Tumbes",
        ),
    ] {
        store
            .record_transaction(
                Some(secretariat),
                tumbes.id,
                NewTransaction {
                    kind,
                    date: today - Duration::days(days_ago),
                    money: usd(amount)?,
                    provider: Some(provider),
                    receiver: Some(receiver),
                    description: Some(description.into()),
                },
            )
            .await?;
    }
    store.add_result(Some(secretariat), tumbes.id, ResultType::Output, "Operadoras y operadores de frontera capacitados en movilidad humana y tráfico ilícito de migrantes").await?;
    let parts = store.project_parts(&[tumbes.id]).await?;
    let result = parts.results.first().context("the result just added")?.id;
    let baseline_year = chrono::Datelike::year(&year_start);
    let fields = IndicatorFields::parse(
        "operadoras y operadores de frontera capacitados",
        IndicatorMeasure::Unit,
        Some(true),
        Decimal::ZERO,
        Some(baseline_year),
        Decimal::from(25),
    )?;
    store
        .add_indicator(Some(secretariat), result, fields)
        .await?;
    let indicator = store
        .project_parts(&[tumbes.id])
        .await?
        .indicators
        .first()
        .context("the indicator just added")?
        .id;
    store
        .record_indicator_progress(secretariat, indicator, |indicator| {
            PeriodFields::parse(
                indicator.measure,
                year_start,
                today - Duration::days(30),
                Some(Decimal::from(15)),
                None,
                None,
            )
        })
        .await?;
    // The secretariat sets the period's target; the implementer reports what was done.
    store
        .record_indicator_progress(implementer, indicator, |indicator| {
            PeriodFields::parse(
                indicator.measure,
                year_start,
                today - Duration::days(30),
                None,
                Some(Decimal::from(12)),
                Some("Primer curso: 12 operadores de Migraciones, PNP y Ministerio Público."),
            )
        })
        .await?;
    store
        .add_milestone(
            implementer,
            tumbes.id,
            "Primer curso en Tumbes",
            today - Duration::days(60),
        )
        .await?;
    store
        .add_milestone(
            implementer,
            tumbes.id,
            "Segundo curso en Tumbes",
            today + Duration::days(30),
        )
        .await?;
    store
        .add_milestone(
            implementer,
            tumbes.id,
            "Informe final a PRM",
            today + Duration::days(110),
        )
        .await?;
    let first_course = store
        .project_parts(&[tumbes.id])
        .await?
        .milestones
        .into_iter()
        .find(|m| m.title.starts_with("Primer"))
        .context("the first course milestone")?;
    store
        .complete_milestone(implementer, first_course.id, today - Duration::days(58))
        .await?;
    store
        .submit_project_report(
            implementer,
            tumbes.id,
            year_start,
            today - Duration::days(30),
            "Se dictó el primer curso con 12 participantes; el segundo está convocado.",
            Some("Rotación del personal de frontera; lluvias en la temporada alta."),
        )
        .await?;

    let campaign = store
        .create_project(
            Some(secretariat),
            ProjectFields {
                iati_identifier: "XM-DAC-47066-PE-CAMPANA-2025".into(),
                reporting_agency_id: Some(oim),
                title: "Campaña de prevención de la trata de personas en la frontera norte".into(),
                description: Some("Campaña de comunicación en Tumbes y Piura, concluida.".into()),
                status: Some(ProjectStatus::Closed),
                currency: "USD".into(),
                planned_start: Some(today - Duration::days(540)),
                planned_end: Some(today - Duration::days(200)),
                actual_start: Some(today - Duration::days(530)),
                actual_end: Some(today - Duration::days(210)),
                regions: vec!["Tumbes".into(), "Piura".into()],
                sectors: vec!["15190".into(), "15180".into()],
            },
        )
        .await?;
    store
        .add_project_participant(
            Some(secretariat),
            campaign.id,
            prm,
            ParticipantRole::Funding,
        )
        .await?;
    store
        .add_project_participant(
            Some(secretariat),
            campaign.id,
            oim,
            ParticipantRole::Implementing,
        )
        .await?;
    store
        .add_budget_line(
            Some(secretariat),
            campaign.id,
            NewBudgetLine {
                period_start: today - Duration::days(540),
                period_end: today - Duration::days(200),
                money: usd("40000.00")?,
                kind: BudgetKind::Original,
                status: BudgetStatus::Committed,
            },
        )
        .await?;
    store
        .record_transaction(
            Some(secretariat),
            campaign.id,
            NewTransaction {
                kind: TransactionType::Expenditure,
                date: today - Duration::days(220),
                money: usd("39120.40")?,
                provider: Some(oim),
                receiver: None,
                description: Some("Producción y difusión".into()),
            },
        )
        .await?;

    let pipeline = store
        .create_project(
            Some(secretariat),
            ProjectFields {
                iati_identifier: "XM-DAC-47066-PE-MDD-2027".into(),
                reporting_agency_id: Some(oim),
                title: "Atención a víctimas de trata en Madre de Dios".into(),
                description: None,
                status: Some(ProjectStatus::Pipeline),
                currency: "PEN".into(),
                planned_start: Some(today + Duration::days(60)),
                planned_end: Some(today + Duration::days(425)),
                actual_start: None,
                actual_end: None,
                regions: vec!["Madre de Dios".into()],
                sectors: vec!["15180".into()],
            },
        )
        .await?;
    store
        .add_project_participant(
            Some(secretariat),
            pipeline.id,
            unodc,
            ParticipantRole::Funding,
        )
        .await?;
    store
        .add_project_participant(
            Some(secretariat),
            pipeline.id,
            mininter,
            ParticipantRole::Implementing,
        )
        .await?;
    Ok(3)
}

/// The Tumbes project's id, for linking the demo's action items to it.
pub async fn tumbes(store: &Store) -> anyhow::Result<Option<Uuid>> {
    Ok(store
        .all_projects(ProjectScope::All)
        .await?
        .into_iter()
        .find(|p| p.iati_identifier == TUMBES)
        .map(|p| p.id))
}
