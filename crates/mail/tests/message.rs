//! Building messages: addresses, headers and failures.

mod common;

use cmnp_domain::representative::Language;
use cmnp_mail::{MailError, meeting_reminder, message};
use common::*;

#[test]
fn an_invalid_recipient_address_is_named_in_the_error() {
    let c = commission();
    let mut to = recipient(Language::Es);
    to.email = "aquispe.mimp.gob.pe".to_owned();
    let email = meeting_reminder(&c, &meeting("America/Lima"), 7, &to);
    let error = message(&c, &email, MESSAGE_ID).unwrap_err();
    assert!(
        matches!(&error, MailError::InvalidTo { address, .. } if address == "aquispe.mimp.gob.pe"),
        "{error:?}"
    );
    let shown = error.to_string();
    assert!(shown.contains("recipient"), "{shown}");
    assert!(shown.contains("aquispe.mimp.gob.pe"), "{shown}");
}

#[test]
fn an_invalid_sender_address_is_named_in_the_error() {
    let mut c = commission();
    c.from_email = "secretaria@".to_owned();
    let email = meeting_reminder(&c, &meeting("America/Lima"), 7, &recipient(Language::Es));
    let error = message(&c, &email, MESSAGE_ID).unwrap_err();
    assert!(
        matches!(&error, MailError::InvalidFrom { address, .. } if address == "secretaria@"),
        "{error:?}"
    );
    assert!(error.to_string().contains("sender"));
}

#[test]
fn the_message_id_is_the_callers_and_stays_the_same_on_rebuild() {
    let c = commission();
    let email = meeting_reminder(&c, &meeting("America/Lima"), 1, &recipient(Language::Es));
    let first = message(&c, &email, MESSAGE_ID).unwrap().formatted();
    let second = message(&c, &email, MESSAGE_ID).unwrap().formatted();
    let header = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .lines()
            .find(|line| line.starts_with("Message-ID:"))
            .unwrap()
            .to_owned()
    };
    assert_eq!(header(&first), format!("Message-ID: <{MESSAGE_ID}>"));
    assert_eq!(header(&first), header(&second));
}

#[test]
fn a_recipient_without_a_name_gets_a_bare_address() {
    let c = commission();
    let mut to = recipient(Language::En);
    to.name = "  ".to_owned();
    let email = meeting_reminder(&c, &meeting("America/Lima"), 7, &to);
    let got = receive(&c, &email);
    assert_eq!(got.to, (None, "aquispe@mimp.gob.pe".to_owned()));
    assert!(got.text.contains("Dear representative,"));
}

#[test]
fn line_breaks_in_a_title_cannot_break_the_subject_header() {
    let c = commission();
    let mut sneaky = meeting("America/Lima");
    sneaky.title = "Plan\r\nBcc: intruso@example.com".to_owned();
    let email = meeting_reminder(&c, &sneaky, 7, &recipient(Language::Es));
    assert!(!email.subject.contains('\n') && !email.subject.contains('\r'));
    let bytes = message(&c, &email, MESSAGE_ID).unwrap().formatted();
    let text = String::from_utf8_lossy(&bytes);
    let headers = text.split("\r\n\r\n").next().unwrap();
    assert!(
        !headers.lines().any(|line| line.starts_with("Bcc:")),
        "{headers}"
    );
    let got = receive(&c, &email);
    assert!(got.subject.contains("Plan Bcc: intruso@example.com"));
}
