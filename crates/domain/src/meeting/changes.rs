//! What a change to a scheduled session may do: move it within its year (not once it
//! has begun), change who is invited (never dropping an agency that attended), or
//! cancel it while nothing is recorded. Every change invitees must hear about advances
//! its calendar sequence.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Meeting, MeetingStatus, Schedule};
use crate::{ValidationError, text};

/// The fields of a session to change; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct MeetingChanges {
    pub title: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub time_zone: Option<String>,
    pub location: Option<Option<String>>,
    pub online_url: Option<Option<String>>,
    /// Checked to name agencies before the change is applied.
    pub invited_agency_ids: Option<Vec<Uuid>>,
}

impl Meeting {
    /// The session after `changes`, with `attended` the agencies whose attendance is
    /// recorded; `None` when nothing invitees would notice changes.
    pub fn apply_changes(
        &self,
        changes: MeetingChanges,
        attended: &[Uuid],
        now: DateTime<Utc>,
    ) -> Result<Option<Self>, ValidationError> {
        if self.status != MeetingStatus::Scheduled {
            return Err(ValidationError::new(
                "id",
                format!("a {} session cannot be changed", self.status),
            ));
        }
        let schedule = Schedule::parse(
            changes.title.as_deref().unwrap_or(&self.title),
            changes.starts_at.unwrap_or(self.starts_at),
            changes.ends_at.unwrap_or(self.ends_at),
            changes.time_zone.as_deref().unwrap_or(&self.time_zone),
            changes
                .location
                .unwrap_or_else(|| self.location.clone())
                .as_deref(),
            changes
                .online_url
                .unwrap_or_else(|| self.online_url.clone())
                .as_deref(),
        )?;
        if schedule.year() != self.year {
            return Err(ValidationError::new(
                "startsAt",
                format!(
                    "a session numbered in {} cannot move to another year; cancel it and schedule a new one",
                    self.year
                ),
            ));
        }
        if self.has_started(now)
            && (schedule.starts_at != self.starts_at || schedule.time_zone.name() != self.time_zone)
        {
            return Err(ValidationError::new(
                "startsAt",
                "the session has begun; its start can no longer move",
            ));
        }
        let invited = changes
            .invited_agency_ids
            .unwrap_or_else(|| self.invited_agency_ids.clone());
        if let Some(agency_id) = attended.iter().find(|id| !invited.contains(id)) {
            return Err(ValidationError::new(
                "invitedAgencyIds",
                format!("agency {agency_id} has recorded attendance and must stay invited"),
            ));
        }
        let mut after = self.clone();
        after.title = schedule.title;
        after.starts_at = schedule.starts_at;
        after.ends_at = schedule.ends_at;
        after.time_zone = schedule.time_zone.name().to_owned();
        after.location = schedule.location;
        after.online_url = schedule.online_url;
        after.invited_agency_ids = invited;
        let sorted = |ids: &[Uuid]| {
            let mut ids = ids.to_vec();
            ids.sort();
            ids
        };
        let noticeable = after.title != self.title
            || after.starts_at != self.starts_at
            || after.ends_at != self.ends_at
            || after.time_zone != self.time_zone
            || after.location != self.location
            || after.online_url != self.online_url
            || sorted(&after.invited_agency_ids) != sorted(&self.invited_agency_ids);
        if !noticeable {
            return Ok(None);
        }
        after.sequence = self.sequence + 1;
        after.updated_at = now;
        Ok(Some(after))
    }

    /// The session cancelled for `reason`, when `has_record` says whether attendance or
    /// agreements are recorded (a session with a record was held, not cancelled).
    pub fn cancel(
        &self,
        reason: &str,
        has_record: bool,
        now: DateTime<Utc>,
    ) -> Result<Self, ValidationError> {
        let reason = text::required("reason", reason, 2_000)?;
        if self.status != MeetingStatus::Scheduled {
            return Err(ValidationError::new(
                "id",
                format!("a {} session cannot be cancelled", self.status),
            ));
        }
        if has_record {
            return Err(ValidationError::new(
                "id",
                "the session has recorded attendance or agreements; mark it held instead",
            ));
        }
        let mut after = self.clone();
        after.status = MeetingStatus::Cancelled;
        after.cancel_reason = Some(reason);
        after.sequence = self.sequence + 1;
        after.updated_at = now;
        Ok(after)
    }
}
