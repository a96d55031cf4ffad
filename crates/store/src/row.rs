//! Rows decoded by position. sea-orm reads each cell by its column's name (a hash lookup
//! per cell) and builds a formatted error value for every empty one before it turns it
//! into `None`; the reads that bring back thousands of rows (a page of items under every
//! agency, their history, agencies) decode here instead, as sqlx decodes each column, in
//! the order the entity's select lists them.

use sea_orm::sqlx::postgres::PgRow;
use sea_orm::sqlx::sqlite::SqliteRow;
use sea_orm::sqlx::{self, Decode, Postgres, Row as _, Sqlite, Type};
use sea_orm::{ConnectionTrait, EntityTrait, QueryResult, QueryTrait, Select};

use crate::StoreError;

/// A model read column by column, in its entity's select order.
pub(crate) trait FromColumns: Sized {
    /// The columns, in the order they are read: the entity's own.
    const COLUMNS: &'static [&'static str];

    fn from_columns(columns: &mut Columns<'_>) -> Result<Self, StoreError>;
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

/// Every row `statement` returns, decoded by position.
pub(crate) async fn decode<M: FromColumns, C: ConnectionTrait>(
    db: &C,
    statement: sea_orm::Statement,
) -> Result<Vec<M>, StoreError> {
    let rows = db.query_all_raw(statement).await?;
    if let Some(first) = rows.first() {
        // Checked where it costs nothing in production: every test that reads rows.
        debug_assert_eq!(first.column_names(), M::COLUMNS, "columns out of position");
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
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),+];

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
    use crate::entity::{action_item, action_item_update, agency};

    fn columns<E: sea_orm::EntityTrait>() -> Vec<String> {
        E::Column::iter().map(|column| column.to_string()).collect()
    }

    #[test]
    fn positions_follow_each_entitys_select() {
        assert_eq!(
            action_item::Model::COLUMNS,
            columns::<action_item::Entity>()
        );
        assert_eq!(
            action_item_update::Model::COLUMNS,
            columns::<action_item_update::Entity>()
        );
        assert_eq!(agency::Model::COLUMNS, columns::<agency::Entity>());
    }
}
