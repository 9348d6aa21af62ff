//! Course and org overrides (`waffle_utils_waffleflagcourseoverridemodel`,
//! `waffle_utils_waffleflagorgoverridemodel`): append-only rows, the one in force, the writers.

use serde::Serialize;
use serde_json::Value;

use crate::engine::overrides::{self as precedence, Choice, StoredDate};
use crate::error::Result;
use crate::store::columns::{read_row, stored_date};
use crate::store::{ColumnResult, Reader, Row, Tx, params, params_from_iter};

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
    Ok(read_row!(r => OverrideRow {
        get: id, changed_by_id;
        text: flag = "waffle_flag", key, choice = "override_choice", note, change_date;
        opt_text: changed_by;
        boolean: enabled;
        => scope
    }))
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
