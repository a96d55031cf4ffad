//! Fields whose resolution lives on the heap. async-graphql resolves every field of every
//! object in a future of its own, allocated and moved into place, and that future is as
//! large as the largest of the object's fields: one field that awaits a loader and then
//! resolves a nested list makes each of the object's plain fields cost as much. A nested
//! field that returns [`Boxed`] and boxes its own work (with [`boxed`]) keeps its share
//! of that future to a pointer, so plain fields stay cheap.

use std::borrow::Cow;
use std::future::Future;

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{ContextSelectionSet, OutputType, Positioned, ServerResult, Value};

/// A value kept on the heap, and resolved there; to clients it is exactly its `T`.
pub(crate) struct Boxed<T>(Box<T>);

impl<T: OutputType> OutputType for Boxed<T> {
    fn type_name() -> Cow<'static, str> {
        T::type_name()
    }

    fn qualified_type_name() -> String {
        T::qualified_type_name()
    }

    fn introspection_type_name(&self) -> Cow<'static, str> {
        self.0.introspection_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::create_type_info(registry)
    }

    fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> impl Future<Output = ServerResult<Value>> + Send {
        Box::pin(self.0.resolve(ctx, field))
    }
}

/// Runs `work` on the heap (boxed at once, so that the caller's future holds a pointer,
/// not `work`) and keeps what it returns there.
pub(crate) fn boxed<'a, T, E>(
    work: impl Future<Output = Result<T, E>> + Send + 'a,
) -> impl Future<Output = Result<Boxed<T>, E>> + Send + 'a {
    let work = Box::pin(work);
    async move { work.await.map(|value| Boxed(Box::new(value))) }
}
