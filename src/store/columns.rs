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
/// The instant is the one Django reads ([`django_datetime`]); text Django cannot read is shown as
/// stored.
pub fn ser_time<S: Serializer>(v: &str, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&time_json(v))
}

/// A stored datetime as `--json` prints it: the instant Django reads ([`django_datetime`]) as
/// ISO 8601 UTC with `Z`; text Django cannot read is passed through as stored.
pub fn time_json(v: &str) -> String {
    match django_datetime(v) {
        Some(t) => time::to_json(&t),
        None => v.to_string(),
    }
}

/// A `datetime` column's text as Django's SQLite backend reads it, as a UTC instant: Django's
/// `parse_datetime` tries Python's `datetime.fromisoformat` (3.11+), then its own pattern
/// `YYYY-M-D[T ]H:M[:S[.f]] [Z|±HH[[:]MM]]`; a naive value is UTC (`TIME_ZONE = 'UTC'`), an
/// offset is applied. None when Django would read None (not a datetime) or fail (out of range).
/// Covered forms of `fromisoformat`: `YYYY-MM-DD` or `YYYYMMDD`, then any one separator and
/// `HH[:MM[:SS[.f…]]]` or `HHMM[SS[.f…]]`, then `Z` or `±HH[:MM[:SS]]` / `±HHMM`; ISO week dates
/// and non-ASCII digits are not.
pub fn django_datetime(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    iso_datetime(s).or_else(|| django_pattern(s))
}

type Parts = (i32, u32, u32, u32, u32, u32, u32, i32);

fn to_utc(p: Parts) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::{NaiveDate, TimeZone};
    let (y, mo, d, h, mi, sec, us, offset) = p;
    let naive = NaiveDate::from_ymd_opt(y, mo, d)?.and_hms_micro_opt(h, mi, sec, us)?;
    let t = chrono::Utc.from_utc_datetime(&naive);
    Some(t - chrono::Duration::seconds(i64::from(offset)))
}

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `f…` digits as microseconds (truncated to 6 digits).
fn micros(f: &str) -> Option<u32> {
    if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let six: String = f.chars().chain(std::iter::repeat('0')).take(6).collect();
    six.parse().ok()
}

/// `Z`, `±HH`, `±HH:MM`, `±HHMM`, `±HH:MM:SS` as seconds east of UTC.
fn tz_offset(t: &str) -> Option<i32> {
    if t == "Z" {
        return Some(0);
    }
    let sign = match t.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &t[1..];
    let parts: Vec<&str> = if body.contains(':') {
        body.split(':').collect()
    } else if body.len() == 4 {
        vec![&body[..2], &body[2..]]
    } else {
        vec![body]
    };
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    let n: Vec<u32> = parts.iter().map(|p| digits(p)).collect::<Option<_>>()?;
    let secs = n[0] * 3600 + n.get(1).copied().unwrap_or(0) * 60 + n.get(2).copied().unwrap_or(0);
    (secs < 86400).then_some(sign * secs as i32)
}

fn iso_datetime(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if !s.is_ascii() {
        return None;
    }
    let (date, rest) = if s.len() >= 10 && s.as_bytes()[4] == b'-' {
        s.split_at(10)
    } else if s.len() >= 8 {
        s.split_at(8)
    } else {
        return None;
    };
    let (y, mo, d) = if date.len() == 10 {
        if date.as_bytes()[7] != b'-' {
            return None;
        }
        (
            digits(&date[..4])?,
            digits(&date[5..7])?,
            digits(&date[8..])?,
        )
    } else {
        (
            digits(&date[..4])?,
            digits(&date[4..6])?,
            digits(&date[6..])?,
        )
    };
    if rest.is_empty() {
        return to_utc((y as i32, mo, d, 0, 0, 0, 0, 0));
    }
    // Any one separator, then the time and an optional zone.
    let time = &rest[1..];
    let zone_at = time.find(['Z', '+', '-']).unwrap_or(time.len());
    let (clock, zone) = time.split_at(zone_at);
    let clock = clock.trim_end();
    let offset = if zone.is_empty() { 0 } else { tz_offset(zone)? };
    let (hms, frac) = match clock.find(['.', ',']) {
        Some(i) => (&clock[..i], Some(&clock[i + 1..])),
        None => (clock, None),
    };
    let fields: Vec<&str> = if hms.contains(':') {
        hms.split(':').collect()
    } else {
        (0..hms.len())
            .step_by(2)
            .map(|i| hms.get(i..i + 2).unwrap_or(""))
            .collect()
    };
    if fields.is_empty() || fields.len() > 3 || fields.iter().any(|f| f.len() != 2) {
        return None;
    }
    if frac.is_some() && fields.len() != 3 {
        return None;
    }
    let n: Vec<u32> = fields.iter().map(|f| digits(f)).collect::<Option<_>>()?;
    let us = match frac {
        Some(f) => micros(f)?,
        None => 0,
    };
    let get = |i: usize| n.get(i).copied().unwrap_or(0);
    to_utc((y as i32, mo, d, get(0), get(1), get(2), us, offset))
}

/// Django's own pattern (`django.utils.dateparse.datetime_re`).
fn django_pattern(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    fn take_digits(s: &str, min: usize, max: usize) -> Option<(u32, &str)> {
        let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
        (n >= min)
            .then(|| s[..n].parse().ok().map(|v| (v, &s[n..])))
            .flatten()
    }
    fn lit<'a>(s: &'a str, set: &[u8]) -> Option<&'a str> {
        s.as_bytes()
            .first()
            .filter(|b| set.contains(b))
            .map(|_| &s[1..])
    }
    let (y, r) = take_digits(s, 4, 4)?;
    let (mo, r) = take_digits(lit(r, b"-")?, 1, 2)?;
    let (d, r) = take_digits(lit(r, b"-")?, 1, 2)?;
    let (h, r) = take_digits(lit(r, b"T ")?, 1, 2)?;
    let (mi, mut r) = take_digits(lit(r, b":")?, 1, 2)?;
    let (mut sec, mut us) = (0, 0);
    if let Some(after) = lit(r, b":") {
        let (sv, r2) = take_digits(after, 1, 2)?;
        sec = sv;
        r = r2;
        if let Some(f) = lit(r, b".,") {
            let n = f.bytes().take(6).take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return None;
            }
            us = micros(&f[..n])?;
            let extra = f[n..]
                .bytes()
                .take(6)
                .take_while(u8::is_ascii_digit)
                .count();
            r = &f[n + extra..];
        }
    }
    let r = r.trim_start();
    let offset = if r.is_empty() {
        0
    } else {
        let ok =
            r == "Z" || (r.len() == 3 || r.len() == 5 || (r.len() == 6 && r.as_bytes()[3] == b':'));
        if !ok {
            return None;
        }
        tz_offset(r)?
    };
    to_utc((y as i32, mo, d, h, mi, sec, us, offset))
}
