//! The acta's own words in Spanish and English. What the pages and e-mails already say
//! (statuses, the quorum and decision sentences, the commission's name) comes from
//! `cmnp_domain::words`, so the acta names things as they do; only what no other medium
//! says is here, each text beside its translation.

use chrono::{Datelike, NaiveDate};
use cmnp_domain::agenda::{AttendanceMode, AttendeeKind};
use cmnp_domain::decision::VoteChoice;
use cmnp_domain::meeting::MeetingKind;
use cmnp_domain::representative::Language;
use cmnp_domain::words::month_name;

/// A short fixed text of the acta.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Word {
    Date,
    Place,
    Attendance,
    Agenda,
    Proceedings,
    Agreements,
    Signatures,
    Agency,
    Representative,
    Capacity,
    Mode,
    Absent,
    Excused,
    NotRecorded,
    NoAgenda,
    NoAgreements,
    NoDecision,
    Votes,
    ActionItems,
    Responsible,
    NoMinutesText,
    Documents,
    DraftMark,
    Presidency,
    TechnicalSecretariat,
}

pub(crate) fn word(language: Language, word: Word) -> &'static str {
    let (es, en) = match word {
        Word::Date => ("Fecha", "Date"),
        Word::Place => ("Lugar", "Place"),
        Word::Attendance => ("Asistencia y quórum", "Attendance and quorum"),
        Word::Agenda => ("Agenda", "Agenda"),
        Word::Proceedings => ("Desarrollo de la sesión", "Proceedings"),
        Word::Agreements => ("Acuerdos", "Agreements"),
        Word::Signatures => ("Firmas", "Signatures"),
        Word::Agency => ("Entidad", "Agency"),
        Word::Representative => ("Representante", "Representative"),
        Word::Capacity => ("Calidad", "Capacity"),
        Word::Mode => ("Modalidad", "Mode"),
        Word::Absent => ("Ausentes", "Absent"),
        Word::Excused => ("Con excusa", "Excused"),
        Word::NotRecorded => ("Sin registro", "Not recorded"),
        Word::NoAgenda => (
            "La sesión no tuvo agenda registrada.",
            "No agenda was recorded.",
        ),
        Word::NoAgreements => (
            "No se adoptaron acuerdos en esta sesión.",
            "No agreements were adopted in this session.",
        ),
        Word::NoDecision => (
            "No se registró cómo se decidió este acuerdo.",
            "How this agreement was decided was not recorded.",
        ),
        Word::Votes => ("Votos", "Votes"),
        Word::ActionItems => ("Acciones que crea", "Action items it creates"),
        Word::Responsible => ("responsable", "responsible"),
        Word::NoMinutesText => ("El acta no tiene texto.", "The minutes have no text."),
        Word::Documents => ("Documentos", "Documents"),
        Word::DraftMark => (
            "PROYECTO DE ACTA — NO APROBADO",
            "DRAFT MINUTES — NOT APPROVED",
        ),
        Word::Presidency => ("Presidencia de la Comisión", "Presidency of the Commission"),
        Word::TechnicalSecretariat => ("Secretaría Técnica", "Technical Secretariat"),
    };
    pick(language, es, en)
}

fn pick(language: Language, es: &'static str, en: &'static str) -> &'static str {
    match language {
        Language::Es => es,
        Language::En => en,
    }
}

/// A session's name: its label in Spanish ("Sesión Ordinaria N° 3-2026"), "Ordinary
/// Session No. 3-2026" in English.
pub(crate) fn session_label(language: Language, kind: MeetingKind, label: &str) -> String {
    match language {
        Language::Es => label.to_owned(),
        Language::En => {
            let kind = match kind {
                MeetingKind::Ordinary => "Ordinary",
                MeetingKind::Extraordinary => "Extraordinary",
            };
            let number = label.rsplit(' ').next().unwrap_or_default();
            format!("{kind} Session No. {number}")
        }
    }
}

/// The acta's title: "Acta de la Sesión Ordinaria N° 3-2026", or for minutes still
/// under review "Proyecto de acta de la Sesión Ordinaria N° 3-2026".
pub(crate) fn title(language: Language, draft: bool, kind: MeetingKind, label: &str) -> String {
    let session = session_label(language, kind, label);
    match (language, draft) {
        (Language::Es, false) => format!("Acta de la {session}"),
        (Language::Es, true) => format!("Proyecto de acta de la {session}"),
        (Language::En, false) => format!("Minutes of {session}"),
        (Language::En, true) => format!("Draft minutes of {session}"),
    }
}

/// Where the minutes stand: approved (and where), or circulated for review.
pub(crate) fn standing(language: Language, approved_at: Option<&str>, draft: bool) -> String {
    match (language, draft, approved_at) {
        (Language::Es, true, _) => {
            "Proyecto circulado a las entidades para su revisión; aún no aprobado.".to_owned()
        }
        (Language::En, true, _) => {
            "Draft circulated to the agencies for review; not approved yet.".to_owned()
        }
        (Language::Es, false, Some(session)) => format!("Aprobada en la {session}."),
        (Language::En, false, Some(session)) => format!("Approved in {session}."),
        (Language::Es, false, None) => "Aprobada.".to_owned(),
        (Language::En, false, None) => "Approved.".to_owned(),
    }
}

/// "4 de diciembre de 2026" / "4 December 2026".
pub(crate) fn long_date(language: Language, date: NaiveDate) -> String {
    let month = month_name(language, date.month0());
    let (day, year) = (date.day(), date.year());
    match language {
        Language::Es => format!("{day} de {month} de {year}"),
        Language::En => format!("{day} {month} {year}"),
    }
}

pub(crate) fn capacity(language: Language, kind: AttendeeKind) -> &'static str {
    match kind {
        AttendeeKind::Principal => pick(language, "Titular", "Principal"),
        AttendeeKind::Alternate => pick(language, "Alterno", "Alternate"),
        AttendeeKind::Delegate => pick(language, "Delegado", "Delegate"),
    }
}

pub(crate) fn mode(language: Language, mode: AttendanceMode) -> &'static str {
    match mode {
        AttendanceMode::InPerson => pick(language, "Presencial", "In person"),
        AttendanceMode::Online => pick(language, "Virtual", "Online"),
    }
}

pub(crate) fn choice(language: Language, choice: VoteChoice) -> &'static str {
    match choice {
        VoteChoice::For => pick(language, "a favor", "for"),
        VoteChoice::Against => pick(language, "en contra", "against"),
        VoteChoice::Abstain => pick(language, "abstención", "abstains"),
    }
}

/// "vence el 3 de enero de 2027" / "due 3 January 2027".
pub(crate) fn due(language: Language, date: NaiveDate) -> String {
    let date = long_date(language, date);
    match language {
        Language::Es => format!("vence el {date}"),
        Language::En => format!("due {date}"),
    }
}

/// "Página 2 de 3" / "Page 2 of 3".
pub(crate) fn page_of(language: Language, page: usize, pages: usize) -> String {
    match language {
        Language::Es => format!("Página {page} de {pages}"),
        Language::En => format!("Page {page} of {pages}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_dates_read_naturally_in_both_languages() {
        let label = "Sesión Ordinaria N° 3-2026";
        assert_eq!(
            title(Language::Es, false, MeetingKind::Ordinary, label),
            "Acta de la Sesión Ordinaria N° 3-2026"
        );
        assert_eq!(
            title(Language::Es, true, MeetingKind::Ordinary, label),
            "Proyecto de acta de la Sesión Ordinaria N° 3-2026"
        );
        assert_eq!(
            title(Language::En, false, MeetingKind::Ordinary, label),
            "Minutes of Ordinary Session No. 3-2026"
        );
        let day = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(long_date(Language::Es, day), "4 de diciembre de 2026");
        assert_eq!(long_date(Language::En, day), "4 December 2026");
        assert_eq!(page_of(Language::Es, 2, 3), "Página 2 de 3");
    }
}
