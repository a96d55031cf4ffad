//! Objects answered field by field. async-graphql resolves an object's fields as a set of
//! boxed futures, each a task of its own with its own waker, all allocated before the
//! first is polled, even though most fields (a title, a status, a date) are ready the
//! moment they are asked. The objects that come by the thousand (items, their history,
//! agencies) are resolved here instead: each field's future is polled as soon as it is
//! made, a ready one is taken at once (its memory free for the next field), and only the
//! fields that wait (for a loader's batch) stay pending, polled again when the request is
//! woken. The fields, their resolvers, their errors and the schema are the object's own.
//!
//! The schema has no extensions and no custom directives (`skip` and `include` are
//! applied before execution), which is what lets a field be resolved without them; a
//! selection with fragments, directives or a response key given twice takes
//! async-graphql's own path.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, Selection};
use async_graphql::resolver_utils::{ContainerType, resolve_container};
use async_graphql::{
    Context, ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value,
};

type Pending<'a> = Pin<Box<dyn Future<Output = ServerResult<Option<Value>>> + Send + 'a>>;

/// Resolves `root`'s selection as async-graphql would, field by field.
pub(crate) async fn resolve<T>(ctx: &ContextSelectionSet<'_>, root: &T) -> ServerResult<Value>
where
    T: ContainerType + OutputType,
{
    let Some(fields) = plain_fields(ctx) else {
        return resolve_container(ctx, root).await;
    };
    let contexts: Vec<Context<'_>> = fields.iter().map(|field| ctx.with_field(field)).collect();
    let mut values: Vec<Option<Value>> = vec![None; contexts.len()];
    let mut pending: Vec<(usize, Pending<'_>)> = Vec::new();
    let mut started = false;
    poll_fn(|cx| {
        let mut settle = |index: usize, result: ServerResult<Option<Value>>| match result {
            Ok(value) => {
                if let Some(slot) = values.get_mut(index) {
                    *slot = Some(value.unwrap_or_default());
                }
            }
            // As async-graphql does: the error is the request's, the field is left out.
            Err(error) => ctx.add_error(error),
        };
        if started {
            pending.retain_mut(|(index, future)| match future.as_mut().poll(cx) {
                Poll::Ready(result) => {
                    settle(*index, result);
                    false
                }
                Poll::Pending => true,
            });
        } else {
            started = true;
            for (index, field) in contexts.iter().enumerate() {
                if field.item.node.name.node == "__typename" {
                    settle(
                        index,
                        Ok(Some(Value::String(
                            root.introspection_type_name().into_owned(),
                        ))),
                    );
                    continue;
                }
                let mut future: Pending<'_> = Box::pin(root.resolve_field(field));
                match future.as_mut().poll(cx) {
                    Poll::Ready(result) => settle(index, result),
                    Poll::Pending => pending.push((index, future)),
                }
            }
        }
        if pending.is_empty() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    let object: IndexMap<Name, Value> = fields
        .iter()
        .zip(values)
        .filter_map(|(field, value)| Some((field.node.response_key().node.clone(), value?)))
        .collect();
    Ok(if object.is_empty() {
        Value::Null
    } else {
        Value::Object(object)
    })
}

/// The selection's fields, when it is nothing but fields without directives, each under
/// its own response key.
fn plain_fields<'a>(ctx: &ContextSelectionSet<'a>) -> Option<Vec<&'a Positioned<Field>>> {
    let fields: Vec<&Positioned<Field>> = ctx
        .item
        .node
        .items
        .iter()
        .map(|selection| match &selection.node {
            Selection::Field(field) if field.node.directives.is_empty() => Some(field),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let distinct = fields.iter().enumerate().all(|(index, field)| {
        let key = field.node.response_key();
        fields
            .iter()
            .skip(index + 1)
            .all(|other| other.node.response_key().node != key.node)
    });
    distinct.then_some(fields)
}

/// Makes `$outer`, a wrapper of `$inner` (whose `#[Object]` describes the type to the
/// schema), the type the schema serves, resolved by [`resolve`].
macro_rules! plain_object {
    ($outer:ident($inner:ty)) => {
        impl async_graphql::OutputType for $outer {
            fn type_name() -> ::std::borrow::Cow<'static, str> {
                <$inner as async_graphql::OutputType>::type_name()
            }

            fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
                <$inner as async_graphql::OutputType>::create_type_info(registry)
            }

            async fn resolve(
                &self,
                ctx: &async_graphql::ContextSelectionSet<'_>,
                _field: &async_graphql::Positioned<async_graphql::parser::types::Field>,
            ) -> async_graphql::ServerResult<async_graphql::Value> {
                $crate::plain::resolve(ctx, &self.0).await
            }
        }

        impl async_graphql::resolver_utils::ContainerType for $outer {
            async fn resolve_field(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::ServerResult<Option<async_graphql::Value>> {
                async_graphql::resolver_utils::ContainerType::resolve_field(&self.0, ctx).await
            }
        }

        impl async_graphql::ObjectType for $outer {}
    };
}

pub(crate) use plain_object;
