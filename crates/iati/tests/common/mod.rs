//! Helpers shared by the integration tests: sample activities and the official validator.

pub mod xmllint;

use chrono::{DateTime, NaiveDate, Utc};
use cmnp_iati::{
    Activity, ActivityStatus, Baseline, Budget, BudgetStatus, BudgetType, DocumentCategory,
    DocumentLink, Indicator, IndicatorMeasure, IndicatorPeriod, Money, Organisation,
    OrganisationRole, Participant, ResultFramework, ResultType, Transaction, TransactionType,
};

pub const IDENTIFIER: &str = "XM-DAC-47066-PE-TUMBES-2026";
pub const INDICATOR: &str = "operadoras y operadores de frontera capacitados";

pub fn day(text: &str) -> NaiveDate {
    text.parse()
        .unwrap_or_else(|error| panic!("{text:?} is not a date: {error}"))
}

pub fn at(instant: &str) -> DateTime<Utc> {
    instant
        .parse()
        .unwrap_or_else(|error| panic!("{instant:?} is not an instant: {error}"))
}

pub fn organisation(reference: Option<&str>, name: &str) -> Organisation {
    Organisation {
        reference: reference.map(str::to_owned),
        name: name.to_owned(),
    }
}

pub fn iom() -> Organisation {
    organisation(
        Some("XM-DAC-47066"),
        "Organización Internacional para las Migraciones (OIM)",
    )
}

pub fn prm() -> Organisation {
    organisation(
        Some("US-GOV-11"),
        "U.S. Department of State, Bureau of Population, Refugees, and Migration (PRM)",
    )
}

pub fn mininter() -> Organisation {
    organisation(None, "Ministerio del Interior del Perú (MININTER)")
}

pub fn usd(amount: &str, value_date: &str) -> Money {
    Money {
        amount: amount.to_owned(),
        currency: "USD".to_owned(),
        value_date: day(value_date),
    }
}

/// The border officials' course in Tumbes, with every part the crate can render.
pub fn tumbes_course() -> Activity {
    let participant = |role, organisation| Participant { role, organisation };
    Activity {
        identifier: IDENTIFIER.to_owned(),
        reporting_org: iom(),
        reporting_org_type: "40".to_owned(),
        default_currency: "USD".to_owned(),
        language: "es".to_owned(),
        last_updated: at("2026-05-21T16:45:00Z"),
        title: "Curso «Movilidad humana, tráfico ilícito de migrantes y directrices \
                intersectoriales» para operadoras y operadores de frontera de Tumbes"
            .to_owned(),
        description: Some(
            "Capacitación de operadoras y operadores de frontera en la identificación de \
             víctimas de trata de personas y de tráfico ilícito de migrantes, y en la \
             aplicación de las directrices intersectoriales de protección."
                .to_owned(),
        ),
        participants: vec![
            participant(OrganisationRole::Funding, prm()),
            participant(OrganisationRole::Implementing, iom()),
            participant(OrganisationRole::Implementing, mininter()),
        ],
        status: ActivityStatus::Implementation,
        planned_start: Some(day("2026-03-01")),
        actual_start: Some(day("2026-03-09")),
        planned_end: Some(day("2026-11-30")),
        actual_end: None,
        recipient_country: "PE".to_owned(),
        locations: vec!["Tumbes".to_owned()],
        sectors: vec!["15190".to_owned()],
        budgets: vec![
            Budget {
                kind: BudgetType::Original,
                status: BudgetStatus::Committed,
                period_start: day("2026-03-01"),
                period_end: day("2026-11-30"),
                value: usd("125000.00", "2026-02-15"),
            },
            Budget {
                kind: BudgetType::Revised,
                status: BudgetStatus::Committed,
                period_start: day("2026-03-01"),
                period_end: day("2026-11-30"),
                value: usd("138500.00", "2026-06-01"),
            },
        ],
        transactions: vec![
            Transaction {
                kind: TransactionType::IncomingFunds,
                date: day("2026-03-02"),
                value: usd("125000.00", "2026-03-02"),
                description: Some("Primer desembolso de PRM".to_owned()),
                provider: Some(prm()),
                receiver: Some(iom()),
            },
            Transaction {
                kind: TransactionType::Disbursement,
                date: day("2026-04-15"),
                value: usd("18000.00", "2026-04-15"),
                description: Some("Logística de la sede del curso en Tumbes".to_owned()),
                provider: Some(iom()),
                receiver: Some(mininter()),
            },
            Transaction {
                kind: TransactionType::Expenditure,
                date: day("2026-05-20"),
                value: usd("23450.75", "2026-05-20"),
                description: Some("Materiales y facilitación del curso".to_owned()),
                provider: Some(iom()),
                receiver: None,
            },
        ],
        documents: vec![DocumentLink {
            url: "https://cmnp.example.org/documents/0193a1b2-0000-7000-8000-000000000001"
                .to_owned(),
            format: "application/pdf".to_owned(),
            title: "Informe de avance: primera cohorte & CEBAF <Tumbes>".to_owned(),
            category: DocumentCategory::Results,
            date: Some(day("2026-05-21")),
        }],
        results: vec![ResultFramework {
            kind: ResultType::Output,
            title: "Operadoras y operadores de frontera fortalecen sus capacidades frente a \
                    la trata de personas y el tráfico ilícito de migrantes"
                .to_owned(),
            indicators: vec![Indicator {
                title: INDICATOR.to_owned(),
                measure: IndicatorMeasure::Unit,
                ascending: true,
                baseline: Some(Baseline {
                    year: 2026,
                    value: "0".to_owned(),
                }),
                periods: vec![IndicatorPeriod {
                    start: day("2026-03-01"),
                    end: day("2026-06-30"),
                    target: Some("25".to_owned()),
                    actual: Some("12".to_owned()),
                    comment: Some("Primera cohorte capacitada en el CEBAF de Tumbes".to_owned()),
                }],
            }],
        }],
    }
}

/// An activity with only what the schema requires: no description, one participant,
/// one date and nothing optional.
pub fn minimal_activity() -> Activity {
    Activity {
        identifier: "XM-DAC-47066-PE-LIMA-2026".to_owned(),
        reporting_org: iom(),
        reporting_org_type: "40".to_owned(),
        default_currency: "USD".to_owned(),
        language: "es".to_owned(),
        last_updated: at("2026-05-02T09:00:00Z"),
        title: "Mesa de trabajo sobre trata de personas en Lima".to_owned(),
        description: None,
        participants: vec![Participant {
            role: OrganisationRole::Funding,
            organisation: prm(),
        }],
        status: ActivityStatus::Pipeline,
        planned_start: Some(day("2026-09-01")),
        actual_start: None,
        planned_end: None,
        actual_end: None,
        recipient_country: "PE".to_owned(),
        locations: Vec::new(),
        sectors: Vec::new(),
        budgets: Vec::new(),
        transactions: Vec::new(),
        documents: Vec::new(),
        results: Vec::new(),
    }
}

pub fn generated_at() -> DateTime<Utc> {
    at("2026-05-22T08:00:00Z")
}

/// The byte offset of `needle` in `xml`, for checking the order of elements.
pub fn position(xml: &str, needle: &str) -> usize {
    xml.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found in:\n{xml}"))
}
