//! Peru's national holidays, and the Easter date two of them hang from.

use chrono::{Datelike, Days, NaiveDate};

use crate::enums::string_enum;
use crate::representative::Language;
use crate::words::Named;

string_enum! {
    /// A national holiday: a day no public office works, in every year. The list is the
    /// one in force today and is applied to every year, past ones included, since cmnp
    /// counts deadlines from now on and keeps no history of how the list grew.
    Holiday, "holiday" {
        NewYear => "NEW_YEAR",
        HolyThursday => "HOLY_THURSDAY",
        GoodFriday => "GOOD_FRIDAY",
        LabourDay => "LABOUR_DAY",
        /// 7 June: the Battle of Arica and Flag Day.
        FlagDay => "FLAG_DAY",
        SaintsPeterAndPaul => "SAINTS_PETER_AND_PAUL",
        AirForceDay => "AIR_FORCE_DAY",
        IndependenceDay => "INDEPENDENCE_DAY",
        /// 29 July, the second day of the Fiestas Patrias.
        IndependenceHoliday => "INDEPENDENCE_HOLIDAY",
        BattleOfJunin => "BATTLE_OF_JUNIN",
        SaintRoseOfLima => "SAINT_ROSE_OF_LIMA",
        BattleOfAngamos => "BATTLE_OF_ANGAMOS",
        AllSaints => "ALL_SAINTS",
        ImmaculateConception => "IMMACULATE_CONCEPTION",
        BattleOfAyacucho => "BATTLE_OF_AYACUCHO",
        Christmas => "CHRISTMAS",
    }
}

/// Where a holiday falls in its year: on the same day every year, or a number of days
/// from Easter Sunday.
enum Rule {
    Fixed { month: u32, day: u32 },
    BeforeEaster { days: u64 },
}

impl Holiday {
    fn rule(self) -> Rule {
        let fixed = |month, day| Rule::Fixed { month, day };
        match self {
            Holiday::NewYear => fixed(1, 1),
            Holiday::HolyThursday => Rule::BeforeEaster { days: 3 },
            Holiday::GoodFriday => Rule::BeforeEaster { days: 2 },
            Holiday::LabourDay => fixed(5, 1),
            Holiday::FlagDay => fixed(6, 7),
            Holiday::SaintsPeterAndPaul => fixed(6, 29),
            Holiday::AirForceDay => fixed(7, 23),
            Holiday::IndependenceDay => fixed(7, 28),
            Holiday::IndependenceHoliday => fixed(7, 29),
            Holiday::BattleOfJunin => fixed(8, 6),
            Holiday::SaintRoseOfLima => fixed(8, 30),
            Holiday::BattleOfAngamos => fixed(10, 8),
            Holiday::AllSaints => fixed(11, 1),
            Holiday::ImmaculateConception => fixed(12, 8),
            Holiday::BattleOfAyacucho => fixed(12, 9),
            Holiday::Christmas => fixed(12, 25),
        }
    }

    /// The holiday's date in `year`, or `None` for a year outside the dates chrono holds.
    pub fn date_in(self, year: i32) -> Option<NaiveDate> {
        match self.rule() {
            Rule::Fixed { month, day } => NaiveDate::from_ymd_opt(year, month, day),
            Rule::BeforeEaster { days } => easter_sunday(year)?.checked_sub_days(Days::new(days)),
        }
    }

    /// The national holiday that falls on `date`, if any. Holy Week never reaches a fixed
    /// holiday (it runs from 19 March to 23 April at the widest), so no day is two holidays.
    pub fn on(date: NaiveDate) -> Option<Holiday> {
        Holiday::ALL
            .iter()
            .copied()
            .find(|holiday| holiday.date_in(date.year()) == Some(date))
    }
}

impl Named for Holiday {
    fn name(self, language: Language) -> &'static str {
        let (es, en) = match self {
            Holiday::NewYear => ("Año Nuevo", "New Year's Day"),
            Holiday::HolyThursday => ("Jueves Santo", "Holy Thursday"),
            Holiday::GoodFriday => ("Viernes Santo", "Good Friday"),
            Holiday::LabourDay => ("Día del Trabajo", "Labour Day"),
            Holiday::FlagDay => (
                "Batalla de Arica y Día de la Bandera",
                "Battle of Arica and Flag Day",
            ),
            Holiday::SaintsPeterAndPaul => ("San Pedro y San Pablo", "Saint Peter and Saint Paul"),
            Holiday::AirForceDay => ("Día de la Fuerza Aérea del Perú", "Peruvian Air Force Day"),
            Holiday::IndependenceDay => ("Día de la Independencia", "Independence Day"),
            Holiday::IndependenceHoliday => ("Fiestas Patrias", "Independence holiday"),
            Holiday::BattleOfJunin => ("Batalla de Junín", "Battle of Junín"),
            Holiday::SaintRoseOfLima => ("Santa Rosa de Lima", "Saint Rose of Lima"),
            Holiday::BattleOfAngamos => ("Combate de Angamos", "Battle of Angamos"),
            Holiday::AllSaints => ("Día de Todos los Santos", "All Saints' Day"),
            Holiday::ImmaculateConception => ("Inmaculada Concepción", "Immaculate Conception"),
            Holiday::BattleOfAyacucho => ("Batalla de Ayacucho", "Battle of Ayacucho"),
            Holiday::Christmas => ("Navidad", "Christmas Day"),
        };
        match language {
            Language::Es => es,
            Language::En => en,
        }
    }
}

/// Peru's national holidays in `year`, in date order. A year outside the dates chrono
/// holds has none, since it has no dates at all.
pub fn national_holidays(year: i32) -> Vec<(NaiveDate, Holiday)> {
    let mut holidays: Vec<_> = Holiday::ALL
        .iter()
        .filter_map(|holiday| Some((holiday.date_in(year)?, *holiday)))
        .collect();
    holidays.sort_unstable();
    holidays
}

/// Easter Sunday of `year` in the Gregorian calendar, by the anonymous algorithm (Meeus,
/// Jones, Butcher), carried on proleptically before 1583. `None` for a year outside the
/// dates chrono holds. Euclidean division keeps the arithmetic right for years before 1 AD,
/// and no step can overflow: the largest intermediate is about eight times `year / 100`.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let golden = year.rem_euclid(19);
    let (century, year_of_century) = (year.div_euclid(100), year.rem_euclid(100));
    let (leap_centuries, century_rest) = (century.div_euclid(4), century.rem_euclid(4));
    let moon_correction = (century + 8).div_euclid(25);
    let moon_shift = (century - moon_correction + 1).div_euclid(3);
    let epact = (19 * golden + century - leap_centuries - moon_shift + 15).rem_euclid(30);
    let (leap_years, year_rest) = (year_of_century.div_euclid(4), year_of_century.rem_euclid(4));
    let to_sunday = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest).rem_euclid(7);
    let late_moon = (golden + 11 * epact + 22 * to_sunday).div_euclid(451);
    let days_from_march = epact + to_sunday - 7 * late_moon + 114;
    let month = u32::try_from(days_from_march.div_euclid(31)).ok()?;
    let day = u32::try_from(days_from_march.rem_euclid(31) + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chrono::Weekday;

    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// Easter by a different method (Oudin's, as Tøndering gives it), so the two can check
    /// each other over centuries.
    fn easter_by_oudin(year: i32) -> NaiveDate {
        let g = year % 19;
        let c = year / 100;
        let h = (c - c / 4 - (8 * c + 13) / 25 + 19 * g + 15) % 30;
        let i = h - (h / 28) * (1 - (29 / (h + 1)) * ((21 - g) / 11));
        let j = (year + year / 4 + i + 2 - c + c / 4) % 7;
        let l = i - j;
        let month = 3 + (l + 40) / 44;
        let day = l + 28 - 31 * (month / 4);
        NaiveDate::from_ymd_opt(year, month.try_into().unwrap(), day.try_into().unwrap()).unwrap()
    }

    #[test]
    fn easter_falls_on_the_published_dates() {
        for expected in [
            "1818-03-22",
            "1943-04-25",
            "2000-04-23",
            "2024-03-31",
            "2025-04-20",
            "2026-04-05",
            "2027-03-28",
            "2028-04-16",
            "2038-04-25",
            "2285-03-22",
        ] {
            let expected = date(expected);
            assert_eq!(easter_sunday(expected.year()), Some(expected));
        }
    }

    #[test]
    fn easter_agrees_with_another_method_and_is_a_sunday_in_its_window() {
        for year in 1583..=4099 {
            let easter = easter_sunday(year).unwrap();
            assert_eq!(easter, easter_by_oudin(year), "{year}");
            assert_eq!(easter.weekday(), Weekday::Sun, "{year}");
            let window = NaiveDate::from_ymd_opt(year, 3, 22).unwrap()
                ..=NaiveDate::from_ymd_opt(year, 4, 25).unwrap();
            assert!(window.contains(&easter), "{year}");
        }
    }

    #[test]
    fn years_chrono_cannot_hold_have_no_easter_and_no_holidays() {
        for year in [i32::MIN, -300_000, 300_000, i32::MAX] {
            assert_eq!(easter_sunday(year), None);
            assert!(national_holidays(year).is_empty());
        }
        // The earliest and latest years chrono holds still have all sixteen.
        assert_eq!(national_holidays(NaiveDate::MIN.year() + 1).len(), 16);
        assert_eq!(national_holidays(NaiveDate::MAX.year()).len(), 16);
    }

    #[test]
    fn holy_week_follows_easter() {
        let holy_week = |year| {
            let holidays = national_holidays(year);
            let find = |wanted| holidays.iter().find(|(_, h)| *h == wanted).unwrap().0;
            (find(Holiday::HolyThursday), find(Holiday::GoodFriday))
        };
        assert_eq!(holy_week(2027), (date("2027-03-25"), date("2027-03-26")));
        assert_eq!(holy_week(2028), (date("2028-04-13"), date("2028-04-14")));
        assert_eq!(Holiday::on(date("2027-03-26")), Some(Holiday::GoodFriday));
        assert_eq!(Holiday::on(date("2027-03-28")), None, "Easter is a Sunday");
        assert_eq!(
            Holiday::on(date("2027-03-29")),
            None,
            "Easter Monday is worked"
        );
    }

    #[test]
    fn a_year_has_sixteen_holidays_on_sixteen_days_in_order() {
        let fixed = [
            "01-01", "05-01", "06-07", "06-29", "07-23", "07-28", "07-29", "08-06", "08-30",
            "10-08", "11-01", "12-08", "12-09", "12-25",
        ];
        for year in 1900..=2200 {
            let holidays = national_holidays(year);
            assert_eq!(holidays.len(), 16, "{year}");
            assert!(holidays.windows(2).all(|pair| pair[0].0 < pair[1].0));
            for month_day in fixed {
                let day = date(&format!("{year}-{month_day}"));
                assert!(holidays.iter().any(|(d, _)| *d == day), "{day}");
            }
            for (day, holiday) in holidays {
                assert_eq!(Holiday::on(day), Some(holiday));
            }
        }
    }

    #[test]
    fn every_holiday_has_its_own_name_in_each_language() {
        for language in Language::ALL {
            let names: HashSet<_> = Holiday::ALL.iter().map(|h| h.name(*language)).collect();
            assert_eq!(names.len(), Holiday::ALL.len(), "two holidays share a name");
            assert!(names.iter().all(|name| !name.trim().is_empty()));
        }
        assert_eq!(Holiday::GoodFriday.name(Language::Es), "Viernes Santo");
        assert_eq!(Holiday::GoodFriday.name(Language::En), "Good Friday");
        assert_eq!("FLAG_DAY".parse::<Holiday>(), Ok(Holiday::FlagDay));
        assert_eq!("FLAG".parse::<Holiday>().unwrap_err().field, "holiday");
    }
}
