//! Funded projects: donors see what they fund and nothing else, implementers report,
//! money is exact, bad input names its field, and the IATI export validates.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use cmnp_domain::agency::{Agency, AgencyInput, AgencyKind, Membership, NewAgency};
use cmnp_domain::user::Role;
use cmnp_tests::{TestApp, TestUser};
use serde_json::{Value, json};

struct Funded {
    app: TestApp,
    secretariat: TestUser,
    oim: Agency,
    prm: Agency,
    donor: TestUser,
    other_donor: TestUser,
    implementer: TestUser,
    outsider: TestUser,
    funded: Value,
    unfunded: Value,
}

async fn partner(app: &TestApp, acronym: &str, iati_ref: &str, kind: AgencyKind) -> Agency {
    let new = NewAgency::try_from(AgencyInput {
        acronym: acronym.into(),
        name: format!("Organización {acronym}"),
        kind: Some(kind),
        membership: Some(Membership::Partner),
        iati_ref: Some(iati_ref.into()),
        ..AgencyInput::default()
    })
    .unwrap();
    app.store.create_agency(None, new).await.unwrap()
}

const PROJECT: &str = "id iatiIdentifier status budget committed disbursed spent burnRate";

async fn create(app: &TestApp, token: &str, input: Value) -> cmnp_tests::Gql {
    app.graphql(
        Some(token),
        &format!("mutation ($input: CreateProjectInput!) {{ createProject(input: $input) {{ project {{ {PROJECT} }} }} }}"),
        json!({ "input": input }),
    )
    .await
}

async fn call(app: &TestApp, token: &str, mutation: &str, input: Value) -> cmnp_tests::Gql {
    let query = format!(
        "mutation ($input: {}Input!) {{ {mutation}(input: $input) {{ project {{ {PROJECT} }} }} }}",
        capitalised(mutation)
    );
    app.graphql(Some(token), &query, json!({ "input": input }))
        .await
}

fn capitalised(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

impl Funded {
    /// Adds a result of `kind` to the funded project; returns its id.
    async fn result(&self, kind: &str, title: &str) -> Value {
        call(
            &self.app,
            &self.secretariat.token,
            "addResult",
            json!({ "projectId": self.funded["id"], "type": kind, "title": title }),
        )
        .await
        .data();
        let results = self
            .app
            .graphql(
                Some(&self.secretariat.token),
                "query ($id: ID!) { project(id: $id) { results { id } } }",
                json!({ "id": self.funded["id"] }),
            )
            .await;
        results.data()["project"]["results"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()["id"]
            .clone()
    }

    /// Adds an output result with the unit indicator "operadoras y operadores de frontera
    /// capacitados" (baseline 0 in 2026, target 25) to the funded project; returns the
    /// indicator's id as `reader` reads it.
    async fn indicator(&self, reader: &str) -> Value {
        let result = self.result("OUTPUT", "Operadores capacitados").await;
        call(
            &self.app,
            &self.secretariat.token,
            "addIndicator",
            json!({ "resultId": result, "title": "operadoras y operadores de frontera capacitados", "measure": "UNIT", "baseline": "0", "baselineYear": 2026, "target": "25" }),
        )
        .await
        .data();
        let indicators = self
            .app
            .graphql(
                Some(reader),
                "query ($id: ID!) { project(id: $id) { results { indicators { id } } } }",
                json!({ "id": self.funded["id"] }),
            )
            .await;
        indicators.data()["project"]["results"][0]["indicators"][0]["id"].clone()
    }

    /// Two projects reported by OIM: one funded by PRM, one by UNODC.
    async fn new() -> Self {
        let app = TestApp::spawn().await;
        let secretariat = app.secretariat().await;
        let oim = partner(
            &app,
            "OIM",
            "XM-DAC-47066",
            AgencyKind::InternationalOrganization,
        )
        .await;
        let prm = partner(&app, "PRM", "US-GOV-11", AgencyKind::ForeignGovernment).await;
        let unodc = partner(
            &app,
            "UNODC",
            "XM-DAC-41121",
            AgencyKind::InternationalOrganization,
        )
        .await;
        let mimp = app.agency("MIMP", Membership::Member).await;
        let donor = app
            .user("officer@prm.example", Role::Donor, Some(&prm))
            .await;
        let other_donor = app
            .user("officer@unodc.example", Role::Donor, Some(&unodc))
            .await;
        let implementer = app
            .user("focal@oim.example", Role::Agency, Some(&oim))
            .await;
        let outsider = app
            .user("focal@mimp.example", Role::Agency, Some(&mimp))
            .await;
        let mut projects = Vec::new();
        for (own, funder) in [("PE-TUMBES-2026", &prm), ("PE-MDD-2027", &unodc)] {
            let created = create(
                &app,
                &secretariat.token,
                json!({ "iatiIdentifier": format!("XM-DAC-47066-{own}"), "reportingAgencyId": oim.id.to_string(), "title": format!("Proyecto {own}"),
                        "status": "IMPLEMENTATION", "currency": "USD", "plannedStart": "2026-01-01", "plannedEnd": "2026-12-31",
                        "regions": ["Tumbes"], "sectors": ["15190"] }),
            )
            .await;
            let project = created.data()["createProject"]["project"].clone();
            for (agency, role) in [(funder, "FUNDING"), (&oim, "IMPLEMENTING")] {
                call(&app, &secretariat.token, "addProjectParticipant", json!({ "projectId": project["id"], "agencyId": agency.id.to_string(), "role": role })).await.data();
            }
            projects.push(project);
        }
        let unfunded = projects.pop().unwrap();
        let funded = projects.pop().unwrap();
        Self {
            app,
            secretariat,
            oim,
            prm,
            donor,
            other_donor,
            implementer,
            outsider,
            funded,
            unfunded,
        }
    }
}

#[tokio::test]
async fn donors_reach_only_what_they_fund_by_every_path() {
    let f = Funded::new().await;
    // An action item on each project.
    let mut items = Vec::new();
    for project in [&f.funded, &f.unfunded] {
        let created = f
            .app
            .graphql(
                Some(&f.secretariat.token),
                "mutation ($a: ID!, $p: ID!) { createActionItem(input: { title: \"Informe\", responsibleAgencyId: $a, dueOn: \"2030-01-01\", projectId: $p }) { actionItem { id } } }",
                json!({ "a": f.oim.id.to_string(), "p": project["id"] }),
            )
            .await;
        items.push(created.data()["createActionItem"]["actionItem"]["id"].clone());
    }
    let item = "query ($id: ID!) { actionItem(id: $id) { title status project { id } } }";
    let funded_item = f
        .app
        .graphql(Some(&f.donor.token), item, json!({ "id": items[0] }))
        .await;
    assert_eq!(
        funded_item.data()["actionItem"]["project"]["id"],
        f.funded["id"]
    );
    let unfunded_item = f
        .app
        .graphql(Some(&f.donor.token), item, json!({ "id": items[1] }))
        .await;
    assert_eq!(unfunded_item.code(), "FORBIDDEN");
    let unseen_project = f
        .app
        .graphql(Some(&f.outsider.token), item, json!({ "id": items[1] }))
        .await;
    assert_eq!(
        unseen_project.data()["actionItem"]["project"],
        json!(null),
        "agencies read every item, not every project"
    );
    let list = f.app.graphql(Some(&f.donor.token), "{ projects { totalCount edges { node { iatiIdentifier actionItems { title status project { id } } } } } }", json!({})).await;
    assert_eq!(list.data()["projects"]["totalCount"], 1);
    let node = &list.data()["projects"]["edges"][0]["node"];
    assert_eq!(node["iatiIdentifier"], f.funded["iatiIdentifier"]);
    assert_eq!(node["actionItems"][0]["project"]["id"], f.funded["id"]);

    let direct = f
        .app
        .graphql(
            Some(&f.donor.token),
            "query ($id: ID!) { project(id: $id) { title } }",
            json!({ "id": f.unfunded["id"] }),
        )
        .await;
    assert_eq!(direct.code(), "FORBIDDEN");
    let filtered = f
        .app
        .graphql(
            Some(&f.donor.token),
            "query ($a: ID!) { projects(filter: { agencyId: $a }) { totalCount } }",
            json!({ "a": f.oim.id.to_string() }),
        )
        .await;
    assert_eq!(
        filtered.data()["projects"]["totalCount"],
        1,
        "a filter never widens the scope"
    );
    for query in [
        "{ actionItems { totalCount } }",
        "{ meetings { totalCount } }",
        r#"{ agency(acronym: "OIM") { actionItems { totalCount } } }"#,
        r#"{ agency(acronym: "OIM") { representatives { email } } }"#,
    ] {
        let response = f.app.graphql(Some(&f.donor.token), query, json!({})).await;
        assert_eq!(response.code(), "FORBIDDEN", "{query}");
    }
    let other = f
        .app
        .graphql(
            Some(&f.other_donor.token),
            "{ projects { edges { node { iatiIdentifier } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        other.data()["projects"]["edges"][0]["node"]["iatiIdentifier"],
        f.unfunded["iatiIdentifier"]
    );

    let outsider = f
        .app
        .graphql(
            Some(&f.outsider.token),
            "{ projects { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        outsider.data()["projects"]["totalCount"],
        0,
        "MIMP takes part in no project"
    );

    let (status, _, body) = f
        .app
        .send(
            Request::get("/iati/activities.xml")
                .header(header::AUTHORIZATION, format!("Bearer {}", f.donor.token))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let xml = String::from_utf8(body).unwrap();
    assert!(xml.contains("XM-DAC-47066-PE-TUMBES-2026"));
    assert!(
        !xml.contains("XM-DAC-47066-PE-MDD-2027"),
        "the export keeps to what the donor funds"
    );
    let anonymous = f
        .app
        .send(
            Request::get("/iati/activities.xml")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(anonymous.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn implementers_report_and_only_the_secretariat_manages_money() {
    let f = Funded::new().await;
    let indicator_id = f.indicator(&f.implementer.token).await;

    let progress = json!({ "indicatorId": indicator_id, "periodStart": "2026-01-01", "periodEnd": "2026-06-30", "actual": "12", "comment": "Primer curso" });
    call(
        &f.app,
        &f.implementer.token,
        "recordIndicatorProgress",
        progress.clone(),
    )
    .await
    .data();
    let denied = call(
        &f.app,
        &f.outsider.token,
        "recordIndicatorProgress",
        progress,
    )
    .await;
    assert_eq!(denied.code(), "FORBIDDEN");
    let achieved = f
        .app
        .graphql(Some(&f.donor.token), "query ($id: ID!) { project(id: $id) { results { indicators { actual percentAchieved periods { actual comment } } } } }", json!({ "id": f.funded["id"] }))
        .await;
    let indicator = &achieved.data()["project"]["results"][0]["indicators"][0];
    assert_eq!(indicator["actual"], "12");
    assert_eq!(indicator["percentAchieved"], "48.00");

    call(
        &f.app,
        &f.implementer.token,
        "addMilestone",
        json!({ "projectId": f.funded["id"], "title": "Primer curso", "plannedOn": "2026-03-31" }),
    )
    .await
    .data();
    call(&f.app, &f.implementer.token, "submitProjectReport", json!({ "projectId": f.funded["id"], "periodStart": "2026-01-01", "periodEnd": "2026-06-30", "narrative": "Avance según lo previsto", "risks": "Rotación de personal" })).await.data();
    let money = call(&f.app, &f.implementer.token, "addBudgetLine", json!({ "projectId": f.funded["id"], "periodStart": "2026-01-01", "periodEnd": "2026-12-31", "amount": "1000" })).await;
    assert_eq!(money.code(), "FORBIDDEN");
    let donor_write = call(&f.app, &f.donor.token, "submitProjectReport", json!({ "projectId": f.funded["id"], "periodStart": "2026-01-01", "periodEnd": "2026-06-30", "narrative": "x" })).await;
    assert_eq!(donor_write.code(), "FORBIDDEN");
}

#[tokio::test]
async fn money_figures_are_exact_decimals() {
    let f = Funded::new().await;
    let id = &f.funded["id"];
    for (kind, amount) in [("ORIGINAL", "100000.00"), ("REVISED", "125000.10")] {
        call(&f.app, &f.secretariat.token, "addBudgetLine", json!({ "projectId": id, "periodStart": "2026-01-01", "periodEnd": "2026-12-31", "amount": amount, "kind": kind })).await.data();
    }
    for (kind, amount) in [
        ("COMMITMENT", "125000.10"),
        ("DISBURSEMENT", "0.10"),
        ("DISBURSEMENT", "0.20"),
        ("EXPENDITURE", "31250.025"),
    ] {
        let response = call(&f.app, &f.secretariat.token, "recordTransaction", json!({ "projectId": id, "type": kind, "date": "2026-03-01", "amount": amount, "providerAgencyId": f.prm.id.to_string() })).await;
        if amount == "31250.025" {
            assert_eq!(
                response.field(),
                "amount",
                "more than two decimals is refused"
            );
        } else {
            response.data();
        }
    }
    call(&f.app, &f.secretariat.token, "recordTransaction", json!({ "projectId": id, "type": "EXPENDITURE", "date": "2026-03-01", "amount": "31250.03" })).await.data();
    let figures = f
        .app
        .graphql(
            Some(&f.donor.token),
            &format!("query ($id: ID!) {{ project(id: $id) {{ {PROJECT} }} }}"),
            json!({ "id": id }),
        )
        .await;
    let project = &figures.data()["project"];
    assert_eq!(
        project["budget"], "125000.10",
        "the revised line replaces the original"
    );
    assert_eq!(project["committed"], "125000.10");
    assert_eq!(project["disbursed"], "0.30", "0.10 + 0.20, exactly");
    assert_eq!(project["spent"], "31250.03");
    assert_eq!(project["burnRate"], "25.00");
}

#[tokio::test]
async fn bad_project_input_is_refused_naming_the_field() {
    let f = Funded::new().await;
    let base = json!({ "iatiIdentifier": "XM-DAC-47066-PE-NEW", "reportingAgencyId": f.oim.id.to_string(), "title": "Nuevo", "currency": "USD" });
    let with = |patch: Value| cmnp_tests::merged(&base, patch);
    for (input, field) in [
        (
            with(json!({ "iatiIdentifier": "US-GOV-11-PE-NEW" })),
            "iatiIdentifier",
        ),
        (
            with(json!({ "iatiIdentifier": f.funded["iatiIdentifier"] })),
            "iatiIdentifier",
        ),
        (with(json!({ "currency": "XYZ" })), "currency"),
        (
            with(json!({ "plannedStart": "2026-06-01", "plannedEnd": "2026-05-31" })),
            "plannedEnd",
        ),
        (with(json!({ "sectors": ["1519"] })), "sectors"),
        (
            with(
                json!({ "reportingAgencyId": f.app.agency("MINSA", Membership::Member).await.id.to_string() }),
            ),
            "reportingAgencyId",
        ),
    ] {
        let response = create(&f.app, &f.secretariat.token, input.clone()).await;
        assert_eq!(response.code(), "BAD_USER_INPUT", "{input}");
        assert_eq!(response.field(), field, "{input}");
    }
    let id = &f.funded["id"];
    for (mutation, input, field) in [
        (
            "addBudgetLine",
            json!({ "projectId": id, "periodStart": "2026-01-01", "periodEnd": "2026-12-31", "amount": "-1" }),
            "amount",
        ),
        (
            "addBudgetLine",
            json!({ "projectId": id, "periodStart": "2026-01-01", "periodEnd": "2026-12-31", "amount": "1", "currency": "PEN" }),
            "currency",
        ),
        (
            "addBudgetLine",
            json!({ "projectId": id, "periodStart": "2026-12-31", "periodEnd": "2026-01-01", "amount": "1" }),
            "periodEnd",
        ),
        (
            "recordTransaction",
            json!({ "projectId": id, "type": "EXPENDITURE", "date": "2026-03-01", "amount": "10", "currency": "ABC" }),
            "currency",
        ),
        (
            "addMilestone",
            json!({ "projectId": id, "title": " ", "plannedOn": "2026-03-01" }),
            "title",
        ),
    ] {
        let response = call(&f.app, &f.secretariat.token, mutation, input.clone()).await;
        assert_eq!(response.code(), "BAD_USER_INPUT", "{mutation} {input}");
        assert_eq!(response.field(), field, "{mutation} {input}");
    }
    let result = f.result("OUTCOME", "Cobertura").await;
    let over = call(&f.app, &f.secretariat.token, "addIndicator", json!({ "resultId": result, "title": "Cobertura", "measure": "PERCENTAGE", "baseline": "10", "target": "120" })).await;
    assert_eq!(over.code(), "BAD_USER_INPUT");
    assert_eq!(over.field(), "target");

    let renamed = f
        .app
        .graphql(
            Some(&f.secretariat.token),
            "mutation ($id: ID!) { updateProject(input: { id: $id, iatiIdentifier: \"XM-DAC-47066-PE-OTRO\" }) { project { id } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        renamed.field(),
        "iatiIdentifier",
        "fixed once the project left PIPELINE"
    );
}

#[tokio::test]
async fn the_iati_export_validates_against_the_official_schema() {
    let f = Funded::new().await;
    let id = &f.funded["id"];
    call(&f.app, &f.secretariat.token, "addBudgetLine", json!({ "projectId": id, "periodStart": "2026-01-01", "periodEnd": "2026-12-31", "amount": "125000" })).await.data();
    call(&f.app, &f.secretariat.token, "recordTransaction", json!({ "projectId": id, "type": "INCOMING_FUNDS", "date": "2026-01-15", "amount": "125000", "providerAgencyId": f.prm.id.to_string(), "receiverAgencyId": f.oim.id.to_string() })).await.data();
    f.indicator(&f.secretariat.token).await;

    let (status, headers, body) = f
        .app
        .send(
            Request::get("/iati/activities.xml")
                .header(
                    header::AUTHORIZATION,
                    format!("Bearer {}", f.secretariat.token),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let xml = String::from_utf8(body).unwrap();
    assert!(
        xml.contains("XM-DAC-47066-PE-TUMBES-2026") && xml.contains("XM-DAC-47066-PE-MDD-2027")
    );
    cmnp_tests::assert_valid_iati(&xml);
}

#[tokio::test]
async fn targets_stay_with_the_secretariat_and_values_stay_in_range() {
    let f = Funded::new().await;
    let id = &f.funded["id"];
    let indicator = f.indicator(&f.secretariat.token).await;
    let period = |extra: Value| {
        cmnp_tests::merged(
            &json!({ "indicatorId": indicator, "periodStart": "2026-01-01", "periodEnd": "2026-06-30" }),
            extra,
        )
    };
    call(
        &f.app,
        &f.secretariat.token,
        "recordIndicatorProgress",
        period(json!({ "target": "10" })),
    )
    .await
    .data();
    let retarget = call(
        &f.app,
        &f.implementer.token,
        "recordIndicatorProgress",
        period(json!({ "target": "5", "actual": "5" })),
    )
    .await;
    assert_eq!(retarget.code(), "FORBIDDEN");
    call(
        &f.app,
        &f.implementer.token,
        "recordIndicatorProgress",
        period(json!({ "actual": "5" })),
    )
    .await
    .data();
    let periods = f
        .app
        .graphql(Some(&f.secretariat.token), "query ($id: ID!) { project(id: $id) { results { indicators { periods { target actual percentAchieved } } } } }", json!({ "id": id }))
        .await;
    assert_eq!(
        periods.data()["project"]["results"][0]["indicators"][0]["periods"],
        json!([{ "target": "10", "actual": "5", "percentAchieved": "50.00" }]),
        "the implementer's report keeps the secretariat's target"
    );
    let huge = call(
        &f.app,
        &f.implementer.token,
        "recordIndicatorProgress",
        period(json!({ "actual": "79228162514264337593543950335" })),
    )
    .await;
    assert_eq!(huge.code(), "BAD_USER_INPUT");
    assert_eq!(huge.field(), "actual");
    let number = f
        .app
        .graphql(
            Some(&f.secretariat.token),
            "mutation ($id: ID!) { addBudgetLine(input: { projectId: $id, periodStart: \"2026-01-01\", periodEnd: \"2026-12-31\", amount: 12345678901234567.89 }) { project { id } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        number.code(),
        "BAD_USER_INPUT",
        "money is written as a string, never a float"
    );
    let back = f
        .app
        .graphql(Some(&f.secretariat.token), "mutation ($id: ID!) { updateProject(input: { id: $id, status: PIPELINE }) { project { id } } }", json!({ "id": id }))
        .await;
    assert_eq!(
        back.field(),
        "status",
        "the identifier stays fixed: no way back to PIPELINE"
    );
}

#[tokio::test]
async fn donors_read_only_title_and_status_of_linked_items() {
    let f = Funded::new().await;
    f.app
        .graphql(
            Some(&f.secretariat.token),
            "mutation ($a: ID!, $p: ID!) { createActionItem(input: { title: \"Informe a PRM\", description: \"Detalle interno\", responsibleAgencyId: $a, dueOn: \"2030-01-01\", projectId: $p }) { actionItem { id } } }",
            json!({ "a": f.oim.id.to_string(), "p": f.funded["id"] }),
        )
        .await
        .data();
    let summary = f
        .app
        .graphql(
            Some(&f.donor.token),
            "query ($id: ID!) { project(id: $id) { actionItems { reference title status } } }",
            json!({ "id": f.funded["id"] }),
        )
        .await;
    assert_eq!(
        summary.data()["project"]["actionItems"][0]["title"],
        "Informe a PRM"
    );
    for field in [
        "description",
        "dueOn",
        "version",
        "responsible { acronym }",
        "history { note }",
    ] {
        let detail = f
            .app
            .graphql(
                Some(&f.donor.token),
                &format!("query ($id: ID!) {{ project(id: $id) {{ actionItems {{ {field} }} }} }}"),
                json!({ "id": f.funded["id"] }),
            )
            .await;
        assert_eq!(detail.code(), "FORBIDDEN", "{field}");
        assert!(
            !detail.body.to_string().contains("Detalle interno"),
            "{field}"
        );
    }
    let inferred = create(
        &f.app,
        &f.secretariat.token,
        json!({ "iatiIdentifier": "XM-DAC-47066-PE-INFERIDO", "title": "Sin agencia informante explícita", "currency": "USD" }),
    )
    .await;
    assert_eq!(
        inferred.data()["createProject"]["project"]["iatiIdentifier"],
        "XM-DAC-47066-PE-INFERIDO",
        "OIM's reference starts it"
    );
}

#[tokio::test]
async fn a_change_to_a_project_part_returns_the_project_as_it_left_it() {
    let f = Funded::new().await;
    let id: uuid::Uuid = f.funded["id"].as_str().unwrap().parse().unwrap();
    let store = &f.app.store;
    let before = store.project(id).await.unwrap().unwrap();
    let line = cmnp_domain::project::NewBudgetLine {
        period_start: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        period_end: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        money: cmnp_domain::project::MoneyInput {
            amount: "1000.50".parse().unwrap(),
            currency: None,
        },
        kind: cmnp_domain::project::BudgetKind::Original,
        status: cmnp_domain::project::BudgetStatus::Committed,
    };
    let returned = store.add_budget_line(None, id, line).await.unwrap();
    let stored = store.project(id).await.unwrap().unwrap();
    assert!(returned.updated_at > before.updated_at, "{returned:?}");
    assert_eq!(returned, stored, "what was returned is what is stored");

    let returned = store
        .add_result(
            None,
            id,
            cmnp_domain::project::ResultType::Output,
            "Operadores capacitados",
        )
        .await
        .unwrap();
    assert!(returned.updated_at > stored.updated_at, "{returned:?}");
    assert_eq!(returned, store.project(id).await.unwrap().unwrap());
    assert_eq!(
        (before.version, stored.version, returned.version),
        (before.version, before.version + 1, before.version + 2),
        "every change to a part advances the project's version"
    );
}

#[tokio::test]
async fn a_project_change_against_an_older_version_gets_conflict_and_changes_nothing() {
    let f = Funded::new().await;
    async fn read(f: &Funded) -> Value {
        let query = "query ($id: ID!) { project(id: $id) { title version } }";
        f.app
            .graphql(
                Some(&f.secretariat.token),
                query,
                json!({ "id": f.funded["id"] }),
            )
            .await
            .data()["project"]
            .clone()
    }
    let seen = read(&f).await;
    let version = seen["version"].as_i64().unwrap();
    assert_eq!(version, 3, "created, then its two participants added");
    let update = "mutation ($input: UpdateProjectInput!) { updateProject(input: $input) { project { title version } } }";
    let first = f
        .app
        .graphql(
            Some(&f.secretariat.token),
            update,
            json!({ "input": { "id": f.funded["id"], "expectedVersion": version, "title": "Capacitación en Tumbes" } }),
        )
        .await;
    assert_eq!(
        first.data()["updateProject"]["project"],
        json!({ "title": "Capacitación en Tumbes", "version": version + 1 })
    );
    let stale = f
        .app
        .graphql(
            Some(&f.secretariat.token),
            update,
            json!({ "input": { "id": f.funded["id"], "expectedVersion": version, "title": "Otro título" } }),
        )
        .await;
    assert_eq!(stale.code(), "CONFLICT");
    assert_eq!(
        read(&f).await,
        json!({ "title": "Capacitación en Tumbes", "version": version + 1 })
    );
}

#[tokio::test]
async fn an_indicators_periods_and_a_projects_transactions_stop_at_their_bounds() {
    use sea_orm::ConnectionTrait;

    let f = Funded::new().await;
    let id = f.funded["id"].as_str().unwrap();
    let indicator = f.indicator(&f.secretariat.token).await;
    let report = "mutation ($input: RecordIndicatorProgressInput!) { recordIndicatorProgress(input: $input) { project { id } } }";
    let month = |n: i32| {
        let start =
            chrono::NaiveDate::from_ymd_opt(2010 + n / 12, u32::try_from(n % 12).unwrap() + 1, 1)
                .unwrap();
        json!({ "indicatorId": indicator, "periodStart": start.to_string(),
                "periodEnd": (start + chrono::Duration::days(27)).to_string(), "actual": "1" })
    };
    for n in 0..240 {
        f.app
            .graphql(
                Some(&f.secretariat.token),
                report,
                json!({ "input": month(n) }),
            )
            .await
            .data();
    }
    let over = f
        .app
        .graphql(
            Some(&f.secretariat.token),
            report,
            json!({ "input": month(240) }),
        )
        .await;
    assert_eq!(
        (over.code(), over.field()),
        ("BAD_USER_INPUT", "indicatorId")
    );
    assert!(
        over.error()["message"]
            .as_str()
            .unwrap()
            .contains("holds 240 periods")
    );
    // A period already reported is still corrected at the bound.
    f.app
        .graphql(
            Some(&f.secretariat.token),
            report,
            json!({ "input": cmnp_tests::merged(&month(0), json!({ "actual": "2" })) }),
        )
        .await
        .data();
    let read = f
        .app
        .graphql(
            Some(&f.secretariat.token),
            "query ($id: ID!) { project(id: $id) { results { indicators { periods { actual } } } } }",
            json!({ "id": id }),
        )
        .await;
    let periods = read.data()["project"]["results"][0]["indicators"][0]["periods"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(periods.len(), 240);

    // 999 transactions written straight to the table, then the thousandth through the
    // API: the next one is refused.
    let db = f.app.store.connection();
    let insert = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => format!(
            "INSERT INTO transactions (id, project_id, kind, date, amount, currency) \
             SELECT gen_random_uuid(), '{id}', 'EXPENDITURE', DATE '2026-03-01', '1', 'USD' \
             FROM generate_series(1, 999)"
        ),
        _ => format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 999) \
             INSERT INTO transactions (id, project_id, kind, date, amount, currency) \
             SELECT randomblob(16), X'{}', 'EXPENDITURE', '2026-03-01', '1', 'USD' FROM n",
            id.replace('-', "")
        ),
    };
    db.execute_unprepared(&insert).await.unwrap();
    let record = |amount: &str| json!({ "projectId": id, "type": "EXPENDITURE", "date": "2026-03-02", "amount": amount });
    call(
        &f.app,
        &f.secretariat.token,
        "recordTransaction",
        record("1"),
    )
    .await
    .data();
    let refused = call(
        &f.app,
        &f.secretariat.token,
        "recordTransaction",
        record("1"),
    )
    .await;
    assert_eq!(
        (refused.code(), refused.field()),
        ("BAD_USER_INPUT", "projectId")
    );
    let read = f
        .app
        .graphql(
            Some(&f.secretariat.token),
            "query ($id: ID!) { project(id: $id) { spent transactions { id } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        read.data()["project"]["transactions"]
            .as_array()
            .unwrap()
            .len(),
        1_000
    );
    assert_eq!(read.data()["project"]["spent"], "1000.00");
}
