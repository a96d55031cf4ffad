//! What reminder and digest planning reads: the sessions and items a reminder may be
//! about, the digests' item lines and the people they go to. The planning itself lives
//! above the store (`cmnp-notify`), which enqueues what it plans with
//! [`Store::enqueue`] under unique dedupe keys.

mod reasons;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use cmnp_domain::action_item::{ActionItem, ActionItemStatus, reference};
use cmnp_domain::meeting::{Meeting, MeetingStatus};
use cmnp_domain::outbox::{Addressees, FocalPoint, Recipient};
use cmnp_domain::representative::{Language, Representative};
use cmnp_domain::user::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entity::{action_item, agency, meeting, representative, user};
use crate::error::column;
use crate::{Store, StoreError};

pub(crate) use reasons::vanished;

/// An item as a digest lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemHeadline {
    pub id: Uuid,
    /// "AI-2026-014".
    pub reference: String,
    pub title: String,
    pub agency_id: Uuid,
    pub due_on: NaiveDate,
}

type ItemRow = (Uuid, i32, i32, String, Uuid, NaiveDate);

impl Store {
    /// Every agency's acronym, by id.
    pub async fn agency_acronyms(&self) -> Result<HashMap<Uuid, String>, StoreError> {
        Ok(agency::Entity::find()
            .select_only()
            .columns([agency::Column::Id, agency::Column::Acronym])
            .into_tuple::<(Uuid, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect())
    }

    /// Every representative of every agency, current or not, by address.
    pub async fn all_representatives(&self) -> Result<Vec<Representative>, StoreError> {
        representative::Entity::find()
            .order_by_asc(representative::Column::Email)
            .all(&self.db)
            .await?
            .into_iter()
            .map(crate::representatives::to_domain)
            .collect()
    }

    /// Every active focal point (AGENCY user) of every agency, by address.
    pub async fn focal_points(&self) -> Result<Vec<FocalPoint>, StoreError> {
        focal_points(&self.db, None).await
    }

    /// The active agencies that should hear from the commission (members, which are
    /// invited to its sessions, and agencies with pending action items) but have neither
    /// a representative current on `today` nor an active focal point: `(id, acronym)`,
    /// by acronym.
    pub async fn unreachable_agencies(
        &self,
        today: NaiveDate,
    ) -> Result<Vec<(Uuid, String)>, StoreError> {
        let addressees = Addressees::gather(
            &self.all_representatives().await?,
            &self.focal_points().await?,
            today,
        );
        self.out_of_reach(&addressees).await
    }

    /// [`Store::unreachable_agencies`] for addressees gathered already.
    pub async fn out_of_reach(
        &self,
        addressees: &Addressees,
    ) -> Result<Vec<(Uuid, String)>, StoreError> {
        let with_pending: HashSet<Uuid> = action_item::Entity::find()
            .select_only()
            .column(action_item::Column::ResponsibleAgencyId)
            .distinct()
            .filter(crate::action_items::pending())
            .into_tuple::<Uuid>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let mut unreachable: Vec<(Uuid, String)> = agency::Entity::find()
            .filter(agency::Column::Active.eq(true))
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|row| {
                let member = row
                    .membership
                    .parse::<cmnp_domain::agency::Membership>()
                    .is_ok_and(cmnp_domain::agency::Membership::is_member);
                (member || with_pending.contains(&row.id)) && !addressees.reach(row.id)
            })
            .map(|row| (row.id, row.acronym))
            .collect();
        unreachable.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(unreachable)
    }

    /// Scheduled sessions starting after `from` and up to `to`, soonest first.
    pub async fn sessions_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Meeting>, StoreError> {
        let select = meeting::Entity::find()
            .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled.as_str()))
            .filter(meeting::Column::StartsAt.gt(from))
            .filter(meeting::Column::StartsAt.lte(to))
            .order_by_asc(meeting::Column::StartsAt);
        crate::meetings::read(&self.db, select).await
    }

    /// Pending items due after `after` and up to `until`, soonest first.
    pub async fn items_due_between(
        &self,
        after: NaiveDate,
        until: NaiveDate,
    ) -> Result<Vec<ActionItem>, StoreError> {
        let select = action_item::Entity::find()
            .filter(crate::action_items::pending())
            .filter(action_item::Column::DueOn.gt(after))
            .filter(action_item::Column::DueOn.lte(until))
            .order_by_asc(action_item::Column::DueOn)
            .order_by_asc(action_item::Column::Id);
        crate::action_items::read(&self.db, select).await
    }

    /// Pending items due before `today`, oldest first.
    pub async fn overdue_headlines(
        &self,
        today: NaiveDate,
    ) -> Result<Vec<ItemHeadline>, StoreError> {
        Ok(headlines(
            item_columns()
                .filter(crate::action_items::pending())
                .filter(action_item::Column::DueOn.lt(today))
                .order_by_asc(action_item::Column::DueOn)
                .order_by_asc(action_item::Column::Id)
                .into_tuple()
                .all(&self.db)
                .await?,
        ))
    }

    /// Items completed during the seven days up to `today`, in the order they were.
    pub async fn completed_headlines(
        &self,
        today: NaiveDate,
    ) -> Result<Vec<ItemHeadline>, StoreError> {
        Ok(headlines(
            item_columns()
                .filter(action_item::Column::Status.eq(ActionItemStatus::Done.as_str()))
                .filter(action_item::Column::CompletedOn.gt(today - Duration::days(7)))
                .order_by_asc(action_item::Column::CompletedOn)
                .order_by_asc(action_item::Column::Id)
                .into_tuple()
                .all(&self.db)
                .await?,
        ))
    }

    /// The active secretariat users by id, in their own language, by address.
    pub async fn secretariat_recipients(&self) -> Result<Vec<(Uuid, Recipient)>, StoreError> {
        user::Entity::find()
            .filter(user::Column::Role.eq(Role::Secretariat.as_str()))
            .filter(user::Column::Active.eq(true))
            .order_by_asc(user::Column::Email)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                let language: Language = column(&row.locale, "users.locale")?;
                Ok((
                    row.id,
                    Recipient {
                        name: row.name,
                        email: row.email,
                        language,
                    },
                ))
            })
            .collect()
    }
}

fn headlines(rows: Vec<ItemRow>) -> Vec<ItemHeadline> {
    rows.into_iter()
        .map(
            |(id, year, number, title, agency_id, due_on)| ItemHeadline {
                id,
                reference: reference(year, number),
                title,
                agency_id,
                due_on,
            },
        )
        .collect()
}

/// Only the columns a digest shows.
fn item_columns() -> sea_orm::Select<action_item::Entity> {
    action_item::Entity::find().select_only().columns([
        action_item::Column::Id,
        action_item::Column::Year,
        action_item::Column::Number,
        action_item::Column::Title,
        action_item::Column::ResponsibleAgencyId,
        action_item::Column::DueOn,
    ])
}

/// The active focal points (AGENCY users) of `agencies`, or of every agency, by address.
pub(crate) async fn focal_points<C: ConnectionTrait>(
    db: &C,
    agencies: Option<&[Uuid]>,
) -> Result<Vec<FocalPoint>, StoreError> {
    let mut query = user::Entity::find()
        .filter(user::Column::Role.eq(Role::Agency.as_str()))
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::AgencyId.is_not_null());
    if let Some(agencies) = agencies {
        query = query.filter(user::Column::AgencyId.is_in(agencies.iter().copied()));
    }
    query
        .order_by_asc(user::Column::Email)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|row| {
            let agency_id = row.agency_id?;
            Some(
                column::<Language>(&row.locale, "users.locale").map(|language| FocalPoint {
                    agency_id,
                    to: Recipient {
                        name: row.name,
                        email: row.email,
                        language,
                    },
                }),
            )
        })
        .collect()
}
