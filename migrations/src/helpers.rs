//! Small builders shared by the migrations.

use sea_orm_migration::prelude::*;

pub fn fk<T: IntoIden, C: IntoIden, U: IntoIden, D: IntoIden>(
    from: T,
    column: C,
    to: U,
    to_column: D,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from, column)
        .to(to, to_column)
        .on_delete(on_delete)
        .to_owned()
}

pub async fn index<T: IntoIden + Copy + 'static, C: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: &[C],
) -> Result<(), DbErr> {
    create_index(manager, name, table, columns, false).await
}

pub async fn unique<T: IntoIden + Copy + 'static, C: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: &[C],
) -> Result<(), DbErr> {
    create_index(manager, name, table, columns, true).await
}

async fn create_index<T: IntoIden + Copy + 'static, C: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: &[C],
    unique: bool,
) -> Result<(), DbErr> {
    let mut statement = Index::create().name(name).table(table).to_owned();
    if unique {
        statement.unique();
    }
    for column in columns {
        statement.col(*column);
    }
    manager.create_index(statement).await
}
