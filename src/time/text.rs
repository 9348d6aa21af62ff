//! Datetime re-encoding for bulk work. Exports and imports convert hundreds of thousands of
//! timestamps; the common spellings (`2026-01-02 03:04:05.123456` as stored,
//! `2026-01-02T03:04:05.123456Z` as exported) are converted here without a format parser.
//! Anything else that was stored is read as Django reads it ([`super::django::datetime`]);
//! anything else a file gives goes through [`crate::time::parse_db`].

use chrono::{NaiveDate, NaiveTime};

use crate::time;

/// `(y, m, d, H, M, S, micros)`.
type Parts = (i32, u32, u32, u32, u32, u32, u32);

/// `(y, m, d, H, M, S, micros)` of `YYYY-MM-DD[ T]HH:MM:SS[.f+][Z]`, validated; `None` for any
/// other spelling (offsets, missing seconds, ...).
fn split(s: &str) -> Option<Parts> {
    let b = s.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let mut v = 0u32;
        for &c in &b[r] {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(c - b'0');
        }
        Some(v)
    };
    if b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b' ' || b[10] == b'T')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &b[19..];
    if let Some(r) = rest.strip_suffix(b"Z") {
        rest = r;
    }
    let mut micros = 0u32;
    if !rest.is_empty() {
        let frac = rest.strip_prefix(b".")?;
        if frac.is_empty() || !frac.iter().all(u8::is_ascii_digit) {
            return None;
        }
        for i in 0..6 {
            micros = micros * 10 + frac.get(i).map_or(0, |c| u32::from(c - b'0'));
        }
    }
    NaiveDate::from_ymd_opt(y as i32, mo, d)?;
    NaiveTime::from_hms_opt(h, mi, sec)?;
    Some((y as i32, mo, d, h, mi, sec, micros))
}

/// Appends `v` zero-padded to `width` digits.
fn push_num(out: &mut String, v: u32, width: usize) {
    let mut buf = [b'0'; 10];
    let mut n = v;
    let mut i = buf.len();
    while n > 0 && i > 0 {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let digits = buf.len() - i;
    for _ in digits..width {
        out.push('0');
    }
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or(""));
}

/// `YYYY-MM-DD{sep}HH:MM:SS`, then the fraction (`frac_digits` of the microseconds, none when
/// 0 is asked for), then `tail`.
fn render(p: Parts, sep: char, frac_digits: usize, tail: &str) -> String {
    let (y, mo, d, h, mi, sec, us) = p;
    let mut out = String::with_capacity(28);
    push_num(&mut out, y.max(0) as u32, 4);
    out.push('-');
    push_num(&mut out, mo, 2);
    out.push('-');
    push_num(&mut out, d, 2);
    out.push(sep);
    push_num(&mut out, h, 2);
    out.push(':');
    push_num(&mut out, mi, 2);
    out.push(':');
    push_num(&mut out, sec, 2);
    match frac_digits {
        0 => {}
        3 => {
            out.push('.');
            push_num(&mut out, us / 1000, 3);
        }
        _ => {
            out.push('.');
            push_num(&mut out, us, 6);
        }
    }
    out.push_str(tail);
    out
}

/// Any accepted spelling → the store's text (`YYYY-MM-DD HH:MM:SS[.ffffff]`, as
/// [`time::to_db`] writes it).
pub fn to_db(s: &str) -> Option<String> {
    match split(s) {
        Some(p) if p.0 >= 0 => Some(render(p, ' ', if p.6 == 0 { 0 } else { 6 }, "")),
        _ => time::parse_db(s).map(|t| time::to_db(&t)),
    }
}

/// The parts of an instant.
fn parts_of(t: chrono::DateTime<chrono::Utc>) -> Parts {
    use chrono::{Datelike, Timelike};
    (
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond() / 1000,
    )
}

/// The parts of any spelling a file may give (the fast path, else [`time::parse_db`]).
fn parts(s: &str) -> Option<Parts> {
    split(s)
        .filter(|p| p.0 >= 0)
        .or_else(|| time::parse_db(s).map(parts_of))
}

/// The parts of a stored datetime as Django reads it: the fast path (years 1–9999, as Python's
/// `datetime`), else [`super::django::datetime`]. None for text Django does not read.
fn stored_parts(s: &str) -> Option<Parts> {
    split(s)
        .filter(|p| p.0 >= 1)
        .or_else(|| super::django::datetime(s).map(parts_of))
}

/// A stored datetime as `--json` prints it (see [`time::db_to_json`]).
pub(super) fn stored_to_json(db: &str) -> Option<String> {
    stored_parts(db).map(|p| render(p, 'T', 6, "Z"))
}

/// Stored text, as Django reads it → Django's JSON encoding: milliseconds (truncated) with `Z`, no fraction when
/// the microseconds are zero. Unreadable text is passed through.
pub fn to_fixture(db: &str) -> String {
    match stored_parts(db) {
        Some(p) if p.6 == 0 => render(p, 'T', 0, "Z"),
        Some(p) => render(p, 'T', 3, "Z"),
        None => db.to_string(),
    }
}

/// Same instant, whatever the spelling.
pub fn same(a: &str, b: &str) -> bool {
    a == b || matches!((to_db(a), to_db(b)), (Some(x), Some(y)) if x == y)
}

/// How finely a file format writes times: a native file keeps the store's microseconds, a
/// Django fixture only milliseconds (Django's JSON encoder truncates them). A time read from a
/// file is compared with the store's at the precision its format carries, so that an export
/// read back is the same row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    #[default]
    Micros,
    Millis,
}

impl Precision {
    /// Any accepted spelling → the store's text ([`to_db`]) cut to this precision; it sorts
    /// chronologically. `None` for text that is not a time.
    pub fn to_db(self, s: &str) -> Option<String> {
        match self {
            Precision::Micros => to_db(s),
            Precision::Millis => parts(s).map(|mut p| {
                p.6 -= p.6 % 1000;
                render(p, ' ', if p.6 == 0 { 0 } else { 6 }, "")
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_slow_path() {
        for s in [
            "2026-11-21 12:55:18",
            "2026-11-21 12:55:18.747000",
            "2026-11-21 12:55:18.000500",
            "2026-11-21T12:55:18.747123Z",
            "2026-11-21T12:55:18Z",
            "2026-11-21T12:55:18.7Z",
            "2026-11-21T12:55:18+00:00",
            "2026-11-21T13:55:18+01:00",
        ] {
            let slow = time::parse_db(s).unwrap();
            assert_eq!(to_db(s).unwrap(), time::to_db(&slow), "{s}");
            assert_eq!(
                time::db_to_json(&time::to_db(&slow)),
                time::to_json(&slow),
                "{s}"
            );
        }
        assert_eq!(
            to_fixture("2026-11-21 12:55:18.747891"),
            "2026-11-21T12:55:18.747Z"
        );
        assert_eq!(
            to_fixture("2026-11-21 12:55:18.000500"),
            "2026-11-21T12:55:18.000Z"
        );
        assert_eq!(to_fixture("2026-11-21 12:55:18"), "2026-11-21T12:55:18Z");
        assert!(to_db("2026-13-01T00:00:00Z").is_none());
        assert!(to_db("yesterday").is_none());
        assert!(same("2026-11-21 12:55:18.000000", "2026-11-21T12:55:18Z"));
    }

    #[test]
    fn a_fixture_time_is_the_stored_time_at_milliseconds() {
        let at = |p: Precision, a: &str, b: &str| p.to_db(a).is_some() && p.to_db(a) == p.to_db(b);
        for stored in [
            "2026-11-21 12:55:18.747891",
            "2026-11-21 12:55:18.000500",
            "2026-11-21 12:55:18",
        ] {
            assert!(
                at(Precision::Millis, &to_fixture(stored), stored),
                "{stored}"
            );
        }
        let (file, stored) = ("2026-11-21T12:55:18.747Z", "2026-11-21 12:55:18.747891");
        assert!(!at(Precision::Micros, file, stored));
        assert!(!at(Precision::Millis, "2026-11-21T12:55:18.746Z", stored));
        assert_eq!(
            Precision::Millis
                .to_db("2026-11-21T13:55:18.747891+01:00")
                .as_deref(),
            Some("2026-11-21 12:55:18.747000")
        );
        assert_eq!(Precision::Millis.to_db("yesterday"), None);
    }
}
