//! The names of the statuses people read, and the word an e-mail about a session opens
//! its subject with.

use super::{Named, pick};
use crate::action_item::ActionItemStatus;
use crate::agenda::AttendanceStatus;
use crate::meeting::{MeetingStatus, MinutesStatus};
use crate::observation::ObservationAnswer;
use crate::outbox::MeetingNotice;
use crate::project::ProjectStatus;
use crate::representative::Language;
use crate::rsvp::{Answer, Expectation};

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

impl Named for Answer {
    fn name(self, language: Language) -> &'static str {
        let (es, en) = match self {
            Answer::Attending => ("Asistiré", "I will attend"),
            Answer::NotAttending => ("No asistiré", "I will not attend"),
            Answer::SendingAlternate => ("Enviaré a mi alterno", "I will send my alternate"),
        };
        pick(language, es, en)
    }
}

impl Named for Expectation {
    fn name(self, language: Language) -> &'static str {
        let (es, en) = match self {
            Expectation::Expected => ("Asistirá", "Expected"),
            Expectation::NotExpected => ("No asistirá", "Not expected"),
            Expectation::Unknown => ("Sin respuesta", "No answer"),
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

impl Named for MinutesStatus {
    fn name(self, language: Language) -> &'static str {
        let (es, en) = match self {
            MinutesStatus::Draft => ("Borrador", "Draft"),
            MinutesStatus::Circulated => ("Circulada", "Circulated"),
            MinutesStatus::Approved => ("Aprobada", "Approved"),
        };
        pick(language, es, en)
    }
}

impl Named for ObservationAnswer {
    fn name(self, language: Language) -> &'static str {
        let (es, en) = match self {
            ObservationAnswer::Accepted => ("Acogida en el acta", "Accepted into the minutes"),
            ObservationAnswer::NotAccepted => ("No acogida", "Not accepted"),
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

/// What a notice is, as the subject of its e-mail says before the session's heading.
impl Named for MeetingNotice {
    fn name(self, language: Language) -> &'static str {
        let (es, en) = match self {
            MeetingNotice::Invitation => ("Convocatoria", "Invitation"),
            MeetingNotice::Update => ("Actualización", "Updated"),
            MeetingNotice::Cancellation => ("Cancelada", "Cancelled"),
        };
        pick(language, es, en)
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
        distinct(MinutesStatus::ALL);
        distinct(ObservationAnswer::ALL);
        assert_eq!(ActionItemStatus::Done.name(Language::Es), "Cumplida");
        assert_eq!(ActionItemStatus::Done.name(Language::En), "Done");
    }

    #[test]
    fn every_notice_has_its_own_name_in_each_language() {
        distinct(&[
            MeetingNotice::Invitation,
            MeetingNotice::Update,
            MeetingNotice::Cancellation,
        ]);
        assert_eq!(MeetingNotice::Update.name(Language::Es), "Actualización");
        assert_eq!(MeetingNotice::Update.name(Language::En), "Updated");
    }
}
