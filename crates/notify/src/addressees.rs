//! Who an agency's reminders and digests go to, read once per sweep.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use cmnp_domain::outbox::{self, MANDATE_NOTICE_DAYS, MandateEnding, Recipient};
use cmnp_store::{Store, StoreError};
use uuid::Uuid;

/// The agencies, the people each one's e-mails go to, and the mandates that end soon.
pub(crate) struct Addressees {
    acronyms: HashMap<Uuid, String>,
    people: outbox::Addressees,
    mandates_ending: Vec<MandateEnding>,
}

impl Addressees {
    /// Each agency's representatives current on `today` and its active focal points.
    pub(crate) async fn load(store: &Store, today: NaiveDate) -> Result<Self, StoreError> {
        let acronyms = store.agency_acronyms().await?;
        let representatives = store.all_representatives().await?;
        let people =
            outbox::Addressees::gather(&representatives, &store.focal_points().await?, today);
        let notice_until = today + Duration::days(MANDATE_NOTICE_DAYS);
        let mut mandates_ending: Vec<MandateEnding> = representatives
            .into_iter()
            .filter(|person| person.is_current(today))
            .filter_map(|person| {
                let ends_on = person.mandate_end.filter(|end| *end <= notice_until)?;
                Some(MandateEnding {
                    agency: acronyms
                        .get(&person.agency_id)
                        .map_or_else(|| "?".to_owned(), String::clone),
                    name: person.name,
                    ends_on,
                })
            })
            .collect();
        mandates_ending.sort_by(|a, b| (a.ends_on, &a.agency).cmp(&(b.ends_on, &b.agency)));
        Ok(Self {
            acronyms,
            people,
            mandates_ending,
        })
    }

    pub(crate) fn of(&self, agency_id: Uuid) -> &[Recipient] {
        self.people.of(agency_id)
    }

    pub(crate) fn acronym(&self, agency_id: Uuid) -> &str {
        self.acronyms.get(&agency_id).map_or("?", String::as_str)
    }

    /// Who each agency's e-mails go to.
    pub(crate) fn people(&self) -> &outbox::Addressees {
        &self.people
    }

    pub(crate) fn mandates_ending(&self) -> &[MandateEnding] {
        &self.mandates_ending
    }
}
