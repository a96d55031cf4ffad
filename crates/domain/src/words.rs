//! The commission's own words, in both languages: its name, the names of the statuses
//! people read, and every label and sentence of the status pages and the e-mails. Pages,
//! e-mails and calendar files all take their words from here, so a thing is called the
//! same everywhere, and each text is written beside its translation, so a text without
//! one does not compile.
//!
//! Fixed texts are keyed: by the domain's own enums where one names the thing (statuses,
//! notices), by [`Label`] for short texts (headings, column headers, field names, buttons)
//! and by [`Note`] for whole sentences. Texts that carry values are functions of the
//! language and those values. Dates and numbers are formatted by their readers, since
//! their shape follows the medium (an abbreviated month on a page, a weekday in a letter).

mod labels;
mod notes;
mod sentences;
mod statuses;

use chrono_tz::Tz;

use crate::representative::Language;

pub use labels::Label;
pub use notes::Note;
pub use sentences::{
    attachment_note, decision, digest_intro, done_on, due_intro, due_on, due_subject,
    expected_quorum_standing, greeting, items_and_overdue, listed_of, notice_intro,
    overdue_across_agencies, overdue_intro, overdue_since, overdue_subject, pending_and_overdue,
    pending_commitments_of, present_at, quorum_standing, reminder_intro, reminder_subject,
    reset_intro, reset_validity, too_many_attempts,
};

/// The commission's acronym, as agreements and documents carry it.
pub const ACRONYM: &str = "CMNP-TP-TIM";

/// The zone the commission counts its days in ("today", due dates, overdue items) unless
/// configured otherwise, and the zone a session is shown in should its stored one be
/// unreadable.
pub const TIME_ZONE: Tz = chrono_tz::America::Lima;

const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The name of the month `month0` (0 for January), as dates are written out in full:
/// "diciembre" / "December".
pub fn month_name(language: Language, month0: u32) -> &'static str {
    let names = match language {
        Language::Es => &MONTHS_ES,
        Language::En => &MONTHS_EN,
    };
    let index = usize::try_from(month0).unwrap_or_default();
    names.get(index).copied().unwrap_or_default()
}

/// The commission's full name.
pub fn commission_name(language: Language) -> &'static str {
    match language {
        Language::Es => {
            "Comisión Multisectorial de Naturaleza Permanente contra la Trata de Personas y el \
             Tráfico Ilícito de Migrantes (CMNP-TP-TIM)"
        }
        Language::En => {
            "Permanent Multisectoral Commission against Trafficking in Persons and Smuggling \
             of Migrants (CMNP-TP-TIM)"
        }
    }
}

/// A value with a name for people in each language.
pub trait Named: Copy {
    fn name(self, language: Language) -> &'static str;
}

/// The text of a Spanish and English pair in `language`.
fn pick(language: Language, es: &'static str, en: &'static str) -> &'static str {
    match language {
        Language::Es => es,
        Language::En => en,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Every value of `all` has a text in each language, and no two values share both
    /// texts, since two keys for one wording would let it drift apart.
    pub(super) fn each_has_its_own_texts<T: Named>(all: &[T]) {
        let mut pairs = HashSet::new();
        for value in all {
            let (es, en) = (value.name(Language::Es), value.name(Language::En));
            assert!(!es.trim().is_empty(), "a text without Spanish");
            assert!(!en.trim().is_empty(), "a text without English: {es}");
            assert!(pairs.insert((es, en)), "two keys for {es} / {en}");
        }
    }

    #[test]
    fn the_commission_is_named_with_its_acronym_in_both_languages() {
        for language in Language::ALL {
            assert!(commission_name(*language).ends_with(&format!("({ACRONYM})")));
        }
    }
}
