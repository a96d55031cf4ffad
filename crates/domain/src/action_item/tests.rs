use super::*;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn item(status: ActionItemStatus) -> ActionItem {
    ActionItem {
        id: Uuid::nil(),
        year: 2026,
        number: 14,
        title: "Capacitar operadores de frontera".into(),
        description: None,
        agreement_id: None,
        project_id: None,
        project_funder_ids: vec![],
        responsible_agency_id: Uuid::from_u128(1),
        supporting_agency_ids: vec![Uuid::from_u128(2)],
        due_on: date("2026-11-30"),
        status,
        progress_percent: 40,
        completed_on: None,
        cancel_reason: None,
        version: 3,
        created_at: DateTime::UNIX_EPOCH,
        updated_at: DateTime::UNIX_EPOCH,
    }
}

fn actor(role: Role, agency: Option<u128>) -> Actor {
    Actor {
        user_id: Uuid::now_v7(),
        role,
        agency_id: agency.map(Uuid::from_u128),
    }
}

fn to(status: ActionItemStatus) -> ActionItemUpdate {
    ActionItemUpdate {
        status: Some(status),
        ..ActionItemUpdate::default()
    }
}

const TODAY: &str = "2026-11-28";

#[test]
fn references_and_overdue() {
    let open = item(ActionItemStatus::Open);
    assert_eq!(open.reference(), "AI-2026-014");
    assert!(
        !open.is_overdue(date("2026-11-30")),
        "due today is not overdue"
    );
    assert!(open.is_overdue(date("2026-12-01")));
    assert!(!item(ActionItemStatus::Done).is_overdue(date("2026-12-01")));
    assert!(!item(ActionItemStatus::Cancelled).is_overdue(date("2026-12-01")));
}

#[test]
fn every_status_move_is_allowed_or_refused_as_designed() {
    use ActionItemStatus::*;
    let allowed = [
        (Open, InProgress),
        (Open, Blocked),
        (Open, Done),
        (InProgress, Blocked),
        (InProgress, Done),
        (Blocked, InProgress),
        (Done, InProgress),
    ];
    for from in ActionItemStatus::ALL {
        for target in ActionItemStatus::ALL {
            if from == target {
                continue;
            }
            let result = check_move(*from, *target);
            assert_eq!(
                result.is_ok(),
                allowed.contains(&(*from, *target)),
                "{from} -> {target}"
            );
            if let Err(error) = result {
                assert_eq!(error.field, "status");
            }
        }
    }
}

#[test]
fn the_responsible_agency_works_its_item() {
    let responsible = actor(Role::Agency, Some(1));
    let (next, draft) = apply_update(
        &item(ActionItemStatus::Open),
        &to(ActionItemStatus::InProgress),
        &responsible,
        date(TODAY),
    )
    .unwrap();
    assert_eq!(next.status, ActionItemStatus::InProgress);
    assert_eq!(next.version, 4);
    assert_eq!(draft.status_from, Some(ActionItemStatus::Open));
    assert_eq!(draft.status_to, Some(ActionItemStatus::InProgress));

    let (done, draft) = apply_update(
        &next,
        &to(ActionItemStatus::Done),
        &responsible,
        date(TODAY),
    )
    .unwrap();
    assert_eq!(done.completed_on, Some(date(TODAY)));
    assert_eq!(done.progress_percent, 100);
    assert_eq!(draft.progress_percent, Some(100));

    let reopen = apply_update(
        &done,
        &to(ActionItemStatus::InProgress),
        &responsible,
        date(TODAY),
    );
    assert!(
        matches!(reopen, Err(Refusal::Forbidden(_))),
        "only the secretariat reopens"
    );
    let without_progress = apply_update(
        &done,
        &to(ActionItemStatus::InProgress),
        &actor(Role::Secretariat, None),
        date(TODAY),
    );
    match without_progress {
        Err(Refusal::Invalid(error)) => assert_eq!(error.field, "progressPercent"),
        other => panic!("{other:?}"),
    }
    let reopen = ActionItemUpdate {
        progress_percent: Some(80),
        ..to(ActionItemStatus::InProgress)
    };
    let (reopened, _) =
        apply_update(&done, &reopen, &actor(Role::Secretariat, None), date(TODAY)).unwrap();
    assert_eq!(reopened.completed_on, None);
    assert_eq!(reopened.progress_percent, 80);

    let replan = ActionItemUpdate {
        due_on: Some(date("2027-01-31")),
        ..ActionItemUpdate::default()
    };
    assert!(matches!(
        apply_update(&next, &replan, &responsible, date(TODAY)),
        Err(Refusal::Forbidden(_))
    ));
}

#[test]
fn supporting_agencies_add_notes_only_and_others_nothing() {
    let supporting = actor(Role::Agency, Some(2));
    let note = ActionItemUpdate {
        note: Some("Coordinado con la DIRCOCOR".into()),
        evidence_url: Some("https://example.org/acta.pdf".into()),
        ..ActionItemUpdate::default()
    };
    let (next, draft) = apply_update(
        &item(ActionItemStatus::Open),
        &note,
        &supporting,
        date(TODAY),
    )
    .unwrap();
    assert_eq!(next.status, ActionItemStatus::Open);
    assert_eq!(draft.note.as_deref(), Some("Coordinado con la DIRCOCOR"));
    assert!(matches!(
        apply_update(
            &item(ActionItemStatus::Open),
            &to(ActionItemStatus::Done),
            &supporting,
            date(TODAY)
        ),
        Err(Refusal::Forbidden(_))
    ));
    for outsider in [actor(Role::Agency, Some(3)), actor(Role::Donor, Some(1))] {
        let note = ActionItemUpdate {
            note: Some("x".into()),
            ..ActionItemUpdate::default()
        };
        assert!(matches!(
            apply_update(&item(ActionItemStatus::Open), &note, &outsider, date(TODAY)),
            Err(Refusal::Forbidden(_))
        ));
    }
}

#[test]
fn values_are_validated_naming_the_field() {
    let secretariat = actor(Role::Secretariat, None);
    let open = item(ActionItemStatus::Open);
    let cases = [
        (
            ActionItemUpdate {
                progress_percent: Some(101),
                ..ActionItemUpdate::default()
            },
            "progressPercent",
        ),
        (
            ActionItemUpdate {
                evidence_url: Some("ftp://x".into()),
                ..ActionItemUpdate::default()
            },
            "evidenceUrl",
        ),
        (ActionItemUpdate::default(), "input"),
        (to(ActionItemStatus::Cancelled), "status"),
        (
            ActionItemUpdate {
                responsible_agency_id: Some(Uuid::from_u128(2)),
                ..ActionItemUpdate::default()
            },
            "responsibleAgencyId",
        ),
    ];
    for (update, field) in cases {
        match apply_update(&open, &update, &secretariat, date(TODAY)) {
            Err(Refusal::Invalid(error)) => assert_eq!(error.field, field),
            other => panic!("{field}: {other:?}"),
        }
    }
    let done = item(ActionItemStatus::Done);
    let lower = ActionItemUpdate {
        progress_percent: Some(50),
        ..ActionItemUpdate::default()
    };
    assert!(matches!(
        apply_update(&done, &lower, &secretariat, date(TODAY)),
        Err(Refusal::Invalid(_))
    ));
}

#[test]
fn who_may_not_make_a_change_is_refused_whatever_its_values() {
    let open = item(ActionItemStatus::Open);
    let invalid_work = ActionItemUpdate {
        progress_percent: Some(150),
        evidence_url: Some("ftp://x".into()),
        ..ActionItemUpdate::default()
    };
    // A supporting agency may not change progress, an outsider nothing, a donor nothing:
    // each hears so, not that the values are wrong.
    for refused in [
        actor(Role::Agency, Some(2)),
        actor(Role::Agency, Some(3)),
        actor(Role::Donor, Some(1)),
    ] {
        assert!(matches!(
            check_updater(&open, &invalid_work, &refused),
            Err(Refusal::Forbidden(_))
        ));
        assert!(matches!(
            apply_update(&open, &invalid_work, &refused, date(TODAY)),
            Err(Refusal::Forbidden(_))
        ));
    }
    let responsible = actor(Role::Agency, Some(1));
    assert_eq!(check_updater(&open, &invalid_work, &responsible), Ok(()));
    assert!(matches!(
        apply_update(&open, &invalid_work, &responsible, date(TODAY)),
        Err(Refusal::Invalid(_))
    ));
    // Reopening a done item is the secretariat's, even towards a status it cannot reach.
    assert!(matches!(
        check_updater(
            &item(ActionItemStatus::Done),
            &to(ActionItemStatus::Open),
            &responsible
        ),
        Err(Refusal::Forbidden(_))
    ));
    // The plan is the secretariat's, decided before any value is read.
    assert!(matches!(
        check_planner(true, &responsible),
        Err(Refusal::Forbidden(message)) if message.contains("due date")
    ));
    assert_eq!(check_planner(false, &responsible), Ok(()));
    assert_eq!(check_planner(true, &actor(Role::Secretariat, None)), Ok(()));
}

#[test]
fn cancelling_needs_the_secretariat_and_a_reason() {
    let open = item(ActionItemStatus::InProgress);
    assert!(matches!(
        apply_cancel(&open, "ya no aplica", &actor(Role::Agency, Some(1))),
        Err(Refusal::Forbidden(_))
    ));
    match apply_cancel(&open, " ", &actor(Role::Secretariat, None)) {
        Err(Refusal::Invalid(error)) => assert_eq!(error.field, "reason"),
        other => panic!("{other:?}"),
    }
    let (cancelled, draft) = apply_cancel(
        &open,
        "Duplicado del AI-2026-009",
        &actor(Role::Secretariat, None),
    )
    .unwrap();
    assert_eq!(cancelled.status, ActionItemStatus::Cancelled);
    assert_eq!(draft.status_from, Some(ActionItemStatus::InProgress));
    let after = apply_update(
        &cancelled,
        &ActionItemUpdate {
            note: Some("x".into()),
            ..ActionItemUpdate::default()
        },
        &actor(Role::Secretariat, None),
        date(TODAY),
    );
    assert!(matches!(after, Err(Refusal::Invalid(_))));
}

#[test]
fn new_items_keep_responsible_and_supporting_apart() {
    let error = NewActionItem::parse(
        "T",
        None,
        Uuid::from_u128(1),
        vec![Uuid::from_u128(1)],
        date(TODAY),
    )
    .unwrap_err();
    assert_eq!(error.field, "supportingAgencyIds");
    let item = NewActionItem::parse(
        "T",
        None,
        Uuid::from_u128(1),
        vec![Uuid::from_u128(2), Uuid::from_u128(2)],
        date(TODAY),
    )
    .unwrap();
    assert_eq!(item.supporting_agency_ids.len(), 1);
}

#[test]
fn an_item_due_on_a_day_becomes_overdue_at_midnight_in_lima() {
    use crate::meeting::local_date;
    let item = item(ActionItemStatus::InProgress);
    let lima = chrono_tz::America::Lima;
    let before_midnight: DateTime<Utc> = "2026-12-01T04:59:59Z".parse().unwrap();
    let after_midnight: DateTime<Utc> = "2026-12-01T05:00:00Z".parse().unwrap();
    assert!(
        !item.is_overdue(local_date(before_midnight, lima)),
        "still 30 November in Lima"
    );
    assert!(
        item.is_overdue(local_date(after_midnight, lima)),
        "1 December in Lima"
    );
}

#[test]
fn asking_for_the_current_status_changes_nothing() {
    let responsible = actor(Role::Agency, Some(1));
    match apply_update(
        &item(ActionItemStatus::Open),
        &to(ActionItemStatus::Open),
        &responsible,
        date(TODAY),
    ) {
        Err(Refusal::Invalid(error)) => assert_eq!(error.field, "input"),
        other => panic!("{other:?}"),
    }
}
