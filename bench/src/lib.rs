//! A large, deterministic commission for benchmarks: agencies with representatives,
//! years of sessions with their invitations and agreements, action items in every state
//! with their history, and donors' projects with money, results and milestones, written
//! with bulk inserts so that seeding takes seconds rather than the hours the API would.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use cmnp_domain::agency::{AgencyInput, AgencyKind, Membership, NewAgency};
use cmnp_domain::representative::{Language, RepresentativeFields, RepresentativeInput};
use cmnp_domain::user::{NewUser, Role, UserInput};
use cmnp_store::Store;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, InsertStatement, Query, SimpleExpr};
use uuid::Uuid;

/// How big the commission is.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Member agencies: invited to every session, responsible for action items.
    pub agencies: usize,
    pub meetings: usize,
    pub action_items: usize,
    /// Donor agencies, which fund and report the projects; not invited to sessions.
    pub donors: usize,
    pub projects: usize,
}

impl Default for Size {
    fn default() -> Self {
        Self {
            agencies: 40,
            meetings: 2_000,
            action_items: 100_000,
            donors: 6,
            projects: 500,
        }
    }
}

/// The password of every seeded user.
pub const PASSWORD: &str = "bench-password-2026";
/// The seeded secretariat user.
pub const SECRETARIAT_EMAIL: &str = "secretaria@bench.example";
/// A user of the member agency AG001.
pub const AGENCY_EMAIL: &str = "agencia@bench.example";
/// A user of the donor DN000, which funds a sixth of the projects or more.
pub const DONOR_EMAIL: &str = "donante@bench.example";

/// A small deterministic generator (xorshift), so that every run seeds the same data.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// An index into a slice of `len` elements.
    fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or_default()
    }

    /// One of `items`, which must not be empty.
    fn pick<T: Copy>(&mut self, items: &[T]) -> anyhow::Result<T> {
        let index = self.index(items.len());
        items
            .get(index)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("a pick from an empty list"))
    }

    /// A number of days in `0..n`.
    fn days(&mut self, n: i64) -> Duration {
        Duration::days(i64::try_from(self.below(n.unsigned_abs())).unwrap_or_default())
    }
}

/// How many of the agreements adopted last before an item's due date it may come from.
const RECENT_AGREEMENTS: usize = 60;

/// Seeds the commission into `store` (migrated and empty), around `today`: sessions and
/// due dates spread over two years before and after it.
pub async fn seed(store: &Store, size: Size, today: NaiveDate) -> anyhow::Result<()> {
    let agency_ids = agencies(store, size).await?;
    let donor_ids = donors(store, size).await?;
    for (email, name, role, agency_id) in [
        (
            SECRETARIAT_EMAIL,
            "Secretaría Técnica",
            Role::Secretariat,
            None,
        ),
        (
            AGENCY_EMAIL,
            "Enlace AG001",
            Role::Agency,
            agency_ids.get(1),
        ),
        (
            DONOR_EMAIL,
            "Oficial de programa DN000",
            Role::Donor,
            donor_ids.first(),
        ),
    ] {
        store
            .create_user(
                None,
                NewUser::try_from(UserInput {
                    email: email.into(),
                    name: name.into(),
                    role: Some(role),
                    agency_id: agency_id.copied(),
                    password: PASSWORD.into(),
                    locale: None,
                })?,
            )
            .await?;
    }

    let db = store.connection();
    let now = Utc::now();
    let mut numbers = Numbers(0x2026_1128_cafe_f00d);
    let span_days = 365 * 2;
    let start = today - Duration::days(span_days);
    let mut counters = BTreeMap::new();

    let mut meetings = Vec::new();
    let mut invitations = Vec::new();
    // Held sessions, by day, for their agreements.
    let mut held = Vec::new();
    for i in 0..size.meetings {
        let id = Uuid::now_v7();
        let day = start + numbers.days(2 * span_days);
        let starts_at: DateTime<Utc> = day.and_hms_opt(15, 0, 0).context("a valid time")?.and_utc();
        let status = if starts_at < now { "HELD" } else { "SCHEDULED" };
        if starts_at < now {
            held.push((day, id));
        }
        let number = i32::try_from(i + 1)?;
        raise(
            &mut counters,
            format!("meeting:ORDINARY:{}", day.year()),
            number,
        );
        meetings.push(vec![
            id.into(),
            "ORDINARY".into(),
            day.year().into(),
            number.into(),
            format!("Sesión {i}").into(),
            status.into(),
            starts_at.into(),
            (starts_at + Duration::hours(2)).into(),
            "America/Lima".into(),
            "Sala de sesiones".into(),
            0.into(),
            now.into(),
            now.into(),
        ]);
        for agency_id in &agency_ids {
            invitations.push(vec![id.into(), (*agency_id).into()]);
        }
    }
    insert(
        db,
        "meetings",
        &[
            "id",
            "kind",
            "year",
            "number",
            "title",
            "status",
            "starts_at",
            "ends_at",
            "time_zone",
            "location",
            "sequence",
            "created_at",
            "updated_at",
        ],
        meetings,
    )
    .await?;
    insert(
        db,
        "meeting_invitations",
        &["meeting_id", "agency_id"],
        invitations,
    )
    .await?;

    // Two or three agreements per held session, numbered per year in session order.
    held.sort();
    let mut agreements = Vec::new();
    let mut agreement_days = Vec::new();
    for (day, meeting_id) in &held {
        for _ in 0..2 + numbers.below(2) {
            let id = Uuid::now_v7();
            let number = counters
                .entry(format!("agreement:{}", day.year()))
                .and_modify(|n| *n += 1)
                .or_insert(1);
            let number = *number;
            agreements.push(vec![
                id.into(),
                (*meeting_id).into(),
                day.year().into(),
                number.into(),
                format!("Aprobar el informe de avance {number} y encargar su seguimiento.").into(),
                day.and_hms_opt(17, 0, 0)
                    .context("a valid time")?
                    .and_utc()
                    .into(),
            ]);
            agreement_days.push((*day, id));
        }
    }
    insert(
        db,
        "agreements",
        &["id", "meeting_id", "year", "number", "text", "created_at"],
        agreements,
    )
    .await?;

    let project_ids = projects(db, &mut numbers, &agency_ids, &donor_ids, size, today).await?;

    let mut items = Vec::with_capacity(size.action_items);
    let mut history = Vec::with_capacity(size.action_items * 2);
    for i in 0..size.action_items {
        let id = Uuid::now_v7();
        let due_on = start + numbers.days(2 * span_days);
        let agency = numbers.pick(&agency_ids)?;
        let roll = numbers.below(100);
        // Most past commitments were met; a few were dropped; the rest are pending.
        let (status, completed_on) = if due_on < today && roll < 80 {
            ("DONE", Some(due_on))
        } else if (80..85).contains(&roll) {
            ("CANCELLED", None)
        } else {
            (
                match roll % 3 {
                    0 => "OPEN",
                    1 => "IN_PROGRESS",
                    _ => "BLOCKED",
                },
                None,
            )
        };
        let progress = if status == "DONE" { 100 } else { 40 };
        // Nine items in ten come from one of the 60 agreements adopted last before their
        // due date (a month or so of sessions); the rest were set directly, as were the
        // items due before there were 60 agreements.
        let before = agreement_days.partition_point(|(day, _)| *day < due_on);
        let agreement = match before.checked_sub(RECENT_AGREEMENTS) {
            Some(first) if numbers.below(10) < 9 => agreement_days
                .get(first + numbers.index(RECENT_AGREEMENTS))
                .map(|(_, id)| *id),
            _ => None,
        };
        let project = if numbers.below(10) == 0 {
            Some(numbers.pick(&project_ids)?)
        } else {
            None
        };

        // One to three updates, a week apart, the last one reaching the current status.
        let updates = 1 + numbers.below(3);
        let last = due_on.min(today);
        for k in 0..updates {
            let at = (last - Duration::weeks(i64::try_from(updates - 1 - k)?))
                .and_hms_opt(14, 0, 0)
                .context("a valid time")?
                .and_utc();
            let (from, to, percent): (Option<&str>, Option<&str>, i32) =
                if k + 1 == updates && status != "OPEN" {
                    (Some("OPEN"), Some(status), progress)
                } else {
                    (None, None, 20 * i32::try_from(k + 1)?)
                };
            history.push(vec![
                Uuid::now_v7().into(),
                id.into(),
                at.into(),
                agency.into(),
                format!("Avance {}: reunión de coordinación realizada.", k + 1).into(),
                from.into(),
                to.into(),
                percent.into(),
            ]);
        }

        let number = i32::try_from(i + 1)?;
        raise(
            &mut counters,
            format!("action_item:{}", due_on.year()),
            number,
        );
        items.push(vec![
            id.into(),
            due_on.year().into(),
            number.into(),
            format!("Compromiso {i}: informe de avance del plan operativo").into(),
            agreement.into(),
            project.into(),
            agency.into(),
            due_on.into(),
            status.into(),
            progress.into(),
            completed_on.into(),
            i32::try_from(1 + updates)?.into(),
            now.into(),
            now.into(),
        ]);
    }
    insert(
        db,
        "action_items",
        &[
            "id",
            "year",
            "number",
            "title",
            "agreement_id",
            "project_id",
            "responsible_agency_id",
            "due_on",
            "status",
            "progress_percent",
            "completed_on",
            "version",
            "created_at",
            "updated_at",
        ],
        items,
    )
    .await?;
    insert(
        db,
        "action_item_updates",
        &[
            "id",
            "action_item_id",
            "at",
            "agency_id",
            "note",
            "status_from",
            "status_to",
            "progress_percent",
        ],
        history,
    )
    .await?;
    insert(
        db,
        "counters",
        &["name", "value"],
        counters
            .into_iter()
            .map(|(name, value)| vec![name.into(), value.into()])
            .collect(),
    )
    .await
}

/// Raises the counter of `series` to `number`, so that the API numbers on from there.
fn raise(counters: &mut BTreeMap<String, i32>, series: String, number: i32) {
    let value = counters.entry(series).or_default();
    *value = (*value).max(number);
}

/// The member agencies, each with a principal and an alternate representative; the
/// first one holds the presidency.
async fn agencies(store: &Store, size: Size) -> anyhow::Result<Vec<Uuid>> {
    let mut ids = Vec::with_capacity(size.agencies);
    for i in 0..size.agencies {
        let agency = store
            .create_agency(
                None,
                NewAgency::try_from(AgencyInput {
                    acronym: format!("AG{i:03}"),
                    name: format!("Entidad {i}"),
                    membership: Some(if i == 0 {
                        Membership::Presidency
                    } else {
                        Membership::Member
                    }),
                    ..AgencyInput::default()
                })?,
            )
            .await?;
        for (kind, language) in [("principal", Language::Es), ("alterno", Language::En)] {
            let fields = RepresentativeFields::try_from(RepresentativeInput {
                name: format!("Representante {kind} {i}"),
                email: format!("{kind}{i}@ag{i:03}.example"),
                language: Some(language),
                ..RepresentativeInput::default()
            })?;
            store.add_representative(None, agency.id, fields).await?;
        }
        ids.push(agency.id);
    }
    Ok(ids)
}

/// The donors: partners with an IATI reference, which report the projects they fund.
async fn donors(store: &Store, size: Size) -> anyhow::Result<Vec<Uuid>> {
    let mut ids = Vec::with_capacity(size.donors);
    for i in 0..size.donors {
        let agency = store
            .create_agency(
                None,
                NewAgency::try_from(AgencyInput {
                    acronym: format!("DN{i:03}"),
                    name: format!("Cooperante {i}"),
                    kind: Some(AgencyKind::InternationalOrganization),
                    membership: Some(Membership::Partner),
                    votes: Some(false),
                    iati_ref: Some(format!("XM-DAC-4100{i}")),
                    ..AgencyInput::default()
                })?,
            )
            .await?;
        ids.push(agency.id);
    }
    Ok(ids)
}

/// The projects: each reported and funded by a donor (a third co-funded by another),
/// implemented by one or two member agencies, with three yearly budget lines, a
/// commitment with its disbursements and expenditures, two results with two indicators
/// each (three half-year periods of values), four milestones and a progress report.
async fn projects<C: ConnectionTrait>(
    db: &C,
    numbers: &mut Numbers,
    agency_ids: &[Uuid],
    donor_ids: &[Uuid],
    size: Size,
    today: NaiveDate,
) -> anyhow::Result<Vec<Uuid>> {
    let now = Utc::now();
    let mut ids = Vec::with_capacity(size.projects);
    let mut projects = Vec::new();
    let mut participants = Vec::new();
    let mut budget_lines = Vec::new();
    let mut transactions = Vec::new();
    let mut results = Vec::new();
    let mut indicators = Vec::new();
    let mut periods = Vec::new();
    let mut milestones = Vec::new();
    let mut reports = Vec::new();
    for i in 0..size.projects {
        let id = Uuid::now_v7();
        ids.push(id);
        let donor_index = i % donor_ids.len().max(1);
        let donor = *donor_ids
            .get(donor_index)
            .ok_or_else(|| anyhow::anyhow!("projects need donors"))?;
        let planned_start = today - numbers.days(700);
        let planned_end = planned_start + Duration::days(3 * 365);
        projects.push(vec![
            id.into(),
            format!("XM-DAC-4100{donor_index}-PE-{i:04}").into(),
            donor.into(),
            format!("Proyecto {i}: fortalecimiento de capacidades regionales").into(),
            "Apoyo a la implementación del plan nacional.".into(),
            "IMPLEMENTATION".into(),
            "USD".into(),
            planned_start.into(),
            planned_end.into(),
            planned_start.into(),
            serde_json::json!(["Tumbes", "Piura"]).into(),
            serde_json::json!(["15130", "15160"]).into(),
            now.into(),
            now.into(),
        ]);
        participants.push(vec![id.into(), donor.into(), "FUNDING".into()]);
        if numbers.below(3) == 0 && donor_ids.len() > 1 {
            let other = *donor_ids
                .get((donor_index + 1) % donor_ids.len())
                .ok_or_else(|| anyhow::anyhow!("projects need donors"))?;
            participants.push(vec![id.into(), other.into(), "FUNDING".into()]);
        }
        // Member agencies other than the presidency implement.
        let members = agency_ids.get(1..).unwrap_or_default();
        let implementer = numbers.pick(members)?;
        participants.push(vec![id.into(), implementer.into(), "IMPLEMENTING".into()]);
        if numbers.below(2) == 0 {
            let second = numbers.pick(members)?;
            if second != implementer {
                participants.push(vec![id.into(), second.into(), "IMPLEMENTING".into()]);
            }
        }

        let yearly = 100_000 + 10_000 * numbers.below(40);
        for year in 0..3 {
            budget_lines.push(vec![
                Uuid::now_v7().into(),
                id.into(),
                (planned_start + Duration::days(365 * year)).into(),
                (planned_start + Duration::days(365 * year + 364)).into(),
                format!("{yearly}.00").into(),
                "USD".into(),
                "ORIGINAL".into(),
                "COMMITTED".into(),
            ]);
        }
        let money = |kind: &str, date: NaiveDate, amount: u64, from: Uuid, to: Option<Uuid>| {
            vec![
                Uuid::now_v7().into(),
                id.into(),
                kind.into(),
                date.into(),
                format!("{amount}.00").into(),
                "USD".into(),
                from.into(),
                to.into(),
            ]
        };
        transactions.push(money(
            "COMMITMENT",
            planned_start,
            3 * yearly,
            donor,
            Some(implementer),
        ));
        let elapsed = (today - planned_start).num_days();
        for k in 0..3 + numbers.below(4) {
            let date = planned_start + Duration::days(elapsed * i64::try_from(k)? / 6);
            transactions.push(money(
                "DISBURSEMENT",
                date,
                yearly / 4,
                donor,
                Some(implementer),
            ));
            transactions.push(money(
                "EXPENDITURE",
                date + Duration::days(20),
                yearly / 5,
                implementer,
                None,
            ));
        }

        for (r, kind) in ["OUTPUT", "OUTCOME"].into_iter().enumerate() {
            let result = Uuid::now_v7();
            results.push(vec![
                result.into(),
                id.into(),
                kind.into(),
                format!("Resultado {}: servicios regionales mejorados", r + 1).into(),
            ]);
            for (n, measure) in ["UNIT", "PERCENTAGE"].into_iter().enumerate() {
                let indicator = Uuid::now_v7();
                indicators.push(vec![
                    indicator.into(),
                    result.into(),
                    format!("Indicador {}.{}: cobertura", r + 1, n + 1).into(),
                    measure.into(),
                    true.into(),
                    "0".into(),
                    planned_start.year().into(),
                    "100".into(),
                ]);
                for p in 0..3 {
                    let period_start = planned_start + Duration::days(182 * p);
                    let noise = i64::try_from(numbers.below(10))?;
                    let actual = (period_start < today).then(|| (25 * (p + 1) + noise).to_string());
                    periods.push(vec![
                        Uuid::now_v7().into(),
                        indicator.into(),
                        period_start.into(),
                        (period_start + Duration::days(181)).into(),
                        (30 * (p + 1)).to_string().into(),
                        actual.into(),
                    ]);
                }
            }
        }
        for m in 0..4 {
            let planned_on = planned_start + Duration::days(270 * (m + 1));
            let done_on = (planned_on < today && numbers.below(5) > 0).then_some(planned_on);
            milestones.push(vec![
                Uuid::now_v7().into(),
                id.into(),
                format!("Hito {}: entrega de productos", m + 1).into(),
                planned_on.into(),
                done_on.into(),
            ]);
        }
        reports.push(vec![
            Uuid::now_v7().into(),
            id.into(),
            planned_start.into(),
            (planned_start + Duration::days(364)).into(),
            "Avance conforme al plan; se completaron las capacitaciones previstas.".into(),
            now.into(),
        ]);
    }
    insert(
        db,
        "projects",
        &[
            "id",
            "iati_identifier",
            "reporting_agency_id",
            "title",
            "description",
            "status",
            "currency",
            "planned_start",
            "planned_end",
            "actual_start",
            "regions",
            "sectors",
            "created_at",
            "updated_at",
        ],
        projects,
    )
    .await?;
    insert(
        db,
        "project_participants",
        &["project_id", "agency_id", "role"],
        participants,
    )
    .await?;
    insert(
        db,
        "budget_lines",
        &[
            "id",
            "project_id",
            "period_start",
            "period_end",
            "amount",
            "currency",
            "kind",
            "status",
        ],
        budget_lines,
    )
    .await?;
    insert(
        db,
        "transactions",
        &[
            "id",
            "project_id",
            "kind",
            "date",
            "amount",
            "currency",
            "provider_agency_id",
            "receiver_agency_id",
        ],
        transactions,
    )
    .await?;
    insert(
        db,
        "results",
        &["id", "project_id", "kind", "title"],
        results,
    )
    .await?;
    insert(
        db,
        "indicators",
        &[
            "id",
            "result_id",
            "title",
            "measure",
            "ascending",
            "baseline",
            "baseline_year",
            "target",
        ],
        indicators,
    )
    .await?;
    insert(
        db,
        "indicator_periods",
        &[
            "id",
            "indicator_id",
            "period_start",
            "period_end",
            "target",
            "actual",
        ],
        periods,
    )
    .await?;
    insert(
        db,
        "milestones",
        &["id", "project_id", "title", "planned_on", "done_on"],
        milestones,
    )
    .await?;
    insert(
        db,
        "project_reports",
        &[
            "id",
            "project_id",
            "period_start",
            "period_end",
            "narrative",
            "submitted_at",
        ],
        reports,
    )
    .await?;
    Ok(ids)
}

/// Inserts `rows` into `table` in statements of a few hundred rows.
async fn insert<C: ConnectionTrait>(
    db: &C,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<SimpleExpr>>,
) -> anyhow::Result<()> {
    let per_statement = 4_000 / columns.len();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut statement: InsertStatement = Query::insert()
            .into_table(Alias::new(table))
            .columns(columns.iter().map(|c| Alias::new(*c)))
            .to_owned();
        for row in rows.by_ref().take(per_statement) {
            statement.values(row)?;
        }
        db.execute(&statement)
            .await
            .with_context(|| format!("cannot insert into {table}"))?;
    }
    Ok(())
}

/// Starts measuring the peak resident memory afresh (Linux's `clear_refs`).
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The process's peak resident memory, in MiB, as Linux reports it.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
