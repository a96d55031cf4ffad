//! Every migration runs up, down and up again on the test database.

use cmnp_migration::{Migrator, MigratorTrait};
use cmnp_store::Backend;
use cmnp_tests::TestApp;
use sea_orm::{ConnectOptions, Database};

#[tokio::test]
async fn runs_on_the_database_the_environment_names() {
    let app = TestApp::spawn().await;
    let expected = match cmnp_tests::postgres_url() {
        Some(_) => Backend::Postgres,
        None => Backend::Sqlite,
    };
    assert_eq!(app.store.backend(), expected);
    assert_eq!(app.database.is_postgres(), expected == Backend::Postgres);
}

#[tokio::test]
async fn migrations_run_up_down_and_up_again() {
    let app = TestApp::spawn().await;
    // One connection of its own: on SQLite, a pooled connection that is reading while the
    // tables are dropped still sees its snapshot's schema, and a second `up` sent to it
    // would find the old indexes there.
    let mut options = ConnectOptions::new(app.database.url());
    options.max_connections(1).sqlx_logging(false);
    let db = &Database::connect(options).await.unwrap();
    let applied = Migrator::get_applied_migrations(db).await.unwrap().len();
    assert_eq!(applied, Migrator::migrations().len());
    Migrator::down(db, None).await.unwrap();
    assert!(
        Migrator::get_applied_migrations(db)
            .await
            .unwrap()
            .is_empty()
    );
    Migrator::up(db, None).await.unwrap();
    assert_eq!(
        Migrator::get_applied_migrations(db).await.unwrap().len(),
        applied
    );
    // The schema is usable again after the round trip.
    app.secretariat().await;
}
