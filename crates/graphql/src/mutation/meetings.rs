use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use cmnp_domain::action_item::NewActionItem;
use cmnp_domain::agenda::{AgendaItemFields, AttendanceFields};
use cmnp_domain::agreement::agreement_text;
use cmnp_domain::meeting::{MeetingChanges, Schedule};
use cmnp_domain::policy::Permission;
use cmnp_store::NewMeeting;

use crate::context::ContextExt;
use crate::error::{ApiError, ApiResult};
use crate::mutation::action_items::{DueDates, NewActionItemInput};
use crate::mutation::patch;
use crate::types::enums::{
    AgendaItemKind, AttendanceMode, AttendanceStatus, AttendeeKind, MeetingKind, RecurrenceScope,
};
use crate::types::{Agreement, Meeting, parse_id};

#[derive(Default)]
pub struct MeetingMutations;

#[derive(InputObject)]
pub struct ScheduleMeetingInput {
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// IANA time zone; default: the commission's.
    pub time_zone: Option<String>,
    pub location: Option<String>,
    pub online_url: Option<String>,
    /// Default: every active member agency.
    pub invited_agency_ids: Option<Vec<ID>>,
}

#[derive(InputObject)]
pub struct UpdateMeetingInput {
    pub id: ID,
    /// The session's `version` as read; a change against an older one answers
    /// `CONFLICT`. Without it the change is not checked.
    pub expected_version: Option<i32>,
    pub title: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub time_zone: Option<String>,
    pub location: MaybeUndefined<String>,
    pub online_url: MaybeUndefined<String>,
    /// Replaces the invitation list.
    pub invited_agency_ids: Option<Vec<ID>>,
    /// For a session of a series: THIS (the default) changes this session alone;
    /// THIS_AND_FOLLOWING ends the series before it and goes on with a new series that
    /// carries the change (title, place, invitations, the time and length on each
    /// session's own day; the day and zone stay), moving every later session to it.
    #[graphql(default)]
    pub scope: RecurrenceScope,
}

#[derive(InputObject)]
pub struct CancelMeetingInput {
    pub id: ID,
    pub reason: String,
    /// For a session of a series: THIS (the default) cancels this session alone;
    /// THIS_AND_FOLLOWING also cancels every later session and ends the series before
    /// this one.
    #[graphql(default)]
    pub scope: RecurrenceScope,
}

#[derive(InputObject)]
pub struct AddAgendaItemInput {
    pub meeting_id: ID,
    pub title: String,
    pub description: Option<String>,
    /// Default: INFORMATION.
    pub kind: Option<AgendaItemKind>,
    pub presenter_agency_id: Option<ID>,
    pub duration_minutes: Option<i32>,
    /// 1-based; default: at the end.
    pub position: Option<i32>,
}

#[derive(InputObject)]
pub struct MoveAgendaItemInput {
    pub id: ID,
    /// The new 1-based position; items in between shift.
    pub position: i32,
}

#[derive(InputObject)]
pub struct RecordAttendanceInput {
    pub meeting_id: ID,
    pub agency_id: ID,
    pub status: AttendanceStatus,
    /// Who attended: default PRINCIPAL when present.
    pub attendee_kind: Option<AttendeeKind>,
    /// Required for a DELEGATE.
    pub attendee_name: Option<String>,
    /// Default IN_PERSON when present.
    pub mode: Option<AttendanceMode>,
}

#[derive(InputObject)]
pub struct MarkMeetingHeldInput {
    pub meeting_id: ID,
}

#[derive(InputObject)]
pub struct UpdateMinutesInput {
    pub meeting_id: ID,
    /// The session's `version` as read; an edit against an older one answers `CONFLICT`,
    /// so two people editing the minutes cannot overwrite each other unawares. Without
    /// it the edit is not checked.
    pub expected_version: Option<i32>,
    /// Markdown.
    pub text: String,
}

#[derive(InputObject)]
pub struct CirculateMinutesInput {
    pub meeting_id: ID,
    /// Until when the agencies that attended the session may send observations on the
    /// minutes: a moment ahead, at most 60 days away. Default: the end (midnight in the
    /// session's time zone) of the fifth working day after today, on the commission's
    /// working-day calendar (national holidays and the secretariat's days off).
    pub observations_until: Option<DateTime<Utc>>,
}

#[derive(InputObject)]
pub struct ApproveMinutesInput {
    pub meeting_id: ID,
    /// The later session in which the minutes are approved.
    pub approved_at_meeting_id: ID,
}

#[derive(InputObject)]
pub struct AdoptAgreementInput {
    pub meeting_id: ID,
    pub agenda_item_id: Option<ID>,
    pub text: String,
    /// Action items the agreement creates, in the same transaction.
    pub action_items: Option<Vec<NewActionItemInput>>,
}

/// The session after the change.
#[derive(SimpleObject)]
pub struct MeetingPayload {
    pub meeting: Meeting,
}

#[derive(SimpleObject)]
pub struct AdoptAgreementPayload {
    pub agreement: Agreement,
    pub meeting: Meeting,
}

fn ids(values: Option<Vec<ID>>, field: &str) -> ApiResult<Option<Vec<uuid::Uuid>>> {
    values
        .map(|values| values.iter().map(|value| parse_id(field, value)).collect())
        .transpose()
}

fn payload(ctx: &Context<'_>, meeting: cmnp_domain::meeting::Meeting) -> ApiResult<MeetingPayload> {
    Ok(MeetingPayload {
        meeting: Meeting::reveal(ctx, meeting)?,
    })
}

#[Object]
impl MeetingMutations {
    /// Schedules a session. Ordinary sessions get a FOLLOW_UP agenda item listing what is
    /// still open. Secretariat only.
    async fn schedule_meeting(
        &self,
        ctx: &Context<'_>,
        input: ScheduleMeetingInput,
    ) -> ApiResult<MeetingPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let default_zone = ctx.settings()?.time_zone;
        let schedule = Schedule::parse(
            &input.title,
            input.starts_at,
            input.ends_at,
            input.time_zone.as_deref().unwrap_or(default_zone.name()),
            input.location.as_deref(),
            input.online_url.as_deref(),
        )?;
        let meeting = ctx
            .store()?
            .schedule_meeting(
                Some(&actor),
                NewMeeting {
                    kind: input.kind.into(),
                    schedule,
                    invited_agency_ids: ids(input.invited_agency_ids, "invitedAgencyIds")?,
                },
            )
            .await?;
        payload(ctx, meeting)
    }

    /// Changes a scheduled session, or with `scope: THIS_AND_FOLLOWING` the rest of its
    /// series; invitees' calendars get a new sequence.
    async fn update_meeting(
        &self,
        ctx: &Context<'_>,
        input: UpdateMeetingInput,
    ) -> ApiResult<MeetingPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let id = parse_id("id", &input.id)?;
        let changes = MeetingChanges {
            title: input.title,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            time_zone: input.time_zone,
            location: patch(input.location, |v| v),
            online_url: patch(input.online_url, |v| v),
            invited_agency_ids: ids(input.invited_agency_ids, "invitedAgencyIds")?,
        };
        let store = ctx.store()?;
        let meeting = match input.scope {
            RecurrenceScope::This => {
                store
                    .update_meeting(Some(&actor), id, input.expected_version, changes)
                    .await?
            }
            RecurrenceScope::ThisAndFollowing => {
                store
                    .update_following_meetings(Some(&actor), id, input.expected_version, changes)
                    .await?
            }
        };
        payload(ctx, meeting)
    }

    /// Cancels a scheduled session, or with `scope: THIS_AND_FOLLOWING` the rest of its
    /// series. Invitees are told, and calendars drop the sessions.
    async fn cancel_meeting(
        &self,
        ctx: &Context<'_>,
        input: CancelMeetingInput,
    ) -> ApiResult<MeetingPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let id = parse_id("id", &input.id)?;
        let store = ctx.store()?;
        let meeting = match input.scope {
            RecurrenceScope::This => {
                store
                    .cancel_meeting(Some(&actor), id, &input.reason)
                    .await?
            }
            RecurrenceScope::ThisAndFollowing => {
                store
                    .cancel_following_meetings(Some(&actor), id, &input.reason)
                    .await?
            }
        };
        payload(ctx, meeting)
    }

    async fn add_agenda_item(
        &self,
        ctx: &Context<'_>,
        input: AddAgendaItemInput,
    ) -> ApiResult<MeetingPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let presenter = input
            .presenter_agency_id
            .as_ref()
            .map(|id| parse_id("presenterAgencyId", id))
            .transpose()?;
        let fields = AgendaItemFields::parse(
            &input.title,
            input.description.as_deref(),
            presenter,
            input.duration_minutes,
            input.kind.map(Into::into),
        )?;
        let meeting = ctx
            .store()?
            .add_agenda_item(
                Some(&actor),
                parse_id("meetingId", &input.meeting_id)?,
                fields,
                input.position,
            )
            .await?;
        payload(ctx, meeting)
    }

    /// Reorders the agenda.
    async fn move_agenda_item(
        &self,
        ctx: &Context<'_>,
        input: MoveAgendaItemInput,
    ) -> ApiResult<MeetingPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let meeting = ctx
            .store()?
            .move_agenda_item(Some(&actor), parse_id("id", &input.id)?, input.position)
            .await?;
        payload(ctx, meeting)
    }

    async fn record_attendance(
        &self,
        ctx: &Context<'_>,
        input: RecordAttendanceInput,
    ) -> ApiResult<MeetingPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let fields = AttendanceFields::parse(
            input.status.into(),
            input.attendee_kind.map(Into::into),
            input.attendee_name.as_deref(),
            input.mode.map(Into::into),
        )?;
        let meeting = ctx
            .store()?
            .record_attendance(
                Some(&actor),
                parse_id("meetingId", &input.meeting_id)?,
                parse_id("agencyId", &input.agency_id)?,
                fields,
            )
            .await?;
        payload(ctx, meeting)
    }

    /// Marks a session held, freezing attendance and quorum into the record.
    async fn mark_meeting_held(
        &self,
        ctx: &Context<'_>,
        input: MarkMeetingHeldInput,
    ) -> ApiResult<MeetingPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let rule = ctx.settings()?.quorum_rule;
        let meeting = ctx
            .store()?
            .mark_meeting_held(
                Some(&actor),
                parse_id("meetingId", &input.meeting_id)?,
                rule,
            )
            .await?;
        payload(ctx, meeting)
    }

    /// Writes the draft minutes.
    async fn update_minutes(
        &self,
        ctx: &Context<'_>,
        input: UpdateMinutesInput,
    ) -> ApiResult<MeetingPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let meeting = ctx
            .store()?
            .update_minutes(
                Some(&actor),
                parse_id("meetingId", &input.meeting_id)?,
                input.expected_version,
                &input.text,
            )
            .await?;
        payload(ctx, meeting)
    }

    /// Circulates the minutes to the invited agencies, who can then read them, and opens
    /// the observations period of the agencies that attended. Secretariat only.
    async fn circulate_minutes(
        &self,
        ctx: &Context<'_>,
        input: CirculateMinutesInput,
    ) -> ApiResult<MeetingPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let meeting = ctx
            .store()?
            .circulate_minutes(
                Some(&actor),
                parse_id("meetingId", &input.meeting_id)?,
                input.observations_until,
            )
            .await?;
        payload(ctx, meeting)
    }

    /// Records the approval of circulated minutes in a later session. Refused
    /// (`BAD_USER_INPUT` on `meetingId`) while an observation on them awaits its answer.
    async fn approve_minutes(
        &self,
        ctx: &Context<'_>,
        input: ApproveMinutesInput,
    ) -> ApiResult<MeetingPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let store = ctx.store()?;
        let later_id = parse_id("approvedAtMeetingId", &input.approved_at_meeting_id)?;
        let later = store.meeting(later_id).await?.ok_or_else(|| {
            ApiError::bad_input(
                "approvedAtMeetingId",
                format!("no session has id {later_id}"),
            )
        })?;
        let meeting = store
            .approve_minutes(
                Some(&actor),
                parse_id("meetingId", &input.meeting_id)?,
                later,
            )
            .await?;
        payload(ctx, meeting)
    }

    /// Adopts a numbered agreement in a session under way or held, with the action items
    /// it creates. Secretariat only.
    async fn adopt_agreement(
        &self,
        ctx: &Context<'_>,
        input: AdoptAgreementInput,
    ) -> ApiResult<AdoptAgreementPayload> {
        let actor = ctx.require(Permission::ManageMeetings)?;
        let meeting_id = parse_id("meetingId", &input.meeting_id)?;
        let agenda_item_id = input
            .agenda_item_id
            .as_ref()
            .map(|id| parse_id("agendaItemId", id))
            .transpose()?;
        let text = agreement_text(&input.text)?;
        let items = input.action_items.unwrap_or_default();
        let due_dates = DueDates::load(
            ctx,
            items.iter().any(|item| item.due_in_working_days.is_some()),
        )
        .await?;
        let items = items
            .into_iter()
            .enumerate()
            .map(|(index, item)| item.parse(&format!("actionItems[{index}]."), &due_dates))
            .collect::<ApiResult<Vec<NewActionItem>>>()?;
        let store = ctx.store()?;
        let agreement = store
            .adopt_agreement(
                Some(&actor),
                meeting_id,
                agenda_item_id,
                text,
                items,
                ctx.settings()?.today(),
            )
            .await?;
        let meeting = store
            .meeting(meeting_id)
            .await?
            .ok_or_else(|| ApiError::internal(&"the meeting vanished"))?;
        Ok(AdoptAgreementPayload {
            agreement: Agreement::reveal(ctx, agreement)?,
            meeting: Meeting::reveal(ctx, meeting)?,
        })
    }
}
