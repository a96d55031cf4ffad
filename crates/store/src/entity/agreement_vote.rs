use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_votes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agreement_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub agency_id: Uuid,
    pub choice: String,
    pub voter_kind: String,
    pub voter_name: Option<String>,
    pub designation_ref: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
