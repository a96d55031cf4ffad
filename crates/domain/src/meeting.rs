//! The commission's sessions: scheduling, agenda, attendance, quorum and minutes.

mod changes;
mod record;
mod series;

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use crate::enums::string_enum;
use crate::{ValidationError, text, words};

pub use changes::MeetingChanges;
pub use record::{MINUTES_MAX_CHARS, insert_position, move_position};
pub use series::{MeetingSeries, SeriesChange, SeriesPlan, SeriesRequest, series_uid};

string_enum! {
    MeetingKind, "kind" {
        Ordinary => "ORDINARY",
        Extraordinary => "EXTRAORDINARY",
    }
}

string_enum! {
    MeetingStatus, "status" {
        Scheduled => "SCHEDULED",
        Held => "HELD",
        Cancelled => "CANCELLED",
    }
}

string_enum! {
    MinutesStatus, "status" {
        Draft => "DRAFT",
        Circulated => "CIRCULATED",
        Approved => "APPROVED",
    }
}

impl MeetingKind {
    /// The Spanish name of a session of this kind, as in "Sesión Ordinaria N° 3-2026".
    pub fn label_es(self) -> &'static str {
        match self {
            MeetingKind::Ordinary => "Sesión Ordinaria",
            MeetingKind::Extraordinary => "Sesión Extraordinaria",
        }
    }
}

/// A session of the commission.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meeting {
    pub id: Uuid,
    pub kind: MeetingKind,
    pub year: i32,
    /// Numbered per kind and year.
    pub number: i32,
    pub title: String,
    pub status: MeetingStatus,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub location: Option<String>,
    pub online_url: Option<String>,
    /// The iCalendar SEQUENCE: grows with every change invitees must hear about.
    pub sequence: i32,
    /// Grows with every change to the session or its record; a change sent with an
    /// older version is refused.
    pub version: i32,
    pub cancel_reason: Option<String>,
    pub invited_agency_ids: Vec<Uuid>,
    /// Frozen when the meeting is marked held.
    pub quorum: Option<Quorum>,
    pub held_at: Option<DateTime<Utc>>,
    pub minutes: Option<Minutes>,
    /// The series the session belongs to, if it recurs.
    pub series_id: Option<Uuid>,
    /// For a session of a series, the start its rule gave it (`RECURRENCE-ID`), which
    /// stays when the session moves.
    pub recurrence_id: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Meeting {
    /// "Sesión Ordinaria N° 3-2026".
    pub fn label(&self) -> String {
        format!("{} N° {}-{}", self.kind.label_es(), self.number, self.year)
    }

    /// The label and the title, "Sesión Ordinaria N° 3-2026 — Balance anual": how a
    /// session is named in e-mail subjects, lists and calendar entries alike.
    pub fn heading(&self) -> String {
        format!("{} — {}", self.label(), self.title)
    }

    /// The `UID` of the session's calendar entry, the same in every invitation, update,
    /// cancellation and feed, so calendar clients keep one event. The sessions of a
    /// series share their series' `UID` and are told apart by their `RECURRENCE-ID`.
    pub fn calendar_uid(&self) -> String {
        series_uid(self.series_id.unwrap_or(self.id))
    }

    /// The zone the session takes place in: its own, or the commission's
    /// ([`words::TIME_ZONE`]) should the stored name be unreadable, which validation
    /// prevents.
    pub fn zone(&self) -> Tz {
        self.time_zone.trim().parse().unwrap_or(words::TIME_ZONE)
    }

    /// The day the session starts where it takes place.
    pub fn starts_on(&self) -> chrono::NaiveDate {
        local_date(self.starts_at, self.zone())
    }

    /// For a session already held, when it began: its follow-up (an agenda item's
    /// commitments) lists only what existed then.
    pub fn held_since(&self) -> Option<DateTime<Utc>> {
        (self.status == MeetingStatus::Held).then_some(self.starts_at)
    }

    pub fn invites(&self, agency_id: Uuid) -> bool {
        self.invited_agency_ids.contains(&agency_id)
    }

    /// Whether the session is under way or over: agreements can be adopted and attendance
    /// recorded.
    pub fn has_started(&self, now: DateTime<Utc>) -> bool {
        self.status == MeetingStatus::Held
            || (self.status == MeetingStatus::Scheduled && self.starts_at <= now)
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Minutes {
    pub text: String,
    pub status: MinutesStatus,
    pub circulated_at: Option<DateTime<Utc>>,
    /// The later session in which the minutes were approved.
    pub approved_at_meeting_id: Option<Uuid>,
    /// Until when the agencies that attended send observations on the circulated minutes
    /// (see [`crate::observation`]).
    pub observations_until: Option<DateTime<Utc>>,
}

/// How many voting members a session needs, how many came, and whether that is enough.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Quorum {
    pub required: i32,
    pub present: i32,
    pub reached: bool,
}

/// The quorum rule: how many of the commission's voting members must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuorumRule {
    /// More than half (the default).
    Majority,
    /// At least this percentage, rounded up.
    AtLeastPercent(u8),
}

impl QuorumRule {
    /// Reads "majority" or a percentage such as "60%".
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("majority") {
            return Ok(QuorumRule::Majority);
        }
        text.strip_suffix('%')
            .and_then(|n| n.trim().parse::<u8>().ok())
            .filter(|n| (1..=100).contains(n))
            .map(QuorumRule::AtLeastPercent)
            .ok_or_else(|| {
                ValidationError::new(
                    "quorumRule",
                    format!("{text:?} is neither \"majority\" nor a percentage such as \"60%\""),
                )
            })
    }

    /// How many of `voting_members` must be present.
    pub fn required(self, voting_members: i32) -> i32 {
        match self {
            QuorumRule::Majority => voting_members / 2 + 1,
            QuorumRule::AtLeastPercent(percent) => (voting_members * i32::from(percent) + 99) / 100,
        }
    }

    /// The quorum of a session with `voting_members` voting members, of whom `present`
    /// attended. Only voting members are ever counted, by the caller.
    pub fn quorum(self, voting_members: i32, present: i32) -> Quorum {
        let required = self.required(voting_members).max(1);
        Quorum {
            required,
            present,
            reached: present >= required,
        }
    }
}

/// The validated when and where of a meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: Tz,
    pub location: Option<String>,
    pub online_url: Option<String>,
}

impl Schedule {
    pub fn parse(
        title: &str,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        time_zone: &str,
        location: Option<&str>,
        online_url: Option<&str>,
    ) -> Result<Self, ValidationError> {
        let title = text::required("title", title, 300)?;
        if ends_at <= starts_at {
            return Err(ValidationError::new("endsAt", "must be after startsAt"));
        }
        if ends_at - starts_at > chrono::Duration::days(3) {
            return Err(ValidationError::new(
                "endsAt",
                "a session lasts at most three days",
            ));
        }
        let time_zone: Tz = time_zone.trim().parse().map_err(|_| {
            ValidationError::new(
                "timeZone",
                format!("{time_zone:?} is not an IANA time zone such as America/Lima"),
            )
        })?;
        let location = text::optional("location", location, 300)?;
        let online_url = text::optional("onlineUrl", online_url, 500)?;
        if let Some(url) = &online_url {
            check_url("onlineUrl", url)?;
        }
        if location.is_none() && online_url.is_none() {
            return Err(ValidationError::new(
                "location",
                "give a location, an online link, or both",
            ));
        }
        Ok(Self {
            title,
            starts_at,
            ends_at,
            time_zone,
            location,
            online_url,
        })
    }

    /// The year the session is numbered in: the year of its start, in its own time zone.
    pub fn year(&self) -> i32 {
        self.starts_at.with_timezone(&self.time_zone).year()
    }
}

/// The calendar date at `now` in `zone`: "today" for due dates and overdue items.
pub fn local_date(now: DateTime<Utc>, zone: Tz) -> chrono::NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// Checks that `url` is an absolute http(s) link.
pub fn check_url(field: &str, url: &str) -> Result<(), ValidationError> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && !url.chars().any(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(ValidationError::new(
            field,
            format!("{url:?} is not an http(s) link"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn a_session_is_headed_identified_and_placed_the_same_everywhere() {
        let starts_at = at("2026-12-03T04:30:00Z");
        let mut meeting = Meeting {
            id: Uuid::nil(),
            kind: MeetingKind::Ordinary,
            year: 2026,
            number: 3,
            title: "Balance anual".into(),
            status: MeetingStatus::Scheduled,
            starts_at,
            ends_at: starts_at,
            time_zone: "Europe/Madrid".into(),
            location: None,
            online_url: None,
            sequence: 0,
            version: 1,
            cancel_reason: None,
            invited_agency_ids: Vec::new(),
            quorum: None,
            held_at: None,
            minutes: None,
            series_id: None,
            recurrence_id: None,
            created_at: starts_at,
            updated_at: starts_at,
        };
        assert_eq!(
            meeting.heading(),
            "Sesión Ordinaria N° 3-2026 — Balance anual"
        );
        assert_eq!(
            meeting.calendar_uid(),
            "00000000-0000-0000-0000-000000000000@cmnp"
        );
        assert_eq!(meeting.zone(), chrono_tz::Europe::Madrid);
        // A session of a series is its series' entry in calendars.
        let series_id = Uuid::from_u128(7);
        let of_series = Meeting {
            series_id: Some(series_id),
            ..meeting.clone()
        };
        assert_eq!(of_series.calendar_uid(), series_uid(series_id));
        assert_eq!(meeting.starts_on().to_string(), "2026-12-03");
        // An unreadable zone falls back to the commission's, as everywhere else.
        meeting.time_zone = "Lima".into();
        assert_eq!(meeting.zone(), words::TIME_ZONE);
        assert_eq!(meeting.starts_on().to_string(), "2026-12-02");
    }

    #[test]
    fn majority_means_more_than_half() {
        let rule = QuorumRule::Majority;
        assert_eq!(rule.required(18), 10);
        assert_eq!(rule.required(17), 9);
        assert!(!rule.quorum(18, 9).reached);
        assert!(rule.quorum(18, 10).reached);
        assert_eq!(QuorumRule::parse("majority").unwrap(), rule);
    }

    #[test]
    fn percentage_rules_round_up() {
        let rule = QuorumRule::parse("60%").unwrap();
        assert_eq!(rule.required(18), 11);
        assert_eq!(rule.required(10), 6);
        assert_eq!(QuorumRule::parse("0%").unwrap_err().field, "quorumRule");
        assert!(QuorumRule::parse("most").is_err());
    }

    #[test]
    fn schedules_are_validated_field_by_field() {
        let start = at("2026-12-03T15:00:00Z");
        let end = at("2026-12-03T17:00:00Z");
        let ok =
            Schedule::parse("Sesión", start, end, "America/Lima", Some("MININTER"), None).unwrap();
        assert_eq!(ok.year(), 2026);
        let cases = [
            (
                Schedule::parse(" ", start, end, "America/Lima", Some("x"), None),
                "title",
            ),
            (
                Schedule::parse("S", end, start, "America/Lima", Some("x"), None),
                "endsAt",
            ),
            (
                Schedule::parse("S", start, end, "Lima", Some("x"), None),
                "timeZone",
            ),
            (
                Schedule::parse("S", start, end, "America/Lima", None, None),
                "location",
            ),
            (
                Schedule::parse("S", start, end, "America/Lima", None, Some("meet.example")),
                "onlineUrl",
            ),
        ];
        for (result, field) in cases {
            assert_eq!(result.unwrap_err().field, field);
        }
    }

    #[test]
    fn today_turns_at_midnight_in_the_commissions_zone() {
        let lima = chrono_tz::America::Lima;
        // 04:59 UTC on 1 December is 23:59 on 30 November in Lima (UTC-5).
        assert_eq!(
            local_date(at("2026-12-01T04:59:59Z"), lima).to_string(),
            "2026-11-30"
        );
        assert_eq!(
            local_date(at("2026-12-01T05:00:00Z"), lima).to_string(),
            "2026-12-01"
        );
    }

    #[test]
    fn the_year_is_read_in_the_meetings_zone() {
        // 1 January 2027 at 03:00 UTC is still 31 December 2026 in Lima.
        let start = at("2027-01-01T03:00:00Z");
        let schedule = Schedule::parse(
            "S",
            start,
            start + chrono::Duration::hours(1),
            "America/Lima",
            Some("x"),
            None,
        )
        .unwrap();
        assert_eq!(schedule.year(), 2026);
    }
}
