//! Runs libxml2's `xmllint` against the official IATI 2.03 schema kept in `tests/schema`,
//! so that the output is judged by the standard's own XSD rather than by our reading of it.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

use tempfile::NamedTempFile;

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/schema/iati-activities-schema.xsd"
);

/// Validates `xml` against the schema, returning xmllint's report either way.
pub fn validate(xml: &str) -> Result<String, String> {
    let file = temp_file(xml);
    let output = run(&["--noout", "--nonet", "--schema", SCHEMA], file.path());
    let report = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.success() {
        Ok(report)
    } else {
        Err(report)
    }
}

/// Fails the test, with xmllint's explanation, unless `xml` is valid IATI 2.03.
pub fn assert_valid(xml: &str) {
    if let Err(report) = validate(xml) {
        panic!("xmllint rejected the document:\n{report}\n{xml}");
    }
}

/// Evaluates an XPath expression over `xml` and returns its string value, so tests can
/// read text back the way any XML consumer would, with all escapes resolved.
pub fn xpath(xml: &str, expression: &str) -> String {
    let file = temp_file(xml);
    let output = run(&["--nonet", "--xpath", expression], file.path());
    assert!(
        output.status.success(),
        "xmllint --xpath {expression:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value = String::from_utf8(output.stdout).unwrap();
    // xmllint ends its answer with a line break of its own, which is not part of the value.
    value.strip_suffix('\n').unwrap_or(&value).to_owned()
}

fn temp_file(xml: &str) -> NamedTempFile {
    let mut file = tempfile::Builder::new()
        .prefix("cmnp-iati-")
        .suffix(".xml")
        .tempfile()
        .unwrap();
    file.write_all(xml.as_bytes()).unwrap();
    file.flush().unwrap();
    file
}

/// Runs xmllint on `path`. A missing xmllint fails the test instead of skipping it, so that
/// a machine without the validator can never report the schema checks as passed.
fn run(arguments: &[&str], path: &Path) -> Output {
    match Command::new("xmllint").args(arguments).arg(path).output() {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => panic!(
            "xmllint is not installed, so the IATI output cannot be validated against the \
             XSD; install libxml2-utils (apt-get install libxml2-utils)"
        ),
        Err(error) => panic!("could not run xmllint: {error}"),
    }
}
