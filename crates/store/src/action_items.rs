//! Action items: creation (directly or from an agreement), updates under optimistic
//! concurrency with an append-only history, cancellation, and filtered lists.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use cmnp_domain::ValidationError;
use cmnp_domain::action_item::{
    ActionItem, ActionItemStatus, ActionItemUpdate, HistoryDraft, HistoryEntry, NewActionItem,
    apply_cancel, apply_update, check_canceller, check_updater, check_worker,
};
use cmnp_domain::audit::changes;
use cmnp_domain::policy::{Actor, Refusal};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set,
};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{action_item, action_item_supporter, action_item_update, agreement, project};
use crate::error::column;
use crate::meetings::require_agencies;
use crate::page::{self, Page, PageRequest};
use crate::row::WithIds;
use crate::{Store, StoreError, counters, row};
use cmnp_domain::project::ParticipantRole;
use sea_orm::DbBackend;

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ActionItemFilter {
    pub statuses: Vec<ActionItemStatus>,
    /// Only items still pending ([`pending`]), as the partial index on them reads them.
    pub pending: bool,
    pub responsible_agency_id: Option<Uuid>,
    /// With the commission's today: overdue (`true`) or not (`false`).
    pub overdue: Option<(bool, NaiveDate)>,
    pub due_before: Option<NaiveDate>,
    pub meeting_id: Option<Uuid>,
    pub agreement_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
}

/// `status IN ('OPEN', 'IN_PROGRESS', 'BLOCKED')`: the item still asks something of its
/// agency. The statuses are written into the SQL rather than bound, as the condition of
/// the partial index on pending items' due dates: a planner uses that index only when it
/// can see that the query asks for the same rows.
pub(crate) fn pending() -> Expr {
    status().is_in(pending_statuses())
}

/// The opposite of [`pending`]: done or cancelled.
pub(crate) fn not_pending() -> Expr {
    status().is_not_in(pending_statuses())
}

fn status() -> Expr {
    Expr::col((action_item::Entity, action_item::Column::Status))
}

fn pending_statuses() -> impl Iterator<Item = Expr> {
    ActionItemStatus::ALL
        .iter()
        .filter(|s| s.is_pending())
        .map(|s| Expr::Constant(s.as_str().into()))
}

impl Store {
    pub async fn create_action_item(
        &self,
        actor: Option<&Actor>,
        new: NewActionItem,
        today: NaiveDate,
    ) -> Result<ActionItem, StoreError> {
        let txn = self.write().await?;
        if let Some(project_id) = new.project_id
            && project::Entity::find_by_id(project_id)
                .one(&txn)
                .await?
                .is_none()
        {
            return Err(ValidationError::new(
                "projectId",
                format!("no project has id {project_id}"),
            )
            .into());
        }
        if let Some(agreement_id) = new.agreement_id
            && agreement::Entity::find_by_id(agreement_id)
                .one(&txn)
                .await?
                .is_none()
        {
            return Err(ValidationError::new(
                "agreementId",
                format!("no agreement has id {agreement_id}"),
            )
            .into());
        }
        let item = insert(&txn, actor, new, today, "").await?;
        txn.commit().await?;
        Ok(item)
    }

    /// Applies `update` if the item is still at `expected_version`; otherwise `CONFLICT`
    /// and nothing changes.
    pub async fn update_action_item(
        &self,
        actor: &Actor,
        id: Uuid,
        expected_version: i32,
        update: ActionItemUpdate,
        today: NaiveDate,
    ) -> Result<ActionItem, StoreError> {
        let responsible = update.responsible_agency_id;
        self.change_item(
            actor,
            id,
            expected_version,
            "action_item.update",
            Steps {
                authorize: |item: &ActionItem| check_updater(item, &update, actor),
                change: |item: &ActionItem| apply_update(item, &update, actor, today),
            },
            responsible,
        )
        .await
    }

    pub async fn cancel_action_item(
        &self,
        actor: &Actor,
        id: Uuid,
        expected_version: i32,
        reason: &str,
    ) -> Result<ActionItem, StoreError> {
        self.change_item(
            actor,
            id,
            expected_version,
            "action_item.cancel",
            Steps {
                authorize: |_: &ActionItem| check_canceller(actor),
                change: |item: &ActionItem| apply_cancel(item, reason, actor),
            },
            None,
        )
        .await
    }

    async fn change_item(
        &self,
        actor: &Actor,
        id: Uuid,
        expected_version: i32,
        action: &str,
        steps: Steps<
            impl FnOnce(&ActionItem) -> Result<(), Refusal>,
            impl FnOnce(&ActionItem) -> Result<(ActionItem, HistoryDraft), Refusal>,
        >,
        new_responsible: Option<Uuid>,
    ) -> Result<ActionItem, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        check_worker(actor)?;
        let before = load(&txn, id).await?;
        // Whoever may not make the change is refused before the version it read or the
        // values it sent are looked at: a stale or invalid request tells it nothing more.
        (steps.authorize)(&before)?;
        if before.version != expected_version {
            return Err(stale(before.version));
        }
        let (mut after, draft) = (steps.change)(&before)?;
        if let Some(agency_id) = new_responsible {
            require_agencies(&txn, vec![agency_id], "responsibleAgencyId").await?;
        }
        after.updated_at = now;
        let written = action_item::Entity::update_many()
            .set(action_item::ActiveModel {
                status: Set(after.status.as_str().to_owned()),
                progress_percent: Set(after.progress_percent),
                completed_on: Set(after.completed_on),
                cancel_reason: Set(after.cancel_reason.clone()),
                due_on: Set(after.due_on),
                responsible_agency_id: Set(after.responsible_agency_id),
                version: Set(after.version),
                updated_at: Set(now),
                ..Default::default()
            })
            .filter(action_item::Column::Id.eq(id))
            .filter(action_item::Column::Version.eq(expected_version))
            .exec(&txn)
            .await?;
        if written.rows_affected != 1 {
            return Err(stale(expected_version));
        }
        record_history(&txn, id, Some(actor), draft, now).await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor: Some(actor),
                action,
                object_type: "action_item",
                object_id: id,
                changes: changes(Some(&before), Some(&after)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    pub async fn action_item(&self, id: Uuid) -> Result<Option<ActionItem>, StoreError> {
        match load(&self.db, id).await {
            Ok(item) => Ok(Some(item)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Items in order of due date.
    pub async fn action_items(
        &self,
        filter: ActionItemFilter,
        request: PageRequest<(NaiveDate, Uuid)>,
    ) -> Result<Page<ActionItem>, StoreError> {
        let backend = self.db.get_database_backend();
        let page: Page<ItemRow> = page::fetch_pair(
            &self.db,
            filtered(&filter),
            (action_item::Column::DueOn, action_item::Column::Id),
            request,
            |select| with_agencies(select, backend),
        )
        .await?;
        page.try_map(to_domain)
    }

    /// The same page of `filter`'s items for each of `agency_ids` (as responsible
    /// agency), in one statement whatever their number: each agency's page is its own
    /// ordered, limited range of the index on (responsible agency, due date), and the
    /// ranges are joined with `UNION ALL`; totals are one grouped count. Every agency
    /// gets a page, empty if it has no items.
    pub async fn action_item_pages(
        &self,
        filter: &ActionItemFilter,
        agency_ids: &[Uuid],
        request: PageRequest<(NaiveDate, Uuid)>,
    ) -> Result<HashMap<Uuid, Page<ActionItem>>, StoreError> {
        let totals = if request.with_total {
            page::count_per_parent(
                &self.db,
                filtered(filter),
                action_item::Column::ResponsibleAgencyId,
                agency_ids,
            )
            .await?
        } else {
            HashMap::new()
        };
        let backend = self.db.get_database_backend();
        let rows: Vec<ItemRow> = page::fetch_pair_per_parent(
            &self.db,
            filtered(filter),
            (
                action_item::Column::ResponsibleAgencyId,
                action_item::Column::DueOn,
                action_item::Column::Id,
            ),
            agency_ids,
            &request,
            |select| with_agencies(select, backend),
        )
        .await?;
        let mut items = rows
            .into_iter()
            .map(to_domain)
            .collect::<Result<Vec<_>, _>>()?;
        items.sort_by_key(|item| (item.due_on, item.id));
        Ok(page::pages_per_parent(
            agency_ids,
            &request,
            &totals,
            items,
            |item| item.responsible_agency_id,
        ))
    }

    /// Every item of these agreements, by due date.
    /// Every item linked to these projects, by due date.
    pub async fn action_items_of_projects(
        &self,
        project_ids: &[Uuid],
    ) -> Result<Vec<ActionItem>, StoreError> {
        let select = action_item::Entity::find()
            .filter(action_item::Column::ProjectId.is_in(project_ids.iter().copied()))
            .order_by_asc(action_item::Column::DueOn)
            .order_by_asc(action_item::Column::Id);
        read(&self.db, select).await
    }

    pub async fn action_items_of_agreements(
        &self,
        agreement_ids: &[Uuid],
    ) -> Result<Vec<ActionItem>, StoreError> {
        let select = action_item::Entity::find()
            .filter(action_item::Column::AgreementId.is_in(agreement_ids.iter().copied()))
            .order_by_asc(action_item::Column::DueOn)
            .order_by_asc(action_item::Column::Id);
        read(&self.db, select).await
    }

    /// Every pending item (open, in progress or blocked), by due date, with the session
    /// whose agreement created it: what follow-up agenda items carry over.
    pub async fn pending_action_items(
        &self,
    ) -> Result<Vec<(ActionItem, Option<Uuid>)>, StoreError> {
        let select = action_item::Entity::find()
            .filter(pending())
            .order_by_asc(action_item::Column::DueOn)
            .order_by_asc(action_item::Column::Id);
        let items = read(&self.db, select).await?;
        let agreement_ids: Vec<Uuid> = items.iter().filter_map(|item| item.agreement_id).collect();
        let sessions: HashMap<Uuid, Uuid> = if agreement_ids.is_empty() {
            HashMap::new()
        } else {
            agreement::Entity::find()
                .filter(agreement::Column::Id.is_in(agreement_ids))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|agreement| (agreement.id, agreement.meeting_id))
                .collect()
        };
        Ok(items
            .into_iter()
            .map(|item| {
                let session = item.agreement_id.and_then(|id| sessions.get(&id).copied());
                (item, session)
            })
            .collect())
    }

    /// The latest [`HISTORY_BOUND`] updates of each of these items, oldest first: what
    /// `history` shows.
    pub async fn history_of(&self, item_ids: &[Uuid]) -> Result<Vec<HistoryEntry>, StoreError> {
        let mut entries = self
            .history_rows(item_ids, None, HISTORY_BOUND, Newest)
            .await?;
        entries.sort_by_key(|entry| (entry.at, entry.id));
        Ok(entries)
    }

    /// The same page of each item's updates, oldest first, after `request.after` (at, id):
    /// one statement for all the items, and one more for their totals when asked.
    pub async fn history_pages(
        &self,
        item_ids: &[Uuid],
        request: &PageRequest<(DateTime<Utc>, Uuid)>,
    ) -> Result<HashMap<Uuid, Page<HistoryEntry>>, StoreError> {
        let totals = if request.with_total {
            page::count_per_parent(
                &self.db,
                action_item_update::Entity::find(),
                action_item_update::Column::ActionItemId,
                item_ids,
            )
            .await?
        } else {
            HashMap::new()
        };
        let mut entries: Vec<HistoryEntry> = self
            .history_rows(item_ids, request.after, request.first + 1, Oldest)
            .await?;
        entries.sort_by_key(|entry| (entry.at, entry.id));
        Ok(page::pages_per_parent(
            item_ids,
            request,
            &totals,
            entries,
            |entry| entry.action_item_id,
        ))
    }

    /// At most `limit` of each item's updates after `after`, counted from its oldest or
    /// its newest, in one statement: `ROW_NUMBER()` over each item's updates, on both
    /// databases.
    async fn history_rows(
        &self,
        item_ids: &[Uuid],
        after: Option<(DateTime<Utc>, Uuid)>,
        limit: u64,
        from: HistoryEnd,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        use sea_orm::sea_query::Alias;
        use sea_orm::{Iden, Iterable, QueryTrait};
        if item_ids.is_empty() {
            return Ok(Vec::new());
        }
        let direction = match from {
            Oldest => "ASC",
            Newest => "DESC",
        };
        let numbered = page::after_pair(
            action_item_update::Entity::find()
                .filter(action_item_update::Column::ActionItemId.is_in(item_ids.iter().copied())),
            action_item_update::Column::At,
            action_item_update::Column::Id,
            after,
        )
        .expr_as(
            Expr::cust(format!(
                "ROW_NUMBER() OVER (PARTITION BY action_item_id ORDER BY at {direction}, id {direction})"
            )),
            "place",
        )
        .into_query();
        let mut select = Query::select();
        for column in action_item_update::Column::iter() {
            select.column(Alias::new(column.to_string()));
        }
        select
            .from_subquery(numbered, Alias::new("numbered"))
            .and_where(Expr::col(Alias::new("place")).lte(limit));
        let rows: Vec<action_item_update::Model> =
            row::decode(&self.db, self.db.get_database_backend().build(&select)).await?;
        rows.into_iter().map(history_to_domain).collect()
    }
}

/// How many updates `history` shows: the latest ones; `updates` pages through them all.
pub const HISTORY_BOUND: u64 = 100;

/// Which end of an item's history its updates are numbered from.
#[derive(Debug, Clone, Copy)]
enum HistoryEnd {
    Oldest,
    Newest,
}

use HistoryEnd::{Newest, Oldest};

/// A change to an item in its two steps: whether the actor may make it, decided on the
/// item as stored, and the change itself.
struct Steps<A, C> {
    authorize: A,
    change: C,
}

fn stale(version: i32) -> StoreError {
    StoreError::Conflict(format!(
        "the item changed since you read it (it is at version {version} or later): read it again and reapply your change"
    ))
}

/// Creates an item inside the caller's transaction, with its first history entry.
pub(crate) async fn insert<C: ConnectionTrait>(
    db: &C,
    actor: Option<&Actor>,
    new: NewActionItem,
    today: NaiveDate,
    field_prefix: &str,
) -> Result<ActionItem, StoreError> {
    let field = |name: &str| format!("{field_prefix}{name}");
    require_agencies(
        db,
        vec![new.responsible_agency_id],
        &field("responsibleAgencyId"),
    )
    .await?;
    let supporters = require_agencies(
        db,
        new.supporting_agency_ids.clone(),
        &field("supportingAgencyIds"),
    )
    .await?;
    let now = Utc::now();
    let year = chrono::Datelike::year(&today);
    let number = counters::next(db, &format!("action_item:{year}")).await?;
    let id = Uuid::now_v7();
    let row = action_item::ActiveModel {
        id: Set(id),
        year: Set(year),
        number: Set(number),
        title: Set(new.title),
        description: Set(new.description),
        agreement_id: Set(new.agreement_id),
        project_id: Set(new.project_id),
        responsible_agency_id: Set(new.responsible_agency_id),
        due_on: Set(new.due_on),
        status: Set(ActionItemStatus::Open.as_str().to_owned()),
        progress_percent: Set(0),
        completed_on: Set(None),
        cancel_reason: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    if !supporters.is_empty() {
        action_item_supporter::Entity::insert_many(supporters.iter().map(|agency_id| {
            action_item_supporter::ActiveModel {
                action_item_id: Set(id),
                agency_id: Set(*agency_id),
            }
        }))
        .exec(db)
        .await?;
    }
    let funders = match row.project_id {
        Some(project) => crate::projects::funders_of(db, &[project])
            .await?
            .remove(&project)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let created = to_domain(WithIds {
        model: row,
        ids: [supporters, funders],
    })?;
    record_history(
        db,
        id,
        actor,
        HistoryDraft {
            status_to: Some(ActionItemStatus::Open),
            progress_percent: Some(0),
            ..HistoryDraft::default()
        },
        now,
    )
    .await?;
    audit::record(
        db,
        now,
        Entry {
            actor,
            action: "action_item.create",
            object_type: "action_item",
            object_id: id,
            changes: changes(None, Some(&created)),
        },
    )
    .await?;
    Ok(created)
}

async fn record_history<C: ConnectionTrait>(
    db: &C,
    item_id: Uuid,
    actor: Option<&Actor>,
    draft: HistoryDraft,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    action_item_update::ActiveModel {
        id: Set(Uuid::now_v7()),
        action_item_id: Set(item_id),
        at: Set(at),
        author_user_id: Set(actor.map(|a| a.user_id)),
        agency_id: Set(actor.and_then(|a| a.agency_id)),
        note: Set(draft.note),
        status_from: Set(draft.status_from.map(|s| s.as_str().to_owned())),
        status_to: Set(draft.status_to.map(|s| s.as_str().to_owned())),
        progress_percent: Set(draft.progress_percent),
        evidence_url: Set(draft.evidence_url),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub(crate) async fn load<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<ActionItem, StoreError> {
    read(db, action_item::Entity::find_by_id(id))
        .await?
        .pop()
        .ok_or(StoreError::NotFound("action item"))
}

/// The items `filter` asks for, unordered and unpaged.
fn filtered(filter: &ActionItemFilter) -> Select<action_item::Entity> {
    let mut select = action_item::Entity::find();
    if !filter.statuses.is_empty() {
        select = select
            .filter(action_item::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if filter.pending {
        select = select.filter(pending());
    }
    if let Some(agency_id) = filter.responsible_agency_id {
        select = select.filter(action_item::Column::ResponsibleAgencyId.eq(agency_id));
    }
    match filter.overdue {
        Some((true, today)) => {
            select = select
                .filter(action_item::Column::DueOn.lt(today))
                .filter(pending());
        }
        Some((false, today)) => {
            select = select.filter(action_item::Column::DueOn.gte(today).or(not_pending()));
        }
        None => {}
    }
    if let Some(before) = filter.due_before {
        select = select.filter(action_item::Column::DueOn.lt(before));
    }
    if let Some(meeting_id) = filter.meeting_id {
        select = select.filter(
            action_item::Column::AgreementId.in_subquery(
                Query::select()
                    .column(agreement::Column::Id)
                    .from(agreement::Entity)
                    .and_where(agreement::Column::MeetingId.eq(meeting_id))
                    .to_owned(),
            ),
        );
    }
    if let Some(agreement_id) = filter.agreement_id {
        select = select.filter(action_item::Column::AgreementId.eq(agreement_id));
    }
    if let Some(project_id) = filter.project_id {
        select = select.filter(action_item::Column::ProjectId.eq(project_id));
    }
    select
}

/// An item's row with its supporting agencies and its project's funders, whom its read
/// rule and `supporting` need.
type ItemRow = WithIds<action_item::Model, 2>;

/// `select` with each item's supporting agencies and its project's funders.
fn with_agencies(
    select: Select<action_item::Entity>,
    backend: DbBackend,
) -> Select<action_item::Entity> {
    row::with_id_lists(
        select,
        [
            row::id_list(
                backend,
                "agency_id",
                "action_item_supporters",
                "action_item_supporters.action_item_id = action_items.id",
            ),
            row::id_list(
                backend,
                "agency_id",
                "project_participants",
                &format!(
                    "project_participants.project_id = action_items.project_id \
                     AND project_participants.role = '{}'",
                    ParticipantRole::Funding.as_str()
                ),
            ),
        ],
    )
}

/// The items `select` finds, each in one row with its supporters and funders.
pub(crate) async fn read<C: ConnectionTrait>(
    db: &C,
    select: Select<action_item::Entity>,
) -> Result<Vec<ActionItem>, StoreError> {
    let select = with_agencies(select, db.get_database_backend());
    row::all_as::<ItemRow, _, _>(db, select)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

fn to_domain(row: ItemRow) -> Result<ActionItem, StoreError> {
    let WithIds {
        model: row,
        ids: [supporting_agency_ids, project_funder_ids],
    } = row;
    Ok(ActionItem {
        project_funder_ids,
        id: row.id,
        year: row.year,
        number: row.number,
        title: row.title,
        description: row.description,
        agreement_id: row.agreement_id,
        project_id: row.project_id,
        responsible_agency_id: row.responsible_agency_id,
        supporting_agency_ids,
        due_on: row.due_on,
        status: column(&row.status, "action_items.status")?,
        progress_percent: row.progress_percent,
        completed_on: row.completed_on,
        cancel_reason: row.cancel_reason,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn history_to_domain(row: action_item_update::Model) -> Result<HistoryEntry, StoreError> {
    Ok(HistoryEntry {
        id: row.id,
        action_item_id: row.action_item_id,
        at: row.at,
        author_user_id: row.author_user_id,
        agency_id: row.agency_id,
        note: row.note,
        status_from: row
            .status_from
            .as_deref()
            .map(|s| column(s, "action_item_updates.status_from"))
            .transpose()?,
        status_to: row
            .status_to
            .as_deref()
            .map(|s| column(s, "action_item_updates.status_to"))
            .transpose()?,
        progress_percent: row.progress_percent,
        evidence_url: row.evidence_url,
    })
}
