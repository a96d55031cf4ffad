//! Who an agency's e-mails go to: its current representatives and its active focal
//! points (the AGENCY users of the agency), once per address, each in their language.

use std::collections::HashMap;

use chrono::NaiveDate;
use uuid::Uuid;

use super::Recipient;
use crate::representative::Representative;

/// An active AGENCY user of an agency: its focal point in cmnp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocalPoint {
    pub agency_id: Uuid,
    pub to: Recipient,
}

/// The people each agency's e-mails go to on a day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Addressees {
    by_agency: HashMap<Uuid, Vec<Recipient>>,
}

impl Addressees {
    /// Each agency's representatives whose mandate covers `today`, then its focal points,
    /// leaving out an address the agency already has (compared without case): a person
    /// who is both hears once, as the representative.
    pub fn gather(
        representatives: &[Representative],
        focal_points: &[FocalPoint],
        today: NaiveDate,
    ) -> Self {
        let mut by_agency: HashMap<Uuid, Vec<Recipient>> = HashMap::new();
        let current = representatives
            .iter()
            .filter(|person| person.is_current(today))
            .map(|person| (person.agency_id, Recipient::of(person)));
        let focal = focal_points
            .iter()
            .map(|focal| (focal.agency_id, focal.to.clone()));
        for (agency_id, to) in current.chain(focal) {
            let list = by_agency.entry(agency_id).or_default();
            if !list
                .iter()
                .any(|known| known.email.eq_ignore_ascii_case(&to.email))
            {
                list.push(to);
            }
        }
        Self { by_agency }
    }

    /// Who `agency_id`'s e-mails go to; empty when nobody can be written to.
    pub fn of(&self, agency_id: Uuid) -> &[Recipient] {
        self.by_agency.get(&agency_id).map_or(&[], Vec::as_slice)
    }

    /// Whether anybody can be written to about `agency_id`.
    pub fn reach(&self, agency_id: Uuid) -> bool {
        !self.of(agency_id).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::representative::{Language, RepresentativeKind};

    fn person(agency_id: Uuid, email: &str, mandate_end: Option<NaiveDate>) -> Representative {
        Representative {
            id: Uuid::now_v7(),
            agency_id,
            name: email.to_owned(),
            email: email.to_owned(),
            phone: None,
            position: None,
            kind: RepresentativeKind::Principal,
            mandate_start: None,
            mandate_end,
            designation_ref: None,
            language: Language::Es,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn focal(agency_id: Uuid, email: &str, language: Language) -> FocalPoint {
        FocalPoint {
            agency_id,
            to: Recipient {
                name: email.to_owned(),
                email: email.to_owned(),
                language,
            },
        }
    }

    #[test]
    fn a_person_who_is_both_hears_once_as_the_representative() {
        let agency = Uuid::now_v7();
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let addressees = Addressees::gather(
            &[person(agency, "ana@mimp.example", None)],
            &[
                focal(agency, "ANA@mimp.example", Language::En),
                focal(agency, "luis@mimp.example", Language::En),
            ],
            today,
        );
        let to: Vec<_> = addressees
            .of(agency)
            .iter()
            .map(|r| (r.email.as_str(), r.language))
            .collect();
        assert_eq!(
            to,
            [
                ("ana@mimp.example", Language::Es),
                ("luis@mimp.example", Language::En)
            ]
        );
    }

    #[test]
    fn an_agency_whose_mandates_ended_and_without_focal_points_is_out_of_reach() {
        let (ended, reached) = (Uuid::now_v7(), Uuid::now_v7());
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let yesterday = today.pred_opt();
        let addressees = Addressees::gather(
            &[person(ended, "old@minedu.example", yesterday)],
            &[focal(reached, "fp@mtpe.example", Language::Es)],
            today,
        );
        assert!(!addressees.reach(ended));
        assert!(addressees.reach(reached));
        assert!(!addressees.reach(Uuid::now_v7()));
    }
}
