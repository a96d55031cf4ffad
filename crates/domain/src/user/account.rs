//! What may happen to an account once it exists: its name, role, agency and language
//! change; it is closed (deactivated) and reopened. Nobody closes their own account or
//! changes their own role, so the secretariat cannot lock itself out by mistake.

use uuid::Uuid;

use super::{Role, User};
use crate::representative::Language;
use crate::{ValidationError, text};

/// The fields of an account to change; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub name: Option<String>,
    pub role: Option<Role>,
    /// `Some(None)` takes the user out of its agency (for a SECRETARIAT user).
    pub agency_id: Option<Option<Uuid>>,
    pub locale: Option<Language>,
}

/// AGENCY and DONOR users act for one agency; SECRETARIAT users for the whole commission.
pub(super) fn check_affiliation(
    role: Role,
    agency_id: Option<Uuid>,
) -> Result<(), ValidationError> {
    match (role, agency_id) {
        (Role::Agency | Role::Donor, None) => Err(ValidationError::new(
            "agencyId",
            format!("a {role} user must belong to an agency"),
        )),
        (Role::Secretariat, Some(_)) => Err(ValidationError::new(
            "agencyId",
            "a SECRETARIAT user acts for the whole commission and takes no agency",
        )),
        _ => Ok(()),
    }
}

impl User {
    /// The account after `changes` made by the user `by` (`None`: the command line);
    /// `None` when nothing changes.
    pub fn apply_changes(
        &self,
        changes: UserChanges,
        by: Option<Uuid>,
    ) -> Result<Option<Self>, ValidationError> {
        let mut after = self.clone();
        if let Some(name) = changes.name {
            after.name = text::required("name", &name, 200)?;
        }
        if let Some(role) = changes.role {
            after.role = role;
        }
        if let Some(agency_id) = changes.agency_id {
            after.agency_id = agency_id;
        }
        if let Some(locale) = changes.locale {
            after.locale = locale;
        }
        check_affiliation(after.role, after.agency_id)?;
        if by == Some(self.id) && after.role != self.role {
            return Err(ValidationError::new(
                "role",
                "you cannot change your own role; another SECRETARIAT user can",
            ));
        }
        Ok((after != *self).then_some(after))
    }

    /// The account closed by `by`: it no longer signs in by any means. `None` when it is
    /// closed already.
    pub fn deactivate(&self, by: Option<Uuid>) -> Result<Option<Self>, ValidationError> {
        if by == Some(self.id) {
            return Err(ValidationError::new(
                "id",
                "you cannot deactivate your own account; another SECRETARIAT user can",
            ));
        }
        Ok(self.active.then(|| Self {
            active: false,
            ..self.clone()
        }))
    }

    /// Whether a password reset link may be sent for the account: not while it is closed.
    pub fn check_reset_request(&self) -> Result<(), ValidationError> {
        if self.active {
            Ok(())
        } else {
            Err(ValidationError::new(
                "userId",
                "the account is closed; reactivate it before sending it a reset link",
            ))
        }
    }

    /// The account reopened: its password signs in again; the tokens revoked when it was
    /// closed stay revoked. `None` when it is open already.
    pub fn reactivate(&self) -> Option<Self> {
        (!self.active).then(|| Self {
            active: true,
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;

    fn focal_point() -> User {
        User {
            id: Uuid::now_v7(),
            email: "focal@mimp.example".into(),
            name: "Focal point".into(),
            role: Role::Agency,
            agency_id: Some(Uuid::now_v7()),
            locale: Language::Es,
            active: true,
            created_at: DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn changes_keep_role_and_agency_consistent() {
        let user = focal_point();
        let secretariat = Some(Uuid::now_v7());
        let promoted = UserChanges {
            role: Some(Role::Secretariat),
            ..UserChanges::default()
        };
        assert_eq!(
            user.apply_changes(promoted.clone(), secretariat)
                .unwrap_err()
                .field,
            "agencyId"
        );
        let promoted = UserChanges {
            agency_id: Some(None),
            ..promoted
        };
        let after = user.apply_changes(promoted, secretariat).unwrap().unwrap();
        assert_eq!((after.role, after.agency_id), (Role::Secretariat, None));
        let same = UserChanges {
            name: Some("  Focal point ".into()),
            ..UserChanges::default()
        };
        assert_eq!(user.apply_changes(same, secretariat).unwrap(), None);
        assert_eq!(
            user.apply_changes(
                UserChanges {
                    name: Some(" ".into()),
                    ..UserChanges::default()
                },
                secretariat
            )
            .unwrap_err()
            .field,
            "name"
        );
    }

    #[test]
    fn nobody_closes_their_own_account_or_changes_their_own_role() {
        let user = focal_point();
        assert_eq!(user.deactivate(Some(user.id)).unwrap_err().field, "id");
        let own_role = UserChanges {
            role: Some(Role::Donor),
            ..UserChanges::default()
        };
        assert_eq!(
            user.apply_changes(own_role, Some(user.id))
                .unwrap_err()
                .field,
            "role"
        );
        let closed = user.deactivate(None).unwrap().unwrap();
        assert!(!closed.active);
        assert_eq!(
            closed.deactivate(None).unwrap(),
            None,
            "closing twice changes nothing"
        );
        assert!(closed.reactivate().unwrap().active);
        assert_eq!(user.reactivate(), None);
    }
}
