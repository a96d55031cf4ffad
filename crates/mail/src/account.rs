//! E-mails about a person's own account.

use cmnp_domain::words::{self, Label, Named, Note};

use crate::document::{Block, Document};
use crate::{Commission, Email, Recipient};

/// The link with which `to` chooses a new password, opened by `secret` once, for
/// `valid_for_hours`.
pub fn password_reset(c: &Commission, secret: &str, valid_for_hours: i64, to: &Recipient) -> Email {
    let language = to.language;
    let subject = format!(
        "{}: {}",
        Label::ChooseNewPassword.name(language),
        words::ACRONYM
    );
    let mut document = Document::new(c, language, &subject, &to.name);
    document.paragraph(words::reset_intro(language, document.commission_name()));
    document.push(Block::Link {
        label: Label::ChooseNewPassword.name(language).to_owned(),
        url: c.reset_url(secret, language),
    });
    document.paragraph(words::reset_validity(language, valid_for_hours));
    document.paragraph(Note::ResetNotAsked.name(language));
    document.into_email(to, None)
}

#[cfg(test)]
mod tests {
    use cmnp_domain::representative::Language;

    use super::*;

    #[test]
    fn the_link_is_in_both_parts_and_in_the_readers_language() {
        let c = Commission::cmnp("https://cmnp.example.gob.pe/", "secretaria@cmnp.example");
        let to = Recipient {
            name: "Ana Quispe".into(),
            email: "ana@mimp.example".into(),
            language: Language::En,
        };
        let email = password_reset(&c, "cmnp_s3cr3t", 24, &to);
        let url = "https://cmnp.example.gob.pe/app/reset?token=cmnp_s3cr3t&lang=en";
        assert_eq!(email.subject, "Choose a new password: CMNP-TP-TIM");
        assert!(email.text.contains(url), "{}", email.text);
        assert!(
            email.html.contains(&url.replace('&', "&amp;")),
            "{}",
            email.html
        );
        assert!(email.text.contains("for 24 hours"));
        assert!(email.calendar.is_none());
        let spanish = password_reset(
            &c,
            "cmnp_s3cr3t",
            24,
            &Recipient {
                language: Language::Es,
                ..to
            },
        );
        assert!(
            spanish.text.contains("durante 24 horas"),
            "{}",
            spanish.text
        );
    }
}
