//! Batched reads. Resolvers of nested fields ask a loader for one key; the loader gathers
//! the keys of every sibling object and reads them in one statement, so the number of
//! statements per request follows the query's shape, not the number of rows.

use cmnp_domain::document::OwnerKind;
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::futures_util::future::try_join_all;
use chrono::{DateTime, NaiveDate, Utc};
use cmnp_domain::action_item::{ActionItem, HistoryEntry};
use cmnp_domain::agency::Agency;
use cmnp_domain::agenda::{AgendaItem, Attendance};
use cmnp_domain::agreement::Agreement;
use cmnp_domain::decision::Decision;
use cmnp_domain::meeting::{Meeting, MeetingSeries};
use cmnp_domain::observation::Observation;
use cmnp_domain::representative::Representative;
use cmnp_domain::rsvp::InvitationAnswer;
use cmnp_domain::user::{ApiToken, User};
use cmnp_store::{ActionItemFilter, Page, PageRequest, Store};
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

/// Shared, because the loader hands a copy to every object that asked: the same few
/// agencies are the responsible or supporting ones of a thousand items.
impl Loader<AgencyById> for StoreLoader {
    type Value = Arc<Agency>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[AgencyById],
    ) -> Result<HashMap<AgencyById, Arc<Agency>>, ApiError> {
        let agencies = self.store.agencies_by_ids(&ids(keys, |k| k.0)).await?;
        Ok(agencies
            .into_iter()
            .map(|a| (AgencyById(a.id), Arc::new(a)))
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
        let representatives = self.store.representatives_of(&ids(keys, |k| k.0)).await?;
        Ok(group(keys, representatives, |r| {
            RepresentativesOf(r.agency_id)
        }))
    }
}

impl Loader<ApiTokensOf> for StoreLoader {
    type Value = Vec<ApiToken>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ApiTokensOf],
    ) -> Result<HashMap<ApiTokensOf, Vec<ApiToken>>, ApiError> {
        let tokens = self.store.api_tokens_of(&ids(keys, |k| k.0)).await?;
        Ok(group(keys, tokens, |token| ApiTokensOf(token.user_id)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeetingById(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SeriesById(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AgendaOf(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttendanceOf(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AgreementsOf(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AnswersOf(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObservationsOf(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AgreementById(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ActionItemsOfAgreement(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DecisionOf(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistoryOf(pub Uuid);

/// A page of the items `agency` is responsible for, under `filter`. The pages of all the
/// agencies in a list are read in one fetch, so that their items arrive together and the
/// items' own fields are batched as one level, however many items there are.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ActionItemPage {
    pub agency: Uuid,
    pub filter: ActionItemFilter,
    pub request: PageRequest<(NaiveDate, Uuid)>,
}

/// A page of an item's updates. The pages of all the items in a list are read in one
/// statement, as the agencies' pages of items are.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UpdatesPage {
    pub item: Uuid,
    pub request: PageRequest<(DateTime<Utc>, Uuid)>,
}

/// The agencies whose presence counts towards quorum (one key: the whole commission).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VotingAgencies;

/// Groups `values` under the keys they belong to; every key gets a (possibly empty) list.
fn group<K, V>(keys: &[K], values: Vec<V>, key_of: impl Fn(&V) -> K) -> HashMap<K, Vec<V>>
where
    K: Copy + Eq + std::hash::Hash,
{
    let mut grouped: HashMap<K, Vec<V>> = keys.iter().map(|key| (*key, Vec::new())).collect();
    for value in values {
        grouped.entry(key_of(&value)).or_default().push(value);
    }
    grouped
}

/// The pages `keys` ask for, read together: keys that differ only in their parent (what
/// `split` takes apart and `join` puts back) are one `read` for all their parents, so a
/// level of parents costs the same statements however many parents it holds.
async fn pages_by_shape<K, S, T, Fut>(
    keys: &[K],
    split: impl Fn(&K) -> (S, Uuid),
    join: impl Fn(S, Uuid) -> K,
    read: impl Fn(S, Vec<Uuid>) -> Fut,
) -> Result<HashMap<K, Page<T>>, ApiError>
where
    K: Eq + std::hash::Hash,
    S: Eq + std::hash::Hash + Clone,
    Fut: std::future::Future<Output = Result<HashMap<Uuid, Page<T>>, cmnp_store::StoreError>>,
{
    let mut shapes: HashMap<S, Vec<Uuid>> = HashMap::new();
    for key in keys {
        let (shape, parent) = split(key);
        shapes.entry(shape).or_default().push(parent);
    }
    let read = try_join_all(shapes.into_iter().map(|(shape, parents)| {
        let pages = read(shape.clone(), parents);
        async move { Ok::<_, cmnp_store::StoreError>((shape, pages.await?)) }
    }))
    .await?;
    let mut loaded = HashMap::with_capacity(keys.len());
    for (shape, pages) in read {
        for (parent, page) in pages {
            loaded.insert(join(shape.clone(), parent), page);
        }
    }
    Ok(loaded)
}

impl Loader<ActionItemPage> for StoreLoader {
    type Value = Page<ActionItem>;
    type Error = ApiError;

    /// Keys that differ only in their agency are one read
    /// ([`cmnp_store::Store::action_item_pages`]).
    async fn load(
        &self,
        keys: &[ActionItemPage],
    ) -> Result<HashMap<ActionItemPage, Page<ActionItem>>, ApiError> {
        pages_by_shape(
            keys,
            |key| ((key.filter.clone(), key.request.clone()), key.agency),
            |(filter, request), agency| ActionItemPage {
                agency,
                filter,
                request,
            },
            |(filter, request), agencies| async move {
                self.store
                    .action_item_pages(&filter, &agencies, request)
                    .await
            },
        )
        .await
    }
}

impl Loader<UpdatesPage> for StoreLoader {
    type Value = Page<HistoryEntry>;
    type Error = ApiError;

    /// Keys that differ only in their item are one read
    /// ([`cmnp_store::Store::history_pages`]).
    async fn load(
        &self,
        keys: &[UpdatesPage],
    ) -> Result<HashMap<UpdatesPage, Page<HistoryEntry>>, ApiError> {
        pages_by_shape(
            keys,
            |key| (key.request.clone(), key.item),
            |request, item| UpdatesPage { item, request },
            |request, items| async move { self.store.history_pages(&items, &request).await },
        )
        .await
    }
}

impl Loader<MeetingById> for StoreLoader {
    type Value = Meeting;
    type Error = ApiError;

    async fn load(&self, keys: &[MeetingById]) -> Result<HashMap<MeetingById, Meeting>, ApiError> {
        let meetings = self.store.meetings_by_ids(&ids(keys, |k| k.0)).await?;
        Ok(meetings
            .into_iter()
            .map(|m| (MeetingById(m.id), m))
            .collect())
    }
}

impl Loader<SeriesById> for StoreLoader {
    type Value = MeetingSeries;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[SeriesById],
    ) -> Result<HashMap<SeriesById, MeetingSeries>, ApiError> {
        let series = self
            .store
            .meeting_series_by_ids(&ids(keys, |k| k.0))
            .await?;
        Ok(series.into_iter().map(|s| (SeriesById(s.id), s)).collect())
    }
}

impl Loader<AgendaOf> for StoreLoader {
    type Value = Vec<AgendaItem>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[AgendaOf],
    ) -> Result<HashMap<AgendaOf, Vec<AgendaItem>>, ApiError> {
        let items = self.store.agenda_of(&ids(keys, |k| k.0)).await?;
        Ok(group(keys, items, |item| AgendaOf(item.meeting_id)))
    }
}

impl Loader<AttendanceOf> for StoreLoader {
    type Value = Vec<Attendance>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[AttendanceOf],
    ) -> Result<HashMap<AttendanceOf, Vec<Attendance>>, ApiError> {
        let rows = self.store.attendance_of(&ids(keys, |k| k.0)).await?;
        Ok(group(keys, rows, |row| AttendanceOf(row.meeting_id)))
    }
}

impl Loader<AnswersOf> for StoreLoader {
    type Value = Vec<InvitationAnswer>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[AnswersOf],
    ) -> Result<HashMap<AnswersOf, Vec<InvitationAnswer>>, ApiError> {
        let rows = self.store.answers_of(&ids(keys, |k| k.0)).await?;
        Ok(group(keys, rows, |row| AnswersOf(row.meeting_id)))
    }
}

impl Loader<AgreementsOf> for StoreLoader {
    type Value = Vec<Agreement>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[AgreementsOf],
    ) -> Result<HashMap<AgreementsOf, Vec<Agreement>>, ApiError> {
        let agreements = self.store.agreements_of(&ids(keys, |k| k.0)).await?;
        Ok(group(keys, agreements, |a| AgreementsOf(a.meeting_id)))
    }
}

impl Loader<ObservationsOf> for StoreLoader {
    type Value = Vec<Observation>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ObservationsOf],
    ) -> Result<HashMap<ObservationsOf, Vec<Observation>>, ApiError> {
        let rows = self.store.observations_of(&ids(keys, |k| k.0)).await?;
        Ok(group(keys, rows, |row| ObservationsOf(row.meeting_id)))
    }
}

impl Loader<DecisionOf> for StoreLoader {
    type Value = Decision;
    type Error = ApiError;

    async fn load(&self, keys: &[DecisionOf]) -> Result<HashMap<DecisionOf, Decision>, ApiError> {
        let decisions = self.store.decisions_of(&ids(keys, |k| k.0)).await?;
        Ok(decisions
            .into_iter()
            .map(|d| (DecisionOf(d.agreement_id), d))
            .collect())
    }
}

impl Loader<AgreementById> for StoreLoader {
    type Value = Agreement;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[AgreementById],
    ) -> Result<HashMap<AgreementById, Agreement>, ApiError> {
        let agreements = self.store.agreements_by_ids(&ids(keys, |k| k.0)).await?;
        Ok(agreements
            .into_iter()
            .map(|a| (AgreementById(a.id), a))
            .collect())
    }
}

impl Loader<ActionItemsOfAgreement> for StoreLoader {
    type Value = Vec<ActionItem>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ActionItemsOfAgreement],
    ) -> Result<HashMap<ActionItemsOfAgreement, Vec<ActionItem>>, ApiError> {
        let items = self
            .store
            .action_items_of_agreements(&ids(keys, |k| k.0))
            .await?;
        Ok(group(keys, items, |item| {
            ActionItemsOfAgreement(item.agreement_id.unwrap_or_default())
        }))
    }
}

/// Each entry shared, so that handing an item its history copies no text.
impl Loader<HistoryOf> for StoreLoader {
    type Value = Vec<Arc<HistoryEntry>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[HistoryOf],
    ) -> Result<HashMap<HistoryOf, Vec<Arc<HistoryEntry>>>, ApiError> {
        let entries = self.store.history_of(&ids(keys, |k| k.0)).await?;
        Ok(group(
            keys,
            entries.into_iter().map(Arc::new).collect(),
            |entry| HistoryOf(entry.action_item_id),
        ))
    }
}

impl Loader<VotingAgencies> for StoreLoader {
    type Value = Vec<Uuid>;
    type Error = ApiError;

    async fn load(
        &self,
        _keys: &[VotingAgencies],
    ) -> Result<HashMap<VotingAgencies, Vec<Uuid>>, ApiError> {
        Ok(HashMap::from([(
            VotingAgencies,
            self.store.voting_agency_ids().await?,
        )]))
    }
}

/// The items a session's follow-up carries over: pending items not adopted in the session
/// itself and, for a session already held, created before it began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FollowUpOf {
    pub meeting_id: Uuid,
    pub held_since: Option<chrono::DateTime<chrono::Utc>>,
}

impl Loader<FollowUpOf> for StoreLoader {
    type Value = Vec<ActionItem>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[FollowUpOf],
    ) -> Result<HashMap<FollowUpOf, Vec<ActionItem>>, ApiError> {
        let pending = self.store.pending_action_items().await?;
        Ok(keys
            .iter()
            .map(|key| {
                let carried = pending
                    .iter()
                    .filter(|(item, session)| {
                        *session != Some(key.meeting_id)
                            && key.held_since.is_none_or(|start| item.created_at < start)
                    })
                    .map(|(item, _)| item.clone())
                    .collect();
                (*key, carried)
            })
            .collect())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProjectById(pub Uuid);

/// Everything recorded under one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartsOf(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ActionItemsOfProject(pub Uuid);

/// A project's narrative reports, read only when a query asks for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReportsOf(pub Uuid);

impl Loader<ReportsOf> for StoreLoader {
    type Value = Vec<cmnp_domain::project::ProjectReport>;
    type Error = ApiError;

    async fn load(&self, keys: &[ReportsOf]) -> Result<HashMap<ReportsOf, Self::Value>, ApiError> {
        let reports = self.store.project_reports(&ids(keys, |k| k.0)).await?;
        Ok(group(keys, reports, |report| ReportsOf(report.project_id)))
    }
}

/// The documents attached to an object, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocumentsOf(pub OwnerKind, pub Uuid);

impl Loader<DocumentsOf> for StoreLoader {
    type Value = Vec<cmnp_domain::document::Document>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[DocumentsOf],
    ) -> Result<HashMap<DocumentsOf, Self::Value>, ApiError> {
        // A field asks for one kind of owner; a batch holds at most the four kinds.
        let mut documents = Vec::new();
        for &kind in OwnerKind::ALL {
            let owners: Vec<Uuid> = keys.iter().filter(|k| k.0 == kind).map(|k| k.1).collect();
            if !owners.is_empty() {
                documents.extend(self.store.documents_of(kind, &owners).await?);
            }
        }
        Ok(group(keys, documents, |document| {
            DocumentsOf(document.owner_kind, document.owner_id)
        }))
    }
}

impl Loader<ProjectById> for StoreLoader {
    type Value = cmnp_domain::project::Project;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ProjectById],
    ) -> Result<HashMap<ProjectById, Self::Value>, ApiError> {
        let projects = self.store.projects_by_ids(&ids(keys, |k| k.0)).await?;
        Ok(projects
            .into_iter()
            .map(|p| (ProjectById(p.id), p))
            .collect())
    }
}

impl Loader<PartsOf> for StoreLoader {
    type Value = cmnp_store::ProjectParts;
    type Error = ApiError;

    async fn load(&self, keys: &[PartsOf]) -> Result<HashMap<PartsOf, Self::Value>, ApiError> {
        let all = self.store.project_parts(&ids(keys, |k| k.0)).await?;
        let project_of_result: HashMap<Uuid, Uuid> =
            all.results.iter().map(|r| (r.id, r.project_id)).collect();
        let project_of_indicator: HashMap<Uuid, Uuid> = all
            .indicators
            .iter()
            .filter_map(|i| project_of_result.get(&i.result_id).map(|p| (i.id, *p)))
            .collect();
        Ok(keys
            .iter()
            .map(|key| {
                let of = |project: Option<&Uuid>| project == Some(&key.0);
                let parts = cmnp_store::ProjectParts {
                    budget_lines: all
                        .budget_lines
                        .iter()
                        .filter(|l| l.project_id == key.0)
                        .cloned()
                        .collect(),
                    transactions: all
                        .transactions
                        .iter()
                        .filter(|t| t.project_id == key.0)
                        .cloned()
                        .collect(),
                    results: all
                        .results
                        .iter()
                        .filter(|r| r.project_id == key.0)
                        .cloned()
                        .collect(),
                    indicators: all
                        .indicators
                        .iter()
                        .filter(|i| of(project_of_result.get(&i.result_id)))
                        .cloned()
                        .collect(),
                    periods: all
                        .periods
                        .iter()
                        .filter(|p| of(project_of_indicator.get(&p.indicator_id)))
                        .cloned()
                        .collect(),
                    milestones: all
                        .milestones
                        .iter()
                        .filter(|m| m.project_id == key.0)
                        .cloned()
                        .collect(),
                };
                (*key, parts)
            })
            .collect())
    }
}

impl Loader<ActionItemsOfProject> for StoreLoader {
    type Value = Vec<ActionItem>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ActionItemsOfProject],
    ) -> Result<HashMap<ActionItemsOfProject, Vec<ActionItem>>, ApiError> {
        let items = self
            .store
            .action_items_of_projects(&ids(keys, |k| k.0))
            .await?;
        Ok(group(keys, items, |item| {
            ActionItemsOfProject(item.project_id.unwrap_or_default())
        }))
    }
}
