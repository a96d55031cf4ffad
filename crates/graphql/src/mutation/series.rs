use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::Utc;
use cmnp_domain::meeting::{SeriesPlan, SeriesRequest};
use cmnp_domain::policy::Permission;
use cmnp_store::NewSeries;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::scalars::Date;
use crate::types::enums::MeetingKind;
use crate::types::{MeetingSeries, parse_id};

#[derive(Default)]
pub struct SeriesMutations;

#[derive(InputObject)]
pub struct ScheduleMeetingSeriesInput {
    pub kind: MeetingKind,
    /// The title every session of the series takes.
    pub title: String,
    /// An RFC 5545 `RRULE` value (with or without the `RRULE:` prefix), e.g.
    /// `FREQ=MONTHLY;BYDAY=2TH`, read in `timeZone`: at most daily, without `BYHOUR`,
    /// `BYMINUTE` or `BYSECOND`; `COUNT` or `UNTIL` (in UTC, `…Z`) optional.
    pub rule: String,
    /// The first day the rule may fall on; the first session is the rule's first on or
    /// after it, and must be still to come.
    pub starts_on: Date,
    /// The sessions' local start, `HH:MM`, e.g. `10:00`.
    pub start_time: String,
    pub duration_minutes: i32,
    /// IANA time zone; default: the commission's.
    pub time_zone: Option<String>,
    pub location: Option<String>,
    pub online_url: Option<String>,
    /// Days the rule falls on without a session (`EXDATE`).
    pub except_on: Option<Vec<Date>>,
    /// Default: every active member agency on the day the series is scheduled.
    pub invited_agency_ids: Option<Vec<ID>>,
}

/// The series after the change.
#[derive(SimpleObject)]
pub struct MeetingSeriesPayload {
    pub meeting_series: MeetingSeries,
}

#[Object]
impl SeriesMutations {
    /// Schedules recurring sessions once: the series is stored and its sessions up to
    /// the configured horizon (`CMNP_SERIES_HORIZON_DAYS`, default 90 days) are created
    /// at once, each numbered, with its agenda and invitations; the scheduler creates
    /// the later ones as they come within the horizon. Secretariat only.
    async fn schedule_meeting_series(
        &self,
        ctx: &Context<'_>,
        input: ScheduleMeetingSeriesInput,
    ) -> ApiResult<MeetingSeriesPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let settings = ctx.settings()?;
        let plan = SeriesPlan::parse(
            SeriesRequest {
                title: &input.title,
                rule: &input.rule,
                starts_on: input.starts_on.0,
                start_time: &input.start_time,
                duration_minutes: input.duration_minutes,
                time_zone: input
                    .time_zone
                    .as_deref()
                    .unwrap_or(settings.time_zone.name()),
                location: input.location.as_deref(),
                online_url: input.online_url.as_deref(),
                except_on: input
                    .except_on
                    .unwrap_or_default()
                    .into_iter()
                    .map(|day| day.0)
                    .collect(),
            },
            Utc::now(),
        )?;
        let invited_agency_ids = input
            .invited_agency_ids
            .map(|ids| {
                ids.iter()
                    .map(|id| parse_id("invitedAgencyIds", id))
                    .collect::<ApiResult<Vec<_>>>()
            })
            .transpose()?;
        let series = ctx
            .store()?
            .schedule_meeting_series(
                Some(&actor),
                NewSeries {
                    kind: input.kind.into(),
                    plan,
                    invited_agency_ids,
                },
                settings.series_horizon,
            )
            .await?;
        Ok(MeetingSeriesPayload {
            meeting_series: MeetingSeries::reveal(ctx, series)?,
        })
    }
}
