//! Renders activities and checks them with libxml2's `xmllint` against the official
//! IATI 2.03 schema, which is what the IATI Registry and donors' tools apply.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use cmnp_iati::{Organisation, OrganisationRole, Participant, render};
use common::xmllint::{assert_valid, validate, xpath};
use common::*;

#[test]
fn full_activity_validates_against_the_schema() {
    let xml = render(&[tumbes_course()], generated_at()).unwrap();
    let report = validate(&xml).unwrap_or_else(|report| panic!("{report}\n{xml}"));
    assert!(report.contains("validates"), "{report}");

    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    assert!(xml.contains(
        "<iati-activities version=\"2.03\" generated-datetime=\"2026-05-22T08:00:00Z\">"
    ));
    assert!(xml.contains(
        "<iati-activity last-updated-datetime=\"2026-05-21T16:45:00Z\" xml:lang=\"es\" \
         default-currency=\"USD\">"
    ));
    assert!(xml.contains(&format!("<iati-identifier>{IDENTIFIER}</iati-identifier>")));
    assert!(xml.contains("<reporting-org ref=\"XM-DAC-47066\" type=\"40\">"));
    assert!(xml.contains("<participating-org ref=\"US-GOV-11\" role=\"1\">"));
    assert!(xml.contains("<participating-org ref=\"XM-DAC-47066\" role=\"4\">"));
    assert!(xml.contains("<participating-org role=\"4\">"));
    assert!(xml.contains("<activity-status code=\"2\"/>"));
    assert!(xml.contains("<activity-date type=\"1\" iso-date=\"2026-03-01\"/>"));
    assert!(xml.contains("<activity-date type=\"2\" iso-date=\"2026-03-09\"/>"));
    assert!(xml.contains("<activity-date type=\"3\" iso-date=\"2026-11-30\"/>"));
    assert!(!xml.contains("<activity-date type=\"4\""));
    assert!(xml.contains("<recipient-country code=\"PE\"/>"));
    assert!(xml.contains("<name>\n        <narrative>Tumbes</narrative>"));
    assert!(xml.contains("<sector vocabulary=\"1\" code=\"15190\"/>"));
    assert!(xml.contains("<budget type=\"1\" status=\"2\">"));
    assert!(xml.contains("<budget type=\"2\" status=\"2\">"));
    assert!(xml.contains("<value currency=\"USD\" value-date=\"2026-02-15\">125000.00</value>"));
    for code in ["1", "3", "4"] {
        assert!(xml.contains(&format!("<transaction-type code=\"{code}\"/>")));
    }
    assert!(xml.contains(
        "<document-link url=\"https://cmnp.example.org/documents/0193a1b2-0000-7000-8000-000000000001\" format=\"application/pdf\">"
    ));
    assert!(xml.contains(
        "<narrative>Informe de avance: primera cohorte &amp; CEBAF &lt;Tumbes&gt;</narrative>"
    ));
    assert!(xml.contains("<category code=\"A08\"/>"));
    assert!(xml.contains("<document-date iso-date=\"2026-05-21\"/>"));
    assert!(xml.contains("<result type=\"1\">"));
    assert!(xml.contains("<indicator measure=\"1\" ascending=\"1\">"));
    assert!(xml.contains(&format!("<narrative>{INDICATOR}</narrative>")));
    assert!(xml.contains("<baseline year=\"2026\" value=\"0\"/>"));
    assert!(xml.contains("<target value=\"25\"/>"));
    assert!(xml.contains("<actual value=\"12\">"));
    assert!(xml.ends_with("</iati-activities>\n"));
}

#[test]
fn two_activities_one_of_them_minimal_validate() {
    let xml = render(&[tumbes_course(), minimal_activity()], generated_at()).unwrap();
    assert_valid(&xml);

    assert_eq!(xpath(&xml, "count(/iati-activities/iati-activity)"), "2");
    let minimal = "/iati-activities/iati-activity[2]";
    assert_eq!(
        xpath(&xml, &format!("string({minimal}/iati-identifier)")),
        "XM-DAC-47066-PE-LIMA-2026"
    );
    // The schema requires a description, so the title stands in for the missing one.
    assert_eq!(
        xpath(&xml, &format!("string({minimal}/description/narrative)")),
        "Mesa de trabajo sobre trata de personas en Lima"
    );
    for absent in [
        "location",
        "sector",
        "budget",
        "transaction",
        "document-link",
        "result",
    ] {
        assert_eq!(xpath(&xml, &format!("count({minimal}/{absent})")), "0");
    }
}

#[test]
fn text_is_escaped_and_reads_back_unchanged() {
    let tricky = "Trata & tráfico <ilícito> en \"Tumbes\" y l'Oriente — año 2026";
    let mut activity = minimal_activity();
    activity.identifier = "XM-DAC-47066-PE-A&B<1>".to_owned();
    activity.title = tricky.to_owned();
    activity.description = Some("Niñas, niños y adolescentes\nen situación de riesgo".to_owned());
    activity.participants.push(Participant {
        role: OrganisationRole::Implementing,
        organisation: Organisation {
            reference: Some("PE-RUC-\"2'0<&>".to_owned()),
            name: "Asociación \"Capital Humano y Social Alternativo\" & aliados".to_owned(),
        },
    });
    let xml = render(&[activity.clone()], generated_at()).unwrap();

    assert!(xml.contains(
        "<narrative>Trata &amp; tráfico &lt;ilícito&gt; en &quot;Tumbes&quot; y \
         l&apos;Oriente — año 2026</narrative>"
    ));
    assert!(xml.contains("<iati-identifier>XM-DAC-47066-PE-A&amp;B&lt;1&gt;</iati-identifier>"));
    assert!(xml.contains("ref=\"PE-RUC-&quot;2&apos;0&lt;&amp;&gt;\""));
    assert!(!xml.contains(tricky));
    assert_valid(&xml);

    let first = "/iati-activities/iati-activity";
    assert_eq!(
        xpath(&xml, &format!("string({first}/title/narrative)")),
        tricky
    );
    assert_eq!(
        xpath(&xml, &format!("string({first}/iati-identifier)")),
        activity.identifier
    );
    assert_eq!(
        xpath(&xml, &format!("string({first}/description/narrative)")),
        activity.description.unwrap()
    );
    let partner = &activity.participants[1].organisation;
    assert_eq!(
        xpath(&xml, &format!("string({first}/participating-org[2]/@ref)")),
        partner.reference.clone().unwrap()
    );
    assert_eq!(
        xpath(
            &xml,
            &format!("string({first}/participating-org[2]/narrative)")
        ),
        partner.name
    );
}

#[test]
fn elements_follow_the_schema_sequence() {
    let xml = render(&[tumbes_course()], generated_at()).unwrap();
    let sequence = [
        "<iati-identifier>",
        "<reporting-org ",
        "<title>",
        "<description>",
        "<participating-org ",
        "<activity-status ",
        "<activity-date ",
        "<recipient-country ",
        "<location>",
        "<sector ",
        "<budget ",
        "<transaction>",
        "<document-link ",
        "<result ",
    ];
    for pair in sequence.windows(2) {
        assert!(
            position(&xml, pair[0]) < position(&xml, pair[1]),
            "{} must come before {}",
            pair[0],
            pair[1]
        );
    }
    // Every budget precedes every transaction, and every transaction precedes the results.
    assert!(xml.rfind("</budget>").unwrap() < position(&xml, "<transaction>"));
    assert!(xml.rfind("</transaction>").unwrap() < position(&xml, "<result "));

    let transaction = &xml[position(&xml, "<transaction>")..position(&xml, "</transaction>")];
    let parts = [
        "<transaction-type ",
        "<transaction-date ",
        "<value ",
        "<description>",
        "<provider-org ",
        "<receiver-org ",
    ];
    for pair in parts.windows(2) {
        assert!(position(transaction, pair[0]) < position(transaction, pair[1]));
    }
}

#[test]
fn several_sectors_share_the_activity_evenly() {
    let mut activity = tumbes_course();
    activity.sectors = vec!["15190".to_owned(), "15160".to_owned(), "16010".to_owned()];
    let xml = render(&[activity], generated_at()).unwrap();
    assert_valid(&xml);
    assert!(xml.contains("<sector vocabulary=\"1\" code=\"15190\" percentage=\"33.34\"/>"));
    assert!(xml.contains("<sector vocabulary=\"1\" code=\"15160\" percentage=\"33.33\"/>"));
    assert!(xml.contains("<sector vocabulary=\"1\" code=\"16010\" percentage=\"33.33\"/>"));
    assert_eq!(
        xpath(
            &xml,
            "sum(/iati-activities/iati-activity/sector/@percentage)"
        ),
        "100"
    );
}

#[test]
fn validator_rejects_a_document_without_identifier() {
    let xml = render(&[tumbes_course()], generated_at()).unwrap();
    let element = format!("<iati-identifier>{IDENTIFIER}</iati-identifier>");
    assert!(xml.contains(&element));
    let broken = xml.replace(&element, "");

    let report = validate(&broken).expect_err("a document without iati-identifier must fail");
    assert!(report.contains("fails to validate"), "{report}");
    assert!(report.contains("iati-identifier"), "{report}");
}

#[test]
fn validator_rejects_an_amount_that_is_not_decimal() {
    let mut activity = tumbes_course();
    activity.budgets[0].value.amount = "125,000.00".to_owned();
    let xml = render(&[activity], generated_at()).unwrap();

    let report = validate(&xml).expect_err("an amount with a comma must fail");
    assert!(report.contains("xs:decimal"), "{report}");
}
