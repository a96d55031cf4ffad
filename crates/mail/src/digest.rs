//! The weekly digest for the technical secretariat.

use cmnp_domain::meeting::Meeting;
use cmnp_domain::representative::Language;
use cmnp_domain::words::{self, Label, Named, Note};

use crate::action_items::overdue_entry;
use crate::document::{Block, Document, Entry};
use crate::{Commission, Email, ItemLine, Recipient, SecretariatDigest, dates};

/// The secretariat's weekly view: overdue items by agency, upcoming sessions, the items
/// completed during the week, the agencies nobody can be written to and the mandates that
/// end within 30 days. Empty sections say so rather than disappear, so that a
/// reader can tell "nothing" from "not reported".
pub fn secretariat_digest(c: &Commission, digest: &SecretariatDigest, to: &Recipient) -> Email {
    let language = to.language;
    let mut document = Document::new(c, language, Label::WeeklyDigest.name(language), &to.name);
    document.paragraph(words::digest_intro(language, document.commission_name()));

    document.push(Block::Heading(
        Label::OverdueActionsByAgency.name(language).to_owned(),
    ));
    let overdue: Vec<_> = digest
        .overdue_by_agency
        .iter()
        .filter(|(_, items)| !items.is_empty())
        .collect();
    if overdue.is_empty() {
        document.paragraph(Note::NoOverdueActions.name(language));
    }
    for (agency, items) in overdue {
        document.push(Block::Subheading(format!("{agency} ({})", items.len())));
        document.push(Block::Entries(
            items
                .iter()
                .map(|item| overdue_entry(language, item))
                .collect(),
        ));
    }

    let upcoming = digest
        .upcoming
        .iter()
        .map(|meeting| meeting_entry(c, language, meeting))
        .collect();
    section(
        &mut document,
        Label::UpcomingSessions.name(language),
        Note::NoSessionsScheduled.name(language),
        upcoming,
    );
    let completed = digest
        .completed_this_week
        .iter()
        .map(completed_entry)
        .collect();
    section(
        &mut document,
        Label::CompletedThisWeek.name(language),
        Note::NoneCompleted.name(language),
        completed,
    );
    let unreachable = digest
        .unreachable
        .iter()
        .map(|agency| Entry {
            text: format!("{agency} — {}", Note::NoRecipient.name(language)),
            url: None,
        })
        .collect();
    section(
        &mut document,
        Label::UnreachableAgencies.name(language),
        Note::EveryAgencyReachable.name(language),
        unreachable,
    );
    let mandates = digest
        .mandates_ending
        .iter()
        .map(|mandate| Entry {
            text: format!(
                "{} — {}: {}",
                mandate.agency,
                mandate.name,
                dates::long_date(language, mandate.ends_on)
            ),
            url: None,
        })
        .collect();
    section(
        &mut document,
        Label::MandatesEnding.name(language),
        Note::NoMandatesEnding.name(language),
        mandates,
    );
    document.into_email(to, None)
}

/// A section under `heading`: its entries, or the sentence `empty` says when it has none.
fn section(document: &mut Document, heading: &str, empty: &str, entries: Vec<Entry>) {
    document.push(Block::Heading(heading.to_owned()));
    if entries.is_empty() {
        document.paragraph(empty);
    } else {
        document.push(Block::Entries(entries));
    }
}

/// "Sesión Ordinaria N° 3-2026 — Título: jueves 3 de diciembre de 2026, 10:00
/// (America/Lima)", in the meeting's own zone.
fn meeting_entry(c: &Commission, language: Language, meeting: &Meeting) -> Entry {
    let zone = meeting.zone();
    Entry {
        text: format!(
            "{}: {}",
            meeting.heading(),
            dates::long_date_time(language, meeting.starts_at, zone)
        ),
        url: Some(c.meeting_url(meeting.id)),
    }
}

/// "AI-2026-014 — Título (MIMP)".
fn completed_entry(item: &ItemLine) -> Entry {
    Entry {
        text: format!("{} — {} ({})", item.reference, item.title, item.agency),
        url: Some(item.url.clone()),
    }
}
