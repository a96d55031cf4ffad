//! Keyset pagination: a page is the rows after a key, in key order, never an `OFFSET`
//! scan. The total is counted only when a client asks for it.

use std::collections::HashMap;

use sea_orm::sea_query::{Alias, Asterisk, Query, UnionType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select,
};

use crate::StoreError;
use crate::row::{self, FromColumns};

/// Which page of a list to read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageRequest<K> {
    /// Rows to return (already bounded by the API).
    pub first: u64,
    /// Return rows whose key is greater than this one.
    pub after: Option<K>,
    /// Whether to count all rows that match the filter.
    pub with_total: bool,
}

#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next_page: bool,
    pub total_count: Option<u64>,
}

impl<T> Page<T> {
    pub(crate) fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            items: self.items.into_iter().map(f).collect::<Result<_, _>>()?,
            has_next_page: self.has_next_page,
            total_count: self.total_count,
        })
    }
}

/// Reads one page of `select` ordered by the unique column `key`; the rows are read as
/// `M`, by position, from `select` with what `rows` adds to it (counting without).
pub(crate) async fn fetch<E, C, K, M>(
    db: &C,
    select: Select<E>,
    key: E::Column,
    request: PageRequest<K>,
    rows: impl FnOnce(Select<E>) -> Select<E>,
) -> Result<Page<M>, StoreError>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
    K: Into<sea_orm::Value>,
    M: FromColumns,
{
    fetch_in(db, select, (key, Direction::Ascending), request, rows).await
}

/// Which way a list runs along its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ascending,
    Descending,
}

/// [`fetch`] in either direction: a descending page holds the rows whose key is less
/// than `request.after`, largest first.
pub(crate) async fn fetch_in<E, C, K, M>(
    db: &C,
    select: Select<E>,
    (key, direction): (E::Column, Direction),
    request: PageRequest<K>,
    rows: impl FnOnce(Select<E>) -> Select<E>,
) -> Result<Page<M>, StoreError>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
    K: Into<sea_orm::Value>,
    M: FromColumns,
{
    let total_count = if request.with_total {
        Some(select.clone().count(db).await?)
    } else {
        None
    };
    let mut query = select;
    if let Some(after) = request.after {
        query = query.filter(match direction {
            Direction::Ascending => key.gt(after),
            Direction::Descending => key.lt(after),
        });
    }
    // One row more than asked says whether there is a next page.
    let page = match direction {
        Direction::Ascending => query.order_by_asc(key),
        Direction::Descending => query.order_by_desc(key),
    }
    .limit(request.first + 1);
    let mut items: Vec<M> = row::all_as(db, rows(page)).await?;
    let has_next_page = items.len() as u64 > request.first;
    items.truncate(usize::try_from(request.first).unwrap_or(usize::MAX));
    Ok(Page {
        items,
        has_next_page,
        total_count,
    })
}

/// Reads one page of `select` ordered by `key` (which may repeat) and then by the unique
/// `id`, so that rows with equal keys keep a stable order across pages; the rows are read
/// as `M`, by position, from `select` with what `rows` adds to it (counting without).
pub(crate) async fn fetch_pair<E, C, K, M>(
    db: &C,
    select: Select<E>,
    (key, id): (E::Column, E::Column),
    request: PageRequest<(K, uuid::Uuid)>,
    rows: impl FnOnce(Select<E>) -> Select<E>,
) -> Result<Page<M>, StoreError>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
    K: Into<sea_orm::Value> + Clone,
    M: FromColumns,
{
    let total_count = if request.with_total {
        Some(select.clone().count(db).await?)
    } else {
        None
    };
    let page = after_pair(select, key, id, request.after)
        .order_by_asc(key)
        .order_by_asc(id)
        .limit(request.first + 1);
    let mut items: Vec<M> = row::all_as(db, rows(page)).await?;
    let has_next_page = items.len() as u64 > request.first;
    items.truncate(usize::try_from(request.first).unwrap_or(usize::MAX));
    Ok(Page {
        items,
        has_next_page,
        total_count,
    })
}

/// The rows of `select` after `after` in (`key`, `id`) order:
/// `key >= k AND (key > k OR id > i)`, where the first term bounds an index scan on
/// (key, id), which the `OR` alone would not.
pub(crate) fn after_pair<E, K>(
    select: Select<E>,
    key: E::Column,
    id: E::Column,
    after: Option<(K, uuid::Uuid)>,
) -> Select<E>
where
    E: EntityTrait,
    K: Into<sea_orm::Value> + Clone,
{
    match after {
        Some((after_key, after_id)) => select
            .filter(key.gte(after_key.clone()))
            .filter(Condition::any().add(key.gt(after_key)).add(id.gt(after_id))),
        None => select,
    }
}

/// The same page of `select` for each of `parents` at once, in one statement: for each
/// parent, the rows of its `parent` column after `request.after` in (`key`, `id`) order,
/// at most `request.first + 1` of them (the extra one says whether it has a next page),
/// each read as its own ordered, limited index range and joined with `UNION ALL`. The
/// rows come back in no particular order across parents; totals are the caller's. Rows
/// are read as `M`, by position, with what `rows` adds to each range's select.
pub(crate) async fn fetch_pair_per_parent<E, C, K, M>(
    db: &C,
    select: Select<E>,
    (parent, key, id): (E::Column, E::Column, E::Column),
    parents: &[uuid::Uuid],
    request: &PageRequest<(K, uuid::Uuid)>,
    rows: impl Fn(Select<E>) -> Select<E>,
) -> Result<Vec<M>, StoreError>
where
    E: EntityTrait,
    C: ConnectionTrait,
    K: Into<sea_orm::Value> + Clone,
    M: FromColumns,
{
    let query = after_pair(select, key, id, request.after.clone());
    let page = |(number, of): (usize, &uuid::Uuid)| {
        let range = rows(
            query
                .clone()
                .filter(parent.eq(*of))
                .order_by_asc(key)
                .order_by_asc(id)
                .limit(request.first + 1),
        )
        .into_query();
        Query::select()
            .column(Asterisk)
            .from_subquery(range, Alias::new(format!("page_{number}")))
            .to_owned()
    };
    let mut ranges = parents.iter().enumerate().map(page);
    let Some(mut union) = ranges.next() else {
        return Ok(Vec::new());
    };
    for range in ranges {
        union.union(UnionType::All, range);
    }
    row::decode(db, db.get_database_backend().build(&union)).await
}

/// How many rows of `select` each of `parents` has in its `parent` column, in one grouped
/// count; a parent without rows is left out.
pub(crate) async fn count_per_parent<E, C>(
    db: &C,
    select: Select<E>,
    parent: E::Column,
    parents: &[uuid::Uuid],
) -> Result<HashMap<uuid::Uuid, u64>, StoreError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let counted: Vec<(uuid::Uuid, i64)> = select
        .filter(parent.is_in(parents.iter().copied()))
        .select_only()
        .column(parent)
        .column_as(parent.count(), "count")
        .group_by(parent)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counted
        .into_iter()
        .map(|(of, n)| (of, u64::try_from(n).unwrap_or_default()))
        .collect())
}

/// The page of each of `parents` from `rows`, which hold, in page order, up to
/// `request.first + 1` rows of each (as [`fetch_pair_per_parent`] reads them): the first
/// `request.first` make the page and one more says it has a next one. `totals` are the
/// parents' counts when the request asks for them.
pub(crate) fn pages_per_parent<T, K>(
    parents: &[uuid::Uuid],
    request: &PageRequest<K>,
    totals: &HashMap<uuid::Uuid, u64>,
    rows: Vec<T>,
    parent_of: impl Fn(&T) -> uuid::Uuid,
) -> HashMap<uuid::Uuid, Page<T>> {
    let mut pages: HashMap<uuid::Uuid, Page<T>> = parents
        .iter()
        .map(|of| {
            let page = Page {
                items: Vec::new(),
                has_next_page: false,
                total_count: request
                    .with_total
                    .then(|| totals.get(of).copied().unwrap_or_default()),
            };
            (*of, page)
        })
        .collect();
    let first = usize::try_from(request.first).unwrap_or(usize::MAX);
    for row in rows {
        if let Some(page) = pages.get_mut(&parent_of(&row)) {
            if page.items.len() < first {
                page.items.push(row);
            } else {
                page.has_next_page = true;
            }
        }
    }
    pages
}

/// A case-insensitive `LIKE` pattern that matches `needle` anywhere, with the pattern's
/// own wildcards escaped.
pub(crate) fn contains_pattern(needle: &str) -> String {
    let mut pattern = String::from("%");
    for c in needle.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(contains_pattern(" 50%_Off "), "%50\\%\\_off%");
    }
}
