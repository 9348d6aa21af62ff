//! Reading columns as Django (or another writer) left them: SQLite's dynamic types mean a boolean
//! may come back as an integer, a real or text, and a text column as a number.

use rusqlite::Row;
use rusqlite::types::ValueRef;
use serde::Serializer;

use crate::time;

/// A text column; NULL reads as the empty string, numbers as their decimal form.
pub fn text(r: &Row<'_>, col: &str) -> rusqlite::Result<String> {
    Ok(match r.get_ref(col)? {
        ValueRef::Null => String::new(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
    })
}

/// A nullable text column.
pub fn opt_text(r: &Row<'_>, col: &str) -> rusqlite::Result<Option<String>> {
    Ok(match r.get_ref(col)? {
        ValueRef::Null => None,
        _ => Some(text(r, col)?),
    })
}

/// A Django `bool` column as Django's SQLite backend hands it to Python: the sqlite3 module's
/// `bool` converter is `b"1".__eq__` on the value's text form, so only a 1 (integer, text `'1'`
/// or blob `x'31'`) is True; `2`, `-1`, `0.5`, `'true'`, `'t'` and `'yes'` are False; NULL and an
/// empty text or blob are None (observed with Django 5.2, see conformance/suite.py). A real
/// never renders as `1` (SQLite writes `1.0`).
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
pub fn boolean(r: &Row<'_>, col: &str) -> rusqlite::Result<bool> {
    Ok(django_bool(r.get_ref(col)?) == Some(true))
}

/// A nullable `bool` column (django-waffle's tri-state `everyone`), as Django reads it.
pub fn opt_boolean(r: &Row<'_>, col: &str) -> rusqlite::Result<Option<bool>> {
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

/// serde `serialize_with` for a stored datetime: ISO 8601 UTC with `Z`, as `--json` prints it.
pub fn ser_time<S: Serializer>(v: &str, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&time::db_to_json(v))
}
