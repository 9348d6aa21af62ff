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

/// A Django `bool` column: 0/1, and the text forms other writers leave.
pub fn boolean(r: &Row<'_>, col: &str) -> rusqlite::Result<bool> {
    Ok(match r.get_ref(col)? {
        ValueRef::Integer(i) => i != 0,
        ValueRef::Real(f) => f != 0.0,
        ValueRef::Text(t) => matches!(t, b"1" | b"true" | b"True" | b"t"),
        _ => false,
    })
}

/// A nullable `bool` column (django-waffle's tri-state `everyone`).
pub fn opt_boolean(r: &Row<'_>, col: &str) -> rusqlite::Result<Option<bool>> {
    Ok(match r.get_ref(col)? {
        ValueRef::Null => None,
        _ => Some(boolean(r, col)?),
    })
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
