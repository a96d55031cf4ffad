//! Which object an id names. Ids are UUIDs, unique across tables, so a global id is the
//! object's own id: `node(id:)` asks here which table holds each id (one statement for
//! all of them) and what the object is reached through, then reads it as its type's own
//! field does, through the same read rule.

use cmnp_domain::user::TokenKind;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType};
use uuid::Uuid;

use cmnp_domain::node::NodeKind;

use crate::error::column;
use crate::row::{self, Columns, FromColumns};
use crate::{Store, StoreError};

/// Where an id was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeRef {
    pub id: Uuid,
    pub kind: NodeKind,
    /// The object it is read through: its session (an agenda item, an observation on the
    /// minutes), its project (budget
    /// lines, transactions, results, indicators, milestones); for the others, the object
    /// itself.
    pub parent: Uuid,
}

impl FromColumns for NodeRef {
    fn columns() -> Vec<&'static str> {
        vec!["id", "kind", "parent"]
    }

    fn from_columns(columns: &mut Columns<'_>) -> Result<Self, StoreError> {
        let id = columns.next()?;
        let kind: String = columns.next()?;
        Ok(Self {
            id,
            kind: column(&kind, "node kind")?,
            parent: columns.next()?,
        })
    }
}

/// The tables, each with the kind of its rows and the column naming what they are read
/// through.
const TABLES: [(&str, NodeKind, &str); 16] = [
    ("action_items", NodeKind::ActionItem, "id"),
    ("agencies", NodeKind::Agency, "id"),
    ("agenda_items", NodeKind::AgendaItem, "meeting_id"),
    ("agreements", NodeKind::Agreement, "id"),
    ("api_tokens", NodeKind::ApiToken, "id"),
    ("audit_events", NodeKind::AuditEvent, "id"),
    ("budget_lines", NodeKind::BudgetLine, "project_id"),
    ("email_outbox", NodeKind::EmailDelivery, "id"),
    ("meetings", NodeKind::Meeting, "id"),
    ("milestones", NodeKind::Milestone, "project_id"),
    ("minutes_observations", NodeKind::Observation, "meeting_id"),
    ("projects", NodeKind::Project, "id"),
    ("results", NodeKind::ProjectResult, "project_id"),
    ("representatives", NodeKind::Representative, "id"),
    ("transactions", NodeKind::Transaction, "project_id"),
    ("users", NodeKind::User, "id"),
];

impl Store {
    /// Where each of `ids` is found; ids found nowhere are left out. API tokens count only
    /// as the tokens `ApiToken` lists (API tokens and calendar feeds), not sessions or
    /// reset links.
    pub async fn node_refs(&self, ids: &[Uuid]) -> Result<Vec<NodeRef>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut union = indicators(ids);
        for (table, kind, parent) in TABLES {
            let mut select = of_table(table, kind, (table, parent), ids);
            if kind == NodeKind::ApiToken {
                select.and_where(
                    Expr::col((Alias::new(table), Alias::new("kind")))
                        .is_in([TokenKind::Api.as_str(), TokenKind::Calendar.as_str()]),
                );
            }
            union.union(UnionType::All, select);
        }
        row::decode(&self.db, self.db.get_database_backend().build(&union)).await
    }
}

/// The rows of `table` with these ids: each id, its kind and the column `parent`
/// (`(table, column)`) naming what it is read through.
fn of_table(table: &str, kind: NodeKind, parent: (&str, &str), ids: &[Uuid]) -> SelectStatement {
    Query::select()
        .expr_as(
            Expr::col((Alias::new(table), Alias::new("id"))),
            Alias::new("id"),
        )
        .expr_as(Expr::val(kind.as_str()), Alias::new("kind"))
        .expr_as(
            Expr::col((Alias::new(parent.0), Alias::new(parent.1))),
            Alias::new("parent"),
        )
        .from(Alias::new(table))
        .and_where(Expr::col((Alias::new(table), Alias::new("id"))).is_in(ids.iter().copied()))
        .to_owned()
}

/// Indicators are read through the project of their result.
fn indicators(ids: &[Uuid]) -> SelectStatement {
    of_table(
        "indicators",
        NodeKind::Indicator,
        ("results", "project_id"),
        ids,
    )
    .inner_join(
        Alias::new("results"),
        Expr::col((Alias::new("results"), Alias::new("id")))
            .equals((Alias::new("indicators"), Alias::new("result_id"))),
    )
    .to_owned()
}
