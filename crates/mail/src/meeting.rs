//! Meeting invitations, updates, cancellations and reminders.

use cmnp_calendar::{Attendee, Calendar, CalendarEvent, Method, Person, meeting_event};
use cmnp_domain::meeting::Meeting;
use cmnp_domain::outbox::AnswerLinks;
use cmnp_domain::representative::Language;
use cmnp_domain::rsvp::Answer;
use cmnp_domain::words::{self, Label, Named, Note};

use crate::document::{Block, Document, Fact};
use crate::{CalendarPart, Commission, Email, MeetingNotice, Recipient, dates};

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
    answer: Option<&AnswerLinks>,
) -> Email {
    let language = to.language;
    let subject = format!("{}: {}", notice.name(language), meeting.heading());
    let mut document = Document::new(c, language, &subject, &to.name);
    document.paragraph(words::notice_intro(
        language,
        notice,
        document.commission_name(),
    ));
    let mut facts = meeting_facts(language, meeting);
    let cancelled = notice == MeetingNotice::Cancellation;
    if let Some(reason) = meeting.cancel_reason.as_deref().filter(|_| cancelled) {
        facts.push(Fact::text(Label::Reason.name(language), reason));
    }
    document.push(Block::Facts(facts));
    if !cancelled && !agenda.is_empty() {
        document.push(Block::Heading(Label::Agenda.name(language).to_owned()));
        document.push(Block::Numbered(agenda.to_vec()));
    }
    if let Some(links) = answer.filter(|_| !cancelled) {
        document.paragraph(Note::AnswerByLink.name(language));
        for (choice, token) in &links.tokens {
            document.push(Block::Link {
                label: choice.name(language).to_owned(),
                url: c.answer_url(token, language),
            });
        }
    }
    document.paragraph(words::attachment_note(language, notice));
    document.push(calendar_link(c, language, meeting));

    let method = if cancelled {
        Method::Cancel
    } else {
        Method::Request
    };
    let event = calendar_event(c, meeting, agenda, to, answer.and_then(|a| a.current));
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
    let subject = words::reminder_subject(language, &meeting.heading(), days_before);
    let mut document = Document::new(c, language, &subject, &to.name);
    document.paragraph(words::reminder_intro(
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
    let zone = meeting.zone();
    let mut facts = vec![
        Fact::text(Label::Session.name(language), meeting.label()),
        Fact::text(Label::Topic.name(language), meeting.title.clone()),
        Fact::text(
            Label::Starts.name(language),
            dates::long_date_time(language, meeting.starts_at, zone),
        ),
        Fact::text(
            Label::Ends.name(language),
            dates::long_date_time(language, meeting.ends_at, zone),
        ),
    ];
    if let Some(location) = &meeting.location {
        facts.push(Fact::text(Label::Venue.name(language), location.clone()));
    }
    if let Some(url) = &meeting.online_url {
        facts.push(Fact::link(Label::OnlineLink.name(language), url.clone()));
    }
    facts
}

fn calendar_link(c: &Commission, language: Language, meeting: &Meeting) -> Block {
    Block::Link {
        label: Label::SessionCalendar.name(language).to_owned(),
        url: c.meeting_url(meeting.id),
    }
}

/// The meeting's event ([`cmnp_calendar::meeting_event`], as the `.ics` route and the
/// feed describe it), organised by the secretariat and addressed to this recipient.
fn calendar_event(
    c: &Commission,
    meeting: &Meeting,
    agenda: &[String],
    to: &Recipient,
    answer: Option<Answer>,
) -> CalendarEvent {
    let mut event = meeting_event(meeting, to.language, agenda, &c.public_url);
    event.organizer = Some(Person {
        name: c.from_name.clone(),
        email: c.from_email.clone(),
    });
    event.attendees = vec![Attendee {
        person: Person {
            name: to.name.clone(),
            email: to.email.clone(),
        },
        answer,
    }];
    event
}
