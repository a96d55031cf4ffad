//! What a session discusses (its agenda) and who came (attendance).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::enums::string_enum;
use crate::{ValidationError, text};

string_enum! {
    AgendaItemKind, "kind" {
        Information => "INFORMATION",
        Decision => "DECISION",
        /// Review of the open and overdue action items carried over.
        FollowUp => "FOLLOW_UP",
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgendaItem {
    pub id: Uuid,
    pub meeting_id: Uuid,
    /// 1-based, contiguous within the meeting.
    pub position: i32,
    pub title: String,
    pub description: Option<String>,
    pub presenter_agency_id: Option<Uuid>,
    pub duration_minutes: Option<i32>,
    pub kind: AgendaItemKind,
}

/// Validated fields of an agenda item.
#[derive(Debug, Clone, PartialEq)]
pub struct AgendaItemFields {
    pub title: String,
    pub description: Option<String>,
    pub presenter_agency_id: Option<Uuid>,
    pub duration_minutes: Option<i32>,
    pub kind: AgendaItemKind,
}

impl AgendaItemFields {
    pub fn parse(
        title: &str,
        description: Option<&str>,
        presenter_agency_id: Option<Uuid>,
        duration_minutes: Option<i32>,
        kind: Option<AgendaItemKind>,
    ) -> Result<Self, ValidationError> {
        if let Some(minutes) = duration_minutes
            && !(1..=600).contains(&minutes)
        {
            return Err(ValidationError::new(
                "durationMinutes",
                "must be between 1 and 600",
            ));
        }
        Ok(Self {
            title: text::required("title", title, 300)?,
            description: text::optional("description", description, 10_000)?,
            presenter_agency_id,
            duration_minutes,
            kind: kind.unwrap_or(AgendaItemKind::Information),
        })
    }
}

string_enum! {
    AttendanceStatus, "status" {
        Present => "PRESENT",
        Absent => "ABSENT",
        Excused => "EXCUSED",
    }
}

string_enum! {
    /// Who attended for an agency.
    AttendeeKind, "attendeeKind" {
        Principal => "PRINCIPAL",
        Alternate => "ALTERNATE",
        Delegate => "DELEGATE",
    }
}

string_enum! {
    AttendanceMode, "mode" {
        InPerson => "IN_PERSON",
        Online => "ONLINE",
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attendance {
    pub meeting_id: Uuid,
    pub agency_id: Uuid,
    pub status: AttendanceStatus,
    pub attendee_kind: Option<AttendeeKind>,
    pub attendee_name: Option<String>,
    pub mode: Option<AttendanceMode>,
    pub recorded_at: DateTime<Utc>,
}

/// Validated attendance of one agency.
#[derive(Debug, Clone, PartialEq)]
pub struct AttendanceFields {
    pub status: AttendanceStatus,
    pub attendee_kind: Option<AttendeeKind>,
    pub attendee_name: Option<String>,
    pub mode: Option<AttendanceMode>,
}

impl AttendanceFields {
    /// An agency that was present says who came and how; an absent one says neither.
    pub fn parse(
        status: AttendanceStatus,
        attendee_kind: Option<AttendeeKind>,
        attendee_name: Option<&str>,
        mode: Option<AttendanceMode>,
    ) -> Result<Self, ValidationError> {
        let attendee_name = text::optional("attendeeName", attendee_name, 200)?;
        if status == AttendanceStatus::Present {
            if attendee_kind == Some(AttendeeKind::Delegate) && attendee_name.is_none() {
                return Err(ValidationError::new(
                    "attendeeName",
                    "name the delegate who attended",
                ));
            }
            Ok(Self {
                status,
                attendee_kind: Some(attendee_kind.unwrap_or(AttendeeKind::Principal)),
                attendee_name,
                mode: Some(mode.unwrap_or(AttendanceMode::InPerson)),
            })
        } else {
            if attendee_kind.is_some() || mode.is_some() {
                return Err(ValidationError::new(
                    if mode.is_some() {
                        "mode"
                    } else {
                        "attendeeKind"
                    },
                    format!("an agency that was {status} attended in no way"),
                ));
            }
            Ok(Self {
                status,
                attendee_kind: None,
                attendee_name,
                mode: None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn present_agencies_default_to_their_principal_in_person() {
        let fields = AttendanceFields::parse(AttendanceStatus::Present, None, None, None).unwrap();
        assert_eq!(fields.attendee_kind, Some(AttendeeKind::Principal));
        assert_eq!(fields.mode, Some(AttendanceMode::InPerson));
    }

    #[test]
    fn delegates_are_named_and_absent_agencies_have_no_mode() {
        let error = AttendanceFields::parse(
            AttendanceStatus::Present,
            Some(AttendeeKind::Delegate),
            None,
            None,
        )
        .unwrap_err();
        assert_eq!(error.field, "attendeeName");
        let error = AttendanceFields::parse(
            AttendanceStatus::Absent,
            None,
            None,
            Some(AttendanceMode::Online),
        )
        .unwrap_err();
        assert_eq!(error.field, "mode");
    }

    #[test]
    fn agenda_durations_are_bounded() {
        let error = AgendaItemFields::parse("Informe", None, None, Some(0), None).unwrap_err();
        assert_eq!(error.field, "durationMinutes");
        let item = AgendaItemFields::parse(" Informe ", None, None, Some(30), None).unwrap();
        assert_eq!(item.title, "Informe");
        assert_eq!(item.kind, AgendaItemKind::Information);
    }
}
