//! argon2id password hashes. Hashing is deliberately slow, so it runs on the blocking
//! thread pool rather than on the async workers.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use cmnp_domain::user::Password;

use crate::StoreError;

pub(crate) async fn hash(password: Password) -> Result<String, StoreError> {
    run_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| StoreError::Internal(format!("password hashing failed: {e}")))
    })
    .await
}

/// Whether `candidate` matches `stored`. An unreadable stored hash never matches.
pub(crate) async fn verify(candidate: String, stored: String) -> Result<bool, StoreError> {
    run_blocking(move || {
        Ok(PasswordHash::new(&stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(candidate.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false))
    })
    .await
}

/// A hash of a password nobody knows, checked when the e-mail is unknown so that a failed
/// sign-in takes as long whether or not the account exists.
pub(crate) async fn dummy_hash() -> Result<String, StoreError> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_try_init(|| async {
            let password = Password::parse(uuid::Uuid::new_v4().to_string())?;
            hash(password).await
        })
        .await
        .cloned()
}

async fn run_blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::Internal(format!("password task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let stored = hash(Password::parse("un secreto largo".into()).unwrap())
            .await
            .unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(
            verify("un secreto largo".into(), stored.clone())
                .await
                .unwrap()
        );
        assert!(!verify("otro secreto".into(), stored).await.unwrap());
        assert!(!verify("x".into(), "not a hash".into()).await.unwrap());
    }
}
