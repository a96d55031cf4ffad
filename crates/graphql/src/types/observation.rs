use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::observation;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::loaders::UserById;
use crate::types::enums::ObservationAnswer;
use crate::types::{Agency, User, id};

/// An agency's observation on circulated minutes, and the secretariat's answer to it.
/// Observations are never deleted: they stay with the minutes, answered or not.
pub struct Observation(observation::Observation);

impl Observation {
    pub(crate) fn reveal(ctx: &Context<'_>, value: observation::Observation) -> ApiResult<Self> {
        ctx.reveal(value).map(Self)
    }
}

/// An agency's observation on circulated minutes, and the secretariat's answer to it.
#[Object]
impl Observation {
    /// The observation's id.
    pub(crate) async fn id(&self) -> ID {
        id(self.0.id)
    }

    /// The session whose minutes it observes.
    async fn meeting_id(&self) -> ID {
        id(self.0.meeting_id)
    }

    /// The agency that sent it, which attended the session.
    async fn agency(&self, ctx: &Context<'_>) -> ApiResult<Option<Agency>> {
        Agency::by_id(ctx, self.0.agency_id).await
    }

    /// The agency's user who sent it: for the secretariat and that user; null for others.
    async fn author(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        user(ctx, self.0.author_id).await
    }

    /// What the agency observes.
    async fn text(&self) -> &str {
        &self.0.text
    }

    /// When it was sent, within the observations period.
    async fn submitted_at(&self) -> DateTime<Utc> {
        self.0.submitted_at
    }

    /// The secretariat's answer; null until it is given. `ACCEPTED` means taken into the
    /// minutes: the text changes only with the revised minutes sent with the answer.
    async fn answer(&self) -> Option<ObservationAnswer> {
        self.0.reply.as_ref().map(|reply| reply.answer.into())
    }

    /// The secretariat's reply, saying what was done and why.
    async fn reply(&self) -> Option<&str> {
        self.0.reply.as_ref().map(|reply| reply.text.as_str())
    }

    /// When the secretariat answered; null until then.
    async fn answered_at(&self) -> Option<DateTime<Utc>> {
        self.0.reply.as_ref().map(|reply| reply.answered_at)
    }

    /// Who answered: for the secretariat; null for others.
    async fn answered_by(&self, ctx: &Context<'_>) -> ApiResult<Option<User>> {
        match &self.0.reply {
            Some(reply) => user(ctx, reply.answered_by).await,
            None => Ok(None),
        }
    }
}

/// The user `user_id` if the reader may see it.
async fn user(ctx: &Context<'_>, user_id: uuid::Uuid) -> ApiResult<Option<User>> {
    let Some(found) = ctx.loader()?.load_one(UserById(user_id)).await? else {
        return Ok(None);
    };
    ctx.reveal_if_visible(found)?
        .map(|user| User::reveal(ctx, user))
        .transpose()
}
