use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use cmnp_domain::agenda::Attendance;
use cmnp_domain::document::OwnerKind;
use cmnp_domain::meeting::{self, MeetingStatus as DomainStatus};
use cmnp_domain::policy::minutes_visible_to;
use cmnp_domain::rsvp;
use tokio::sync::OnceCell;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::loaders::{
    AgendaOf, AgreementsOf, AnswersOf, AttendanceOf, ObservationsOf, SeriesById, VotingAgencies,
};
use crate::types::enums::{MeetingKind, MeetingStatus, MinutesStatus};
use crate::types::{
    Agency, AgencyExpectation, AgendaItem, Agreement, AttendanceRecord, Document, ExpectedQuorum,
    InvitationAnswer, MeetingSeries, Observation, id,
};

/// A session of the commission.
/// Its attendance is loaded once per object: the list and the live quorum both read it.
pub struct Meeting(meeting::Meeting, OnceCell<Vec<Attendance>>);

impl Meeting {
    pub(crate) fn reveal(ctx: &Context<'_>, value: meeting::Meeting) -> ApiResult<Self> {
        ctx.reveal(value)
            .map(|meeting| Self(meeting, OnceCell::new()))
    }

    async fn rows(&self, ctx: &Context<'_>) -> ApiResult<&Vec<Attendance>> {
        self.1
            .get_or_try_init(|| async {
                Ok(ctx
                    .loader()?
                    .load_one(AttendanceOf(self.0.id))
                    .await?
                    .unwrap_or_default())
            })
            .await
    }

    async fn answers(&self, ctx: &Context<'_>) -> ApiResult<Vec<rsvp::InvitationAnswer>> {
        Ok(ctx
            .loader()?
            .load_one(AnswersOf(self.0.id))
            .await?
            .unwrap_or_default())
    }

    pub(crate) fn start_key(value: &meeting::Meeting) -> (DateTime<Utc>, uuid::Uuid) {
        (value.starts_at, value.id)
    }
}

/// Voting members required and present, and whether that is enough.
#[derive(SimpleObject)]
pub struct Quorum {
    pub required: i32,
    pub present: i32,
    pub reached: bool,
    /// True once the session is held: the figures are then part of the record.
    pub frozen: bool,
}

/// A session's minutes (acta), in Markdown.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Minutes {
    /// The text; once circulated it changes only with the revised minutes the secretariat
    /// sends when it accepts an observation.
    pub text: String,
    pub status: MinutesStatus,
    pub circulated_at: Option<DateTime<Utc>>,
    /// The later session in which the minutes were approved.
    pub approved_at_meeting_id: Option<ID>,
    /// Until when the agencies that attended the session send observations on the
    /// circulated minutes; approval closes the period earlier, if it comes first.
    pub observations_until: Option<DateTime<Utc>>,
    #[graphql(skip)]
    meeting_id: uuid::Uuid,
}

#[ComplexObject]
impl Minutes {
    /// The observations sent on the minutes, in the order they came, each with the
    /// secretariat's answer once given; whoever reads the minutes reads them all.
    async fn observations(&self, ctx: &Context<'_>) -> ApiResult<Vec<Observation>> {
        let observations = ctx
            .loader()?
            .load_one(ObservationsOf(self.meeting_id))
            .await?
            .unwrap_or_default();
        observations
            .into_iter()
            .map(|observation| Observation::reveal(ctx, observation))
            .collect()
    }
}

#[Object]
impl Meeting {
    pub(crate) async fn id(&self) -> ID {
        id(self.0.id)
    }

    /// Numbered per kind and year.
    async fn number(&self) -> i32 {
        self.0.number
    }

    async fn year(&self) -> i32 {
        self.0.year
    }

    /// "Sesión Ordinaria N° 3-2026".
    async fn label(&self) -> String {
        self.0.label()
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn kind(&self) -> MeetingKind {
        self.0.kind.into()
    }

    async fn status(&self) -> MeetingStatus {
        self.0.status.into()
    }

    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }

    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }

    /// IANA time zone the session is held in.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }

    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }

    async fn online_url(&self) -> Option<&str> {
        self.0.online_url.as_deref()
    }

    /// Calendar sequence: grows with every change invitees are told about.
    async fn sequence(&self) -> i32 {
        self.0.sequence
    }

    /// Grows with every change to the session or its record (minutes, quorum). Send it
    /// back as `expectedVersion` when updating the session or its minutes.
    async fn version(&self) -> i32 {
        self.0.version
    }

    async fn cancel_reason(&self) -> Option<&str> {
        self.0.cancel_reason.as_deref()
    }

    async fn held_at(&self) -> Option<DateTime<Utc>> {
        self.0.held_at
    }

    async fn invited_agencies(&self, ctx: &Context<'_>) -> ApiResult<Vec<Agency>> {
        Agency::list(ctx, &self.0.invited_agency_ids).await
    }

    /// The agenda, in order.
    async fn agenda(&self, ctx: &Context<'_>) -> ApiResult<Vec<AgendaItem>> {
        let items = ctx
            .loader()?
            .load_one(AgendaOf(self.0.id))
            .await?
            .unwrap_or_default();
        let held_since = self.0.held_since();
        items
            .into_iter()
            .map(|item| AgendaItem::reveal(ctx, item, held_since))
            .collect()
    }

    /// Attendance recorded so far, by agency.
    async fn attendance(&self, ctx: &Context<'_>) -> ApiResult<Vec<AttendanceRecord>> {
        self.rows(ctx)
            .await?
            .iter()
            .cloned()
            .map(|row| AttendanceRecord::reveal(ctx, row))
            .collect()
    }

    /// Live while the session is scheduled; frozen into the record when it is held.
    async fn quorum(&self, ctx: &Context<'_>) -> ApiResult<Quorum> {
        if let Some(frozen) = self.0.quorum {
            return Ok(Quorum {
                required: frozen.required,
                present: frozen.present,
                reached: frozen.reached,
                frozen: true,
            });
        }
        let loader = ctx.loader()?;
        let voting = loader.load_one(VotingAgencies).await?.unwrap_or_default();
        let present = self
            .rows(ctx)
            .await?
            .iter()
            .filter(|row| {
                row.status == cmnp_domain::agenda::AttendanceStatus::Present
                    && voting.contains(&row.agency_id)
                    && self.0.invites(row.agency_id)
            })
            .count();
        let live = ctx.settings()?.quorum_rule.quorum(
            i32::try_from(voting.len()).unwrap_or(i32::MAX),
            i32::try_from(present).unwrap_or(i32::MAX),
        );
        Ok(Quorum {
            required: live.required,
            present: live.present,
            reached: live.reached,
            frozen: self.0.status == DomainStatus::Held,
        })
    }

    /// Each representative's latest answer to the invitation: the secretariat reads
    /// every answer, an agency its own representatives'.
    async fn invitation_answers(&self, ctx: &Context<'_>) -> ApiResult<Vec<InvitationAnswer>> {
        let answers = ctx.reveal_visible(self.answers(ctx).await?)?;
        answers
            .into_iter()
            .map(|answer| InvitationAnswer::reveal(ctx, answer))
            .collect()
    }

    /// Per invited agency, whether it is expected (a representative comes or sends the
    /// alternate), not expected (every answer declines) or unknown (no answer), with the
    /// answers that say so, in acronym order: the secretariat reads every agency, an
    /// agency its own.
    async fn expected_attendance(&self, ctx: &Context<'_>) -> ApiResult<Vec<AgencyExpectation>> {
        let actor = ctx.actor()?;
        let answers = self.answers(ctx).await?;
        let visible: Vec<uuid::Uuid> = self
            .0
            .invited_agency_ids
            .iter()
            .copied()
            .filter(|agency| actor.is_secretariat() || actor.agency_id == Some(*agency))
            .collect();
        let mut rows = Vec::new();
        for agency in Agency::list(ctx, &visible).await? {
            let agency_id = agency.id_value();
            let own: Vec<_> = answers
                .iter()
                .filter(|answer| answer.agency_id == agency_id)
                .cloned()
                .collect();
            rows.push(AgencyExpectation {
                agency,
                expectation: rsvp::expectation(&own).into(),
                answers: own
                    .into_iter()
                    .map(|answer| InvitationAnswer::reveal(ctx, answer))
                    .collect::<ApiResult<_>>()?,
            });
        }
        Ok(rows)
    }

    /// The quorum the session would have if the agencies expected came: the rule of the
    /// recorded quorum, counting the invited voting members expected. For the
    /// secretariat; null for others, as it tallies other agencies' answers.
    async fn expected_quorum(&self, ctx: &Context<'_>) -> ApiResult<Option<ExpectedQuorum>> {
        if !ctx.actor()?.is_secretariat() {
            return Ok(None);
        }
        let voting = ctx
            .loader()?
            .load_one(VotingAgencies)
            .await?
            .unwrap_or_default();
        let answers = self.answers(ctx).await?;
        let expected = rsvp::expected_agencies(&self.0, &answers);
        let quorum =
            rsvp::expected_quorum(ctx.settings()?.quorum_rule, &self.0, &voting, &expected);
        Ok(Some(ExpectedQuorum {
            required: quorum.required,
            expected: quorum.present,
            reached: quorum.reached,
        }))
    }

    /// The minutes: for agencies, once circulated; null before.
    async fn minutes(&self, ctx: &Context<'_>) -> ApiResult<Option<Minutes>> {
        if !minutes_visible_to(&self.0, &ctx.actor()?) {
            return Ok(None);
        }
        Ok(self.0.minutes.as_ref().map(|minutes| Minutes {
            text: minutes.text.clone(),
            status: minutes.status.into(),
            circulated_at: minutes.circulated_at,
            approved_at_meeting_id: minutes.approved_at_meeting_id.map(id),
            observations_until: minutes.observations_until,
            meeting_id: self.0.id,
        }))
    }

    /// The papers of the minutes, oldest first: empty where the minutes are not shown.
    async fn minutes_documents(&self, ctx: &Context<'_>) -> ApiResult<Vec<Document>> {
        if !minutes_visible_to(&self.0, &ctx.actor()?) {
            return Ok(Vec::new());
        }
        Document::of(ctx, OwnerKind::MeetingMinutes, self.0.id).await
    }

    /// Agreements adopted in this session, in number order.
    async fn agreements(&self, ctx: &Context<'_>) -> ApiResult<Vec<Agreement>> {
        let agreements = ctx
            .loader()?
            .load_one(AgreementsOf(self.0.id))
            .await?
            .unwrap_or_default();
        agreements
            .into_iter()
            .map(|agreement| Agreement::reveal(ctx, agreement))
            .collect()
    }

    /// The session as an iCalendar file.
    async fn calendar_path(&self) -> String {
        format!("/meetings/{}.ics", self.0.id)
    }

    /// The series the session belongs to, if it recurs.
    async fn series(&self, ctx: &Context<'_>) -> ApiResult<Option<MeetingSeries>> {
        let Some(series_id) = self.0.series_id else {
            return Ok(None);
        };
        let series = ctx.loader()?.load_one(SeriesById(series_id)).await?;
        match series
            .map(|series| ctx.reveal_if_visible(series))
            .transpose()?
        {
            Some(Some(series)) => MeetingSeries::reveal(ctx, series).map(Some),
            _ => Ok(None),
        }
    }

    /// For a session of a series, the start its rule gave it (its calendar
    /// `RECURRENCE-ID`), which stays when the session moves.
    async fn recurrence_id(&self) -> Option<DateTime<Utc>> {
        self.0.recurrence_id
    }
}
