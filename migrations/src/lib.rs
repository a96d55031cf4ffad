//! cmnp's database schema, as an ordered list of migrations. Each is written with
//! sea-query builders so that it runs on SQLite and PostgreSQL alike, and each has a
//! `down`. A migration that has been merged is never edited: change the schema with a new
//! one.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261128_000001_agencies_and_people;
mod m20261128_000002_work_loop;
mod m20261128_000003_projects;
mod m20261128_000004_outbox;
mod m20261128_000005_reminder_reasons;
mod m20261201_000006_action_item_order;
mod m20261203_000007_versions;
mod m20261204_000008_non_working_days;
mod m20261204_000009_invitation_answers;
mod m20261204_000010_meeting_series;
mod m20261204_000011_agreement_decisions;
mod m20261205_000012_minutes_observations;
mod m20261205_000013_documents;
mod m20261206_000014_live_updates;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_agencies_and_people::Migration),
            Box::new(m20261128_000002_work_loop::Migration),
            Box::new(m20261128_000003_projects::Migration),
            Box::new(m20261128_000004_outbox::Migration),
            Box::new(m20261128_000005_reminder_reasons::Migration),
            Box::new(m20261201_000006_action_item_order::Migration),
            Box::new(m20261203_000007_versions::Migration),
            Box::new(m20261204_000008_non_working_days::Migration),
            Box::new(m20261204_000009_invitation_answers::Migration),
            Box::new(m20261204_000010_meeting_series::Migration),
            Box::new(m20261204_000011_agreement_decisions::Migration),
            Box::new(m20261205_000012_minutes_observations::Migration),
            Box::new(m20261205_000013_documents::Migration),
            Box::new(m20261206_000014_live_updates::Migration),
        ]
    }
}
