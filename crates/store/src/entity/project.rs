use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "projects")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub iati_identifier: String,
    pub reporting_agency_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub status: String,
    pub currency: String,
    pub planned_start: Option<Date>,
    pub planned_end: Option<Date>,
    pub actual_start: Option<Date>,
    pub actual_end: Option<Date>,
    pub regions: Json,
    pub sectors: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::row::by_position!(
    id,
    iati_identifier,
    reporting_agency_id,
    title,
    description,
    status,
    currency,
    planned_start,
    planned_end,
    actual_start,
    actual_end,
    regions,
    sectors,
    created_at,
    updated_at,
    version
);
