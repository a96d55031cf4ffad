//! Spanish by default, English on request. Every label and sentence a page shows comes
//! from the domain's catalogue (`cmnp_domain::words`), which the e-mails read too; what
//! stays here is the language switch, which names each language in itself, and the
//! pages' short dates ("3 dic. 2026"), a format of their own.

use chrono::{Datelike, NaiveDate};
use cmnp_domain::representative::Language;
use cmnp_domain::words::Named;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Es,
    En,
}

impl Lang {
    /// Reads a `lang` parameter or cookie value.
    pub(crate) fn parse(value: &str) -> Option<Self> {
        match value.trim() {
            "es" => Some(Self::Es),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Es => "es",
            Self::En => "en",
        }
    }

    /// The other language, which the header offers.
    pub(crate) fn other(self) -> Self {
        match self {
            Self::Es => Self::En,
            Self::En => Self::Es,
        }
    }

    /// The language's own name, as the switch shows it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Es => "Español",
            Self::En => "English",
        }
    }

    /// "3 dic. 2026" or "3 Dec 2026".
    pub(crate) fn date(self, day: NaiveDate) -> String {
        format!("{} {} {}", day.day(), self.month(day.month()), day.year())
    }

    /// The abbreviated name of month `month` (1–12).
    pub(crate) fn month(self, month: u32) -> &'static str {
        const ES: [&str; 12] = [
            "ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.",
            "nov.", "dic.",
        ];
        const EN: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let index = usize::try_from(month.clamp(1, 12) - 1).unwrap_or(0);
        let names = match self {
            Self::Es => &ES,
            Self::En => &EN,
        };
        names.get(index).copied().unwrap_or_default()
    }

    /// The domain's language for this one, in which the catalogue's sentences are asked
    /// for.
    pub(crate) fn language(self) -> Language {
        match self {
            Self::Es => Language::Es,
            Self::En => Language::En,
        }
    }

    /// The name of a status (of an action item, a session, a project or an attendance),
    /// as the e-mails call it too.
    pub(crate) fn status(self, status: impl Named) -> &'static str {
        self.word(status)
    }

    /// A label or a fixed sentence of the catalogue ([`Label`](cmnp_domain::words::Label),
    /// [`Note`](cmnp_domain::words::Note)), in this language.
    pub(crate) fn word(self, word: impl Named) -> &'static str {
        word.name(self.language())
    }
}

#[cfg(test)]
mod tests {
    use cmnp_domain::action_item::ActionItemStatus;

    use super::*;

    #[test]
    fn dates_and_statuses_in_both_languages() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(Lang::Es.date(day), "3 dic. 2026");
        assert_eq!(Lang::En.date(day), "3 Dec 2026");
        assert_eq!(Lang::En.status(ActionItemStatus::InProgress), "In progress");
        assert_eq!(Lang::Es.status(ActionItemStatus::Done), "Cumplida");
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
