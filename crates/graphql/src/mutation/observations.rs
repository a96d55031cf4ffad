use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use cmnp_domain::policy::Permission;
use cmnp_store::ObservationReply;

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::types::enums::ObservationAnswer;
use crate::types::{Meeting, Observation, parse_id};

#[derive(Default)]
pub struct ObservationMutations;

/// An agency's observation on the circulated minutes of a session it attended.
#[derive(InputObject)]
pub struct SubmitObservationInput {
    /// The session whose circulated minutes are observed.
    pub meeting_id: ID,
    /// The observation: what the minutes should say, and why (at most 5,000 characters).
    pub text: String,
}

/// The secretariat's answer to an observation, given once.
#[derive(InputObject)]
pub struct AnswerObservationInput {
    /// The observation answered.
    pub observation_id: ID,
    /// `ACCEPTED`: taken into the minutes; `NOT_ACCEPTED`: the minutes stay as they are.
    pub answer: ObservationAnswer,
    /// The secretariat's reply to the agency (at most 5,000 characters).
    pub reply: String,
    /// With `ACCEPTED` only: the whole revised text of the minutes (Markdown), which
    /// replaces the circulated text and advances the session's `version`. Accepting
    /// without it records the answer and leaves the text as it is.
    pub revised_minutes: Option<String>,
}

/// The observation after the change, and its session with the minutes.
#[derive(SimpleObject)]
pub struct ObservationPayload {
    /// The observation, with its answer once given.
    pub observation: Observation,
    /// Its session, whose minutes list every observation.
    pub meeting: Meeting,
}

#[Object]
impl ObservationMutations {
    /// Sends an observation on circulated minutes, for the user's agency, which must have
    /// been recorded present at the session, before the minutes' `observationsUntil`.
    /// Agencies only.
    async fn submit_observation(
        &self,
        ctx: &Context<'_>,
        input: SubmitObservationInput,
    ) -> ApiResult<ObservationPayload> {
        let actor = ctx.require(Permission::SubmitObservations)?;
        let meeting_id = parse_id("meetingId", &input.meeting_id)?;
        let store = ctx.store()?;
        let observation = store
            .submit_observation(&actor, meeting_id, &input.text)
            .await?;
        let meeting = store
            .meeting(meeting_id)
            .await?
            .ok_or_else(|| ApiError::internal(&"the meeting vanished"))?;
        Ok(ObservationPayload {
            observation: Observation::reveal(ctx, observation)?,
            meeting: Meeting::reveal(ctx, meeting)?,
        })
    }

    /// Answers an observation, once: a second answer is a `CONFLICT` and the first
    /// stands. Accepting does not rewrite the minutes by itself: send `revisedMinutes`
    /// to replace their text. Observations are answered before the minutes are approved,
    /// after their period too. Secretariat only.
    async fn answer_observation(
        &self,
        ctx: &Context<'_>,
        input: AnswerObservationInput,
    ) -> ApiResult<ObservationPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let id = parse_id("observationId", &input.observation_id)?;
        let (observation, meeting) = ctx
            .store()?
            .answer_observation(
                &actor,
                id,
                ObservationReply {
                    answer: input.answer.into(),
                    reply: input.reply,
                    revised_minutes: input.revised_minutes,
                },
            )
            .await?;
        Ok(ObservationPayload {
            observation: Observation::reveal(ctx, observation)?,
            meeting: Meeting::reveal(ctx, meeting)?,
        })
    }
}
