//! Reminders about action items: one item coming due, and an agency's overdue items.

use cmnp_domain::action_item::ActionItem;
use cmnp_domain::representative::Language;
use cmnp_domain::words::Named;

use crate::document::{Block, Document, Entry, Fact};
use crate::{Commission, Email, ItemLine, Recipient, dates, texts};

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
    let labels = texts::labels(language);
    let reference = item.reference();
    let subject = texts::due_subject(language, &reference, days_before);
    let mut document = Document::new(c, language, &subject, &to.name);
    document.paragraph(texts::due_intro(language, &reference, agency, days_before));
    document.push(Block::Facts(vec![
        Fact::text(labels.action, reference),
        Fact::text(labels.title, item.title.clone()),
        Fact::text(labels.responsible, agency),
        Fact::text(labels.due, dates::long_date(language, item.due_on)),
        Fact::text(labels.status, item.status.name(language)),
        Fact::text(labels.progress, format!("{} %", item.progress_percent)),
    ]));
    document.paragraph(labels.update_request);
    document.push(Block::Link {
        label: labels.item_link.to_owned(),
        url: c.items_url(),
    });
    document.into_email(to, None)
}

/// The digest of `agency`'s overdue items, each linked to where it can be updated.
pub fn overdue_digest(c: &Commission, agency: &str, items: &[ItemLine], to: &Recipient) -> Email {
    let language = to.language;
    let subject = texts::overdue_subject(language, agency, items.len());
    let mut document = Document::new(c, language, &subject, &to.name);
    document.paragraph(texts::overdue_intro(language, agency, items.len()));
    if !items.is_empty() {
        document.push(Block::Entries(
            items
                .iter()
                .map(|item| overdue_entry(language, item))
                .collect(),
        ));
        document.paragraph(texts::labels(language).update_request);
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
            texts::overdue_since(language, &due, item.days_overdue)
        ),
        url: Some(item.url.clone()),
    }
}
