//! The object types the API can address by id alone (Relay's `node(id:)`).

use crate::enums::string_enum;

string_enum! {
    /// An object type that has an id of its own. (An `Author`'s id is its user's: `node`
    /// answers it as the `User`.)
    NodeKind, "kind" {
        ActionItem => "ACTION_ITEM",
        Agency => "AGENCY",
        AgendaItem => "AGENDA_ITEM",
        Agreement => "AGREEMENT",
        ApiToken => "API_TOKEN",
        AuditEvent => "AUDIT_EVENT",
        BudgetLine => "BUDGET_LINE",
        EmailDelivery => "EMAIL_DELIVERY",
        Indicator => "INDICATOR",
        Meeting => "MEETING",
        Milestone => "MILESTONE",
        Observation => "OBSERVATION",
        Project => "PROJECT",
        ProjectResult => "PROJECT_RESULT",
        Representative => "REPRESENTATIVE",
        Transaction => "TRANSACTION",
        User => "USER",
    }
}
