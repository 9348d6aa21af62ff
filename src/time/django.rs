//! A stored datetime read as Django reads it: the one reader of what a `datetime` column holds,
//! for every backend (a server's column arrives in the store's UTC text form).

use crate::engine::dateutil;

/// A `datetime` column's text as Django's SQLite backend reads it, as a UTC instant: Django's
/// `parse_datetime` tries Python's `datetime.fromisoformat` (3.11+), then its own pattern
/// `YYYY-M-D[T ]H:M[:S[.f]] [Z|±HH[[:]MM]]`; a naive value is UTC (`TIME_ZONE = 'UTC'`), an
/// offset is applied. None when Django would read None (not a datetime) or fail (out of range).
/// `fromisoformat` ([`iso_datetime`]): a calendar date `YYYY-MM-DD` / `YYYYMMDD` or an ISO week
/// date `YYYY-Www[-D]` / `YYYYWww[D]`, then any one character as separator (non-ASCII too) and
/// `HH[:MM[:SS[.f…]]]` or `HHMM[SS[.f…]]`, then `Z` or `±HH[:MM[:SS]]` / `±HHMM`, all ASCII
/// but the separator. Django's pattern ([`django_pattern`]) takes any Unicode decimal digit
/// (`２０２０-０３-０５ １０:００`), as Python's `re` and `int()` do.
pub fn datetime(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    iso_datetime(s).or_else(|| django_pattern(s))
}

type Parts = (i32, u32, u32, u32, u32, u32, u32, i32);

/// Python's `datetime(...)` (years 1–9999) with a fixed offset, as a UTC instant.
fn to_utc(p: Parts) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::{NaiveDate, TimeZone};
    let (y, mo, d, h, mi, sec, us, offset) = p;
    if !(1..=9999).contains(&y) {
        return None;
    }
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

/// Where the date ends in a `fromisoformat` string: CPython 3.11's
/// `_find_isoformat_datetime_separator`, on the UTF-8 bytes as the C code scans them.
fn iso_separator(b: &[u8]) -> usize {
    let n = b.len();
    if n == 7 {
        return 7;
    }
    if b[4] == b'-' {
        if b[5] != b'W' {
            return 10; // YYYY-MM-DD
        }
        if n > 8 && b[8] == b'-' {
            // YYYY-Www-D, unless a digit at 10 makes it YYYY-Www then `-` and a time
            if n > 10 && b[10].is_ascii_digit() {
                return 8;
            }
            return 10;
        }
        return 8; // YYYY-Www
    }
    if b[4] == b'W' {
        // YYYYWww (7) or YYYYWwwD (8): count the digits from 7 on
        let end = 7 + b[7..].iter().take_while(|c| c.is_ascii_digit()).count();
        if end < 9 {
            return end;
        }
        return if end % 2 == 0 { 7 } else { 8 };
    }
    8 // YYYYMMDD
}

/// The date part of a `fromisoformat` string (CPython 3.11's `parse_isoformat_date`): a
/// calendar date, or an ISO week date (week 53 only in years that have one, day 1–7).
fn iso_date(d: &str) -> Option<(i32, u32, u32)> {
    let year = digits(d.get(..4)?)? as i32;
    let mut r = &d[4..];
    let dash = r.starts_with('-');
    if dash {
        r = &r[1..];
    }
    let sep = |r: &str| -> Option<usize> {
        match (dash, r.starts_with('-')) {
            (false, _) => Some(0),
            (true, true) => Some(1),
            (true, false) => None,
        }
    };
    if let Some(w) = r.strip_prefix('W') {
        let week = digits(w.get(..2)?)?;
        let rest = &w[2..];
        let day = if rest.is_empty() {
            1
        } else {
            let rest = &rest[sep(rest)?..];
            if rest.len() != 1 {
                return None;
            }
            digits(rest)?
        };
        if !(1..=7).contains(&day) {
            return None;
        }
        let weekday = chrono::Weekday::try_from(u8::try_from(day - 1).ok()?).ok()?;
        // chrono refuses week 53 in a 52-week year, as CPython does.
        let date = chrono::NaiveDate::from_isoywd_opt(year, week, weekday)?;
        use chrono::Datelike;
        return Some((date.year(), date.month(), date.day()));
    }
    let month = digits(r.get(..2)?)?;
    let r = &r[2..];
    let r = &r[sep(r)?..];
    if r.len() != 2 {
        return None;
    }
    Some((year, month, digits(r)?))
}

/// Python 3.11's `datetime.fromisoformat`, as Django's `parse_datetime` calls it first.
fn iso_datetime(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let b = s.as_bytes();
    if b.len() < 7 || !b[..7].is_ascii() {
        return None;
    }
    let at = iso_separator(b);
    let date = s.get(..at).filter(|d| d.is_ascii())?;
    let (y, mo, d) = iso_date(date)?;
    let rest = &s[at..];
    if rest.is_empty() {
        return to_utc((y, mo, d, 0, 0, 0, 0, 0));
    }
    // Any one character as separator (CPython skips it by its UTF-8 length), then the time and
    // an optional zone, in ASCII.
    let sep = rest.chars().next()?;
    let time = &rest[sep.len_utf8()..];
    if !time.is_ascii() {
        return None;
    }
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
    to_utc((y, mo, d, get(0), get(1), get(2), us, offset))
}

/// A digit as Python's `re` `\d` and `int()` read it: ASCII or any Unicode decimal digit.
fn py_digit(c: char) -> Option<u32> {
    c.to_digit(10).or_else(|| dateutil::decimal_digit(c))
}

/// Django's own pattern (`django.utils.dateparse.datetime_re`), on characters: `\d` is any
/// Unicode decimal digit, `\s` Python's whitespace, `$` the end or a final newline.
fn django_pattern(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    /// `min`–`max` digits (greedy): their value, their count and the rest.
    fn take_digits(s: &str, min: usize, max: usize) -> Option<(u32, usize, &str)> {
        let (mut v, mut n, mut at) = (0u32, 0, 0);
        for c in s.chars().take(max) {
            let Some(d) = py_digit(c) else { break };
            v = v * 10 + d;
            n += 1;
            at += c.len_utf8();
        }
        (n >= min).then_some((v, n, &s[at..]))
    }
    fn lit<'a>(s: &'a str, set: &[u8]) -> Option<&'a str> {
        s.as_bytes()
            .first()
            .filter(|b| set.contains(b))
            .map(|_| &s[1..])
    }
    let (y, _, r) = take_digits(s, 4, 4)?;
    let (mo, _, r) = take_digits(lit(r, b"-")?, 1, 2)?;
    let (d, _, r) = take_digits(lit(r, b"-")?, 1, 2)?;
    let (h, _, r) = take_digits(lit(r, b"T ")?, 1, 2)?;
    let (mi, _, mut r) = take_digits(lit(r, b":")?, 1, 2)?;
    let (mut sec, mut us) = (0, 0);
    if let Some(after) = lit(r, b":") {
        let (sv, _, r2) = take_digits(after, 1, 2)?;
        sec = sv;
        r = r2;
        if let Some(f) = lit(r, b".,") {
            // `(?P<microsecond>\d{1,6})\d{0,6}`, left-justified to six digits
            if let Some((v, n, r3)) = take_digits(f, 1, 6) {
                us = v * 10u32.pow(6 - n as u32);
                let (_, _, r4) = take_digits(r3, 0, 6)?;
                r = r4;
            }
        }
    }
    // `$`: the end, or just before a final newline.
    let r = r.strip_suffix('\n').unwrap_or(r);
    let r = r.trim_start_matches(dateutil::is_space);
    let offset = if r.is_empty() || r == "Z" {
        0
    } else {
        // `[+-]\d{2}(?::?\d{2})?`
        let sign = match r.as_bytes()[0] {
            b'+' => 1,
            b'-' => -1,
            _ => return None,
        };
        let (hh, n, rest) = take_digits(&r[1..], 2, 2)?;
        debug_assert_eq!(n, 2);
        let rest = rest.strip_prefix(':').unwrap_or(rest);
        let (mm, rest) = if rest.is_empty() && !r[1..].contains(':') {
            (0, rest)
        } else {
            let (mm, _, rest) = take_digits(rest, 2, 2)?;
            (mm, rest)
        };
        if !rest.is_empty() {
            return None;
        }
        // `get_fixed_timezone`: a timedelta under a day.
        let secs = (hh * 60 + mm) * 60;
        if secs >= 86400 {
            return None;
        }
        sign * secs as i32
    };
    to_utc((y as i32, mo, d, h, mi, sec, us, offset))
}
