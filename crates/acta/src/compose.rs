//! The acta's template: what goes where, section by section, and the header and footer
//! of every page.

use cmnp_domain::agenda::AttendanceStatus;
use cmnp_domain::decision::DecisionMethod;
use cmnp_domain::meeting::MeetingStatus;
use cmnp_domain::representative::Language;
use cmnp_domain::words::{self as domain, Label, Named, Note};

use crate::layout::{
    Ink, MARGIN, Metrics, PAGE_HEIGHT, PAGE_WIDTH, Page, Placed, Rule, Style, Weight, Writer,
};
use crate::words::{self, Word, word};
use crate::{Acta, AgreementEntry, SignatoryRole, Stage};

const BODY: Style = Style::new(10.0, Weight::Regular);
const STRONG: Style = Style::new(10.0, Weight::Bold);
const SMALL: Style = Style::new(8.5, Weight::Regular);
const HEADING: Style = Style::new(11.5, Weight::Bold);
const TITLE: Style = Style::new(15.0, Weight::Bold);
const SUBTITLE: Style = Style::new(12.0, Weight::Regular);
/// The height of a row of signatures: room to sign, the line, and four lines beneath.
const SIGNATURES: f32 = 48.0;
/// Where a list's text starts, right of its numbers or bullets.
const INDENT: f32 = 7.0;

/// The acta's pages, header and footer included.
pub(crate) fn pages(acta: &Acta, metrics: &Metrics<'_>) -> Vec<Page> {
    let language = acta.language;
    let mut writer = Writer::new(metrics);
    title_block(acta, &mut writer);
    let mut number = 0;
    // A heading starts a page unless `keep` millimetres of its section fit beneath it.
    let mut section = |writer: &mut Writer<'_>, name: &str, keep: f32| {
        number += 1;
        writer.space(5.0);
        writer.keep(keep);
        writer.line(0.0, &format!("{number}. {name}"), HEADING);
        writer.rule();
        writer.space(1.5);
    };
    section(&mut writer, word(language, Word::Attendance), 20.0);
    attendance(acta, &mut writer);
    section(&mut writer, word(language, Word::Agenda), 20.0);
    agenda(acta, &mut writer);
    section(&mut writer, word(language, Word::Proceedings), 20.0);
    minutes(acta, &mut writer);
    section(&mut writer, word(language, Word::Agreements), 20.0);
    if acta.agreements.is_empty() {
        writer.paragraph(0.0, word(language, Word::NoAgreements), BODY);
    }
    for agreement in &acta.agreements {
        agreement_block(language, agreement, &mut writer);
    }
    section(&mut writer, Label::Observations.name(language), 20.0);
    observations(acta, &mut writer);
    section(
        &mut writer,
        word(language, Word::Signatures),
        SIGNATURES + 12.0,
    );
    signatures(acta, &mut writer);
    let mut pages = writer.finish();
    frame(acta, metrics, &mut pages);
    pages
}

fn draft(acta: &Acta) -> bool {
    acta.stage == Stage::Circulated
}

fn title_block(acta: &Acta, writer: &mut Writer<'_>) {
    let language = acta.language;
    writer.centred(domain::commission_name(language), STRONG);
    writer.space(6.0);
    let title = words::title(
        language,
        draft(acta),
        acta.session.kind,
        &acta.session.label,
    )
    .to_uppercase();
    // The title stays on one line: smaller, down to the headings' size, if it must.
    let mut style = TITLE;
    while style.size > HEADING.size
        && writer.metrics.width(&title, style.size, style.weight) > Writer::measure()
    {
        style.size -= 0.5;
    }
    writer.centred(&title, style);
    writer.space(1.5);
    writer.centred(&acta.session.title, SUBTITLE);
    writer.space(5.0);
    let approved_at = match &acta.stage {
        Stage::Approved { in_session } => in_session.as_deref(),
        Stage::Circulated => None,
    };
    let facts = [
        (
            word(language, Word::Date),
            format!(
                "{}, {} ({})",
                words::long_date(language, acta.session.date),
                acta.session.starts,
                acta.session.zone
            ),
        ),
        (word(language, Word::Place), acta.session.place.clone()),
        (
            domain::Label::Status.name(language),
            words::standing(language, approved_at, draft(acta)),
        ),
    ];
    for (name, value) in facts {
        writer.row(&[28.0, Writer::measure() - 28.0], &[name, &value], BODY);
    }
}

fn attendance(acta: &Acta, writer: &mut Writer<'_>) {
    let language = acta.language;
    let columns = [28.0, 76.0, 30.0, Writer::measure() - 134.0];
    writer.row(
        &columns,
        &[
            word(language, Word::Agency),
            word(language, Word::Representative),
            word(language, Word::Capacity),
            word(language, Word::Mode),
        ],
        STRONG,
    );
    writer.rule();
    let present = acta
        .attendance
        .iter()
        .filter(|a| a.status == Some(AttendanceStatus::Present));
    for attendee in present {
        writer.row(
            &columns,
            &[
                &attendee.acronym,
                attendee.person.as_deref().unwrap_or("—"),
                attendee
                    .kind
                    .map_or("", |kind| words::capacity(language, kind)),
                attendee.mode.map_or("", |mode| words::mode(language, mode)),
            ],
            BODY,
        );
    }
    writer.space(2.0);
    let others = [
        (Some(AttendanceStatus::Absent), Word::Absent),
        (Some(AttendanceStatus::Excused), Word::Excused),
        (None, Word::NotRecorded),
    ];
    for (status, name) in others {
        let agencies: Vec<&str> = acta
            .attendance
            .iter()
            .filter(|a| a.status == status)
            .map(|a| a.acronym.as_str())
            .collect();
        if !agencies.is_empty() {
            writer.paragraph(
                0.0,
                &format!("{}: {}.", word(language, name), agencies.join(", ")),
                BODY,
            );
        }
    }
    if let Some(quorum) = acta.quorum {
        writer.space(1.5);
        writer.paragraph(
            0.0,
            &domain::quorum_standing(language, MeetingStatus::Held, quorum),
            STRONG,
        );
    }
}

fn agenda(acta: &Acta, writer: &mut Writer<'_>) {
    if acta.agenda.is_empty() {
        writer.paragraph(0.0, word(acta.language, Word::NoAgenda), BODY);
    }
    for (index, item) in acta.agenda.iter().enumerate() {
        writer.item(INDENT, &format!("{}.", index + 1), &item.title, BODY);
        if !item.documents.is_empty() {
            writer.paragraph(
                INDENT,
                &format!(
                    "{}: {}.",
                    word(acta.language, Word::Documents),
                    item.documents.join("; ")
                ),
                SMALL.grey(),
            );
        }
    }
}

/// Each observation with its agency, and the secretariat's answer beneath it.
fn observations(acta: &Acta, writer: &mut Writer<'_>) {
    let language = acta.language;
    if acta.observations.is_empty() {
        writer.paragraph(0.0, Note::NoObservation.name(language), BODY);
    }
    for (index, observation) in acta.observations.iter().enumerate() {
        writer.space(1.0);
        writer.item(
            INDENT,
            &format!("{}.", index + 1),
            &format!("{}: {}", observation.acronym, observation.text),
            BODY,
        );
        let answer = match &observation.answer {
            Some((answer, reply)) => format!(
                "{} — {}: {reply}",
                Label::SecretariatReply.name(language),
                answer.name(language)
            ),
            None => Note::AwaitingReply.name(language).to_owned(),
        };
        writer.paragraph(INDENT, &answer, SMALL.grey());
    }
}

/// The minutes' text, read simply: `#` lines are headings, `-` or `*` lines bullets,
/// and other lines run together into paragraphs until a blank line.
fn minutes(acta: &Acta, writer: &mut Writer<'_>) {
    let mut paragraph = String::new();
    // Whether the last block was a bullet: a list is set apart from what follows it.
    let mut listing = false;
    let flush = |writer: &mut Writer<'_>, paragraph: &mut String| {
        if !paragraph.is_empty() {
            writer.paragraph(0.0, paragraph, BODY);
            writer.space(2.0);
            paragraph.clear();
        }
    };
    for line in acta.minutes.lines().map(str::trim) {
        let bullet = line.strip_prefix("- ").or_else(|| line.strip_prefix("* "));
        if listing && bullet.is_none() {
            writer.space(2.0);
        }
        listing = bullet.is_some();
        if let Some(heading) = line.strip_prefix('#') {
            flush(writer, &mut paragraph);
            writer.keep(15.0);
            writer.paragraph(0.0, heading.trim_start_matches('#').trim(), STRONG);
            writer.space(1.0);
        } else if let Some(bullet) = bullet {
            flush(writer, &mut paragraph);
            writer.item(INDENT, "•", bullet, BODY);
        } else if line.is_empty() {
            flush(writer, &mut paragraph);
        } else {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(line);
        }
    }
    flush(writer, &mut paragraph);
    if acta.minutes.trim().is_empty() {
        writer.paragraph(0.0, word(acta.language, Word::NoMinutesText), BODY);
    }
}

fn agreement_block(language: Language, agreement: &AgreementEntry, writer: &mut Writer<'_>) {
    writer.space(2.0);
    writer.keep(25.0);
    writer.paragraph(0.0, &agreement.label, STRONG);
    writer.paragraph(0.0, &agreement.text, BODY);
    writer.space(1.0);
    match &agreement.decision {
        Some(decision) => {
            writer.paragraph(0.0, &domain::decision(language, decision), BODY.grey());
            if decision.method == DecisionMethod::Vote && !agreement.votes.is_empty() {
                let votes: Vec<String> = agreement
                    .votes
                    .iter()
                    .map(|vote| {
                        format!("{} {}", vote.acronym, words::choice(language, vote.choice))
                    })
                    .collect();
                writer.paragraph(
                    0.0,
                    &format!("{}: {}.", word(language, Word::Votes), votes.join("; ")),
                    SMALL.grey(),
                );
            }
        }
        None => writer.paragraph(0.0, word(language, Word::NoDecision), BODY.grey()),
    }
    if !agreement.action_items.is_empty() {
        writer.space(1.0);
        writer.paragraph(
            0.0,
            &format!("{}:", word(language, Word::ActionItems)),
            BODY,
        );
        for item in &agreement.action_items {
            writer.item(
                INDENT,
                "•",
                &format!(
                    "{} — {} ({} {}; {}).",
                    item.reference,
                    item.title,
                    word(language, Word::Responsible),
                    item.owner,
                    words::due(language, item.due_on)
                ),
                BODY,
            );
        }
    }
}

/// The signatures, two to a row: a line to sign on, then the name, position, agency and
/// role beneath it. A block is never split across pages.
fn signatures(acta: &Acta, writer: &mut Writer<'_>) {
    let language = acta.language;
    let width = (Writer::measure() - 16.0) / 2.0;
    for pair in acta.signatories.chunks(2) {
        writer.space(4.0);
        writer.keep(SIGNATURES);
        writer.space(20.0);
        let top = writer.y();
        let mut bottom = top;
        for (column, signatory) in pair.iter().enumerate() {
            let x = if column == 0 { 0.0 } else { width + 16.0 };
            writer.set_y(top);
            writer.signing_line(x, width);
            writer.space(1.0);
            let role = match signatory.role {
                SignatoryRole::Presidency => word(language, Word::Presidency),
                SignatoryRole::TechnicalSecretariat => word(language, Word::TechnicalSecretariat),
            };
            let lines = [
                (signatory.person.as_deref(), STRONG),
                (signatory.position.as_deref(), SMALL),
                (Some(signatory.agency.as_str()), SMALL),
                (Some(role), SMALL.grey()),
            ];
            // An unknown name or position leaves its line blank, to be filled in by hand,
            // so that the two blocks stay level.
            for (text, style) in lines {
                let wrapped =
                    writer
                        .metrics
                        .wrap(text.unwrap_or_default(), style.size, style.weight, width);
                if wrapped.is_empty() {
                    writer.line(x, "", style);
                }
                for line in wrapped {
                    writer.line(x, &line, style);
                }
            }
            bottom = bottom.min(writer.y());
        }
        writer.set_y(bottom);
    }
}

/// The header (the commission's acronym and the acta's title, and for a draft its mark)
/// and the footer (the page number, and the mark again) of every page.
fn frame(acta: &Acta, metrics: &Metrics<'_>, pages: &mut [Page]) {
    let language = acta.language;
    // A draft's header names the session alone, leaving the right for the draft's mark.
    let title = if draft(acta) {
        words::session_label(language, acta.session.kind, &acta.session.label)
    } else {
        words::title(language, false, acta.session.kind, &acta.session.label)
    };
    let count = pages.len();
    let right = |text: &str, size: f32, weight: Weight| {
        PAGE_WIDTH - MARGIN - metrics.width(text, size, weight)
    };
    let mark = word(language, Word::DraftMark);
    for (index, page) in pages.iter_mut().enumerate() {
        let header_y = PAGE_HEIGHT - 16.0;
        let footer_y = 13.0;
        let mut add = |x: f32, y: f32, text: &str, weight: Weight, ink: Ink| {
            page.texts.push(Placed {
                x,
                y,
                size: SMALL.size,
                weight,
                ink,
                text: text.to_owned(),
            });
        };
        add(
            MARGIN,
            header_y,
            &format!("{} · {title}", domain::ACRONYM),
            Weight::Regular,
            Ink::Grey,
        );
        let number = words::page_of(language, index + 1, count);
        add(
            right(&number, SMALL.size, Weight::Regular),
            footer_y,
            &number,
            Weight::Regular,
            Ink::Grey,
        );
        if draft(acta) {
            add(
                right(mark, SMALL.size, Weight::Bold),
                header_y,
                mark,
                Weight::Bold,
                Ink::Red,
            );
            add(MARGIN, footer_y, mark, Weight::Bold, Ink::Red);
        }
        page.rules.push(Rule {
            x1: MARGIN,
            x2: PAGE_WIDTH - MARGIN,
            y: header_y - 2.5,
        });
        page.rules.push(Rule {
            x1: MARGIN,
            x2: PAGE_WIDTH - MARGIN,
            y: footer_y + 4.0,
        });
    }
}
