//! The audit log (`wafflectl_audit`): one row per effective change, and how changes are shown.

use super::{Reader, params_from_iter};
use serde::Serialize;
use serde_json::Value;

use crate::error::Result;

/// One change of one object.
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
pub struct Change {
    pub action: String,
    #[serde(rename = "object_kind")]
    pub kind: String,
    #[serde(rename = "object_name")]
    pub name: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// `v` with the keys of every object in it sorted.
pub(crate) fn sorted(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn compact(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::String(s) if s.is_empty() => "\"\"".into(),
        Value::String(s) => s.clone(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Array(a) => a.iter().map(compact).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// `everyone: null → true, percent: null → 25.0` for two objects; fields that did not change
/// are left out.
pub fn field_diff(before: &Value, after: &Value) -> String {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            let mut parts = Vec::new();
            let mut keys: Vec<&String> = a.keys().collect();
            keys.sort();
            for k in keys {
                let av = &a[k];
                let bv = b.get(k).unwrap_or(&Value::Null);
                if bv != av {
                    parts.push(format!("{k}: {} → {}", compact(bv), compact(av)));
                }
            }
            let mut gone: Vec<(&String, &Value)> = b.iter().collect();
            gone.sort_by_key(|e| e.0);
            for (k, bv) in gone {
                if !a.contains_key(k) {
                    parts.push(format!("{k}: {} → (none)", compact(bv)));
                }
            }
            parts.join(", ")
        }
        _ => format!("{} → {}", compact(before), compact(after)),
    }
}

impl Change {
    /// The names of the fields this change set, sorted: those whose value differs (an update),
    /// or every field of the object created or deleted; none when the values are not objects.
    pub fn changed_fields(&self) -> Vec<String> {
        let empty = serde_json::Map::new();
        let fields = |v: &Option<Value>| match v {
            Some(Value::Object(m)) => Some(m.clone()),
            None => Some(empty.clone()),
            Some(_) => None,
        };
        let (Some(b), Some(a)) = (fields(&self.before), fields(&self.after)) else {
            return Vec::new();
        };
        let mut keys: Vec<String> = b
            .keys()
            .chain(a.keys())
            .filter(|k| b.get(*k) != a.get(*k))
            .cloned()
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// What changed, in a few words (no kind/name).
    pub fn summary(&self) -> String {
        match (&self.before, &self.after) {
            (Some(b), Some(a)) => field_diff(b, a),
            _ => String::new(),
        }
    }

    /// `created flag x`, `updated flag x: everyone: null → true`, `deleted switch y`.
    pub fn line(&self, dry_run: bool) -> String {
        if let Some(line) = self.enrollment_line(dry_run) {
            return line;
        }
        let verb = match (self.action.as_str(), dry_run) {
            ("create", false) => "created".to_string(),
            ("create", true) => "would create".to_string(),
            ("update", false) => "updated".to_string(),
            ("update", true) => "would update".to_string(),
            ("delete", false) => "deleted".to_string(),
            ("delete", true) => "would delete".to_string(),
            (other, false) => other.to_string(),
            (other, true) => format!("would {other}"),
        };
        let summary = self.summary();
        if summary.is_empty() {
            format!("{verb} {} {}", self.kind, self.name)
        } else {
            format!("{verb} {} {}: {summary}", self.kind, self.name)
        }
    }
}

impl Change {
    /// `enrolled bob in COURSE`, `unenrolled bob from COURSE`, `updated bob's enrollment in
    /// COURSE: ...` (an enrollment's name is `USER@COURSE`).
    fn enrollment_line(&self, dry_run: bool) -> Option<String> {
        if self.kind != "enrollment" {
            return None;
        }
        let (user, course) = self.name.rsplit_once('@')?;
        let (done, todo, rest) = match self.action.as_str() {
            "enroll" => ("enrolled", "enroll", format!("{user} in {course}")),
            "unenroll" => ("unenrolled", "unenroll", format!("{user} from {course}")),
            "update" => (
                "updated",
                "update",
                format!("{user}'s enrollment in {course}"),
            ),
            _ => return None,
        };
        let verb = if dry_run {
            format!("would {todo}")
        } else {
            done.to_string()
        };
        let summary = self.summary();
        Some(if summary.is_empty() {
            format!("{verb} {rest}")
        } else {
            format!("{verb} {rest}: {summary}")
        })
    }
}

/// A row of the audit log as `history` shows it: the change, when, by whom and why.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    /// Its fields in the row's place (`action`, `object_kind`, `object_name`, `before`, `after`).
    #[serde(flatten)]
    pub change: Change,
    pub reason: String,
}

/// Newest first; `name` filters on the object name (a flag's name also finds its overrides), `since` (DB text form) on the time,
/// `limit` 0 means all.
pub fn entries(
    conn: &Reader,
    name: Option<&str>,
    since: Option<&str>,
    limit: usize,
) -> Result<Vec<Entry>> {
    let mut sql = String::from(
        "SELECT id, at, actor, action, object_kind, object_name, before, after, reason FROM wafflectl_audit WHERE 1 = 1",
    );
    let mut params: Vec<String> = Vec::new();
    if let Some(n) = name {
        params.push(n.to_string());
        // a flag's history includes its course/org overrides, recorded as `FLAG@KEY`
        params.push(format!("{n}@"));
        let n = params.len();
        sql.push_str(&format!(
            " AND (object_name = ?{} OR {})",
            n - 1,
            conn.starts_with("object_name", n)
        ));
    }
    if let Some(s) = since {
        params.push(s.to_string());
        sql.push_str(&format!(" AND at >= ?{}", params.len()));
    }
    sql.push_str(" ORDER BY id DESC");
    if limit > 0 {
        sql.push_str(&format!(" LIMIT {limit}"));
    }
    conn.rows(&sql, params_from_iter(params.iter()), entry_from_row)
}

const ENTRY_SELECT: &str = "SELECT id, at, actor, action, object_kind, object_name, before, after, reason FROM wafflectl_audit";

fn entry_from_row(r: &super::Row<'_>) -> super::ColumnResult<Entry> {
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(Entry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        change: Change {
            action: r.get(3)?,
            kind: r.get(4)?,
            name: r.get(5)?,
            before: parse(r.get(6)?),
            after: parse(r.get(7)?),
        },
        reason: r.get(8)?,
    })
}

/// The audit row `id`, if there is one.
pub fn entry(conn: &Reader, id: i64) -> Result<Option<Entry>> {
    conn.row(
        &format!("{ENTRY_SELECT} WHERE id = ?1"),
        [id],
        entry_from_row,
    )
}

/// The rows after `id` that changed the object `kind` `name`, oldest first.
pub fn later(conn: &Reader, kind: &str, name: &str, id: i64) -> Result<Vec<Entry>> {
    conn.rows(
        &format!(
            "{ENTRY_SELECT} WHERE object_kind = ?1 AND object_name = ?2 AND id > ?3 ORDER BY id"
        ),
        super::params![kind, name, id],
        entry_from_row,
    )
}
