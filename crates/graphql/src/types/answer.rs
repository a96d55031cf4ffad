use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use cmnp_domain::rsvp;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::loaders::RepresentativesOf;
use crate::types::enums::{Answer, AnswerVia, Expectation};
use crate::types::{Agency, Representative};

/// A representative's answer to a session's invitation: the latest they gave.
pub struct InvitationAnswer(rsvp::InvitationAnswer);

impl InvitationAnswer {
    pub(crate) fn reveal(ctx: &Context<'_>, value: rsvp::InvitationAnswer) -> ApiResult<Self> {
        ctx.reveal(value).map(Self)
    }
}

#[Object]
impl InvitationAnswer {
    /// Who answered; null if the representative has since been removed from view.
    async fn representative(&self, ctx: &Context<'_>) -> ApiResult<Option<Representative>> {
        representative(ctx, &self.0).await
    }

    /// The representative's agency when they answered.
    async fn agency(&self, ctx: &Context<'_>) -> ApiResult<Option<Agency>> {
        Agency::by_id(ctx, self.0.agency_id).await
    }

    /// What the representative answered.
    async fn answer(&self) -> Answer {
        self.0.answer.into()
    }

    /// How the answer came: a link from the e-mail, the API or a calendar's `REPLY`.
    async fn via(&self) -> AnswerVia {
        self.0.via.into()
    }

    /// When the answer was given; the same answer again does not move it.
    async fn answered_at(&self) -> DateTime<Utc> {
        self.0.answered_at
    }
}

async fn representative(
    ctx: &Context<'_>,
    answer: &rsvp::InvitationAnswer,
) -> ApiResult<Option<Representative>> {
    ctx.loader()?
        .load_one(RepresentativesOf(answer.agency_id))
        .await?
        .unwrap_or_default()
        .into_iter()
        .find(|person| person.id == answer.representative_id)
        .map(|person| Representative::reveal(ctx, person))
        .transpose()
}

/// Whether an invited agency is expected at a session, and the answers that say so.
#[derive(SimpleObject)]
pub struct AgencyExpectation {
    /// The invited agency.
    pub agency: Agency,
    /// Whether it is expected at the session.
    pub expectation: Expectation,
    /// Its representatives' answers.
    pub answers: Vec<InvitationAnswer>,
}

/// The quorum the session would have if the agencies expected came, under the same rule
/// as the quorum recorded when it is held.
#[derive(SimpleObject)]
pub struct ExpectedQuorum {
    /// Voting members required.
    pub required: i32,
    /// Invited voting members expected.
    pub expected: i32,
    /// Whether the expected voting members make the quorum.
    pub reached: bool,
}
