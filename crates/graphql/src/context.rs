//! What resolvers read from the request context: the store, settings, and who is asking.

use std::sync::RwLock;

use async_graphql::Context;
use async_graphql::dataloader::DataLoader;
use cmnp_domain::meeting::QuorumRule;
use cmnp_domain::policy::{Actor, Permission, Visible};
use cmnp_store::{Authenticated, Store, actor_of};

use crate::error::{ApiError, ApiResult};
use crate::loaders::StoreLoader;

/// Settings the API needs from the service's configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a session token from `login` stays valid.
    pub session_lifetime: chrono::Duration,
    /// The commission's time zone, in which "today" and due dates are read.
    pub time_zone: chrono_tz::Tz,
    pub quorum_rule: QuorumRule,
    /// The address people reach the service at, for links.
    pub public_url: String,
    /// How far ahead the sessions of a series are created.
    pub series_horizon: chrono::Duration,
    /// The largest document `uploadDocument` takes, in bytes.
    pub document_max_bytes: usize,
    /// Which webhook targets `createWebhook` takes beyond public `https://` addresses.
    pub webhook_targets: cmnp_domain::webhook::TargetPolicy,
}

impl Settings {
    /// Today's date in the commission's time zone.
    pub fn today(&self) -> chrono::NaiveDate {
        cmnp_domain::meeting::local_date(chrono::Utc::now(), self.time_zone)
    }
}

/// The signed-in user of a request, if any. `login` and `logout` change it, so that the
/// rest of the request (the payload they return) is resolved as the new user.
pub(crate) struct Session(RwLock<Option<Authenticated>>);

impl From<Option<Authenticated>> for Session {
    fn from(authenticated: Option<Authenticated>) -> Self {
        Self(RwLock::new(authenticated))
    }
}

impl Session {
    fn current(&self) -> Option<Authenticated> {
        self.0.read().map(|guard| guard.clone()).unwrap_or_default()
    }

    /// Who is asking, without copying their whole account: every object on its way out
    /// asks this.
    fn actor(&self) -> Option<Actor> {
        self.0
            .read()
            .ok()
            .and_then(|guard| guard.as_ref().map(|auth| actor_of(&auth.user)))
    }
}

pub(crate) trait ContextExt {
    fn store(&self) -> ApiResult<&Store>;
    fn settings(&self) -> ApiResult<&Settings>;
    fn loader(&self) -> ApiResult<&DataLoader<StoreLoader>>;
    /// The signed-in user's authentication, or `None` for anonymous requests.
    fn authenticated(&self) -> Option<Authenticated>;
    /// Makes the rest of the request run as `authenticated` (or anonymous).
    fn switch_session(&self, authenticated: Option<Authenticated>) -> ApiResult<()>;
    /// The signed-in actor; anonymous requests get `UNAUTHENTICATED`.
    fn actor(&self) -> ApiResult<Actor>;
    /// The signed-in actor, if it holds `permission`; `FORBIDDEN` otherwise.
    fn require(&self, permission: Permission) -> ApiResult<Actor>;
    /// `value` if the actor may see it (the object's one read rule); `FORBIDDEN` otherwise.
    fn reveal<T: Visible>(&self, value: T) -> ApiResult<T>;
    /// `Some(value)` if the actor may see it, `None` otherwise: for optional links whose
    /// absence tells nothing (an action item's agreement from an uninvited session).
    fn reveal_if_visible<T: Visible>(&self, value: T) -> ApiResult<Option<T>>;
    /// Like [`ContextExt::reveal`] for a list: the values the actor may see, leaving the
    /// others out (for lists whose members differ in visibility).
    fn reveal_visible<T: Visible>(&self, values: Vec<T>) -> ApiResult<Vec<T>>;
}

impl ContextExt for Context<'_> {
    fn reveal_if_visible<T: Visible>(&self, value: T) -> ApiResult<Option<T>> {
        Ok(value.visible_to(&self.actor()?).then_some(value))
    }

    fn reveal_visible<T: Visible>(&self, values: Vec<T>) -> ApiResult<Vec<T>> {
        let actor = self.actor()?;
        Ok(values
            .into_iter()
            .filter(|value| value.visible_to(&actor))
            .collect())
    }

    fn store(&self) -> ApiResult<&Store> {
        self.data_opt::<Store>()
            .ok_or_else(|| ApiError::internal(&"the schema has no store attached"))
    }

    fn settings(&self) -> ApiResult<&Settings> {
        self.data_opt::<Settings>()
            .ok_or_else(|| ApiError::internal(&"the schema has no settings attached"))
    }

    fn loader(&self) -> ApiResult<&DataLoader<StoreLoader>> {
        self.data_opt::<DataLoader<StoreLoader>>()
            .ok_or_else(|| ApiError::internal(&"the request has no data loader attached"))
    }

    fn authenticated(&self) -> Option<Authenticated> {
        self.data_opt::<Session>().and_then(Session::current)
    }

    fn switch_session(&self, authenticated: Option<Authenticated>) -> ApiResult<()> {
        let session = self
            .data_opt::<Session>()
            .ok_or_else(|| ApiError::internal(&"the request has no session attached"))?;
        let mut current = session
            .0
            .write()
            .map_err(|_| ApiError::internal(&"the session lock is poisoned"))?;
        *current = authenticated;
        Ok(())
    }

    fn actor(&self) -> ApiResult<Actor> {
        self.data_opt::<Session>()
            .and_then(Session::actor)
            .ok_or_else(|| {
                ApiError::Unauthenticated(
                    "sign in first: send Authorization: Bearer <token>".into(),
                )
            })
    }

    fn require(&self, permission: Permission) -> ApiResult<Actor> {
        let actor = self.actor()?;
        if actor.may(permission) {
            Ok(actor)
        } else {
            Err(ApiError::forbidden())
        }
    }

    fn reveal<T: Visible>(&self, value: T) -> ApiResult<T> {
        if value.visible_to(&self.actor()?) {
            Ok(value)
        } else {
            Err(ApiError::forbidden())
        }
    }
}
