//! The table of action items that the overview and the agency pages share.

use chrono::NaiveDate;
use cmnp_domain::action_item::ActionItem;
use cmnp_domain::words::{self, Label, Note};
use maud::{Markup, html};

use super::Params;
use crate::html::{Sort, percent};
use crate::i18n::Lang;

/// How many items a page's table lists at most, the soonest due first; the counts
/// beside it are of all of them.
pub(crate) const LISTED: u64 = 200;

/// Says so when a table lists fewer items than there are: `listed` of `total`, those due
/// soonest.
pub(crate) fn listed_note(lang: Lang, listed: usize, total: u64) -> Markup {
    html! {
        @if u64::try_from(listed).unwrap_or(u64::MAX) < total {
            p id="listed-note" { (words::listed_of(lang.language(), listed, total)) }
        }
    }
}

/// A table of action items, sorted as `?sort=&dir=` ask (by due date unless told
/// otherwise), its headers links that sort, overdue rows marked.
pub(crate) fn item_table(
    lang: Lang,
    items: &mut [ActionItem],
    today: NaiveDate,
    params: &Params,
) -> Markup {
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
    let items: &[ActionItem] = items;
    if items.is_empty() {
        return html! { p { (lang.word(Note::NoneListed)) } };
    }
    html! {
        table {
            thead {
                tr {
                    (sort.header(lang.word(Label::Reference), "reference"))
                    th scope="col" { (lang.word(Label::Commitment)) }
                    (sort.header(lang.word(Label::Due), "due"))
                    (sort.header(lang.word(Label::Status), "status"))
                    th scope="col" { (lang.word(Label::Progress)) }
                }
            }
            tbody {
                @for item in items {
                    @let overdue = item.is_overdue(today);
                    tr class=[overdue.then_some("overdue")] {
                        td { (item.reference()) }
                        td { (item.title) }
                        td {
                            (lang.date(item.due_on))
                            @if overdue {
                                " "
                                strong { (lang.word(Label::OverdueMark)) }
                            }
                        }
                        td { (lang.status(item.status)) }
                        td { (percent(lang, f64::from(item.progress_percent))) }
                    }
                }
            }
        }
    }
}
