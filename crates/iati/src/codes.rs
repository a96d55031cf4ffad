//! The IATI code list values behind the public enums, and the even split of an activity
//! between its sectors.

use crate::{
    ActivityStatus, BudgetStatus, BudgetType, DocumentCategory, IndicatorMeasure, OrganisationRole,
    ResultType, TransactionType,
};

impl ActivityStatus {
    pub(crate) const fn code(self) -> &'static str {
        match self {
            Self::Pipeline => "1",
            Self::Implementation => "2",
            Self::Finalisation => "3",
            Self::Closed => "4",
            Self::Cancelled => "5",
            Self::Suspended => "6",
        }
    }
}

impl OrganisationRole {
    pub(crate) const fn code(self) -> &'static str {
        match self {
            Self::Funding => "1",
            Self::Accountable => "2",
            Self::Extending => "3",
            Self::Implementing => "4",
        }
    }
}

impl BudgetType {
    pub(crate) const fn code(self) -> &'static str {
        match self {
            Self::Original => "1",
            Self::Revised => "2",
        }
    }
}

impl BudgetStatus {
    pub(crate) const fn code(self) -> &'static str {
        match self {
            Self::Indicative => "1",
            Self::Committed => "2",
        }
    }
}

impl TransactionType {
    pub(crate) const fn code(self) -> &'static str {
        match self {
            Self::IncomingFunds => "1",
            Self::Commitment => "2",
            Self::Disbursement => "3",
            Self::Expenditure => "4",
        }
    }
}

impl ResultType {
    pub(crate) const fn code(self) -> &'static str {
        match self {
            Self::Output => "1",
            Self::Outcome => "2",
            Self::Impact => "3",
        }
    }
}

impl DocumentCategory {
    pub(crate) const fn code(self) -> &'static str {
        match self {
            Self::Results => "A08",
        }
    }
}

impl IndicatorMeasure {
    pub(crate) const fn code(self) -> &'static str {
        match self {
            Self::Unit => "1",
            Self::Percentage => "2",
        }
    }
}

/// The sector vocabulary of OECD DAC five-digit purpose codes.
pub(crate) const DAC_PURPOSE_VOCABULARY: &str = "1";

// The kinds of activity date (IATI ActivityDateType code list) are constants rather than
// an enum because the public API carries the four dates as separate fields.

/// The planned start of an activity.
pub(crate) const PLANNED_START: &str = "1";
/// The actual start of an activity.
pub(crate) const ACTUAL_START: &str = "2";
/// The planned end of an activity.
pub(crate) const PLANNED_END: &str = "3";
/// The actual end of an activity.
pub(crate) const ACTUAL_END: &str = "4";

/// Splits 100% evenly between `count` sectors, to two decimal places.
///
/// IATI validators require the percentages of an activity's sectors to add up to exactly
/// 100, so the split is done in whole hundredths and the hundredths left over go to the
/// first sectors: three sectors get 33.34, 33.33 and 33.33.
pub(crate) fn sector_percentages(count: usize) -> Vec<String> {
    const WHOLE: usize = 10_000;
    if count == 0 {
        return Vec::new();
    }
    let share = WHOLE / count;
    let remainder = WHOLE % count;
    (0..count)
        .map(|index| hundredths(share + usize::from(index < remainder)))
        .collect()
}

/// Writes a number of hundredths as a decimal without trailing zeros, such as `50`,
/// `12.5` or `33.34`.
fn hundredths(value: usize) -> String {
    let (whole, fraction) = (value / 100, value % 100);
    match fraction {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_add_up_to_exactly_one_hundred() {
        assert_eq!(sector_percentages(1), ["100"]);
        assert_eq!(sector_percentages(2), ["50", "50"]);
        assert_eq!(sector_percentages(3), ["33.34", "33.33", "33.33"]);
        assert_eq!(sector_percentages(8), ["12.5"; 8]);
        assert_eq!(
            sector_percentages(6),
            ["16.67", "16.67", "16.67", "16.67", "16.66", "16.66"]
        );
        assert_eq!(
            sector_percentages(7),
            [
                "14.29", "14.29", "14.29", "14.29", "14.28", "14.28", "14.28"
            ]
        );
        assert!(sector_percentages(0).is_empty());
    }

    #[test]
    fn codes_follow_the_iati_code_lists() {
        assert_eq!(ActivityStatus::Pipeline.code(), "1");
        assert_eq!(ActivityStatus::Suspended.code(), "6");
        assert_eq!(OrganisationRole::Implementing.code(), "4");
        assert_eq!(BudgetType::Revised.code(), "2");
        assert_eq!(BudgetStatus::Committed.code(), "2");
        assert_eq!(TransactionType::Expenditure.code(), "4");
        assert_eq!(ResultType::Impact.code(), "3");
        assert_eq!(IndicatorMeasure::Percentage.code(), "2");
        assert_eq!(DocumentCategory::Results.code(), "A08");
    }
}
