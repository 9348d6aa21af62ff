//! Reading columns as Django (or another writer) left them: text, booleans, an override's
//! `change_date` as stored, and serde's rendering of a stored datetime (read as Django reads it
//! by [`crate::time::db_to_json`], the same for every backend). How a backend hands back a
//! column is the backend's (SQLite's dynamic types: see [`super::sqlite`]).

use serde::Serializer;

use super::conn::{Row, ValueRef};
use crate::engine::overrides::StoredDate;
use crate::time;

// Columns as Django left them: SQLite's dynamic types mean a boolean may come back as an
// integer, a real or text, and a text column as a number.

/// A text column; NULL reads as the empty string, numbers as their decimal form.
pub(super) fn text(r: &Row<'_>, col: &str) -> rusqlite::Result<String> {
    Ok(match r.get_ref(col)? {
        ValueRef::Null => String::new(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
    })
}

/// A column read as its Rust type (an ID, a count) by the client's own conversion.
pub(super) fn get<T: rusqlite::types::FromSql>(r: &Row<'_>, col: &str) -> rusqlite::Result<T> {
    r.get(col)
}

/// A struct read from a row, its fields grouped by the reader of their column (`get`, `text`,
/// `opt_text`, `boolean`, `opt_boolean`, above); a field reads the column of its own name, or
/// the one `= "column"` names. After `=>`, the fields that are not columns (shorthand or
/// `field: value`):
///
/// `read_row!(r => Switch { get: id; text: name, note; boolean: active; => extra })`
macro_rules! read_row {
    ($r:ident => $ty:ident {
        $($read:ident: $($field:ident $(= $col:literal)?),+;)+
        $(=> $($other:ident $(: $value:expr)?),+)?
    }) => {
        $ty {
            $($($field: $crate::store::columns::$read(
                $r,
                $crate::store::columns::column_of!($field $(= $col)?),
            )?,)+)+
            $($($other $(: $value)?,)+)?
        }
    };
}
pub(super) use read_row;

/// The column a [`read_row`] field reads: its own name, or the one it gives.
macro_rules! column_of {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident = $col:literal) => {
        $col
    };
}
pub(super) use column_of;

/// A nullable text column.
pub(super) fn opt_text(r: &Row<'_>, col: &str) -> rusqlite::Result<Option<String>> {
    Ok(match r.get_ref(col)? {
        ValueRef::Null => None,
        _ => Some(text(r, col)?),
    })
}

/// A column as it is stored, before any reading (an override's `change_date`: edX orders rows
/// by what the column holds, whatever its type).
pub(super) fn stored_date(r: &Row<'_>, col: &str) -> rusqlite::Result<StoredDate> {
    Ok(match r.get_ref(col)? {
        ValueRef::Null => StoredDate::Null,
        ValueRef::Integer(i) => StoredDate::Integer(i),
        ValueRef::Real(f) => StoredDate::Real(f),
        ValueRef::Text(t) => StoredDate::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => StoredDate::Blob(b.to_vec()),
    })
}

/// A Django `bool` column as Django's SQLite backend hands it to Python: the sqlite3 module's
/// `bool` converter is `b"1".__eq__` on the value's text form, so only a 1 (integer, text `'1'`
/// or blob `x'31'`) is True; `2`, `-1`, `0.5`, `'true'`, `'t'` and `'yes'` are False; NULL and an
/// empty text or blob are None (observed with Django 5.2, see conformance/suite.py). A real
/// never renders as `1` (SQLite writes `1.0`). A server's boolean arrives as 0 or 1.
fn django_bool(v: ValueRef<'_>) -> Option<bool> {
    match v {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i == 1),
        ValueRef::Real(_) => Some(false),
        ValueRef::Text(t) | ValueRef::Blob(t) if t.is_empty() => None,
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(t == b"1"),
    }
}

/// A NOT NULL `bool` column, true exactly when Django reads True (see [`django_bool`]); what
/// Django reads as None is falsy in every `if` edX and django-waffle write.
pub(super) fn boolean(r: &Row<'_>, col: &str) -> rusqlite::Result<bool> {
    Ok(django_bool(r.get_ref(col)?) == Some(true))
}

/// A nullable `bool` column (django-waffle's tri-state `everyone`), as Django reads it.
pub(super) fn opt_boolean(r: &Row<'_>, col: &str) -> rusqlite::Result<Option<bool>> {
    Ok(django_bool(r.get_ref(col)?))
}

/// [`ser_time`] of an optional datetime (`null` when None).
pub fn ser_opt_time<S: Serializer>(
    v: &Option<String>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some(v) => ser_time(v, s),
        None => s.serialize_none(),
    }
}

/// serde `serialize_with` for a stored datetime, as `--json` prints it ([`time::db_to_json`]).
pub fn ser_time<S: Serializer>(v: &str, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&time::db_to_json(v))
}
