//! The table of action items that the overview and the agency pages share.

use std::fmt::Write as _;

use chrono::NaiveDate;
use cmnp_domain::action_item::ActionItem;
use cmnp_domain::words::{self, Label, Note};

use super::Params;
use crate::html::{Sort, esc, percent};
use crate::i18n::Lang;

/// How many items a page's table lists at most, the soonest due first; the counts
/// beside it are of all of them.
pub(crate) const LISTED: u64 = 200;

/// Says so when a table lists fewer items than there are: `listed` of `total`, those due
/// soonest.
pub(crate) fn listed_note(html: &mut String, lang: Lang, listed: usize, total: u64) {
    if u64::try_from(listed).unwrap_or(u64::MAX) >= total {
        return;
    }
    let _ = write!(
        html,
        "<p id=\"listed-note\">{}</p>",
        words::listed_of(lang.language(), listed, total)
    );
}

/// A table of action items, sorted as `?sort=&dir=` ask (by due date unless told
/// otherwise), its headers links that sort, overdue rows marked.
pub(crate) fn item_table(
    html: &mut String,
    lang: Lang,
    items: &mut [ActionItem],
    today: NaiveDate,
    params: &Params,
) {
    let sort = Sort::read(
        params.sort.as_deref(),
        params.dir.as_deref(),
        &["due", "status", "reference"],
        "due",
    );
    items.sort_by(|a, b| {
        let order = match sort.key {
            "status" => a.status.as_str().cmp(b.status.as_str()),
            "reference" => (a.year, a.number).cmp(&(b.year, b.number)),
            _ => a.due_on.cmp(&b.due_on),
        };
        if sort.descending {
            order.reverse()
        } else {
            order
        }
    });
    if items.is_empty() {
        let _ = write!(html, "<p>{}</p>", lang.word(Note::NoneListed));
        return;
    }
    let _ = write!(
        html,
        "<table><thead><tr>{}<th scope=\"col\">{}</th>{}{}<th scope=\"col\">{}</th></tr></thead><tbody>",
        sort.header(lang.word(Label::Reference), "reference"),
        lang.word(Label::Commitment),
        sort.header(lang.word(Label::Due), "due"),
        sort.header(lang.word(Label::Status), "status"),
        lang.word(Label::Progress),
    );
    for item in items {
        let overdue = item.is_overdue(today);
        let _ = write!(
            html,
            "<tr{}><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>",
            if overdue { " class=\"overdue\"" } else { "" },
            esc(&item.reference()),
            esc(&item.title),
            lang.date(item.due_on),
            if overdue {
                format!(" <strong>{}</strong>", lang.word(Label::OverdueMark))
            } else {
                String::new()
            },
            lang.status(item.status),
            percent(lang, f64::from(item.progress_percent)),
        );
    }
    html.push_str("</tbody></table>");
}
