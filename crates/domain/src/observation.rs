//! The observations period of circulated minutes: the agencies that attended a session
//! send observations on its minutes until a deadline, and the secretariat answers each
//! once, accepting it into the text or not, before the minutes are approved. Nothing of
//! it is ever deleted: observations and their answers stay with the minutes.
//!
//! Accepting an observation does not rewrite the minutes by itself: the secretariat
//! sends the revised text with its answer, and that text replaces the circulated one.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use uuid::Uuid;

use crate::enums::string_enum;
use crate::meeting::{MINUTES_MAX_CHARS, Meeting, MinutesStatus, local_date};
use crate::policy::{Actor, Refusal};
use crate::user::Role;
use crate::working_days::WorkingCalendar;
use crate::{ValidationError, text};

string_enum! {
    /// The secretariat's answer to an observation.
    ObservationAnswer, "answer" {
        /// Incorporated into the minutes.
        Accepted => "ACCEPTED",
        NotAccepted => "NOT_ACCEPTED",
    }
}

/// The longest observation, and the longest reply to one, in characters.
pub const OBSERVATION_MAX_CHARS: usize = 5_000;

/// How many working days the observations period lasts when circulation names no
/// deadline: it ends with the fifth working day after the day of circulation.
pub const DEFAULT_PERIOD_WORKING_DAYS: u32 = 5;

/// The furthest a deadline may be set, in days after circulation.
pub const LONGEST_PERIOD_DAYS: i64 = 60;

/// An agency's observation on circulated minutes, and the secretariat's answer to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub agency_id: Uuid,
    /// The agency's user who sent it.
    pub author_id: Uuid,
    pub text: String,
    pub submitted_at: DateTime<Utc>,
    /// The secretariat's answer, once given; it is given once and then frozen.
    pub reply: Option<Reply>,
    /// The agencies invited to the session, who may read its minutes and so this.
    #[serde(skip)]
    pub invited_agency_ids: Vec<Uuid>,
}

/// The secretariat's answer to an observation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reply {
    pub answer: ObservationAnswer,
    pub text: String,
    pub answered_by: Uuid,
    pub answered_at: DateTime<Utc>,
}

/// Why an answer was not recorded: refused, or the observation has its answer already
/// (a conflict: the first answer stands).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerRefusal {
    Refused(Refusal),
    AlreadyAnswered,
}

impl From<Refusal> for AnswerRefusal {
    fn from(refusal: Refusal) -> Self {
        AnswerRefusal::Refused(refusal)
    }
}

impl From<ValidationError> for AnswerRefusal {
    fn from(error: ValidationError) -> Self {
        AnswerRefusal::Refused(Refusal::Invalid(error))
    }
}

/// An answer recorded: the observation with its reply and, when the answer brought
/// revised minutes, the session with them as its circulated text.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub observation: Observation,
    pub revised: Option<Meeting>,
}

/// When the observations period of minutes circulated at `now` ends: `requested`, which
/// must lie ahead and within [`LONGEST_PERIOD_DAYS`], or else the end of the
/// [`DEFAULT_PERIOD_WORKING_DAYS`]th working day after today in `zone`.
pub fn period_end(
    requested: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    zone: Tz,
    calendar: &WorkingCalendar,
) -> Result<DateTime<Utc>, ValidationError> {
    let Some(until) = requested else {
        let last_day = calendar.deadline(
            "observationsUntil",
            i64::from(DEFAULT_PERIOD_WORKING_DAYS),
            local_date(now, zone),
        )?;
        return Ok(end_of(last_day, zone));
    };
    if until <= now {
        return Err(ValidationError::new(
            "observationsUntil",
            "the observations period must end in the future",
        ));
    }
    if until - now > Duration::days(LONGEST_PERIOD_DAYS) {
        return Err(ValidationError::new(
            "observationsUntil",
            format!("the observations period lasts at most {LONGEST_PERIOD_DAYS} days"),
        ));
    }
    Ok(until)
}

/// The first moment after `day` in `zone` (its midnight; should the zone skip that
/// midnight, the same wall time in UTC).
fn end_of(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = day.and_time(chrono::NaiveTime::MIN) + Duration::days(1);
    zone.from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |at| at.to_utc())
}

impl Meeting {
    /// Whether the minutes take observations at `now`: circulated, with a period that has
    /// not ended.
    pub fn check_observable(&self, now: DateTime<Utc>) -> Result<(), ValidationError> {
        let Some(minutes) = self
            .minutes
            .as_ref()
            .filter(|m| m.status == MinutesStatus::Circulated)
        else {
            return Err(ValidationError::new(
                "meetingId",
                "observations are sent on circulated minutes",
            ));
        };
        match minutes.observations_until {
            Some(until) if now < until => Ok(()),
            Some(until) => Err(ValidationError::new(
                "meetingId",
                format!("the observations period ended at {}", until.to_rfc3339()),
            )),
            None => Err(ValidationError::new(
                "meetingId",
                "these minutes were circulated without an observations period",
            )),
        }
    }
}

/// An observation `actor` sends on the minutes of `meeting`: only an agency recorded
/// present at the session (`attended`) sends one, while the minutes are circulated and
/// their period lasts. Who may send comes first, then the state of the minutes, then the
/// text.
pub fn submit(
    meeting: &Meeting,
    attended: &[Uuid],
    actor: &Actor,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Observation, Refusal> {
    let agency_id = match (actor.role, actor.agency_id) {
        (Role::Agency, Some(agency)) if attended.contains(&agency) => agency,
        _ => {
            return Err(Refusal::Forbidden(
                "only the agencies that attended the session send observations on its minutes"
                    .into(),
            ));
        }
    };
    meeting.check_observable(now)?;
    let text = text::required("text", text, OBSERVATION_MAX_CHARS)?;
    Ok(Observation {
        id: Uuid::now_v7(),
        meeting_id: meeting.id,
        agency_id,
        author_id: actor.user_id,
        text,
        submitted_at: now,
        reply: None,
        invited_agency_ids: meeting.invited_agency_ids.clone(),
    })
}

impl Observation {
    /// The secretariat's answer, given once: `reply` says why, and an accepted observation
    /// may bring `revised_minutes`, which become the circulated text of `meeting`. Until
    /// the minutes are approved an observation can be answered, after its period too.
    pub fn answer(
        &self,
        meeting: &Meeting,
        actor: &Actor,
        answer: ObservationAnswer,
        reply: &str,
        revised_minutes: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Answered, AnswerRefusal> {
        if !actor.is_secretariat() {
            return Err(
                Refusal::Forbidden("only the secretariat answers observations".into()).into(),
            );
        }
        if self.reply.is_some() {
            return Err(AnswerRefusal::AlreadyAnswered);
        }
        let reply = text::required("reply", reply, OBSERVATION_MAX_CHARS)?;
        let mut revised = None;
        if let Some(new_text) = revised_minutes {
            if answer != ObservationAnswer::Accepted {
                return Err(ValidationError::new(
                    "revisedMinutes",
                    "only an accepted observation brings revised minutes",
                )
                .into());
            }
            let mut after = meeting.clone();
            let Some(minutes) = after
                .minutes
                .as_mut()
                .filter(|m| m.status == MinutesStatus::Circulated)
            else {
                return Err(ValidationError::new(
                    "observationId",
                    "the minutes are no longer circulated",
                )
                .into());
            };
            minutes.text = text::required("revisedMinutes", new_text, MINUTES_MAX_CHARS)?;
            after.updated_at = now;
            revised = Some(after);
        }
        let mut observation = self.clone();
        observation.reply = Some(Reply {
            answer,
            text: reply,
            answered_by: actor.user_id,
            answered_at: now,
        });
        Ok(Answered {
            observation,
            revised,
        })
    }
}

#[cfg(test)]
mod tests;
