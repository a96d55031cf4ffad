//! Dates and times written out in words, in Spanish or English.
//!
//! The names are kept here rather than taken from a locale crate: two languages need only
//! a handful of words, and the commission's formats ("jueves 3 de diciembre de 2026") are
//! fixed by its own usage rather than by a locale's defaults.

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use cmnp_domain::representative::Language;
use cmnp_domain::words::month_name;

const DAYS_ES: [&str; 7] = [
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn day_name(language: Language, day: Weekday) -> &'static str {
    let names = match language {
        Language::Es => &DAYS_ES,
        Language::En => &DAYS_EN,
    };
    let index = usize::try_from(day.num_days_from_monday()).unwrap_or_default();
    names.get(index).copied().unwrap_or_default()
}

/// "jueves 3 de diciembre de 2026" / "Thursday 3 December 2026".
pub(crate) fn long_date(language: Language, date: NaiveDate) -> String {
    let day = day_name(language, date.weekday());
    let month = month_name(language, date.month0());
    match language {
        Language::Es => format!("{day} {} de {month} de {}", date.day(), date.year()),
        Language::En => format!("{day} {} {month} {}", date.day(), date.year()),
    }
}

/// "jueves 3 de diciembre de 2026, 10:00 (America/Lima)": the wall-clock time in `zone`,
/// named so that readers elsewhere know which clock it is.
pub(crate) fn long_date_time(language: Language, instant: DateTime<Utc>, zone: Tz) -> String {
    let local = instant.with_timezone(&zone);
    format!(
        "{}, {} ({})",
        long_date(language, local.date_naive()),
        local.format("%H:%M"),
        zone.name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_in_each_language() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(
            long_date(Language::Es, date),
            "jueves 3 de diciembre de 2026"
        );
        assert_eq!(long_date(Language::En, date), "Thursday 3 December 2026");
        let date = NaiveDate::from_ymd_opt(2027, 1, 9).unwrap();
        assert_eq!(long_date(Language::Es, date), "sábado 9 de enero de 2027");
    }

    #[test]
    fn times_are_local_to_the_zone_and_name_it() {
        let instant: DateTime<Utc> = "2026-12-03T15:00:00Z".parse().unwrap();
        assert_eq!(
            long_date_time(Language::Es, instant, chrono_tz::America::Lima),
            "jueves 3 de diciembre de 2026, 10:00 (America/Lima)"
        );
        assert_eq!(
            long_date_time(Language::En, instant, chrono_tz::Europe::Madrid),
            "Thursday 3 December 2026, 16:00 (Europe/Madrid)"
        );
    }
}
