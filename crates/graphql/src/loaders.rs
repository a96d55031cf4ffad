//! Batched reads. Resolvers of nested fields ask a loader for one key; the loader gathers
//! the keys of every sibling object and reads them in one statement, so the number of
//! statements per request follows the query's shape, not the number of rows.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use cmnp_domain::agency::Agency;
use cmnp_domain::representative::Representative;
use cmnp_domain::user::{ApiToken, User};
use cmnp_store::Store;
use uuid::Uuid;

use crate::error::ApiError;

pub struct StoreLoader {
    store: Store,
}

impl StoreLoader {
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AgencyById(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserById(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RepresentativesOf(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApiTokensOf(pub Uuid);

fn ids<K: Copy>(keys: &[K], id: impl Fn(K) -> Uuid) -> Vec<Uuid> {
    keys.iter().copied().map(id).collect()
}

impl Loader<AgencyById> for StoreLoader {
    type Value = Agency;
    type Error = ApiError;

    async fn load(&self, keys: &[AgencyById]) -> Result<HashMap<AgencyById, Agency>, ApiError> {
        let agencies = self.store.agencies_by_ids(&ids(keys, |k| k.0)).await?;
        Ok(agencies
            .into_iter()
            .map(|a| (AgencyById(a.id), a))
            .collect())
    }
}

impl Loader<UserById> for StoreLoader {
    type Value = User;
    type Error = ApiError;

    async fn load(&self, keys: &[UserById]) -> Result<HashMap<UserById, User>, ApiError> {
        let users = self.store.users_by_ids(&ids(keys, |k| k.0)).await?;
        Ok(users.into_iter().map(|u| (UserById(u.id), u)).collect())
    }
}

impl Loader<RepresentativesOf> for StoreLoader {
    type Value = Vec<Representative>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[RepresentativesOf],
    ) -> Result<HashMap<RepresentativesOf, Vec<Representative>>, ApiError> {
        let mut grouped: HashMap<RepresentativesOf, Vec<Representative>> =
            keys.iter().map(|key| (*key, Vec::new())).collect();
        for representative in self.store.representatives_of(&ids(keys, |k| k.0)).await? {
            grouped
                .entry(RepresentativesOf(representative.agency_id))
                .or_default()
                .push(representative);
        }
        Ok(grouped)
    }
}

impl Loader<ApiTokensOf> for StoreLoader {
    type Value = Vec<ApiToken>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ApiTokensOf],
    ) -> Result<HashMap<ApiTokensOf, Vec<ApiToken>>, ApiError> {
        let mut grouped: HashMap<ApiTokensOf, Vec<ApiToken>> =
            keys.iter().map(|key| (*key, Vec::new())).collect();
        for token in self.store.api_tokens_of(&ids(keys, |k| k.0)).await? {
            grouped
                .entry(ApiTokensOf(token.user_id))
                .or_default()
                .push(token);
        }
        Ok(grouped)
    }
}
