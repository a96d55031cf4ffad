//! Meeting invitations, updates, cancellations and reminders.

use cmnp_calendar::{Calendar, CalendarEvent, EventStatus, Method, Person};
use cmnp_domain::meeting::Meeting;
use cmnp_domain::representative::Language;

use crate::document::{Block, Document, Fact};
use crate::{CalendarPart, Commission, Email, MeetingNotice, Recipient, dates, texts};

/// The e-mail telling `to` that `meeting` was scheduled, changed or cancelled, with an
/// iCalendar attachment that adds, updates or removes it in their calendar.
///
/// `agenda` lists the agenda item titles in order; it is left out of cancellations, which
/// only need to say what is off and why.
pub fn meeting_notice(
    c: &Commission,
    notice: MeetingNotice,
    meeting: &Meeting,
    agenda: &[String],
    to: &Recipient,
) -> Email {
    let language = to.language;
    let labels = texts::labels(language);
    let subject = format!(
        "{}: {}",
        texts::notice_subject(language, notice),
        meeting.heading()
    );
    let mut document = Document::new(c, language, &subject, &to.name);
    document.paragraph(texts::notice_intro(
        language,
        notice,
        document.commission_name(),
    ));
    let mut facts = meeting_facts(language, meeting);
    let cancelled = notice == MeetingNotice::Cancellation;
    if let Some(reason) = meeting.cancel_reason.as_deref().filter(|_| cancelled) {
        facts.push(Fact::text(labels.reason, reason));
    }
    document.push(Block::Facts(facts));
    if !cancelled && !agenda.is_empty() {
        document.push(Block::Heading(labels.agenda.to_owned()));
        document.push(Block::Numbered(agenda.to_vec()));
    }
    document.paragraph(texts::attachment_note(language, notice));
    document.push(calendar_link(c, language, meeting));

    let method = if cancelled {
        Method::Cancel
    } else {
        Method::Request
    };
    let event = calendar_event(c, meeting, agenda, to, cancelled);
    let ics = cmnp_calendar::render(&Calendar {
        name: c.name(language),
        method,
        events: std::slice::from_ref(&event),
    });
    document.into_email(to, Some(CalendarPart { method, ics }))
}

/// The reminder that `meeting` starts in `days_before` days ("mañana" / "tomorrow" for one,
/// "hoy" / "today" for zero).
pub fn meeting_reminder(
    c: &Commission,
    meeting: &Meeting,
    days_before: i64,
    to: &Recipient,
) -> Email {
    let language = to.language;
    let subject = texts::reminder_subject(language, &meeting.heading(), days_before);
    let mut document = Document::new(c, language, &subject, &to.name);
    document.paragraph(texts::reminder_intro(
        language,
        &meeting.label(),
        document.commission_name(),
        days_before,
    ));
    document.push(Block::Facts(meeting_facts(language, meeting)));
    document.push(calendar_link(c, language, meeting));
    document.into_email(to, None)
}

/// What every meeting e-mail states: which session, about what, when and where. Times are
/// given in the meeting's own zone, since that is where the session takes place.
fn meeting_facts(language: Language, meeting: &Meeting) -> Vec<Fact> {
    let labels = texts::labels(language);
    let zone = meeting.zone();
    let mut facts = vec![
        Fact::text(labels.session, meeting.label()),
        Fact::text(labels.title, meeting.title.clone()),
        Fact::text(
            labels.starts,
            dates::long_date_time(language, meeting.starts_at, zone),
        ),
        Fact::text(
            labels.ends,
            dates::long_date_time(language, meeting.ends_at, zone),
        ),
    ];
    if let Some(location) = &meeting.location {
        facts.push(Fact::text(labels.location, location.clone()));
    }
    if let Some(url) = &meeting.online_url {
        facts.push(Fact::link(labels.online, url.clone()));
    }
    facts
}

fn calendar_link(c: &Commission, language: Language, meeting: &Meeting) -> Block {
    Block::Link {
        label: texts::labels(language).calendar_link.to_owned(),
        url: c.meeting_url(meeting.id),
    }
}

/// The meeting as one VEVENT addressed to this recipient. The UID stays the same for the
/// meeting's whole life and the SEQUENCE is the meeting's, so clients apply updates and
/// cancellations to the event they already hold.
fn calendar_event(
    c: &Commission,
    meeting: &Meeting,
    agenda: &[String],
    to: &Recipient,
    cancelled: bool,
) -> CalendarEvent {
    let mut description = format!("{}\n{}", meeting.label(), c.name(to.language));
    if !cancelled {
        for (index, item) in agenda.iter().enumerate() {
            description.push_str(&format!("\n{}. {item}", index + 1));
        }
    }
    if let Some(reason) = meeting.cancel_reason.as_deref().filter(|_| cancelled) {
        let label = texts::labels(to.language).reason;
        description.push_str(&format!("\n{label}: {reason}"));
    }
    description.push_str(&format!("\n{}", c.meeting_url(meeting.id)));
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
        organizer: Some(Person {
            name: c.from_name.clone(),
            email: c.from_email.clone(),
        }),
        attendees: vec![Person {
            name: to.name.clone(),
            email: to.email.clone(),
        }],
    }
}
