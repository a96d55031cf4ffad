use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting_series")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    pub rule: String,
    pub time_zone: String,
    pub starts_at: DateTimeUtc,
    pub duration_minutes: i32,
    /// The `EXDATE` days, `YYYY-MM-DD` separated by commas.
    pub except_on: String,
    pub location: Option<String>,
    pub online_url: Option<String>,
    /// A JSON array of agency ids; null invites the members of the day.
    pub invited_agency_ids: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
