//! The audit log: who changed what, when, with the fields before and after.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<Uuid>,
    pub actor_agency_id: Option<Uuid>,
    pub action: String,
    pub object_type: String,
    pub object_id: Uuid,
    pub changes: Value,
}

/// Fields that change on every write and say nothing about what was changed.
const BOOKKEEPING: &[&str] = &["updatedAt"];

/// The fields that differ between two states of an object, as
/// `{ "field": { "before": …, "after": … } }`. A missing state (before a creation, after a
/// deletion) reads as all fields null. Values that fail to serialise are recorded as null
/// rather than lost, so that an audit event is always written.
pub fn changes<T: Serialize>(before: Option<&T>, after: Option<&T>) -> Value {
    let before = as_object(before);
    let after = as_object(after);
    let mut fields: Vec<&String> = before.keys().chain(after.keys()).collect();
    fields.sort();
    fields.dedup();
    let mut diff = Map::new();
    for field in fields {
        if BOOKKEEPING.contains(&field.as_str()) {
            continue;
        }
        let old = before.get(field).unwrap_or(&Value::Null);
        let new = after.get(field).unwrap_or(&Value::Null);
        if old != new {
            diff.insert(field.clone(), json!({ "before": old, "after": new }));
        }
    }
    Value::Object(diff)
}

fn as_object<T: Serialize>(state: Option<&T>) -> Map<String, Value> {
    match state.map(serde_json::to_value) {
        Some(Ok(Value::Object(map))) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Thing {
        name: &'static str,
        votes: bool,
        updated_at: u32,
    }

    #[test]
    fn records_only_changed_fields() {
        let before = Thing {
            name: "MIMP",
            votes: true,
            updated_at: 1,
        };
        let after = Thing {
            name: "MIMP",
            votes: false,
            updated_at: 2,
        };
        assert_eq!(
            changes(Some(&before), Some(&after)),
            json!({ "votes": { "before": true, "after": false } })
        );
    }

    #[test]
    fn creation_and_deletion_record_every_field() {
        let thing = Thing {
            name: "PNP",
            votes: true,
            updated_at: 1,
        };
        let created = changes(None, Some(&thing));
        assert_eq!(created["name"], json!({ "before": null, "after": "PNP" }));
        let deleted = changes(Some(&thing), None);
        assert_eq!(deleted["votes"], json!({ "before": true, "after": null }));
    }
}
