//! The digests: each agency's overdue items, and the secretariat's overview of overdue
//! items, upcoming sessions and the week's completed items. A digest is planned when its
//! schedule fired within the catch-up window, once per firing.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use cmnp_domain::outbox::{EmailKind, ItemLine, Recipient, SecretariatDigest};
use cmnp_domain::reminder::{digest_catch_up, digest_occurrence};
use cmnp_store::{ItemHeadline, Store, StoreError};
use uuid::Uuid;

use crate::{Addressees, Candidate, Reason, ReminderRules};

/// How far ahead the secretariat digest lists sessions.
const UPCOMING_DAYS: i64 = 30;

/// The digests due at a moment, with their contents.
#[derive(Default)]
pub(crate) struct Digests {
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

impl Digests {
    pub(crate) async fn load(
        store: &Store,
        rules: &ReminderRules,
        now: DateTime<Utc>,
        today: NaiveDate,
        addressees: &Addressees,
        items_url: &str,
        unreachable: &[String],
    ) -> Result<Self, StoreError> {
        let zone = rules.time_zone;
        let overdue_fired = rules.overdue_digest.latest(now, zone, digest_catch_up());
        let secretariat_fired = rules
            .secretariat_digest
            .latest(now, zone, digest_catch_up());
        if overdue_fired.is_none() && secretariat_fired.is_none() {
            return Ok(Self::default());
        }
        let line = |item: ItemHeadline| ItemLine {
            agency: addressees.acronym(item.agency_id).to_owned(),
            days_overdue: (today - item.due_on).num_days(),
            reference: item.reference,
            title: item.title,
            due_on: item.due_on,
            url: items_url.to_owned(),
        };
        let mut grouped: HashMap<Uuid, Vec<ItemLine>> = HashMap::new();
        for item in store.overdue_headlines(today).await? {
            grouped.entry(item.agency_id).or_default().push(line(item));
        }
        let mut by_agency: Vec<(Uuid, Vec<ItemLine>)> = grouped.into_iter().collect();
        by_agency.sort_by(|a, b| addressees.acronym(a.0).cmp(addressees.acronym(b.0)));

        let secretariat = match secretariat_fired {
            None => None,
            Some(fired) => {
                let upcoming = store
                    .sessions_between(now, now + Duration::days(UPCOMING_DAYS))
                    .await?;
                let completed = store
                    .completed_headlines(today)
                    .await?
                    .into_iter()
                    .map(line)
                    .collect();
                let digest = SecretariatDigest {
                    overdue_by_agency: by_agency
                        .iter()
                        .map(|(id, items)| (addressees.acronym(*id).to_owned(), items.clone()))
                        .collect(),
                    upcoming,
                    completed_this_week: completed,
                    unreachable: unreachable.to_vec(),
                    mandates_ending: addressees.mandates_ending().to_vec(),
                };
                Some(SecretariatDigests {
                    occurrence: digest_occurrence(fired, zone),
                    digest,
                    users: store.secretariat_recipients().await?,
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

    pub(crate) fn candidates<'a>(
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
