//! Flags, switches and samples in django-waffle's tables.

use std::collections::HashMap;
use std::fmt;

use super::{ColumnResult, Reader, Row, Value as SqlValue, ValueRef, params, params_from_iter};
use serde::Serialize;
use serde_json::Value;

use super::Tx;
use super::columns::{read_row, ser_time};
use super::users::sync_links;
use crate::error::{Error, Result};
use crate::types::Percent;

/// A stored decimal Django cannot read: the value as stored and the exception Django raises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    pub stored: String,
    pub error: String,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "percent {} cannot be read by Django ({})",
            self.stored, self.error
        )
    }
}

impl Percent {
    /// Reads a `decimal(max_digits, 1)` column as Django's SQLite backend reads it: NULL is
    /// None; an INTEGER is itself, a REAL is rounded to 15 significant digits
    /// (`Context(prec=15).create_decimal_from_float`), then to one decimal place, half to even
    /// (`quantize`): 12.25 reads as 12.2 and 12.35 as 12.4. Django raises when the value has
    /// more digits than the column (`quantize` with `prec = max_digits`: a flag's 99.95 or 100,
    /// decimal.InvalidOperation) or is stored as text or a blob (SQLite keeps text that is not a
    /// number as text: TypeError), so every read of the row fails (observed with Django 5.2).
    pub fn read(
        v: ValueRef<'_>,
        max_digits: u32,
    ) -> std::result::Result<Option<Percent>, Unreadable> {
        let limit = 10i64.pow(max_digits);
        let too_big = |stored: String| Unreadable {
            stored,
            error: format!(
                "decimal.InvalidOperation: more digits than decimal({max_digits},1) holds"
            ),
        };
        match v {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(i) => match i.checked_mul(10) {
                Some(t) if t.abs() < limit => Ok(Some(Percent(t as i32))),
                _ => Err(too_big(i.to_string())),
            },
            ValueRef::Real(f) => match django_tenths(f) {
                Some(t) if i64::from(t).abs() < limit => Ok(Some(Percent(t))),
                _ => Err(too_big(f.to_string())),
            },
            ValueRef::Text(t) => Err(Unreadable {
                stored: format!("{:?} (text)", String::from_utf8_lossy(t)),
                error: "TypeError: argument must be int or float".into(),
            }),
            ValueRef::Blob(b) => Err(Unreadable {
                stored: format!(
                    "x'{}' (blob)",
                    b.iter().map(|x| format!("{x:02x}")).collect::<String>()
                ),
                error: "TypeError: argument must be int or float".into(),
            }),
        }
    }
}

/// `f` in tenths as Django reads a REAL decimal (see [`Percent::from_sql`]); None when not finite
/// or out of range.
pub(crate) fn django_tenths(f: f64) -> Option<i32> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some(0);
    }
    // 15 significant digits: D × 10^(e-14), D a 15-digit integer.
    let sci = format!("{:.14e}", f.abs());
    let (mantissa, exp) = sci.split_once('e')?;
    let d: i64 = mantissa.replace('.', "").parse().ok()?;
    let e: i64 = exp.parse().ok()?;
    // tenths = D × 10^(e-13), rounded half to even.
    let k = e - 13;
    let tenths = if k >= 0 {
        d.checked_mul(10i64.checked_pow(u32::try_from(k).ok()?)?)?
    } else if k < -15 {
        0
    } else {
        let div = 10i64.pow(u32::try_from(-k).ok()?);
        let (q, r) = (d / div, d % div);
        let half = div / 2;
        if r > half || (r == half && q % 2 == 1) {
            q + 1
        } else {
            q
        }
    };
    let tenths = i32::try_from(tenths).ok()?;
    Some(if f < 0.0 { -tenths } else { tenths })
}

/// `max_digits` of django-waffle's flag and sample `percent` columns.
pub const FLAG_PERCENT_DIGITS: u32 = 3;
pub const SAMPLE_PERCENT_DIGITS: u32 = 4;

/// A django-waffle flag with its user and group lists (usernames and group names, sorted).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub everyone: Option<bool>,
    pub percent: Option<Percent>,
    /// A stored percent Django cannot read (then `percent` is None): every read of the row
    /// raises, so the LMS fails with a server error wherever it checks the flag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_unreadable: Option<Unreadable>,
    pub testing: bool,
    pub superusers: bool,
    pub staff: bool,
    pub authenticated: bool,
    pub languages: String,
    pub rollout: bool,
    pub note: String,
    #[serde(serialize_with = "ser_time")]
    pub created: String,
    #[serde(serialize_with = "ser_time")]
    pub modified: String,
    pub users: Vec<String>,
    pub groups: Vec<String>,
}

/// The JSON of an object without `created`/`modified`, as the audit log keeps it.
pub fn audit_value<T: Serialize>(obj: &T) -> Value {
    let mut v = serde_json::to_value(obj).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.remove("created");
        m.remove("modified");
    }
    v
}

/// A flag as the audit log records it, for single commands and import alike (fields in the
/// order `diff --json` shows them; the log stores them sorted).
#[derive(Debug, Serialize)]
pub struct FlagAudit<'a> {
    pub name: &'a str,
    pub everyone: Option<bool>,
    pub percent: Option<Percent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_unreadable: Option<&'a Unreadable>,
    pub testing: bool,
    pub superusers: bool,
    pub staff: bool,
    pub authenticated: bool,
    pub languages: &'a str,
    pub rollout: bool,
    pub note: &'a str,
    pub users: &'a [String],
    pub groups: &'a [String],
}

impl Flag {
    /// A new flag as wafflectl creates it: everything off/unset, `superusers` false.
    pub fn new(name: &str, now_db: &str) -> Flag {
        Flag {
            id: 0,
            name: name.to_string(),
            everyone: None,
            percent: None,
            percent_unreadable: None,
            testing: false,
            superusers: false,
            staff: false,
            authenticated: false,
            languages: String::new(),
            rollout: false,
            note: String::new(),
            created: now_db.to_string(),
            modified: now_db.to_string(),
            users: Vec::new(),
            groups: Vec::new(),
        }
    }
    /// The flag as the audit log records it (no id, no bookkeeping timestamps).
    pub fn audit_record(&self) -> FlagAudit<'_> {
        FlagAudit {
            authenticated: self.authenticated,
            everyone: self.everyone,
            groups: &self.groups,
            languages: &self.languages,
            name: &self.name,
            note: &self.note,
            percent: self.percent,
            percent_unreadable: self.percent_unreadable.as_ref(),
            rollout: self.rollout,
            staff: self.staff,
            superusers: self.superusers,
            testing: self.testing,
            users: &self.users,
        }
    }
    /// [`Flag::audit_record`] as JSON.
    pub fn audit(&self) -> Value {
        serde_json::to_value(self.audit_record()).unwrap_or(Value::Null)
    }
    /// The language codes of `languages`, split on `,` and trimmed as django-waffle does.
    pub fn language_list(&self) -> Vec<String> {
        self.languages
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }
}

const FLAG_COLS: &str = "id, name, everyone, percent, testing, superusers, staff, authenticated, languages, rollout, note, created, modified";

fn flag_from_row(r: &Row<'_>) -> ColumnResult<Flag> {
    let (percent, percent_unreadable) =
        match Percent::read(r.get_ref("percent")?, FLAG_PERCENT_DIGITS) {
            Ok(p) => (p, None),
            Err(u) => (None, Some(u)),
        };
    Ok(read_row!(r => Flag {
        get: id;
        text: name, languages, note, created, modified;
        boolean: testing, superusers, staff, authenticated, rollout;
        opt_boolean: everyone;
        => percent, percent_unreadable, users: Vec::new(), groups: Vec::new()
    }))
}

/// `flag_id -> sorted names` for one M2M table.
fn members(conn: &Reader, sql: &str, id: Option<i64>) -> Result<HashMap<i64, Vec<String>>> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    conn.each(sql, params_from_iter(id), |r| {
        out.entry(r.get(0)?).or_default().push(r.get(1)?);
        Ok(())
    })?;
    Ok(out)
}

const USERS_SQL: &str =
    "SELECT fu.flag_id, u.username FROM waffle_flag_users fu JOIN auth_user u ON u.id = fu.user_id";
const GROUPS_SQL: &str =
    "SELECT fg.flag_id, g.name FROM waffle_flag_groups fg JOIN auth_group g ON g.id = fg.group_id";

/// All flags (optionally with a name prefix), sorted by name, with their users and groups.
pub fn list_flags(conn: &Reader, prefix: Option<&str>) -> Result<Vec<Flag>> {
    let mut flags = match prefix {
        None => conn.rows(
            &format!("SELECT {FLAG_COLS} FROM waffle_flag ORDER BY name"),
            (),
            flag_from_row,
        )?,
        Some(p) => conn.rows(
            &format!(
                "SELECT {FLAG_COLS} FROM waffle_flag WHERE {} ORDER BY name",
                conn.starts_with("name", 1)
            ),
            [p],
            flag_from_row,
        )?,
    };
    let mut users = members(conn, &format!("{USERS_SQL} ORDER BY u.username"), None)?;
    let mut groups = members(conn, &format!("{GROUPS_SQL} ORDER BY g.name"), None)?;
    for f in &mut flags {
        f.users = users.remove(&f.id).unwrap_or_default();
        f.groups = groups.remove(&f.id).unwrap_or_default();
    }
    Ok(flags)
}

pub fn get_flag(conn: &Reader, name: &str) -> Result<Option<Flag>> {
    let flag = conn.row(
        &format!("SELECT {FLAG_COLS} FROM waffle_flag WHERE name = ?1"),
        [name],
        flag_from_row,
    )?;
    let Some(mut f) = flag else { return Ok(None) };
    f.users = members(
        conn,
        &format!("{USERS_SQL} WHERE fu.flag_id = ?1 ORDER BY u.username"),
        Some(f.id),
    )?
    .remove(&f.id)
    .unwrap_or_default();
    f.groups = members(
        conn,
        &format!("{GROUPS_SQL} WHERE fg.flag_id = ?1 ORDER BY g.name"),
        Some(f.id),
    )?
    .remove(&f.id)
    .unwrap_or_default();
    Ok(Some(f))
}

pub fn require_flag(conn: &Reader, name: &str) -> Result<Flag> {
    get_flag(conn, name)?.ok_or_else(|| require_flag_error(name))
}

/// `flag 'x' not found`, with the closest names (or the list command): a misspelt name is
/// corrected, not created.
pub fn require_flag_error(name: &str) -> Error {
    Error::not_found("flag", name)
}

/// The ids of the rows of `table` whose `column` is each of `names`, in order, with
/// [`Reader::ids_by_names`] (a flag's user list costs a few statements over a network, not one
/// per user); a name it does not return exactly is looked up alone by `one`, which says what is
/// missing (or finds it as the server's collation matches names, as Django's own lookup there
/// would).
fn ids_by_name(
    conn: &Reader,
    table: &str,
    column: &str,
    names: &[String],
    one: fn(&Reader, &str) -> Result<i64>,
) -> Result<Vec<i64>> {
    let found = conn.ids_by_names(table, column, names)?;
    names
        .iter()
        .map(|n| match found.get(n) {
            Some(&id) => Ok(id),
            None => one(conn, n),
        })
        .collect()
}

fn user_id(conn: &Reader, username: &str) -> Result<i64> {
    conn.row(
        "SELECT id FROM auth_user WHERE username = ?1",
        [username],
        |r| r.get(0),
    )?
    .ok_or_else(|| super::users::not_found(crate::error::NameKind::User, username))
}

fn group_id(conn: &Reader, group: &str) -> Result<i64> {
    conn.row("SELECT id FROM auth_group WHERE name = ?1", [group], |r| {
        r.get(0)
    })?
    .ok_or_else(|| super::users::not_found(crate::error::NameKind::Group, group))
}

/// Writes a flag: inserts when `flag.id == 0` (returning the new id), else updates every column
/// but `created` by id (a percent Django cannot read is left as stored until one is set), and
/// brings the user/group lists to `user_ids` / `group_ids`. The one writer of `waffle_flag`, for
/// single commands and import.
pub(crate) fn write_flag(
    tx: &Tx<'_>,
    flag: &Flag,
    user_ids: &[i64],
    group_ids: &[i64],
) -> Result<i64> {
    let percent = flag.percent.map(Percent::to_sql);
    let id = if flag.id == 0 {
        tx.insert(
            "INSERT INTO waffle_flag (name, everyone, percent, testing, superusers, staff, authenticated, languages, rollout, note, created, modified)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
            flag.name, flag.everyone, percent, flag.testing, flag.superusers, flag.staff, flag.authenticated,
            flag.languages, flag.rollout, flag.note, flag.created, flag.modified
        ])?
    } else {
        tx.run(
            "UPDATE waffle_flag SET name = ?2, everyone = ?3, percent = CASE WHEN ?13 THEN percent ELSE ?4 END, testing = ?5, superusers = ?6, staff = ?7,
             authenticated = ?8, languages = ?9, rollout = ?10, note = ?11, modified = ?12 WHERE id = ?1",
            params![
            flag.id, flag.name, flag.everyone, percent, flag.testing, flag.superusers, flag.staff,
            flag.authenticated, flag.languages, flag.rollout, flag.note, flag.modified,
            flag.percent_unreadable.is_some()
        ])?;
        flag.id
    };
    let new = flag.id == 0;
    sync_links(
        tx,
        "waffle_flag_users",
        "flag_id",
        id,
        "user_id",
        user_ids,
        new,
    )?;
    sync_links(
        tx,
        "waffle_flag_groups",
        "flag_id",
        id,
        "group_id",
        group_ids,
        new,
    )?;
    Ok(id)
}

/// [`write_flag`] with the user and group lists given by name (`flag.users` / `flag.groups`):
/// a name that does not exist is refused with a hint.
pub(crate) fn save_flag(tx: &Tx<'_>, flag: &Flag) -> Result<i64> {
    let user_ids = ids_by_name(tx, "auth_user", "username", &flag.users, user_id)?;
    let group_ids = ids_by_name(tx, "auth_group", "name", &flag.groups, group_id)?;
    write_flag(tx, flag, &user_ids, &group_ids)
}

/// Deletes a flag with its user and group entries.
pub(crate) fn delete_flag(tx: &Tx<'_>, id: i64) -> Result<()> {
    tx.delete_row_with(
        "waffle_flag",
        id,
        &[
            ("waffle_flag_users", "flag_id"),
            ("waffle_flag_groups", "flag_id"),
        ],
    )
}

/// Deletes a switch (nothing depends on it).
pub(crate) fn delete_switch(tx: &Tx<'_>, id: i64) -> Result<()> {
    tx.delete_row("waffle_switch", id)
}

/// Deletes a sample (nothing depends on it).
pub(crate) fn delete_sample(tx: &Tx<'_>, id: i64) -> Result<()> {
    tx.delete_row("waffle_sample", id)
}

/// `rows` sorted by their row id.
fn in_id_order<T>(mut rows: Vec<T>, id: fn(&T) -> i64) -> Vec<T> {
    rows.sort_by_key(id);
    rows
}

/// Every flag with its users and groups, in id order (export).
pub(crate) fn flags_by_id(conn: &Reader) -> Result<Vec<Flag>> {
    Ok(in_id_order(list_flags(conn, None)?, |f| f.id))
}

/// Every switch in id order (export).
pub(crate) fn switches_by_id(conn: &Reader) -> Result<Vec<Switch>> {
    Ok(in_id_order(list_switches(conn)?, |s| s.id))
}

/// Every sample in id order (export).
pub(crate) fn samples_by_id(conn: &Reader) -> Result<Vec<Sample>> {
    Ok(in_id_order(list_samples(conn)?, |s| s.id))
}

/// A django-waffle switch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Switch {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub active: bool,
    pub note: String,
    #[serde(serialize_with = "ser_time")]
    pub created: String,
    #[serde(serialize_with = "ser_time")]
    pub modified: String,
}

fn switch_from_row(r: &Row<'_>) -> ColumnResult<Switch> {
    Ok(read_row!(r => Switch {
        get: id;
        text: name, note, created, modified;
        boolean: active;
    }))
}

const SWITCH_SELECT: &str = "SELECT id, name, active, note, created, modified FROM waffle_switch";

pub fn list_switches(conn: &Reader) -> Result<Vec<Switch>> {
    let sql = format!("{SWITCH_SELECT} ORDER BY name");
    conn.rows(&sql, (), switch_from_row)
}

pub fn get_switch(conn: &Reader, name: &str) -> Result<Option<Switch>> {
    let sql = format!("{SWITCH_SELECT} WHERE name = ?1");
    conn.row(&sql, [name], switch_from_row)
}

/// Inserts (`id == 0`) or updates every column but `created` of a switch by id. The one writer
/// of `waffle_switch`, for single commands and import.
pub(crate) fn save_switch(tx: &Tx<'_>, s: &Switch) -> Result<i64> {
    tx.write_row(
        "waffle_switch",
        s.id,
        &["name", "active", "note", "created", "modified"],
        params![s.name, s.active, s.note, s.created, s.modified],
        &["created"],
    )
}

/// A django-waffle sample (percent 0.0–100.0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    /// 0.0 when Django cannot read the stored value (see `percent_unreadable`).
    pub percent: Percent,
    /// A stored percent Django cannot read: every read of the row raises, so the LMS fails
    /// with a server error wherever it checks the sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_unreadable: Option<Unreadable>,
    pub note: String,
    #[serde(serialize_with = "ser_time")]
    pub created: String,
    #[serde(serialize_with = "ser_time")]
    pub modified: String,
}

fn sample_from_row(r: &Row<'_>) -> ColumnResult<Sample> {
    let (percent, percent_unreadable) =
        match Percent::read(r.get_ref("percent")?, SAMPLE_PERCENT_DIGITS) {
            Ok(p) => (p.unwrap_or(Percent(0)), None),
            Err(u) => (Percent(0), Some(u)),
        };
    Ok(read_row!(r => Sample {
        get: id;
        text: name, note, created, modified;
        => percent, percent_unreadable
    }))
}

const SAMPLE_SELECT: &str = "SELECT id, name, percent, note, created, modified FROM waffle_sample";

pub fn list_samples(conn: &Reader) -> Result<Vec<Sample>> {
    let sql = format!("{SAMPLE_SELECT} ORDER BY name");
    conn.rows(&sql, (), sample_from_row)
}

pub fn get_sample(conn: &Reader, name: &str) -> Result<Option<Sample>> {
    let sql = format!("{SAMPLE_SELECT} WHERE name = ?1");
    conn.row(&sql, [name], sample_from_row)
}

/// Inserts (`id == 0`) or updates every column but `created` of a sample by id. The one writer
/// of `waffle_sample`, for single commands and import.
pub(crate) fn save_sample(tx: &Tx<'_>, s: &Sample) -> Result<i64> {
    tx.write_row(
        "waffle_sample",
        s.id,
        &["name", "percent", "note", "created", "modified"],
        params![
            s.name,
            SqlValue::Text(s.percent.to_sql()),
            s.note,
            s.created,
            s.modified
        ],
        &["created"],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_sql(v: ValueRef<'_>) -> Option<Percent> {
        Percent::read(v, 10).unwrap()
    }

    #[test]
    fn percent_reads_every_django_encoding() {
        assert_eq!(from_sql(ValueRef::Integer(25)), Some(Percent(250)));
        assert_eq!(from_sql(ValueRef::Real(12.5)), Some(Percent(125)));
        // Half to even after 15 significant digits, as Django's SQLite backend rounds.
        for (f, tenths) in [
            (12.25, 122),
            (12.35, 124),
            (0.05, 0),
            (0.15, 2),
            (99.95, 1000),
            (-12.25, -122),
            (33.333, 333),
        ] {
            assert_eq!(from_sql(ValueRef::Real(f)), Some(Percent(tenths)), "{f}");
        }
        assert_eq!(Percent::read(ValueRef::Null, 3), Ok(None));
        assert_eq!(Percent(125).to_string(), "12.5");
        assert_eq!(Percent(0).to_string(), "0.0");
    }

    /// What Django 5.2 raises on (conformance/suite.py checks these against it): more digits
    /// than the column holds, text, blobs.
    #[test]
    fn percent_django_cannot_read() {
        let flag = |v| Percent::read(v, FLAG_PERCENT_DIGITS);
        let sample = |v| Percent::read(v, SAMPLE_PERCENT_DIGITS);
        assert_eq!(flag(ValueRef::Real(99.94)), Ok(Some(Percent(999))));
        assert_eq!(flag(ValueRef::Integer(-1)), Ok(Some(Percent(-10))));
        for v in [
            ValueRef::Integer(100),
            ValueRef::Integer(-100),
            ValueRef::Real(99.95),
            ValueRef::Real(-99.96),
            ValueRef::Real(1e308),
            ValueRef::Integer(i64::MAX),
            ValueRef::Text(b"abc"),
            ValueRef::Text(b""),
            ValueRef::Blob(b"25"),
        ] {
            assert!(flag(v).is_err(), "{v:?}");
        }
        assert_eq!(sample(ValueRef::Integer(999)), Ok(Some(Percent(9990))));
        assert_eq!(sample(ValueRef::Real(99.96)), Ok(Some(Percent(1000))));
        assert!(sample(ValueRef::Real(1e20)).is_err());
        let u = flag(ValueRef::Text(b"abc")).unwrap_err();
        assert_eq!(
            u.to_string(),
            "percent \"abc\" (text) cannot be read by Django (TypeError: argument must be int or float)"
        );
        assert_eq!(
            flag(ValueRef::Blob(b"25")).unwrap_err().stored,
            "x'3235' (blob)"
        );
    }
}
