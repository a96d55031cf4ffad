//! Working days through the API: the secretariat's days off, due dates given in working
//! days over Holy Week and the July holidays, and reminders counted in working days.

use chrono::NaiveDate;
use cmnp_domain::reminder::{CronSchedule, Offsets};
use cmnp_notify::ReminderRules;
use cmnp_tests::Gql;
use serde_json::{Value, json};

use crate::work::Commission;

const ADD: &str = "mutation ($date: Date!, $note: String!) {
    addNonWorkingDay(input: { date: $date, note: $note }) { nonWorkingDay { date kind reason reasonEn } } }";
const REMOVE: &str = "mutation ($date: Date!) {
    removeNonWorkingDay(input: { date: $date }) { nonWorkingDay { date reason } } }";
const CREATE: &str = "mutation ($input: CreateActionItemInput!) {
    createActionItem(input: $input) { actionItem { id version dueOn } } }";
const UPDATE: &str = "mutation ($input: UpdateActionItemInput!) {
    updateActionItem(input: $input) { actionItem { version dueOn } } }";

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

async fn secretariat(c: &Commission, query: &str, variables: Value) -> Gql {
    c.app
        .graphql(Some(&c.secretariat.token), query, variables)
        .await
}

/// Creates an item for MIMP due `days` working days after `after` and returns its due date.
async fn due_in(c: &Commission, days: i64, after: &str) -> Gql {
    secretariat(
        c,
        CREATE,
        json!({ "input": {
            "title": "Informe en plazo hábil",
            "responsibleAgencyId": c.mimp.id.to_string(),
            "dueInWorkingDays": { "days": days, "after": after },
        } }),
    )
    .await
}

async fn due_on(c: &Commission, days: i64, after: &str) -> String {
    let answer = due_in(c, days, after).await;
    answer.data()["createActionItem"]["actionItem"]["dueOn"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn due_dates_in_working_days_skip_holy_week_the_july_holidays_and_days_off() {
    let c = Commission::new().await;
    // Easter is on 28 March 2027 and 16 April 2028: Holy Thursday and Good Friday are
    // holidays, so one working day after the Wednesday before is the Monday after.
    assert_eq!(due_on(&c, 1, "2027-03-24").await, "2027-03-29");
    assert_eq!(due_on(&c, 1, "2028-04-12").await, "2028-04-17");
    assert_eq!(due_on(&c, 5, "2027-03-22").await, "2027-03-31");
    // 28 and 29 July are holidays; in 2027 they fall on Wednesday and Thursday, and in
    // 2028 on Friday and Saturday.
    assert_eq!(due_on(&c, 1, "2027-07-27").await, "2027-07-30");
    assert_eq!(due_on(&c, 2, "2027-07-27").await, "2027-08-02");
    assert_eq!(due_on(&c, 1, "2028-07-27").await, "2028-07-31");
    // Zero days from a holiday is the next working day; from a working day, that day.
    assert_eq!(due_on(&c, 0, "2027-07-28").await, "2027-07-30");
    assert_eq!(due_on(&c, 0, "2027-07-27").await, "2027-07-27");

    // A day off of the secretariat's own on Friday 30 July 2027 moves both.
    let added = secretariat(
        &c,
        ADD,
        json!({ "date": "2027-07-30", "note": "Traslado de la secretaría técnica" }),
    )
    .await;
    assert_eq!(
        added.data()["addNonWorkingDay"]["nonWorkingDay"],
        json!({ "date": "2027-07-30", "kind": "SECRETARIAT",
                "reason": "Traslado de la secretaría técnica",
                "reasonEn": "Traslado de la secretaría técnica" })
    );
    assert_eq!(due_on(&c, 1, "2027-07-27").await, "2027-08-02");
    assert_eq!(due_on(&c, 2, "2027-07-27").await, "2027-08-03");
    let preview = secretariat(
        &c,
        r#"{ workingDaysAfter(days: 1, after: "2027-07-27") }"#,
        json!({}),
    )
    .await;
    assert_eq!(preview.data()["workingDaysAfter"], "2027-08-02");

    // Agreements' items count the same way, and their errors name the item.
    let meeting = c
        .schedule("ORDINARY", chrono::Duration::hours(-1), None)
        .await;
    let adopted = secretariat(
        &c,
        "mutation ($input: AdoptAgreementInput!) { adoptAgreement(input: $input) {
            agreement { actionItems { dueOn } } } }",
        json!({ "input": {
            "meetingId": meeting["id"],
            "text": "Presentar el informe de la ruta de atención",
            "actionItems": [
                { "title": "Informe", "responsibleAgencyId": c.mimp.id.to_string(),
                  "dueInWorkingDays": { "days": 3, "after": "2027-07-27" } },
                { "title": "Anexo", "responsibleAgencyId": c.mimp.id.to_string(),
                  "dueOn": "2027-09-01" },
            ],
        } }),
    )
    .await;
    assert_eq!(
        adopted.data()["adoptAgreement"]["agreement"]["actionItems"],
        json!([{ "dueOn": "2027-08-04" }, { "dueOn": "2027-09-01" }])
    );
    let refused = secretariat(
        &c,
        "mutation ($input: AdoptAgreementInput!) { adoptAgreement(input: $input) { agreement { id } } }",
        json!({ "input": {
            "meetingId": meeting["id"],
            "text": "Otro acuerdo",
            "actionItems": [
                { "title": "Informe", "responsibleAgencyId": c.mimp.id.to_string(),
                  "dueInWorkingDays": { "days": -2 } },
            ],
        } }),
    )
    .await;
    assert_eq!(refused.code(), "BAD_USER_INPUT");
    assert_eq!(refused.field(), "actionItems[0].dueInWorkingDays.days");

    // Taking the day off back counts it again for new deadlines; the items keep theirs.
    let removed = secretariat(&c, REMOVE, json!({ "date": "2027-07-30" })).await;
    assert_eq!(
        removed.data()["removeNonWorkingDay"]["nonWorkingDay"]["date"],
        "2027-07-30"
    );
    assert_eq!(due_on(&c, 1, "2027-07-27").await, "2027-07-30");
    let again = secretariat(&c, REMOVE, json!({ "date": "2027-07-30" })).await;
    assert_eq!(again.code(), "NOT_FOUND");
}

#[tokio::test]
async fn a_due_date_is_given_one_way_within_range_and_only_by_the_secretariat() {
    let c = Commission::new().await;
    let both = secretariat(
        &c,
        CREATE,
        json!({ "input": {
            "title": "Informe",
            "responsibleAgencyId": c.mimp.id.to_string(),
            "dueOn": "2027-08-02",
            "dueInWorkingDays": { "days": 3 },
        } }),
    )
    .await;
    assert_eq!(both.code(), "BAD_USER_INPUT");
    assert_eq!(both.field(), "dueInWorkingDays");
    let neither = secretariat(
        &c,
        CREATE,
        json!({ "input": { "title": "Informe", "responsibleAgencyId": c.mimp.id.to_string() } }),
    )
    .await;
    assert_eq!(neither.code(), "BAD_USER_INPUT");
    assert_eq!(neither.field(), "dueOn");
    for days in [-1, 2501] {
        let out_of_range = due_in(&c, days, "2027-01-04").await;
        assert_eq!(out_of_range.code(), "BAD_USER_INPUT", "{days}");
        assert_eq!(out_of_range.field(), "dueInWorkingDays.days", "{days}");
    }
    assert_eq!(due_on(&c, 2500, "2027-01-04").await.len(), 10);

    // Counted from today when no date is given: never before today.
    let item = secretariat(
        &c,
        CREATE,
        json!({ "input": {
            "title": "Informe",
            "responsibleAgencyId": c.mimp.id.to_string(),
            "dueInWorkingDays": { "days": 10 },
        } }),
    )
    .await;
    let item = item.data()["createActionItem"]["actionItem"].clone();
    let due: NaiveDate = item["dueOn"].as_str().unwrap().parse().unwrap();
    let today = crate::work::lima_today();
    assert!(
        due >= today + chrono::Duration::days(14),
        "{due} from {today}"
    );

    // The plan is the secretariat's: the responsible agency may not move its due date.
    let moved = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            UPDATE,
            json!({ "input": { "id": item["id"], "expectedVersion": item["version"],
                               "dueInWorkingDays": { "days": 30 } } }),
        )
        .await;
    assert_eq!(moved.code(), "FORBIDDEN");
    let moved = secretariat(
        &c,
        UPDATE,
        json!({ "input": { "id": item["id"], "expectedVersion": item["version"],
                           "dueInWorkingDays": { "days": 1, "after": "2027-03-24" } } }),
    )
    .await;
    assert_eq!(
        moved.data()["updateActionItem"]["actionItem"]["dueOn"],
        "2027-03-29"
    );
}

#[tokio::test]
async fn the_secretariat_declares_days_off_that_are_not_days_off_already() {
    let c = Commission::new().await;
    let listed = |from: &'static str, to: &'static str| {
        let c = &c;
        async move {
            secretariat(
                c,
                "query ($from: Date!, $to: Date!) { nonWorkingDays(from: $from, to: $to) { date kind reason reasonEn } }",
                json!({ "from": from, "to": to }),
            )
            .await
        }
    };
    let holy_week = listed("2028-04-10", "2028-04-16").await;
    assert_eq!(
        holy_week.data()["nonWorkingDays"],
        json!([
            { "date": "2028-04-13", "kind": "NATIONAL_HOLIDAY", "reason": "Jueves Santo", "reasonEn": "Holy Thursday" },
            { "date": "2028-04-14", "kind": "NATIONAL_HOLIDAY", "reason": "Viernes Santo", "reasonEn": "Good Friday" },
        ])
    );
    let year = listed("2027-01-01", "2027-12-31").await;
    assert_eq!(year.data()["nonWorkingDays"].as_array().unwrap().len(), 16);
    let too_long = listed("2027-01-01", "2031-01-01").await;
    assert_eq!(too_long.code(), "BAD_USER_INPUT");
    assert_eq!(too_long.field(), "to");
    let backwards = listed("2027-02-01", "2027-01-01").await;
    assert_eq!(backwards.field(), "from");

    for (date, note, field) in [
        ("2027-07-28", "Fiestas", "date"),
        ("2027-07-31", "Sábado", "date"),
        ("2027-08-03", "", "note"),
    ] {
        let refused = secretariat(&c, ADD, json!({ "date": date, "note": note })).await;
        assert_eq!(refused.code(), "BAD_USER_INPUT", "{date}");
        assert_eq!(refused.field(), field, "{date}");
    }
    let forbidden = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            ADD,
            json!({ "date": "2027-08-03", "note": "Día libre" }),
        )
        .await;
    assert_eq!(forbidden.code(), "FORBIDDEN");
    secretariat(
        &c,
        ADD,
        json!({ "date": "2027-08-03", "note": "Día libre" }),
    )
    .await
    .data();
    let twice = secretariat(
        &c,
        ADD,
        json!({ "date": "2027-08-03", "note": "Otra nota" }),
    )
    .await;
    assert_eq!(twice.code(), "BAD_USER_INPUT");
    assert_eq!(twice.field(), "date");
    let august = listed("2027-08-01", "2027-08-31").await;
    assert_eq!(
        august.data()["nonWorkingDays"],
        json!([
            { "date": "2027-08-03", "kind": "SECRETARIAT", "reason": "Día libre", "reasonEn": "Día libre" },
            { "date": "2027-08-06", "kind": "NATIONAL_HOLIDAY", "reason": "Batalla de Junín", "reasonEn": "Battle of Junín" },
            { "date": "2027-08-30", "kind": "NATIONAL_HOLIDAY", "reason": "Santa Rosa de Lima", "reasonEn": "Saint Rose of Lima" },
        ])
    );
    // Both changes are in the audit log.
    let audit = secretariat(
        &c,
        "{ auditEvents(first: 5, filter: { objectType: \"non_working_day\" }) { edges { node { action } } } }",
        json!({}),
    )
    .await;
    let actions: Vec<&str> = audit.data()["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["non_working_day.add"]);
}

#[tokio::test]
async fn due_reminders_in_working_days_go_out_the_working_day_before() {
    let c = Commission::new().await;
    crate::email::two_languages(&c).await;
    // Due Monday 2 August 2027: the 28th and 29th of July are holidays, the 31st and 1st
    // the weekend, so one working day before is Friday the 30th.
    c.item(&c.pnp, day("2027-08-02"), &[]).await;
    let rules = ReminderRules {
        time_zone: chrono_tz::America::Lima,
        meeting_days: Offsets::default(),
        due_days: Offsets::parse("due", "1wd").unwrap(),
        overdue_digest: CronSchedule::parse("overdue", "0 8 * * Mon").unwrap(),
        secretariat_digest: CronSchedule::parse("secretariat", "0 8 * * Mon").unwrap(),
    };
    let planned = |now: &'static str| {
        let (app, rules) = (&c.app, &rules);
        async move {
            app.sweep_reminders(rules, now.parse().unwrap(), true)
                .await
                .unwrap()
                .emails
                .into_iter()
                .filter(|e| e.new)
                .map(|e| format!("{} {}", e.kind, e.recipient))
                .collect::<Vec<_>>()
        }
    };
    assert!(planned("2027-07-29T12:00:00Z").await.is_empty());
    assert_eq!(
        planned("2027-07-30T12:00:00Z").await,
        ["ACTION_ITEM_DUE john@pnp.example"]
    );
    // The weekend's sweeps find it planned already.
    assert!(planned("2027-07-31T12:00:00Z").await.is_empty());
    assert!(planned("2027-08-01T12:00:00Z").await.is_empty());
}
