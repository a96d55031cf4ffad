//! Fuzzes request parsing and variable coercion through the real `/graphql` handler: each
//! input goes through [`cmnp_tests::fuzzing::Harness::check`], which panics on a 5xx or
//! an answer that is not a JSON object. The seeds are in `fuzz/seeds/graphql_request/`;
//! `fuzz/run` runs this target for a bounded time.

#![no_main]

use std::sync::OnceLock;

use cmnp_tests::fuzzing::Harness;
use libfuzzer_sys::fuzz_target;

/// The application, built once for the whole run.
static HARNESS: OnceLock<Harness> = OnceLock::new();

fuzz_target!(|input: &[u8]| {
    HARNESS.get_or_init(Harness::new).check(input);
});
