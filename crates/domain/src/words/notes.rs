//! Whole sentences without values: what an empty section says, what a chart shows, why
//! a page or a form gave up, and the fixed lines of the e-mails.

use super::{Named, pick};
use crate::representative::Language;

/// A fixed sentence of the pages or the e-mails. As with [`super::Label`], a page and an
/// e-mail share a note only where they say the same thing in the same words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Note {
    // The pages and the e-mails both say this, in the same words.
    EveryAgencyReachable,
    // These explain the pages' layout, their errors and the sign-in form.
    GraphqlExplained,
    NotFound,
    NoAccess,
    PageFailed,
    FormExpired,
    BadCredentials,
    SignInIntro,
    ResetIntro,
    PasswordChanged,
    ResetLinkInvalid,
    PasswordRefused,
    // These are what the pages' sections and charts say.
    /// An empty list or table.
    NoneListed,
    NoSessionsConvened,
    NoItemOverdue,
    UnreachableExplained,
    CompletionExplained,
    NoIndicators,
    IndicatorsExplained,
    MixedCurrencies,
    BudgetExplained,
    NoMilestones,
    MilestonesExplained,
    NoReportYet,
    NoHeldSession,
    NoAgendaItems,
    NoAgreement,
    NoObservation,
    AwaitingReply,
    // Only the e-mails say these.
    AutomaticMessage,
    UpdateRequest,
    ResetNotAsked,
    NoOverdueActions,
    NoSessionsScheduled,
    NoneCompleted,
    /// Why an agency in the digest cannot be written to, after its name.
    NoRecipient,
    NoMandatesEnding,
    // These belong to invitees' answers: the e-mail's links and the answer page.
    AnswerByLink,
    ConfirmByButton,
    AnswerRecorded,
    AnswerChanged,
    AnswerAlreadyRecorded,
    AnswerLinkInvalid,
    AnswersClosed,
    SessionWasCancelled,
}

impl Note {
    pub const ALL: &'static [Note] = &[
        Note::EveryAgencyReachable,
        Note::GraphqlExplained,
        Note::NotFound,
        Note::NoAccess,
        Note::PageFailed,
        Note::FormExpired,
        Note::BadCredentials,
        Note::SignInIntro,
        Note::ResetIntro,
        Note::PasswordChanged,
        Note::ResetLinkInvalid,
        Note::PasswordRefused,
        Note::NoneListed,
        Note::NoSessionsConvened,
        Note::NoItemOverdue,
        Note::UnreachableExplained,
        Note::CompletionExplained,
        Note::NoIndicators,
        Note::IndicatorsExplained,
        Note::MixedCurrencies,
        Note::BudgetExplained,
        Note::NoMilestones,
        Note::MilestonesExplained,
        Note::NoReportYet,
        Note::NoHeldSession,
        Note::NoAgendaItems,
        Note::NoAgreement,
        Note::NoObservation,
        Note::AwaitingReply,
        Note::AutomaticMessage,
        Note::UpdateRequest,
        Note::ResetNotAsked,
        Note::NoOverdueActions,
        Note::NoSessionsScheduled,
        Note::NoneCompleted,
        Note::NoRecipient,
        Note::NoMandatesEnding,
        Note::AnswerByLink,
        Note::ConfirmByButton,
        Note::AnswerRecorded,
        Note::AnswerChanged,
        Note::AnswerAlreadyRecorded,
        Note::AnswerLinkInvalid,
        Note::AnswersClosed,
        Note::SessionWasCancelled,
    ];
}

impl Named for Note {
    fn name(self, language: Language) -> &'static str {
        let (es, en) = match self {
            Note::EveryAgencyReachable => (
                "Todas las entidades tienen a quién escribir.",
                "Every agency has someone to write to.",
            ),
            Note::GraphqlExplained => (
                "POST /graphql con un token de la persona usuaria devuelve los mismos datos:",
                "POST /graphql with the user's token returns the same data:",
            ),
            Note::NotFound => (
                "Esta página no existe o no está a su alcance.",
                "This page does not exist or is not within your reach.",
            ),
            Note::NoAccess => (
                "Su cuenta no da acceso a esta página.",
                "Your account does not give access to this page.",
            ),
            Note::PageFailed => (
                "El servicio no pudo mostrar esta página. Inténtelo de nuevo más tarde.",
                "The service could not show this page. Please try again later.",
            ),
            Note::FormExpired => (
                "El formulario caducó. Vuelva a intentarlo.",
                "The form expired. Please try again.",
            ),
            Note::BadCredentials => (
                "El correo o la contraseña no son correctos.",
                "The e-mail or the password is not right.",
            ),
            Note::SignInIntro => (
                "Ingrese con su cuenta de cmnp: la misma que usa con la API.",
                "Sign in with your cmnp account: the same one you use with the API.",
            ),
            Note::NoneListed => ("Ninguno.", "None."),
            Note::NoSessionsConvened => {
                ("No hay sesiones convocadas.", "No sessions are scheduled.")
            }
            Note::NoItemOverdue => ("Ninguna acción está vencida.", "No action item is overdue."),
            Note::UnreachableExplained => (
                "No tienen representante vigente ni punto focal activo, y no reciben invitaciones ni recordatorios:",
                "They have no current representative and no active focal point, and receive no invitations or reminders:",
            ),
            Note::CompletionExplained => (
                "Porcentaje de las acciones con vencimiento en cada uno de los últimos doce meses que se cumplieron (sin contar las canceladas).",
                "Share of the action items due in each of the last twelve months that were done (cancelled ones not counted).",
            ),
            Note::NoIndicators => ("Sin indicadores.", "No indicators."),
            Note::IndicatorsExplained => (
                "Avance de cada indicador desde su línea de base hacia su meta.",
                "Progress of each indicator from its baseline towards its target.",
            ),
            Note::MixedCurrencies => (
                "Hay montos en otra moneda: no se suman.",
                "Some amounts are in another currency: they are not added up.",
            ),
            Note::BudgetExplained => (
                "Desembolsado y gastado como parte del presupuesto, frente a la parte del periodo previsto que ya transcurrió.",
                "Disbursed and spent as shares of the budget, against the share of the planned period already elapsed.",
            ),
            Note::NoMilestones => ("Sin hitos.", "No milestones."),
            Note::MilestonesExplained => (
                "Hitos entre el inicio y el fin previstos; la línea vertical marca hoy.",
                "Milestones between the planned start and end; the vertical line marks today.",
            ),
            Note::NoReportYet => ("Aún no hay informes.", "No report yet."),
            Note::NoHeldSession => (
                "Ninguna sesión realizada a la vista.",
                "No held session in view.",
            ),
            Note::NoAgendaItems => ("Sin puntos de agenda.", "No agenda items."),
            Note::NoAgreement => ("Ningún acuerdo adoptado.", "No agreement adopted."),
            Note::NoObservation => (
                "Ninguna observación al acta.",
                "No observation on the minutes.",
            ),
            Note::AwaitingReply => (
                "Pendiente de respuesta de la Secretaría.",
                "Awaiting the secretariat's reply.",
            ),
            Note::AutomaticMessage => (
                "Mensaje generado automáticamente por cmnp, el sistema de coordinación de la Comisión.",
                "This message was generated automatically by cmnp, the commission's coordination system.",
            ),
            Note::UpdateRequest => (
                "Por favor registre el avance o actualice el estado en cmnp.",
                "Please record the progress or update the status in cmnp.",
            ),
            Note::ResetIntro => (
                "Escriba su nueva contraseña, de al menos 10 caracteres. Al guardarla se \
                 cerrarán todas sus sesiones abiertas.",
                "Type your new password, at least 10 characters long. Saving it ends every \
                 session you have open.",
            ),
            Note::PasswordChanged => (
                "Su contraseña fue cambiada y sus demás sesiones se cerraron. Ya puede \
                 iniciar sesión con ella.",
                "Your password was changed and your other sessions were ended. You can sign \
                 in with it now.",
            ),
            Note::ResetLinkInvalid => (
                "Este enlace ya no sirve: se usó, caducó o fue reemplazado por otro. Pida \
                 uno nuevo a la secretaría técnica.",
                "This link no longer works: it was used, it expired or a newer one replaced \
                 it. Ask the technical secretariat for a new one.",
            ),
            Note::PasswordRefused => (
                "La contraseña debe tener al menos 10 caracteres (y no más de 1024 bytes).",
                "The password must have at least 10 characters (and at most 1024 bytes).",
            ),
            Note::ResetNotAsked => (
                "Si usted no esperaba este mensaje, ignórelo: su contraseña actual sigue \
                 valiendo.",
                "If you did not expect this message, ignore it: your current password keeps \
                 working.",
            ),
            Note::NoOverdueActions => {
                ("No hay acciones vencidas.", "There are no overdue actions.")
            }
            Note::NoSessionsScheduled => {
                ("No hay sesiones programadas.", "No sessions are scheduled.")
            }
            Note::NoneCompleted => (
                "Ninguna acción se concluyó esta semana.",
                "No actions were completed this week.",
            ),
            Note::NoRecipient => (
                "sin destinatario: no tiene representante vigente ni punto focal activo",
                "no recipient: no current representative and no active focal point",
            ),
            Note::NoMandatesEnding => (
                "Ningún mandato vence en los próximos 30 días.",
                "No mandate ends within the next 30 days.",
            ),
            Note::AnswerByLink => (
                "Responda con un enlace, sin iniciar sesión; puede cambiar su respuesta hasta que empiece la sesión:",
                "Answer with a link, without signing in; you can change your answer until the session starts:",
            ),
            Note::ConfirmByButton => (
                "Confirme su respuesta con el botón.",
                "Confirm your answer with the button.",
            ),
            Note::AnswerRecorded => (
                "Su respuesta quedó registrada.",
                "Your answer was recorded.",
            ),
            Note::AnswerChanged => (
                "Su respuesta cambió y quedó registrada.",
                "Your answer was changed and recorded.",
            ),
            Note::AnswerAlreadyRecorded => (
                "Esta respuesta ya estaba registrada; no se registró nada nuevo.",
                "This answer was already recorded; nothing new was recorded.",
            ),
            Note::AnswerLinkInvalid => (
                "Este enlace de respuesta no es válido.",
                "This answer link is not valid.",
            ),
            Note::AnswersClosed => (
                "La sesión ya empezó: este enlace venció y ya no se registran respuestas.",
                "The session has started: this link has expired and answers are no longer taken.",
            ),
            Note::SessionWasCancelled => (
                "La sesión fue cancelada: ya no se registran respuestas.",
                "The session was cancelled: answers are no longer taken.",
            ),
        };
        pick(language, es, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::tests::each_has_its_own_texts;

    #[test]
    fn every_note_has_its_own_texts_in_both_languages() {
        each_has_its_own_texts(Note::ALL);
        assert_eq!(
            Note::EveryAgencyReachable.name(Language::En),
            "Every agency has someone to write to."
        );
    }
}
