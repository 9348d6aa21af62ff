//! Whole-store reads and row-level writes for export/import (`interop`).
//!
//! Reads load every table with one query each (plus one per M2M table) into plain rows; writes
//! address single rows by id with cached statements, so importing 100,000 objects stays fast.
//! Columns are addressed by name and every insert supplies every column, as Django's tables
//! have no DB defaults.

use std::collections::HashMap;

use rusqlite::Connection;

use super::Tx;
use super::columns::{boolean, opt_text, text};
use super::edx::{DataRow, Experiment, KeyValue, OverrideRow};
use super::toggles::{self, Flag, Sample, Switch};
use super::users::Enrollment;
use crate::error::Result;

/// A row of `auth_user` with everything Django keeps (but permissions).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    /// The password hash; `None` (only for rows read from a file) means "keep / unusable".
    pub password: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub is_staff: bool,
    pub is_superuser: bool,
    pub is_active: bool,
    /// DB text; empty when a file did not give it.
    pub date_joined: String,
    pub last_login: Option<String>,
    /// Group names, sorted.
    pub groups: Vec<String>,
}

/// Group names by id.
pub fn groups(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare("SELECT id, name FROM auth_group ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, text(r, "name")?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every user with its groups, in id order.
pub fn users(conn: &Connection) -> Result<Vec<UserRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined
         FROM auth_user ORDER BY id",
    )?;
    let mut users: Vec<UserRow> = stmt
        .query_map([], |r| {
            Ok(UserRow {
                id: r.get("id")?,
                username: text(r, "username")?,
                password: Some(text(r, "password")?),
                first_name: text(r, "first_name")?,
                last_name: text(r, "last_name")?,
                email: text(r, "email")?,
                is_staff: boolean(r, "is_staff")?,
                is_superuser: boolean(r, "is_superuser")?,
                is_active: boolean(r, "is_active")?,
                date_joined: text(r, "date_joined")?,
                last_login: opt_text(r, "last_login")?,
                groups: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut by_user: HashMap<i64, Vec<String>> = HashMap::new();
    let mut g = conn.prepare(
        "SELECT ug.user_id, g.name FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id ORDER BY g.name",
    )?;
    let mut rows = g.query([])?;
    while let Some(r) = rows.next()? {
        by_user.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    for u in &mut users {
        u.groups = by_user.remove(&u.id).unwrap_or_default();
    }
    Ok(users)
}

/// Flags with users and groups, in id order.
pub fn flags(conn: &Connection) -> Result<Vec<Flag>> {
    let mut f = toggles::list_flags(conn, None)?;
    f.sort_by_key(|f| f.id);
    Ok(f)
}

pub fn switches(conn: &Connection) -> Result<Vec<Switch>> {
    let mut s = toggles::list_switches(conn)?;
    s.sort_by_key(|s| s.id);
    Ok(s)
}

pub fn samples(conn: &Connection) -> Result<Vec<Sample>> {
    let mut s = toggles::list_samples(conn)?;
    s.sort_by_key(|s| s.id);
    Ok(s)
}

impl Tx<'_> {
    /// Like [`Tx::record`] for bulk work (before/after as JSON text): one cached statement for
    /// every audit row, and the
    /// change is not kept in memory for [`super::Store::write`]'s report (bulk callers report
    /// themselves).
    pub fn record_bulk(
        &mut self,
        action: &str,
        kind: &str,
        name: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<()> {
        if before == after {
            return Ok(());
        }
        super::audit::insert_row(
            &self.sql,
            &self.now_db,
            &self.actor,
            &self.reason,
            action,
            kind,
            name,
            before,
            after,
        )?;
        Ok(())
    }
}

/// Inserts a group and returns its id.
pub fn insert_group(tx: &Tx<'_>, name: &str) -> Result<i64> {
    tx.prepare_cached("INSERT INTO auth_group (name) VALUES (?1)")?
        .execute([name])?;
    Ok(tx.last_insert_rowid())
}

/// Deletes a group and its memberships and flag entries.
pub fn delete_group(tx: &Tx<'_>, id: i64) -> Result<()> {
    super::users::delete_group(tx, id)
}

/// Inserts (`id == 0`) or updates every column of a user, then sets its groups (by id). A
/// `None` password keeps the stored one, or writes `!` (unusable) for a new user.
pub fn save_user(tx: &Tx<'_>, u: &UserRow, group_ids: &[i64]) -> Result<i64> {
    let id = if u.id == 0 {
        tx.prepare_cached(
            "INSERT INTO auth_user (password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(rusqlite::params![
            u.password.as_deref().unwrap_or("!"),
            u.last_login,
            u.is_superuser,
            u.username,
            u.last_name,
            u.email,
            u.is_staff,
            u.is_active,
            u.date_joined,
            u.first_name
        ])?;
        tx.last_insert_rowid()
    } else {
        tx.prepare_cached(
            "UPDATE auth_user SET password = coalesce(?2, password), last_login = ?3, is_superuser = ?4, username = ?5,
             last_name = ?6, email = ?7, is_staff = ?8, is_active = ?9, date_joined = ?10, first_name = ?11 WHERE id = ?1",
        )?
        .execute(rusqlite::params![
            u.id,
            u.password,
            u.last_login,
            u.is_superuser,
            u.username,
            u.last_name,
            u.email,
            u.is_staff,
            u.is_active,
            u.date_joined,
            u.first_name
        ])?;
        tx.prepare_cached("DELETE FROM auth_user_groups WHERE user_id = ?1")?
            .execute([u.id])?;
        u.id
    };
    let mut ins =
        tx.prepare_cached("INSERT INTO auth_user_groups (user_id, group_id) VALUES (?1, ?2)")?;
    for g in group_ids {
        ins.execute([id, *g])?;
    }
    Ok(id)
}

/// Deletes a user and the rows Django would cascade (memberships, flag entries, experiment
/// data, enrollments). Override rows it authored must be gone or re-pointed first.
pub fn delete_user(tx: &Tx<'_>, id: i64) -> Result<()> {
    for (t, col) in [
        ("auth_user_groups", "user_id"),
        ("waffle_flag_users", "user_id"),
        ("experiments_experimentdata", "user_id"),
        ("student_courseenrollment", "user_id"),
    ] {
        tx.prepare_cached(&format!("DELETE FROM {t} WHERE {col} = ?1"))?
            .execute([id])?;
    }
    // Django admin's history of the user's own actions (LogEntry.user, CASCADE), when the
    // database has Django admin.
    if super::table_exists(tx, "django_admin_log")? {
        tx.prepare_cached("DELETE FROM django_admin_log WHERE user_id = ?1")?
            .execute([id])?;
    }
    tx.prepare_cached("DELETE FROM auth_user WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Inserts (`id == 0`) or updates a flag with its `created`, then sets its user and group lists
/// (by id).
pub fn save_flag(tx: &Tx<'_>, f: &Flag, user_ids: &[i64], group_ids: &[i64]) -> Result<i64> {
    let percent = f.percent.map(toggles::Percent::to_sql);
    let id = if f.id == 0 {
        tx.prepare_cached(
            "INSERT INTO waffle_flag (name, everyone, percent, testing, superusers, staff, authenticated, languages, rollout, note, created, modified)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(rusqlite::params![
            f.name, f.everyone, percent, f.testing, f.superusers, f.staff, f.authenticated,
            f.languages, f.rollout, f.note, f.created, f.modified
        ])?;
        tx.last_insert_rowid()
    } else {
        tx.prepare_cached(
            "UPDATE waffle_flag SET name = ?2, everyone = ?3, percent = ?4, testing = ?5, superusers = ?6, staff = ?7,
             authenticated = ?8, languages = ?9, rollout = ?10, note = ?11, created = ?12, modified = ?13 WHERE id = ?1",
        )?
        .execute(rusqlite::params![
            f.id, f.name, f.everyone, percent, f.testing, f.superusers, f.staff,
            f.authenticated, f.languages, f.rollout, f.note, f.created, f.modified
        ])?;
        tx.prepare_cached("DELETE FROM waffle_flag_users WHERE flag_id = ?1")?
            .execute([f.id])?;
        tx.prepare_cached("DELETE FROM waffle_flag_groups WHERE flag_id = ?1")?
            .execute([f.id])?;
        f.id
    };
    let mut ins =
        tx.prepare_cached("INSERT INTO waffle_flag_users (flag_id, user_id) VALUES (?1, ?2)")?;
    for u in user_ids {
        ins.execute([id, *u])?;
    }
    let mut ins =
        tx.prepare_cached("INSERT INTO waffle_flag_groups (flag_id, group_id) VALUES (?1, ?2)")?;
    for g in group_ids {
        ins.execute([id, *g])?;
    }
    Ok(id)
}

pub fn delete_flag(tx: &Tx<'_>, id: i64) -> Result<()> {
    for sql in [
        "DELETE FROM waffle_flag_users WHERE flag_id = ?1",
        "DELETE FROM waffle_flag_groups WHERE flag_id = ?1",
        "DELETE FROM waffle_flag WHERE id = ?1",
    ] {
        tx.prepare_cached(sql)?.execute([id])?;
    }
    Ok(())
}

pub fn save_switch(tx: &Tx<'_>, s: &Switch) -> Result<()> {
    if s.id == 0 {
        tx.prepare_cached(
            "INSERT INTO waffle_switch (name, active, note, created, modified) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(rusqlite::params![s.name, s.active, s.note, s.created, s.modified])?;
    } else {
        tx.prepare_cached(
            "UPDATE waffle_switch SET name = ?2, active = ?3, note = ?4, created = ?5, modified = ?6 WHERE id = ?1",
        )?
        .execute(rusqlite::params![s.id, s.name, s.active, s.note, s.created, s.modified])?;
    }
    Ok(())
}

pub fn save_sample(tx: &Tx<'_>, s: &Sample) -> Result<()> {
    let p = s.percent.to_sql();
    if s.id == 0 {
        tx.prepare_cached(
            "INSERT INTO waffle_sample (name, percent, note, created, modified) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(rusqlite::params![s.name, p, s.note, s.created, s.modified])?;
    } else {
        tx.prepare_cached(
            "UPDATE waffle_sample SET name = ?2, percent = ?3, note = ?4, created = ?5, modified = ?6 WHERE id = ?1",
        )?
        .execute(rusqlite::params![s.id, s.name, p, s.note, s.created, s.modified])?;
    }
    Ok(())
}

/// Deletes one row by id from `table` (switches, samples, overrides, experiments, key-values,
/// experiment data, enrollments: none of them has dependants).
pub fn delete_row(tx: &Tx<'_>, table: &str, id: i64) -> Result<()> {
    tx.prepare_cached(&format!("DELETE FROM \"{table}\" WHERE id = ?1"))?
        .execute([id])?;
    Ok(())
}

pub fn save_override(tx: &Tx<'_>, o: &OverrideRow, changed_by: Option<i64>) -> Result<()> {
    let (table, col) = (o.scope.table(), o.scope.key_column());
    if o.id == 0 {
        tx.prepare_cached(&format!(
            "INSERT INTO {table} (change_date, enabled, waffle_flag, {col}, override_choice, note, changed_by_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        ))?
        .execute(rusqlite::params![
            o.change_date,
            o.enabled,
            o.flag,
            o.key,
            o.choice,
            o.note,
            changed_by
        ])?;
    } else {
        tx.prepare_cached(&format!(
            "UPDATE {table} SET change_date = ?2, enabled = ?3, waffle_flag = ?4, {col} = ?5, override_choice = ?6,
             note = ?7, changed_by_id = ?8 WHERE id = ?1"
        ))?
        .execute(rusqlite::params![
            o.id,
            o.change_date,
            o.enabled,
            o.flag,
            o.key,
            o.choice,
            o.note,
            changed_by
        ])?;
    }
    Ok(())
}

pub fn save_experiment(tx: &Tx<'_>, e: &Experiment) -> Result<()> {
    if e.row_id == 0 {
        tx.prepare_cached(
            "INSERT INTO wafflectl_experiment (name, kind, num_buckets, experiment_id, course_aware, note, created, modified)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(rusqlite::params![
            e.name,
            e.kind,
            e.num_buckets,
            e.experiment_id,
            e.course_aware,
            e.note,
            e.created,
            e.modified
        ])?;
    } else {
        tx.prepare_cached(
            "UPDATE wafflectl_experiment SET name = ?2, kind = ?3, num_buckets = ?4, experiment_id = ?5,
             course_aware = ?6, note = ?7, created = ?8, modified = ?9 WHERE id = ?1",
        )?
        .execute(rusqlite::params![
            e.row_id,
            e.name,
            e.kind,
            e.num_buckets,
            e.experiment_id,
            e.course_aware,
            e.note,
            e.created,
            e.modified
        ])?;
    }
    Ok(())
}

pub fn save_key_value(tx: &Tx<'_>, k: &KeyValue) -> Result<()> {
    if k.id == 0 {
        tx.prepare_cached(
            "INSERT INTO experiments_experimentkeyvalue (created, modified, experiment_id, key, value) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(rusqlite::params![k.created, k.modified, k.experiment_id, k.key, k.value])?;
    } else {
        tx.prepare_cached(
            "UPDATE experiments_experimentkeyvalue SET created = ?2, modified = ?3, experiment_id = ?4, key = ?5, value = ?6 WHERE id = ?1",
        )?
        .execute(rusqlite::params![k.id, k.created, k.modified, k.experiment_id, k.key, k.value])?;
    }
    Ok(())
}

pub fn save_data(tx: &Tx<'_>, d: &DataRow, user_id: i64) -> Result<()> {
    if d.id == 0 {
        tx.prepare_cached(
            "INSERT INTO experiments_experimentdata (created, modified, experiment_id, key, value, user_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(rusqlite::params![d.created, d.modified, d.experiment_id, d.key, d.value, user_id])?;
    } else {
        tx.prepare_cached(
            "UPDATE experiments_experimentdata SET created = ?2, modified = ?3, experiment_id = ?4, key = ?5, value = ?6, user_id = ?7 WHERE id = ?1",
        )?
        .execute(rusqlite::params![d.id, d.created, d.modified, d.experiment_id, d.key, d.value, user_id])?;
    }
    Ok(())
}

pub fn save_enrollment(tx: &Tx<'_>, e: &Enrollment, user_id: i64) -> Result<()> {
    if e.id == 0 {
        tx.prepare_cached(
            "INSERT INTO student_courseenrollment (course_id, created, is_active, mode, user_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(rusqlite::params![e.course_id, e.created, e.is_active, e.mode, user_id])?;
    } else {
        tx.prepare_cached(
            "UPDATE student_courseenrollment SET course_id = ?2, created = ?3, is_active = ?4, mode = ?5, user_id = ?6 WHERE id = ?1",
        )?
        .execute(rusqlite::params![e.id, e.course_id, e.created, e.is_active, e.mode, user_id])?;
    }
    Ok(())
}
