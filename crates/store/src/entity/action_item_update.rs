use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "action_item_updates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub action_item_id: Uuid,
    pub at: DateTimeUtc,
    pub author_user_id: Option<Uuid>,
    pub agency_id: Option<Uuid>,
    pub note: Option<String>,
    pub status_from: Option<String>,
    pub status_to: Option<String>,
    pub progress_percent: Option<i32>,
    pub evidence_url: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::row::by_position!(
    id,
    action_item_id,
    at,
    author_user_id,
    agency_id,
    note,
    status_from,
    status_to,
    progress_percent,
    evidence_url
);
