//! Gap-free numbers per series ("ORDINARY sessions of 2026", "agreements of 2026"),
//! drawn inside the transaction that uses them: a rolled-back transaction gives its
//! number back, and concurrent transactions queue on the counter's row.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::StoreError;
use crate::entity::counter;

pub(crate) async fn next<C: ConnectionTrait>(db: &C, series: &str) -> Result<i32, StoreError> {
    counter::Entity::insert(counter::ActiveModel {
        name: Set(series.to_owned()),
        value: Set(0),
    })
    .on_conflict_do_nothing()
    .exec(db)
    .await?;
    counter::Entity::update_many()
        .col_expr(
            counter::Column::Value,
            Expr::col(counter::Column::Value).add(1),
        )
        .filter(counter::Column::Name.eq(series))
        .exec(db)
        .await?;
    counter::Entity::find_by_id(series.to_owned())
        .one(db)
        .await?
        .map(|row| row.value)
        .ok_or_else(|| StoreError::Internal(format!("counter {series} vanished")))
}
