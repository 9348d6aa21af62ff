//! Users and groups in `django.contrib.auth`'s tables.

use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

use super::Tx;
use super::columns::{boolean, opt_text, ser_opt_time, ser_time, text};
use crate::error::{Error, Result};

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

impl User {
    /// The audit JSON: everything but the id and `date_joined`.
    pub fn audit(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let serde_json::Value::Object(m) = &mut v {
            m.remove("id");
            m.remove("date_joined");
        }
        v
    }
}

const USER_COLS: &str = "id, username, email, is_staff, is_superuser, is_active, date_joined";

fn b(r: &Row<'_>, col: &str) -> rusqlite::Result<bool> {
    Ok(r.get::<_, Option<i64>>(col)?.unwrap_or(0) != 0)
}

fn user_from_row(r: &Row<'_>) -> rusqlite::Result<User> {
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

fn user_groups(conn: &Connection, user_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.name FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id WHERE ug.user_id = ?1 ORDER BY g.name",
    )?;
    Ok(stmt
        .query_map([user_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn list_users(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {USER_COLS} FROM auth_user ORDER BY username"
    ))?;
    let mut users: Vec<User> = stmt
        .query_map([], user_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut groups: std::collections::HashMap<i64, Vec<String>> = Default::default();
    let mut g = conn.prepare(
        "SELECT ug.user_id, g.name FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id ORDER BY g.name",
    )?;
    let mut rows = g.query([])?;
    while let Some(r) = rows.next()? {
        groups.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    for u in &mut users {
        u.groups = groups.remove(&u.id).unwrap_or_default();
    }
    Ok(users)
}

pub fn get_user(conn: &Connection, username: &str) -> Result<Option<User>> {
    let u = conn
        .prepare_cached(&format!(
            "SELECT {USER_COLS} FROM auth_user WHERE username = ?1"
        ))?
        .query_row([username], user_from_row)
        .optional()?;
    match u {
        Some(mut u) => {
            u.groups = user_groups(conn, u.id)?;
            Ok(Some(u))
        }
        None => Ok(None),
    }
}

pub fn require_user(conn: &Connection, username: &str) -> Result<User> {
    get_user(conn, username)?.ok_or_else(|| {
        Error::runtime(format!("user '{username}' not found"))
            .with_hint(format!("add it first: wafflectl user add {username}"))
            .missing(crate::suggest::Kind::User, username)
    })
}

/// Inserts (id 0) or updates a user, then brings its groups to `user.groups`. New users get an
/// unusable password (`!`), empty names and `date_joined` = now, as Django's fields require.
pub fn save_user(tx: &Tx<'_>, user: &User) -> Result<i64> {
    let id = if user.id == 0 {
        tx.prepare_cached(
            "INSERT INTO auth_user (password, last_login, is_superuser, username, last_name, email, is_staff, is_active, date_joined, first_name)
             VALUES ('!', NULL, ?1, ?2, '', ?3, ?4, ?5, ?6, '')",
        )?
        .execute(rusqlite::params![user.is_superuser, user.username, user.email, user.is_staff, user.is_active, user.date_joined])?;
        tx.last_insert_rowid()
    } else {
        tx.prepare_cached("UPDATE auth_user SET is_superuser = ?2, email = ?3, is_staff = ?4, is_active = ?5 WHERE id = ?1")?
            .execute(rusqlite::params![user.id, user.is_superuser, user.email, user.is_staff, user.is_active])?;
        user.id
    };
    let mut want = Vec::new();
    for g in &user.groups {
        want.push(require_group(tx, g)?.id);
    }
    let have: Vec<i64> = tx
        .prepare_cached("SELECT group_id FROM auth_user_groups WHERE user_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for g in &have {
        if !want.contains(g) {
            tx.execute(
                "DELETE FROM auth_user_groups WHERE user_id = ?1 AND group_id = ?2",
                [id, *g],
            )?;
        }
    }
    for g in &want {
        if !have.contains(g) {
            tx.execute(
                "INSERT INTO auth_user_groups (user_id, group_id) VALUES (?1, ?2)",
                [id, *g],
            )?;
        }
    }
    Ok(id)
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
/// in Django (`on_delete=PROTECT`), so such a user is refused.
pub fn delete_user(tx: &Tx<'_>, user: &User) -> Result<()> {
    let mut authored = 0i64;
    for t in [
        "waffle_utils_waffleflagcourseoverridemodel",
        "waffle_utils_waffleflagorgoverridemodel",
    ] {
        if super::table_exists(tx, t)? {
            authored += tx.query_row(
                &format!("SELECT count(*) FROM {t} WHERE changed_by_id = ?1"),
                [user.id],
                |r| r.get::<_, i64>(0),
            )?;
        }
    }
    if authored > 0 {
        return Err(Error::runtime(format!(
            "user '{}' is recorded as the author of {authored} override row(s), which Django protects",
            user.username
        ))
        .with_hint(format!("deactivate the user instead: wafflectl user set {} --inactive", user.username)));
    }
    for (t, col) in USER_CASCADE {
        if super::table_exists(tx, t)? {
            tx.execute(&format!("DELETE FROM {t} WHERE {col} = ?1"), [user.id])?;
        }
    }
    tx.execute("DELETE FROM auth_user WHERE id = ?1", [user.id])?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub id: i64,
    pub name: String,
    /// Number of users in the group.
    pub users: i64,
}

pub fn list_groups(conn: &Connection) -> Result<Vec<Group>> {
    let mut stmt = conn.prepare(
        "SELECT g.id, g.name, (SELECT count(*) FROM auth_user_groups ug WHERE ug.group_id = g.id) FROM auth_group g ORDER BY g.name",
    )?;
    Ok(stmt
        .query_map([], |r| {
            Ok(Group {
                id: r.get(0)?,
                name: r.get(1)?,
                users: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

pub fn get_group(conn: &Connection, name: &str) -> Result<Option<Group>> {
    Ok(conn
        .prepare_cached(
            "SELECT g.id, g.name, (SELECT count(*) FROM auth_user_groups ug WHERE ug.group_id = g.id) FROM auth_group g WHERE g.name = ?1",
        )?
        .query_row([name], |r| Ok(Group { id: r.get(0)?, name: r.get(1)?, users: r.get(2)? }))
        .optional()?)
}

pub fn require_group(conn: &Connection, name: &str) -> Result<Group> {
    get_group(conn, name)?.ok_or_else(|| {
        Error::runtime(format!("group '{name}' not found"))
            .with_hint(format!("add it first: wafflectl group add {name}"))
            .missing(crate::suggest::Kind::Group, name)
    })
}

pub fn insert_group(tx: &Tx<'_>, name: &str) -> Result<i64> {
    tx.execute("INSERT INTO auth_group (name) VALUES (?1)", [name])?;
    Ok(tx.last_insert_rowid())
}

pub fn delete_group(tx: &Tx<'_>, id: i64) -> Result<()> {
    tx.execute("DELETE FROM auth_user_groups WHERE group_id = ?1", [id])?;
    tx.execute("DELETE FROM waffle_flag_groups WHERE group_id = ?1", [id])?;
    tx.execute("DELETE FROM auth_group WHERE id = ?1", [id])?;
    Ok(())
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

fn enrollment_from_row(r: &Row<'_>) -> rusqlite::Result<Enrollment> {
    Ok(Enrollment {
        id: r.get("id")?,
        user: text(r, "username")?,
        course_id: text(r, "course_id")?,
        created: opt_text(r, "created")?,
        is_active: boolean(r, "is_active")?,
        mode: text(r, "mode")?,
    })
}

/// A user's enrollments, sorted by course.
pub fn enrollments(conn: &Connection, user_id: i64) -> Result<Vec<Enrollment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{ENROLLMENT_SELECT} WHERE e.user_id = ?1 ORDER BY e.course_id"
    ))?;
    Ok(stmt
        .query_map([user_id], enrollment_from_row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Every enrollment in row-id order (export).
pub fn enrollments_by_id(conn: &Connection) -> Result<Vec<Enrollment>> {
    let mut stmt = conn.prepare(&format!("{ENROLLMENT_SELECT} ORDER BY e.id"))?;
    Ok(stmt
        .query_map([], enrollment_from_row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// The enrollment of a user in a course, active or not (as `CourseEnrollment.get_enrollment`).
pub fn enrollment(conn: &Connection, user_id: i64, course_id: &str) -> Result<Option<Enrollment>> {
    Ok(enrollments(conn, user_id)?
        .into_iter()
        .find(|e| e.course_id == course_id))
}
