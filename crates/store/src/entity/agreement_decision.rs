use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agreement_id: Uuid,
    pub method: String,
    pub rule: Option<String>,
    pub quorum_required: i32,
    pub quorum_present: i32,
    pub votes_for: i32,
    pub votes_against: i32,
    pub abstentions: i32,
    pub result: String,
    pub decided_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
