//! cmnp's persistence: the database connection, migrations, and repositories that take
//! and return domain types. Every mutation here writes its audit event in the same
//! transaction as the change.

mod agencies;
mod audit;
mod connect;
mod entity;
mod error;
mod page;
mod password;
mod representatives;
mod tokens;
mod users;

pub use agencies::AgencyFilter;
pub use audit::AuditFilter;
pub use connect::{Backend, Store};
pub use error::StoreError;
pub use page::{Page, PageRequest};
pub use tokens::actor_of;
pub use tokens::{Authenticated, IssuedToken};
pub use users::UserFilter;
