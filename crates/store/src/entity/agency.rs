use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "agencies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub acronym: String,
    pub name: String,
    pub name_en: Option<String>,
    pub kind: String,
    pub membership: String,
    pub votes: bool,
    pub iati_ref: Option<String>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::row::by_position!(
    id, acronym, name, name_en, kind, membership, votes, iati_ref, active, created_at, updated_at
);
