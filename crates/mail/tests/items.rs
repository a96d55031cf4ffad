//! Action item reminders and the weekly digests, read back as a client would.

mod common;

use cmnp_domain::outbox::MandateEnding;
use cmnp_domain::representative::Language;
use cmnp_mail::{SecretariatDigest, action_item_due, overdue_digest, secretariat_digest};
use common::*;

#[test]
fn a_due_reminder_names_the_item_its_agency_and_its_date() {
    let c = commission();
    let item = action_item();
    let spanish = receive(
        &c,
        &action_item_due(&c, &item, "MIMP", 7, &recipient(Language::Es)),
    );
    assert_eq!(spanish.subject, "Acción AI-2026-014 vence en 7 días");
    assert_eq!(spanish.structure, MIXED_WITHOUT_CALENDAR);
    for body in [&spanish.text, &spanish.html] {
        assert!(body.contains("la acción AI-2026-014, a cargo de MIMP, vence en 7 días."));
        assert!(body.contains("Actualizar el protocolo de atención a víctimas"));
        assert!(body.contains("jueves 10 de diciembre de 2026"));
        assert!(body.contains("En curso"));
        assert!(body.contains("40 %"));
        assert!(body.contains(c.name(Language::Es)));
        assert!(body.contains("https://cmnp.example.gob.pe/graphql"));
    }

    let english = receive(
        &c,
        &action_item_due(&c, &item, "MIMP", 7, &recipient(Language::En)),
    );
    assert_eq!(english.subject, "Action AI-2026-014 due in 7 days");
    for body in [&english.text, &english.html] {
        assert!(body.contains("action AI-2026-014, assigned to MIMP, is due in 7 days."));
        assert!(body.contains("Thursday 10 December 2026"));
        assert!(body.contains("In progress"));
        assert!(body.contains(c.name(Language::En)));
    }
}

#[test]
fn a_due_reminder_the_day_before_says_tomorrow() {
    let c = commission();
    let item = action_item();
    let spanish = action_item_due(&c, &item, "MIMP", 1, &recipient(Language::Es));
    assert_eq!(spanish.subject, "Acción AI-2026-014 vence mañana");
    let english = action_item_due(&c, &item, "MIMP", 1, &recipient(Language::En));
    assert_eq!(english.subject, "Action AI-2026-014 due tomorrow");
}

#[test]
fn the_overdue_digest_lists_and_links_every_item() {
    let c = commission();
    let items = vec![
        item_line(3, "Informe trimestral de casos", "MIMP", 5),
        item_line(9, "Protocolo <script>&\"", "MIMP", 1),
        item_line(14, "Capacitación a fiscales", "MIMP", 12),
    ];
    let spanish = receive(
        &c,
        &overdue_digest(&c, "MIMP", &items, &recipient(Language::Es)),
    );
    assert_eq!(spanish.subject, "Acciones vencidas de MIMP (3)");
    assert!(spanish.text.contains(
        "- AI-2026-003 — Informe trimestral de casos — venció el jueves 26 de noviembre de 2026 (5 días de retraso)\n  https://cmnp.example.gob.pe/action-items/AI-2026-003\n"
    ));
    assert!(spanish.text.contains("(1 día de retraso)"));
    assert!(spanish.text.contains("Protocolo <script>&\""));
    assert!(spanish.html.contains("Protocolo &lt;script&gt;&amp;&quot;"));
    assert!(!spanish.html.contains("<script>"));
    for item in &items {
        assert!(spanish.html.contains(&format!("<a href=\"{}\">", item.url)));
    }
    assert!(spanish.html.contains(c.name(Language::Es)));

    let english = receive(
        &c,
        &overdue_digest(&c, "MIMP", &items, &recipient(Language::En)),
    );
    assert_eq!(english.subject, "Overdue actions of MIMP (3)");
    assert!(
        english
            .text
            .contains("due Thursday 26 November 2026 (5 days overdue)")
    );
    assert!(english.text.contains("(1 day overdue)"));
    assert!(english.html.contains(c.name(Language::En)));
}

#[test]
fn the_secretariat_digest_has_five_sections() {
    let c = commission();
    let digest = SecretariatDigest {
        overdue_by_agency: vec![
            (
                "MIMP".to_owned(),
                vec![item_line(3, "Informe trimestral de casos", "MIMP", 5)],
            ),
            (
                "MININTER".to_owned(),
                vec![
                    item_line(5, "Operativos en Tumbes", "MININTER", 2),
                    item_line(6, "Registro de denuncias", "MININTER", 8),
                ],
            ),
        ],
        upcoming: vec![meeting("Europe/Madrid")],
        completed_this_week: vec![item_line(1, "Directorio actualizado", "OIM", 0)],
        unreachable: vec!["MINEDU".to_owned(), "MTPE".to_owned()],
        mandates_ending: vec![MandateEnding {
            agency: "MIMP".to_owned(),
            name: "Ana Pérez".to_owned(),
            ends_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 15).unwrap(),
        }],
    };
    let spanish = receive(
        &c,
        &secretariat_digest(&c, &digest, &recipient(Language::Es)),
    );
    assert_eq!(spanish.subject, "Resumen semanal de la Secretaría Técnica");
    assert_eq!(spanish.structure, MIXED_WITHOUT_CALENDAR);
    for body in [&spanish.text, &spanish.html] {
        assert!(body.contains("Acciones vencidas por entidad"));
        assert!(body.contains("MIMP (1)"));
        assert!(body.contains("MININTER (2)"));
        assert!(body.contains("AI-2026-006 — Registro de denuncias"));
        assert!(body.contains("Próximas sesiones"));
        assert!(body.contains(
            "Sesión Ordinaria N° 3-2026 — Seguimiento del Plan Nacional 2030: jueves 3 de diciembre de 2026, 16:00 (Europe/Madrid)"
        ));
        assert!(body.contains(
            "https://cmnp.example.gob.pe/meetings/0196c1a2-7d3e-7c11-9a0b-5f2e8d4c3b21.ics"
        ));
        assert!(body.contains("Acciones concluidas esta semana"));
        assert!(body.contains("AI-2026-001 — Directorio actualizado (OIM)"));
        assert!(body.contains("Entidades sin destinatario"));
        assert!(body.contains("MINEDU — sin destinatario"));
        assert!(body.contains("MTPE — sin destinatario"));
        assert!(body.contains("Mandatos que vencen en los próximos 30 días"));
        assert!(body.contains("MIMP — Ana Pérez: martes 15 de diciembre de 2026"));
        assert!(body.contains(c.name(Language::Es)));
    }

    let english = receive(
        &c,
        &secretariat_digest(&c, &digest, &recipient(Language::En)),
    );
    assert_eq!(english.subject, "Weekly secretariat digest");
    for body in [&english.text, &english.html] {
        assert!(body.contains("Overdue actions by agency"));
        assert!(body.contains("Thursday 3 December 2026, 16:00 (Europe/Madrid)"));
        assert!(body.contains("Actions completed this week"));
        assert!(body.contains("MINEDU — no recipient"));
        assert!(body.contains("MIMP — Ana Pérez: Tuesday 15 December 2026"));
        assert!(body.contains(c.name(Language::En)));
    }
}

#[test]
fn an_empty_digest_says_there_is_nothing_to_report() {
    let c = commission();
    let spanish = secretariat_digest(&c, &SecretariatDigest::default(), &recipient(Language::Es));
    for body in [&spanish.text, &spanish.html] {
        assert!(body.contains("No hay acciones vencidas."));
        assert!(body.contains("No hay sesiones programadas."));
        assert!(body.contains("Ninguna acción se concluyó esta semana."));
        assert!(body.contains("Todas las entidades tienen a quién escribir."));
        assert!(body.contains("Ningún mandato vence en los próximos 30 días."));
    }
    let english = overdue_digest(&c, "MIMP", &[], &recipient(Language::En));
    assert_eq!(english.subject, "Overdue actions of MIMP (0)");
    assert!(english.text.contains("MIMP has no overdue actions."));
}
