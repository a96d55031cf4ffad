//! The commission's own words, in both languages: its name, and the names of the statuses
//! people read. The status pages, the e-mails and the calendar files all take them from
//! here, so a status is called the same everywhere.

use chrono_tz::Tz;

use crate::action_item::ActionItemStatus;
use crate::agenda::AttendanceStatus;
use crate::meeting::MeetingStatus;
use crate::project::ProjectStatus;
use crate::representative::Language;

/// The commission's acronym, as agreements and documents carry it.
pub const ACRONYM: &str = "CMNP-TP-TIM";

/// The zone the commission counts its days in ("today", due dates, overdue items) unless
/// configured otherwise, and the zone a session is shown in should its stored one be
/// unreadable.
pub const TIME_ZONE: Tz = chrono_tz::America::Lima;

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

impl Named for ActionItemStatus {
    fn name(self, language: Language) -> &'static str {
        let (es, en) = match self {
            ActionItemStatus::Open => ("Abierta", "Open"),
            ActionItemStatus::InProgress => ("En curso", "In progress"),
            ActionItemStatus::Blocked => ("Bloqueada", "Blocked"),
            ActionItemStatus::Done => ("Cumplida", "Done"),
            ActionItemStatus::Cancelled => ("Cancelada", "Cancelled"),
        };
        pick(language, es, en)
    }
}

impl Named for MeetingStatus {
    fn name(self, language: Language) -> &'static str {
        let (es, en) = match self {
            MeetingStatus::Scheduled => ("Convocada", "Scheduled"),
            MeetingStatus::Held => ("Realizada", "Held"),
            MeetingStatus::Cancelled => ("Cancelada", "Cancelled"),
        };
        pick(language, es, en)
    }
}

impl Named for ProjectStatus {
    fn name(self, language: Language) -> &'static str {
        let (es, en) = match self {
            ProjectStatus::Pipeline => ("En preparación", "Pipeline"),
            ProjectStatus::Implementation => ("En ejecución", "Implementation"),
            ProjectStatus::Finalisation => ("En cierre", "Finalisation"),
            ProjectStatus::Closed => ("Cerrado", "Closed"),
            ProjectStatus::Cancelled => ("Cancelado", "Cancelled"),
            ProjectStatus::Suspended => ("Suspendido", "Suspended"),
        };
        pick(language, es, en)
    }
}

impl Named for AttendanceStatus {
    fn name(self, language: Language) -> &'static str {
        let (es, en) = match self {
            AttendanceStatus::Present => ("Presente", "Present"),
            AttendanceStatus::Absent => ("Ausente", "Absent"),
            AttendanceStatus::Excused => ("Justificada", "Excused"),
        };
        pick(language, es, en)
    }
}

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

    fn distinct<T: Named>(all: &[T]) {
        for language in Language::ALL {
            let names: HashSet<_> = all.iter().map(|value| value.name(*language)).collect();
            assert_eq!(names.len(), all.len(), "two statuses share a name");
        }
    }

    #[test]
    fn every_status_has_its_own_name_in_each_language() {
        distinct(ActionItemStatus::ALL);
        distinct(MeetingStatus::ALL);
        distinct(ProjectStatus::ALL);
        distinct(AttendanceStatus::ALL);
        assert_eq!(ActionItemStatus::Done.name(Language::Es), "Cumplida");
        assert_eq!(ActionItemStatus::Done.name(Language::En), "Done");
    }

    #[test]
    fn the_commission_is_named_with_its_acronym_in_both_languages() {
        for language in Language::ALL {
            assert!(commission_name(*language).ends_with(&format!("({ACRONYM})")));
        }
    }
}
