//! Root mutations. Each takes one input object and returns a payload holding the changed
//! object; each writes one audit event in the transaction that makes the change.

mod action_items;
mod agencies;
mod answers;
mod decisions;
mod documents;
mod meetings;
mod observations;
mod outbox;
mod projects;
mod representatives;
mod series;
mod session;
mod users;
mod webhooks;
mod working_days;

use async_graphql::{MaybeUndefined, MergedObject};

#[derive(MergedObject, Default)]
pub struct Mutation(
    session::SessionMutations,
    agencies::AgencyMutations,
    representatives::RepresentativeMutations,
    users::UserMutations,
    meetings::MeetingMutations,
    decisions::DecisionMutations,
    observations::ObservationMutations,
    documents::DocumentMutations,
    answers::AnswerMutations,
    series::SeriesMutations,
    action_items::ActionItemMutations,
    projects::ProjectMutations,
    outbox::OutboxMutations,
    webhooks::WebhookMutations,
    working_days::WorkingDayMutations,
);

/// An optional field of an update: absent leaves it, `null` clears it, a value sets it.
fn patch<T, U>(value: MaybeUndefined<T>, map: impl FnOnce(T) -> U) -> Option<Option<U>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(value) => Some(Some(map(value))),
    }
}
