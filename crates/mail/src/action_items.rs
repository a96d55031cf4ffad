//! Reminders about action items: one item coming due, and an agency's overdue items.

use cmnp_domain::action_item::ActionItem;
use cmnp_domain::representative::Language;
use cmnp_domain::words::{self, Label, Named, Note};

use crate::document::{Block, Document, Entry, Fact};
use crate::{Commission, Email, ItemLine, Recipient, dates};

/// The reminder that `item`, for which `agency` is responsible, is due in `days_before`
/// days ("mañana" / "tomorrow" for one, "hoy" / "today" for zero).
pub fn action_item_due(
    c: &Commission,
    item: &ActionItem,
    agency: &str,
    days_before: i64,
    to: &Recipient,
) -> Email {
    let language = to.language;
    let reference = item.reference();
    let subject = words::due_subject(language, &reference, days_before);
    let mut document = Document::new(c, language, &subject, &to.name);
    document.paragraph(words::due_intro(language, &reference, agency, days_before));
    document.push(Block::Facts(vec![
        Fact::text(Label::Action.name(language), reference),
        Fact::text(Label::Topic.name(language), item.title.clone()),
        Fact::text(Label::ResponsibleAgency.name(language), agency),
        Fact::text(
            Label::Due.name(language),
            dates::long_date(language, item.due_on),
        ),
        Fact::text(Label::Status.name(language), item.status.name(language)),
        Fact::text(
            Label::Progress.name(language),
            format!("{} %", item.progress_percent),
        ),
    ]));
    document.paragraph(Note::UpdateRequest.name(language));
    document.push(Block::Link {
        label: Label::ViewAndUpdate.name(language).to_owned(),
        url: c.items_url(),
    });
    document.into_email(to, None)
}

/// The digest of `agency`'s overdue items, each linked to where it can be updated.
pub fn overdue_digest(c: &Commission, agency: &str, items: &[ItemLine], to: &Recipient) -> Email {
    let language = to.language;
    let subject = words::overdue_subject(language, agency, items.len());
    let mut document = Document::new(c, language, &subject, &to.name);
    document.paragraph(words::overdue_intro(language, agency, items.len()));
    if !items.is_empty() {
        document.push(Block::Entries(
            items
                .iter()
                .map(|item| overdue_entry(language, item))
                .collect(),
        ));
        document.paragraph(Note::UpdateRequest.name(language));
    }
    document.into_email(to, None)
}

/// "AI-2026-014 — Título — venció el jueves 3 de diciembre de 2026 (5 días de retraso)".
pub(crate) fn overdue_entry(language: Language, item: &ItemLine) -> Entry {
    let due = dates::long_date(language, item.due_on);
    Entry {
        text: format!(
            "{} — {} — {}",
            item.reference,
            item.title,
            words::overdue_since(language, &due, item.days_overdue)
        ),
        url: Some(item.url.clone()),
    }
}
