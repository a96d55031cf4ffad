//! A session from scheduling to approved minutes, quorum, and who sees what.

use chrono::Duration;
use serde_json::json;

use crate::work::{Commission, lima_today};

#[tokio::test]
async fn a_full_session_from_scheduling_to_approved_minutes() {
    let c = Commission::new().await;
    let first = c.schedule("ORDINARY", Duration::hours(-1), None).await;
    assert_eq!(first["number"], 1);
    let year = chrono::Datelike::year(&lima_today());
    assert_eq!(first["label"], format!("Sesión Ordinaria N° 1-{year}"));
    assert_eq!(first["timeZone"], "America/Lima");
    let invited: Vec<&str> = first["invitedAgencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["acronym"].as_str().unwrap())
        .collect();
    assert_eq!(
        invited,
        ["CHS", "MIMP", "MININTER", "MINSA", "PNP"],
        "all active members, not partners"
    );
    assert_eq!(first["agenda"][0]["kind"], "FOLLOW_UP");

    // The agenda: add two items, then put the second first.
    for (title, kind) in [
        ("Informe de la Secretaría Técnica", "INFORMATION"),
        ("Plan operativo 2027", "DECISION"),
    ] {
        c.as_secretariat(
            "mutation ($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { meeting { id } } }",
            json!({ "input": { "meetingId": first["id"], "title": title, "kind": kind, "presenterAgencyId": c.mininter.id.to_string(), "durationMinutes": 20 } }),
        )
        .await;
    }
    let agenda = c
        .as_secretariat(
            "query ($id: ID!) { meeting(id: $id) { agenda { id position title } } }",
            json!({ "id": first["id"] }),
        )
        .await;
    let plan_id = agenda["meeting"]["agenda"][2]["id"].clone();
    let moved = c
        .as_secretariat(
            "mutation ($id: ID!) { moveAgendaItem(input: { id: $id, position: 1 }) { meeting { agenda { position title } } } }",
            json!({ "id": plan_id }),
        )
        .await;
    let titles: Vec<&str> = moved["moveAgendaItem"]["meeting"]["agenda"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Plan operativo 2027",
            "Seguimiento de acuerdos y compromisos pendientes",
            "Informe de la Secretaría Técnica"
        ]
    );

    // Attendance: three of four voting members, and a non-voting member that never counts.
    c.attend(&first, &c.mininter, "PRESENT").await;
    c.attend(&first, &c.mimp, "PRESENT").await;
    c.attend(&first, &c.pnp, "PRESENT").await;
    c.attend(&first, &c.chs, "PRESENT").await;
    c.attend(&first, &c.minsa, "EXCUSED").await;
    let live = c
        .as_secretariat(
            "query ($id: ID!) { meeting(id: $id) { quorum { required present reached frozen } } }",
            json!({ "id": first["id"] }),
        )
        .await;
    assert_eq!(
        live["meeting"]["quorum"],
        json!({ "required": 3, "present": 3, "reached": true, "frozen": false })
    );

    let held = c.hold(&first).await;
    assert_eq!(held["status"], "HELD");
    assert_eq!(
        held["quorum"],
        json!({ "required": 3, "present": 3, "reached": true, "frozen": true })
    );
    assert_eq!(held["minutes"]["status"], "DRAFT");

    // Agreements, with the action items they create.
    let adopted = c
        .as_secretariat(
            "mutation ($input: AdoptAgreementInput!) { adoptAgreement(input: $input) { agreement {
                number text actionItems { reference status responsible { acronym } supporting { acronym } } } } }",
            json!({ "input": {
                "meetingId": first["id"],
                "agendaItemId": plan_id,
                "text": "Aprobar el plan operativo 2027 de la Comisión.",
                "actionItems": [
                    { "title": "Capacitar a operadores de frontera en Tumbes", "responsibleAgencyId": c.mimp.id.to_string(),
                      "supportingAgencyIds": [c.pnp.id.to_string()], "dueOn": (lima_today() + Duration::days(30)).to_string() },
                    { "title": "Informe de casos de tráfico ilícito de migrantes", "responsibleAgencyId": c.pnp.id.to_string(),
                      "dueOn": (lima_today() + Duration::days(60)).to_string() }
                ]
            } }),
        )
        .await;
    let agreement = &adopted["adoptAgreement"]["agreement"];
    assert_eq!(
        agreement["number"],
        format!("Acuerdo N° 001-{year}-CMNP-TP-TIM")
    );
    assert_eq!(agreement["actionItems"].as_array().unwrap().len(), 2);
    assert_eq!(
        agreement["actionItems"][0]["reference"],
        format!("AI-{year}-001")
    );
    assert_eq!(
        agreement["actionItems"][0]["supporting"],
        json!([{ "acronym": "PNP" }])
    );

    // Minutes: drafted, invisible to agencies until circulated.
    c.as_secretariat(
        "mutation ($id: ID!) { updateMinutes(input: { meetingId: $id, text: \"# Acta\\n\\nSe aprobó el plan operativo.\" }) { meeting { id } } }",
        json!({ "id": first["id"] }),
    )
    .await;
    let minutes_query = "query ($id: ID!) { meeting(id: $id) { minutes { text status } } }";
    let draft = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            minutes_query,
            json!({ "id": first["id"] }),
        )
        .await;
    assert_eq!(draft.data()["meeting"]["minutes"], json!(null));
    c.as_secretariat(
        "mutation ($id: ID!) { circulateMinutes(input: { meetingId: $id }) { meeting { id } } }",
        json!({ "id": first["id"] }),
    )
    .await;
    let circulated = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            minutes_query,
            json!({ "id": first["id"] }),
        )
        .await;
    assert_eq!(
        circulated.data()["meeting"]["minutes"]["status"],
        "CIRCULATED"
    );

    // The agency works its item; the next ordinary session carries over what is open.
    let items = c
        .app
        .graphql(Some(&c.mimp_user.token), "{ actionItems(filter: { status: [OPEN] }) { edges { node { id version reference } } } }", json!({}))
        .await;
    let mimp_item = items.data()["actionItems"]["edges"][0]["node"].clone();
    let done = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            crate::work::UPDATE_ITEM,
            json!({ "input": { "id": mimp_item["id"], "expectedVersion": mimp_item["version"], "status": "DONE", "note": "42 operadores capacitados" } }),
        )
        .await;
    assert_eq!(
        done.data()["updateActionItem"]["actionItem"]["status"],
        "DONE"
    );

    let second = c.schedule("ORDINARY", Duration::minutes(-30), None).await;
    assert_eq!(second["number"], 2);
    let follow_up = c
        .as_secretariat(
            "query ($id: ID!) { meeting(id: $id) { agenda { kind actionItems { reference status } } } }",
            json!({ "id": second["id"] }),
        )
        .await;
    let carried = &follow_up["meeting"]["agenda"][0];
    assert_eq!(carried["kind"], "FOLLOW_UP");
    assert_eq!(
        carried["actionItems"],
        json!([{ "reference": format!("AI-{year}-002"), "status": "OPEN" }]),
        "done items are not carried over"
    );

    let approved = c
        .as_secretariat(
            "mutation ($id: ID!, $later: ID!) { approveMinutes(input: { meetingId: $id, approvedAtMeetingId: $later }) { meeting { minutes { status approvedAtMeetingId } } } }",
            json!({ "id": first["id"], "later": second["id"] }),
        )
        .await;
    assert_eq!(
        approved["approveMinutes"]["meeting"]["minutes"],
        json!({ "status": "APPROVED", "approvedAtMeetingId": second["id"] })
    );

    let audit = c
        .as_secretariat("query ($id: ID!) { auditEvents(filter: { objectId: $id }) { edges { node { action } } } }", json!({ "id": first["id"] }))
        .await;
    let actions: Vec<&str> = audit["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    for expected in [
        "meeting.schedule",
        "meeting.attendance",
        "meeting.held",
        "meeting.minutes.update",
        "meeting.minutes.circulate",
        "meeting.minutes.approve",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
}

#[tokio::test]
async fn quorum_needs_more_than_half_of_the_voting_members() {
    let c = Commission::new().await;
    let meeting = c.schedule("EXTRAORDINARY", Duration::hours(-1), None).await;
    assert_eq!(
        meeting["agenda"],
        json!([]),
        "extraordinary sessions get no follow-up item"
    );
    c.attend(&meeting, &c.mininter, "PRESENT").await;
    c.attend(&meeting, &c.mimp, "PRESENT").await;
    c.attend(&meeting, &c.chs, "PRESENT").await;
    c.attend(&meeting, &c.pnp, "ABSENT").await;
    let held = c.hold(&meeting).await;
    assert_eq!(
        held["quorum"],
        json!({ "required": 3, "present": 2, "reached": false, "frozen": true }),
        "CHS does not vote"
    );

    let closed = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            "mutation ($input: RecordAttendanceInput!) { recordAttendance(input: $input) { meeting { id } } }",
            json!({ "input": { "meetingId": meeting["id"], "agencyId": c.minsa.id.to_string(), "status": "PRESENT" } }),
        )
        .await;
    assert_eq!(
        closed.code(),
        "BAD_USER_INPUT",
        "attendance is frozen once held"
    );
}

#[tokio::test]
async fn sessions_are_validated_and_cannot_run_early() {
    let c = Commission::new().await;
    let future = c.schedule("ORDINARY", Duration::days(7), None).await;
    let early = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            "mutation ($id: ID!) { markMeetingHeld(input: { meetingId: $id }) { meeting { id } } }",
            json!({ "id": future["id"] }),
        )
        .await;
    assert_eq!(early.code(), "BAD_USER_INPUT");
    let agreement = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            "mutation ($id: ID!) { adoptAgreement(input: { meetingId: $id, text: \"x\" }) { agreement { id } } }",
            json!({ "id": future["id"] }),
        )
        .await;
    assert_eq!(agreement.code(), "BAD_USER_INPUT");
    assert_eq!(agreement.field(), "meetingId");

    let start = chrono::Utc::now() + Duration::days(3);
    for (input, field) in [
        (
            json!({ "kind": "ORDINARY", "title": "S", "startsAt": start.to_rfc3339(), "endsAt": (start - Duration::hours(1)).to_rfc3339(), "location": "x" }),
            "endsAt",
        ),
        (
            json!({ "kind": "ORDINARY", "title": "S", "startsAt": start.to_rfc3339(), "endsAt": (start + Duration::hours(1)).to_rfc3339(), "location": "x", "timeZone": "Lima" }),
            "timeZone",
        ),
        (
            json!({ "kind": "ORDINARY", "title": "S", "startsAt": start.to_rfc3339(), "endsAt": (start + Duration::hours(1)).to_rfc3339() }),
            "location",
        ),
        (
            json!({ "kind": "ORDINARY", "title": "S", "startsAt": start.to_rfc3339(), "endsAt": (start + Duration::hours(1)).to_rfc3339(), "location": "x", "invitedAgencyIds": [uuid::Uuid::now_v7().to_string()] }),
            "invitedAgencyIds",
        ),
    ] {
        let response = c
            .app
            .graphql(Some(&c.secretariat.token), "mutation ($input: ScheduleMeetingInput!) { scheduleMeeting(input: $input) { meeting { id } } }", json!({ "input": input }))
            .await;
        assert_eq!(response.code(), "BAD_USER_INPUT", "{input}");
        assert_eq!(response.field(), field, "{input}");
    }

    let moved = c
        .as_secretariat(
            "mutation ($id: ID!, $at: DateTime!, $end: DateTime!) { updateMeeting(input: { id: $id, startsAt: $at, endsAt: $end, onlineUrl: \"https://meet.example/cmnp\" }) { meeting { sequence onlineUrl } } }",
            json!({ "id": future["id"], "at": (start + Duration::hours(1)).to_rfc3339(), "end": (start + Duration::hours(3)).to_rfc3339() }),
        )
        .await;
    assert_eq!(moved["updateMeeting"]["meeting"]["sequence"], 1);
    let cancelled = c
        .as_secretariat(
            "mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"Feriado nacional\" }) { meeting { status sequence cancelReason } } }",
            json!({ "id": future["id"] }),
        )
        .await;
    assert_eq!(
        cancelled["cancelMeeting"]["meeting"],
        json!({ "status": "CANCELLED", "sequence": 2, "cancelReason": "Feriado nacional" })
    );
}

#[tokio::test]
async fn agencies_see_only_the_sessions_they_are_invited_to_and_donors_none() {
    let c = Commission::new().await;
    let restricted = c
        .schedule(
            "EXTRAORDINARY",
            Duration::days(2),
            Some(vec![&c.mininter, &c.pnp]),
        )
        .await;
    let open = c.schedule("ORDINARY", Duration::days(9), None).await;

    let list = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            "{ meetings { totalCount edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(list.data()["meetings"]["totalCount"], 1);
    assert_eq!(
        list.data()["meetings"]["edges"][0]["node"]["id"],
        open["id"]
    );
    let direct = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            "query ($id: ID!) { meeting(id: $id) { title } }",
            json!({ "id": restricted["id"] }),
        )
        .await;
    assert_eq!(direct.code(), "FORBIDDEN");
    let invited = c
        .app
        .graphql(
            Some(&c.pnp_user.token),
            "query ($id: ID!) { meeting(id: $id) { title } }",
            json!({ "id": restricted["id"] }),
        )
        .await;
    assert_eq!(invited.data()["meeting"]["title"], "Sesión de la Comisión");

    let changes = c
        .app
        .graphql(Some(&c.pnp_user.token), "mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"x\" }) { meeting { id } } }", json!({ "id": open["id"] }))
        .await;
    assert_eq!(changes.code(), "FORBIDDEN");

    let prm = c
        .app
        .agency("PRM", cmnp_domain::agency::Membership::Partner)
        .await;
    let donor = c
        .app
        .user(
            "officer@prm.example",
            cmnp_domain::user::Role::Donor,
            Some(&prm),
        )
        .await;
    for query in [
        "{ meetings { totalCount } }",
        "{ actionItems { totalCount } }",
    ] {
        let response = c.app.graphql(Some(&donor.token), query, json!({})).await;
        assert_eq!(response.code(), "FORBIDDEN", "{query}");
    }
    let direct = c
        .app
        .graphql(
            Some(&donor.token),
            "query ($id: ID!) { meeting(id: $id) { title } }",
            json!({ "id": open["id"] }),
        )
        .await;
    assert_eq!(direct.code(), "FORBIDDEN");
}

#[tokio::test]
async fn a_begun_session_keeps_its_record() {
    let c = Commission::new().await;
    let meeting = c.schedule("EXTRAORDINARY", Duration::hours(-1), None).await;
    c.attend(&meeting, &c.mimp, "PRESENT").await;
    let cancel = c
        .app
        .graphql(Some(&c.secretariat.token), "mutation ($id: ID!) { cancelMeeting(input: { id: $id, reason: \"x\" }) { meeting { id } } }", json!({ "id": meeting["id"] }))
        .await;
    assert_eq!(cancel.code(), "BAD_USER_INPUT", "attendance was recorded");
    let moved = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            "mutation ($id: ID!, $at: DateTime!, $end: DateTime!) { updateMeeting(input: { id: $id, startsAt: $at, endsAt: $end }) { meeting { id } } }",
            json!({ "id": meeting["id"], "at": (chrono::Utc::now() + Duration::days(7)).to_rfc3339(), "end": (chrono::Utc::now() + Duration::days(7) + Duration::hours(2)).to_rfc3339() }),
        )
        .await;
    assert_eq!(moved.code(), "BAD_USER_INPUT");
    assert_eq!(moved.field(), "startsAt");
    let uninvite = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            "mutation ($id: ID!, $a: ID!) { updateMeeting(input: { id: $id, invitedAgencyIds: [$a] }) { meeting { id } } }",
            json!({ "id": meeting["id"], "a": c.mininter.id.to_string() }),
        )
        .await;
    assert_eq!(
        uninvite.code(),
        "BAD_USER_INPUT",
        "MIMP has recorded attendance"
    );
    assert_eq!(uninvite.field(), "invitedAgencyIds");
}

#[tokio::test]
async fn agreements_of_a_session_stay_with_its_invitees() {
    let c = Commission::new().await;
    let restricted = c
        .schedule(
            "EXTRAORDINARY",
            Duration::hours(-1),
            Some(vec![&c.mininter, &c.pnp]),
        )
        .await;
    let adopted = c
        .as_secretariat(
            "mutation ($input: AdoptAgreementInput!) { adoptAgreement(input: $input) { agreement { id } } }",
            json!({ "input": { "meetingId": restricted["id"], "text": "Decisión reservada",
                "actionItems": [{ "title": "Tarea de MIMP", "responsibleAgencyId": c.mimp.id.to_string(), "dueOn": "2030-01-01" }] } }),
        )
        .await;
    let agreement_id = adopted["adoptAgreement"]["agreement"]["id"].clone();
    let items = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            "{ actionItems { edges { node { title agreement { text } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        items.data()["actionItems"]["edges"][0]["node"],
        json!({ "title": "Tarea de MIMP", "agreement": null })
    );
    let direct = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            "query ($id: ID!) { agreement(id: $id) { text } }",
            json!({ "id": agreement_id }),
        )
        .await;
    assert_eq!(direct.code(), "FORBIDDEN");
    let by_session = c
        .app
        .graphql(
            Some(&c.mimp_user.token),
            "query ($id: ID!) { actionItems(filter: { meetingId: $id }) { totalCount } }",
            json!({ "id": restricted["id"] }),
        )
        .await;
    assert_eq!(by_session.code(), "FORBIDDEN");
    let invited = c
        .app
        .graphql(
            Some(&c.pnp_user.token),
            "query ($id: ID!) { agreement(id: $id) { text } }",
            json!({ "id": agreement_id }),
        )
        .await;
    assert_eq!(invited.data()["agreement"]["text"], "Decisión reservada");
}

const UPDATE_MINUTES: &str = "mutation ($input: UpdateMinutesInput!) { updateMinutes(input: $input) { meeting { version minutes { text } } } }";

#[tokio::test]
async fn stale_edits_of_the_minutes_and_of_a_session_get_conflict_and_lose_nothing() {
    let c = Commission::new().await;
    let held = c.schedule("ORDINARY", Duration::hours(-1), None).await;
    c.hold(&held).await;
    let version = |data: &serde_json::Value| data["meeting"]["version"].as_i64().unwrap();
    let read = c
        .as_secretariat(
            "query ($id: ID!) { meeting(id: $id) { version } }",
            json!({ "id": held["id"] }),
        )
        .await;
    let read_at = version(&read);
    assert_eq!(read_at, 2, "scheduled at 1, held at 2");

    // Eight editors who all read the same version: one edit lands.
    let attempts = 8;
    let requests = (0..attempts)
        .map(|i| {
            let input = json!({ "input": { "meetingId": held["id"], "expectedVersion": read_at, "text": format!("# Acta, versión {i}") } });
            (UPDATE_MINUTES.to_owned(), input)
        })
        .collect();
    let answers = cmnp_tests::concurrently(&c.app, &c.secretariat.token, requests).await;
    let mut landed = Vec::new();
    let mut conflicts = 0;
    for body in answers {
        match body["errors"][0]["extensions"]["code"].as_str() {
            None => landed.push(body["data"]["updateMinutes"]["meeting"].clone()),
            Some("CONFLICT") => {
                conflicts += 1;
                let message = body["errors"][0]["message"].as_str().unwrap();
                assert!(
                    message.contains(&format!(
                        "you sent version {read_at}; it is at version {}",
                        read_at + 1
                    )),
                    "{message}"
                );
            }
            Some(other) => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!((landed.len(), conflicts), (1, attempts - 1));
    assert_eq!(landed[0]["version"], read_at + 1);
    let kept = c
        .as_secretariat(
            "query ($id: ID!) { meeting(id: $id) { version minutes { text } } }",
            json!({ "id": held["id"] }),
        )
        .await;
    assert_eq!(
        kept["meeting"]["minutes"]["text"],
        landed[0]["minutes"]["text"]
    );
    assert_eq!(version(&kept), read_at + 1);
    let audited = c
        .as_secretariat(
            "query ($id: ID!) { auditEvents(filter: { objectId: $id }) { edges { node { action } } } }",
            json!({ "id": held["id"] }),
        )
        .await;
    let audited = audited["auditEvents"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["action"] == "meeting.minutes.update")
        .count();
    assert_eq!(
        audited, 1,
        "the refused edits leave no trace in the audit log"
    );

    // Without an expected version the edit is not checked, as before.
    let unchecked = c
        .as_secretariat(
            UPDATE_MINUTES,
            json!({ "input": { "meetingId": held["id"], "text": "# Acta final" } }),
        )
        .await;
    assert_eq!(
        unchecked["updateMinutes"]["meeting"]["version"],
        read_at + 2
    );

    // A session's own fields: the second change made against the same version is refused
    // and the first one's title stays.
    let next = c.schedule("ORDINARY", Duration::days(20), None).await;
    let update = "mutation ($input: UpdateMeetingInput!) { updateMeeting(input: $input) { meeting { title version } } }";
    let first = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            update,
            json!({ "input": { "id": next["id"], "expectedVersion": 1, "title": "Balance anual" } }),
        )
        .await;
    assert_eq!(
        first.data()["updateMeeting"]["meeting"],
        json!({ "title": "Balance anual", "version": 2 })
    );
    let second = c
        .app
        .graphql(
            Some(&c.secretariat.token),
            update,
            json!({ "input": { "id": next["id"], "expectedVersion": 1, "title": "Otro título" } }),
        )
        .await;
    assert_eq!(second.code(), "CONFLICT");
    let stored = c
        .as_secretariat(
            "query ($id: ID!) { meeting(id: $id) { title version } }",
            json!({ "id": next["id"] }),
        )
        .await;
    assert_eq!(
        stored["meeting"],
        json!({ "title": "Balance anual", "version": 2 })
    );
}
