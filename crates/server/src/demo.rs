//! The demo commission: the real institutions of DESIGN.md section 7, with invented
//! representatives and demo users. Loading it twice changes nothing.

use anyhow::Context;
use chrono::Datelike;
use cmnp_domain::agency::{AgencyInput, AgencyKind, Membership, NewAgency};
use cmnp_domain::meeting::QuorumRule;
use cmnp_domain::representative::{
    Language, RepresentativeFields, RepresentativeInput, RepresentativeKind,
};
use cmnp_domain::user::{NewUser, Role, UserInput};
use cmnp_domain::working_days::{SecretariatDayOff, WorkingCalendar};
use cmnp_store::Store;

/// The demo users' password, printed at start-up: the demo is for trying cmnp out.
pub const DEMO_PASSWORD: &str = "cmnp-demo-2026";

struct DemoAgency {
    acronym: &'static str,
    name: &'static str,
    name_en: &'static str,
    kind: AgencyKind,
    membership: Membership,
    votes: bool,
    iati_ref: Option<&'static str>,
}

const fn agency(
    acronym: &'static str,
    name: &'static str,
    name_en: &'static str,
    kind: AgencyKind,
    membership: Membership,
    votes: bool,
) -> DemoAgency {
    DemoAgency {
        acronym,
        name,
        name_en,
        kind,
        membership,
        votes,
        iati_ref: None,
    }
}

use AgencyKind as K;
use Membership as M;

const AGENCIES: &[DemoAgency] = &[
    agency(
        "MININTER",
        "Ministerio del Interior",
        "Ministry of the Interior",
        K::Ministry,
        M::Presidency,
        true,
    ),
    agency(
        "DGSD",
        "Dirección General para la Seguridad Democrática",
        "Directorate General for Democratic Security (MININTER)",
        K::PublicAgency,
        M::TechnicalSecretariat,
        false,
    ),
    agency(
        "MIMP",
        "Ministerio de la Mujer y Poblaciones Vulnerables",
        "Ministry of Women and Vulnerable Populations",
        K::Ministry,
        M::Member,
        true,
    ),
    agency(
        "MINJUSDH",
        "Ministerio de Justicia y Derechos Humanos",
        "Ministry of Justice and Human Rights",
        K::Ministry,
        M::Member,
        true,
    ),
    agency(
        "MINSA",
        "Ministerio de Salud",
        "Ministry of Health",
        K::Ministry,
        M::Member,
        true,
    ),
    agency(
        "MINEDU",
        "Ministerio de Educación",
        "Ministry of Education",
        K::Ministry,
        M::Member,
        true,
    ),
    agency(
        "MTPE",
        "Ministerio de Trabajo y Promoción del Empleo",
        "Ministry of Labour and Employment Promotion",
        K::Ministry,
        M::Member,
        true,
    ),
    agency(
        "RREE",
        "Ministerio de Relaciones Exteriores",
        "Ministry of Foreign Affairs",
        K::Ministry,
        M::Member,
        true,
    ),
    agency(
        "MINCETUR",
        "Ministerio de Comercio Exterior y Turismo",
        "Ministry of Foreign Trade and Tourism",
        K::Ministry,
        M::Member,
        true,
    ),
    agency(
        "MTC",
        "Ministerio de Transportes y Comunicaciones",
        "Ministry of Transport and Communications",
        K::Ministry,
        M::Member,
        true,
    ),
    agency(
        "MINEM",
        "Ministerio de Energía y Minas",
        "Ministry of Energy and Mines",
        K::Ministry,
        M::Member,
        true,
    ),
    agency(
        "PCM",
        "Presidencia del Consejo de Ministros",
        "Presidency of the Council of Ministers",
        K::Ministry,
        M::Member,
        true,
    ),
    agency(
        "MIGRACIONES",
        "Superintendencia Nacional de Migraciones",
        "National Superintendency of Migration",
        K::PublicAgency,
        M::Member,
        true,
    ),
    agency(
        "PNP",
        "Policía Nacional del Perú",
        "Peruvian National Police",
        K::Police,
        M::Member,
        true,
    ),
    agency(
        "MP",
        "Ministerio Público – Fiscalía de la Nación",
        "Public Prosecutor's Office",
        K::Prosecution,
        M::Member,
        true,
    ),
    agency(
        "PJ",
        "Poder Judicial",
        "Judiciary",
        K::Judiciary,
        M::Member,
        true,
    ),
    agency(
        "DP",
        "Defensoría del Pueblo",
        "Ombudsman's Office",
        K::Ombudsman,
        M::Observer,
        false,
    ),
    agency(
        "INEI",
        "Instituto Nacional de Estadística e Informática",
        "National Institute of Statistics and Informatics",
        K::PublicAgency,
        M::Member,
        true,
    ),
    // Civil-society organisations sit in the commission but no longer vote.
    agency(
        "CHS",
        "CHS Alternativo",
        "CHS Alternativo",
        K::CivilSociety,
        M::Member,
        false,
    ),
    DemoAgency {
        iati_ref: Some("XM-DAC-47066"),
        ..agency(
            "OIM",
            "Organización Internacional para las Migraciones",
            "International Organization for Migration",
            K::InternationalOrganization,
            M::Partner,
            false,
        )
    },
    agency(
        "UNODC",
        "Oficina de las Naciones Unidas contra la Droga y el Delito",
        "United Nations Office on Drugs and Crime",
        K::InternationalOrganization,
        M::Partner,
        false,
    ),
    agency(
        "OIT",
        "Organización Internacional del Trabajo",
        "International Labour Organization",
        K::InternationalOrganization,
        M::Partner,
        false,
    ),
    DemoAgency {
        iati_ref: Some("US-GOV-11"),
        ..agency(
            "PRM",
            "Oficina de Población, Refugiados y Migración del Departamento de Estado de los EE. UU.",
            "US Department of State, Bureau of Population, Refugees, and Migration",
            K::ForeignGovernment,
            M::Partner,
            false,
        )
    },
];

/// (agency, name, e-mail, kind, position)
const REPRESENTATIVES: &[(&str, &str, &str, RepresentativeKind, &str)] = &[
    (
        "MININTER",
        "Rosa Huamán Torres",
        "rosa.huaman@mininter.example",
        RepresentativeKind::Principal,
        "Viceministra de Seguridad Pública",
    ),
    (
        "MININTER",
        "Jorge Salazar Vega",
        "jorge.salazar@mininter.example",
        RepresentativeKind::Alternate,
        "Director General para la Seguridad Democrática",
    ),
    (
        "MIMP",
        "Carmen Flores Ríos",
        "carmen.flores@mimp.example",
        RepresentativeKind::Principal,
        "Directora General contra la Violencia de Género",
    ),
    (
        "MIMP",
        "Luis Paredes Quispe",
        "luis.paredes@mimp.example",
        RepresentativeKind::Alternate,
        "Especialista en trata de personas",
    ),
    (
        "MIGRACIONES",
        "Patricia Rojas León",
        "patricia.rojas@migraciones.example",
        RepresentativeKind::Principal,
        "Gerente de Control Migratorio",
    ),
    (
        "PNP",
        "Coronel Miguel Cárdenas",
        "miguel.cardenas@pnp.example",
        RepresentativeKind::Principal,
        "Jefe de la División de Trata de Personas y Tráfico Ilícito de Migrantes",
    ),
    (
        "MP",
        "Elena Gutiérrez Soto",
        "elena.gutierrez@mp.example",
        RepresentativeKind::Principal,
        "Fiscal Superior Coordinadora de las Fiscalías Especializadas en Trata de Personas",
    ),
    (
        "OIM",
        "Daniel Moreno",
        "dmoreno@oim.example",
        RepresentativeKind::Principal,
        "Oficial de proyectos, Tumbes",
    ),
];

/// (e-mail, name, role, agency, locale)
pub const USERS: &[(&str, &str, Role, Option<&str>, Language)] = &[
    (
        "secretaria@cmnp.example",
        "Secretaría Técnica (demo)",
        Role::Secretariat,
        None,
        Language::Es,
    ),
    (
        "mimp@cmnp.example",
        "Punto focal MIMP (demo)",
        Role::Agency,
        Some("MIMP"),
        Language::Es,
    ),
    (
        "oim@cmnp.example",
        "IOM focal point (demo)",
        Role::Agency,
        Some("OIM"),
        Language::En,
    ),
    (
        "prm@cmnp.example",
        "PRM programme officer (demo)",
        Role::Donor,
        Some("PRM"),
        Language::En,
    ),
];

pub mod documents;
mod projects;
mod work;

/// What loading the demo added (zero everywhere on a second run).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    pub agencies: usize,
    pub representatives: usize,
    pub users: usize,
    pub meetings: usize,
    pub projects: usize,
    /// The secretariat's own days off.
    pub days_off: usize,
    /// The border session's meeting pack and the Tumbes project's report.
    pub documents: usize,
}

/// Loads whatever of the demo commission is missing, reading dates in `zone` and
/// freezing quorum under `rule`.
pub async fn load(store: &Store, zone: chrono_tz::Tz, rule: QuorumRule) -> anyhow::Result<Loaded> {
    let mut loaded = Loaded::default();
    for demo in AGENCIES {
        if store.agency_by_acronym(demo.acronym).await?.is_some() {
            continue;
        }
        let new = NewAgency::try_from(AgencyInput {
            acronym: demo.acronym.into(),
            name: demo.name.into(),
            name_en: Some(demo.name_en.into()),
            kind: Some(demo.kind),
            membership: Some(demo.membership),
            votes: Some(demo.votes),
            iati_ref: demo.iati_ref.map(Into::into),
        })
        .with_context(|| format!("demo agency {}", demo.acronym))?;
        let agency = store.create_agency(None, new).await?;
        loaded.agencies += 1;
        for (_, name, email, kind, position) in
            REPRESENTATIVES.iter().filter(|r| r.0 == demo.acronym)
        {
            let fields = RepresentativeFields::try_from(RepresentativeInput {
                name: (*name).into(),
                email: (*email).into(),
                kind: Some(*kind),
                position: Some((*position).into()),
                mandate_start: chrono::NaiveDate::from_ymd_opt(2026, 1, 1),
                designation_ref: Some(format!(
                    "Oficio N° {:03}-2026-{}",
                    loaded.representatives + 1,
                    demo.acronym
                )),
                ..RepresentativeInput::default()
            })
            .with_context(|| format!("demo representative {name}"))?;
            store.add_representative(None, agency.id, fields).await?;
            loaded.representatives += 1;
        }
    }
    for (email, name, role, acronym, locale) in USERS {
        if store.user_by_email(email).await?.is_some() {
            continue;
        }
        let agency_id = match acronym {
            Some(acronym) => Some(
                store
                    .agency_by_acronym(acronym)
                    .await?
                    .with_context(|| format!("demo agency {acronym} is missing"))?
                    .id,
            ),
            None => None,
        };
        let new = NewUser::try_from(UserInput {
            email: (*email).into(),
            name: (*name).into(),
            role: Some(*role),
            agency_id,
            password: DEMO_PASSWORD.into(),
            locale: Some(*locale),
        })
        .with_context(|| format!("demo user {email}"))?;
        store.create_user(None, new).await?;
        loaded.users += 1;
    }
    let secretariat = user_actor(store, "secretaria@cmnp.example").await?;
    let oim = user_actor(store, "oim@cmnp.example").await?;
    let today = cmnp_domain::meeting::local_date(chrono::Utc::now(), zone);
    loaded.projects = projects::load(store, &secretariat, &oim, today)
        .await
        .context("the demo's projects")?;
    if let Some(tumbes) = projects::tumbes(store).await? {
        loaded.documents += documents::project_report(store, &oim, tumbes)
            .await
            .context("the demo's project report")?;
    }
    let (meetings, pack) = work::load(store, zone, rule)
        .await
        .context("the demo's year of sessions")?;
    loaded.meetings = meetings;
    loaded.documents += pack;
    loaded.days_off = day_off(store, &secretariat, today)
        .await
        .context("the demo's day off")?;
    Ok(loaded)
}

/// The secretariat's day off: the first Friday at least six weeks away that the country
/// works, unless it has declared one already.
async fn day_off(
    store: &Store,
    secretariat: &cmnp_domain::policy::Actor,
    today: chrono::NaiveDate,
) -> anyhow::Result<usize> {
    let years = chrono::Duration::days(3660);
    if !store
        .secretariat_days_off(today - years, today + years)
        .await?
        .is_empty()
    {
        return Ok(0);
    }
    let national = WorkingCalendar::national();
    let Some(friday) = (today + chrono::Duration::days(42))
        .iter_days()
        .find(|date| date.weekday() == chrono::Weekday::Fri && national.is_working_day(*date))
    else {
        return Ok(0);
    };
    let day =
        SecretariatDayOff::declare(friday, "Jornada de planificación de la secretaría técnica")?;
    store.add_non_working_day(secretariat, day).await?;
    Ok(1)
}

pub(crate) async fn user_actor(
    store: &Store,
    email: &str,
) -> anyhow::Result<cmnp_domain::policy::Actor> {
    let user = store
        .user_by_email(email)
        .await?
        .with_context(|| format!("demo user {email} is missing"))?;
    Ok(cmnp_store::actor_of(&user))
}
