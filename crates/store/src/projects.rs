//! Funded projects: creation and changes, participants, lists scoped to who may see them.

use std::collections::HashMap;

use chrono::Utc;
use cmnp_domain::ValidationError;
use cmnp_domain::audit::changes;
use cmnp_domain::policy::{Actor, ProjectScope};
use cmnp_domain::project::{Participant, ParticipantRole, Project, ProjectFields, ProjectStatus};
use sea_orm::sea_query::{ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QuerySelect, Select, Set,
};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{agency, budget_line, project, project_participant, transaction};
use crate::error::column;
use crate::meetings::require_agencies;
use crate::page::{self, Page, PageRequest};
use crate::project_parts::added;
use crate::row::{self, WithIds};
use crate::{Store, StoreError};

/// Which projects a list may show.
#[derive(Debug, Clone)]
pub struct ProjectFilter {
    pub scope: ProjectScope,
    pub status: Option<ProjectStatus>,
    /// Projects this agency takes part in.
    pub agency_id: Option<Uuid>,
}

impl Store {
    pub async fn create_project(
        &self,
        actor: Option<&Actor>,
        fields: ProjectFields,
    ) -> Result<Project, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let id = Uuid::now_v7();
        let model = validated(&txn, id, fields, now, now, 1).await?;
        let identifier = model.iati_identifier.clone();
        let row = model
            .insert(&txn)
            .await
            .map_err(|e| duplicate(e, identifier.as_ref()))?;
        let created = to_domain(row, Vec::new())?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "project.create",
                object_type: "project",
                object_id: id,
                changes: changes(None, Some(&created)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(created)
    }

    /// Replaces the project's fields with `change(current)` if the project is still at
    /// `expected_version` (when given); the identifier is fixed once the project leaves
    /// the pipeline, and the currency once money is recorded.
    pub async fn update_project(
        &self,
        actor: Option<&Actor>,
        id: Uuid,
        expected_version: Option<i32>,
        change: impl FnOnce(ProjectFields) -> ProjectFields,
    ) -> Result<Project, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let before = lock(&txn, id).await?;
        StoreError::unless_stale("project", before.version, expected_version)?;
        let fields = change(ProjectFields::from(&before));
        fields.check_change(&before, has_money(&txn, id).await?)?;
        let model = validated(&txn, id, fields, before.created_at, now, before.version + 1).await?;
        let identifier = model.iati_identifier.clone();
        let row = model
            .update(&txn)
            .await
            .map_err(|e| duplicate(e, identifier.as_ref()))?;
        let after = to_domain(row, before.participants.clone())?;
        audit::record(
            &txn,
            now,
            Entry {
                actor,
                action: "project.update",
                object_type: "project",
                object_id: id,
                changes: changes(Some(&before), Some(&after)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    pub async fn add_project_participant(
        &self,
        actor: Option<&Actor>,
        project_id: Uuid,
        agency_id: Uuid,
        role: ParticipantRole,
    ) -> Result<Project, StoreError> {
        self.change_project(
            actor,
            project_id,
            "project.participant.add",
            async |txn, project| {
                require_agencies(txn, vec![agency_id], "agencyId").await?;
                let participant = project.admit(agency_id, role)?;
                project_participant::ActiveModel {
                    project_id: Set(project_id),
                    agency_id: Set(agency_id),
                    role: Set(role.as_str().to_owned()),
                }
                .insert(txn)
                .await?;
                Ok(added("participant", &participant))
            },
        )
        .await
    }

    pub async fn project(&self, id: Uuid) -> Result<Option<Project>, StoreError> {
        Ok(self.projects_by_ids(&[id]).await?.pop())
    }

    pub async fn projects_by_ids(&self, ids: &[Uuid]) -> Result<Vec<Project>, StoreError> {
        read(
            &self.db,
            project::Entity::find().filter(project::Column::Id.is_in(ids.iter().copied())),
        )
        .await
    }

    /// Projects in identifier order, limited to what the scope may see.
    pub async fn projects(
        &self,
        filter: ProjectFilter,
        request: PageRequest<String>,
    ) -> Result<Page<Project>, StoreError> {
        let mut select = project::Entity::find();
        let participating = |agency_id: Uuid, role: Option<ParticipantRole>| {
            let mut query = Query::select()
                .column(project_participant::Column::ProjectId)
                .from(project_participant::Entity)
                .and_where(project_participant::Column::AgencyId.eq(agency_id))
                .to_owned();
            if let Some(role) = role {
                query.and_where(project_participant::Column::Role.eq(role.as_str()));
            }
            project::Column::Id.in_subquery(query)
        };
        match filter.scope {
            ProjectScope::All => {}
            ProjectScope::Participant(agency_id) => {
                select = select.filter(participating(agency_id, None));
            }
            ProjectScope::Funder(agency_id) => {
                select = select.filter(participating(agency_id, Some(ParticipantRole::Funding)));
            }
        }
        if let Some(status) = filter.status {
            select = select.filter(project::Column::Status.eq(status.as_str()));
        }
        if let Some(agency_id) = filter.agency_id {
            select = select.filter(participating(agency_id, None));
        }
        let backend = self.db.get_database_backend();
        let page: Page<ProjectRow> = page::fetch(
            &self.db,
            select,
            project::Column::IatiIdentifier,
            request,
            |select| with_participants(select, backend),
        )
        .await?;
        page.try_map(from_row)
    }

    /// Every project the scope may see, for exports.
    pub async fn all_projects(&self, scope: ProjectScope) -> Result<Vec<Project>, StoreError> {
        let mut all = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .projects(
                    ProjectFilter {
                        scope,
                        status: None,
                        agency_id: None,
                    },
                    PageRequest {
                        first: 100,
                        after,
                        with_total: false,
                    },
                )
                .await?;
            after = page.items.last().map(|p| p.iati_identifier.clone());
            all.extend(page.items);
            if !page.has_next_page {
                return Ok(all);
            }
        }
    }
}

async fn validated<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    fields: ProjectFields,
    created_at: chrono::DateTime<Utc>,
    now: chrono::DateTime<Utc>,
    version: i32,
) -> Result<project::ActiveModel, StoreError> {
    let (reporting_id, reference) = reporting_agency(db, &fields).await?;
    let fields = fields.check(&reference)?;
    Ok(project::ActiveModel {
        id: Set(id),
        iati_identifier: Set(fields.iati_identifier),
        reporting_agency_id: Set(reporting_id),
        title: Set(fields.title),
        description: Set(fields.description),
        status: Set(fields.status.as_str().to_owned()),
        currency: Set(fields.currency.as_str().to_owned()),
        planned_start: Set(fields.planned_start),
        planned_end: Set(fields.planned_end),
        actual_start: Set(fields.actual_start),
        actual_end: Set(fields.actual_end),
        regions: Set(serde_json::json!(fields.regions)),
        sectors: Set(serde_json::json!(fields.sectors)),
        created_at: Set(created_at),
        updated_at: Set(now),
        version: Set(version),
    })
}

/// The reporting agency and its IATI reference: the one named, or the agency whose
/// reference (longest first) starts the identifier.
async fn reporting_agency<C: ConnectionTrait>(
    db: &C,
    fields: &ProjectFields,
) -> Result<(Uuid, String), StoreError> {
    if let Some(id) = fields.reporting_agency_id {
        let agency = agency::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or_else(|| {
                ValidationError::new("reportingAgencyId", format!("no agency has id {id}"))
            })?;
        let reference = agency.iati_ref.ok_or_else(|| {
            ValidationError::new(
                "reportingAgencyId",
                format!("{} has no IATI organisation reference", agency.acronym),
            )
        })?;
        return Ok((id, reference));
    }
    let identifier = fields.iati_identifier.trim();
    agency::Entity::find()
        .filter(agency::Column::IatiRef.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|agency| agency.iati_ref.map(|reference| (agency.id, reference)))
        .filter(|(_, reference)| identifier.starts_with(&format!("{reference}-")))
        .max_by_key(|(_, reference)| reference.len())
        .ok_or_else(|| {
            ValidationError::new("iatiIdentifier", "no agency's IATI reference starts this identifier; name the reporting agency with reportingAgencyId").into()
        })
}

fn duplicate(error: sea_orm::DbErr, identifier: &str) -> StoreError {
    StoreError::unique(
        error,
        "iatiIdentifier",
        format!("a project with identifier {identifier} already exists"),
    )
}

async fn has_money<C: ConnectionTrait>(db: &C, project_id: Uuid) -> Result<bool, StoreError> {
    let lines = budget_line::Entity::find()
        .filter(budget_line::Column::ProjectId.eq(project_id))
        .count(db)
        .await?;
    let transactions = transaction::Entity::find()
        .filter(transaction::Column::ProjectId.eq(project_id))
        .count(db)
        .await?;
    Ok(lines + transactions > 0)
}

/// Reads a project in a write transaction, locking its row (on PostgreSQL) so that
/// changes to one project run one after the other.
pub(crate) async fn lock<C: ConnectionTrait>(db: &C, id: Uuid) -> Result<Project, StoreError> {
    read(db, project::Entity::find_by_id(id).lock_exclusive())
        .await?
        .pop()
        .ok_or(StoreError::NotFound("project"))
}

/// Marks a project changed (its parts included), so that exports show when it last
/// changed.
pub(crate) async fn touch<C: ConnectionTrait>(
    db: &C,
    project_id: Uuid,
    now: chrono::DateTime<Utc>,
) -> Result<(), StoreError> {
    project::Entity::update_many()
        .col_expr(
            project::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            project::Column::Version,
            sea_orm::sea_query::Expr::col(project::Column::Version).add(1),
        )
        .filter(project::Column::Id.eq(project_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The funding agencies of each of these projects.
pub(crate) async fn funders_of<C: ConnectionTrait>(
    db: &C,
    project_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Uuid>>, StoreError> {
    let mut funders: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    if project_ids.is_empty() {
        return Ok(funders);
    }
    for row in project_participant::Entity::find()
        .filter(project_participant::Column::ProjectId.is_in(project_ids.iter().copied()))
        .filter(project_participant::Column::Role.eq(ParticipantRole::Funding.as_str()))
        .all(db)
        .await?
    {
        funders
            .entry(row.project_id)
            .or_default()
            .push(row.agency_id);
    }
    Ok(funders)
}

/// A project's row with its participants, one id list per role, in the roles' order.
type ProjectRow = WithIds<project::Model, 4>;

/// The roles of [`ProjectRow`]'s id lists, in the order participants are listed.
const ROLES: [ParticipantRole; 4] = [
    ParticipantRole::Accountable,
    ParticipantRole::Extending,
    ParticipantRole::Funding,
    ParticipantRole::Implementing,
];

/// `select` with each project's participants, whom its read rule needs.
fn with_participants(
    select: Select<project::Entity>,
    backend: DbBackend,
) -> Select<project::Entity> {
    row::with_id_lists(
        select,
        ROLES.map(|role| {
            row::id_list(
                backend,
                "agency_id",
                "project_participants",
                &format!(
                    "project_participants.project_id = projects.id \
                     AND project_participants.role = '{}'",
                    role.as_str()
                ),
            )
        }),
    )
}

/// The projects `select` finds, each in one row with its participants.
pub(crate) async fn read<C: ConnectionTrait>(
    db: &C,
    select: Select<project::Entity>,
) -> Result<Vec<Project>, StoreError> {
    let select = with_participants(select, db.get_database_backend());
    row::all_as::<ProjectRow, _, _>(db, select)
        .await?
        .into_iter()
        .map(from_row)
        .collect()
}

fn from_row(row: ProjectRow) -> Result<Project, StoreError> {
    let WithIds { model: row, ids } = row;
    let project_id = row.id;
    // By role, then by agency (ids compare as the databases order them).
    let participants = ROLES
        .into_iter()
        .zip(ids)
        .flat_map(|(role, mut agencies)| {
            agencies.sort_unstable();
            agencies.into_iter().map(move |agency_id| Participant {
                project_id,
                agency_id,
                role,
            })
        })
        .collect();
    to_domain(row, participants)
}

fn to_domain(row: project::Model, participants: Vec<Participant>) -> Result<Project, StoreError> {
    let strings = |value: serde_json::Value, name: &str| {
        serde_json::from_value::<Vec<String>>(value)
            .map_err(|_| StoreError::Internal(format!("unreadable list in projects.{name}")))
    };
    Ok(Project {
        id: row.id,
        iati_identifier: row.iati_identifier,
        reporting_agency_id: row.reporting_agency_id,
        title: row.title,
        description: row.description,
        status: column(&row.status, "projects.status")?,
        currency: row.currency,
        planned_start: row.planned_start,
        planned_end: row.planned_end,
        actual_start: row.actual_start,
        actual_end: row.actual_end,
        regions: strings(row.regions, "regions")?,
        sectors: strings(row.sectors, "sectors")?,
        participants,
        created_at: row.created_at,
        updated_at: row.updated_at,
        version: row.version,
    })
}
