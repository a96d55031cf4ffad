use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "action_items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub year: i32,
    pub number: i32,
    pub title: String,
    pub description: Option<String>,
    pub agreement_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub responsible_agency_id: Uuid,
    pub due_on: Date,
    pub status: String,
    pub progress_percent: i32,
    pub completed_on: Option<Date>,
    pub cancel_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::row::by_position!(
    id,
    year,
    number,
    title,
    description,
    agreement_id,
    project_id,
    responsible_agency_id,
    due_on,
    status,
    progress_percent,
    completed_on,
    cancel_reason,
    version,
    created_at,
    updated_at
);
