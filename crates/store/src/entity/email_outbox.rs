use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "email_outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub dedupe_key: String,
    pub kind: String,
    pub status: String,
    pub recipient: String,
    pub recipient_name: String,
    pub language: String,
    pub object_id: Option<Uuid>,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub calendar_method: Option<String>,
    pub calendar_ics: Option<String>,
    pub message_id: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub locked_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// The date a reminder is about, to check before sending that it still applies.
    pub occurs_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::row::by_position!(
    id,
    dedupe_key,
    kind,
    status,
    recipient,
    recipient_name,
    language,
    object_id,
    subject,
    body_text,
    body_html,
    calendar_method,
    calendar_ics,
    message_id,
    attempts,
    next_attempt_at,
    locked_until,
    last_error,
    created_at,
    sent_at,
    occurs_on
);
