//! A project's money at a glance: budget, committed, disbursed, spent, and the burn rate
//! against the time elapsed.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::money::{MixedCurrencies, percent, sum};
use super::{BudgetKind, BudgetLine, Project, Transaction, TransactionType};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// The budget: for each period, its revised line where there is one, else the
    /// original.
    pub budget: Decimal,
    pub committed: Decimal,
    pub disbursed: Decimal,
    pub spent: Decimal,
    /// Spent as a share of the budget, in percent (none without a budget).
    pub burn_rate: Option<Decimal>,
    /// The share of the planned duration elapsed by `today`, in percent, between 0 and
    /// 100 (none without planned dates).
    pub time_elapsed: Option<Decimal>,
}

/// Derives the figures in the project's currency; amounts in another currency are refused
/// rather than summed.
pub fn figures(
    project: &Project,
    budget: &[BudgetLine],
    transactions: &[Transaction],
    today: NaiveDate,
) -> Result<Figures, MixedCurrencies> {
    let currency = project.currency.as_str();
    let current = budget.iter().filter(|line| {
        line.kind == BudgetKind::Revised
            || !budget.iter().any(|other| {
                other.kind == BudgetKind::Revised
                    && other.period_start == line.period_start
                    && other.period_end == line.period_end
            })
    });
    let budget_total = sum(
        currency,
        current.map(|line| (line.currency.as_str(), line.amount)),
    )?;
    let of = |kind: TransactionType| {
        sum(
            currency,
            transactions
                .iter()
                .filter(move |t| t.kind == kind)
                .map(|t| (t.currency.as_str(), t.amount)),
        )
    };
    let spent = of(TransactionType::Expenditure)?;
    let burn_rate = (!budget_total.is_zero())
        .then(|| percent(spent, budget_total))
        .flatten();
    let time_elapsed = match (
        project.actual_start.or(project.planned_start),
        project.planned_end,
    ) {
        (Some(start), Some(end)) if end > start => {
            let total = Decimal::from((end - start).num_days());
            let elapsed = Decimal::from(
                (today - start)
                    .num_days()
                    .clamp(0, (end - start).num_days()),
            );
            percent(elapsed, total)
        }
        _ => None,
    };
    // Money reads with its two decimals, even when it is a round or zero amount.
    let cents = |value: Decimal| {
        let mut value = value;
        value.rescale(2);
        value
    };
    Ok(Figures {
        budget: cents(budget_total),
        committed: cents(of(TransactionType::Commitment)?),
        disbursed: cents(of(TransactionType::Disbursement)?),
        spent: cents(spent),
        burn_rate,
        time_elapsed,
    })
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use uuid::Uuid;

    use super::*;
    use crate::project::{BudgetStatus, ProjectStatus};

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn project() -> Project {
        Project {
            id: Uuid::nil(),
            iati_identifier: "XM-DAC-47066-1".into(),
            reporting_agency_id: Uuid::nil(),
            title: "Curso".into(),
            description: None,
            status: ProjectStatus::Implementation,
            currency: "USD".into(),
            planned_start: Some(day("2026-01-01")),
            planned_end: Some(day("2026-12-31")),
            actual_start: None,
            actual_end: None,
            regions: vec![],
            sectors: vec![],
            participants: vec![],
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
            version: 1,
        }
    }

    fn line(kind: BudgetKind, amount: &str, currency: &str) -> BudgetLine {
        BudgetLine {
            id: Uuid::now_v7(),
            project_id: Uuid::nil(),
            period_start: day("2026-01-01"),
            period_end: day("2026-12-31"),
            amount: d(amount),
            currency: currency.into(),
            kind,
            status: BudgetStatus::Committed,
        }
    }

    fn transaction(kind: TransactionType, amount: &str) -> Transaction {
        Transaction {
            id: Uuid::now_v7(),
            project_id: Uuid::nil(),
            kind,
            date: day("2026-03-01"),
            amount: d(amount),
            currency: "USD".into(),
            provider_agency_id: None,
            receiver_agency_id: None,
            description: None,
        }
    }

    #[test]
    fn revised_budgets_replace_originals_and_sums_are_exact() {
        let budget = [
            line(BudgetKind::Original, "100000.00", "USD"),
            line(BudgetKind::Revised, "120000.10", "USD"),
        ];
        let transactions = [
            transaction(TransactionType::Commitment, "120000.10"),
            transaction(TransactionType::Disbursement, "60000.05"),
            transaction(TransactionType::Expenditure, "0.10"),
            transaction(TransactionType::Expenditure, "0.20"),
        ];
        let figures = figures(&project(), &budget, &transactions, day("2026-07-02")).unwrap();
        assert_eq!(
            figures.budget,
            d("120000.10"),
            "the latest revision counts, once"
        );
        assert_eq!(figures.committed, d("120000.10"));
        assert_eq!(figures.disbursed, d("60000.05"));
        assert_eq!(figures.spent, d("0.30"));
        assert_eq!(figures.time_elapsed, Some(d("50")), "182 of 364 days");
    }

    #[test]
    fn mixed_currencies_are_refused() {
        let budget = [line(BudgetKind::Original, "1", "PEN")];
        assert!(figures(&project(), &budget, &[], day("2026-07-02")).is_err());
    }
}
