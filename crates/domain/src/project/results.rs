//! A project's results framework: results, their indicators, and target and actual per
//! reporting period.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::enums::string_enum;
use crate::{ValidationError, text};

string_enum! {
    ResultType, "type" {
        Output => "OUTPUT",
        Outcome => "OUTCOME",
        Impact => "IMPACT",
    }
}

string_enum! {
    IndicatorMeasure, "measure" {
        Unit => "UNIT",
        Percentage => "PERCENTAGE",
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultRecord {
    pub id: Uuid,
    pub project_id: Uuid,
    pub kind: ResultType,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Indicator {
    pub id: Uuid,
    pub result_id: Uuid,
    pub title: String,
    pub measure: IndicatorMeasure,
    /// Whether higher values are better.
    pub ascending: bool,
    pub baseline: Decimal,
    pub baseline_year: Option<i32>,
    pub target: Decimal,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndicatorPeriod {
    pub id: Uuid,
    pub indicator_id: Uuid,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub target: Option<Decimal>,
    pub actual: Option<Decimal>,
    pub comment: Option<String>,
}

/// Validated indicator fields.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorFields {
    pub title: String,
    pub measure: IndicatorMeasure,
    pub ascending: bool,
    pub baseline: Decimal,
    pub baseline_year: Option<i32>,
    pub target: Decimal,
}

impl IndicatorFields {
    pub fn parse(
        title: &str,
        measure: IndicatorMeasure,
        ascending: Option<bool>,
        baseline: Decimal,
        baseline_year: Option<i32>,
        target: Decimal,
    ) -> Result<Self, ValidationError> {
        let ascending = ascending.unwrap_or(true);
        value(measure, "baseline", baseline)?;
        value(measure, "target", target)?;
        if target == baseline {
            return Err(ValidationError::new(
                "target",
                "must differ from the baseline",
            ));
        }
        if ascending != (target > baseline) {
            return Err(ValidationError::new(
                "target",
                if ascending {
                    "an ascending indicator aims above its baseline"
                } else {
                    "a descending indicator aims below its baseline"
                },
            ));
        }
        if let Some(year) = baseline_year
            && !(1990..=2100).contains(&year)
        {
            return Err(ValidationError::new(
                "baselineYear",
                "must be a year between 1990 and 2100",
            ));
        }
        Ok(Self {
            title: text::required("title", title, 500)?,
            measure,
            ascending,
            baseline,
            baseline_year,
            target,
        })
    }
}

/// Validated figures of one reporting period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodFields {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub target: Option<Decimal>,
    pub actual: Option<Decimal>,
    pub comment: Option<String>,
}

impl PeriodFields {
    pub fn parse(
        measure: IndicatorMeasure,
        period_start: NaiveDate,
        period_end: NaiveDate,
        target: Option<Decimal>,
        actual: Option<Decimal>,
        comment: Option<&str>,
    ) -> Result<Self, ValidationError> {
        super::period(Some(period_start), Some(period_end), "periodEnd")?;
        if let Some(target) = target {
            value(measure, "target", target)?;
        }
        if let Some(actual) = actual {
            value(measure, "actual", actual)?;
        }
        if target.is_none() && actual.is_none() {
            return Err(ValidationError::new(
                "actual",
                "give the period's actual value, its target, or both",
            ));
        }
        Ok(Self {
            period_start,
            period_end,
            target,
            actual,
            comment: text::optional("comment", comment, 5_000)?,
        })
    }
}

fn value(measure: IndicatorMeasure, field: &str, value: Decimal) -> Result<(), ValidationError> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(ValidationError::new(field, "must not be negative"));
    }
    if value > super::money::LARGEST {
        return Err(ValidationError::new(field, "must be at most 1000000000000"));
    }
    if measure == IndicatorMeasure::Percentage && value > Decimal::ONE_HUNDRED {
        return Err(ValidationError::new(
            field,
            "a percentage indicator cannot exceed 100",
        ));
    }
    Ok(())
}

/// How far `actual` has moved from `baseline` towards `target`, in percent (may exceed
/// 100, or be negative when the indicator moved the wrong way), to two decimals.
pub fn percent_achieved(baseline: Decimal, target: Decimal, actual: Decimal) -> Option<Decimal> {
    let distance = target.checked_sub(baseline)?;
    if distance.is_zero() {
        return None;
    }
    super::money::percent(actual.checked_sub(baseline)?, distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn percent_achieved_works_both_ways() {
        assert_eq!(percent_achieved(d("0"), d("25"), d("12")), Some(d("48")));
        assert_eq!(
            percent_achieved(d("40"), d("10"), d("25")),
            Some(d("50")),
            "descending: lower is better"
        );
        assert_eq!(percent_achieved(d("0"), d("3"), d("1")), Some(d("33.33")));
        assert_eq!(percent_achieved(d("5"), d("5"), d("5")), None);
    }

    #[test]
    fn percentage_indicators_stay_within_100() {
        let error = IndicatorFields::parse(
            "Cobertura",
            IndicatorMeasure::Percentage,
            None,
            d("10"),
            None,
            d("120"),
        )
        .unwrap_err();
        assert_eq!(error.field, "target");
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let error = PeriodFields::parse(
            IndicatorMeasure::Percentage,
            day("2026-01-01"),
            day("2026-06-30"),
            None,
            Some(d("101")),
            None,
        )
        .unwrap_err();
        assert_eq!(error.field, "actual");
        assert!(
            PeriodFields::parse(
                IndicatorMeasure::Unit,
                day("2026-01-01"),
                day("2026-06-30"),
                None,
                Some(d("101")),
                None
            )
            .is_ok()
        );
    }

    #[test]
    fn direction_and_periods_are_checked() {
        let error = IndicatorFields::parse(
            "x",
            IndicatorMeasure::Unit,
            Some(true),
            d("10"),
            None,
            d("5"),
        )
        .unwrap_err();
        assert_eq!(error.field, "target");
        assert!(
            IndicatorFields::parse(
                "x",
                IndicatorMeasure::Unit,
                Some(false),
                d("10"),
                None,
                d("5")
            )
            .is_ok()
        );
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let error = PeriodFields::parse(
            IndicatorMeasure::Unit,
            day("2026-06-30"),
            day("2026-01-01"),
            None,
            Some(d("1")),
            None,
        )
        .unwrap_err();
        assert_eq!(error.field, "periodEnd");
    }
}
