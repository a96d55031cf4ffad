//! Turns a rendered [`Email`] into a MIME message.

use cmnp_calendar::Method;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

use crate::{Commission, Email, MailError};

/// Builds `email` as a message from the commission:
///
/// ```text
/// multipart/mixed
/// ├── multipart/alternative
/// │   ├── text/plain; charset=utf-8
/// │   └── text/html; charset=utf-8
/// └── text/calendar; method=REQUEST|CANCEL; charset=utf-8  (invite.ics, when present)
/// ```
///
/// `message_id` becomes the Message-ID header as `<{message_id}>`. The caller derives it
/// from the outbox row, so that a message resent after a crash carries the same id and
/// receivers can recognise the duplicate.
pub fn message(c: &Commission, email: &Email, message_id: &str) -> Result<Message, MailError> {
    let from_address: Address =
        c.from_email
            .trim()
            .parse()
            .map_err(|source| MailError::InvalidFrom {
                address: c.from_email.clone(),
                source,
            })?;
    let to_address: Address =
        email
            .to
            .email
            .trim()
            .parse()
            .map_err(|source| MailError::InvalidTo {
                address: email.to.email.clone(),
                source,
            })?;
    let alternative = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(email.text.clone()),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(email.html.clone()),
        );
    let mut mixed = MultiPart::mixed().multipart(alternative);
    if let Some(calendar) = &email.calendar {
        let content_type = ContentType::parse(&format!(
            "text/calendar; method={}; charset=utf-8",
            method_name(calendar.method)
        ))?;
        mixed = mixed.singlepart(
            Attachment::new("invite.ics".to_owned()).body(calendar.ics.clone(), content_type),
        );
    }
    Ok(Message::builder()
        .from(mailbox(&c.from_name, from_address))
        .to(mailbox(&email.to.name, to_address))
        .subject(email.subject.clone())
        .message_id(Some(format!("<{message_id}>")))
        .multipart(mixed)?)
}

/// A mailbox with its display name, or the bare address when there is no name to show.
fn mailbox(name: &str, address: Address) -> Mailbox {
    let name: String = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    Mailbox::new(Some(name).filter(|name| !name.is_empty()), address)
}

/// The iTIP method as written in the content type; `cmnp_calendar` keeps its own spelling
/// private.
const fn method_name(method: Method) -> &'static str {
    match method {
        Method::Publish => "PUBLISH",
        Method::Request => "REQUEST",
        Method::Cancel => "CANCEL",
    }
}
