//! The secretariat's own days off, and the working calendar they make with the national
//! holidays.

use chrono::{NaiveDate, Utc};
use cmnp_domain::audit::changes;
use cmnp_domain::policy::Actor;
use cmnp_domain::working_days::{SecretariatDayOff, WorkingCalendar};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, ModelTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::non_working_day;
use crate::{Store, StoreError};

impl Store {
    /// The working calendar: the national one with every day off the secretariat has
    /// declared. They are a handful a year, so all of them are read.
    pub async fn working_calendar(&self) -> Result<WorkingCalendar, StoreError> {
        let rows = non_working_day::Entity::find().all(&self.db).await?;
        let days = rows.iter().map(to_domain).collect::<Result<Vec<_>, _>>()?;
        Ok(WorkingCalendar::new(days)?)
    }

    /// The secretariat's days off from `from` to `to`, both included, by date.
    pub async fn secretariat_days_off(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SecretariatDayOff>, StoreError> {
        non_working_day::Entity::find()
            .filter(non_working_day::Column::Date.between(from, to))
            .order_by_asc(non_working_day::Column::Date)
            .all(&self.db)
            .await?
            .iter()
            .map(to_domain)
            .collect()
    }

    /// Declares a day off of the secretariat's own. A date declared already is refused
    /// under `date`, keeping the note it has.
    pub async fn add_non_working_day(
        &self,
        actor: &Actor,
        day: SecretariatDayOff,
    ) -> Result<SecretariatDayOff, StoreError> {
        let now = Utc::now();
        let id = Uuid::now_v7();
        let txn = self.write().await?;
        non_working_day::ActiveModel {
            id: Set(id),
            date: Set(day.date()),
            note: Set(day.note().to_owned()),
            created_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(|error| {
            StoreError::unique(
                error,
                "date",
                format!(
                    "{} is one of the secretariat's days off already",
                    day.date()
                ),
            )
        })?;
        audit::record(
            &txn,
            now,
            Entry {
                actor: Some(actor),
                action: "non_working_day.add",
                object_type: "non_working_day",
                object_id: id,
                changes: changes(None, Some(&day)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(day)
    }

    /// Takes back a day off of the secretariat's own; deadlines counted afterwards count
    /// it as a working day again, and those counted before keep their dates.
    pub async fn remove_non_working_day(
        &self,
        actor: &Actor,
        date: NaiveDate,
    ) -> Result<SecretariatDayOff, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let row = non_working_day::Entity::find()
            .filter(non_working_day::Column::Date.eq(date))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("non-working day"))?;
        let id = row.id;
        let day = to_domain(&row)?;
        row.delete(&txn).await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor: Some(actor),
                action: "non_working_day.remove",
                object_type: "non_working_day",
                object_id: id,
                changes: changes(Some(&day), None),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(day)
    }
}

fn to_domain(row: &non_working_day::Model) -> Result<SecretariatDayOff, StoreError> {
    SecretariatDayOff::new(row.date, &row.note).map_err(|error| {
        StoreError::Internal(format!("unreadable non-working day {}: {error}", row.date))
    })
}
