//! Spanish by default, English on request: every text is written in both languages where
//! it is used, and dates and statuses are named here.

use chrono::{Datelike, NaiveDate};
use cmnp_domain::action_item::ActionItemStatus;
use cmnp_domain::agenda::AttendanceStatus;
use cmnp_domain::meeting::MeetingStatus;
use cmnp_domain::project::ProjectStatus;

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

    /// Picks the text in this language.
    pub(crate) fn t<'a>(self, es: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Es => es,
            Self::En => en,
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
        match self {
            Self::Es => ES[index],
            Self::En => EN[index],
        }
    }

    pub(crate) fn item_status(self, status: ActionItemStatus) -> &'static str {
        match status {
            ActionItemStatus::Open => self.t("Abierta", "Open"),
            ActionItemStatus::InProgress => self.t("En curso", "In progress"),
            ActionItemStatus::Blocked => self.t("Bloqueada", "Blocked"),
            ActionItemStatus::Done => self.t("Cumplida", "Done"),
            ActionItemStatus::Cancelled => self.t("Cancelada", "Cancelled"),
        }
    }

    pub(crate) fn meeting_status(self, status: MeetingStatus) -> &'static str {
        match status {
            MeetingStatus::Scheduled => self.t("Convocada", "Scheduled"),
            MeetingStatus::Held => self.t("Realizada", "Held"),
            MeetingStatus::Cancelled => self.t("Cancelada", "Cancelled"),
        }
    }

    pub(crate) fn project_status(self, status: ProjectStatus) -> &'static str {
        match status {
            ProjectStatus::Pipeline => self.t("En preparación", "Pipeline"),
            ProjectStatus::Implementation => self.t("En ejecución", "Implementation"),
            ProjectStatus::Finalisation => self.t("En cierre", "Finalisation"),
            ProjectStatus::Closed => self.t("Cerrado", "Closed"),
            ProjectStatus::Cancelled => self.t("Cancelado", "Cancelled"),
            ProjectStatus::Suspended => self.t("Suspendido", "Suspended"),
        }
    }

    pub(crate) fn attendance(self, status: AttendanceStatus) -> &'static str {
        match status {
            AttendanceStatus::Present => self.t("Presente", "Present"),
            AttendanceStatus::Absent => self.t("Ausente", "Absent"),
            AttendanceStatus::Excused => self.t("Justificada", "Excused"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_statuses_in_both_languages() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(Lang::Es.date(day), "3 dic. 2026");
        assert_eq!(Lang::En.date(day), "3 Dec 2026");
        assert_eq!(
            Lang::En.item_status(ActionItemStatus::InProgress),
            "In progress"
        );
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
