//! Action items: the commitments agencies take on, their status moves and their history.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::enums::string_enum;
use crate::meeting::check_url;
use crate::policy::{Actor, Permission, Refusal};
use crate::user::Role;
use crate::{ValidationError, text};

string_enum! {
    ActionItemStatus, "status" {
        Open => "OPEN",
        InProgress => "IN_PROGRESS",
        Blocked => "BLOCKED",
        Done => "DONE",
        Cancelled => "CANCELLED",
    }
}

impl ActionItemStatus {
    /// Whether the item still asks something of its agency.
    pub fn is_pending(self) -> bool {
        !matches!(self, ActionItemStatus::Done | ActionItemStatus::Cancelled)
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionItem {
    pub id: Uuid,
    pub year: i32,
    pub number: i32,
    pub title: String,
    pub description: Option<String>,
    pub agreement_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
    /// The agencies funding the linked project (whose donors may read the item).
    pub project_funder_ids: Vec<Uuid>,
    pub responsible_agency_id: Uuid,
    pub supporting_agency_ids: Vec<Uuid>,
    pub due_on: NaiveDate,
    pub status: ActionItemStatus,
    pub progress_percent: i32,
    pub completed_on: Option<NaiveDate>,
    pub cancel_reason: Option<String>,
    /// Grows with every update; updates name the version they saw.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ActionItem {
    /// "AI-2026-014".
    pub fn reference(&self) -> String {
        reference(self.year, self.number)
    }

    /// Due before `today` (a date in the commission's time zone) and neither done nor
    /// cancelled.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_pending() && self.due_on < today
    }
}

/// An item's reference from its year and number: "AI-2026-014".
pub fn reference(year: i32, number: i32) -> String {
    format!("AI-{year}-{number:03}")
}

/// One entry of an item's append-only history.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub id: Uuid,
    pub action_item_id: Uuid,
    pub at: DateTime<Utc>,
    pub author_user_id: Option<Uuid>,
    pub agency_id: Option<Uuid>,
    pub note: Option<String>,
    pub status_from: Option<ActionItemStatus>,
    pub status_to: Option<ActionItemStatus>,
    pub progress_percent: Option<i32>,
    pub evidence_url: Option<String>,
}

/// What a history entry records, before it is stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryDraft {
    pub note: Option<String>,
    pub status_from: Option<ActionItemStatus>,
    pub status_to: Option<ActionItemStatus>,
    pub progress_percent: Option<i32>,
    pub evidence_url: Option<String>,
}

/// A validated new action item.
#[derive(Debug, Clone, PartialEq)]
pub struct NewActionItem {
    pub title: String,
    pub description: Option<String>,
    pub responsible_agency_id: Uuid,
    pub supporting_agency_ids: Vec<Uuid>,
    pub due_on: NaiveDate,
    pub agreement_id: Option<Uuid>,
    pub project_id: Option<Uuid>,
}

impl NewActionItem {
    pub fn parse(
        title: &str,
        description: Option<&str>,
        responsible_agency_id: Uuid,
        mut supporting_agency_ids: Vec<Uuid>,
        due_on: NaiveDate,
    ) -> Result<Self, ValidationError> {
        supporting_agency_ids.sort();
        supporting_agency_ids.dedup();
        if supporting_agency_ids.contains(&responsible_agency_id) {
            return Err(ValidationError::new(
                "supportingAgencyIds",
                "the responsible agency cannot also be a supporting agency",
            ));
        }
        Ok(Self {
            title: text::required("title", title, 300)?,
            description: text::optional("description", description, 10_000)?,
            responsible_agency_id,
            supporting_agency_ids,
            due_on,
            agreement_id: None,
            project_id: None,
        })
    }
}

/// A requested change to an item; absent fields stay.
#[derive(Debug, Clone, Default)]
pub struct ActionItemUpdate {
    pub status: Option<ActionItemStatus>,
    pub progress_percent: Option<i32>,
    pub note: Option<String>,
    pub evidence_url: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub responsible_agency_id: Option<Uuid>,
}

/// Who may change action items at all ([`Permission::UpdateActionItems`]). Checked
/// before anything about the item is read, so that others learn nothing of it, not even
/// its version.
pub fn check_worker(actor: &Actor) -> Result<(), Refusal> {
    if actor.may(Permission::UpdateActionItems) {
        Ok(())
    } else {
        Err(Refusal::Forbidden("you are not allowed to do this".into()))
    }
}

/// Whether an item may move from `from` to `to` (DESIGN.md section 2). Cancelling has its
/// own operation, with a reason.
pub fn check_move(from: ActionItemStatus, to: ActionItemStatus) -> Result<(), ValidationError> {
    use ActionItemStatus::{Blocked, Cancelled, Done, InProgress, Open};
    let allowed = matches!(
        (from, to),
        (Open, InProgress | Blocked | Done)
            | (InProgress, Blocked | Done)
            | (Blocked | Done, InProgress)
    );
    if allowed {
        Ok(())
    } else if to == Cancelled {
        Err(ValidationError::new(
            "status",
            "cancel an item with cancelActionItem, giving a reason",
        ))
    } else {
        Err(ValidationError::new(
            "status",
            format!("an item cannot move from {from} to {to}"),
        ))
    }
}

/// Who changes an item's plan, its due date and responsible agency: the secretariat
/// alone. A question of role, asked before the new values are read.
pub fn check_planner(changes_plan: bool, actor: &Actor) -> Result<(), Refusal> {
    if changes_plan && !actor.is_secretariat() {
        Err(Refusal::Forbidden(
            "only the secretariat changes an item's due date and responsible agency".into(),
        ))
    } else {
        Ok(())
    }
}

/// Whether `actor` may make `update` to `item` as stored: the secretariat anything; the
/// responsible agency its work (status and progress), notes and evidence, but not reopen
/// it once done; a supporting agency notes and evidence. Decided on which fields the
/// update names, before their values or the version it expects are looked at, so that
/// whoever may not make the change is refused whatever the values.
pub fn check_updater(
    item: &ActionItem,
    update: &ActionItemUpdate,
    actor: &Actor,
) -> Result<(), Refusal> {
    if actor.is_secretariat() {
        return Ok(());
    }
    let responsible = actor.agency_id == Some(item.responsible_agency_id);
    let supporting = actor
        .agency_id
        .is_some_and(|a| item.supporting_agency_ids.contains(&a));
    let agency = actor.role == Role::Agency;
    let reach = Reach::of(item, update);
    check_planner(reach.changes_plan, actor)?;
    let may = agency && (responsible || supporting) && (responsible || !reach.changes_work);
    if !may {
        return Err(Refusal::Forbidden(if agency && supporting {
            "a supporting agency may add notes and evidence only".into()
        } else {
            "only the responsible agency and the secretariat may update this item".into()
        }));
    }
    if reach.status.is_some() && item.status == ActionItemStatus::Done {
        return Err(Refusal::Forbidden(
            "only the secretariat reopens a done item".into(),
        ));
    }
    Ok(())
}

/// What an update would change of an item.
struct Reach {
    /// The status asked for, unless the item has it already: asking for the status it has
    /// changes nothing.
    status: Option<ActionItemStatus>,
    /// Its status or progress: the responsible agency's work.
    changes_work: bool,
    /// Its due date or responsible agency: the secretariat's plan.
    changes_plan: bool,
}

impl Reach {
    fn of(item: &ActionItem, update: &ActionItemUpdate) -> Self {
        let status = update.status.filter(|status| *status != item.status);
        Self {
            status,
            changes_work: status.is_some() || update.progress_percent.is_some(),
            changes_plan: update.due_on.is_some() || update.responsible_agency_id.is_some(),
        }
    }
}

/// Applies `update` by `actor` on `today` (in the commission's zone) to `item`: who may
/// change what, which status moves are allowed, and the values. Returns the item as it
/// will be and the history entry that records the change.
pub fn apply_update(
    item: &ActionItem,
    update: &ActionItemUpdate,
    actor: &Actor,
    today: NaiveDate,
) -> Result<(ActionItem, HistoryDraft), Refusal> {
    check_updater(item, update, actor)?;
    let Reach {
        status,
        changes_work,
        changes_plan,
    } = Reach::of(item, update);
    if item.status == ActionItemStatus::Cancelled {
        return Err(ValidationError::new(
            "status",
            "the item is cancelled and takes no more updates",
        )
        .into());
    }
    let note = text::optional("note", update.note.as_deref(), 5_000)?;
    let evidence_url = text::optional("evidenceUrl", update.evidence_url.as_deref(), 1_000)?;
    if let Some(url) = &evidence_url {
        check_url("evidenceUrl", url)?;
    }
    if !changes_work && !changes_plan && note.is_none() && evidence_url.is_none() {
        return Err(ValidationError::new(
            "input",
            "nothing to update: give a status, progress, note, evidence or date",
        )
        .into());
    }

    let mut next = item.clone();
    let mut draft = HistoryDraft {
        note,
        evidence_url,
        ..HistoryDraft::default()
    };
    if let Some(status) = status {
        check_move(item.status, status)?;
        next.status = status;
        draft.status_from = Some(item.status);
        draft.status_to = Some(status);
        if status == ActionItemStatus::Done {
            next.completed_on = Some(today);
            next.progress_percent = 100;
        } else {
            next.completed_on = None;
        }
        if item.status == ActionItemStatus::Done && update.progress_percent.is_none() {
            return Err(ValidationError::new(
                "progressPercent",
                "give the progress of the reopened item",
            )
            .into());
        }
    }
    if let Some(progress) = update.progress_percent {
        if !(0..=100).contains(&progress) {
            return Err(
                ValidationError::new("progressPercent", "must be between 0 and 100").into(),
            );
        }
        if next.status == ActionItemStatus::Done && progress < 100 {
            return Err(
                ValidationError::new("progressPercent", "a done item is 100% complete").into(),
            );
        }
        next.progress_percent = progress;
    }
    if update.progress_percent.is_some() || draft.status_to == Some(ActionItemStatus::Done) {
        draft.progress_percent = Some(next.progress_percent);
    }
    if let Some(due_on) = update.due_on {
        next.due_on = due_on;
    }
    if let Some(agency_id) = update.responsible_agency_id {
        if next.supporting_agency_ids.contains(&agency_id) {
            return Err(ValidationError::new(
                "responsibleAgencyId",
                "that agency supports this item; it cannot also be responsible",
            )
            .into());
        }
        next.responsible_agency_id = agency_id;
    }
    next.version = item.version + 1;
    Ok((next, draft))
}

/// Who cancels items: the secretariat alone.
pub fn check_canceller(actor: &Actor) -> Result<(), Refusal> {
    if actor.is_secretariat() {
        Ok(())
    } else {
        Err(Refusal::Forbidden(
            "only the secretariat cancels action items".into(),
        ))
    }
}

/// Cancels `item` (secretariat only) with a reason that the history keeps.
pub fn apply_cancel(
    item: &ActionItem,
    reason: &str,
    actor: &Actor,
) -> Result<(ActionItem, HistoryDraft), Refusal> {
    check_canceller(actor)?;
    if item.status == ActionItemStatus::Cancelled {
        return Err(ValidationError::new("status", "the item is already cancelled").into());
    }
    let reason = text::required("reason", reason, 2_000)?;
    let mut next = item.clone();
    next.status = ActionItemStatus::Cancelled;
    next.cancel_reason = Some(reason.clone());
    next.version = item.version + 1;
    Ok((
        next,
        HistoryDraft {
            note: Some(reason),
            status_from: Some(item.status),
            status_to: Some(ActionItemStatus::Cancelled),
            ..HistoryDraft::default()
        },
    ))
}

#[cfg(test)]
mod tests;
