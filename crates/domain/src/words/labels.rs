//! Short texts: headings, column headers, field names, links and buttons.

use super::{Named, pick};
use crate::representative::Language;

/// A short text of the pages or the e-mails. Where a page and an e-mail say the same
/// thing in the same words they share one label; where their wordings differ, each has
/// its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    // The pages and the e-mails both say these, in the same words.
    Status,
    Session,
    Agenda,
    Due,
    Progress,
    UpcomingSessions,
    UnreachableAgencies,
    // These belong to the pages' layout and the sign-in form.
    SkipToContent,
    CommissionStatus,
    /// The name of the main navigation, read by screen readers.
    MainNavigation,
    Overview,
    MyAgency,
    SignOut,
    GraphqlQuery,
    NotFound,
    NoAccess,
    BackToOverview,
    SignIn,
    Email,
    Password,
    /// The sign-in form's button.
    Enter,
    // These belong to the form that sets a new password from a reset link, and its e-mail.
    ChooseNewPassword,
    NewPassword,
    SavePassword,
    // These head the overview and the table of action items.
    CommissionOverview,
    OverdueItemsByAgency,
    Agency,
    /// How many items are overdue, as a column and a bar.
    Overdue,
    CompletionByMonth,
    Month,
    /// How many of a month's items were done.
    Done,
    /// How many items fell due in a month.
    FallingDue,
    Projects,
    Project,
    IatiIdentifier,
    Reference,
    Commitment,
    /// Beside the due date of an overdue item.
    OverdueMark,
    // These belong to a project's page.
    FundedBy,
    ImplementedBy,
    PlannedPeriod,
    LinkedCommitments,
    IndicatorsAgainstTargets,
    Indicator,
    Baseline,
    Target,
    Actual,
    Achieved,
    BudgetExecution,
    Budget,
    Committed,
    Disbursed,
    Spent,
    TimeElapsed,
    Milestones,
    /// A milestone past its date and not done.
    Late,
    /// A milestone not yet due.
    Pending,
    LatestReport,
    Risks,
    // These belong to an agency's and a session's pages.
    ItemsByStatus,
    ItsActionItems,
    AttendanceAtSessions,
    Date,
    Attendance,
    NotRecorded,
    /// Where a session takes place, on its page.
    Place,
    AttendanceAndQuorum,
    Agreements,
    // These belong to the minutes and their observations, on a session's page.
    Minutes,
    ObservationsUntil,
    Observations,
    SecretariatReply,
    // Only the e-mails say these.
    /// The title of a session or an action item.
    Topic,
    Starts,
    Ends,
    /// Where a session takes place, in its e-mails.
    Venue,
    OnlineLink,
    Reason,
    SessionCalendar,
    Action,
    ResponsibleAgency,
    ViewAndUpdate,
    WeeklyDigest,
    OverdueActionsByAgency,
    CompletedThisWeek,
    MandatesEnding,
    // These belong to invitees' answers: the e-mail's links, the answer page and the
    // session's expected attendance.
    YourAnswer,
    ConfirmAnswer,
    ExpectedAttendance,
    ExpectedQuorum,
    Representatives,
    // The session page's links to the acta as PDF.
    ActaPdf,
    DraftActaPdf,
}

impl Label {
    pub const ALL: &'static [Label] = &[
        Label::Status,
        Label::Session,
        Label::Agenda,
        Label::Due,
        Label::Progress,
        Label::UpcomingSessions,
        Label::UnreachableAgencies,
        Label::SkipToContent,
        Label::CommissionStatus,
        Label::MainNavigation,
        Label::Overview,
        Label::MyAgency,
        Label::SignOut,
        Label::GraphqlQuery,
        Label::NotFound,
        Label::NoAccess,
        Label::BackToOverview,
        Label::SignIn,
        Label::Email,
        Label::Password,
        Label::Enter,
        Label::ChooseNewPassword,
        Label::NewPassword,
        Label::SavePassword,
        Label::CommissionOverview,
        Label::OverdueItemsByAgency,
        Label::Agency,
        Label::Overdue,
        Label::CompletionByMonth,
        Label::Month,
        Label::Done,
        Label::FallingDue,
        Label::Projects,
        Label::Project,
        Label::IatiIdentifier,
        Label::Reference,
        Label::Commitment,
        Label::OverdueMark,
        Label::FundedBy,
        Label::ImplementedBy,
        Label::PlannedPeriod,
        Label::LinkedCommitments,
        Label::IndicatorsAgainstTargets,
        Label::Indicator,
        Label::Baseline,
        Label::Target,
        Label::Actual,
        Label::Achieved,
        Label::BudgetExecution,
        Label::Budget,
        Label::Committed,
        Label::Disbursed,
        Label::Spent,
        Label::TimeElapsed,
        Label::Milestones,
        Label::Late,
        Label::Pending,
        Label::LatestReport,
        Label::Risks,
        Label::ItemsByStatus,
        Label::ItsActionItems,
        Label::AttendanceAtSessions,
        Label::Date,
        Label::Attendance,
        Label::NotRecorded,
        Label::Place,
        Label::AttendanceAndQuorum,
        Label::Agreements,
        Label::Minutes,
        Label::ObservationsUntil,
        Label::Observations,
        Label::SecretariatReply,
        Label::Topic,
        Label::Starts,
        Label::Ends,
        Label::Venue,
        Label::OnlineLink,
        Label::Reason,
        Label::SessionCalendar,
        Label::Action,
        Label::ResponsibleAgency,
        Label::ViewAndUpdate,
        Label::WeeklyDigest,
        Label::OverdueActionsByAgency,
        Label::CompletedThisWeek,
        Label::MandatesEnding,
        Label::YourAnswer,
        Label::ConfirmAnswer,
        Label::ExpectedAttendance,
        Label::ExpectedQuorum,
        Label::Representatives,
        Label::ActaPdf,
        Label::DraftActaPdf,
    ];
}

impl Named for Label {
    fn name(self, language: Language) -> &'static str {
        let (es, en) = match self {
            Label::Status => ("Estado", "Status"),
            Label::Session => ("Sesión", "Session"),
            Label::Agenda => ("Agenda", "Agenda"),
            Label::Due => ("Vence", "Due"),
            Label::Progress => ("Avance", "Progress"),
            Label::UpcomingSessions => ("Próximas sesiones", "Upcoming sessions"),
            Label::UnreachableAgencies => (
                "Entidades sin destinatario",
                "Agencies nobody can be written to",
            ),
            Label::SkipToContent => ("Saltar al contenido", "Skip to content"),
            Label::CommissionStatus => ("Estado de la Comisión", "Commission status"),
            Label::MainNavigation => ("Principal", "Main"),
            Label::Overview => ("Resumen", "Overview"),
            Label::MyAgency => ("Mi entidad", "My agency"),
            Label::SignOut => ("Cerrar sesión", "Sign out"),
            Label::GraphqlQuery => (
                "La consulta GraphQL de esta página",
                "The GraphQL query behind this page",
            ),
            Label::NotFound => ("No encontrado", "Not found"),
            Label::NoAccess => ("Sin acceso", "No access"),
            Label::BackToOverview => ("Volver al resumen", "Back to the overview"),
            Label::SignIn => ("Iniciar sesión", "Sign in"),
            Label::Email => ("Correo electrónico", "E-mail"),
            Label::Password => ("Contraseña", "Password"),
            Label::ChooseNewPassword => ("Elegir una nueva contraseña", "Choose a new password"),
            Label::NewPassword => ("Nueva contraseña", "New password"),
            Label::SavePassword => ("Guardar la contraseña", "Save the password"),
            Label::Enter => ("Ingresar", "Sign in"),
            Label::CommissionOverview => ("Resumen de la Comisión", "Commission overview"),
            Label::OverdueItemsByAgency => (
                "Acciones vencidas por entidad",
                "Overdue action items by agency",
            ),
            Label::Agency => ("Entidad", "Agency"),
            Label::Overdue => ("Vencidas", "Overdue"),
            Label::CompletionByMonth => ("Cumplimiento mes a mes", "Completion month by month"),
            Label::Month => ("Mes", "Month"),
            Label::Done => ("Cumplidas", "Done"),
            Label::FallingDue => ("Con vencimiento", "Due"),
            Label::Projects => ("Proyectos", "Projects"),
            Label::Project => ("Proyecto", "Project"),
            Label::IatiIdentifier => ("Identificador IATI", "IATI identifier"),
            Label::Reference => ("Referencia", "Reference"),
            Label::Commitment => ("Compromiso", "Commitment"),
            Label::OverdueMark => ("(vencida)", "(overdue)"),
            Label::FundedBy => ("Financia", "Funded by"),
            Label::ImplementedBy => ("Ejecuta", "Implemented by"),
            Label::PlannedPeriod => ("Periodo previsto", "Planned period"),
            Label::LinkedCommitments => ("Compromisos vinculados", "Linked commitments"),
            Label::IndicatorsAgainstTargets => (
                "Indicadores frente a sus metas",
                "Indicators against their targets",
            ),
            Label::Indicator => ("Indicador", "Indicator"),
            Label::Baseline => ("Línea de base", "Baseline"),
            Label::Target => ("Meta", "Target"),
            Label::Actual => ("Logrado", "Actual"),
            Label::Achieved => ("Avance", "Achieved"),
            Label::BudgetExecution => ("Ejecución del presupuesto", "Budget execution"),
            Label::Budget => ("Presupuesto", "Budget"),
            Label::Committed => ("Comprometido", "Committed"),
            Label::Disbursed => ("Desembolsado", "Disbursed"),
            Label::Spent => ("Gastado", "Spent"),
            Label::TimeElapsed => ("Tiempo transcurrido", "Time elapsed"),
            Label::Milestones => ("Hitos", "Milestones"),
            Label::Late => ("atrasado", "late"),
            Label::Pending => ("pendiente", "pending"),
            Label::LatestReport => ("Último informe", "Latest report"),
            Label::Risks => ("Riesgos:", "Risks:"),
            Label::ItemsByStatus => ("Acciones por estado", "Action items by status"),
            Label::ItsActionItems => ("Acciones a su cargo", "Its action items"),
            Label::AttendanceAtSessions => ("Asistencia a las sesiones", "Attendance at sessions"),
            Label::Date => ("Fecha", "Date"),
            Label::Attendance => ("Asistencia", "Attendance"),
            Label::NotRecorded => ("Sin registro", "Not recorded"),
            Label::Place => ("Lugar", "Place"),
            Label::AttendanceAndQuorum => ("Asistencia y quórum", "Attendance and quorum"),
            Label::Agreements => ("Acuerdos", "Agreements"),
            Label::Minutes => ("Acta", "Minutes"),
            Label::ObservationsUntil => ("Observaciones hasta", "Observations until"),
            Label::Observations => ("Observaciones al acta", "Observations on the minutes"),
            Label::SecretariatReply => ("Respuesta de la Secretaría", "The secretariat's reply"),
            Label::Topic => ("Tema", "Subject"),
            Label::Starts => ("Inicio", "Starts"),
            Label::Ends => ("Término", "Ends"),
            Label::Venue => ("Lugar", "Venue"),
            Label::OnlineLink => ("Enlace en línea", "Online link"),
            Label::Reason => ("Motivo", "Reason"),
            Label::SessionCalendar => {
                ("Sesión en formato iCalendar", "Session in iCalendar format")
            }
            Label::Action => ("Acción", "Action"),
            Label::ResponsibleAgency => ("Entidad responsable", "Responsible agency"),
            Label::ViewAndUpdate => ("Ver y actualizar en cmnp", "View and update in cmnp"),
            Label::WeeklyDigest => (
                "Resumen semanal de la Secretaría Técnica",
                "Weekly secretariat digest",
            ),
            Label::OverdueActionsByAgency => {
                ("Acciones vencidas por entidad", "Overdue actions by agency")
            }
            Label::CompletedThisWeek => (
                "Acciones concluidas esta semana",
                "Actions completed this week",
            ),
            Label::MandatesEnding => (
                "Mandatos que vencen en los próximos 30 días",
                "Mandates ending within 30 days",
            ),
            Label::YourAnswer => ("Su respuesta", "Your answer"),
            Label::ConfirmAnswer => ("Confirmar respuesta", "Confirm answer"),
            Label::ExpectedAttendance => ("Asistencia prevista", "Expected attendance"),
            Label::ExpectedQuorum => ("Quórum previsto", "Expected quorum"),
            Label::Representatives => ("Representantes", "Representatives"),
            Label::ActaPdf => ("Acta (PDF)", "Minutes (PDF)"),
            Label::DraftActaPdf => ("Proyecto de acta (PDF)", "Draft minutes (PDF)"),
        };
        pick(language, es, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::tests::each_has_its_own_texts;

    #[test]
    fn every_label_has_its_own_texts_in_both_languages() {
        each_has_its_own_texts(Label::ALL);
        assert_eq!(Label::Due.name(Language::Es), "Vence");
        assert_eq!(Label::Due.name(Language::En), "Due");
    }
}
