//! A large, deterministic commission for benchmarks: agencies with representatives,
//! years of sessions with their invitations, and action items in every state, written
//! with bulk inserts so that seeding takes seconds rather than the hours the API would.

use anyhow::Context;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use cmnp_domain::agency::{AgencyInput, Membership, NewAgency};
use cmnp_domain::representative::{Language, RepresentativeFields, RepresentativeInput};
use cmnp_domain::user::{NewUser, Role, UserInput};
use cmnp_store::Store;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, InsertStatement, Query, SimpleExpr};
use uuid::Uuid;

/// How big the commission is.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub agencies: usize,
    pub meetings: usize,
    pub action_items: usize,
}

impl Default for Size {
    fn default() -> Self {
        Self {
            agencies: 40,
            meetings: 2_000,
            action_items: 100_000,
        }
    }
}

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
}

/// Seeds the commission into `store` (migrated and empty), around `today`: sessions and
/// due dates spread over two years before and after it.
pub async fn seed(store: &Store, size: Size, today: NaiveDate) -> anyhow::Result<()> {
    let mut agency_ids = Vec::with_capacity(size.agencies);
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
        agency_ids.push(agency.id);
    }
    store
        .create_user(
            None,
            NewUser::try_from(UserInput {
                email: "secretaria@bench.example".into(),
                name: "Secretaría Técnica".into(),
                role: Some(Role::Secretariat),
                agency_id: None,
                password: "bench-password-2026".into(),
                locale: None,
            })?,
        )
        .await?;

    let db = store.connection();
    let now = Utc::now();
    let mut numbers = Numbers(0x2026_1128_cafe_f00d);
    let span_days = 365 * 2;
    let start = today - Duration::days(span_days);

    let mut meetings = Vec::new();
    let mut invitations = Vec::new();
    for i in 0..size.meetings {
        let id = Uuid::now_v7();
        let day = start + Duration::days(i64::try_from(numbers.below(2 * span_days as u64))?);
        let starts_at: DateTime<Utc> = day.and_hms_opt(15, 0, 0).context("a valid time")?.and_utc();
        let status = if starts_at < now { "HELD" } else { "SCHEDULED" };
        meetings.push(vec![
            id.into(),
            "ORDINARY".into(),
            day.year().into(),
            i32::try_from(i + 1)?.into(),
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

    let mut items = Vec::with_capacity(size.action_items);
    for i in 0..size.action_items {
        let due_on = start + Duration::days(i64::try_from(numbers.below(2 * span_days as u64))?);
        let agency = agency_ids[usize::try_from(numbers.below(agency_ids.len() as u64))?];
        let roll = numbers.below(100);
        // Most past commitments were met; a few were dropped; the rest are pending.
        let (status, completed_on) = if due_on < today && roll < 80 {
            ("DONE", Some(due_on))
        } else if (80..85).contains(&roll) {
            ("CANCELLED", None)
        } else {
            (
                ["OPEN", "IN_PROGRESS", "BLOCKED"][usize::try_from(roll % 3)?],
                None,
            )
        };
        items.push(vec![
            Uuid::now_v7().into(),
            due_on.year().into(),
            i32::try_from(i + 1)?.into(),
            format!("Compromiso {i}: informe de avance del plan operativo").into(),
            agency.into(),
            due_on.into(),
            status.into(),
            (if status == "DONE" { 100 } else { 40 }).into(),
            completed_on.into(),
            1.into(),
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
    .await
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
