//! Users and groups in `django.contrib.auth`'s tables.

use std::collections::HashMap;

use super::{ColumnResult, Reader, Row, params};
use serde::Serialize;

use super::Tx;
use super::columns::{read_row, ser_opt_time, ser_time, text};
use crate::error::{Error, NameKind, Result};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub is_staff: bool,
    pub is_superuser: bool,
    pub is_active: bool,
    #[serde(serialize_with = "ser_time")]
    pub date_joined: String,
    pub groups: Vec<String>,
}

/// A user as the audit log records it: the user commands record what they manage, import
/// records the names and a marker of the password too (never the hash). Fields in the order
/// `diff --json` shows them; the log stores them sorted.
#[derive(Debug, Serialize)]
pub struct UserAudit<'a> {
    pub username: &'a str,
    pub email: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<&'a str>,
    pub is_staff: bool,
    pub is_superuser: bool,
    pub is_active: bool,
    pub groups: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl User {
    /// The audit record: everything but the id and `date_joined`.
    pub fn audit_record(&self) -> UserAudit<'_> {
        UserAudit {
            email: &self.email,
            first_name: None,
            groups: &self.groups,
            is_active: self.is_active,
            is_staff: self.is_staff,
            is_superuser: self.is_superuser,
            last_name: None,
            password: None,
            username: &self.username,
        }
    }
    /// [`User::audit_record`] as JSON.
    pub fn audit(&self) -> serde_json::Value {
        serde_json::to_value(self.audit_record()).unwrap_or_default()
    }
}

impl UserRow {
    /// The audit record of a full row (import): with the names and [`password_marker`].
    pub fn audit_record(&self) -> UserAudit<'_> {
        UserAudit {
            email: &self.email,
            first_name: Some(&self.first_name),
            groups: &self.groups,
            is_active: self.is_active,
            is_staff: self.is_staff,
            is_superuser: self.is_superuser,
            last_name: Some(&self.last_name),
            password: Some(password_marker(self.password.as_deref())),
            username: &self.username,
        }
    }
}

/// How a password shows in the audit log and diffs: never the hash itself.
pub(crate) fn password_marker(p: Option<&str>) -> String {
    use sha1::{Digest, Sha1};
    match p {
        None => "unusable".into(),
        Some(p) if p.is_empty() || p.starts_with('!') => "unusable".into(),
        Some(p) => {
            let d = Sha1::digest(p.as_bytes());
            let hex: String = d.iter().take(4).map(|b| format!("{b:02x}")).collect();
            format!("set ({hex})")
        }
    }
}

const USER_COLS: &str = "id, username, email, is_staff, is_superuser, is_active, date_joined";

fn b(r: &Row<'_>, col: &str) -> ColumnResult<bool> {
    Ok(r.get::<_, Option<i64>>(col)?.unwrap_or(0) != 0)
}

fn user_from_row(r: &Row<'_>) -> ColumnResult<User> {
    Ok(User {
        id: r.get("id")?,
        username: r.get("username")?,
        email: r.get::<_, Option<String>>("email")?.unwrap_or_default(),
        is_staff: b(r, "is_staff")?,
        is_superuser: b(r, "is_superuser")?,
        is_active: b(r, "is_active")?,
        date_joined: r
            .get::<_, Option<String>>("date_joined")?
            .unwrap_or_default(),
        groups: Vec::new(),
    })
}

fn user_groups(conn: &Reader, user_id: i64) -> Result<Vec<String>> {
    conn.rows("SELECT g.name FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id WHERE ug.user_id = ?1 ORDER BY g.name", [user_id], |r| r.get(0))
}

pub fn list_users(conn: &Reader) -> Result<Vec<User>> {
    with_groups(
        conn,
        &format!("SELECT {USER_COLS} FROM auth_user ORDER BY username"),
        user_from_row,
        |u| (u.id, &mut u.groups),
    )
}

/// Every user of `sql` (read by `from_row`) with its groups, which `groups` points at.
fn with_groups<T>(
    conn: &Reader,
    sql: &str,
    from_row: fn(&Row<'_>) -> ColumnResult<T>,
    groups: fn(&mut T) -> (i64, &mut Vec<String>),
) -> Result<Vec<T>> {
    let mut users: Vec<T> = conn.rows(sql, (), from_row)?;
    let mut by_user = groups_by_user(conn)?;
    for u in &mut users {
        let (id, list) = groups(u);
        *list = by_user.remove(&id).unwrap_or_default();
    }
    Ok(users)
}

pub fn get_user(conn: &Reader, username: &str) -> Result<Option<User>> {
    let u = conn.row(
        &format!("SELECT {USER_COLS} FROM auth_user WHERE username = ?1"),
        [username],
        user_from_row,
    )?;
    match u {
        Some(mut u) => {
            u.groups = user_groups(conn, u.id)?;
            Ok(Some(u))
        }
        None => Ok(None),
    }
}

/// The error for a user (`kind` User) or group (`kind` Group) the store does not have, wherever
/// one is looked up: `user 'x' not found`, with the command that adds it.
pub(crate) fn not_found(kind: NameKind, name: &str) -> Error {
    let what = if kind == NameKind::Group {
        "group"
    } else {
        "user"
    };
    let name_cut = crate::error::cut(name);
    Error::runtime(format!("{what} '{name_cut}' not found"))
        .with_hint(format!("add it first: wafflectl {what} add {name_cut}"))
        .missing(kind, name)
}

pub fn require_user(conn: &Reader, username: &str) -> Result<User> {
    get_user(conn, username)?.ok_or_else(|| not_found(NameKind::User, username))
}

/// A row of `auth_user` with everything Django keeps (but permissions).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    /// The password hash; `None` means "keep the stored one" (or unusable, `!`, for a new user).
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

const USER_ROW_COLS: &str = "id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined";

fn user_row_from_row(r: &Row<'_>) -> ColumnResult<UserRow> {
    Ok(read_row!(r => UserRow {
        get: id;
        text: username, first_name, last_name, email, date_joined;
        opt_text: last_login;
        boolean: is_staff, is_superuser, is_active;
        => password: Some(text(r, "password")?), groups: Vec::new()
    }))
}

/// `user_id -> group names` (sorted) of every user.
fn groups_by_user(conn: &Reader) -> Result<HashMap<i64, Vec<String>>> {
    let mut by_user: HashMap<i64, Vec<String>> = HashMap::new();
    conn.each(
        "SELECT ug.user_id, g.name FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id ORDER BY g.name",
        (),
        |r| {
            by_user.entry(r.get(0)?).or_default().push(r.get(1)?);
            Ok(())
        },
    )?;
    Ok(by_user)
}

/// Every user as a full row with its groups, in id order (export).
pub(crate) fn user_rows(conn: &Reader) -> Result<Vec<UserRow>> {
    with_groups(
        conn,
        &format!("SELECT {USER_ROW_COLS} FROM auth_user ORDER BY id"),
        user_row_from_row,
        |u| (u.id, &mut u.groups),
    )
}

fn user_row(conn: &Reader, id: i64) -> Result<Option<UserRow>> {
    conn.row(
        &format!("SELECT {USER_ROW_COLS} FROM auth_user WHERE id = ?1"),
        [id],
        user_row_from_row,
    )
}

/// Writes a user: inserts (`id == 0`, returning the new id) or updates every column by id (a
/// `None` password keeps the stored one; a new user without one gets `!`, unusable), then brings
/// its memberships to `group_ids`. The one writer of `auth_user`, for single commands and import.
pub(crate) fn write_user(tx: &Tx<'_>, u: &UserRow, group_ids: &[i64]) -> Result<i64> {
    let params = params![
        u.password,
        u.last_login,
        u.is_superuser,
        u.username,
        u.last_name,
        u.email,
        u.is_staff,
        u.is_active,
        u.date_joined,
        u.first_name,
        u.id
    ];
    let id = if u.id == 0 {
        tx.insert(
            "INSERT INTO auth_user (password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name)
             VALUES (coalesce(?1, '!'), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            &params[..10],
        )?
    } else {
        tx.run(
            "UPDATE auth_user SET password = coalesce(?1, password), last_login = ?2, is_superuser = ?3, username = ?4,
             last_name = ?5, email = ?6, is_staff = ?7, is_active = ?8, date_joined = ?9, first_name = ?10 WHERE id = ?11",
            params,
        )?;
        u.id
    };
    sync_links(
        tx,
        "auth_user_groups",
        "user_id",
        id,
        "group_id",
        group_ids,
        u.id == 0,
    )?;
    Ok(id)
}

/// Brings the rows of a many-to-many table for `owner` to `want`, touching only the rows that
/// change. `new` says the owner was just inserted (it has no rows yet).
pub(crate) fn sync_links(
    tx: &Tx<'_>,
    table: &str,
    owner_col: &str,
    owner: i64,
    col: &str,
    want: &[i64],
    new: bool,
) -> Result<()> {
    let have: Vec<i64> = if new {
        Vec::new()
    } else {
        tx.rows(
            &format!("SELECT {col} FROM {table} WHERE {owner_col} = ?1"),
            [owner],
            |r| r.get(0),
        )?
    };
    let (have_set, want_set): (
        std::collections::HashSet<i64>,
        std::collections::HashSet<i64>,
    ) = (
        have.iter().copied().collect(),
        want.iter().copied().collect(),
    );
    for id in &have {
        if !want_set.contains(id) {
            tx.run(
                &format!("DELETE FROM {table} WHERE {owner_col} = ?1 AND {col} = ?2"),
                [owner, *id],
            )?;
        }
    }
    for id in want {
        if !have_set.contains(id) {
            tx.run(
                &format!("INSERT INTO {table} ({owner_col}, {col}) VALUES (?1, ?2)"),
                [owner, *id],
            )?;
        }
    }
    Ok(())
}

/// Inserts (id 0) or updates a user as the user commands know it, then brings its groups to
/// `user.groups` (by name). New users get an unusable password (`!`), empty names and
/// `date_joined` as given, as Django's fields require; an update keeps every other column.
pub(crate) fn save_user(tx: &Tx<'_>, user: &User) -> Result<i64> {
    let mut row = match user.id {
        0 => UserRow {
            date_joined: user.date_joined.clone(),
            ..UserRow::default()
        },
        id => user_row(tx, id)?.unwrap_or_default(),
    };
    row.id = user.id;
    row.password = None;
    row.username = user.username.clone();
    row.email = user.email.clone();
    row.is_staff = user.is_staff;
    row.is_superuser = user.is_superuser;
    row.is_active = user.is_active;
    let mut group_ids = Vec::with_capacity(user.groups.len());
    for g in &user.groups {
        group_ids.push(require_group(tx, g)?.id);
    }
    write_user(tx, &row, &group_ids)
}

/// Tables whose rows belong to a user and go with it (Django's CASCADE).
const USER_CASCADE: &[(&str, &str)] = &[
    ("auth_user_groups", "user_id"),
    ("waffle_flag_users", "user_id"),
    ("experiments_experimentdata", "user_id"),
    ("student_courseenrollment", "user_id"),
    // Django admin's history of the user's own actions (LogEntry.user, CASCADE).
    ("django_admin_log", "user_id"),
];

/// Deletes a user and what Django would cascade. Override rows the user authored are protected
/// in Django (`on_delete=PROTECT`), so such a user is refused. The one way a user is deleted,
/// for `user delete` and import's `--prune`.
pub(crate) fn delete_user(tx: &Tx<'_>, id: i64, username: &str) -> Result<()> {
    let mut authored = 0i64;
    for t in [
        "waffle_utils_waffleflagcourseoverridemodel",
        "waffle_utils_waffleflagorgoverridemodel",
    ] {
        if tx.table_exists(t)? {
            let sql = format!("SELECT count(*) FROM {t} WHERE changed_by_id = ?1");
            authored += tx.integer(&sql, [id])?;
        }
    }
    if authored > 0 {
        return Err(Error::runtime(format!(
            "user '{username}' is recorded as the author of {authored} override row(s), which Django protects"
        ))
        .with_hint(format!("deactivate the user instead: wafflectl user set {username} --inactive")));
    }
    for (t, col) in USER_CASCADE {
        if tx.table_exists(t)? {
            tx.run(&format!("DELETE FROM {t} WHERE {col} = ?1"), [id])?;
        }
    }
    tx.delete_row("auth_user", id)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub id: i64,
    pub name: String,
    /// Number of users in the group.
    pub users: i64,
}

pub fn list_groups(conn: &Reader) -> Result<Vec<Group>> {
    conn.rows("SELECT g.id, g.name, (SELECT count(*) FROM auth_user_groups ug WHERE ug.group_id = g.id) FROM auth_group g ORDER BY g.name", (), |r| {
            Ok(Group {
                id: r.get(0)?,
                name: r.get(1)?,
                users: r.get(2)?,
            })
        })
}

pub fn get_group(conn: &Reader, name: &str) -> Result<Option<Group>> {
    conn.row("SELECT g.id, g.name, (SELECT count(*) FROM auth_user_groups ug WHERE ug.group_id = g.id) FROM auth_group g WHERE g.name = ?1", [name], |r| Ok(Group { id: r.get(0)?, name: r.get(1)?, users: r.get(2)? }))
}

pub fn require_group(conn: &Reader, name: &str) -> Result<Group> {
    get_group(conn, name)?.ok_or_else(|| not_found(NameKind::Group, name))
}

/// A row of `auth_group`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    pub id: i64,
    pub name: String,
}

impl GroupRow {
    /// The group as the audit log records it.
    pub fn audit(&self) -> serde_json::Value {
        group_audit(&self.name)
    }
}

/// A group as the audit log records it: its name (for `group add`/`delete` and import).
pub(crate) fn group_audit(name: &str) -> serde_json::Value {
    serde_json::json!({ "name": name })
}

/// Every group in id order (export).
pub(crate) fn group_rows(conn: &Reader) -> Result<Vec<GroupRow>> {
    conn.rows("SELECT id, name FROM auth_group ORDER BY id", (), |r| {
        Ok(GroupRow {
            id: r.get(0)?,
            name: text(r, "name")?,
        })
    })
}

/// Every group's id by name.
pub(crate) fn group_ids(conn: &Reader) -> Result<HashMap<String, i64>> {
    ids(conn, "SELECT id, name FROM auth_group")
}

/// Every user's id by username.
pub(crate) fn user_ids(conn: &Reader) -> Result<HashMap<String, i64>> {
    ids(conn, "SELECT id, username FROM auth_user")
}

fn ids(conn: &Reader, sql: &str) -> Result<HashMap<String, i64>> {
    let rows = conn.rows(sql, (), |r| {
        Ok((r.get::<_, String>(1)?, r.get::<_, i64>(0)?))
    })?;
    Ok(rows.into_iter().collect())
}

/// Inserts a group and returns its id.
pub(crate) fn insert_group(tx: &Tx<'_>, name: &str) -> Result<i64> {
    tx.insert("INSERT INTO auth_group (name) VALUES (?1)", [name])
}

/// Deletes a group with its memberships and flag entries.
pub(crate) fn delete_group(tx: &Tx<'_>, id: i64) -> Result<()> {
    tx.delete_row_with(
        "auth_group",
        id,
        &[
            ("auth_user_groups", "group_id"),
            ("waffle_flag_groups", "group_id"),
        ],
    )
}

/// A row of `student_courseenrollment`, with the username.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enrollment {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub user: String,
    pub course_id: String,
    /// When the enrollment was created, as stored (None when the column is NULL).
    #[serde(serialize_with = "ser_opt_time")]
    pub created: Option<String>,
    pub is_active: bool,
    pub mode: String,
}

const ENROLLMENT_SELECT: &str =
    "SELECT e.id, u.username, e.course_id, e.created, e.is_active, e.mode
     FROM student_courseenrollment e JOIN auth_user u ON u.id = e.user_id";

fn enrollment_from_row(r: &Row<'_>) -> ColumnResult<Enrollment> {
    Ok(read_row!(r => Enrollment {
        get: id;
        text: user = "username", course_id, mode;
        opt_text: created;
        boolean: is_active;
    }))
}

/// A user's enrollments, sorted by course.
pub fn enrollments(conn: &Reader, user_id: i64) -> Result<Vec<Enrollment>> {
    conn.rows(
        &format!("{ENROLLMENT_SELECT} WHERE e.user_id = ?1 ORDER BY e.course_id"),
        [user_id],
        enrollment_from_row,
    )
}

/// Every enrollment in row-id order (export).
pub fn enrollments_by_id(conn: &Reader) -> Result<Vec<Enrollment>> {
    conn.rows(
        &format!("{ENROLLMENT_SELECT} ORDER BY e.id"),
        (),
        enrollment_from_row,
    )
}

/// The enrollment of a user in a course, active or not (as `CourseEnrollment.get_enrollment`).
pub fn enrollment(conn: &Reader, user_id: i64, course_id: &str) -> Result<Option<Enrollment>> {
    Ok(enrollments(conn, user_id)?
        .into_iter()
        .find(|e| e.course_id == course_id))
}

/// Writes an enrollment: inserts (`id == 0`) or updates every column by id. The one writer of
/// `student_courseenrollment`, for `user enroll` and import.
pub(crate) fn write_enrollment(tx: &Tx<'_>, e: &Enrollment, user_id: i64) -> Result<i64> {
    tx.write_row(
        "student_courseenrollment",
        e.id,
        &["course_id", "created", "is_active", "mode", "user_id"],
        params![e.course_id, e.created, e.is_active, e.mode, user_id],
        &[],
    )
}

/// Deletes one enrollment by id.
pub(crate) fn delete_enrollment(tx: &Tx<'_>, id: i64) -> Result<()> {
    tx.delete_row("student_courseenrollment", id)
}
