//! The `<iati-activity>` element and its identification, geography and financial children.
//!
//! The XSD declares the children of `iati-activity` as a sequence, so a validator rejects
//! them in any other order; [`write_activity`] writes them in exactly that order.

use std::io;

use chrono::NaiveDate;

use crate::codes::{
    ACTUAL_END, ACTUAL_START, DAC_PURPOSE_VOCABULARY, PLANNED_END, PLANNED_START,
    sector_percentages,
};
use crate::xml::{XmlWriter, date, date_time, element, narrative, text};
use crate::{Activity, Budget, DocumentLink, Money, Organisation, Transaction, result};

/// Writes one activity with all of its children.
pub(crate) fn write_activity(writer: &mut XmlWriter, activity: &Activity) -> io::Result<()> {
    let last_updated = date_time(activity.last_updated);
    element(
        writer,
        "iati-activity",
        &[
            ("last-updated-datetime", &last_updated),
            ("xml:lang", &activity.language),
            ("default-currency", &activity.default_currency),
        ],
    )
    .write_inner_content(|writer| write_children(writer, activity))?;
    Ok(())
}

/// Writes the children of `<iati-activity>`, in the order of the XSD's sequence.
fn write_children(writer: &mut XmlWriter, activity: &Activity) -> io::Result<()> {
    element(writer, "iati-identifier", &[]).write_text_content(text(&activity.identifier))?;
    write_reporting_org(writer, activity)?;
    narrative(writer, "title", &[], &activity.title)?;
    let description = activity.description.as_deref().unwrap_or(&activity.title);
    narrative(writer, "description", &[], description)?;
    for participant in &activity.participants {
        let attributes = org_attributes(
            &participant.organisation,
            &[("role", participant.role.code())],
        );
        narrative(
            writer,
            "participating-org",
            &attributes,
            &participant.organisation.name,
        )?;
    }
    element(
        writer,
        "activity-status",
        &[("code", activity.status.code())],
    )
    .write_empty()?;
    write_dates(writer, activity)?;
    element(
        writer,
        "recipient-country",
        &[("code", &activity.recipient_country)],
    )
    .write_empty()?;
    for location in &activity.locations {
        element(writer, "location", &[])
            .write_inner_content(|writer| narrative(writer, "name", &[], location))?;
    }
    write_sectors(writer, &activity.sectors)?;
    for budget in &activity.budgets {
        write_budget(writer, budget)?;
    }
    for transaction in &activity.transactions {
        write_transaction(writer, transaction)?;
    }
    for document in &activity.documents {
        write_document_link(writer, document)?;
    }
    for framework in &activity.results {
        result::write_result(writer, framework)?;
    }
    Ok(())
}

/// Writes `<document-link>`: its title, category and date, the URL and the media type.
fn write_document_link(writer: &mut XmlWriter, document: &DocumentLink) -> io::Result<()> {
    element(
        writer,
        "document-link",
        &[("url", &document.url), ("format", &document.format)],
    )
    .write_inner_content(|writer| {
        narrative(writer, "title", &[], &document.title)?;
        element(writer, "category", &[("code", document.category.code())]).write_empty()?;
        if let Some(day) = document.date {
            let iso_date = date(day);
            element(writer, "document-date", &[("iso-date", &iso_date)]).write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Writes `<reporting-org>`, whose `@ref` and `@type` the schema requires even when the
/// organisation has no identifier, in which case the reference is left empty.
fn write_reporting_org(writer: &mut XmlWriter, activity: &Activity) -> io::Result<()> {
    let organisation = &activity.reporting_org;
    let reference = organisation.reference.as_deref().unwrap_or_default();
    narrative(
        writer,
        "reporting-org",
        &[("ref", reference), ("type", &activity.reporting_org_type)],
        &organisation.name,
    )
}

/// Writes the dates that are known, in the order of the ActivityDateType code list.
fn write_dates(writer: &mut XmlWriter, activity: &Activity) -> io::Result<()> {
    let dates = [
        (PLANNED_START, activity.planned_start),
        (ACTUAL_START, activity.actual_start),
        (PLANNED_END, activity.planned_end),
        (ACTUAL_END, activity.actual_end),
    ];
    for (kind, day) in dates {
        if let Some(day) = day {
            let iso_date = date(day);
            element(
                writer,
                "activity-date",
                &[("type", kind), ("iso-date", &iso_date)],
            )
            .write_empty()?;
        }
    }
    Ok(())
}

/// Writes the sectors. A single sector needs no percentage; several share the activity
/// evenly, because the model has no finer split to report.
fn write_sectors(writer: &mut XmlWriter, sectors: &[String]) -> io::Result<()> {
    let percentages = if sectors.len() > 1 {
        sector_percentages(sectors.len())
    } else {
        Vec::new()
    };
    for (index, code) in sectors.iter().enumerate() {
        let mut attributes = vec![
            ("vocabulary", DAC_PURPOSE_VOCABULARY),
            ("code", code.as_str()),
        ];
        if let Some(percentage) = percentages.get(index) {
            attributes.push(("percentage", percentage));
        }
        element(writer, "sector", &attributes).write_empty()?;
    }
    Ok(())
}

fn write_budget(writer: &mut XmlWriter, budget: &Budget) -> io::Result<()> {
    element(
        writer,
        "budget",
        &[
            ("type", budget.kind.code()),
            ("status", budget.status.code()),
        ],
    )
    .write_inner_content(|writer| {
        write_period(writer, budget.period_start, budget.period_end)?;
        write_value(writer, &budget.value)
    })?;
    Ok(())
}

fn write_transaction(writer: &mut XmlWriter, transaction: &Transaction) -> io::Result<()> {
    element(writer, "transaction", &[]).write_inner_content(|writer| {
        element(
            writer,
            "transaction-type",
            &[("code", transaction.kind.code())],
        )
        .write_empty()?;
        let iso_date = date(transaction.date);
        element(writer, "transaction-date", &[("iso-date", &iso_date)]).write_empty()?;
        write_value(writer, &transaction.value)?;
        if let Some(description) = &transaction.description {
            narrative(writer, "description", &[], description)?;
        }
        if let Some(provider) = &transaction.provider {
            narrative(
                writer,
                "provider-org",
                &org_attributes(provider, &[]),
                &provider.name,
            )?;
        }
        if let Some(receiver) = &transaction.receiver {
            narrative(
                writer,
                "receiver-org",
                &org_attributes(receiver, &[]),
                &receiver.name,
            )?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Writes `<period-start>` and `<period-end>`, shared by budgets and indicator periods.
pub(crate) fn write_period(
    writer: &mut XmlWriter,
    start: NaiveDate,
    end: NaiveDate,
) -> io::Result<()> {
    let (start, end) = (date(start), date(end));
    element(writer, "period-start", &[("iso-date", &start)]).write_empty()?;
    element(writer, "period-end", &[("iso-date", &end)]).write_empty()?;
    Ok(())
}

/// Writes an amount with its currency and value date. The currency is always stated, even
/// when it equals the activity's default, so each amount can be read on its own.
fn write_value(writer: &mut XmlWriter, money: &Money) -> io::Result<()> {
    let value_date = date(money.value_date);
    element(
        writer,
        "value",
        &[("currency", &money.currency), ("value-date", &value_date)],
    )
    .write_text_content(text(&money.amount))?;
    Ok(())
}

/// The `@ref` of an organisation, when it has one, followed by `extra` attributes.
fn org_attributes<'a>(
    organisation: &'a Organisation,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut attributes: Vec<(&str, &str)> = organisation
        .reference
        .as_deref()
        .map(|reference| ("ref", reference))
        .into_iter()
        .collect();
    attributes.extend_from_slice(extra);
    attributes
}
