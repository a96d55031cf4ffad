//! Member agencies of the commission and its partners.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::enums::string_enum;
use crate::{ValidationError, text};

string_enum! {
    /// What kind of institution an agency is.
    AgencyKind, "kind" {
        Ministry => "MINISTRY",
        PublicAgency => "PUBLIC_AGENCY",
        Judiciary => "JUDICIARY",
        Prosecution => "PROSECUTION",
        Police => "POLICE",
        Ombudsman => "OMBUDSMAN",
        RegionalGovernment => "REGIONAL_GOVERNMENT",
        CivilSociety => "CIVIL_SOCIETY",
        InternationalOrganization => "INTERNATIONAL_ORGANIZATION",
        ForeignGovernment => "FOREIGN_GOVERNMENT",
        Other => "OTHER",
    }
}

string_enum! {
    /// An agency's place in the commission.
    Membership, "membership" {
        Presidency => "PRESIDENCY",
        TechnicalSecretariat => "TECHNICAL_SECRETARIAT",
        Member => "MEMBER",
        Observer => "OBSERVER",
        /// Not a member: a donor or implementing partner.
        Partner => "PARTNER",
    }
}

impl Membership {
    /// Whether agencies of this membership sit in the commission (and so are invited to
    /// its sessions by default).
    pub fn is_member(self) -> bool {
        matches!(
            self,
            Membership::Presidency | Membership::TechnicalSecretariat | Membership::Member
        )
    }
}

/// An agency's short name, unique in the commission: letters, digits and hyphens,
/// stored upper-case ("MININTER", "OIM", "US-PRM").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Acronym(String);

impl Acronym {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let value = raw.trim().to_uppercase();
        if value.is_empty() || value.chars().count() > 20 {
            return Err(ValidationError::new(
                "acronym",
                "must have 1 to 20 characters",
            ));
        }
        if !value.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Err(ValidationError::new(
                "acronym",
                "may contain only letters, digits and hyphens",
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IATI organisation identifier: a registration agency prefix and a number, such as
/// `XM-DAC-47066` (IOM) or `US-GOV-11` (US Department of State).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IatiOrgRef(String);

impl IatiOrgRef {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let value = raw.trim();
        let well_formed = value.len() <= 64
            && value.contains('-')
            && !value.starts_with('-')
            && !value.ends_with('-')
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
        if !well_formed {
            return Err(ValidationError::new(
                "iatiRef",
                format!("{value:?} is not an IATI organisation identifier (such as XM-DAC-47066)"),
            ));
        }
        Ok(Self(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Agency {
    pub id: Uuid,
    pub acronym: String,
    pub name: String,
    pub name_en: Option<String>,
    pub kind: AgencyKind,
    pub membership: Membership,
    pub votes: bool,
    pub iati_ref: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Raw input for a new agency, as a client sends it.
#[derive(Debug, Clone, Default)]
pub struct AgencyInput {
    pub acronym: String,
    pub name: String,
    pub name_en: Option<String>,
    pub kind: Option<AgencyKind>,
    pub membership: Option<Membership>,
    pub votes: Option<bool>,
    pub iati_ref: Option<String>,
}

/// A validated new agency.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAgency {
    pub acronym: Acronym,
    pub name: String,
    pub name_en: Option<String>,
    pub kind: AgencyKind,
    pub membership: Membership,
    pub votes: bool,
    pub iati_ref: Option<IatiOrgRef>,
}

impl TryFrom<AgencyInput> for NewAgency {
    type Error = ValidationError;

    fn try_from(input: AgencyInput) -> Result<Self, Self::Error> {
        let membership = input.membership.unwrap_or(Membership::Member);
        // Members vote unless told otherwise; observers and partners never vote.
        let votes = input.votes.unwrap_or(membership.is_member());
        check_votes(membership, votes)?;
        Ok(Self {
            acronym: Acronym::parse(&input.acronym)?,
            name: text::required("name", &input.name, 200)?,
            name_en: text::optional("nameEn", input.name_en.as_deref(), 200)?,
            kind: input.kind.unwrap_or(AgencyKind::PublicAgency),
            membership,
            votes,
            iati_ref: input
                .iati_ref
                .as_deref()
                .filter(|raw| !raw.trim().is_empty())
                .map(IatiOrgRef::parse)
                .transpose()?,
        })
    }
}

/// Changes to an agency: absent fields stay as they are; `Some(None)` clears an optional
/// field.
#[derive(Debug, Clone, Default)]
pub struct AgencyPatch {
    pub acronym: Option<String>,
    pub name: Option<String>,
    pub name_en: Option<Option<String>>,
    pub kind: Option<AgencyKind>,
    pub membership: Option<Membership>,
    pub votes: Option<bool>,
    pub iati_ref: Option<Option<String>>,
    pub active: Option<bool>,
}

impl AgencyPatch {
    /// Applies the patch to `agency`, validating every field it touches and the rules
    /// that span fields.
    pub fn apply(self, agency: &Agency) -> Result<Agency, ValidationError> {
        let mut next = agency.clone();
        if let Some(acronym) = self.acronym {
            next.acronym = Acronym::parse(&acronym)?.0;
        }
        if let Some(name) = self.name {
            next.name = text::required("name", &name, 200)?;
        }
        if let Some(name_en) = self.name_en {
            next.name_en = text::optional("nameEn", name_en.as_deref(), 200)?;
        }
        if let Some(kind) = self.kind {
            next.kind = kind;
        }
        if let Some(membership) = self.membership {
            next.membership = membership;
            if self.votes.is_none() && !membership.is_member() {
                next.votes = false;
            }
        }
        if let Some(votes) = self.votes {
            next.votes = votes;
        }
        if let Some(iati_ref) = self.iati_ref {
            next.iati_ref = iati_ref
                .as_deref()
                .filter(|raw| !raw.trim().is_empty())
                .map(|raw| IatiOrgRef::parse(raw).map(|r| r.0))
                .transpose()?;
        }
        if let Some(active) = self.active {
            next.active = active;
        }
        check_votes(next.membership, next.votes)?;
        Ok(next)
    }
}

fn check_votes(membership: Membership, votes: bool) -> Result<(), ValidationError> {
    if votes && !membership.is_member() {
        return Err(ValidationError::new(
            "votes",
            format!("a {membership} agency cannot vote; only members do"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AgencyInput {
        AgencyInput {
            acronym: " mimp ".into(),
            name: "Ministerio de la Mujer y Poblaciones Vulnerables".into(),
            kind: Some(AgencyKind::Ministry),
            ..AgencyInput::default()
        }
    }

    #[test]
    fn new_member_votes_by_default_and_acronym_is_upper_case() {
        let agency = NewAgency::try_from(input()).unwrap();
        assert_eq!(agency.acronym.as_str(), "MIMP");
        assert_eq!(agency.membership, Membership::Member);
        assert!(agency.votes);
    }

    #[test]
    fn partners_do_not_vote() {
        let partner = NewAgency::try_from(AgencyInput {
            membership: Some(Membership::Partner),
            ..input()
        })
        .unwrap();
        assert!(!partner.votes);
        let error = NewAgency::try_from(AgencyInput {
            membership: Some(Membership::Observer),
            votes: Some(true),
            ..input()
        })
        .unwrap_err();
        assert_eq!(error.field, "votes");
    }

    #[test]
    fn bad_acronym_and_iati_ref_name_their_fields() {
        let error = NewAgency::try_from(AgencyInput {
            acronym: "MI MP".into(),
            ..input()
        })
        .unwrap_err();
        assert_eq!(error.field, "acronym");
        let error = NewAgency::try_from(AgencyInput {
            iati_ref: Some("47066".into()),
            ..input()
        })
        .unwrap_err();
        assert_eq!(error.field, "iatiRef");
        assert!(IatiOrgRef::parse("XM-DAC-47066").is_ok());
    }

    #[test]
    fn enum_values_round_trip_and_unknown_ones_name_the_field() {
        for kind in AgencyKind::ALL {
            assert_eq!(kind.as_str().parse::<AgencyKind>().unwrap(), *kind);
        }
        assert_eq!(
            "DONOR".parse::<Membership>().unwrap_err().field,
            "membership"
        );
    }
}
