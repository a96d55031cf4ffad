//! Every sentence and label the e-mails use, in Spanish and English side by side, so that
//! a change of wording is made in one place for both languages.

use cmnp_domain::representative::Language;

use crate::MeetingNotice;

/// Fixed labels, one set per language.
pub(crate) struct Labels {
    pub session: &'static str,
    pub title: &'static str,
    pub starts: &'static str,
    pub ends: &'static str,
    pub location: &'static str,
    pub online: &'static str,
    pub reason: &'static str,
    pub agenda: &'static str,
    pub calendar_link: &'static str,
    pub action: &'static str,
    pub responsible: &'static str,
    pub due: &'static str,
    pub status: &'static str,
    pub progress: &'static str,
    pub item_link: &'static str,
    pub update_request: &'static str,
    pub digest_subject: &'static str,
    pub overdue_heading: &'static str,
    pub no_overdue: &'static str,
    pub upcoming_heading: &'static str,
    pub no_upcoming: &'static str,
    pub completed_heading: &'static str,
    pub no_completed: &'static str,
    pub unreachable_heading: &'static str,
    pub no_unreachable: &'static str,
    pub unreachable_entry: &'static str,
    pub mandates_heading: &'static str,
    pub no_mandates: &'static str,
}

const ES: Labels = Labels {
    session: "Sesión",
    title: "Tema",
    starts: "Inicio",
    ends: "Término",
    location: "Lugar",
    online: "Enlace en línea",
    reason: "Motivo",
    agenda: "Agenda",
    calendar_link: "Sesión en formato iCalendar",
    action: "Acción",
    responsible: "Entidad responsable",
    due: "Vence",
    status: "Estado",
    progress: "Avance",
    item_link: "Ver y actualizar en cmnp",
    update_request: "Por favor registre el avance o actualice el estado en cmnp.",
    digest_subject: "Resumen semanal de la Secretaría Técnica",
    overdue_heading: "Acciones vencidas por entidad",
    no_overdue: "No hay acciones vencidas.",
    upcoming_heading: "Próximas sesiones",
    no_upcoming: "No hay sesiones programadas.",
    completed_heading: "Acciones concluidas esta semana",
    no_completed: "Ninguna acción se concluyó esta semana.",
    unreachable_heading: "Entidades sin destinatario",
    no_unreachable: "Todas las entidades tienen a quién escribir.",
    unreachable_entry: "sin destinatario: no tiene representante vigente ni punto focal activo",
    mandates_heading: "Mandatos que vencen en los próximos 30 días",
    no_mandates: "Ningún mandato vence en los próximos 30 días.",
};

const EN: Labels = Labels {
    session: "Session",
    title: "Subject",
    starts: "Starts",
    ends: "Ends",
    location: "Venue",
    online: "Online link",
    reason: "Reason",
    agenda: "Agenda",
    calendar_link: "Session in iCalendar format",
    action: "Action",
    responsible: "Responsible agency",
    due: "Due",
    status: "Status",
    progress: "Progress",
    item_link: "View and update in cmnp",
    update_request: "Please record the progress or update the status in cmnp.",
    digest_subject: "Weekly secretariat digest",
    overdue_heading: "Overdue actions by agency",
    no_overdue: "There are no overdue actions.",
    upcoming_heading: "Upcoming sessions",
    no_upcoming: "No sessions are scheduled.",
    completed_heading: "Actions completed this week",
    no_completed: "No actions were completed this week.",
    unreachable_heading: "Agencies nobody can be written to",
    no_unreachable: "Every agency has someone to write to.",
    unreachable_entry: "no recipient: no current representative and no active focal point",
    mandates_heading: "Mandates ending within 30 days",
    no_mandates: "No mandate ends within the next 30 days.",
};

pub(crate) fn labels(language: Language) -> &'static Labels {
    match language {
        Language::Es => &ES,
        Language::En => &EN,
    }
}

pub(crate) fn greeting(language: Language, name: &str) -> String {
    let name = name.trim();
    match (language, name.is_empty()) {
        (Language::Es, false) => format!("Estimado/a {name}:"),
        (Language::Es, true) => "Estimado/a representante:".to_owned(),
        (Language::En, false) => format!("Dear {name},"),
        (Language::En, true) => "Dear representative,".to_owned(),
    }
}

pub(crate) fn automatic_notice(language: Language) -> &'static str {
    match language {
        Language::Es => {
            "Mensaje generado automáticamente por cmnp, el sistema de coordinación de la Comisión."
        }
        Language::En => {
            "This message was generated automatically by cmnp, the commission's coordination system."
        }
    }
}

/// "mañana" / "tomorrow", "en 7 días" / "in 7 days"; zero or fewer days read as today,
/// which is what a late sweep means when it catches up.
pub(crate) fn when(language: Language, days: i64) -> String {
    match (language, days) {
        (Language::Es, ..=0) => "hoy".to_owned(),
        (Language::Es, 1) => "mañana".to_owned(),
        (Language::Es, n) => format!("en {n} días"),
        (Language::En, ..=0) => "today".to_owned(),
        (Language::En, 1) => "tomorrow".to_owned(),
        (Language::En, n) => format!("in {n} days"),
    }
}

pub(crate) fn notice_subject(language: Language, notice: MeetingNotice) -> &'static str {
    match (language, notice) {
        (Language::Es, MeetingNotice::Invitation) => "Convocatoria",
        (Language::Es, MeetingNotice::Update) => "Actualización",
        (Language::Es, MeetingNotice::Cancellation) => "Cancelada",
        (Language::En, MeetingNotice::Invitation) => "Invitation",
        (Language::En, MeetingNotice::Update) => "Updated",
        (Language::En, MeetingNotice::Cancellation) => "Cancelled",
    }
}

pub(crate) fn notice_intro(language: Language, notice: MeetingNotice, commission: &str) -> String {
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

pub(crate) fn attachment_note(language: Language, notice: MeetingNotice) -> &'static str {
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

pub(crate) fn reminder_subject(language: Language, meeting: &str, days: i64) -> String {
    let when = when(language, days);
    match language {
        Language::Es => format!("Recordatorio: {meeting} {when}"),
        Language::En => format!("Reminder: {meeting} {when}"),
    }
}

pub(crate) fn reminder_intro(
    language: Language,
    label: &str,
    commission: &str,
    days: i64,
) -> String {
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

pub(crate) fn due_subject(language: Language, reference: &str, days: i64) -> String {
    let when = when(language, days);
    match language {
        Language::Es => format!("Acción {reference} vence {when}"),
        Language::En => format!("Action {reference} due {when}"),
    }
}

pub(crate) fn due_intro(language: Language, reference: &str, agency: &str, days: i64) -> String {
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

pub(crate) fn overdue_subject(language: Language, agency: &str, count: usize) -> String {
    match language {
        Language::Es => format!("Acciones vencidas de {agency} ({count})"),
        Language::En => format!("Overdue actions of {agency} ({count})"),
    }
}

pub(crate) fn overdue_intro(language: Language, agency: &str, count: usize) -> String {
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
pub(crate) fn overdue_since(language: Language, date: &str, days: i64) -> String {
    match (language, days) {
        (Language::Es, 1) => format!("venció el {date} (1 día de retraso)"),
        (Language::Es, n) => format!("venció el {date} ({n} días de retraso)"),
        (Language::En, 1) => format!("due {date} (1 day overdue)"),
        (Language::En, n) => format!("due {date} ({n} days overdue)"),
    }
}

pub(crate) fn digest_intro(language: Language, commission: &str) -> String {
    match language {
        Language::Es => format!("Este es el resumen semanal de la {commission}."),
        Language::En => format!("This is the weekly digest of the {commission}."),
    }
}
