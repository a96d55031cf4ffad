//! The policy of every root query.

use serde_json::json;

use super::{A, F, Hidden, MIMP, Rule, U, call, rule};

pub(super) fn queries() -> Vec<Rule> {
    vec![
        rule("me", [Hidden, A, A, A, A, A], |s| {
            call(&s.token, "{ me { id } }", json!({}))
        }),
        rule("agencies", [U, A, A, A, A, A], |s| {
            call(
                &s.token,
                r#"{ agencies(filter: { search: "MIMP" }) { edges { node { id } } } }"#,
                json!({}),
            )
            .listing(&s.demo.mimp)
        }),
        rule("agency", [U, A, A, A, A, A], |s| {
            call(
                &s.token,
                "query ($id: ID!) { agency(id: $id) { id } }",
                json!({ "id": s.demo.mimp }),
            )
        }),
        rule("users", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "{ users(first: 100) { edges { node { id } } } }",
                json!({}),
            )
            .listing(&s.demo.users[MIMP])
        }),
        rule("auditEvents", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "{ auditEvents(first: 1) { edges { node { id } } } }",
                json!({}),
            )
        }),
        // An agency lists only the sessions it is invited to; donors see no sessions.
        rule("meetings", [U, A, Hidden, F, F, A], |s| {
            call(
                &s.token,
                "{ meetings(first: 100) { edges { node { id } } } }",
                json!({}),
            )
            .listing(&s.demo.session)
        }),
        // Any object by its id alone, through its type's read rule: what the actor may not
        // see is null, as if no object had the id.
        rule("node", [U, A, Hidden, Hidden, Hidden, A], |s| {
            call(
                &s.token,
                "query ($id: ID!) { node(id: $id) { id ... on Meeting { title } } }",
                json!({ "id": s.demo.session }),
            )
        }),
        rule("nodes", [U, A, Hidden, Hidden, Hidden, A], |s| {
            call(
                &s.token,
                "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
                json!({ "ids": [s.demo.session] }),
            )
            .listing(&s.demo.session)
        }),
        rule("meeting", [U, A, F, F, F, A], |s| {
            call(
                &s.token,
                "query ($id: ID!) { meeting(id: $id) { id } }",
                json!({ "id": s.demo.session }),
            )
        }),
        rule("agreement", [U, A, F, F, F, A], |s| {
            call(
                &s.token,
                "query ($id: ID!) { agreement(id: $id) { id } }",
                json!({ "id": s.demo.agreement }),
            )
        }),
        // Every agency reads every item. A donor reads the items linked to what it funds
        // through those projects (and by id), never through the commission's list.
        rule("actionItems", [U, A, A, F, F, A], |s| {
            call(
                &s.token,
                "{ actionItems(first: 100) { edges { node { id } } } }",
                json!({}),
            )
            .listing(s.item)
        }),
        rule("actionItem", [U, A, A, A, F, A], |s| {
            call(
                &s.token,
                "query ($id: ID!) { actionItem(id: $id) { id } }",
                json!({ "id": s.item }),
            )
        }),
        // The list holds only the projects the reader takes part in or funds.
        rule("projects", [U, A, Hidden, A, Hidden, A], |s| {
            call(
                &s.project_token,
                "{ projects(first: 100) { edges { node { id } } } }",
                json!({}),
            )
            .listing(&s.project.id)
        }),
        rule("project", [U, A, F, A, F, A], |s| {
            call(
                &s.project_token,
                "query ($id: ID!) { project(id: $id) { id } }",
                json!({ "id": s.project.id }),
            )
        }),
        rule("emailDeliveries", [U, F, F, F, F, A], |s| {
            call(
                &s.token,
                "{ emailDeliveries(first: 1) { edges { node { id } } } }",
                json!({}),
            )
        }),
        rule("webhooks", [U, F, F, F, F, A], |s| {
            call(&s.token, "{ webhooks { id url } }", json!({}))
        }),
        rule("nonWorkingDays", [U, A, A, A, A, A], |s| {
            call(
                &s.token,
                r#"{ nonWorkingDays(from: "2027-01-01", to: "2027-12-31") { date } }"#,
                json!({}),
            )
        }),
        rule("workingDaysAfter", [U, A, A, A, A, A], |s| {
            call(
                &s.token,
                r#"{ workingDaysAfter(days: 5, after: "2027-03-22") }"#,
                json!({}),
            )
        }),
    ]
}
