//! Sentences that carry values: greetings, subjects and openings of the e-mails, and the
//! counts and states the pages state. Values come in already written (a date in the
//! reader's format, an agency's acronym); escaping is left to whoever writes the markup.

use crate::decision::{Decision, DecisionMethod, DecisionResult, VoteRule};
use crate::meeting::{MeetingStatus, Quorum};
use crate::outbox::MeetingNotice;
use crate::representative::Language;

/// "Estimado/a Ana Quispe:" / "Dear Ana Quispe,"; without a name, the representative.
pub fn greeting(language: Language, name: &str) -> String {
    let name = name.trim();
    match (language, name.is_empty()) {
        (Language::Es, false) => format!("Estimado/a {name}:"),
        (Language::Es, true) => "Estimado/a representante:".to_owned(),
        (Language::En, false) => format!("Dear {name},"),
        (Language::En, true) => "Dear representative,".to_owned(),
    }
}

/// "mañana" / "tomorrow", "en 7 días" / "in 7 days"; zero or fewer days read as today,
/// which is what a late sweep means when it catches up.
fn when(language: Language, days: i64) -> String {
    match (language, days) {
        (Language::Es, ..=0) => "hoy".to_owned(),
        (Language::Es, 1) => "mañana".to_owned(),
        (Language::Es, n) => format!("en {n} días"),
        (Language::En, ..=0) => "today".to_owned(),
        (Language::En, 1) => "tomorrow".to_owned(),
        (Language::En, n) => format!("in {n} days"),
    }
}

/// The opening of a session's invitation, update or cancellation.
pub fn notice_intro(language: Language, notice: MeetingNotice, commission: &str) -> String {
    match (language, notice) {
        (Language::Es, MeetingNotice::Invitation) => {
            format!("La {commission} le convoca a la siguiente sesión.")
        }
        (Language::Es, MeetingNotice::Update) => format!(
            "Los datos de la siguiente sesión de la {commission} han cambiado. \
             Esta convocatoria actualizada reemplaza a la anterior."
        ),
        (Language::Es, MeetingNotice::Cancellation) => {
            format!("La siguiente sesión de la {commission} ha sido cancelada.")
        }
        (Language::En, MeetingNotice::Invitation) => {
            format!("The {commission} invites you to the following session.")
        }
        (Language::En, MeetingNotice::Update) => format!(
            "The details of the following session of the {commission} have changed. \
             This updated invitation replaces the previous one."
        ),
        (Language::En, MeetingNotice::Cancellation) => {
            format!("The following session of the {commission} has been cancelled.")
        }
    }
}

/// What the calendar file attached to a notice does.
pub fn attachment_note(language: Language, notice: MeetingNotice) -> &'static str {
    match (language, notice) {
        (Language::Es, MeetingNotice::Cancellation) => {
            "El archivo adjunto (invite.ics) retira la sesión de su calendario."
        }
        (Language::Es, _) => {
            "El archivo adjunto (invite.ics) añade la sesión a su calendario y le permite confirmar su asistencia."
        }
        (Language::En, MeetingNotice::Cancellation) => {
            "The attached file (invite.ics) removes the session from your calendar."
        }
        (Language::En, _) => {
            "The attached invitation (invite.ics) adds the session to your calendar and lets you reply."
        }
    }
}

pub fn reminder_subject(language: Language, meeting: &str, days: i64) -> String {
    let when = when(language, days);
    match language {
        Language::Es => format!("Recordatorio: {meeting} {when}"),
        Language::En => format!("Reminder: {meeting} {when}"),
    }
}

pub fn reminder_intro(language: Language, label: &str, commission: &str, days: i64) -> String {
    let when = when(language, days);
    match language {
        Language::Es => {
            format!("Le recordamos que la {label} de la {commission} se realizará {when}.")
        }
        Language::En => {
            format!("This is a reminder that {label} of the {commission} takes place {when}.")
        }
    }
}

pub fn due_subject(language: Language, reference: &str, days: i64) -> String {
    let when = when(language, days);
    match language {
        Language::Es => format!("Acción {reference} vence {when}"),
        Language::En => format!("Action {reference} due {when}"),
    }
}

pub fn due_intro(language: Language, reference: &str, agency: &str, days: i64) -> String {
    let when = when(language, days);
    match language {
        Language::Es => {
            format!("Le recordamos que la acción {reference}, a cargo de {agency}, vence {when}.")
        }
        Language::En => format!(
            "This is a reminder that action {reference}, assigned to {agency}, is due {when}."
        ),
    }
}

pub fn overdue_subject(language: Language, agency: &str, count: usize) -> String {
    match language {
        Language::Es => format!("Acciones vencidas de {agency} ({count})"),
        Language::En => format!("Overdue actions of {agency} ({count})"),
    }
}

pub fn overdue_intro(language: Language, agency: &str, count: usize) -> String {
    match (language, count) {
        (Language::Es, 0) => format!("{agency} no tiene acciones vencidas."),
        (Language::Es, _) => {
            format!("Las siguientes acciones a cargo de {agency} vencieron y siguen pendientes:")
        }
        (Language::En, 0) => format!("{agency} has no overdue actions."),
        (Language::En, _) => format!(
            "The following actions assigned to {agency} are past their due date and still pending:"
        ),
    }
}

/// "venció el jueves 3 de diciembre de 2026 (5 días de retraso)".
pub fn overdue_since(language: Language, date: &str, days: i64) -> String {
    match (language, days) {
        (Language::Es, 1) => format!("venció el {date} (1 día de retraso)"),
        (Language::Es, n) => format!("venció el {date} ({n} días de retraso)"),
        (Language::En, 1) => format!("due {date} (1 day overdue)"),
        (Language::En, n) => format!("due {date} ({n} days overdue)"),
    }
}

pub fn digest_intro(language: Language, commission: &str) -> String {
    match language {
        Language::Es => format!("Este es el resumen semanal de la {commission}."),
        Language::En => format!("This is the weekly digest of the {commission}."),
    }
}

/// The heading of an agency's own commitments on the overview.
pub fn pending_commitments_of(language: Language, agency: &str) -> String {
    match language {
        Language::Es => format!("Compromisos pendientes de {agency}"),
        Language::En => format!("Pending commitments of {agency}"),
    }
}

pub fn pending_and_overdue(language: Language, pending: u64, overdue: u64) -> String {
    match language {
        Language::Es => format!("{pending} pendientes, {overdue} vencidos."),
        Language::En => format!("{pending} pending, {overdue} overdue."),
    }
}

pub fn overdue_across_agencies(language: Language, total: i64, agencies: usize) -> String {
    match language {
        Language::Es => format!("{total} acciones vencidas en {agencies} entidades."),
        Language::En => format!("{total} overdue action items across {agencies} agencies."),
    }
}

pub fn items_and_overdue(language: Language, total: u64, overdue: u64) -> String {
    match language {
        Language::Es => format!("{total} acciones; {overdue} vencidas."),
        Language::En => format!("{total} action items; {overdue} overdue."),
    }
}

/// An agency's attendance at the sessions held.
pub fn present_at(language: Language, present: usize, held: usize) -> String {
    match language {
        Language::Es => format!("Presente en {present} de {held} sesiones."),
        Language::En => format!("Present at {present} of {held} sessions."),
    }
}

/// Said when a table lists fewer items than there are.
pub fn listed_of(language: Language, listed: usize, total: u64) -> String {
    match language {
        Language::Es => format!("Se listan {listed} de {total}: los de vencimiento más próximo."),
        Language::En => format!("Listing {listed} of {total}: those due soonest."),
    }
}

pub fn too_many_attempts(language: Language, retry_after_secs: u64) -> String {
    match language {
        Language::Es => format!(
            "Demasiados intentos fallidos con este correo. Espere {retry_after_secs} s y vuelva a intentarlo."
        ),
        Language::En => format!(
            "Too many failed attempts with this e-mail. Wait {retry_after_secs} s and try again."
        ),
    }
}

/// What the quorum stands at: settled for a held session, still open for a scheduled one.
pub fn quorum_standing(language: Language, status: MeetingStatus, quorum: Quorum) -> String {
    let (present, required) = (quorum.present, quorum.required);
    match (language, status, quorum.reached) {
        (Language::Es, MeetingStatus::Scheduled, _) => format!(
            "Quórum: se requieren {required} entidades con voto; {present} registradas como presentes."
        ),
        (Language::En, MeetingStatus::Scheduled, _) => format!(
            "Quorum: {required} voting agencies are required; {present} recorded as present."
        ),
        (Language::Es, _, true) => {
            format!("Quórum alcanzado: {present} presentes de {required} requeridos.")
        }
        (Language::Es, _, false) => {
            format!("Sin quórum: {present} presentes de {required} requeridos.")
        }
        (Language::En, _, true) => {
            format!("Quorum reached: {present} present of {required} required.")
        }
        (Language::En, _, false) => format!("No quorum: {present} present of {required} required."),
    }
}

/// The quorum a session would have if the agencies expected came, before it starts.
pub fn expected_quorum_standing(language: Language, quorum: Quorum) -> String {
    let (expected, required) = (quorum.present, quorum.required);
    match (language, quorum.reached) {
        (Language::Es, true) => format!(
            "Quórum previsto: {expected} entidades con voto confirmaron de {required} requeridas; se alcanzaría."
        ),
        (Language::Es, false) => format!(
            "Quórum previsto: {expected} entidades con voto confirmaron de {required} requeridas; aún no se alcanza."
        ),
        (Language::En, true) => format!(
            "Expected quorum: {expected} voting agencies confirmed of {required} required; it would be reached."
        ),
        (Language::En, false) => format!(
            "Expected quorum: {expected} voting agencies confirmed of {required} required; not reached yet."
        ),
    }
}

/// "vence 3 dic. 2026" / "due 3 Dec 2026", after an item's status.
pub fn due_on(language: Language, date: &str) -> String {
    match language {
        Language::Es => format!("vence {date}"),
        Language::En => format!("due {date}"),
    }
}

/// "cumplido el 3 dic. 2026" / "done on 3 Dec 2026", of a milestone.
pub fn done_on(language: Language, date: &str) -> String {
    match language {
        Language::Es => format!("cumplido el {date}"),
        Language::En => format!("done on {date}"),
    }
}

/// The opening of the e-mail that brings a password reset link.
pub fn reset_intro(language: Language, commission: &str) -> String {
    match language {
        Language::Es => format!(
            "La secretaría técnica de la {commission} le envía un enlace para elegir una \
             nueva contraseña para cmnp."
        ),
        Language::En => format!(
            "The technical secretariat of the {commission} sends you a link to choose a new \
             password for cmnp."
        ),
    }
}

/// How long a reset link works: "El enlace sirve una sola vez, durante 24 horas."
pub fn reset_validity(language: Language, hours: i64) -> String {
    match language {
        Language::Es => format!("El enlace sirve una sola vez, durante {hours} horas."),
        Language::En => format!("The link works once, for {hours} hours."),
    }
}

/// How an agreement was decided, in one sentence: "Adoptado por consenso, con quórum (4
/// presentes; 3 requeridos)." / "Votación por mayoría de presentes: 2 a favor, 1 en
/// contra, 0 abstenciones. Adoptado." and the English alike.
pub fn decision(language: Language, decision: &Decision) -> String {
    let adopted = decision.result == DecisionResult::Adopted;
    let (present, required) = (decision.quorum_present, decision.quorum_required);
    match (language, decision.method) {
        (Language::Es, DecisionMethod::Consensus) => format!(
            "Adoptado por consenso, con quórum ({present} presentes; {required} requeridos)."
        ),
        (Language::En, DecisionMethod::Consensus) => {
            format!("Adopted by consensus, with quorum ({present} present; {required} required).")
        }
        (Language::Es, DecisionMethod::Vote) => format!(
            "Votación {}: {} a favor, {} en contra, {} abstenciones, con quórum ({present} presentes; {required} requeridos). {}.",
            match decision.rule {
                Some(VoteRule::TwoThirdsOfPresent) => "por dos tercios de presentes",
                Some(VoteRule::Unanimity) => "por unanimidad",
                Some(VoteRule::MajorityOfPresent) | None => "por mayoría de presentes",
            },
            decision.votes_for,
            decision.votes_against,
            decision.abstentions,
            if adopted { "Adoptado" } else { "No adoptado" },
        ),
        (Language::En, DecisionMethod::Vote) => format!(
            "Vote {}: {} for, {} against, {} abstaining, with quorum ({present} present; {required} required). {}.",
            match decision.rule {
                Some(VoteRule::TwoThirdsOfPresent) => "by two thirds of those present",
                Some(VoteRule::Unanimity) => "by unanimity",
                Some(VoteRule::MajorityOfPresent) | None => "by majority of those present",
            },
            decision.votes_for,
            decision.votes_against,
            decision.abstentions,
            if adopted { "Adopted" } else { "Not adopted" },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greetings_name_the_reader_or_their_role() {
        assert_eq!(
            greeting(Language::Es, " Ana Quispe "),
            "Estimado/a Ana Quispe:"
        );
        assert_eq!(greeting(Language::En, "Ana Quispe"), "Dear Ana Quispe,");
        assert_eq!(greeting(Language::Es, ""), "Estimado/a representante:");
        assert_eq!(greeting(Language::En, "  "), "Dear representative,");
    }

    #[test]
    fn reminders_say_when_in_words() {
        assert_eq!(
            due_subject(Language::Es, "AI-2026-014", 1),
            "Acción AI-2026-014 vence mañana"
        );
        assert_eq!(
            due_subject(Language::En, "AI-2026-014", 7),
            "Action AI-2026-014 due in 7 days"
        );
        assert_eq!(
            reminder_subject(Language::Es, "Sesión Ordinaria N° 3-2026", -2),
            "Recordatorio: Sesión Ordinaria N° 3-2026 hoy"
        );
        assert_eq!(
            reminder_subject(Language::En, "Ordinary Session No. 3-2026", 0),
            "Reminder: Ordinary Session No. 3-2026 today"
        );
    }

    #[test]
    fn one_day_overdue_is_singular() {
        assert_eq!(
            overdue_since(Language::Es, "jueves 3 de diciembre de 2026", 1),
            "venció el jueves 3 de diciembre de 2026 (1 día de retraso)"
        );
        assert_eq!(
            overdue_since(Language::En, "Thursday 3 December 2026", 5),
            "due Thursday 3 December 2026 (5 days overdue)"
        );
    }

    #[test]
    fn the_quorum_is_open_until_the_session_is_held() {
        let short = Quorum {
            required: 8,
            present: 5,
            reached: false,
        };
        assert_eq!(
            quorum_standing(Language::Es, MeetingStatus::Scheduled, short),
            "Quórum: se requieren 8 entidades con voto; 5 registradas como presentes."
        );
        assert_eq!(
            quorum_standing(Language::En, MeetingStatus::Held, short),
            "No quorum: 5 present of 8 required."
        );
        let met = Quorum {
            present: 9,
            reached: true,
            ..short
        };
        assert_eq!(
            quorum_standing(Language::Es, MeetingStatus::Held, met),
            "Quórum alcanzado: 9 presentes de 8 requeridos."
        );
    }
}
