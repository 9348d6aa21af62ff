//! Open edX data: course/org overrides (`waffle_utils_*`), experiment definitions
//! (`wafflectl_experiment`), experiment key-values and per-user data (`experiments_*`).
//!
//! The readers here are the ones the bucketing engine's callers use: [`get_experiment`],
//! [`current_override`] and [`key_values`]. Nothing here prints.

use std::collections::BTreeMap;

use super::{ColumnResult, Reader, Row, params, params_from_iter};
use serde::Serialize;
use serde_json::{Value, json};

use super::Tx;
use super::columns::{boolean, opt_text, ser_time, stored_date, text};
use crate::engine::overrides::{self as precedence, Choice, StoredDate};
use crate::error::Result;
use crate::types::sub_flag;

/// Largest experiment ID: edX's `PositiveSmallIntegerField` (0–32767).
pub const MAX_EXPERIMENT_ID: i64 = crate::types::MAX_EXPERIMENT_ID;

/// The `kind` of an Open edX experiment definition in `wafflectl_experiment`.
pub const KIND_EDX: &str = "edx";

// ---------------------------------------------------------------------------------------------
// Course and org overrides
// ---------------------------------------------------------------------------------------------

/// Which override model: per course (`course_id`) or per organisation (`org`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Course,
    Org,
}

impl Scope {
    pub fn table(self) -> &'static str {
        match self {
            Scope::Course => "waffle_utils_waffleflagcourseoverridemodel",
            Scope::Org => "waffle_utils_waffleflagorgoverridemodel",
        }
    }
    /// The key column besides `waffle_flag`.
    pub fn key_column(self) -> &'static str {
        match self {
            Scope::Course => "course_id",
            Scope::Org => "org",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Course => "course",
            Scope::Org => "org",
        }
    }
}

/// One row of an override table (ConfigurationModel: append-only, the newest row of a key wins).
#[derive(Debug, Clone, PartialEq)]
pub struct OverrideRow {
    pub id: i64,
    pub scope: Scope,
    pub flag: String,
    /// The course key (course scope) or the org (org scope).
    pub key: String,
    /// `override_choice` as stored.
    pub choice: String,
    pub enabled: bool,
    pub note: String,
    /// `change_date` as stored.
    pub change_date: String,
    pub changed_by_id: Option<i64>,
    /// The author's username, when `changed_by_id` names an existing user.
    pub changed_by: Option<String>,
}

impl OverrideRow {
    /// The override this row makes when it is the current row ([`Choice::of_row`]); None when
    /// it forces nothing.
    pub fn effective(&self) -> Option<Choice> {
        Choice::of_row(self.enabled, &self.choice)
    }

    /// The state the audit log records for `override set`/`clear` (no author, no date: the
    /// change's own row says who and when).
    pub fn audit_record(&self) -> OverrideAudit<'_> {
        let (course_id, org) = match self.scope {
            Scope::Course => (Some(self.key.as_str()), None),
            Scope::Org => (None, Some(self.key.as_str())),
        };
        OverrideAudit {
            change_date: None,
            changed_by: None,
            choice: &self.choice,
            course_id,
            enabled: self.enabled,
            flag: &self.flag,
            note: &self.note,
            org,
        }
    }

    /// [`OverrideRow::audit_record`] as JSON.
    pub fn audit(&self) -> Value {
        serde_json::to_value(self.audit_record()).unwrap_or(Value::Null)
    }
}

/// An override row as the audit log records it. Import records each row's author and date
/// too (`changed_by` null when the row has none). Fields in the order `diff --json` shows them;
/// the log stores them sorted.
#[derive(Debug, Serialize)]
pub struct OverrideAudit<'a> {
    pub flag: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub course_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<&'a str>,
    pub choice: &'a str,
    pub enabled: bool,
    pub note: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_date: Option<String>,
}

fn override_select(scope: Scope) -> String {
    format!(
        "SELECT o.id, o.change_date, o.enabled, o.waffle_flag, o.{key} AS key, o.override_choice, o.note,
                o.changed_by_id, u.username AS changed_by
         FROM {table} o LEFT JOIN auth_user u ON u.id = o.changed_by_id",
        key = scope.key_column(),
        table = scope.table()
    )
}

fn override_from_row(scope: Scope, r: &Row<'_>) -> ColumnResult<OverrideRow> {
    Ok(OverrideRow {
        id: r.get("id")?,
        scope,
        flag: text(r, "waffle_flag")?,
        key: text(r, "key")?,
        choice: text(r, "override_choice")?,
        enabled: boolean(r, "enabled")?,
        note: text(r, "note")?,
        change_date: text(r, "change_date")?,
        changed_by_id: r.get("changed_by_id")?,
        changed_by: opt_text(r, "changed_by")?,
    })
}

/// Every row of both tables (course rows first), each in row-id order (export).
pub fn override_rows_by_id(conn: &Reader) -> Result<Vec<OverrideRow>> {
    let mut out = Vec::new();
    for scope in [Scope::Course, Scope::Org] {
        out.extend(conn.rows(
            &format!("{} ORDER BY o.id", override_select(scope)),
            (),
            |r| override_from_row(scope, r),
        )?);
    }
    Ok(out)
}

/// The rows of one scope (optionally of one flag and key) with their stored dates, in no
/// particular order: the engine decides which is current.
fn dated_rows(
    conn: &Reader,
    scope: Scope,
    flag: Option<&str>,
    key: Option<&str>,
) -> Result<Vec<(OverrideRow, StoredDate)>> {
    // One SQL text per filter, so that SQLite can use the (waffle_flag, key) indexes.
    let mut filters = Vec::new();
    let mut params: Vec<&str> = Vec::new();
    if let Some(f) = flag {
        params.push(f);
        filters.push(format!("o.waffle_flag = ?{}", params.len()));
    }
    if let Some(k) = key {
        params.push(k);
        filters.push(format!("o.{} = ?{}", scope.key_column(), params.len()));
    }
    let mut sql = override_select(scope);
    if !filters.is_empty() {
        sql.push_str(&format!(" WHERE {}", filters.join(" AND ")));
    }
    let rows = conn.rows(&sql, params_from_iter(params), |r| {
        Ok((override_from_row(scope, r)?, stored_date(r, "change_date")?))
    })?;
    Ok(rows)
}

/// Sorts rows by flag and key, and within each (flag, key) oldest first in edX's order
/// ([`precedence::newest_first`] reversed), so the last row of a key is its current row.
fn sort_oldest_first(rows: &mut [(OverrideRow, StoredDate)]) {
    rows.sort_by(|(a, ad), (b, bd)| {
        (a.flag.as_bytes(), a.key.as_bytes())
            .cmp(&(b.flag.as_bytes(), b.key.as_bytes()))
            .then_with(|| precedence::newest_first((bd, b.id), (ad, a.id)))
    });
}

/// Every row of one scope (optionally of one flag), sorted by flag and key, and within each
/// (flag, key) oldest first in edX's order, so the last row of a key is its current row.
pub(crate) fn override_rows(
    conn: &Reader,
    scope: Scope,
    flag: Option<&str>,
) -> Result<Vec<OverrideRow>> {
    let mut rows = dated_rows(conn, scope, flag, None)?;
    sort_oldest_first(&mut rows);
    Ok(rows.into_iter().map(|(r, _)| r).collect())
}

/// The current row of every (flag, key) of one scope, enabled or not, sorted by flag and key.
pub(crate) fn current_rows(
    conn: &Reader,
    scope: Scope,
    flag: Option<&str>,
) -> Result<Vec<OverrideRow>> {
    let rows = override_rows(conn, scope, flag)?;
    let mut out: Vec<OverrideRow> = Vec::new();
    for r in rows {
        match out.last_mut() {
            // Rows come oldest first within a key, so a later row of the same key replaces.
            Some(last) if last.flag == r.flag && last.key == r.key => *last = r,
            _ => out.push(r),
        }
    }
    Ok(out)
}

/// The current row for (flag, key), enabled or not, with its stored date: the engine's pick
/// ([`precedence::current`]) among the key's rows.
fn current_dated_row(
    conn: &Reader,
    scope: Scope,
    flag: &str,
    key: &str,
) -> Result<Option<(OverrideRow, StoredDate)>> {
    let rows = dated_rows(conn, scope, Some(flag), Some(key))?;
    Ok(precedence::current(&rows, |(r, d)| (d, r.id)).cloned())
}

/// The current row for (flag, key), enabled or not: the first row of edX's query.
pub(crate) fn current_row(
    conn: &Reader,
    scope: Scope,
    flag: &str,
    key: &str,
) -> Result<Option<OverrideRow>> {
    Ok(current_dated_row(conn, scope, flag, key)?.map(|(r, _)| r))
}

/// The override in force for (flag, course) or (flag, org), as edX's `override_value` reads it:
/// the current row's [`Choice::of_row`] (None without rows).
pub(crate) fn current_override(
    conn: &Reader,
    scope: Scope,
    flag: &str,
    key: &str,
) -> Result<Option<Choice>> {
    Ok(current_row(conn, scope, flag, key)?.and_then(|r| r.effective()))
}

/// Appends an override row (ConfigurationModel rows are never updated) dated now (see
/// [`next_change_date`]) and returns its id.
#[allow(clippy::too_many_arguments)]
pub(crate) fn append_override(
    tx: &Tx<'_>,
    scope: Scope,
    flag: &str,
    key: &str,
    enabled: bool,
    choice: &str,
    note: &str,
    changed_by_id: Option<i64>,
) -> Result<i64> {
    let row = OverrideRow {
        id: 0,
        scope,
        flag: flag.to_string(),
        key: key.to_string(),
        choice: choice.to_string(),
        enabled,
        note: note.to_string(),
        change_date: next_change_date(tx, scope, flag, key)?,
        changed_by_id,
        changed_by: None,
    };
    write_override(tx, &row)
}

/// Writes an override row as given: inserts (`id == 0`, returning the new id) or updates every
/// column by id (`changed_by_id` is the author's user id). The one writer of the override
/// tables, for `override set` (through [`append_override`]) and import.
pub(crate) fn write_override(tx: &Tx<'_>, o: &OverrideRow) -> Result<i64> {
    tx.write_row(
        o.scope.table(),
        o.id,
        &[
            "change_date",
            "enabled",
            "waffle_flag",
            o.scope.key_column(),
            "override_choice",
            "note",
            "changed_by_id",
        ],
        params![
            o.change_date,
            o.enabled,
            o.flag,
            o.key,
            o.choice,
            o.note,
            o.changed_by_id
        ],
        &[],
    )
}

/// Deletes one override row by id.
pub(crate) fn delete_override(tx: &Tx<'_>, scope: Scope, id: i64) -> Result<()> {
    tx.delete_row(scope.table(), id)
}

/// The `change_date` of a row appended now: the transaction's time, unless the key's current
/// row already sorts at or after it (the same instant, another writer's clock, a `T` form), in
/// which case edX's query would keep returning that row; then one microsecond after the current
/// row's instant. A current row that no text wafflectl writes can follow (a blob, or a `T` form
/// at the same instant) is refused: appending would change nothing in edX.
fn next_change_date(tx: &Tx<'_>, scope: Scope, flag: &str, key: &str) -> Result<String> {
    let latest = current_dated_row(tx, scope, flag, key)?.map(|(_, d)| d);
    let (latest, blob) = match latest {
        // SQLite sorts numbers before any text: a text date follows them.
        None | Some(StoredDate::Null | StoredDate::Integer(_) | StoredDate::Real(_)) => {
            return Ok(tx.now_db.clone());
        }
        Some(StoredDate::Text(t)) => (t, false),
        // ... and every blob after any text.
        Some(StoredDate::Blob(b)) => (String::from_utf8_lossy(&b).into_owned(), true),
    };
    if !blob && tx.now_db.as_str() > latest.as_str() {
        return Ok(tx.now_db.clone());
    }
    if let Some(t) = crate::time::parse_db(&latest).filter(|_| !blob) {
        let next = crate::time::to_db(&(t + chrono::Duration::microseconds(1)));
        if next.as_str() > latest.as_str() {
            return Ok(next);
        }
    }
    Err(crate::error::Error::runtime(format!(
        "the current {} override row of {flag} for {key} has change_date '{latest}', which sorts after any time wafflectl writes; edX would keep reading that row",
        scope.as_str()
    ))
    .with_hint("fix that row's change_date to Django's form YYYY-MM-DD HH:MM:SS[.ffffff]"))
}

/// The `auth_user` id of a username, if such a user exists (for `changed_by_id`).
pub fn user_id_of(conn: &Reader, username: &str) -> Result<Option<i64>> {
    conn.row(
        "SELECT id FROM auth_user WHERE username = ?1",
        [username],
        |r| r.get(0),
    )
}

// ---------------------------------------------------------------------------------------------
// Experiment definitions
// ---------------------------------------------------------------------------------------------

/// An experiment definition (what edX keeps in code as an `ExperimentWaffleFlag`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExperimentRow {
    #[serde(skip)]
    pub row_id: i64,
    pub name: String,
    pub kind: String,
    pub num_buckets: i64,
    pub experiment_id: Option<i64>,
    pub course_aware: bool,
    pub note: String,
    #[serde(serialize_with = "ser_time")]
    pub created: String,
    #[serde(serialize_with = "ser_time")]
    pub modified: String,
}

impl ExperimentRow {
    /// A new Open edX definition: 2 buckets, no ID, course-aware.
    pub fn new(name: &str, now_db: &str) -> ExperimentRow {
        ExperimentRow {
            row_id: 0,
            name: name.to_string(),
            kind: KIND_EDX.to_string(),
            num_buckets: 2,
            experiment_id: None,
            course_aware: true,
            note: String::new(),
            created: now_db.to_string(),
            modified: now_db.to_string(),
        }
    }

    /// The name of bucket `n`'s flag: `NAME.n`.
    pub fn bucket_flag(&self, n: i64) -> String {
        bucket_flag(&self.name, n)
    }

    pub fn audit(&self) -> Value {
        super::toggles::audit_value(self)
    }
}

/// The name of bucket `n`'s flag of experiment `name`: `name.n`.
pub fn bucket_flag(name: &str, n: i64) -> String {
    sub_flag::name(name, n)
}

const EXP_COLS: &str =
    "id, name, kind, num_buckets, experiment_id, course_aware, note, created, modified";

fn experiment_from_row(r: &Row<'_>) -> ColumnResult<ExperimentRow> {
    Ok(ExperimentRow {
        row_id: r.get("id")?,
        name: text(r, "name")?,
        kind: text(r, "kind")?,
        num_buckets: r.get("num_buckets")?,
        experiment_id: r.get("experiment_id")?,
        course_aware: boolean(r, "course_aware")?,
        note: text(r, "note")?,
        created: text(r, "created")?,
        modified: text(r, "modified")?,
    })
}

pub fn get_experiment(conn: &Reader, name: &str) -> Result<Option<ExperimentRow>> {
    conn.row(
        &format!("SELECT {EXP_COLS} FROM wafflectl_experiment WHERE name = ?1"),
        [name],
        experiment_from_row,
    )
}

pub fn list_experiments(conn: &Reader) -> Result<Vec<ExperimentRow>> {
    experiments_ordered(conn, "name")
}

/// Every definition in row-id order (export).
pub fn experiments_by_id(conn: &Reader) -> Result<Vec<ExperimentRow>> {
    experiments_ordered(conn, "id")
}

fn experiments_ordered(conn: &Reader, order: &str) -> Result<Vec<ExperimentRow>> {
    conn.rows(
        &format!("SELECT {EXP_COLS} FROM wafflectl_experiment ORDER BY {order}"),
        (),
        experiment_from_row,
    )
}

/// Inserts (`row_id == 0`) or updates every column but `created` of a definition by row id;
/// returns its row id. The one writer of `wafflectl_experiment`.
pub(crate) fn save_experiment(tx: &Tx<'_>, e: &ExperimentRow) -> Result<i64> {
    tx.write_row(
        "wafflectl_experiment",
        e.row_id,
        &[
            "name",
            "kind",
            "num_buckets",
            "experiment_id",
            "course_aware",
            "note",
            "created",
            "modified",
        ],
        params![
            e.name,
            e.kind,
            e.num_buckets,
            e.experiment_id,
            e.course_aware,
            e.note,
            e.created,
            e.modified
        ],
        &["created"],
    )
}

pub(crate) fn delete_experiment(tx: &Tx<'_>, row_id: i64) -> Result<()> {
    tx.delete_row("wafflectl_experiment", row_id)
}

/// Names of the existing flags `NAME.N` (N a non-negative integer), with N, sorted by N.
pub fn bucket_flags(conn: &Reader, name: &str) -> Result<Vec<(i64, String)>> {
    let prefix = format!("{name}.");
    let names: Vec<String> = conn.rows(
        &format!(
            "SELECT name FROM waffle_flag WHERE {}",
            conn.starts_with("name", 1)
        ),
        [&prefix],
        |r| r.get(0),
    )?;
    let mut out: Vec<(i64, String)> = names
        .into_iter()
        .filter_map(|n| {
            let k = i64::try_from(sub_flag::index(name, &n)?).ok()?;
            Some((k, n))
        })
        .collect();
    out.sort();
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Key-values (experiments_experimentkeyvalue)
// ---------------------------------------------------------------------------------------------

/// A row of `experiments_experimentkeyvalue`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyValue {
    #[serde(skip)]
    pub id: i64,
    pub experiment_id: i64,
    pub key: String,
    pub value: String,
    #[serde(serialize_with = "ser_time")]
    pub created: String,
    #[serde(serialize_with = "ser_time")]
    pub modified: String,
}

impl KeyValue {
    pub fn audit(&self) -> Value {
        json!({ "experiment_id": self.experiment_id, "key": self.key, "value": self.value })
    }
}

const KV_COLS: &str = "id, experiment_id, key, value, created, modified";

/// Every key-value row in row-id order (export).
pub fn key_values_by_id(conn: &Reader) -> Result<Vec<KeyValue>> {
    conn.rows(
        &format!("SELECT {KV_COLS} FROM experiments_experimentkeyvalue ORDER BY id"),
        (),
        kv_from_row,
    )
}

fn kv_from_row(r: &Row<'_>) -> ColumnResult<KeyValue> {
    Ok(KeyValue {
        id: r.get("id")?,
        experiment_id: r.get("experiment_id")?,
        key: text(r, "key")?,
        value: text(r, "value")?,
        created: text(r, "created")?,
        modified: text(r, "modified")?,
    })
}

/// The key-value rows of an experiment ID, sorted by key.
pub fn key_value_rows(conn: &Reader, id: i64) -> Result<Vec<KeyValue>> {
    conn.rows(&format!(
        "SELECT {KV_COLS} FROM experiments_experimentkeyvalue WHERE experiment_id = ?1 ORDER BY key"
    ), [id], kv_from_row)
}

/// The key-values of an experiment ID as a map (what edX loads for the enrollment window).
pub fn key_values(conn: &Reader, id: i64) -> Result<BTreeMap<String, String>> {
    Ok(key_value_rows(conn, id)?
        .into_iter()
        .map(|kv| (kv.key, kv.value))
        .collect())
}

pub fn get_key_value(conn: &Reader, id: i64, key: &str) -> Result<Option<KeyValue>> {
    conn.row(&format!(
            "SELECT {KV_COLS} FROM experiments_experimentkeyvalue WHERE experiment_id = ?1 AND key = ?2"
        ), params![id, key], kv_from_row)
}

/// Inserts or updates (keeping `created`) the value of (id, key).
pub(crate) fn set_key_value(tx: &Tx<'_>, id: i64, key: &str, value: &str) -> Result<()> {
    let row = match get_key_value(tx, id, key)? {
        Some(cur) => KeyValue {
            value: value.to_string(),
            modified: tx.now_db.clone(),
            ..cur
        },
        None => KeyValue {
            id: 0,
            experiment_id: id,
            key: key.to_string(),
            value: value.to_string(),
            created: tx.now_db.clone(),
            modified: tx.now_db.clone(),
        },
    };
    write_key_value(tx, &row)?;
    Ok(())
}

/// Inserts (`id == 0`) or updates every column but `created` of a key-value row by id. The one
/// writer of `experiments_experimentkeyvalue`.
pub(crate) fn write_key_value(tx: &Tx<'_>, k: &KeyValue) -> Result<i64> {
    tx.write_row(
        "experiments_experimentkeyvalue",
        k.id,
        &["created", "modified", "experiment_id", "key", "value"],
        params![k.created, k.modified, k.experiment_id, k.key, k.value],
        &["created"],
    )
}

/// Deletes one key-value row by id.
pub(crate) fn delete_key_value(tx: &Tx<'_>, row_id: i64) -> Result<()> {
    tx.delete_row("experiments_experimentkeyvalue", row_id)
}

// ---------------------------------------------------------------------------------------------
// Per-user data (experiments_experimentdata)
// ---------------------------------------------------------------------------------------------

/// A row of `experiments_experimentdata`, with the username.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataRow {
    #[serde(skip)]
    pub id: i64,
    pub experiment_id: i64,
    pub user: String,
    pub key: String,
    pub value: String,
    #[serde(serialize_with = "ser_time")]
    pub created: String,
    #[serde(serialize_with = "ser_time")]
    pub modified: String,
}

impl DataRow {
    pub fn audit(&self) -> Value {
        json!({
            "experiment_id": self.experiment_id,
            "user": self.user,
            "key": self.key,
            "value": self.value,
        })
    }
}

fn data_from_row(r: &Row<'_>) -> ColumnResult<DataRow> {
    Ok(DataRow {
        id: r.get("id")?,
        experiment_id: r.get("experiment_id")?,
        user: text(r, "username")?,
        key: text(r, "key")?,
        value: text(r, "value")?,
        created: text(r, "created")?,
        modified: text(r, "modified")?,
    })
}

const DATA_SELECT: &str =
    "SELECT d.id, d.experiment_id, u.username, d.key, d.value, d.created, d.modified
     FROM experiments_experimentdata d JOIN auth_user u ON u.id = d.user_id";

/// Per-user rows, optionally of one experiment ID and/or one user, ordered as edX's admin
/// orders them (experiment ID, user, key).
pub fn data_rows(conn: &Reader, id: Option<i64>, user_id: Option<i64>) -> Result<Vec<DataRow>> {
    // only the filters given become conditions (a server must know each parameter's type)
    let mut conditions = Vec::new();
    let mut values = Vec::new();
    for (column, value) in [("d.experiment_id", id), ("d.user_id", user_id)] {
        if let Some(v) = value {
            values.push(v);
            conditions.push(format!("{column} = ?{}", values.len()));
        }
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    conn.rows(
        &format!("{DATA_SELECT}{filter} ORDER BY d.experiment_id, u.username, d.key"),
        params_from_iter(values),
        data_from_row,
    )
}

/// Every per-user row in row-id order (export).
pub fn data_rows_by_id(conn: &Reader) -> Result<Vec<DataRow>> {
    conn.rows(&format!("{DATA_SELECT} ORDER BY d.id"), (), data_from_row)
}

pub fn get_data(conn: &Reader, id: i64, user_id: i64, key: &str) -> Result<Option<DataRow>> {
    conn.row(
        &format!("{DATA_SELECT} WHERE d.experiment_id = ?1 AND d.user_id = ?2 AND d.key = ?3"),
        params![id, user_id, key],
        data_from_row,
    )
}

/// Inserts or updates (keeping `created`) a user's value of (id, key).
pub(crate) fn set_data(tx: &Tx<'_>, id: i64, user_id: i64, key: &str, value: &str) -> Result<()> {
    let row = match get_data(tx, id, user_id, key)? {
        Some(cur) => DataRow {
            value: value.to_string(),
            modified: tx.now_db.clone(),
            ..cur
        },
        None => DataRow {
            id: 0,
            experiment_id: id,
            user: String::new(),
            key: key.to_string(),
            value: value.to_string(),
            created: tx.now_db.clone(),
            modified: tx.now_db.clone(),
        },
    };
    write_data(tx, &row, user_id)?;
    Ok(())
}

/// Inserts (`id == 0`) or updates every column but `created` of a per-user row by id (`user_id`
/// is the row's user). The one writer of `experiments_experimentdata`.
pub(crate) fn write_data(tx: &Tx<'_>, d: &DataRow, user_id: i64) -> Result<i64> {
    tx.write_row(
        "experiments_experimentdata",
        d.id,
        &[
            "created",
            "modified",
            "experiment_id",
            "key",
            "value",
            "user_id",
        ],
        params![
            d.created,
            d.modified,
            d.experiment_id,
            d.key,
            d.value,
            user_id
        ],
        &["created"],
    )
}

/// Deletes one per-user row by id.
pub(crate) fn delete_data(tx: &Tx<'_>, row_id: i64) -> Result<()> {
    tx.delete_row("experiments_experimentdata", row_id)
}

// ---------------------------------------------------------------------------------------------
// Experiment IDs in use
// ---------------------------------------------------------------------------------------------

/// Where one experiment ID is used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdUse {
    pub id: i64,
    /// Definitions holding the ID (at most one in a wafflectl store).
    pub experiments: Vec<String>,
    /// Baseplate experiments (top-level keys) whose config holds the ID.
    pub baseplate: Vec<String>,
    pub key_values: i64,
    pub data_rows: i64,
}

impl IdUse {
    /// An ID nothing uses yet.
    pub fn unused(id: i64) -> IdUse {
        IdUse {
            id,
            experiments: Vec::new(),
            baseplate: Vec::new(),
            key_values: 0,
            data_rows: 0,
        }
    }
}

/// Whether an experiment may take an ID: the one rule of the shared ID space, for
/// `experiment create|set --id` and for an import alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim<'a> {
    /// Nothing else uses it.
    Free,
    /// Another experiment holds it: refused.
    Taken {
        /// The other experiment's name (edX) or key (baseplate).
        by: &'a str,
        /// `experiment` or `baseplate experiment`.
        system: &'static str,
    },
    /// Only key-values or per-user rows that no definition claims use it: allowed, with a
    /// warning.
    Unclaimed { key_values: i64, data_rows: i64 },
}

impl IdUse {
    pub fn is_free(&self) -> bool {
        self.experiments.is_empty()
            && self.baseplate.is_empty()
            && self.key_values == 0
            && self.data_rows == 0
    }

    /// Whether the experiment `for_name` may hold this ID.
    pub fn claim(&self, for_name: &str) -> Claim<'_> {
        let other = self
            .experiments
            .iter()
            .map(|n| (n, "experiment"))
            .chain(self.baseplate.iter().map(|k| (k, "baseplate experiment")))
            .find(|(n, _)| *n != for_name);
        match other {
            Some((by, system)) => Claim::Taken { by, system },
            None if self.key_values > 0 || self.data_rows > 0 => Claim::Unclaimed {
                key_values: self.key_values,
                data_rows: self.data_rows,
            },
            None => Claim::Free,
        }
    }
}

/// `experiment_id -> count` of a table; one GROUP BY that the `experiment_id` index serves.
fn counts_by_id(conn: &Reader, table: &str) -> Result<Vec<(i64, i64)>> {
    conn.rows(
        &format!("SELECT experiment_id, count(*) FROM {table} GROUP BY experiment_id"),
        (),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Every experiment ID in use anywhere in the store, sorted by ID.
pub fn ids_in_use(conn: &Reader) -> Result<Vec<IdUse>> {
    let mut by_id: BTreeMap<i64, IdUse> = BTreeMap::new();
    let defs = conn.rows("SELECT experiment_id, name FROM wafflectl_experiment WHERE experiment_id IS NOT NULL ORDER BY name", (), |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for (id, name) in defs {
        by_id
            .entry(id)
            .or_insert_with(|| IdUse::unused(id))
            .experiments
            .push(name);
    }
    for (id, key) in super::baseplate::ids(conn)? {
        by_id
            .entry(id)
            .or_insert_with(|| IdUse::unused(id))
            .baseplate
            .push(key);
    }
    for (id, n) in counts_by_id(conn, "experiments_experimentkeyvalue")? {
        by_id
            .entry(id)
            .or_insert_with(|| IdUse::unused(id))
            .key_values = n;
    }
    for (id, n) in counts_by_id(conn, "experiments_experimentdata")? {
        by_id
            .entry(id)
            .or_insert_with(|| IdUse::unused(id))
            .data_rows = n;
    }
    Ok(by_id.into_values().collect())
}

/// Where one ID is used (index lookups only).
pub fn id_use(conn: &Reader, id: i64) -> Result<IdUse> {
    let experiments = conn.rows(
        "SELECT name FROM wafflectl_experiment WHERE experiment_id = ?1 ORDER BY name",
        [id],
        |r| r.get(0),
    )?;
    let count = |table: &str| -> Result<i64> {
        conn.integer(
            &format!("SELECT count(*) FROM {table} WHERE experiment_id = ?1"),
            [id],
        )
    };
    Ok(IdUse {
        id,
        experiments,
        baseplate: super::baseplate::keys_with_id(conn, id)?,
        key_values: count("experiments_experimentkeyvalue")?,
        data_rows: count("experiments_experimentdata")?,
    })
}

/// The smallest ID in 0..=32767 that nothing uses, or None when all are taken.
pub fn next_free_id(conn: &Reader) -> Result<Option<i64>> {
    let used: std::collections::HashSet<i64> =
        ids_in_use(conn)?.into_iter().map(|u| u.id).collect();
    Ok((0..=MAX_EXPERIMENT_ID).find(|i| !used.contains(i)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::schema;

    fn store() -> Reader {
        let conn = crate::store::sqlite::in_memory();
        for t in schema::DJANGO_TABLES {
            for stmt in t.ddl {
                conn.execute_batch(stmt).unwrap();
            }
        }
        for m in schema::MIGRATIONS {
            conn.execute_batch(m).unwrap();
        }
        conn
    }

    fn add_override(
        conn: &Reader,
        scope: Scope,
        date: &str,
        enabled: bool,
        key: &str,
        choice: &str,
    ) {
        conn.run(
            &format!(
                "INSERT INTO {} (change_date, enabled, waffle_flag, {}, override_choice, note, changed_by_id)
                 VALUES (?1, ?2, 'f', ?3, ?4, '', NULL)",
                scope.table(),
                scope.key_column()
            ),
            params![date, enabled, key, choice],
        )
        .unwrap();
    }

    #[test]
    fn current_override_is_the_newest_row_and_only_when_enabled() {
        let conn = store();
        assert_eq!(
            current_override(&conn, Scope::Course, "f", "a/b/c").unwrap(),
            None
        );
        add_override(
            &conn,
            Scope::Course,
            "2020-01-01 00:00:00",
            true,
            "a/b/c",
            "on",
        );
        assert_eq!(
            current_override(&conn, Scope::Course, "f", "a/b/c").unwrap(),
            Some(Choice::On)
        );
        // Newer (with a fraction): off.
        add_override(
            &conn,
            Scope::Course,
            "2020-01-01 00:00:00.5",
            true,
            "a/b/c",
            "off",
        );
        assert_eq!(
            current_override(&conn, Scope::Course, "f", "a/b/c").unwrap(),
            Some(Choice::Off)
        );
        // Same text, higher id: edX's query on SQLite returns the lower id, so still off.
        add_override(
            &conn,
            Scope::Course,
            "2020-01-01 00:00:00.5",
            false,
            "a/b/c",
            "on",
        );
        assert_eq!(
            current_override(&conn, Scope::Course, "f", "a/b/c").unwrap(),
            Some(Choice::Off)
        );
        // Compared as text, as SQLite compares it: the `T` form sorts after every space form of
        // the same day, although it is an earlier instant.
        add_override(
            &conn,
            Scope::Course,
            "2020-01-01T00:00:00",
            false,
            "a/b/c",
            "on",
        );
        assert_eq!(
            current_override(&conn, Scope::Course, "f", "a/b/c").unwrap(),
            None
        );
        // An older row added later does not win.
        add_override(
            &conn,
            Scope::Course,
            "2019-01-01 00:00:00",
            true,
            "a/b/c",
            "on",
        );
        assert_eq!(
            current_override(&conn, Scope::Course, "f", "a/b/c").unwrap(),
            None
        );
        // Org scope is separate; `unset` is no choice.
        add_override(&conn, Scope::Org, "2020-01-01 00:00:00", true, "a", "unset");
        assert_eq!(current_override(&conn, Scope::Org, "f", "a").unwrap(), None);
        add_override(&conn, Scope::Org, "2021-01-01 00:00:00", true, "a", "off");
        let current = current_rows(&conn, Scope::Org, None).unwrap();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].effective(), Some(Choice::Off));
    }

    #[test]
    fn experiments_key_values_and_ids() {
        let conn = store();
        conn.execute_batch(
            "INSERT INTO wafflectl_experiment (name, kind, num_buckets, experiment_id, course_aware, note, created, modified)
             VALUES ('a.b', 'edx', 3, 2, 0, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00');
             INSERT INTO experiments_experimentkeyvalue (created, modified, experiment_id, key, value)
             VALUES ('2026-01-01', '2026-01-01', 2, 'enrollment_start', '2020-01-01T00:00:00'),
                    ('2026-01-01', '2026-01-01', 0, 'x', 'y');
             INSERT INTO waffle_flag (name, everyone, percent, testing, superusers, staff, authenticated, languages, rollout, note, created, modified)
             VALUES ('a.b.1', NULL, NULL, 0, 0, 0, 0, '', 0, '', '2026-01-01', '2026-01-01'),
                    ('a.b.01', NULL, NULL, 0, 0, 0, 0, '', 0, '', '2026-01-01', '2026-01-01'),
                    ('a.b.10', NULL, NULL, 0, 0, 0, 0, '', 0, '', '2026-01-01', '2026-01-01'),
                    ('a.bc.1', NULL, NULL, 0, 0, 0, 0, '', 0, '', '2026-01-01', '2026-01-01');",
        )
        .unwrap();
        let e = get_experiment(&conn, "a.b").unwrap().unwrap();
        assert_eq!(
            (e.num_buckets, e.experiment_id, e.course_aware),
            (3, Some(2), false)
        );
        assert_eq!(e.bucket_flag(2), "a.b.2");
        assert!(get_experiment(&conn, "a.c").unwrap().is_none());
        let kv = key_values(&conn, 2).unwrap();
        assert_eq!(
            kv.get("enrollment_start").map(String::as_str),
            Some("2020-01-01T00:00:00")
        );
        assert_eq!(kv.len(), 1);
        assert_eq!(
            bucket_flags(&conn, "a.b").unwrap(),
            vec![(1, "a.b.1".to_string()), (10, "a.b.10".to_string())]
        );
        let ids: Vec<i64> = ids_in_use(&conn).unwrap().iter().map(|u| u.id).collect();
        assert_eq!(ids, vec![0, 2]);
        assert_eq!(next_free_id(&conn).unwrap(), Some(1));
        assert!(id_use(&conn, 1).unwrap().is_free());
        assert_eq!(
            id_use(&conn, 2).unwrap().experiments,
            vec!["a.b".to_string()]
        );
    }
}
