//! Observations on circulated minutes and the secretariat's answers to them. Each is
//! written with its audit event in one transaction, under the lock of its session, and
//! none is ever deleted.

use chrono::Utc;
use cmnp_domain::agenda::AttendanceStatus;
use cmnp_domain::audit::changes;
use cmnp_domain::meeting::Meeting;
use cmnp_domain::observation::{self, AnswerRefusal, Observation, ObservationAnswer, Reply};
use cmnp_domain::policy::Actor;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Set,
};
use uuid::Uuid;

use crate::audit::{self, Entry};
use crate::entity::{attendance, minutes_observation};
use crate::error::column;
use crate::meetings::{Change, load, lock};
use crate::row::{self, WithIds};
use crate::{Store, StoreError};

/// What the secretariat answers to an observation.
#[derive(Debug, Clone)]
pub struct ObservationReply {
    pub answer: ObservationAnswer,
    pub reply: String,
    /// The minutes as revised to take an accepted observation in.
    pub revised_minutes: Option<String>,
}

impl Store {
    /// Records an observation of `actor`'s agency on the circulated minutes of
    /// `meeting_id`, which the domain admits from an agency recorded present at the
    /// session while the observations period lasts.
    pub async fn submit_observation(
        &self,
        actor: &Actor,
        meeting_id: Uuid,
        text: &str,
    ) -> Result<Observation, StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let meeting = lock(&txn, meeting_id).await?;
        let attended: Vec<Uuid> = attendance::Entity::find()
            .select_only()
            .column(attendance::Column::AgencyId)
            .filter(attendance::Column::MeetingId.eq(meeting_id))
            .filter(attendance::Column::Status.eq(AttendanceStatus::Present.as_str()))
            .into_tuple::<Uuid>()
            .all(&txn)
            .await?;
        let submitted = observation::submit(&meeting, &attended, actor, text, now)?;
        minutes_observation::ActiveModel {
            id: Set(submitted.id),
            meeting_id: Set(submitted.meeting_id),
            agency_id: Set(submitted.agency_id),
            author_id: Set(submitted.author_id),
            text: Set(submitted.text.clone()),
            submitted_at: Set(submitted.submitted_at),
            answer: Set(None),
            reply: Set(None),
            answered_by: Set(None),
            answered_at: Set(None),
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            now,
            Entry {
                actor: Some(actor),
                action: "minutes.observation.submit",
                object_type: "observation",
                object_id: submitted.id,
                changes: changes(None, Some(&submitted)),
            },
        )
        .await?;
        crate::live::announce_meeting(
            &txn,
            now,
            "minutes.observation.submit",
            submitted.meeting_id,
        )
        .await?;
        txn.commit().await?;
        Ok(submitted)
    }

    /// Records the secretariat's answer to an observation, once; an accepted one may bring
    /// the revised minutes, written as the session's circulated text (its version
    /// advances) in the same transaction. Returns the observation and its session.
    pub async fn answer_observation(
        &self,
        actor: &Actor,
        observation_id: Uuid,
        answering: ObservationReply,
    ) -> Result<(Observation, Meeting), StoreError> {
        let now = Utc::now();
        let txn = self.write().await?;
        let meeting_id = minutes_observation::Entity::find_by_id(observation_id)
            .select_only()
            .column(minutes_observation::Column::MeetingId)
            .into_tuple::<Uuid>()
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("observation"))?;
        // Answers to one session's observations, and its approval, run one at a time.
        let meeting = lock(&txn, meeting_id).await?;
        let before = read(
            &txn,
            minutes_observation::Entity::find_by_id(observation_id),
        )
        .await?
        .pop()
        .ok_or(StoreError::NotFound("observation"))?;
        let answered = before
            .answer(
                &meeting,
                actor,
                answering.answer,
                &answering.reply,
                answering.revised_minutes.as_deref(),
                now,
            )
            .map_err(|refusal| match refusal {
                AnswerRefusal::Refused(refusal) => StoreError::from(refusal),
                AnswerRefusal::AlreadyAnswered => frozen(),
            })?;
        let Some(reply) = answered.observation.reply.as_ref() else {
            return Err(StoreError::Internal("an answer without its reply".into()));
        };
        let written = minutes_observation::Entity::update_many()
            .set(minutes_observation::ActiveModel {
                answer: Set(Some(reply.answer.as_str().to_owned())),
                reply: Set(Some(reply.text.clone())),
                answered_by: Set(Some(reply.answered_by)),
                answered_at: Set(Some(reply.answered_at)),
                ..Default::default()
            })
            .filter(minutes_observation::Column::Id.eq(observation_id))
            .filter(minutes_observation::Column::Answer.is_null())
            .exec(&txn)
            .await?;
        if written.rows_affected != 1 {
            return Err(frozen());
        }
        audit::record(
            &txn,
            now,
            Entry {
                actor: Some(actor),
                action: "minutes.observation.answer",
                object_type: "observation",
                object_id: observation_id,
                changes: changes(Some(&before), Some(&answered.observation)),
            },
        )
        .await?;
        crate::live::announce_meeting(&txn, now, "minutes.observation.answer", meeting_id).await?;
        let meeting = match answered.revised {
            Some(revised) => {
                let change = Change {
                    actor: Some(actor),
                    action: "meeting.minutes.revise",
                    expected_version: None,
                    notice: None,
                };
                self.change_within(
                    &txn,
                    meeting_id,
                    change,
                    async move |_, _, _| Ok(Some(revised)),
                    now,
                )
                .await?
            }
            None => load(&txn, meeting_id).await?,
        };
        txn.commit().await?;
        Ok((answered.observation, meeting))
    }

    /// The observations on the minutes of these sessions, in the order they came.
    pub async fn observations_of(
        &self,
        meeting_ids: &[Uuid],
    ) -> Result<Vec<Observation>, StoreError> {
        read(
            &self.db,
            minutes_observation::Entity::find()
                .filter(minutes_observation::Column::MeetingId.is_in(meeting_ids.iter().copied()))
                .order_by_asc(minutes_observation::Column::SubmittedAt)
                .order_by_asc(minutes_observation::Column::Id),
        )
        .await
    }
}

/// How many observations on a session's minutes still wait for their answer.
pub(crate) async fn unanswered<C: ConnectionTrait>(
    db: &C,
    meeting_id: Uuid,
) -> Result<u64, StoreError> {
    Ok(minutes_observation::Entity::find()
        .filter(minutes_observation::Column::MeetingId.eq(meeting_id))
        .filter(minutes_observation::Column::Answer.is_null())
        .count(db)
        .await?)
}

fn frozen() -> StoreError {
    StoreError::Conflict(
        "this observation has its answer already, and an answer is not changed".into(),
    )
}

/// The observations `select` finds, each in one row with the agencies its session
/// invites, which decide who reads it.
async fn read<C: ConnectionTrait>(
    db: &C,
    select: Select<minutes_observation::Entity>,
) -> Result<Vec<Observation>, StoreError> {
    let select = row::with_id_lists(
        select,
        [row::id_list(
            db.get_database_backend(),
            "agency_id",
            "meeting_invitations",
            "meeting_invitations.meeting_id = minutes_observations.meeting_id",
        )],
    );
    row::all_as::<WithIds<minutes_observation::Model, 1>, _, _>(db, select)
        .await?
        .into_iter()
        .map(
            |WithIds {
                 model,
                 ids: [invited],
             }| to_domain(model, invited),
        )
        .collect()
}

fn to_domain(
    row: minutes_observation::Model,
    invited_agency_ids: Vec<Uuid>,
) -> Result<Observation, StoreError> {
    let reply = match (row.answer, row.reply, row.answered_by, row.answered_at) {
        (Some(answer), Some(text), Some(answered_by), Some(answered_at)) => Some(Reply {
            answer: column(&answer, "minutes_observations.answer")?,
            text,
            answered_by,
            answered_at,
        }),
        _ => None,
    };
    Ok(Observation {
        id: row.id,
        meeting_id: row.meeting_id,
        agency_id: row.agency_id,
        author_id: row.author_id,
        text: row.text,
        submitted_at: row.submitted_at,
        reply,
        invited_agency_ids,
    })
}
