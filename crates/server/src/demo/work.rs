//! A realistic year of the commission's work for the demo: held sessions with attendance,
//! minutes and agreements; action items in every state, some overdue; one upcoming
//! session, and the ordinary sessions of the following months as a series. Dates are
//! relative to the day the demo is loaded.

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use cmnp_domain::action_item::{ActionItemStatus, ActionItemUpdate, NewActionItem};
use cmnp_domain::agenda::{
    AgendaItemFields, AgendaItemKind, AttendanceFields, AttendanceMode, AttendanceStatus,
    AttendeeKind,
};
use cmnp_domain::decision::{CastVote, VoteChoice, VoteRule};
use cmnp_domain::meeting::{
    Meeting, MeetingKind, QuorumRule, Schedule, SeriesPlan, SeriesRequest, local_date,
};
use cmnp_domain::observation::ObservationAnswer;
use cmnp_domain::policy::Actor;
use cmnp_domain::rsvp::{Answer, AnswerVia};
use cmnp_store::{
    Deciding, MeetingFilter, NewMeeting, NewSeries, ObservationReply, PageRequest, Respondent,
    Store,
};
use uuid::Uuid;

/// The minutes of the first session, as the secretariat writes them: the acta prints
/// their headings, paragraphs and bullets.
const FIRST_MINUTES: &str = "# Apertura

La Viceministra de Seguridad Pública, en representación de la Presidencia, abrió la \
sesión a las 10:00 con el quórum reglamentario y dio la bienvenida a las entidades.

# Plan operativo anual 2026

La Secretaría Técnica presentó el plan operativo anual 2026 de la Política Nacional \
frente a la Trata de Personas y sus Formas de Explotación al 2030 (DS 009-2021-IN), con \
las metas de cada sector y el cronograma de capacitaciones en Tumbes.

- El MIMP propuso priorizar la capacitación de operadoras y operadores de frontera.
- El Ministerio Público se comprometió a publicar el informe estadístico semestral.
- La PNP pidió actualizar el protocolo intersectorial de atención a víctimas.

Se aprobó por unanimidad el plan operativo anual 2026.

# Cierre

Sin otros temas que tratar, la Presidencia levantó la sesión a las 12:30.";

/// Loads the year unless the demo already has sessions. Returns how many sessions it
/// added, and how many documents their meeting packs hold.
pub async fn load(store: &Store, zone: Tz, rule: QuorumRule) -> anyhow::Result<(usize, usize)> {
    let existing = store
        .meetings(
            MeetingFilter::default(),
            PageRequest {
                first: 1,
                after: None,
                with_total: false,
            },
        )
        .await?;
    if !existing.items.is_empty() {
        return Ok((0, 0));
    }
    let today = local_date(Utc::now(), zone);
    let agency = |acronym: &'static str| async move {
        store
            .agency_by_acronym(acronym)
            .await?
            .map(|a| a.id)
            .with_context(|| format!("demo agency {acronym} is missing"))
    };
    let secretariat = super::user_actor(store, "secretaria@cmnp.example").await?;
    let mimp = super::user_actor(store, "mimp@cmnp.example").await?;
    let (mininter, mimp_id, pnp, migraciones, mp, minedu, mtpe, rree) = (
        agency("MININTER").await?,
        agency("MIMP").await?,
        agency("PNP").await?,
        agency("MIGRACIONES").await?,
        agency("MP").await?,
        agency("MINEDU").await?,
        agency("MTPE").await?,
        agency("RREE").await?,
    );
    let (minjusdh, minsa, pj, pcm) = (
        agency("MINJUSDH").await?,
        agency("MINSA").await?,
        agency("PJ").await?,
        agency("PCM").await?,
    );
    // Eleven of the sixteen voting members: quorum under the default rule.
    let present = [
        mininter,
        mimp_id,
        pnp,
        migraciones,
        mp,
        minedu,
        mtpe,
        rree,
        minjusdh,
        minsa,
        pj,
    ];

    // First ordinary session, five months ago: the 2026 operating plan.
    let first = session(
        store,
        zone,
        MeetingKind::Ordinary,
        today - Duration::days(150),
        "Aprobación del plan operativo anual 2026",
        "Sala de sesiones del Ministerio del Interior, Lima",
    )
    .await?;
    let plan = agenda(
        store,
        &secretariat,
        &first,
        "Plan operativo anual 2026 de la Política Nacional al 2030 (DS 009-2021-IN)",
        AgendaItemKind::Decision,
        mininter,
    )
    .await?;
    run_session(store, &secretariat, &first, &present, rule).await?;
    let first_items = store
        .adopt_agreement(Some(&secretariat), first.id, Some(plan), "Aprobar el plan operativo anual 2026 y encargar a los sectores sus compromisos de implementación.".into(), vec![
            NewActionItem {
                project_id: super::projects::tumbes(store).await?,
                ..item("Capacitar a operadoras y operadores de frontera en Tumbes en movilidad humana y tráfico ilícito de migrantes", mimp_id, vec![migraciones, pnp], today + Duration::days(45))?
            },
            item("Actualizar el protocolo intersectorial de atención y protección de víctimas", mimp_id, vec![minedu], today - Duration::days(20))?,
            item("Publicar el informe estadístico semestral de casos de trata", mp, vec![], today - Duration::days(40))?,
        ], today - Duration::days(150))
        .await?;
    // Adopted by consensus: its acta (approved in the second session) records so.
    store
        .decide_agreement(&secretariat, first_items.id, Deciding::Consensus, rule)
        .await?;
    minutes(store, &secretariat, &first, FIRST_MINUTES).await?;

    // Second ordinary session, two months ago: approves the first session's minutes.
    let second = session(
        store,
        zone,
        MeetingKind::Ordinary,
        today - Duration::days(60),
        "Seguimiento del plan operativo y campaña de prevención",
        "Sala de sesiones del Ministerio del Interior, Lima",
    )
    .await?;
    run_session(
        store,
        &secretariat,
        &second,
        &[&present[..8], &[pcm]].concat(),
        rule,
    )
    .await?;
    store
        .approve_minutes(Some(&secretariat), first.id, second.clone())
        .await?;
    store
        .adopt_agreement(Some(&secretariat), second.id, None, "Lanzar la campaña nacional de prevención de la trata de personas en centros educativos.".into(), vec![
            item("Diseñar la campaña de prevención para centros educativos", minedu, vec![mimp_id], today + Duration::days(20))?,
            item("Inspecciones laborales en zonas de alto riesgo de explotación", mtpe, vec![pnp], today - Duration::days(5))?,
        ], today - Duration::days(60))
        .await?;
    minutes(
        store,
        &secretariat,
        &second,
        "# Acta de la sesión\n\nSe revisó el avance del plan operativo.",
    )
    .await?;

    // An extraordinary session last month on the northern border.
    let border = session(
        store,
        zone,
        MeetingKind::Extraordinary,
        today - Duration::days(25),
        "Situación migratoria en la frontera norte (Tumbes)",
        "Centro Binacional de Atención en Frontera, Tumbes",
    )
    .await?;
    // Nine of the sixteen voting members: quorum, and a vote on its agreement.
    let at_the_border = [
        mininter,
        mimp_id,
        pnp,
        migraciones,
        rree,
        mp,
        minjusdh,
        minsa,
        minedu,
    ];
    let situation = agenda(
        store,
        &secretariat,
        &border,
        "Informe situacional de la frontera norte",
        AgendaItemKind::Information,
        migraciones,
    )
    .await?;
    let pack = super::documents::meeting_pack(store, &secretariat, situation).await?;
    run_session(store, &secretariat, &border, &at_the_border, rule).await?;
    let reinforced = store
        .adopt_agreement(
            Some(&secretariat),
            border.id,
            None,
            "Reforzar el control migratorio y la atención de víctimas en Tumbes.".into(),
            vec![item(
                "Instalar un módulo de orientación a víctimas en el CEBAF Tumbes",
                migraciones,
                vec![mimp_id],
                // Due within the week: the demo plans its reminder.
                today + Duration::days(6),
            )?],
            today - Duration::days(25),
        )
        .await?;
    let votes = at_the_border
        .iter()
        .map(|agency| {
            let (choice, kind, name, designation) = if *agency == rree {
                (VoteChoice::Abstain, None, None, None)
            } else if *agency == minsa {
                (
                    VoteChoice::For,
                    Some(AttendeeKind::Delegate),
                    Some("Dra. Elena Ccori"),
                    Some("Oficio N° 212-2026-MINSA"),
                )
            } else {
                (VoteChoice::For, None, None, None)
            };
            CastVote::parse("votes.", *agency, choice, kind, name, designation)
        })
        .collect::<Result<Vec<_>, _>>()?;
    store
        .decide_agreement(
            &secretariat,
            reinforced.id,
            Deciding::Vote {
                rule: VoteRule::MajorityOfPresent,
                votes,
            },
            rule,
        )
        .await?;

    // Its minutes, circulated with the default observations period: MIMP, which
    // attended, observes them twice and the secretariat answers both.
    minutes(store, &secretariat, &border, BORDER_MINUTES).await?;
    observations(store, &secretariat, &mimp, &border).await?;

    // Action items in every state.
    let open = store.action_items_of_agreements(&[first_items.id]).await?;
    let titled = |prefix: &str| open.iter().find(|item| item.title.starts_with(prefix));
    if let Some(training) = titled("Capacitar") {
        let started = store
            .update_action_item(
                &mimp,
                training.id,
                training.version,
                ActionItemUpdate {
                    status: Some(ActionItemStatus::InProgress),
                    progress_percent: Some(40),
                    note: Some("Primer curso dictado en Tumbes: 12 operadores capacitados.".into()),
                    ..ActionItemUpdate::default()
                },
                today,
            )
            .await?;
        store
            .update_action_item(
                &mimp,
                started.id,
                started.version,
                ActionItemUpdate {
                    progress_percent: Some(48),
                    note: Some("Segundo grupo inscrito.".into()),
                    ..ActionItemUpdate::default()
                },
                today,
            )
            .await?;
    }
    if let Some(protocol) = titled("Actualizar") {
        store
            .update_action_item(
                &mimp,
                protocol.id,
                protocol.version,
                ActionItemUpdate {
                    status: Some(ActionItemStatus::Blocked),
                    note: Some("A la espera de opinión técnica de MINEDU.".into()),
                    ..ActionItemUpdate::default()
                },
                today,
            )
            .await?;
    }
    if let Some(report) = titled("Publicar") {
        let started = store
            .update_action_item(
                &secretariat,
                report.id,
                report.version,
                ActionItemUpdate {
                    status: Some(ActionItemStatus::InProgress),
                    ..ActionItemUpdate::default()
                },
                today,
            )
            .await?;
        store
            .update_action_item(
                &secretariat,
                started.id,
                started.version,
                ActionItemUpdate {
                    status: Some(ActionItemStatus::Done),
                    evidence_url: Some("https://example.org/informe-semestral-2026.pdf".into()),
                    ..ActionItemUpdate::default()
                },
                today,
            )
            .await?;
    }
    let duplicate = store
        .create_action_item(
            Some(&secretariat),
            item(
                "Coordinar con RREE la repatriación de víctimas (duplicado)",
                rree,
                vec![],
                today + Duration::days(30),
            )?,
            today,
        )
        .await?;
    store
        .cancel_action_item(
            &secretariat,
            duplicate.id,
            duplicate.version,
            "Duplicado de un compromiso del plan operativo.",
        )
        .await?;

    // The next ordinary session, in ten days; its follow-up item carries what is open.
    let next = session(
        store,
        zone,
        MeetingKind::Ordinary,
        today + Duration::days(10),
        "Balance anual y plan operativo 2027",
        "Sala de sesiones del Ministerio del Interior, Lima",
    )
    .await?;
    answers(store, &secretariat, &mimp, &next).await?;
    Ok((4 + ordinary_series(store, zone, today).await?, pack))
}

/// The border session's minutes as first circulated.
const BORDER_MINUTES: &str = "# Acta de la sesión extraordinaria\n\nSe evaluó la situación migratoria en la frontera norte y se acordó, por votación, reforzar el control migratorio y la atención de víctimas en Tumbes.";

/// MIMP's observations on the border session's minutes: the first is taken into the text
/// with the revised minutes, the second is answered without being taken in.
async fn observations(
    store: &Store,
    secretariat: &Actor,
    mimp: &Actor,
    border: &Meeting,
) -> anyhow::Result<()> {
    let scope = store
        .submit_observation(
            mimp,
            border.id,
            "El acta no recoge que el módulo de orientación del CEBAF Tumbes atenderá también a niñas, niños y adolescentes no acompañados.",
        )
        .await?;
    store
        .answer_observation(
            secretariat,
            scope.id,
            ObservationReply {
                answer: ObservationAnswer::Accepted,
                reply: "Se incorpora al acta el alcance del módulo de orientación.".into(),
                revised_minutes: Some(format!(
                    "{BORDER_MINUTES}\n\nEl módulo de orientación del CEBAF Tumbes atenderá también a niñas, niños y adolescentes no acompañados, con el apoyo del MIMP."
                )),
            },
        )
        .await?;
    let figures = store
        .submit_observation(
            mimp,
            border.id,
            "Solicitamos consignar en el acta el número de víctimas atendidas por el MIMP en Tumbes durante 2026.",
        )
        .await?;
    store
        .answer_observation(
            secretariat,
            figures.id,
            ObservationReply {
                answer: ObservationAnswer::NotAccepted,
                reply: "El acta recoge lo tratado en la sesión; las cifras se presentarán en el informe semestral.".into(),
                revised_minutes: None,
            },
        )
        .await?;
    Ok(())
}

/// Some agencies have answered the next session's invitation: from the e-mail's links,
/// MIMP's focal point through the API, and the Public Prosecutor's calendar declining.
async fn answers(
    store: &Store,
    secretariat: &Actor,
    mimp: &Actor,
    next: &Meeting,
) -> anyhow::Result<()> {
    let people = store.representatives_of(&next.invited_agency_ids).await?;
    let person = |email: &str| {
        people
            .iter()
            .find(|p| p.email == email)
            .map(|p| p.id)
            .with_context(|| format!("demo representative {email} is missing"))
    };
    let given = [
        (
            "rosa.huaman@mininter.example",
            Answer::Attending,
            AnswerVia::Link,
            None,
        ),
        (
            "carmen.flores@mimp.example",
            Answer::Attending,
            AnswerVia::Graphql,
            Some(mimp),
        ),
        (
            "miguel.cardenas@pnp.example",
            Answer::SendingAlternate,
            AnswerVia::Link,
            None,
        ),
        (
            "patricia.rojas@migraciones.example",
            Answer::Attending,
            AnswerVia::Link,
            None,
        ),
        (
            "elena.gutierrez@mp.example",
            Answer::NotAttending,
            AnswerVia::IcalReply,
            Some(secretariat),
        ),
    ];
    for (email, answer, via, actor) in given {
        store
            .answer_invitation(
                actor,
                next.id,
                Respondent::Representative(person(email)?),
                answer,
                via,
            )
            .await?;
    }
    Ok(())
}

/// The ordinary sessions of the coming months as a series: the second Thursday of each
/// month at 10:00, four times from the day after the next session. Returns how many
/// sessions it created: all four, since the fourth second Thursday from any day comes
/// within [`DEMO_SERIES_DAYS`].
async fn ordinary_series(store: &Store, zone: Tz, today: NaiveDate) -> anyhow::Result<usize> {
    let plan = SeriesPlan::parse(
        SeriesRequest {
            title: "Sesión ordinaria mensual",
            rule: "FREQ=MONTHLY;BYDAY=2TH;COUNT=4",
            starts_on: today + Duration::days(11),
            start_time: "10:00",
            duration_minutes: 180,
            time_zone: zone.name(),
            location: Some("Sala de sesiones del Ministerio del Interior, Lima"),
            online_url: None,
            except_on: Vec::new(),
        },
        Utc::now(),
    )?;
    let series = store
        .schedule_meeting_series(
            None,
            NewSeries {
                kind: MeetingKind::Ordinary,
                plan,
                invited_agency_ids: None,
            },
            Duration::days(DEMO_SERIES_DAYS),
        )
        .await?;
    Ok(store
        .series_meetings(series.id, None, false, 4)
        .await?
        .len())
}

/// How far ahead the demo creates its series' sessions: past the fourth second Thursday
/// from any day (at most 46 + 3 × 35 days away).
const DEMO_SERIES_DAYS: i64 = 160;

/// A session from 10:00 to 13:00 local time on `day`.
async fn session(
    store: &Store,
    zone: Tz,
    kind: MeetingKind,
    day: NaiveDate,
    title: &str,
    location: &str,
) -> anyhow::Result<Meeting> {
    let starts_at: DateTime<Utc> = zone
        .from_local_datetime(&day.and_hms_opt(10, 0, 0).context("10:00 exists")?)
        .single()
        .context("10:00 is unambiguous")?
        .to_utc();
    let schedule = Schedule::parse(
        title,
        starts_at,
        starts_at + Duration::hours(3),
        zone.name(),
        Some(location),
        None,
    )?;
    Ok(store
        .schedule_meeting(
            None,
            NewMeeting {
                kind,
                schedule,
                invited_agency_ids: None,
            },
        )
        .await?)
}

async fn run_session(
    store: &Store,
    secretariat: &Actor,
    meeting: &Meeting,
    present: &[Uuid],
    rule: QuorumRule,
) -> anyhow::Result<()> {
    for (index, agency_id) in present.iter().enumerate() {
        let kind = if index % 3 == 2 {
            AttendeeKind::Alternate
        } else {
            AttendeeKind::Principal
        };
        let mode = if index % 4 == 3 {
            AttendanceMode::Online
        } else {
            AttendanceMode::InPerson
        };
        let fields =
            AttendanceFields::parse(AttendanceStatus::Present, Some(kind), None, Some(mode))?;
        store
            .record_attendance(Some(secretariat), meeting.id, *agency_id, fields)
            .await?;
    }
    store
        .mark_meeting_held(Some(secretariat), meeting.id, rule)
        .await?;
    Ok(())
}

async fn agenda(
    store: &Store,
    secretariat: &Actor,
    meeting: &Meeting,
    title: &str,
    kind: AgendaItemKind,
    presenter: Uuid,
) -> anyhow::Result<Uuid> {
    let fields = AgendaItemFields::parse(title, None, Some(presenter), Some(30), Some(kind))?;
    store
        .add_agenda_item(Some(secretariat), meeting.id, fields, None)
        .await?;
    let items = store.agenda_of(&[meeting.id]).await?;
    items
        .iter()
        .find(|item| item.title == title)
        .map(|item| item.id)
        .context("the agenda item just added")
}

async fn minutes(
    store: &Store,
    secretariat: &Actor,
    meeting: &Meeting,
    text: &str,
) -> anyhow::Result<()> {
    store
        .update_minutes(Some(secretariat), meeting.id, None, text)
        .await?;
    store
        .circulate_minutes(Some(secretariat), meeting.id, None)
        .await?;
    Ok(())
}

fn item(
    title: &str,
    responsible: Uuid,
    supporting: Vec<Uuid>,
    due_on: NaiveDate,
) -> anyhow::Result<NewActionItem> {
    Ok(NewActionItem::parse(
        title,
        None,
        responsible,
        supporting,
        due_on,
    )?)
}
