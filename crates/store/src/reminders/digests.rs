//! The digests: each agency's overdue items, and the secretariat's overview of overdue
//! items, upcoming sessions and the week's completed items. A digest is planned when its
//! schedule fired within the catch-up window, once per firing.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use cmnp_domain::action_item::{ActionItemStatus, reference};
use cmnp_domain::outbox::{EmailKind, ItemLine, Recipient, SecretariatDigest};
use cmnp_domain::reminder::{digest_catch_up, digest_occurrence};
use cmnp_domain::representative::Language;
use cmnp_domain::user::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::{Addressees, Candidate, Reason, ReminderRules};
use crate::entity::{action_item, user};
use crate::error::column;
use crate::{Store, StoreError};

/// How far ahead the secretariat digest lists sessions.
const UPCOMING_DAYS: i64 = 30;

/// The digests due at a moment, with their contents.
#[derive(Default)]
pub(super) struct Digests {
    overdue: Option<OverdueDigests>,
    secretariat: Option<SecretariatDigests>,
}

/// One firing of the overdue digest: each agency's overdue items.
struct OverdueDigests {
    occurrence: String,
    by_agency: Vec<(Uuid, Vec<ItemLine>)>,
}

/// One firing of the secretariat digest, and the users it goes to.
struct SecretariatDigests {
    occurrence: String,
    digest: SecretariatDigest,
    users: Vec<(Uuid, Recipient)>,
}

type ItemRow = (Uuid, i32, i32, String, Uuid, NaiveDate);

impl Digests {
    pub(super) async fn load(
        store: &Store,
        rules: &ReminderRules,
        now: DateTime<Utc>,
        today: NaiveDate,
        addressees: &Addressees,
        items_url: &str,
    ) -> Result<Self, StoreError> {
        let zone = rules.time_zone;
        let overdue_fired = rules.overdue_digest.latest(now, zone, digest_catch_up());
        let secretariat_fired = rules
            .secretariat_digest
            .latest(now, zone, digest_catch_up());
        if overdue_fired.is_none() && secretariat_fired.is_none() {
            return Ok(Self::default());
        }
        let line = |(_, year, number, title, agency_id, due_on): ItemRow| {
            let line = ItemLine {
                reference: reference(year, number),
                title,
                agency: addressees.acronym(agency_id).to_owned(),
                due_on,
                days_overdue: (today - due_on).num_days(),
                url: items_url.to_owned(),
            };
            (agency_id, line)
        };
        let mut grouped: HashMap<Uuid, Vec<ItemLine>> = HashMap::new();
        for (agency_id, item) in overdue_rows(store, today).await?.into_iter().map(line) {
            grouped.entry(agency_id).or_default().push(item);
        }
        let mut by_agency: Vec<(Uuid, Vec<ItemLine>)> = grouped.into_iter().collect();
        by_agency.sort_by(|a, b| addressees.acronym(a.0).cmp(addressees.acronym(b.0)));

        let secretariat = match secretariat_fired {
            None => None,
            Some(fired) => {
                let upcoming = store
                    .sessions_between(now, now + Duration::days(UPCOMING_DAYS))
                    .await?;
                let completed = completed_rows(store, today)
                    .await?
                    .into_iter()
                    .map(|row| line(row).1)
                    .collect();
                let digest = SecretariatDigest {
                    overdue_by_agency: by_agency
                        .iter()
                        .map(|(id, items)| (addressees.acronym(*id).to_owned(), items.clone()))
                        .collect(),
                    upcoming,
                    completed_this_week: completed,
                };
                Some(SecretariatDigests {
                    occurrence: digest_occurrence(fired, zone),
                    digest,
                    users: secretariat_users(store).await?,
                })
            }
        };
        Ok(Self {
            overdue: overdue_fired.map(|fired| OverdueDigests {
                occurrence: digest_occurrence(fired, zone),
                by_agency,
            }),
            secretariat,
        })
    }

    pub(super) fn candidates<'a>(
        &'a self,
        addressees: &'a Addressees,
        out: &mut Vec<Candidate<'a>>,
    ) {
        if let Some(OverdueDigests {
            occurrence,
            by_agency,
        }) = &self.overdue
        {
            for (agency_id, items) in by_agency {
                let acronym = addressees.acronym(*agency_id);
                for to in addressees.of(*agency_id) {
                    out.push(Candidate {
                        kind: EmailKind::OverdueDigest,
                        object_id: *agency_id,
                        occurrence: occurrence.clone(),
                        occurs_on: None,
                        to: to.clone(),
                        about: acronym.to_owned(),
                        reason: Reason::Overdue(acronym, items),
                    });
                }
            }
        }
        if let Some(SecretariatDigests {
            occurrence,
            digest,
            users,
        }) = &self.secretariat
        {
            for (user_id, to) in users {
                out.push(Candidate {
                    kind: EmailKind::SecretariatDigest,
                    object_id: *user_id,
                    occurrence: occurrence.clone(),
                    occurs_on: None,
                    to: to.clone(),
                    about: occurrence.clone(),
                    reason: Reason::Secretariat(digest),
                });
            }
        }
    }
}

/// Pending items due before `today`, oldest first: only the columns a digest shows.
async fn overdue_rows(store: &Store, today: NaiveDate) -> Result<Vec<ItemRow>, StoreError> {
    Ok(item_columns()
        .filter(crate::action_items::pending())
        .filter(action_item::Column::DueOn.lt(today))
        .order_by_asc(action_item::Column::DueOn)
        .order_by_asc(action_item::Column::Id)
        .into_tuple()
        .all(&store.db)
        .await?)
}

/// Items completed during the seven days up to `today`.
async fn completed_rows(store: &Store, today: NaiveDate) -> Result<Vec<ItemRow>, StoreError> {
    Ok(item_columns()
        .filter(action_item::Column::Status.eq(ActionItemStatus::Done.as_str()))
        .filter(action_item::Column::CompletedOn.gt(today - Duration::days(7)))
        .order_by_asc(action_item::Column::CompletedOn)
        .order_by_asc(action_item::Column::Id)
        .into_tuple()
        .all(&store.db)
        .await?)
}

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

/// The active secretariat users, in their own language.
async fn secretariat_users(store: &Store) -> Result<Vec<(Uuid, Recipient)>, StoreError> {
    user::Entity::find()
        .filter(user::Column::Role.eq(Role::Secretariat.as_str()))
        .filter(user::Column::Active.eq(true))
        .order_by_asc(user::Column::Email)
        .all(&store.db)
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
