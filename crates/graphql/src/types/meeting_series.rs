use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use cmnp_domain::meeting;

use crate::context::ContextExt;
use crate::error::ApiResult;
use crate::scalars::Date;
use crate::types::enums::MeetingKind;
use crate::types::{Meeting, id};

/// The most sessions `occurrences` lists at once.
const OCCURRENCES_BOUND: u64 = 100;

/// Sessions that recur by an RFC 5545 rule, read in the series' time zone. Each
/// occurrence is a session of its own, created a configured horizon ahead.
pub struct MeetingSeries(meeting::MeetingSeries);

impl MeetingSeries {
    pub(crate) fn reveal(ctx: &Context<'_>, value: meeting::MeetingSeries) -> ApiResult<Self> {
        ctx.reveal(value).map(Self)
    }
}

#[Object]
impl MeetingSeries {
    async fn id(&self) -> ID {
        id(self.0.id)
    }

    async fn kind(&self) -> MeetingKind {
        self.0.kind.into()
    }

    /// The title every session of the series takes.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// The `RRULE` value, e.g. `FREQ=MONTHLY;BYDAY=2TH`.
    async fn rule(&self) -> &str {
        &self.0.rule
    }

    /// The zone the rule and the start time are read in.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }

    /// The first session's start (`DTSTART`); its wall-clock time in `timeZone` is every
    /// session's.
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }

    /// The sessions' local start, `HH:MM`.
    async fn start_time(&self) -> String {
        self.0
            .starts_at
            .with_timezone(&self.0.zone())
            .format("%H:%M")
            .to_string()
    }

    async fn duration_minutes(&self) -> i32 {
        self.0.duration_minutes
    }

    /// Days (in `timeZone`) the rule falls on without a session, as scheduled
    /// (`EXDATE`). Sessions cancelled later stay listed as cancelled sessions.
    async fn except_on(&self) -> Vec<Date> {
        self.0.except_on.iter().copied().map(Date).collect()
    }

    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }

    async fn online_url(&self) -> Option<&str> {
        self.0.online_url.as_deref()
    }

    /// Grows with every change to the series (ending it before a session).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The series' sessions created so far (up to 100), starting at or after `from`
    /// when given, in the order of the starts the rule gave them; cancelled ones
    /// included.
    async fn occurrences(
        &self,
        ctx: &Context<'_>,
        from: Option<DateTime<Utc>>,
    ) -> ApiResult<Vec<Meeting>> {
        let meetings = ctx
            .store()?
            .series_meetings(self.0.id, from, false, OCCURRENCES_BOUND)
            .await?;
        ctx.reveal_visible(meetings)?
            .into_iter()
            .map(|meeting| Meeting::reveal(ctx, meeting))
            .collect()
    }

    /// The next session still to be held.
    async fn next_occurrence(&self, ctx: &Context<'_>) -> ApiResult<Option<Meeting>> {
        let next = ctx
            .store()?
            .series_meetings(self.0.id, Some(Utc::now()), true, 1)
            .await?
            .pop();
        match next.map(|meeting| ctx.reveal_if_visible(meeting)) {
            Some(Ok(Some(meeting))) => Meeting::reveal(ctx, meeting).map(Some),
            Some(Err(error)) => Err(error),
            _ => Ok(None),
        }
    }

    /// The series as an iCalendar file: one event with its rule and exceptions, and its
    /// sessions as the occurrences they override.
    async fn calendar_path(&self) -> String {
        format!("/meeting-series/{}.ics", self.0.id)
    }
}
