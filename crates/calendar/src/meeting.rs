//! A session of the commission as a calendar event: the one description that the `.ics`
//! route, the calendar feed and the e-mailed invitations all carry.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use cmnp_domain::meeting::{Meeting, MeetingSeries, MeetingStatus};
use cmnp_domain::representative::Language;
use cmnp_domain::words::{self, Named};

use crate::{CalendarEvent, EventStatus, Recurrence};

/// `meeting` as an event described in `language`: its label and the commission, the
/// agenda (unless cancelled), the reason of a cancellation, and the link to its `.ics`
/// under `public_url`. Its `UID` is the meeting's for its whole life and its `SEQUENCE`
/// the meeting's, so clients apply updates and cancellations to the event they hold. A
/// session of a series carries its series' `UID` and its `RECURRENCE-ID`, so clients
/// place it in the series they hold. Organizer and attendees are left to the caller.
pub fn meeting_event(
    meeting: &Meeting,
    language: Language,
    agenda: &[String],
    public_url: &str,
) -> CalendarEvent {
    let cancelled = meeting.status == MeetingStatus::Cancelled;
    let mut description = format!("{}\n{}", meeting.label(), words::commission_name(language));
    if !cancelled {
        for (index, item) in agenda.iter().enumerate() {
            let _ = write!(description, "\n{}. {item}", index + 1);
        }
    }
    if let Some(reason) = meeting.cancel_reason.as_deref().filter(|_| cancelled) {
        let status = meeting.status.name(language);
        let _ = write!(description, "\n{status}: {reason}");
    }
    let _ = write!(
        description,
        "\n{}/meetings/{}.ics",
        public_url.trim_end_matches('/'),
        meeting.id
    );
    CalendarEvent {
        uid: meeting.calendar_uid(),
        // The domain never stores a negative sequence; were one to appear, zero is the
        // value a client treats as the first version.
        sequence: u32::try_from(meeting.sequence).unwrap_or_default(),
        summary: meeting.heading(),
        description: Some(description),
        location: meeting.location.clone(),
        url: meeting.online_url.clone(),
        starts_at: meeting.starts_at,
        ends_at: meeting.ends_at,
        time_zone: meeting.zone(),
        status: if cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        },
        stamp: meeting.updated_at,
        organizer: None,
        attendees: Vec::new(),
        recurrence: None,
        recurrence_id: meeting.recurrence_id,
    }
}

/// `series` as the one event that repeats by its rule: its first session's start and
/// end, its `RRULE`, and as `EXDATE`s the days it was scheduled without and the starts
/// of its `cancelled` sessions. Its sessions as they are (numbered, moved, with their
/// agenda) go beside it as [`meeting_event`]s, which override the starts they carry.
pub fn series_event(
    series: &MeetingSeries,
    cancelled: &[DateTime<Utc>],
    covers_until: DateTime<Utc>,
    language: Language,
) -> CalendarEvent {
    let mut except = series.exceptions();
    except.extend_from_slice(cancelled);
    except.sort();
    except.dedup();
    CalendarEvent {
        uid: series.calendar_uid(),
        sequence: u32::try_from(series.version - 1).unwrap_or_default(),
        summary: format!("{} — {}", series.kind.label_es(), series.title),
        description: Some(format!(
            "{}\n{}",
            series.kind.label_es(),
            words::commission_name(language)
        )),
        location: series.location.clone(),
        url: series.online_url.clone(),
        starts_at: series.starts_at,
        ends_at: series.starts_at + series.duration(),
        time_zone: series.zone(),
        status: EventStatus::Confirmed,
        stamp: series.updated_at,
        organizer: None,
        attendees: Vec::new(),
        recurrence: Some(Recurrence {
            rule: series.rule.clone(),
            except,
            covers_until,
        }),
        recurrence_id: None,
    }
}
