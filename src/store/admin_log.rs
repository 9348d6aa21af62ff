//! What a write did, read back from the transaction's own audit rows, for the two things that
//! follow a change on a Django site:
//!
//! - Django admin's history: when the database has `django_admin_log` and `django_content_type`,
//!   [`before_commit`] writes, in the same transaction, the `LogEntry` row Django admin writes
//!   for the same change (add / change / delete, the object's content type, id and `str()`, and
//!   the JSON change message naming the changed fields by their form labels).
//! - The site's cache: [`ChangeRecord::touched`] lists the objects changed, which `crate::cache`
//!   turns into the django-waffle keys to delete once the transaction has committed.
//!
//! Both depend only on the audit rows (`wafflectl_audit`) of the transaction, so they hold for
//! every write path, bulk imports included, and need nothing of the SQL dialect beyond plain
//! SELECT and INSERT.

use super::{Reader, Value as SqlValue, params};
use serde_json::Value;

use super::Tx;
use crate::error::Result;

/// `action_flag` of Django's LogEntry.
const ADDITION: i64 = 1;
const CHANGE: i64 = 2;
const DELETION: i64 = 3;

/// One object a transaction changed, as its audit row names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touched {
    /// `create`, `update`, `delete`, or a command's own word (`override`, `enroll`, ...).
    pub action: String,
    /// The audit kind: `flag`, `switch`, `sample`, `user`, `group`, `course override`, ...
    pub kind: String,
    pub name: String,
}

/// The transaction's change record: what [`before_commit`] found and did.
#[derive(Debug, Clone, Default)]
pub struct ChangeRecord {
    /// The objects changed, in audit order.
    pub touched: Vec<Touched>,
    /// Admin history entries written.
    pub admin_entries: usize,
    /// Why no admin history was written although the database has Django admin's tables.
    pub admin_note: Option<String>,
    /// Every flag, when a user or group was deleted: its rows left the flags' user and group
    /// lists, and which flags listed it is no longer known once the rows are gone.
    pub member_flags: Vec<String>,
}

/// The last audit row id before the transaction writes any: the transaction's own rows are
/// those after it.
pub fn mark(conn: &Reader) -> Result<i64> {
    conn.integer("SELECT COALESCE(MAX(id), 0) FROM wafflectl_audit", ())
}

/// How Django shows one kind of object in admin history.
struct Model {
    app_label: &'static str,
    model: &'static str,
    /// Audit key → form label (the field's `verbose_name` with its first letter capitalised),
    /// in the order of the admin form's fields, which is the order of Django's change message.
    labels: &'static [(&'static str, &'static str)],
}

/// The kinds wafflectl changes that have a Django model (and so a content type). Experiment
/// definitions are wafflectl's own; key-values, per-user data and enrollments are left out
/// (their admin `str()` is edX's, not known here).
fn model_of(kind: &str) -> Option<Model> {
    const FLAG: &[(&str, &str)] = &[
        ("name", "Name"),
        ("everyone", "Everyone"),
        ("percent", "Percent"),
        ("testing", "Testing"),
        ("superusers", "Superusers"),
        ("staff", "Staff"),
        ("authenticated", "Authenticated"),
        ("languages", "Languages"),
        ("rollout", "Rollout"),
        ("note", "Note"),
        ("groups", "Groups"),
        ("users", "Users"),
    ];
    const SWITCH: &[(&str, &str)] = &[("name", "Name"), ("active", "Active"), ("note", "Note")];
    const SAMPLE: &[(&str, &str)] = &[("name", "Name"), ("percent", "Percent"), ("note", "Note")];
    // django.contrib.auth's UserAdmin fieldsets order.
    const USER: &[(&str, &str)] = &[
        ("username", "Username"),
        ("email", "Email address"),
        ("is_active", "Active"),
        ("is_staff", "Staff status"),
        ("is_superuser", "Superuser status"),
        ("groups", "Groups"),
    ];
    const GROUP: &[(&str, &str)] = &[("name", "Name")];
    const NONE: &[(&str, &str)] = &[];
    let (app_label, model, labels) = match kind {
        "flag" => ("waffle", "flag", FLAG),
        "switch" => ("waffle", "switch", SWITCH),
        "sample" => ("waffle", "sample", SAMPLE),
        "user" => ("auth", "user", USER),
        "group" => ("auth", "group", GROUP),
        // Append-only ConfigurationModel rows: every change is a new row (an addition).
        "course override" => ("waffle_utils", "waffleflagcourseoverridemodel", NONE),
        "org override" => ("waffle_utils", "waffleflagorgoverridemodel", NONE),
        _ => return None,
    };
    Some(Model {
        app_label,
        model,
        labels,
    })
}

/// The changed fields' labels, in form order: `[{"changed": {"fields": [...]}}]`, or `[]` when
/// no field Django admin shows changed.
fn change_message(labels: &[(&str, &str)], before: &Value, after: &Value) -> String {
    let fields: Vec<&str> = labels
        .iter()
        .filter(|(key, _)| before.get(key) != after.get(key))
        .map(|(_, label)| *label)
        .collect();
    if fields.is_empty() {
        return "[]".into();
    }
    // Python's json.dumps, as Django writes it: ", " and ": " separators.
    let quoted: Vec<String> = fields.iter().map(|f| Value::from(*f).to_string()).collect();
    format!("[{{\"changed\": {{\"fields\": [{}]}}}}]", quoted.join(", "))
}

/// The row id and `str()` of an override row: the newest row of its flag and key, which this
/// transaction appended.
fn override_row(
    conn: &Reader,
    kind: &str,
    after: &Value,
) -> Result<Option<(i64, String, &'static str)>> {
    let (table, column, model) = match kind {
        "course override" => (
            "waffle_utils_waffleflagcourseoverridemodel",
            "course_id",
            "WaffleFlagCourseOverrideModel",
        ),
        _ => (
            "waffle_utils_waffleflagorgoverridemodel",
            "org",
            "WaffleFlagOrgOverrideModel",
        ),
    };
    let (Some(flag), Some(key)) = (
        after.get("flag").and_then(Value::as_str),
        after.get(column).and_then(Value::as_str),
    ) else {
        return Ok(None);
    };
    let id: Option<i64> = conn.row(&format!(
                "SELECT id FROM {table} WHERE waffle_flag = ?1 AND {column} = ?2 ORDER BY id DESC LIMIT 1"
            ),
            [flag, key],
            |r| r.get(0))?;
    Ok(id.map(|id| (id, format!("{model} object ({id})"), model)))
}

/// The table and name column of a named object kind.
fn named_table(kind: &str) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        "flag" => ("waffle_flag", "name"),
        "switch" => ("waffle_switch", "name"),
        "sample" => ("waffle_sample", "name"),
        "user" => ("auth_user", "username"),
        "group" => ("auth_group", "name"),
        _ => return None,
    })
}

/// The name column of a table of named objects (the reverse of [`named_table`]).
pub(super) fn name_column(table: &str) -> Option<&'static str> {
    ["flag", "switch", "sample", "user", "group"]
        .into_iter()
        .filter_map(named_table)
        .find(|(t, _)| *t == table)
        .map(|(_, column)| column)
}

/// The id of a named object that exists after the transaction.
fn object_id(conn: &Reader, kind: &str, name: &str) -> Result<Option<i64>> {
    let Some((table, column)) = named_table(kind) else {
        return Ok(None);
    };
    conn.row(
        &format!("SELECT id FROM {table} WHERE {column} = ?1"),
        [name],
        |r| r.get(0),
    )
}

/// An admin-log entry waiting to be written: its values but the object id, which is known or
/// still to be looked up by name.
struct Entry {
    flag: i64,
    content_type: i64,
    id: Option<i64>,
    lookup: Option<(String, String)>,
    repr: String,
    message: String,
}

/// How many admin-log entries one statement writes.
const ENTRY_BATCH: usize = 200;

const ENTRY_COLS: &[&str] = &[
    "action_time",
    "user_id",
    "content_type_id",
    "object_id",
    "object_repr",
    "action_flag",
    "change_message",
];

/// Writes `entries`: the ids still unknown looked up with one query per kind (a name the batch
/// does not return exactly, as under MySQL's collation, alone), then one INSERT for all.
fn write_entries(tx: &Tx<'_>, user_id: i64, entries: &mut Vec<Entry>) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let conn: &Reader = tx;
    let mut by_kind: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for e in entries.iter() {
        if let Some((kind, name)) = &e.lookup {
            by_kind
                .entry(kind.as_str())
                .or_default()
                .push(name.as_str());
        }
    }
    let mut found: std::collections::HashMap<(String, String), i64> = Default::default();
    for (kind, names) in by_kind {
        let Some((table, column)) = named_table(kind) else {
            continue;
        };
        let ids = conn.ids_by_names(table, column, &names)?;
        found.extend(ids.into_iter().map(|(n, id)| ((kind.to_string(), n), id)));
    }
    let mut values = Vec::with_capacity(entries.len() * ENTRY_COLS.len());
    for e in entries.drain(..) {
        let id = match &e.lookup {
            None => e.id,
            Some(key) => match found.get(key) {
                Some(&id) => Some(id),
                None => object_id(conn, &key.0, &key.1)?,
            },
        };
        // object_repr is a varchar(200): Django cuts str(obj) to 200 characters.
        let repr: String = e.repr.chars().take(200).collect();
        values.extend([
            SqlValue::Text(tx.now_db.clone()),
            SqlValue::Integer(user_id),
            SqlValue::Integer(e.content_type),
            id.map_or(SqlValue::Null, |i| SqlValue::Text(i.to_string())),
            SqlValue::Text(repr),
            SqlValue::Integer(e.flag),
            SqlValue::Text(e.message),
        ]);
    }
    let rows = values.len() / ENTRY_COLS.len();
    conn.run(
        &super::conn::insert_rows_sql("django_admin_log", ENTRY_COLS, rows),
        values,
    )
}

fn parse(text: Option<String>) -> Option<Value> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

/// Reads the audit rows the transaction wrote after `mark` and, when `admin_log` is on and the
/// database has Django admin's tables, writes one `django_admin_log` row per change of a kind
/// with a content type, attributed to the auth_user named like the actor. Without such a user
/// (the column is NOT NULL) no entry is written and [`ChangeRecord::admin_note`] says why.
pub fn before_commit(tx: &Tx<'_>, mark: i64, admin_log: bool) -> Result<ChangeRecord> {
    let conn: &Reader = tx;
    let mut done = ChangeRecord::default();
    let admin = admin_log && conn.tables_exist(&["django_admin_log", "django_content_type"])?;
    let user_id: Option<i64> = if admin {
        conn.row(
            "SELECT id FROM auth_user WHERE username = ?1",
            [&tx.actor],
            |r| r.get(0),
        )?
    } else {
        None
    };
    let mut skipped = 0usize;
    // entries waiting to be written, ENTRY_BATCH to a statement
    let mut pending: Vec<Entry> = Vec::new();
    // content type ids, looked up once per model (an import touches thousands of rows)
    let mut content_types: std::collections::HashMap<&str, Option<i64>> = Default::default();
    let audit = "SELECT action, object_kind, object_name, before, after FROM wafflectl_audit
         WHERE id > ?1 AND at = ?2 AND actor = ?3 ORDER BY id";
    conn.each(audit, params![mark, tx.now_db, tx.actor], |r| {
        let t = Touched {
            action: r.get(0)?,
            kind: r.get(1)?,
            name: r.get(2)?,
        };
        if admin && let Some(m) = model_of(&t.kind) {
            let Some(user_id) = user_id else {
                skipped += 1;
                done.touched.push(t);
                return Ok(());
            };
            let before = parse(r.get(3)?);
            let after = parse(r.get(4)?);
            let ct = match content_types.get(m.model) {
                Some(ct) => *ct,
                None => {
                    let ct: Option<i64> = conn.row(
                        "SELECT id FROM django_content_type WHERE app_label = ?1 AND model = ?2",
                        [m.app_label, m.model],
                        |r| r.get(0),
                    )?;
                    content_types.insert(m.model, ct);
                    ct
                }
            };
            if let Some(ct) = ct {
                let lookup = Some((t.kind.clone(), t.name.clone()));
                let entry = match (&before, &after) {
                    _ if m.labels.is_empty() => after
                        .as_ref()
                        .map(|a| override_row(conn, &t.kind, a))
                        .transpose()?
                        .flatten()
                        .map(|(id, repr, _)| {
                            (ADDITION, Some(id), None, repr, "[{\"added\": {}}]".into())
                        }),
                    (None, Some(_)) => Some((
                        ADDITION,
                        None,
                        lookup,
                        t.name.clone(),
                        "[{\"added\": {}}]".to_string(),
                    )),
                    (Some(b), Some(a)) => Some((
                        CHANGE,
                        None,
                        lookup,
                        t.name.clone(),
                        change_message(m.labels, b, a),
                    )),
                    // The row is gone: its id was noted when it was deleted (Django's
                    // log_deletion writes the object's pk; no change message).
                    (Some(_), None) => Some((
                        DELETION,
                        named_table(&t.kind).and_then(|(table, _)| tx.deleted_id(table, &t.name)),
                        None,
                        t.name.clone(),
                        String::new(),
                    )),
                    (None, None) => None,
                };
                if let Some((flag, id, lookup, repr, message)) = entry {
                    pending.push(Entry {
                        flag,
                        content_type: ct,
                        id,
                        lookup,
                        repr,
                        message,
                    });
                    done.admin_entries += 1;
                    if pending.len() >= ENTRY_BATCH {
                        write_entries(tx, user_id, &mut pending)?;
                    }
                }
            }
        }
        done.touched.push(t);
        Ok(())
    })?;
    if let Some(user_id) = user_id {
        write_entries(tx, user_id, &mut pending)?;
    }
    if done
        .touched
        .iter()
        .any(|t| (t.kind == "user" || t.kind == "group") && t.action == "delete")
    {
        done.member_flags = conn.rows("SELECT name FROM waffle_flag ORDER BY name", (), |r| {
            r.get(0)
        })?;
    }
    if skipped > 0 {
        done.admin_note = Some(format!(
            "no Django admin history written: no user '{}' in auth_user to attribute {} to \
             (django_admin_log needs one; pass --actor USERNAME, or --no-admin-log)",
            tx.actor,
            if skipped == 1 {
                "the change".to_string()
            } else {
                format!("the {skipped} changes")
            }
        ));
    }
    Ok(done)
}

/// A flag's user ids and group ids.
pub type Members = (Vec<i64>, Vec<i64>);

/// For `doctor --cache`: each flag's user ids and group ids (what django-waffle caches under
/// `flag:NAME:users` / `flag:NAME:groups`), by flag name.
pub fn flag_member_ids(conn: &Reader) -> Result<std::collections::HashMap<String, Members>> {
    let mut out: std::collections::HashMap<String, Members> = Default::default();
    conn.each("SELECT name FROM waffle_flag", (), |r| {
        out.insert(r.get(0)?, Default::default());
        Ok(())
    })?;
    for (sql, users) in [
        (
            "SELECT f.name, m.user_id FROM waffle_flag_users m JOIN waffle_flag f ON f.id = m.flag_id",
            true,
        ),
        (
            "SELECT f.name, m.group_id FROM waffle_flag_groups m JOIN waffle_flag f ON f.id = m.flag_id",
            false,
        ),
    ] {
        conn.each(sql, (), |r| {
            let e = out.entry(r.get::<_, String>(0)?).or_default();
            let id: i64 = r.get(1)?;
            if users {
                e.0.push(id)
            } else {
                e.1.push(id)
            }
            Ok(())
        })?;
    }
    Ok(out)
}

/// For `doctor --cache`: every name of `kind` the audit log knows (objects deleted since
/// included, whose cached copies would still say they exist).
pub fn audited_names(conn: &Reader, kind: &str) -> Result<Vec<String>> {
    let names = conn.rows("SELECT object_name FROM wafflectl_audit WHERE object_kind = ?1 GROUP BY object_name ORDER BY object_name", [kind], |r| r.get(0))?;
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn change_message_lists_changed_labels_in_form_order() {
        let m = model_of("flag").unwrap();
        let b = json!({"name": "x", "everyone": null, "note": "", "users": [], "percent": null});
        let a =
            json!({"name": "x", "everyone": true, "note": "n", "users": ["ann"], "percent": null});
        assert_eq!(
            change_message(m.labels, &b, &a),
            r#"[{"changed": {"fields": ["Everyone", "Note", "Users"]}}]"#
        );
        assert_eq!(change_message(m.labels, &b, &b), "[]");
    }

    #[test]
    fn kinds_without_a_django_model_have_none() {
        assert!(model_of("experiment").is_none());
        assert!(model_of("flag").is_some());
    }
}
