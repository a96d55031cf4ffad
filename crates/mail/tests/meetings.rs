//! Meeting invitations, updates, cancellations and reminders, read back as a client would.

mod common;

use cmnp_calendar::Method;
use cmnp_domain::meeting::MeetingStatus;
use cmnp_domain::representative::Language;
use cmnp_domain::rsvp::Answer;
use cmnp_mail::{AnswerLinks, MeetingNotice, meeting_notice, meeting_reminder};
use common::*;

const ICS_URL: &str =
    "https://cmnp.example.gob.pe/meetings/0196c1a2-7d3e-7c11-9a0b-5f2e8d4c3b21.ics";

#[test]
fn a_spanish_invitation_carries_both_parts_and_a_request() {
    let c = commission();
    let email = meeting_notice(
        &c,
        MeetingNotice::Invitation,
        &meeting("America/Lima"),
        &agenda(),
        &recipient(Language::Es),
        Some(&AnswerLinks {
            tokens: Answer::ALL
                .iter()
                .map(|answer| (*answer, format!("tok-{}", answer.as_str())))
                .collect(),
            current: Some(Answer::NotAttending),
        }),
    );
    let got = receive(&c, &email);

    assert_eq!(
        got.subject,
        "Convocatoria: Sesión Ordinaria N° 3-2026 — Seguimiento del Plan Nacional 2030"
    );
    // One signed link per answer, in the recipient's language.
    for (label, token) in [
        ("Asistiré", "ATTENDING"),
        ("No asistiré", "NOT_ATTENDING"),
        ("Enviaré a mi alterno", "SENDING_ALTERNATE"),
    ] {
        let url = format!("https://cmnp.example.gob.pe/app/answer?token=tok-{token}&amp;lang=es");
        assert!(
            got.html.contains(&format!("<a href=\"{url}\">{label}</a>")),
            "{label}"
        );
        assert!(got.text.contains(&url.replace("&amp;", "&")), "{label}");
    }
    // Non-ASCII words travel as RFC 2047 encoded words, leaving the header pure ASCII.
    assert!(got.raw_subject.contains("=?utf-8?"), "{}", got.raw_subject);
    assert!(got.raw_subject.is_ascii(), "{}", got.raw_subject);
    assert_eq!(
        got.from,
        (
            Some("Secretaría Técnica CMNP-TP-TIM".to_owned()),
            "secretaria@cmnp.example.gob.pe".to_owned()
        )
    );
    assert_eq!(
        got.to,
        (
            Some("Ana Quispe Mamani".to_owned()),
            "aquispe@mimp.gob.pe".to_owned()
        )
    );
    assert_eq!(got.message_id, MESSAGE_ID);
    assert_eq!(got.structure, MIXED_WITH_CALENDAR);

    for body in [&got.text, &got.html] {
        assert!(body.contains("Estimado/a Ana Quispe Mamani:"));
        assert!(body.contains(c.name(Language::Es)));
        assert!(body.contains("jueves 3 de diciembre de 2026, 10:00 (America/Lima)"));
        assert!(body.contains("jueves 3 de diciembre de 2026, 12:00 (America/Lima)"));
        assert!(body.contains("Sala de sesiones del MININTER, Lima"));
        assert!(body.contains("Seguimiento de acciones vencidas"));
        assert!(body.contains(ICS_URL));
        assert!(!body.contains("Dear"));
    }
    assert!(got.text.contains("1. Aprobación del acta anterior\n"));
    assert!(
        got.html.contains(
            "<a href=\"https://meet.example.pe/cmnp-3\">https://meet.example.pe/cmnp-3</a>"
        )
    );
    assert!(got.html.contains(&format!("<a href=\"{ICS_URL}\">")));
    assert!(got.html.starts_with("<!DOCTYPE html><html lang=\"es\">"));

    let calendar = got.calendar.unwrap();
    assert_eq!(calendar.method, "REQUEST");
    assert_eq!(calendar.charset, "utf-8");
    assert_eq!(calendar.file_name, "invite.ics");
    // The attachment arrives byte for byte as rendered, CRLF line endings included.
    assert_eq!(calendar.ics, email.calendar.as_ref().unwrap().ics);
    assert_eq!(email.calendar.as_ref().unwrap().method, Method::Request);
    let (method, event) = read_event(&calendar.ics);
    assert_eq!(method, "REQUEST");
    assert_eq!(prop(&event, "UID"), format!("{MEETING_ID}@cmnp"));
    assert_eq!(prop(&event, "SEQUENCE"), "2");
    assert_eq!(prop(&event, "STATUS"), "CONFIRMED");
    assert_eq!(prop(&event, "DTSTART"), "20261203T100000");
    assert_eq!(prop(&event, "DTSTART;TZID"), "America/Lima");
    assert_eq!(
        prop(&event, "ORGANIZER"),
        "mailto:secretaria@cmnp.example.gob.pe"
    );
    assert_eq!(prop(&event, "ATTENDEE"), "mailto:aquispe@mimp.gob.pe");
    assert_eq!(prop(&event, "ATTENDEE;CN"), "Ana Quispe Mamani");
    // The invitee's answer so far travels as the attendee's participation status.
    assert!(
        calendar
            .ics
            .replace("\r\n ", "")
            .contains("PARTSTAT=DECLINED;RSVP=TRUE")
    );
}

#[test]
fn an_english_update_keeps_the_uid_and_carries_the_new_sequence() {
    let c = commission();
    let mut updated = meeting("America/Lima");
    updated.sequence = 5;
    let email = meeting_notice(
        &c,
        MeetingNotice::Update,
        &updated,
        &agenda(),
        &recipient(Language::En),
        None,
    );
    let got = receive(&c, &email);

    assert_eq!(
        got.subject,
        "Updated: Sesión Ordinaria N° 3-2026 — Seguimiento del Plan Nacional 2030"
    );
    for body in [&got.text, &got.html] {
        assert!(body.contains("Dear Ana Quispe Mamani,"));
        assert!(body.contains(c.name(Language::En)));
        assert!(body.contains("replaces the previous one"));
        assert!(body.contains("Thursday 3 December 2026, 10:00 (America/Lima)"));
        assert!(!body.contains("Estimado"));
        assert!(!body.contains("jueves"));
    }
    assert!(got.html.contains("<html lang=\"en\">"));
    let calendar = got.calendar.unwrap();
    assert_eq!(calendar.method, "REQUEST");
    let (method, event) = read_event(&calendar.ics);
    assert_eq!(method, "REQUEST");
    assert_eq!(prop(&event, "UID"), format!("{MEETING_ID}@cmnp"));
    assert_eq!(prop(&event, "SEQUENCE"), "5");
}

#[test]
fn a_cancellation_withdraws_the_event_and_gives_the_reason() {
    let c = commission();
    let mut cancelled = meeting("America/Lima");
    cancelled.status = MeetingStatus::Cancelled;
    cancelled.sequence = 3;
    cancelled.cancel_reason = Some("Duelo nacional decretado".to_owned());
    let email = meeting_notice(
        &c,
        MeetingNotice::Cancellation,
        &cancelled,
        &agenda(),
        &recipient(Language::Es),
        None,
    );
    let got = receive(&c, &email);

    assert_eq!(
        got.subject,
        "Cancelada: Sesión Ordinaria N° 3-2026 — Seguimiento del Plan Nacional 2030"
    );
    assert_eq!(got.structure, MIXED_WITH_CALENDAR);
    for body in [&got.text, &got.html] {
        assert!(body.contains("ha sido cancelada"));
        assert!(body.contains("Duelo nacional decretado"));
        assert!(body.contains(ICS_URL));
        // The agenda of a session that will not take place is noise.
        assert!(!body.contains("Aprobación del acta anterior"));
    }
    let calendar = got.calendar.unwrap();
    assert_eq!(calendar.method, "CANCEL");
    assert_eq!(email.calendar.as_ref().unwrap().method, Method::Cancel);
    let (method, event) = read_event(&calendar.ics);
    assert_eq!(method, "CANCEL");
    assert_eq!(prop(&event, "UID"), format!("{MEETING_ID}@cmnp"));
    assert_eq!(prop(&event, "SEQUENCE"), "3");
    assert_eq!(prop(&event, "STATUS"), "CANCELLED");

    let english = meeting_notice(
        &c,
        MeetingNotice::Cancellation,
        &cancelled,
        &[],
        &recipient(Language::En),
        None,
    );
    assert_eq!(
        english.subject,
        "Cancelled: Sesión Ordinaria N° 3-2026 — Seguimiento del Plan Nacional 2030"
    );
    assert!(english.text.contains("has been cancelled"));
}

#[test]
fn a_meeting_in_madrid_is_shown_at_madrid_time() {
    let c = commission();
    let email = meeting_notice(
        &c,
        MeetingNotice::Invitation,
        &meeting("Europe/Madrid"),
        &agenda(),
        &recipient(Language::En),
        None,
    );
    let got = receive(&c, &email);

    // 15:00 UTC is 16:00 in Madrid in December (CET, UTC+1), not Lima's 10:00.
    for body in [&got.text, &got.html] {
        assert!(body.contains("Thursday 3 December 2026, 16:00 (Europe/Madrid)"));
        assert!(body.contains("Thursday 3 December 2026, 18:00 (Europe/Madrid)"));
        assert!(!body.contains("America/Lima"));
    }
    let (_, event) = read_event(&got.calendar.unwrap().ics);
    assert_eq!(prop(&event, "DTSTART"), "20261203T160000");
    assert_eq!(prop(&event, "DTSTART;TZID"), "Europe/Madrid");

    let spanish = meeting_reminder(&c, &meeting("Europe/Madrid"), 7, &recipient(Language::Es));
    assert!(
        spanish
            .text
            .contains("jueves 3 de diciembre de 2026, 16:00 (Europe/Madrid)")
    );
}

#[test]
fn titles_are_escaped_in_html_and_kept_verbatim_in_text() {
    let c = commission();
    let mut hostile = meeting("America/Lima");
    hostile.title = "<script>alert(1)</script> & \"Plan\"".to_owned();
    hostile.location = Some("Sala <b>A</b>".to_owned());
    let agenda = vec!["Informe <img src=x onerror=alert(1)>".to_owned()];
    let email = meeting_notice(
        &c,
        MeetingNotice::Invitation,
        &hostile,
        &agenda,
        &recipient(Language::Es),
        None,
    );
    let got = receive(&c, &email);

    assert_eq!(
        got.subject,
        "Convocatoria: Sesión Ordinaria N° 3-2026 — <script>alert(1)</script> & \"Plan\""
    );
    assert!(got.text.contains("<script>alert(1)</script> & \"Plan\""));
    assert!(
        got.html
            .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Plan&quot;")
    );
    assert!(got.html.contains("Sala &lt;b&gt;A&lt;/b&gt;"));
    assert!(
        got.html
            .contains("Informe &lt;img src=x onerror=alert(1)&gt;")
    );
    assert!(!got.html.contains("<script>"));
    assert!(!got.html.contains("<b>"));
    assert!(!got.html.contains("<img"));
}

#[test]
fn a_week_ahead_reminder_counts_the_days() {
    let c = commission();
    let lima = meeting("America/Lima");
    let spanish = receive(
        &c,
        &meeting_reminder(&c, &lima, 7, &recipient(Language::Es)),
    );
    assert_eq!(
        spanish.subject,
        "Recordatorio: Sesión Ordinaria N° 3-2026 — Seguimiento del Plan Nacional 2030 en 7 días"
    );
    assert_eq!(spanish.structure, MIXED_WITHOUT_CALENDAR);
    assert!(spanish.calendar.is_none());
    assert_eq!(spanish.message_id, MESSAGE_ID);
    for body in [&spanish.text, &spanish.html] {
        assert!(body.contains("se realizará en 7 días"));
        assert!(body.contains(c.name(Language::Es)));
        assert!(body.contains("jueves 3 de diciembre de 2026, 10:00 (America/Lima)"));
        assert!(body.contains(ICS_URL));
    }

    let english = receive(
        &c,
        &meeting_reminder(&c, &lima, 7, &recipient(Language::En)),
    );
    assert_eq!(
        english.subject,
        "Reminder: Sesión Ordinaria N° 3-2026 — Seguimiento del Plan Nacional 2030 in 7 days"
    );
    for body in [&english.text, &english.html] {
        assert!(body.contains("takes place in 7 days"));
        assert!(body.contains(c.name(Language::En)));
        assert!(body.contains("Thursday 3 December 2026, 10:00 (America/Lima)"));
    }
}

#[test]
fn a_one_day_reminder_says_tomorrow() {
    let c = commission();
    let lima = meeting("America/Lima");
    let spanish = meeting_reminder(&c, &lima, 1, &recipient(Language::Es));
    assert!(spanish.subject.ends_with(" mañana"), "{}", spanish.subject);
    assert!(spanish.text.contains("se realizará mañana."));
    assert!(!spanish.subject.contains("1 día"));

    let english = meeting_reminder(&c, &lima, 1, &recipient(Language::En));
    assert!(
        english.subject.ends_with(" tomorrow"),
        "{}",
        english.subject
    );
    assert!(english.html.contains("takes place tomorrow."));
}
