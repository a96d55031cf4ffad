use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub year: i32,
    pub number: i32,
    pub title: String,
    pub status: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub time_zone: String,
    pub location: Option<String>,
    pub online_url: Option<String>,
    pub sequence: i32,
    pub cancel_reason: Option<String>,
    pub quorum_required: Option<i32>,
    pub quorum_present: Option<i32>,
    pub quorum_reached: Option<bool>,
    pub held_at: Option<DateTimeUtc>,
    pub minutes_text: Option<String>,
    pub minutes_status: Option<String>,
    pub minutes_circulated_at: Option<DateTimeUtc>,
    pub minutes_approved_at_meeting_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    pub series_id: Option<Uuid>,
    pub recurrence_id: Option<DateTimeUtc>,
    pub minutes_observations_until: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::meeting_invitation::Entity")]
    Invitation,
}

impl Related<super::meeting_invitation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Invitation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}

crate::row::by_position!(
    id,
    kind,
    year,
    number,
    title,
    status,
    starts_at,
    ends_at,
    time_zone,
    location,
    online_url,
    sequence,
    cancel_reason,
    quorum_required,
    quorum_present,
    quorum_reached,
    held_at,
    minutes_text,
    minutes_status,
    minutes_circulated_at,
    minutes_approved_at_meeting_id,
    created_at,
    updated_at,
    version,
    series_id,
    recurrence_id,
    minutes_observations_until
);
