use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use cmnp_domain::policy::Permission;
use cmnp_domain::rsvp::{AnswerVia, Recorded};
use cmnp_store::Respondent;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::types::enums::Answer;
use crate::types::{InvitationAnswer, Meeting, parse_id};

#[derive(Default)]
pub struct AnswerMutations;

#[derive(InputObject)]
pub struct RespondToInvitationInput {
    /// The session whose invitation is answered.
    pub meeting_id: ID,
    pub answer: Answer,
    /// Whose answer it is: a representative of an invited agency (for an agency user, of
    /// its own agency). Default: the representative of the user's agency whose address
    /// is the user's own.
    pub representative_id: Option<ID>,
}

/// The answer as recorded, and the session it answers.
#[derive(SimpleObject)]
pub struct RespondToInvitationPayload {
    /// The representative's answer as stored.
    pub answer: InvitationAnswer,
    /// The session answered.
    pub meeting: Meeting,
    /// False when the same answer was already recorded and nothing new was written.
    pub changed: bool,
}

#[Object]
impl AnswerMutations {
    /// Answers a session's invitation for a representative, as the links of the
    /// invitation e-mail do: until the session starts, and not once it is cancelled.
    /// The same answer again records nothing; another one replaces it. The secretariat
    /// answers for anyone, an agency's users for their own agency's representatives.
    async fn respond_to_invitation(
        &self,
        ctx: &Context<'_>,
        input: RespondToInvitationInput,
    ) -> ApiResult<RespondToInvitationPayload> {
        let actor = ctx.require(Permission::AnswerInvitations)?;
        let meeting_id = parse_id("meetingId", &input.meeting_id)?;
        let respondent = match &input.representative_id {
            Some(id) => Respondent::Representative(parse_id("representativeId", id)?),
            None => Respondent::SignedInUser,
        };
        let answered = ctx
            .store()?
            .answer_invitation(
                Some(&actor),
                meeting_id,
                respondent,
                input.answer.into(),
                AnswerVia::Graphql,
            )
            .await?;
        Ok(RespondToInvitationPayload {
            answer: InvitationAnswer::reveal(ctx, answered.answer)?,
            meeting: Meeting::reveal(ctx, answered.meeting)?,
            changed: answered.recorded != Recorded::Unchanged,
        })
    }
}
