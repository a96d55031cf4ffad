use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "minutes_observations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub agency_id: Uuid,
    pub author_id: Uuid,
    pub text: String,
    pub submitted_at: DateTimeUtc,
    pub answer: Option<String>,
    pub reply: Option<String>,
    pub answered_by: Option<Uuid>,
    pub answered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::row::by_position!(
    id,
    meeting_id,
    agency_id,
    author_id,
    text,
    submitted_at,
    answer,
    reply,
    answered_by,
    answered_at
);
