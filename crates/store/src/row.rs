//! Rows decoded by position. sea-orm reads each cell by its column's name (a hash lookup
//! per cell) and builds a formatted error value for every empty one before it turns it
//! into `None`; the reads that bring back thousands of rows (a page of items under every
//! agency, their history, agencies) decode here instead, as sqlx decodes each column, in
//! the order the entity's select lists them.
//!
//! A row can also carry the ids its object's read rule needs (a session's invited
//! agencies, an item's supporters and its project's funders) in cells of its own
//! ([`id_list`], [`WithIds`]), so that they come with the row instead of in a statement
//! of their own.

use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::sqlx::postgres::PgRow;
use sea_orm::sqlx::sqlite::SqliteRow;
use sea_orm::sqlx::{self, Decode, Postgres, Row as _, Sqlite, Type};
use sea_orm::{
    ConnectionTrait, DbBackend, EntityTrait, QueryResult, QuerySelect, QueryTrait, Select,
};
use uuid::Uuid;

use crate::StoreError;

/// A model read column by column, in its entity's select order.
pub(crate) trait FromColumns: Sized {
    /// The columns, in the order they are read: the entity's own.
    fn columns() -> Vec<&'static str>;

    fn from_columns(columns: &mut Columns<'_>) -> Result<Self, StoreError>;
}

/// Two models read from one row, one after the other (a join).
impl<A: FromColumns, B: FromColumns> FromColumns for (A, B) {
    fn columns() -> Vec<&'static str> {
        let mut columns = A::columns();
        columns.extend(B::columns());
        columns
    }

    fn from_columns(columns: &mut Columns<'_>) -> Result<Self, StoreError> {
        Ok((A::from_columns(columns)?, B::from_columns(columns)?))
    }
}

/// A value either database decodes the same way sea-orm does.
pub(crate) trait Cell:
    for<'r> Decode<'r, Postgres> + Type<Postgres> + for<'r> Decode<'r, Sqlite> + Type<Sqlite>
{
}

impl<T> Cell for T where
    T: for<'r> Decode<'r, Postgres> + Type<Postgres> + for<'r> Decode<'r, Sqlite> + Type<Sqlite>
{
}

/// The next column of a row.
pub(crate) struct Columns<'r> {
    row: Row<'r>,
    next: usize,
}

enum Row<'r> {
    Postgres(&'r PgRow),
    Sqlite(&'r SqliteRow),
}

impl<'r> Columns<'r> {
    fn of(result: &'r QueryResult) -> Result<Self, StoreError> {
        let row = match (result.try_as_pg_row(), result.try_as_sqlite_row()) {
            (Some(row), _) => Row::Postgres(row),
            (None, Some(row)) => Row::Sqlite(row),
            (None, None) => {
                return Err(StoreError::Internal(
                    "a row from neither PostgreSQL nor SQLite".into(),
                ));
            }
        };
        Ok(Self { row, next: 0 })
    }

    /// Decodes the next column as `T` (`Option<T>` for a nullable one).
    pub(crate) fn next<T: Cell>(&mut self) -> Result<T, StoreError> {
        let index = self.next;
        self.next += 1;
        let decoded = match self.row {
            Row::Postgres(row) => row.try_get::<T, _>(index),
            Row::Sqlite(row) => row.try_get::<T, _>(index),
        };
        decoded.map_err(|error: sqlx::Error| {
            StoreError::Internal(format!("column {index} could not be read: {error}"))
        })
    }
}

/// Every row `select` finds, decoded by position.
pub(crate) async fn all<E, C>(db: &C, select: Select<E>) -> Result<Vec<E::Model>, StoreError>
where
    E: EntityTrait,
    E::Model: FromColumns,
    C: ConnectionTrait,
{
    decode(db, select.build(db.get_database_backend())).await
}

/// Every row `select` finds, decoded by position as `M` (its model with id lists).
pub(crate) async fn all_as<M, E, C>(db: &C, select: Select<E>) -> Result<Vec<M>, StoreError>
where
    M: FromColumns,
    E: EntityTrait,
    C: ConnectionTrait,
{
    decode(db, select.build(db.get_database_backend())).await
}

/// A cell listing the `column` of every row of `table` where `condition` holds (it names
/// the outer row's table): the ids a row's read rule needs, in the row itself.
pub(crate) fn id_list(
    backend: DbBackend,
    column: &str,
    table: &str,
    condition: &str,
) -> SimpleExpr {
    let aggregate = match backend {
        DbBackend::Postgres => format!("string_agg({column}::text, ',')"),
        // SQLite keeps ids as 16 bytes; their hex digits are a UUID's simple form.
        _ => format!("group_concat(hex({column}), ',')"),
    };
    Expr::cust(format!(
        "(SELECT {aggregate} FROM {table} WHERE {condition})"
    ))
}

/// `select` with the id lists `lists` after its own columns, for [`WithIds`].
pub(crate) fn with_id_lists<E: EntityTrait, const N: usize>(
    select: Select<E>,
    lists: [SimpleExpr; N],
) -> Select<E> {
    lists
        .into_iter()
        .enumerate()
        .fold(select, |select, (index, list)| {
            select.expr_as(list, format!("ids_{index}"))
        })
}

/// A model and the `N` id lists its select added ([`with_id_lists`]).
pub(crate) struct WithIds<M, const N: usize> {
    pub(crate) model: M,
    pub(crate) ids: [Vec<Uuid>; N],
}

impl<M: FromColumns, const N: usize> FromColumns for WithIds<M, N> {
    fn columns() -> Vec<&'static str> {
        const NAMES: [&str; 4] = ["ids_0", "ids_1", "ids_2", "ids_3"];
        let mut columns = M::columns();
        columns.extend(NAMES.iter().take(N));
        columns
    }

    fn from_columns(columns: &mut Columns<'_>) -> Result<Self, StoreError> {
        let model = M::from_columns(columns)?;
        let lists = (0..N)
            .map(|_| parse_ids(columns.next::<Option<String>>()?.as_deref()))
            .collect::<Result<Vec<_>, _>>()?;
        let ids = lists
            .try_into()
            .map_err(|_| StoreError::Internal("id lists miscounted".into()))?;
        Ok(Self { model, ids })
    }
}

fn parse_ids(list: Option<&str>) -> Result<Vec<Uuid>, StoreError> {
    list.unwrap_or_default()
        .split(',')
        .filter(|id| !id.is_empty())
        .map(|id| {
            Uuid::parse_str(id)
                .map_err(|error| StoreError::Internal(format!("an id list holds {id:?}: {error}")))
        })
        .collect()
}

/// Every row `statement` returns, decoded by position.
pub(crate) async fn decode<M: FromColumns, C: ConnectionTrait>(
    db: &C,
    statement: sea_orm::Statement,
) -> Result<Vec<M>, StoreError> {
    let rows = db.query_all_raw(statement).await?;
    if let Some(first) = rows.first() {
        // Checked where it costs nothing in production: every test that reads rows.
        debug_assert_eq!(
            first.column_names(),
            M::columns(),
            "columns out of position"
        );
    }
    rows.iter()
        .map(|row| M::from_columns(&mut Columns::of(row)?))
        .collect()
}

/// Reads an entity's `Model` by position: list its fields in declaration order, which is
/// the order its select names their columns (a test checks each list against its entity).
macro_rules! by_position {
    ($($field:ident),+ $(,)?) => {
        impl $crate::row::FromColumns for Model {
            fn columns() -> Vec<&'static str> {
                vec![$(stringify!($field)),+]
            }

            fn from_columns(
                columns: &mut $crate::row::Columns<'_>,
            ) -> Result<Self, $crate::StoreError> {
                Ok(Self { $($field: columns.next()?),+ })
            }
        }
    };
}

pub(crate) use by_position;

#[cfg(test)]
mod tests {
    use sea_orm::{Iden, Iterable};

    use super::FromColumns;
    use crate::entity::{
        action_item, action_item_update, agency, agreement, meeting, minutes_observation,
    };

    fn columns<E: sea_orm::EntityTrait>() -> Vec<String> {
        E::Column::iter().map(|column| column.to_string()).collect()
    }

    #[test]
    fn positions_follow_each_entitys_select() {
        assert_eq!(
            action_item::Model::columns(),
            columns::<action_item::Entity>()
        );
        assert_eq!(
            action_item_update::Model::columns(),
            columns::<action_item_update::Entity>()
        );
        assert_eq!(agency::Model::columns(), columns::<agency::Entity>());
        assert_eq!(agreement::Model::columns(), columns::<agreement::Entity>());
        assert_eq!(meeting::Model::columns(), columns::<meeting::Entity>());
        assert_eq!(
            minutes_observation::Model::columns(),
            columns::<minutes_observation::Entity>()
        );
    }
}
