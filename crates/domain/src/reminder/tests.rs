use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::{America, Europe};

use super::*;
use crate::meeting::local_date;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn due(offsets: &Offsets, event: &str, today: &str) -> Option<(u32, i64)> {
    offsets
        .due(day(event), day(today), &WorkingCalendar::national())
        .map(|r| (r.offset, r.days_before))
}

#[test]
fn offsets_are_read_largest_first_and_refuse_nonsense_with_the_field_named() {
    assert_eq!(Offsets::parse("f", "1, 7,7").unwrap().days(), &[7, 1]);
    assert_eq!(Offsets::parse("f", "").unwrap().days(), &[] as &[u32]);
    for bad in ["0", "91", "x", "7;1", "-1"] {
        let error = Offsets::parse("meetingReminderDays", bad).unwrap_err();
        assert_eq!(error.field, "meetingReminderDays", "{bad}");
    }
}

#[test]
fn the_reminder_due_is_the_one_whose_day_came_last() {
    let offsets = Offsets::default();
    assert_eq!(due(&offsets, "2026-12-10", "2026-12-02"), None);
    assert_eq!(due(&offsets, "2026-12-10", "2026-12-03"), Some((7, 7)));
    assert_eq!(due(&offsets, "2026-12-10", "2026-12-08"), Some((7, 2)));
    assert_eq!(due(&offsets, "2026-12-10", "2026-12-09"), Some((1, 1)));
    assert_eq!(due(&offsets, "2026-12-10", "2026-12-10"), None);
    assert_eq!(due(&offsets, "2026-12-10", "2026-12-11"), None);
    assert_eq!(
        due(
            &Offsets::parse("f", "").unwrap(),
            "2026-12-10",
            "2026-12-09"
        ),
        None
    );
}

#[test]
fn reminders_fall_on_the_right_days_across_month_and_year_ends() {
    let offsets = Offsets::default();
    // March 1st: the day before is February 28th, or the 29th in a leap year.
    assert_eq!(due(&offsets, "2027-03-01", "2027-02-28"), Some((1, 1)));
    assert_eq!(due(&offsets, "2027-03-01", "2027-02-22"), Some((7, 7)));
    assert_eq!(due(&offsets, "2027-03-01", "2027-02-21"), None);
    assert_eq!(due(&offsets, "2028-03-01", "2028-02-29"), Some((1, 1)));
    assert_eq!(due(&offsets, "2028-03-01", "2028-02-23"), Some((7, 7)));
    // New Year's Day: a week before is Christmas Day of the year before.
    assert_eq!(due(&offsets, "2027-01-01", "2026-12-25"), Some((7, 7)));
    assert_eq!(due(&offsets, "2027-01-01", "2026-12-31"), Some((1, 1)));
    // Month ends of 30 and 31 days.
    assert_eq!(due(&offsets, "2026-05-01", "2026-04-30"), Some((1, 1)));
    assert_eq!(due(&offsets, "2026-07-01", "2026-06-24"), Some((7, 7)));
}

#[test]
fn a_rescheduled_event_gets_reminders_of_its_own() {
    let offsets = Offsets::default();
    let before = offsets
        .due(
            day("2026-12-10"),
            day("2026-12-09"),
            &WorkingCalendar::national(),
        )
        .unwrap();
    let after = offsets
        .due(
            day("2026-12-17"),
            day("2026-12-16"),
            &WorkingCalendar::national(),
        )
        .unwrap();
    assert_eq!(before.occurrence(), "1d:2026-12-10");
    assert_ne!(before.occurrence(), after.occurrence());
}

#[test]
fn the_local_date_decides_across_daylight_saving_changes() {
    // Madrid leaves winter time on 28 March 2027 (UTC+1 to UTC+2): a session at 00:30
    // local time on the 29th is at 22:30 UTC on the 28th, and its reminder for "1 day
    // before" falls on the 28th, local time.
    let madrid = Europe::Madrid;
    let starts = at("2027-03-28T22:30:00Z");
    assert_eq!(local_date(starts, madrid), day("2027-03-29"));
    let today = local_date(at("2027-03-28T07:00:00Z"), madrid);
    assert_eq!(
        Offsets::default()
            .due(
                local_date(starts, madrid),
                today,
                &WorkingCalendar::national()
            )
            .map(|r| r.days_before),
        Some(1)
    );
    // Santiago de Chile leaves summer time at midnight starting 4 April 2027 (UTC-3 to
    // UTC-4): the hour before midnight of the 3rd happens twice, and the 4th begins at
    // 04:00 UTC.
    let santiago = America::Santiago;
    assert_eq!(
        local_date(at("2027-04-04T02:30:00Z"), santiago),
        day("2027-04-03")
    );
    assert_eq!(
        local_date(at("2027-04-04T03:30:00Z"), santiago),
        day("2027-04-03")
    );
    assert_eq!(
        local_date(at("2027-04-04T04:00:00Z"), santiago),
        day("2027-04-04")
    );
}

#[test]
fn cron_schedules_accept_crontab_fields_and_refuse_numbered_weekdays() {
    let schedule = CronSchedule::parse("overdueDigestSchedule", "0 8 * * Mon").unwrap();
    assert_eq!(schedule.expression(), "0 8 * * Mon");
    assert!(CronSchedule::parse("f", "0 0 7 * * *").is_ok());
    for bad in ["0 8 * * 1", "every monday", "0 8 * *", "0 61 * * Mon", ""] {
        let error = CronSchedule::parse("overdueDigestSchedule", bad).unwrap_err();
        assert_eq!(error.field, "overdueDigestSchedule", "{bad}");
    }
}

#[test]
fn digests_fire_at_local_hours_across_daylight_saving_changes() {
    let schedule = CronSchedule::parse("f", "0 8 * * Mon").unwrap();
    let madrid = Europe::Madrid;
    let week = Duration::days(7);
    // Before the change 08:00 in Madrid is 07:00 UTC, after it 06:00 UTC.
    assert_eq!(
        schedule.latest(at("2027-03-22T12:00:00Z"), madrid, week),
        Some(at("2027-03-22T07:00:00Z"))
    );
    assert_eq!(
        schedule.latest(at("2027-03-29T12:00:00Z"), madrid, week),
        Some(at("2027-03-29T06:00:00Z"))
    );
    assert_eq!(
        schedule.next_after(at("2027-03-23T00:00:00Z"), madrid),
        Some(at("2027-03-29T06:00:00Z"))
    );
    // Lima keeps UTC-5 all year.
    assert_eq!(
        schedule.next_after(at("2026-11-28T12:00:00Z"), America::Lima),
        Some(at("2026-11-30T13:00:00Z"))
    );
    assert_eq!(
        digest_occurrence(at("2027-03-29T06:00:00Z"), madrid),
        "2027-03-29T08:00"
    );
}

#[test]
fn a_missed_digest_is_caught_up_within_a_day_and_not_after() {
    let schedule = CronSchedule::parse("f", "0 8 * * Mon").unwrap();
    let lima = America::Lima;
    // Monday 30 November 2026, 08:00 in Lima is 13:00 UTC.
    let fired = at("2026-11-30T13:00:00Z");
    assert_eq!(schedule.latest(fired, lima, digest_catch_up()), Some(fired));
    assert_eq!(
        schedule.latest(at("2026-12-01T12:59:00Z"), lima, digest_catch_up()),
        Some(fired)
    );
    assert_eq!(
        schedule.latest(at("2026-12-01T13:01:00Z"), lima, digest_catch_up()),
        None
    );
    assert_eq!(
        schedule.latest(at("2026-11-30T12:59:00Z"), lima, digest_catch_up()),
        None
    );
}

#[test]
fn offsets_in_working_days_are_read_and_not_mixed_with_calendar_days() {
    let offsets = Offsets::parse("f", "1wd, 5wd").unwrap();
    assert_eq!(offsets.days(), &[5, 1]);
    let monday = offsets.due(
        day("2027-08-02"),
        day("2027-07-30"),
        &WorkingCalendar::national(),
    );
    assert_eq!(monday.map(|r| r.count), Some(DayCount::Working));
    let error = Offsets::parse("dueReminderDays", "5wd,1").unwrap_err();
    assert_eq!(error.field, "dueReminderDays");
    assert!(error.message.contains("mixes"), "{}", error.message);
    for bad in ["0wd", "91wd", "wd", "5 w"] {
        assert_eq!(Offsets::parse("f", bad).unwrap_err().field, "f", "{bad}");
    }
}

#[test]
fn reminders_in_working_days_skip_weekends_holidays_and_the_secretariats_days_off() {
    let national = WorkingCalendar::national();
    let offsets = Offsets::parse("f", "3wd,1wd").unwrap();
    let due = |calendar: &WorkingCalendar, event: &str, today: &str| {
        offsets
            .due(day(event), day(today), calendar)
            .map(|r| (r.occurrence(), r.days_before))
    };
    // Monday 2 August 2027: one working day before is Friday 30 July, since the 28th and
    // 29th of July are the national holidays and the 31st and 1st the weekend.
    assert_eq!(
        due(&national, "2027-08-02", "2027-07-30"),
        Some(("1wd:2027-08-02".to_owned(), 3))
    );
    // Three working days before is Monday the 26th (the 27th, the 30th and the 2nd
    // lie between), and the reminder stands until the next one is due.
    assert_eq!(
        due(&national, "2027-08-02", "2027-07-26"),
        Some(("3wd:2027-08-02".to_owned(), 7))
    );
    assert_eq!(
        due(&national, "2027-08-02", "2027-07-27"),
        Some(("3wd:2027-08-02".to_owned(), 6))
    );
    // Friday the 23rd is itself a holiday, four working days before.
    assert_eq!(due(&national, "2027-08-02", "2027-07-23"), None);
    // The reach covers the holidays and the weekend: from Monday 26 July it spans the
    // seven days to Monday 2 August.
    assert_eq!(offsets.reach(day("2027-07-26"), &national), 7);
    // With a day off of the secretariat's own on Friday 30 July, the last working day
    // before the event is Tuesday the 27th, and the last reminder goes out then.
    let with_day_off = WorkingCalendar::new([crate::working_days::SecretariatDayOff::new(
        day("2027-07-30"),
        "Mudanza de oficinas",
    )
    .unwrap()])
    .unwrap();
    assert_eq!(
        due(&with_day_off, "2027-08-02", "2027-07-27"),
        Some(("1wd:2027-08-02".to_owned(), 6))
    );
}
