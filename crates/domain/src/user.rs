//! People who sign in to cmnp, and the tokens they sign in with.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::email::EmailAddress;
use crate::enums::string_enum;
use crate::representative::Language;
use crate::{ValidationError, text};

mod account;

pub use account::UserChanges;
use account::check_affiliation;

string_enum! {
    Role, "role" {
        /// Technical secretariat staff: may do everything.
        Secretariat => "SECRETARIAT",
        /// The focal point of one agency.
        Agency => "AGENCY",
        /// Staff of a funding organisation: reads what it funds.
        Donor => "DONOR",
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub agency_id: Option<Uuid>,
    pub locale: Language,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

/// A password as chosen by a person: long enough to resist guessing, short enough not to
/// be a denial-of-service vector for the hash function. Never logged or serialised.
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_BYTES: usize = 1024;

    pub fn parse(raw: String) -> Result<Self, ValidationError> {
        if raw.chars().count() < Self::MIN_CHARS {
            return Err(ValidationError::new(
                "password",
                format!("must have at least {} characters", Self::MIN_CHARS),
            ));
        }
        if raw.len() > Self::MAX_BYTES {
            return Err(ValidationError::new(
                "password",
                format!("must be at most {} bytes", Self::MAX_BYTES),
            ));
        }
        Ok(Self(raw))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

#[derive(Debug, Default)]
pub struct UserInput {
    pub email: String,
    pub name: String,
    pub role: Option<Role>,
    pub agency_id: Option<Uuid>,
    pub password: String,
    pub locale: Option<Language>,
}

/// A validated new user. Whether `agency_id` names an existing agency is checked where
/// agencies are known (the store).
#[derive(Debug)]
pub struct NewUser {
    pub email: EmailAddress,
    pub name: String,
    pub role: Role,
    pub agency_id: Option<Uuid>,
    pub password: Password,
    pub locale: Language,
}

impl TryFrom<UserInput> for NewUser {
    type Error = ValidationError;

    fn try_from(input: UserInput) -> Result<Self, Self::Error> {
        let role = input
            .role
            .ok_or_else(|| ValidationError::new("role", "is required"))?;
        check_affiliation(role, input.agency_id)?;
        Ok(Self {
            email: EmailAddress::parse("email", &input.email)?,
            name: text::required("name", &input.name, 200)?,
            role,
            agency_id: input.agency_id,
            password: Password::parse(input.password)?,
            locale: input.locale.unwrap_or(Language::Es),
        })
    }
}

string_enum! {
    TokenKind, "kind" {
        /// Issued by `login`, expires after the configured session lifetime.
        Session => "SESSION",
        /// Issued by the status pages' sign-in form into their cookie; opens the pages
        /// and nothing else, and expires like a session.
        PageSession => "PAGE_SESSION",
        /// Created for scripts and client systems, revocable, optional expiry.
        Api => "API",
        /// Opens one user's calendar feed and nothing else.
        Calendar => "CALENDAR",
        /// A one-time link, sent by e-mail, to choose a new password; it opens no
        /// surface, and expires after [`RESET_LINK_HOURS`].
        PasswordReset => "PASSWORD_RESET",
    }
}

/// How long a password reset link may be used.
pub const RESET_LINK_HOURS: i64 = 24;

impl TokenKind {
    /// Whether the token was issued by signing in (and ends by signing out).
    pub fn is_session(self) -> bool {
        matches!(self, TokenKind::Session | TokenKind::PageSession)
    }
}

/// Where a secret is presented. Each kind of token opens one surface: a feed secret
/// pasted into a third-party calendar service must not sign its holder in anywhere
/// else, and a page cookie is not a bearer token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// `Authorization: Bearer` on `/graphql` and the bearer routes (a session's `.ics`,
    /// the IATI export).
    Api,
    /// The status pages' `cmnp_session` cookie.
    Pages,
    /// A calendar feed's address, `/calendar/<secret>.ics`.
    Feed,
}

impl Surface {
    /// Whether a token of `kind` opens this surface.
    pub fn accepts(self, kind: TokenKind) -> bool {
        match self {
            Surface::Api => matches!(kind, TokenKind::Session | TokenKind::Api),
            Surface::Pages => kind == TokenKind::PageSession,
            Surface::Feed => kind == TokenKind::Calendar,
        }
    }

    /// The kind of session that signing in on this surface issues; a feed has none.
    pub fn session_kind(self) -> Option<TokenKind> {
        match self {
            Surface::Api => Some(TokenKind::Session),
            Surface::Pages => Some(TokenKind::PageSession),
            Surface::Feed => None,
        }
    }
}

/// A bearer token's record. The secret itself is never stored, only its hash.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub kind: TokenKind,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    /// Whether the token may authenticate a request at `now`.
    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|expiry| now < expiry)
    }
}

/// The reset link `token`, of an account that is `owner_active` or not, checked before it
/// sets a password at `now`: only an unused, unexpired reset link of an open account does.
/// `None` is a secret that matches no token.
pub fn check_reset_link(
    token: Option<&ApiToken>,
    owner_active: bool,
    now: DateTime<Utc>,
) -> Result<(), ValidationError> {
    let refuse = |message: &str| Err(ValidationError::new("token", message));
    let Some(token) = token.filter(|token| token.kind == TokenKind::PasswordReset) else {
        return refuse("is not a password reset link");
    };
    if token.revoked_at.is_some() {
        return refuse("was used already, or a newer link replaced it");
    }
    if !token.is_usable(now) {
        return refuse("has expired; ask the secretariat for a new link");
    }
    if !owner_active {
        return refuse("belongs to a closed account");
    }
    Ok(())
}

/// Validates a token's name and expiry at `now`.
pub fn token_fields(
    name: &str,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(String, Option<DateTime<Utc>>), ValidationError> {
    let name = text::required("name", name, 100)?;
    if let Some(expiry) = expires_at
        && expiry <= now
    {
        return Err(ValidationError::new("expiresAt", "must be in the future"));
    }
    Ok((name, expires_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(role: Role, agency_id: Option<Uuid>) -> UserInput {
        UserInput {
            email: "Focal@MIMP.gob.pe".into(),
            name: "Focal point".into(),
            role: Some(role),
            agency_id,
            password: "correct horse battery".into(),
            locale: None,
        }
    }

    #[test]
    fn agency_and_donor_users_need_an_agency() {
        for role in [Role::Agency, Role::Donor] {
            let error = NewUser::try_from(input(role, None)).unwrap_err();
            assert_eq!(error.field, "agencyId");
            assert!(NewUser::try_from(input(role, Some(Uuid::nil()))).is_ok());
        }
        let error = NewUser::try_from(input(Role::Secretariat, Some(Uuid::nil()))).unwrap_err();
        assert_eq!(error.field, "agencyId");
    }

    #[test]
    fn short_passwords_are_refused_and_never_printed() {
        let error = NewUser::try_from(UserInput {
            password: "short".into(),
            ..input(Role::Secretariat, None)
        })
        .unwrap_err();
        assert_eq!(error.field, "password");
        let password = Password::parse("a long enough secret".into()).unwrap();
        assert!(!format!("{password:?}").contains("secret"));
    }

    #[test]
    fn only_an_unused_unexpired_reset_link_of_an_open_account_sets_a_password() {
        let now: DateTime<Utc> = "2026-12-04T10:00:00Z".parse().unwrap();
        let link = ApiToken {
            id: Uuid::nil(),
            user_id: Uuid::nil(),
            kind: TokenKind::PasswordReset,
            name: "password reset".into(),
            created_at: now,
            expires_at: Some(now + chrono::Duration::hours(RESET_LINK_HOURS)),
            revoked_at: None,
            last_used_at: None,
        };
        let refusal = |token: Option<&ApiToken>, active| {
            check_reset_link(token, active, now + chrono::Duration::hours(1))
                .err()
                .map(|error| (error.field, error.message))
        };
        assert_eq!(refusal(Some(&link), true), None);
        let refused = |token, active, said: &str| {
            let (field, message) = refusal(token, active).unwrap();
            assert_eq!(field, "token");
            assert!(message.contains(said), "{message}");
        };
        refused(None, true, "not a password reset link");
        let api = ApiToken {
            kind: TokenKind::Api,
            ..link.clone()
        };
        refused(Some(&api), true, "not a password reset link");
        let used = ApiToken {
            revoked_at: Some(now),
            ..link.clone()
        };
        refused(Some(&used), true, "used already");
        let old = ApiToken {
            expires_at: Some(now),
            ..link.clone()
        };
        refused(Some(&old), true, "expired");
        refused(Some(&link), false, "closed account");
    }

    #[test]
    fn each_kind_of_token_opens_its_own_surface() {
        let opens = |kind| {
            [Surface::Api, Surface::Pages, Surface::Feed]
                .into_iter()
                .filter(|surface| surface.accepts(kind))
                .collect::<Vec<_>>()
        };
        assert_eq!(opens(TokenKind::Session), [Surface::Api]);
        assert_eq!(opens(TokenKind::Api), [Surface::Api]);
        assert_eq!(opens(TokenKind::PageSession), [Surface::Pages]);
        assert_eq!(opens(TokenKind::Calendar), [Surface::Feed]);
        assert_eq!(opens(TokenKind::PasswordReset), []);
        for surface in [Surface::Api, Surface::Pages] {
            let kind = surface.session_kind().unwrap();
            assert!(kind.is_session() && surface.accepts(kind));
        }
        assert_eq!(Surface::Feed.session_kind(), None);
        assert!(!TokenKind::Api.is_session() && !TokenKind::Calendar.is_session());
    }

    #[test]
    fn tokens_expire_and_can_be_revoked() {
        let now = Utc::now();
        let mut token = ApiToken {
            id: Uuid::nil(),
            user_id: Uuid::nil(),
            kind: TokenKind::Api,
            name: "ci".into(),
            created_at: now,
            expires_at: Some(now + chrono::Duration::hours(1)),
            revoked_at: None,
            last_used_at: None,
        };
        assert!(token.is_usable(now));
        assert!(!token.is_usable(now + chrono::Duration::hours(2)));
        token.revoked_at = Some(now);
        assert!(!token.is_usable(now));
        assert_eq!(
            token_fields("ci", Some(now), now).unwrap_err().field,
            "expiresAt"
        );
    }
}
