//! What a client sends to add to a project's money: validated against the project, so
//! that amounts are exact and never mix currencies.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::{BudgetKind, BudgetStatus, Currency, Project, TransactionType, amount};
use crate::ValidationError;

/// A budget line or transaction amount as a client sends it.
#[derive(Debug, Clone)]
pub struct MoneyInput {
    pub amount: Decimal,
    /// Default: the project's currency; another one is refused, never converted.
    pub currency: Option<String>,
}

/// A budget line to add.
#[derive(Debug, Clone)]
pub struct NewBudgetLine {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub money: MoneyInput,
    pub kind: BudgetKind,
    pub status: BudgetStatus,
}

/// A transaction to record.
#[derive(Debug, Clone)]
pub struct NewTransaction {
    pub kind: TransactionType,
    pub date: NaiveDate,
    pub money: MoneyInput,
    pub provider: Option<Uuid>,
    pub receiver: Option<Uuid>,
    pub description: Option<String>,
}

impl MoneyInput {
    /// The amount (at most two decimals) and the currency, which must be the project's.
    pub fn in_currency_of(self, project: &Project) -> Result<(Decimal, String), ValidationError> {
        let value = amount("amount", self.amount)?;
        let currency = match self.currency {
            Some(code) => Currency::parse("currency", &code)?.as_str().to_owned(),
            None => project.currency.clone(),
        };
        if currency != project.currency {
            return Err(ValidationError::new(
                "currency",
                format!(
                    "the project is in {}; amounts in {currency} would mix currencies and are refused",
                    project.currency
                ),
            ));
        }
        Ok((value.round_dp(2), currency))
    }
}
