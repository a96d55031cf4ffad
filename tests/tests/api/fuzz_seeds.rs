//! Replays the committed seeds of the `graphql_request` fuzz target through the same
//! code the fuzzer runs ([`cmnp_tests::fuzzing::Harness::check`]): every seed must get a
//! 4xx or a GraphQL error, never a 5xx, and the seeds together must reach the outcomes
//! they were written for, so that the fuzzer starts from inputs that get past parsing
//! and into variable coercion and the resolvers.

use std::path::PathBuf;

use axum::http::StatusCode;
use cmnp_tests::fuzzing::{Answer, Form, Harness, OPERATIONS};

/// The seed files, in name order.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds/graphql_request");
    let mut seeds: Vec<(String, Vec<u8>)> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("read {}: {e}", folder.display()))
        .map(|entry| {
            let path = entry.expect("a seed").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("read a seed"))
        })
        .collect();
    seeds.sort();
    seeds
}

/// The answers of the seed called `name`.
fn answers_of<'a>(answers: &'a [(String, Vec<Answer>)], name: &str) -> &'a [Answer] {
    &answers
        .iter()
        .find(|(seed, _)| seed == name)
        .unwrap_or_else(|| panic!("no seed called {name}"))
        .1
}

/// The answer to the given form of the seed called `name`.
fn answer<'a>(answers: &'a [(String, Vec<Answer>)], name: &str, form: Form) -> &'a Answer {
    answers_of(answers, name)
        .iter()
        .find(|answer| answer.form == form)
        .unwrap_or_else(|| panic!("{name} was not sent as {form:?}"))
}

#[test]
fn the_fuzz_seeds_get_a_4xx_or_a_graphql_error_and_never_a_5xx() {
    let harness = Harness::new();
    let seeds = seeds();
    assert!(seeds.len() >= 15, "only {} seeds", seeds.len());
    // `check` itself panics on a 5xx or on an answer that is not a JSON object.
    let answers: Vec<(String, Vec<Answer>)> = seeds
        .iter()
        .map(|(name, input)| (name.clone(), harness.check(input)))
        .collect();
    let all: Vec<&Answer> = answers.iter().flat_map(|(_, a)| a).collect();
    assert!(all.iter().all(|a| !a.status.is_server_error()));

    // Every form is reached, and some seed's variables get every fixed operation past
    // coercion into its resolver: data, or an error only a resolver gives.
    assert!(
        all.iter()
            .any(|a| a.form == Form::QueryString && a.has_data())
    );
    for (name, _) in OPERATIONS {
        assert!(
            all.iter().any(|a| a.form == Form::Variables(name)
                && (a.has_data() || a.codes().iter().any(|code| *code != "BAD_USER_INPUT"))),
            "no seed's variables got {name} to its resolver"
        );
    }

    // Well-formed requests run; the placeholders name real objects.
    let filtered = answer(&answers, "action_items_filter.json", Form::Body);
    assert!(filtered.has_data(), "{:#}", filtered.body);
    assert_eq!(filtered.body["data"]["actionItems"]["totalCount"], 1);
    let updated = answer(&answers, "update_action_item.json", Form::Body);
    assert!(updated.has_data(), "{:#}", updated.body);
    assert_eq!(
        updated.body["data"]["updateActionItem"]["actionItem"]["status"],
        "IN_PROGRESS"
    );
    let scheduled = answer(&answers, "schedule_meeting.json", Form::Body);
    assert!(scheduled.has_data(), "{:#}", scheduled.body);

    // Values that built-in types, enums and input objects refuse (an Int past 2^31, an
    // unknown enum value, a null in a list of non-null IDs, an unknown field) stop the
    // request before execution: 400 without data.
    for name in [
        "action_items_int_too_large.json",
        "update_action_item_bad_enum.json",
        "record_transaction_bad_decimal.json",
        "schedule_meeting_ends_before_start.json",
        "create_agency_nul_and_unknown_field.json",
    ] {
        let refused = answer(&answers, name, Form::Body);
        assert_eq!(
            refused.status,
            StatusCode::BAD_REQUEST,
            "{name}: {:#}",
            refused.body
        );
        assert!(
            refused.body.get("data").is_none(),
            "{name}: {:#}",
            refused.body
        );
        assert_eq!(
            refused.codes(),
            ["BAD_USER_INPUT"],
            "{name}: {:#}",
            refused.body
        );
    }

    // Values refused by the custom scalars (Date, DateTime, ID) or by the rules, and a
    // missing required variable, get a coded GraphQL error from the field.
    for (name, code) in [
        ("action_items_bad_date.json", "BAD_USER_INPUT"),
        ("schedule_meeting_bad_datetime.json", "BAD_USER_INPUT"),
        ("action_items_id_as_int.json", "BAD_USER_INPUT"),
        ("action_items_negative_first.json", "BAD_USER_INPUT"),
        ("update_action_item_out_of_range.json", "BAD_USER_INPUT"),
        ("update_action_item_missing_input.json", "BAD_USER_INPUT"),
        ("update_action_item_stale_version.json", "CONFLICT"),
        ("record_transaction_decimal.json", "NOT_FOUND"),
    ] {
        let refused = answer(&answers, name, Form::Body);
        assert_eq!(refused.status, StatusCode::OK, "{name}: {:#}", refused.body);
        assert_eq!(refused.codes(), [code], "{name}: {:#}", refused.body);
    }

    // Bodies that are not one GraphQL request: 400.
    for name in [
        "truncated_json",
        "invalid_utf8",
        "graphql_not_json",
        "batch.json",
        "variables_not_object.json",
        "create_agency.json",
    ] {
        let refused = answer(&answers, name, Form::Body);
        assert_eq!(
            refused.status,
            StatusCode::BAD_REQUEST,
            "{name}: {:#}",
            refused.body
        );
    }

    // A mutation over GET is refused.
    let over_get = answer(&answers, "schedule_meeting.json", Form::QueryString);
    assert_eq!(over_get.status, StatusCode::METHOD_NOT_ALLOWED);
}
