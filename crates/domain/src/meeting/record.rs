//! What the record of a session may take: its agenda and attendance while it is
//! scheduled, agreements once it is under way, holding it (which freezes the quorum)
//! once it has begun, and its minutes from draft to circulated to approved in a later
//! session.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Meeting, MeetingStatus, Minutes, MinutesStatus, QuorumRule};
use crate::working_days::WorkingCalendar;
use crate::{ValidationError, observation, text};

/// The longest minutes accepted, in characters.
pub const MINUTES_MAX_CHARS: usize = 200_000;

impl Meeting {
    /// The agenda and attendance of a session are recorded while it is scheduled; `field`
    /// names the input that addressed it.
    pub fn check_open(&self, field: &str) -> Result<(), ValidationError> {
        if self.status == MeetingStatus::Scheduled {
            Ok(())
        } else {
            Err(ValidationError::new(
                field,
                format!("the session is {}; its record is closed", self.status),
            ))
        }
    }

    /// Attendance is recorded for the agencies invited to a scheduled session.
    pub fn check_attendance(&self, agency_id: Uuid) -> Result<(), ValidationError> {
        self.check_open("meetingId")?;
        if self.invites(agency_id) {
            Ok(())
        } else {
            Err(ValidationError::new(
                "agencyId",
                "the agency is not invited to this session",
            ))
        }
    }

    /// Agreements are adopted in a session that is under way or held.
    pub fn check_adoption(&self, now: DateTime<Utc>) -> Result<(), ValidationError> {
        if self.status == MeetingStatus::Cancelled || !self.has_started(now) {
            return Err(ValidationError::new(
                "meetingId",
                "agreements are adopted in a session that is under way or held",
            ));
        }
        Ok(())
    }

    /// The session held: of the commission's `voting` members, those `present` and
    /// invited count towards the quorum under `rule`, which is frozen into the record;
    /// the minutes start as an empty draft unless some were written already.
    pub fn hold(
        &self,
        rule: QuorumRule,
        voting: &[Uuid],
        present: &[Uuid],
        now: DateTime<Utc>,
    ) -> Result<Self, ValidationError> {
        self.check_open("meetingId")?;
        if self.starts_at > now {
            return Err(ValidationError::new(
                "meetingId",
                "a session cannot be held before it starts",
            ));
        }
        let counted = present
            .iter()
            .filter(|id| voting.contains(id) && self.invites(**id))
            .count();
        let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        let mut after = self.clone();
        after.status = MeetingStatus::Held;
        after.quorum = Some(rule.quorum(count(voting.len()), count(counted)));
        after.held_at = Some(now);
        after.minutes = Some(self.minutes.clone().unwrap_or(Minutes {
            text: String::new(),
            status: MinutesStatus::Draft,
            circulated_at: None,
            approved_at_meeting_id: None,
            observations_until: None,
        }));
        after.updated_at = now;
        Ok(after)
    }

    /// The session with draft minutes reading `text`: minutes are written until they are
    /// circulated, and a cancelled session has none.
    pub fn edit_minutes(&self, text: &str, now: DateTime<Utc>) -> Result<Self, ValidationError> {
        let text = text::optional("text", Some(text), MINUTES_MAX_CHARS)?.unwrap_or_default();
        if self.status == MeetingStatus::Cancelled {
            return Err(ValidationError::new(
                "meetingId",
                "a cancelled session has no minutes",
            ));
        }
        if let Some(minutes) = &self.minutes
            && minutes.status != MinutesStatus::Draft
        {
            return Err(ValidationError::new(
                "text",
                format!("{} minutes cannot be edited", minutes.status),
            ));
        }
        let mut after = self.clone();
        let minutes = after.minutes.get_or_insert(Minutes {
            text: String::new(),
            status: MinutesStatus::Draft,
            circulated_at: None,
            approved_at_meeting_id: None,
            observations_until: None,
        });
        minutes.text = text;
        after.updated_at = now;
        Ok(after)
    }

    /// The session with its written draft minutes sent to the invited agencies, once it
    /// is held, with an observations period that ends at `requested` or, by default, with
    /// the working days of [`observation::period_end`] counted on `calendar`.
    pub fn circulate_minutes(
        &self,
        requested: Option<DateTime<Utc>>,
        calendar: &WorkingCalendar,
        now: DateTime<Utc>,
    ) -> Result<Self, ValidationError> {
        if self.status != MeetingStatus::Held {
            return Err(ValidationError::new(
                "meetingId",
                "minutes are circulated once the session is held",
            ));
        }
        let mut after = self.clone();
        match after.minutes.as_mut() {
            Some(minutes) if minutes.status != MinutesStatus::Draft => {
                return Err(ValidationError::new(
                    "meetingId",
                    format!("the minutes are already {}", minutes.status),
                ));
            }
            Some(minutes) if !minutes.text.trim().is_empty() => {
                minutes.status = MinutesStatus::Circulated;
                minutes.circulated_at = Some(now);
                minutes.observations_until = Some(observation::period_end(
                    requested,
                    now,
                    self.zone(),
                    calendar,
                )?);
            }
            _ => {
                return Err(ValidationError::new(
                    "meetingId",
                    "write the minutes before circulating them",
                ));
            }
        }
        after.updated_at = now;
        Ok(after)
    }

    /// The session with its circulated minutes approved in `approved_at`, a later session
    /// that has begun, once each of their observations has its answer (`unanswered`
    /// counts those that have none). Approval closes the observations period, whether or
    /// not its deadline has passed.
    pub fn approve_minutes(
        &self,
        approved_at: &Meeting,
        unanswered: u64,
        now: DateTime<Utc>,
    ) -> Result<Self, ValidationError> {
        let mut after = self.clone();
        let Some(minutes) = after
            .minutes
            .as_mut()
            .filter(|m| m.status == MinutesStatus::Circulated)
        else {
            return Err(ValidationError::new(
                "meetingId",
                "only circulated minutes can be approved",
            ));
        };
        if approved_at.id == self.id
            || approved_at.starts_at <= self.starts_at
            || !approved_at.has_started(now)
        {
            return Err(ValidationError::new(
                "approvedAtMeetingId",
                "minutes are approved in a later session that has begun",
            ));
        }
        if unanswered > 0 {
            return Err(ValidationError::new(
                "meetingId",
                format!(
                    "{unanswered} observation(s) on these minutes await the secretariat's answer: answer them before approving"
                ),
            ));
        }
        minutes.status = MinutesStatus::Approved;
        minutes.approved_at_meeting_id = Some(approved_at.id);
        after.updated_at = now;
        Ok(after)
    }
}

/// Where a new agenda item goes among `count` items: `requested` (1-based) or last.
pub fn insert_position(count: i32, requested: Option<i32>) -> Result<i32, ValidationError> {
    match requested {
        None => Ok(count + 1),
        Some(position) if (1..=count + 1).contains(&position) => Ok(position),
        Some(_) => Err(ValidationError::new(
            "position",
            format!("must be between 1 and {}", count + 1),
        )),
    }
}

/// Where an agenda item may move among the `count` items of its session.
pub fn move_position(count: i32, requested: i32) -> Result<i32, ValidationError> {
    if (1..=count).contains(&requested) {
        Ok(requested)
    } else {
        Err(ValidationError::new(
            "position",
            format!("must be between 1 and {count}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;
    use crate::meeting::MeetingKind;

    fn session(starts_at: DateTime<Utc>, invited: Vec<Uuid>) -> Meeting {
        Meeting {
            id: Uuid::now_v7(),
            kind: MeetingKind::Ordinary,
            year: 2026,
            number: 1,
            title: "Balance".into(),
            status: MeetingStatus::Scheduled,
            starts_at,
            ends_at: starts_at + Duration::hours(2),
            time_zone: "America/Lima".into(),
            location: None,
            online_url: None,
            sequence: 0,
            version: 1,
            cancel_reason: None,
            invited_agency_ids: invited,
            quorum: None,
            held_at: None,
            minutes: None,
            series_id: None,
            recurrence_id: None,
            created_at: starts_at,
            updated_at: starts_at,
        }
    }

    #[test]
    fn holding_counts_the_invited_voting_members_present() {
        let start = Utc.with_ymd_and_hms(2026, 3, 5, 15, 0, 0).unwrap();
        let [a, b, c, observer] = [(); 4].map(|()| Uuid::now_v7());
        let meeting = session(start, vec![a, b, observer]);
        assert_eq!(
            meeting
                .hold(
                    QuorumRule::Majority,
                    &[a, b, c],
                    &[a],
                    start - Duration::minutes(1)
                )
                .unwrap_err()
                .field,
            "meetingId",
            "not before it starts"
        );
        let now = start + Duration::minutes(5);
        // c is a voting member not invited, observer is present but does not vote.
        let held = meeting
            .hold(QuorumRule::Majority, &[a, b, c], &[a, b, c, observer], now)
            .unwrap();
        assert_eq!(held.status, MeetingStatus::Held);
        let quorum = held.quorum.unwrap();
        assert_eq!(
            (quorum.required, quorum.present, quorum.reached),
            (2, 2, true)
        );
        assert_eq!(held.minutes.unwrap().status, MinutesStatus::Draft);
        assert!(session(start, vec![]).check_attendance(a).is_err());
    }

    #[test]
    fn minutes_go_from_draft_to_circulated_to_approved_in_a_later_session() {
        let start = Utc.with_ymd_and_hms(2026, 3, 5, 15, 0, 0).unwrap();
        let now = start + Duration::days(40);
        let meeting = session(start, vec![]);
        let held = meeting.hold(QuorumRule::Majority, &[], &[], now).unwrap();
        let calendar = WorkingCalendar::national();
        assert_eq!(
            held.circulate_minutes(None, &calendar, now)
                .unwrap_err()
                .message,
            "write the minutes before circulating them"
        );
        let written = held.edit_minutes("  Se aprobó el plan.  ", now).unwrap();
        assert_eq!(written.minutes.as_ref().unwrap().text, "Se aprobó el plan.");
        let circulated = written.circulate_minutes(None, &calendar, now).unwrap();
        assert!(circulated.edit_minutes("otra cosa", now).is_err());
        let earlier = session(start - Duration::days(30), vec![]);
        let later = session(start + Duration::days(30), vec![]);
        let not_yet = session(now + Duration::days(1), vec![]);
        for wrong in [&earlier, &not_yet, &circulated] {
            assert_eq!(
                circulated.approve_minutes(wrong, 0, now).unwrap_err().field,
                "approvedAtMeetingId"
            );
        }
        let waiting = circulated.approve_minutes(&later, 2, now).unwrap_err();
        assert_eq!(waiting.field, "meetingId");
        assert!(waiting.message.starts_with("2 observation(s)"), "{waiting}");
        let approved = circulated.approve_minutes(&later, 0, now).unwrap();
        let minutes = approved.minutes.unwrap();
        assert_eq!(minutes.status, MinutesStatus::Approved);
        assert_eq!(minutes.approved_at_meeting_id, Some(later.id));
    }

    #[test]
    fn agenda_positions_stay_within_the_agenda() {
        assert_eq!(insert_position(3, None).unwrap(), 4);
        assert_eq!(insert_position(3, Some(4)).unwrap(), 4);
        assert!(insert_position(3, Some(5)).is_err());
        assert!(insert_position(3, Some(0)).is_err());
        assert_eq!(move_position(3, 3).unwrap(), 3);
        assert_eq!(
            move_position(3, 4).unwrap_err().message,
            "must be between 1 and 3"
        );
    }
}
