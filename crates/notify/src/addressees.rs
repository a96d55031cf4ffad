//! Who an agency's reminders and digests go to.

use std::collections::HashMap;

use chrono::NaiveDate;
use cmnp_domain::outbox::Recipient;
use cmnp_store::{Store, StoreError};
use uuid::Uuid;

/// The agencies and their current representatives, which most reminders go to.
pub(crate) struct Addressees {
    acronyms: HashMap<Uuid, String>,
    representatives: HashMap<Uuid, Vec<Recipient>>,
}

impl Addressees {
    /// The representatives current on `today`, each agency's by address.
    pub(crate) async fn load(store: &Store, today: NaiveDate) -> Result<Self, StoreError> {
        let mut representatives: HashMap<Uuid, Vec<Recipient>> = HashMap::new();
        for person in store.all_representatives().await? {
            if person.is_current(today) {
                representatives
                    .entry(person.agency_id)
                    .or_default()
                    .push(Recipient::of(&person));
            }
        }
        Ok(Self {
            acronyms: store.agency_acronyms().await?,
            representatives,
        })
    }

    pub(crate) fn of(&self, agency_id: Uuid) -> &[Recipient] {
        self.representatives
            .get(&agency_id)
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn acronym(&self, agency_id: Uuid) -> &str {
        self.acronyms.get(&agency_id).map_or("?", String::as_str)
    }
}
