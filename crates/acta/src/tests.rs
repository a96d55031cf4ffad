use chrono::{NaiveDate, TimeZone, Utc};
use cmnp_domain::agenda::{AttendanceMode, AttendanceStatus, AttendeeKind};
use cmnp_domain::decision::{Decision, DecisionMethod, DecisionResult, VoteChoice, VoteRule};
use cmnp_domain::meeting::{MeetingKind, Quorum};
use cmnp_domain::observation::ObservationAnswer;
use cmnp_domain::representative::Language;
use uuid::Uuid;

use super::layout::{Metrics, Weight, Writer};
use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) fn sample(stage: Stage, agreements: usize) -> Acta {
    let attendee = |acronym: &str, status, kind| Attendee {
        acronym: acronym.into(),
        name: format!("Ministerio {acronym}"),
        status,
        kind,
        person: Some("Ana Quispe Ñahui".into()),
        mode: Some(AttendanceMode::InPerson),
    };
    let vote = Decision {
        agreement_id: Uuid::nil(),
        method: DecisionMethod::Vote,
        rule: Some(VoteRule::MajorityOfPresent),
        quorum_required: 2,
        quorum_present: 2,
        votes_for: 1,
        votes_against: 0,
        abstentions: 1,
        result: DecisionResult::Adopted,
        decided_at: Utc.with_ymd_and_hms(2026, 3, 5, 15, 0, 0).unwrap(),
        votes: Vec::new(),
    };
    Acta {
        language: Language::Es,
        session: Session {
            label: "Sesión Extraordinaria N° 1-2026".into(),
            title: "Aprobación del plan operativo".into(),
            kind: MeetingKind::Extraordinary,
            date: day(2026, 3, 5),
            starts: "10:00".into(),
            zone: "America/Lima".into(),
            place: "Sala de sesiones, Lima".into(),
        },
        stage,
        attendance: vec![
            attendee("MIMP", Some(AttendanceStatus::Present), Some(AttendeeKind::Principal)),
            attendee("PNP", Some(AttendanceStatus::Present), Some(AttendeeKind::Alternate)),
            attendee("RREE", Some(AttendanceStatus::Absent), None),
        ],
        quorum: Some(Quorum {
            required: 2,
            present: 2,
            reached: true,
        }),
        agenda: vec![AgendaEntry {
            title: "Plan operativo anual".into(),
            documents: vec!["Informe situacional".into()],
        }],
        minutes: "# Apertura\n\nSe abrió la sesión a las 10:00 con 2° de temperatura.\n\n- Primer punto".into(),
        agreements: (1..=agreements)
            .map(|number| AgreementEntry {
                label: format!("Acuerdo N° {number:03}-2026-CMNP-TP-TIM"),
                text: "Aprobar el plan operativo anual y encargar a los sectores sus compromisos de implementación, con un texto largo que ocupa varias líneas de la página. ".repeat(3),
                decision: Some(vote.clone()),
                votes: vec![
                    VoteEntry { acronym: "MIMP".into(), choice: VoteChoice::For },
                    VoteEntry { acronym: "PNP".into(), choice: VoteChoice::Abstain },
                ],
                action_items: vec![ActionEntry {
                    reference: format!("AI-2026-{number:03}"),
                    title: "Capacitar a operadores de frontera".into(),
                    owner: "MIMP".into(),
                    due_on: day(2026, 6, 30),
                }],
            })
            .collect(),
        observations: vec![
            ObservationEntry {
                acronym: "MIMP".into(),
                text: "Precisar la hora de apertura.".into(),
                answer: Some((ObservationAnswer::Accepted, "Se incorpora.".into())),
            },
            ObservationEntry {
                acronym: "PNP".into(),
                text: "Añadir el informe policial.".into(),
                answer: None,
            },
        ],
        signatories: vec![
            Signatory {
                role: SignatoryRole::Presidency,
                agency: "Ministerio del Interior".into(),
                person: Some("Juan Pérez".into()),
                position: Some("Viceministro".into()),
            },
            Signatory {
                role: SignatoryRole::TechnicalSecretariat,
                agency: "Dirección General".into(),
                person: None,
                position: None,
            },
        ],
    }
}

#[test]
fn wrapped_lines_fit_their_width_and_keep_every_word() {
    let metrics = Metrics::new(REGULAR, BOLD).unwrap();
    let text = "Reforzar el control migratorio y la atención de víctimas en Tumbes, \
                con un módulo de orientación en el CEBAF y una palabra larguísimaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let lines = metrics.wrap(text, 10.0, Weight::Regular, 40.0);
    assert!(lines.len() > 3);
    for line in &lines {
        assert!(metrics.width(line, 10.0, Weight::Regular) <= 40.0, "{line}");
    }
    assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
    // Bold is wider than regular, and size scales width.
    let (regular, bold) = (
        metrics.width("Acta", 10.0, Weight::Regular),
        metrics.width("Acta", 10.0, Weight::Bold),
    );
    assert!(bold > regular && regular > 0.0);
    assert!((metrics.width("Acta", 20.0, Weight::Regular) - 2.0 * regular).abs() < 0.001);
}

#[test]
fn a_long_acta_breaks_into_pages_that_all_stay_inside_the_margins() {
    let metrics = Metrics::new(REGULAR, BOLD).unwrap();
    let short = compose::pages(&sample(Stage::Circulated, 1), &metrics);
    let long = compose::pages(&sample(Stage::Circulated, 12), &metrics);
    assert!(short.len() <= 2, "{} pages", short.len());
    assert!(long.len() > short.len() + 1, "{} pages", long.len());
    for page in &long {
        for text in &page.texts {
            assert!(
                text.y > 10.0 && text.y < layout::PAGE_HEIGHT - 10.0,
                "{text:?}"
            );
            let right = text.x + metrics.width(&text.text, text.size, text.weight);
            assert!(
                right <= layout::PAGE_WIDTH - layout::MARGIN + 0.01,
                "{text:?}"
            );
        }
    }
    // Every page of a draft carries the mark and its number, and no two texts of a line
    // run into each other (the header's title and the mark share a line).
    let count = long.len();
    for (index, page) in long.iter().enumerate() {
        let said: Vec<&str> = page.texts.iter().map(|t| t.text.as_str()).collect();
        assert!(said.contains(&"PROYECTO DE ACTA — NO APROBADO"));
        assert!(said.contains(&format!("Página {} de {count}", index + 1).as_str()));
        for (one, other) in page
            .texts
            .iter()
            .flat_map(|a| page.texts.iter().map(move |b| (a, b)))
        {
            if (one.y - other.y).abs() < 0.01 && one.x < other.x {
                let end = one.x + metrics.width(&one.text, one.size, one.weight);
                assert!(end < other.x, "{one:?} runs into {other:?}");
            }
        }
    }
    assert!(Writer::measure() < layout::PAGE_WIDTH);
}

#[test]
fn the_pdf_embeds_both_faces_and_names_no_mark_when_approved() {
    let approved = render(&sample(
        Stage::Approved {
            in_session: Some("Sesión Ordinaria N° 2-2026".into()),
        },
        2,
    ))
    .unwrap();
    assert!(approved.starts_with(b"%PDF-"));
    // The two faces are over 1.4 MB as they are; deflated, the whole acta is far less.
    assert!(approved.len() < 1_000_000, "{} bytes", approved.len());
    let fonts = approved
        .windows(b"/FontFile2".len())
        .filter(|w| w == b"/FontFile2")
        .count();
    assert_eq!(fonts, 2, "regular and bold embedded");
    let metrics = Metrics::new(REGULAR, BOLD).unwrap();
    let pages = compose::pages(&sample(Stage::Approved { in_session: None }, 2), &metrics);
    assert!(
        pages
            .iter()
            .flat_map(|p| &p.texts)
            .all(|t| !t.text.contains("PROYECTO"))
    );
}

#[test]
fn the_meeting_pack_and_each_observation_with_its_answer_are_set_down() {
    let metrics = Metrics::new(REGULAR, BOLD).unwrap();
    let pages = compose::pages(&sample(Stage::Circulated, 1), &metrics);
    let text = pages
        .iter()
        .flat_map(|page| &page.texts)
        .map(|placed| placed.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        "Documentos: Informe situacional.",
        "5. Observaciones al acta",
        "MIMP: Precisar la hora de apertura.",
        "Respuesta de la Secretaría — Acogida en el acta: Se incorpora.",
        "PNP: Añadir el informe policial.",
        "Pendiente de respuesta de la Secretaría.",
        "6. Firmas",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
}
