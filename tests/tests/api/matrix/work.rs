//! The policy of the mutations on the commission's work: action items, and the projects
//! that fund it.

use serde_json::{Value, json};

use super::{A, B, F, NOT_AN_ID, Rule, U, call, days_from_today, rule};

pub(super) fn work_mutations() -> Vec<Rule> {
    vec![
        rule("createActionItem", [U, F, F, F, F, A], |s| {
            call(&s.token, CREATE_ITEM, item_input(&s.demo.mimp, None))
        })
        .invalid(|s| {
            let mut input = item_input(&s.demo.mimp, None);
            input["input"]["title"] = json!("");
            call(&s.token, CREATE_ITEM, input)
        }),
        rule("updateActionItem", [U, A, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!, $version: Int!) { updateActionItem(input: {
                    id: $id, expectedVersion: $version, note: \"Avance revisado\" }) { actionItem { id } } }",
                json!({ "id": s.item, "version": s.item_version }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!, $version: Int!) { updateActionItem(input: {
                    id: $id, expectedVersion: $version, progressPercent: 150 }) { actionItem { id } } }",
                json!({ "id": s.item, "version": s.item_version }),
            )
        })
        // Donors, who update no item, are refused before anything they send is read; an
        // id that is not one names no item to refuse the other agency on.
        .invalid_answering([U, B, B, F, F, B], |s| {
            call(
                &s.token,
                "mutation ($id: ID!, $version: Int!) { updateActionItem(input: {
                    id: $id, expectedVersion: $version, note: \"Avance revisado\" }) { actionItem { id } } }",
                json!({ "id": NOT_AN_ID, "version": s.item_version }),
            )
        })
        // The responsible agency is part of the plan, which only the secretariat changes:
        // everyone else is refused whatever agency is named.
        .invalid_answering([U, F, F, F, F, B], |s| {
            call(
                &s.token,
                "mutation ($id: ID!, $version: Int!, $agency: ID!) { updateActionItem(input: {
                    id: $id, expectedVersion: $version, responsibleAgencyId: $agency }) { actionItem { id } } }",
                json!({ "id": s.item, "version": s.item_version, "agency": NOT_AN_ID }),
            )
        }),
        rule("cancelActionItem", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "mutation ($id: ID!, $version: Int!) { cancelActionItem(input: {
                    id: $id, expectedVersion: $version, reason: \"Compromiso de prueba\" }) { actionItem { id } } }",
                json!({ "id": s.demo.cancellable_item, "version": s.cancellable_version }),
            )
        })
        .invalid(|s| {
            call(
                &s.token,
                "mutation ($id: ID!, $version: Int!) { cancelActionItem(input: {
                    id: $id, expectedVersion: $version, reason: \"\" }) { actionItem { id } } }",
                json!({ "id": s.demo.cancellable_item, "version": s.cancellable_version }),
            )
        }),
    ]
}

pub(super) fn project_mutations() -> Vec<Rule> {
    let secretariat_only = [U, F, F, F, F, A];
    // Implementers report on their projects; donors read and never write.
    let reporters = [U, A, F, F, F, A];
    // Donors, who report on nothing, are refused before anything they send is read; the
    // agency refused on this project is refused before its values are, but an id that is
    // not one names nothing to refuse it on.
    let reporters_unnamed = [U, B, B, F, F, B];
    vec![
        rule("createProject", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: String!) { createProject(input: {
                    iatiIdentifier: $id, title: \"Proyecto de prueba\", currency: \"USD\" }) { project { id } } }",
                json!({ "id": format!("XM-DAC-47066-MATRIZ-{}", s.n) }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: String!) { createProject(input: {
                    iatiIdentifier: $id, title: \"Proyecto de prueba\", currency: \"DOLARES\" }) { project { id } } }",
                json!({ "id": format!("XM-DAC-47066-MATRIZ-{}", s.n) }),
            )
        }),
        rule("updateProject", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { updateProject(input: { id: $id, description: \"Descripción revisada.\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { updateProject(input: { id: $id, title: \"\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        }),
        rule("addProjectParticipant", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $agency: ID!) { addProjectParticipant(input: {
                    projectId: $id, agencyId: $agency, role: EXTENDING }) { project { id } } }",
                json!({ "id": s.project.id, "agency": s.demo.oim }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $agency: ID!) { addProjectParticipant(input: {
                    projectId: $id, agencyId: $agency, role: EXTENDING }) { project { id } } }",
                json!({ "id": s.project.id, "agency": NOT_AN_ID }),
            )
        }),
        rule("addBudgetLine", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { addBudgetLine(input: { projectId: $id, periodStart: \"2026-01-01\",
                    periodEnd: \"2026-12-31\", amount: \"1000.00\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { addBudgetLine(input: { projectId: $id, periodStart: \"2026-01-01\",
                    periodEnd: \"2026-12-31\", amount: \"-1000.00\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        }),
        rule("recordTransaction", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { recordTransaction(input: { projectId: $id, type: EXPENDITURE,
                    date: \"2026-02-01\", amount: \"10.00\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { recordTransaction(input: { projectId: $id, type: EXPENDITURE,
                    date: \"2026-02-01\", amount: \"-10.00\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        }),
        rule("addResult", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { addResult(input: { projectId: $id, type: OUTCOME,
                    title: \"Resultado de prueba\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { addResult(input: { projectId: $id, type: OUTCOME,
                    title: \"\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        }),
        rule("addIndicator", secretariat_only, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { addIndicator(input: { resultId: $id, title: \"Indicador de prueba\",
                    measure: UNIT, baseline: \"0\", target: \"5\" }) { project { id } } }",
                json!({ "id": s.project.result }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { addIndicator(input: { resultId: $id, title: \"Indicador de prueba\",
                    measure: UNIT, baseline: \"0\", target: \"-5\" }) { project { id } } }",
                json!({ "id": s.project.result }),
            )
        }),
        rule("recordIndicatorProgress", reporters, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { recordIndicatorProgress(input: { indicatorId: $id,
                    periodStart: \"2026-01-01\", periodEnd: \"2026-03-31\", actual: \"3\" }) { project { id } } }",
                json!({ "id": s.project.indicator }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { recordIndicatorProgress(input: { indicatorId: $id,
                    periodStart: \"2026-03-31\", periodEnd: \"2026-01-01\", actual: \"3\" }) { project { id } } }",
                json!({ "id": s.project.indicator }),
            )
        })
        .invalid_answering(reporters_unnamed, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { recordIndicatorProgress(input: { indicatorId: $id,
                    periodStart: \"2026-01-01\", periodEnd: \"2026-03-31\", actual: \"3\" }) { project { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        })
        // Targets are the secretariat's: an implementer sending one is refused whatever
        // its value.
        .invalid_answering([U, F, F, F, F, B], |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { recordIndicatorProgress(input: { indicatorId: $id,
                    periodStart: \"2026-01-01\", periodEnd: \"2026-03-31\", target: \"-3\" }) { project { id } } }",
                json!({ "id": s.project.indicator }),
            )
        }),
        rule("addMilestone", reporters, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $on: Date!) { addMilestone(input: {
                    projectId: $id, title: \"Hito de prueba\", plannedOn: $on }) { project { id } } }",
                json!({ "id": s.project.id, "on": days_from_today(30) }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $on: Date!) { addMilestone(input: {
                    projectId: $id, title: \"\", plannedOn: $on }) { project { id } } }",
                json!({ "id": s.project.id, "on": days_from_today(30) }),
            )
        })
        .invalid_answering(reporters_unnamed, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $on: Date!) { addMilestone(input: {
                    projectId: $id, title: \"Hito de prueba\", plannedOn: $on }) { project { id } } }",
                json!({ "id": NOT_AN_ID, "on": days_from_today(30) }),
            )
        }),
        // Any day may be the one a milestone was done on: its id is what can be wrong.
        rule("completeMilestone", reporters, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $on: Date!) { completeMilestone(input: { id: $id, doneOn: $on }) { project { id } } }",
                json!({ "id": s.project.milestone, "on": days_from_today(0) }),
            )
        })
        .invalid_answering(reporters_unnamed, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!, $on: Date!) { completeMilestone(input: { id: $id, doneOn: $on }) { project { id } } }",
                json!({ "id": NOT_AN_ID, "on": days_from_today(0) }),
            )
        }),
        rule("submitProjectReport", reporters, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { submitProjectReport(input: { projectId: $id, periodStart: \"2026-01-01\",
                    periodEnd: \"2026-03-31\", narrative: \"Informe de prueba.\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        })
        .invalid(|s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { submitProjectReport(input: { projectId: $id, periodStart: \"2026-03-31\",
                    periodEnd: \"2026-01-01\", narrative: \"Informe de prueba.\" }) { project { id } } }",
                json!({ "id": s.project.id }),
            )
        })
        .invalid_answering(reporters_unnamed, |s| {
            call(
                &s.project_token,
                "mutation ($id: ID!) { submitProjectReport(input: { projectId: $id, periodStart: \"2026-01-01\",
                    periodEnd: \"2026-03-31\", narrative: \"Informe de prueba.\" }) { project { id } } }",
                json!({ "id": NOT_AN_ID }),
            )
        }),
        // A project's documents are attached by those who report on it; the file's bytes
        // are what can be wrong, and they are looked at only once the owner allows it.
        rule("uploadDocument", reporters, |s| {
            call(&s.project_token, UPLOAD, json!({ "input": upload_input(&s.project.id) }))
                .uploading("informe.pdf", b"%PDF-1.4\n% informe de prueba\n")
        })
        .invalid(|s| {
            call(&s.project_token, UPLOAD, json!({ "input": upload_input(&s.project.id) }))
                .uploading("informe.pdf", b"<!DOCTYPE html><html><body>no</body></html>")
        })
        .invalid_answering(reporters_unnamed, |s| {
            call(&s.project_token, UPLOAD, json!({ "input": upload_input(NOT_AN_ID) }))
                .uploading("informe.pdf", b"%PDF-1.4\n% informe de prueba\n")
        }),
    ]
}

const UPLOAD: &str =
    "mutation ($input: UploadDocumentInput!) { uploadDocument(input: $input) { document { id } } }";

/// A report of `project`, its file null (the multipart request's map fills it).
fn upload_input(project: &str) -> Value {
    json!({ "ownerKind": "PROJECT", "ownerId": project, "title": "Informe de prueba",
            "category": "REPORT", "file": null })
}

pub(super) const CREATE_ITEM: &str = "mutation ($input: CreateActionItemInput!) { createActionItem(input: $input) { actionItem { id } } }";

/// An action item of `responsible`, linked to `project` if given, due in two months.
pub(super) fn item_input(responsible: &str, project: Option<&str>) -> Value {
    json!({ "input": {
        "title": "Compromiso de prueba",
        "responsibleAgencyId": responsible,
        "dueOn": days_from_today(60),
        "projectId": project,
    } })
}
