use chrono::Days;

use super::*;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn days(n: u32) -> WorkingDays {
    WorkingDays::parse("workingDays", n.into()).unwrap()
}

/// The national calendar's answer for `n` working days after `start`.
fn after(start: &str, n: u32) -> NaiveDate {
    WorkingCalendar::national()
        .add_working_days(date(start), days(n))
        .unwrap()
}

fn between(from: &str, to: &str) -> i64 {
    WorkingCalendar::national().working_days_between(date(from), date(to))
}

/// A calendar where the secretariat also closes on the Wednesday before Holy Week of 2027,
/// on a Monday before Independence Day, on Christmas Eve, and on three days that are off
/// anyway (a Sunday, a national holiday and a Saturday), which must change nothing.
fn secretariat() -> WorkingCalendar {
    let own = [
        ("2027-03-24", "Traslado de la oficina"),
        ("2027-07-26", "Jornada de integración"),
        ("2027-12-24", "Nochebuena"),
        ("2028-01-02", "Domingo declarado"),
        ("2027-07-28", "Fiestas Patrias"),
        ("2028-04-15", "Sábado Santo"),
    ];
    WorkingCalendar::new(own.map(|(day, note)| SecretariatDayOff::new(date(day), note).unwrap()))
        .unwrap()
}

#[test]
fn holy_week_2027_is_skipped() {
    // Holy Thursday and Good Friday are 25 and 26 March, then comes the weekend.
    assert_eq!(after("2027-03-24", 1), date("2027-03-29"));
    assert_eq!(after("2027-03-23", 2), date("2027-03-29"));
    assert_eq!(after("2027-03-23", 3), date("2027-03-30"));
    assert_eq!(between("2027-03-24", "2027-03-29"), 1);
    assert_eq!(between("2027-03-22", "2027-04-02"), 7);
}

#[test]
fn holy_week_2028_is_skipped() {
    // Holy Thursday and Good Friday are 13 and 14 April; Wednesday the 12th is worked.
    assert_eq!(after("2028-04-11", 1), date("2028-04-12"));
    assert_eq!(after("2028-04-11", 2), date("2028-04-17"));
    assert_eq!(after("2028-04-12", 1), date("2028-04-17"));
    assert_eq!(between("2028-04-10", "2028-04-21"), 7);
}

#[test]
fn independence_days_2027_are_skipped() {
    // 23 July (Air Force Day) is a Friday; 28 and 29 July are a Wednesday and a Thursday.
    assert_eq!(after("2027-07-22", 1), date("2027-07-26"));
    assert_eq!(after("2027-07-27", 1), date("2027-07-30"));
    assert_eq!(after("2027-07-27", 2), date("2027-08-02"));
    assert_eq!(after("2027-07-22", 3), date("2027-07-30"));
    assert_eq!(after("2027-07-22", 4), date("2027-08-02"));
    assert_eq!(between("2027-07-22", "2027-07-30"), 3);
}

#[test]
fn counting_crosses_the_year_end() {
    // Christmas 2026 and New Year 2027 are Fridays, each followed by a weekend.
    assert_eq!(after("2026-12-24", 1), date("2026-12-28"));
    assert_eq!(after("2026-12-24", 4), date("2026-12-31"));
    assert_eq!(after("2026-12-24", 5), date("2027-01-04"));
    assert_eq!(between("2026-12-24", "2027-01-04"), 5);
    // Christmas 2028 and New Year 2029 are Mondays.
    assert_eq!(after("2028-12-22", 1), date("2028-12-26"));
    assert_eq!(after("2028-12-29", 1), date("2029-01-02"));
    assert_eq!(between("2028-12-22", "2029-01-02"), 5);
}

#[test]
fn a_secretariat_day_off_is_skipped_and_explained() {
    let calendar = secretariat();
    let start = date("2027-03-23");
    // Nationally the Wednesday is worked; for the secretariat the week's work ends on Tuesday.
    assert_eq!(after("2027-03-23", 1), date("2027-03-24"));
    assert_eq!(
        calendar.add_working_days(start, days(1)),
        Ok(date("2027-03-29"))
    );
    assert_eq!(calendar.working_days_between(start, date("2027-03-29")), 1);
    assert_eq!(
        calendar.day_off(date("2027-03-24")),
        Some(DayOff::Secretariat {
            note: "Traslado de la oficina"
        })
    );
    // Its days off that were off anyway keep their national reason and cost nothing.
    assert_eq!(
        calendar.day_off(date("2027-07-28")),
        Some(DayOff::Holiday(Holiday::IndependenceDay))
    );
    assert_eq!(calendar.day_off(date("2028-01-02")), Some(DayOff::Sunday));
    assert_eq!(
        calendar.working_days_between(date("2027-12-31"), date("2028-12-31")),
        between("2027-12-31", "2028-12-31")
    );
    assert_eq!(
        calendar.working_days_between(date("2026-12-31"), date("2027-12-31")),
        between("2026-12-31", "2027-12-31") - 3
    );
}

#[test]
fn zero_days_is_the_start_or_the_next_working_day() {
    assert_eq!(after("2027-03-24", 0), date("2027-03-24"), "a Wednesday");
    assert_eq!(after("2027-03-25", 0), date("2027-03-29"), "Holy Thursday");
    assert_eq!(after("2027-03-27", 0), date("2027-03-29"), "a Saturday");
    assert_eq!(
        after("2027-07-28", 0),
        date("2027-07-30"),
        "Independence Day"
    );
    assert_eq!(
        secretariat().add_working_days(date("2027-07-26"), days(0)),
        Ok(date("2027-07-27")),
        "the secretariat's own day off"
    );
}

#[test]
fn a_start_on_a_day_off_is_not_counted() {
    assert_eq!(
        after("2027-03-27", 1),
        date("2027-03-29"),
        "from a Saturday"
    );
    assert_eq!(
        after("2027-03-28", 1),
        date("2027-03-29"),
        "from Easter Sunday"
    );
    assert_eq!(
        after("2027-03-26", 1),
        date("2027-03-29"),
        "from Good Friday"
    );
    assert_eq!(after("2027-01-01", 1), date("2027-01-04"), "from New Year");
    assert_eq!(after("2027-01-02", 3), date("2027-01-06"));
}

#[test]
fn reasons_name_the_holiday_the_weekend_or_the_note() {
    let calendar = secretariat();
    let reason = |day: &str, language| calendar.day_off(date(day)).unwrap().reason(language);
    assert_eq!(reason("2027-03-26", Language::Es), "Viernes Santo");
    assert_eq!(reason("2027-03-26", Language::En), "Good Friday");
    assert_eq!(reason("2027-03-27", Language::Es), "Sábado");
    assert_eq!(reason("2027-03-28", Language::En), "Sunday");
    assert_eq!(reason("2027-12-24", Language::En), "Nochebuena");
    // A holiday on a weekend is reported as the holiday: Christmas 2027 is a Saturday.
    assert_eq!(reason("2027-12-25", Language::En), "Christmas Day");
    assert_eq!(calendar.day_off(date("2027-03-29")), None);
    assert!(calendar.is_working_day(date("2027-03-29")));
    assert!(!calendar.is_working_day(date("2027-03-24")));
}

#[test]
fn a_year_counts_its_weekdays_less_its_weekday_holidays() {
    // 2027 starts on a Friday and has 365 days: 261 weekdays. Of its sixteen holidays,
    // 1 May and 25 December fall on Saturdays, so fourteen cost a working day.
    assert_eq!(between("2026-12-31", "2027-12-31"), 261 - 14);
    // The same count, taken one day at a time.
    let calendar = WorkingCalendar::national();
    let one_by_one = date("2027-01-01")
        .iter_days()
        .take_while(|day| *day <= date("2027-12-31"))
        .filter(|day| calendar.is_working_day(*day))
        .count();
    assert_eq!(one_by_one, 247);
}

#[test]
fn counting_across_centuries_agrees_with_counting_year_by_year_and_day_by_day() {
    let calendar = secretariat();
    let year_end = |year| NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
    // Twelve centuries are counted as whole 400-year cycles; each single year is not.
    let by_year: i64 = (1600..2800)
        .map(|year| calendar.working_days_between(year_end(year - 1), year_end(year)))
        .sum();
    let at_once = calendar.working_days_between(year_end(1599), year_end(2799));
    assert_eq!(at_once, by_year);
    // Twenty years, one day at a time, with the secretariat's days off among them.
    let (from, to) = (date("2019-12-31"), date("2039-12-31"));
    let by_day = from
        .iter_days()
        .skip(1)
        .take_while(|day| *day <= to)
        .filter(|day| calendar.is_working_day(*day))
        .count();
    assert_eq!(calendar.working_days_between(from, to), by_day as i64);
}

#[test]
fn counting_agrees_with_adding() {
    let calendar = secretariat();
    let counts = [0, 1, 2, 3, 4, 5, 7, 10, 15, 22, 40, 120];
    let mut start = date("2026-12-01");
    while start <= date("2029-01-31") {
        for n in counts {
            let end = calendar.add_working_days(start, days(n)).unwrap();
            assert!(calendar.is_working_day(end), "{n} after {start}");
            let counted = calendar.working_days_between(start, end);
            assert_eq!(calendar.working_days_between(end, start), -counted);
            if n == 0 {
                // The start, or the first working day after it.
                let expected = i64::from(start != end);
                assert_eq!(counted, expected, "0 after {start}");
                let mut skipped = start.iter_days().take_while(|day| *day < end);
                assert!(skipped.all(|day| !calendar.is_working_day(day)));
            } else {
                // Exactly n, and the day before the result is one short: the first such day.
                assert_eq!(counted, i64::from(n), "{n} after {start}");
                let before = end.pred_opt().unwrap();
                assert_eq!(
                    calendar.working_days_between(start, before),
                    i64::from(n) - 1
                );
            }
        }
        start = start + Days::new(1);
    }
}

#[test]
fn counting_between_a_date_and_itself_or_backwards() {
    assert_eq!(between("2027-03-26", "2027-03-26"), 0);
    assert_eq!(between("2027-03-29", "2027-03-29"), 0);
    assert_eq!(between("2027-01-04", "2026-12-24"), -5);
}

#[test]
fn nonsense_inputs_are_refused_without_panicking() {
    assert_eq!(WorkingDays::parse("dueIn", -1).unwrap_err().field, "dueIn");
    assert_eq!(
        WorkingDays::parse("dueIn", i64::from(MAX_WORKING_DAYS) + 1)
            .unwrap_err()
            .field,
        "dueIn"
    );
    assert_eq!(
        WorkingDays::parse("dueIn", i64::MAX).unwrap_err().field,
        "dueIn"
    );
    assert_eq!(
        WorkingDays::parse("dueIn", MAX_WORKING_DAYS.into()).map(WorkingDays::get),
        Ok(MAX_WORKING_DAYS)
    );

    // Counting past the last date chrono holds is an error, not a panic.
    let calendar = WorkingCalendar::national();
    let near_the_end = NaiveDate::MAX - Days::new(3);
    let error = calendar
        .add_working_days(near_the_end, days(10))
        .unwrap_err();
    assert_eq!(error.field, "workingDays");
    let most = days(MAX_WORKING_DAYS);
    assert!(calendar.add_working_days(NaiveDate::MAX, most).is_err());
    assert!(calendar.add_working_days(NaiveDate::MIN, most).is_ok());

    // The whole range chrono holds is counted, and counts add up across any middle day.
    let middle = date("2027-03-26");
    let whole = calendar.working_days_between(NaiveDate::MIN, NaiveDate::MAX);
    assert_eq!(
        whole,
        calendar.working_days_between(NaiveDate::MIN, middle)
            + calendar.working_days_between(middle, NaiveDate::MAX)
    );
    assert!(whole > 0);

    let twice = [
        SecretariatDayOff::new(date("2027-05-03"), "Mudanza").unwrap(),
        SecretariatDayOff::new(date("2027-05-03"), "Otra nota").unwrap(),
    ];
    assert_eq!(WorkingCalendar::new(twice).unwrap_err().field, "date");
    let blank = SecretariatDayOff::new(date("2027-05-03"), "  ");
    assert_eq!(blank.unwrap_err().field, "note");
    let long = "x".repeat(NOTE_MAX_CHARS + 1);
    let too_long = SecretariatDayOff::new(date("2027-05-03"), &long);
    assert_eq!(too_long.unwrap_err().field, "note");
    let kept = SecretariatDayOff::new(date("2027-05-03"), " Mudanza ").unwrap();
    assert_eq!((kept.date(), kept.note()), (date("2027-05-03"), "Mudanza"));
}
