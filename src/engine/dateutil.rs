//! Reading stored dates the way edX does: `dateutil.parser.parse(value)` (python-dateutil 2.9,
//! default settings: month first, year not first, not fuzzy), then `.replace(tzinfo=UTC)`, which
//! DISCARDS any offset or zone name instead of converting.
//!
//! This is a port of dateutil's tokenizer and its decision rules for the forms people store:
//! ISO dates and datetimes (`2012-01-06`, `2012-01-06T10:30:00.5-05:00`, `20120106T103000`),
//! slashed and dotted dates read month first (`06/01/2012` = June 1st), month names
//! (`Jan 6 2012`, `6 January 2012`, `January 6th, 2012 10pm`), weekdays, am/pm, zone names after a
//! time (`UTC`, `Z`, `EST`), and `h`/`m`/`s` units. Missing parts are filled from `today`
//! (`2012` = that year on today's month and day, `10:30` = today at 10:30), as dateutil does.
//! Everything dateutil refuses is refused (`not-a-date`, `2012-01-06Z`, `2012-13-01`,
//! `99999-01-01`), with a reason.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

use super::pychars::{decimal_ascii, is_alpha, is_digit};

const JUMP: &[&str] = &[
    " ", ".", ",", ";", "-", "/", "'", "at", "on", "and", "ad", "m", "t", "of", "st", "nd", "rd",
    "th",
];
const WEEKDAYS: &[&[&str]] = &[
    &["mon", "monday"],
    &["tue", "tuesday"],
    &["wed", "wednesday"],
    &["thu", "thursday"],
    &["fri", "friday"],
    &["sat", "saturday"],
    &["sun", "sunday"],
];
const MONTHS: &[&[&str]] = &[
    &["jan", "january"],
    &["feb", "february"],
    &["mar", "march"],
    &["apr", "april"],
    &["may"],
    &["jun", "june"],
    &["jul", "july"],
    &["aug", "august"],
    &["sep", "sept", "september"],
    &["oct", "october"],
    &["nov", "november"],
    &["dec", "december"],
];
const HMS: &[&[&str]] = &[
    &["h", "hour", "hours"],
    &["m", "minute", "minutes"],
    &["s", "second", "seconds"],
];
const AMPM: &[&[&str]] = &[&["am", "a"], &["pm", "p"]];
const UTCZONE: &[&str] = &["UTC", "GMT", "Z", "z"];

fn lookup(table: &[&[&str]], token: &str) -> Option<usize> {
    let t = token.to_lowercase();
    table.iter().position(|names| names.contains(&t.as_str()))
}
fn jump(t: &str) -> bool {
    JUMP.contains(&t.to_lowercase().as_str())
}
fn weekday(t: &str) -> Option<usize> {
    lookup(WEEKDAYS, t)
}
fn month(t: &str) -> Option<i64> {
    lookup(MONTHS, t).map(|i| i as i64 + 1)
}
fn hms(t: &str) -> Option<usize> {
    lookup(HMS, t)
}
fn ampm(t: &str) -> Option<usize> {
    lookup(AMPM, t)
}
fn pertain(t: &str) -> bool {
    t.to_lowercase() == "of"
}

/// The zero of every run of Unicode decimal digits (category Nd) other than ASCII, as Python
/// 3.11 knows them: `int()` and `float()` read each of these runs as 0-9.
const DIGIT_ZEROS: &[u32] = &[
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
    0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The value of a non-ASCII Unicode decimal digit (category Nd).
pub fn decimal_digit(c: char) -> Option<u32> {
    let u = c as u32;
    DIGIT_ZEROS
        .iter()
        .find(|z| (**z..**z + 10).contains(&u))
        .map(|z| u - z)
}

/// A Unicode decimal digit as its ASCII digit (Python reads `２０２０` as 2020); others unchanged.
fn ascii_digit(c: char) -> char {
    let u = c as u32;
    if u < 0x660 {
        return c;
    }
    match DIGIT_ZEROS.iter().find(|z| (**z..**z + 10).contains(&u)) {
        Some(z) => char::from(b'0' + (u - z) as u8),
        None => c,
    }
}

/// Python's `str.isspace` (Rust's White_Space lacks the four information separators).
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// dateutil's `_timelex.split`.
fn split(s: &str) -> Vec<String> {
    #[derive(PartialEq, Clone, Copy)]
    enum St {
        None,
        Alpha,
        Num,
        AlphaDot,
        NumDot,
    }
    let chars: Vec<char> = s.chars().filter(|&c| c != '\0').map(ascii_digit).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let mut token = String::new();
        let mut state = St::None;
        let mut seen_letters = false;
        while i < chars.len() {
            let c = chars[i];
            match state {
                St::None => {
                    i += 1;
                    if is_alpha(c) {
                        token.push(c);
                        state = St::Alpha;
                    } else if is_digit(c) {
                        token.push(num_char(c));
                        state = St::Num;
                    } else if is_space(c) {
                        token.push(' ');
                        break;
                    } else {
                        token.push(c);
                        break;
                    }
                }
                St::Alpha => {
                    seen_letters = true;
                    if is_alpha(c) {
                        token.push(c);
                    } else if c == '.' {
                        token.push(c);
                        state = St::AlphaDot;
                    } else {
                        break;
                    }
                    i += 1;
                }
                St::Num => {
                    if is_digit(c) {
                        token.push(num_char(c));
                    } else if c == '.' || (c == ',' && token.chars().count() >= 2) {
                        token.push(c);
                        state = St::NumDot;
                    } else {
                        break;
                    }
                    i += 1;
                }
                St::AlphaDot => {
                    seen_letters = true;
                    if c == '.' || is_alpha(c) {
                        token.push(c);
                    } else if is_digit(c) && token.ends_with('.') {
                        token.push(num_char(c));
                        state = St::NumDot;
                    } else {
                        break;
                    }
                    i += 1;
                }
                St::NumDot => {
                    if c == '.' || is_digit(c) {
                        token.push(num_char(c));
                    } else if is_alpha(c) && token.ends_with('.') {
                        token.push(c);
                        state = St::AlphaDot;
                    } else {
                        break;
                    }
                    i += 1;
                }
            }
        }
        if matches!(state, St::AlphaDot | St::NumDot)
            && (seen_letters
                || token.matches('.').count() > 1
                || token.ends_with('.')
                || token.ends_with(','))
        {
            // Split on '.' and ',' keeping the separators; drop empty pieces.
            let mut piece = String::new();
            for c in token.chars() {
                if c == '.' || c == ',' {
                    if !piece.is_empty() {
                        out.push(std::mem::take(&mut piece));
                    }
                    out.push(c.to_string());
                } else {
                    piece.push(c);
                }
            }
            if !piece.is_empty() {
                out.push(piece);
            }
            continue;
        }
        if state == St::NumDot && !token.contains('.') {
            token = token.replace(',', ".");
        }
        out.push(token);
    }
    out
}

/// A character of a number token as the number reads it: a decimal digit of any script as its
/// ASCII digit (Python's `int()`, `float()` and `Decimal()` read `'٣'` as 3, so the token means
/// the same), any other digit (`²`, `①`: `isdigit()` but not decimal, which those refuse) as is.
fn num_char(c: char) -> char {
    decimal_ascii(c).unwrap_or(c)
}

/// Whether a token is numeric (`float(token)` reads it in dateutil): ASCII digits (the lexer
/// turned other scripts' decimal digits into them) with at most one `.`, a digit first.
fn is_number(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_digit())
        && t.chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.matches('.').count() <= 1
}

/// Why dateutil's `parse` fails: a `ValueError` (edX logs it and puts the user outside the
/// window) or an `OverflowError`, which edX does not catch: the LMS fails with a server error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Unreadable(String),
    Overflow(String),
}

impl Failure {
    pub fn is_overflow(&self) -> bool {
        matches!(self, Failure::Overflow(_))
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Unreadable(why) | Failure::Overflow(why) => f.write_str(why),
        }
    }
}

impl From<&str> for Failure {
    fn from(s: &str) -> Failure {
        Failure::Unreadable(s.to_string())
    }
}

impl From<String> for Failure {
    fn from(s: String) -> Failure {
        Failure::Unreadable(s)
    }
}

type R<T> = Result<T, Failure>;

fn bad() -> Failure {
    "unknown string format".into()
}

fn overflow(why: &str) -> Failure {
    Failure::Overflow(why.to_string())
}

/// Python's `int(text)`: arbitrary precision; a value beyond i64 is kept as i64::MAX, which is
/// past every limit that matters (datetime fields overflow a C int long before).
fn int(t: &str) -> R<i64> {
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(t.parse::<i64>().unwrap_or(i64::MAX));
    }
    t.parse::<i64>().map_err(|_| bad())
}

/// A numeric token as dateutil keeps it: a Decimal, exact (`999.999999999999999` is not 1000, as
/// a float would make it). Every use compares it with whole numbers or truncates it, so its
/// whole part (saturating at i64, past every limit that matters) and whether a fraction follows
/// say all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dec {
    whole: i64,
    fraction: bool,
}

impl Dec {
    fn of(whole: i64) -> Dec {
        Dec {
            whole,
            fraction: false,
        }
    }

    /// `int(value)`: toward zero (tokens are never negative).
    fn int(self) -> i64 {
        self.whole
    }

    /// `value > n`.
    fn above(self, n: i64) -> bool {
        self.whole > n || (self.whole == n && self.fraction)
    }

    /// `value < n`.
    fn below(self, n: i64) -> bool {
        self.whole < n
    }

    /// `lo <= value <= hi`.
    fn within(self, lo: i64, hi: i64) -> bool {
        self.whole >= lo && !self.above(hi)
    }
}

/// The Decimal of a numeric token (see [`is_number`] for what is numeric).
fn decimal(t: &str) -> R<Dec> {
    if !is_number(t) {
        return Err(bad());
    }
    let (i, f) = t.split_once('.').unwrap_or((t, ""));
    Ok(Dec {
        whole: int(if i.is_empty() { "0" } else { i })?,
        fraction: f.bytes().any(|b| b != b'0'),
    })
}

/// Rounds a run of significant digits to Decimal's default 28, half to even.
fn round28(d: &[u8]) -> (u128, i32) {
    // Returns (digits as an integer, how many places it was shifted down by).
    if d.len() <= 28 {
        return (d.iter().fold(0u128, |a, c| a * 10 + u128::from(*c)), 0);
    }
    let mut keep = d[..28].iter().fold(0u128, |a, c| a * 10 + u128::from(*c));
    let rest = &d[28..];
    let half = rest[0].cmp(&5).then_with(|| {
        if rest[1..].iter().any(|c| *c != 0) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
    if half == std::cmp::Ordering::Greater || (half == std::cmp::Ordering::Equal && keep % 2 == 1) {
        keep += 1;
    }
    (keep, (d.len() - 28) as i32)
}

/// `int(value)` and, when `value % 1` is not zero, `int(60 * (value % 1))`, in Python's Decimal
/// arithmetic (28 significant digits) as dateutil computes minutes and seconds from a fraction.
/// `value % 1` of a number with more than 28 integer digits raises decimal.InvalidOperation,
/// which edX does not catch either.
fn sixtieths(repr: &str) -> R<(i64, Option<i64>)> {
    let (i, f) = repr.split_once('.').unwrap_or((repr, ""));
    let int_digits = i.trim_start_matches('0');
    if int_digits.len() > 28 {
        return Err(overflow(
            "decimal.InvalidOperation: the integer part is longer than 28 digits",
        ));
    }
    let whole = int(if i.is_empty() { "0" } else { i })?;
    let f = f.trim_end_matches('0');
    if f.is_empty() {
        return Ok((whole, None));
    }
    // value % 1 = 0.F, rounded to 28 significant digits.
    let zeros = f.len() - f.trim_start_matches('0').len();
    let sig: Vec<u8> = f[zeros..].bytes().map(|b| b - b'0').collect();
    let (r, shift) = round28(&sig);
    // r * 10^shift * 10^-(zeros + sig.len()); times 60, rounded to 28 digits again.
    let p = r * 60;
    let pd: Vec<u8> = p.to_string().bytes().map(|b| b - b'0').collect();
    let (p2, shift2) = round28(&pd);
    let scale = (zeros + sig.len()) as i32 - shift - shift2;
    let sec = if scale <= 0 {
        p2.saturating_mul(10u128.saturating_pow((-scale) as u32))
    } else if scale > 38 {
        0
    } else {
        p2 / 10u128.pow(scale as u32)
    };
    Ok((whole, Some(i64::try_from(sec).unwrap_or(i64::MAX))))
}

/// `_parsems`: `S[.F]` → (seconds, microseconds).
fn parsems(t: &str) -> R<(i64, i64)> {
    match t.split_once('.') {
        None => Ok((int(t)?, 0)),
        Some((i, f)) => {
            let mut f: String = f.chars().take(6).collect();
            while f.len() < 6 {
                f.push('0');
            }
            Ok((int(i)?, int(&f)?))
        }
    }
}

/// `_parse_min_sec` (on the Decimal of the token).
fn min_sec(repr: &str) -> R<(i64, Option<i64>)> {
    if !is_number(repr) {
        return Err(bad());
    }
    sixtieths(repr)
}

fn adjust_ampm(hour: i64, ampm: usize) -> i64 {
    if hour < 12 && ampm == 1 {
        hour + 12
    } else if hour == 12 && ampm == 0 {
        0
    } else {
        hour
    }
}

fn days_in_month(year: i64, month: i64) -> R<i64> {
    if !(1..=12).contains(&month) {
        return Err(format!("bad month number {month}; must be 1-12").into());
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    Ok(match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    })
}

#[derive(Default)]
struct Ymd {
    vals: Vec<i64>,
    century_specified: bool,
    y: Option<usize>,
    m: Option<usize>,
    d: Option<usize>,
}

enum YmdVal<'a> {
    Str(&'a str),
    Num(Dec),
}

impl Ymd {
    fn append(&mut self, val: YmdVal<'_>, label: Option<char>) -> R<()> {
        let mut label = label;
        let v = match val {
            YmdVal::Str(s) => {
                if s.chars().all(is_digit) && s.chars().count() > 2 {
                    self.century_specified = true;
                    label = Some('Y');
                }
                // int(str) accepts only an integer literal.
                int(s)?
            }
            YmdVal::Num(d) => {
                if d.above(100) {
                    self.century_specified = true;
                    label = Some('Y');
                }
                d.int()
            }
        };
        self.vals.push(v);
        let idx = self.vals.len() - 1;
        match label {
            Some('M') => {
                if self.m.is_some() {
                    return Err("month is already set".into());
                }
                self.m = Some(idx);
            }
            Some('D') => {
                if self.d.is_some() {
                    return Err("day is already set".into());
                }
                self.d = Some(idx);
            }
            Some('Y') => {
                if self.y.is_some() {
                    return Err("year is already set".into());
                }
                self.y = Some(idx);
            }
            _ => {}
        }
        Ok(())
    }

    fn could_be_day(&self, value: Dec) -> R<bool> {
        if self.d.is_some() {
            return Ok(false);
        }
        let Some(mi) = self.m else {
            return Ok(value.within(1, 31));
        };
        let month = self.vals[mi];
        let year = match self.y {
            None => 2000,
            Some(yi) => self.vals[yi],
        };
        Ok(value.within(1, days_in_month(year, month)?))
    }

    /// `resolve_ymd(yearfirst=False, dayfirst=False)`.
    fn resolve(&self) -> R<(Option<i64>, Option<i64>, Option<i64>)> {
        let n = self.vals.len();
        let mut strids: Vec<(char, usize)> = Vec::new();
        for (k, v) in [('y', self.y), ('m', self.m), ('d', self.d)] {
            if let Some(v) = v {
                strids.push((k, v));
            }
        }
        if (n == strids.len() && n > 0) || (n == 3 && strids.len() == 2) {
            if n == 3 && strids.len() == 2 {
                let used: Vec<usize> = strids.iter().map(|s| s.1).collect();
                let missing = (0..3).find(|x| !used.contains(x)).unwrap_or(0);
                let key = ['y', 'm', 'd']
                    .into_iter()
                    .find(|k| !strids.iter().any(|s| s.0 == *k))
                    .unwrap_or('d');
                strids.push((key, missing));
            }
            let get = |k: char| strids.iter().find(|s| s.0 == k).map(|s| self.vals[s.1]);
            return Ok((get('y'), get('m'), get('d')));
        }
        let v = &self.vals;
        let (mut year, mut month, mut day) = (None, None, None);
        if n > 3 {
            return Err("more than three year/month/day values".into());
        } else if n == 1 || (self.m.is_some() && n == 2) {
            let other;
            if let Some(mi) = self.m {
                month = Some(v[mi]);
                // self[mstridx - 1]: Python wraps -1 to the last element.
                other = v[(mi + n - 1) % n];
            } else {
                other = v[0];
            }
            if n > 1 || self.m.is_none() {
                if other > 31 {
                    year = Some(other);
                } else {
                    day = Some(other);
                }
            }
        } else if n == 2 {
            if v[0] > 31 {
                (year, month) = (Some(v[0]), Some(v[1]));
            } else if v[1] > 31 {
                (month, year) = (Some(v[0]), Some(v[1]));
            } else {
                (month, day) = (Some(v[0]), Some(v[1]));
            }
        } else if n == 3 {
            match self.m {
                Some(0) => {
                    if v[1] > 31 {
                        (month, year, day) = (Some(v[0]), Some(v[1]), Some(v[2]));
                    } else {
                        (month, day, year) = (Some(v[0]), Some(v[1]), Some(v[2]));
                    }
                }
                Some(1) => {
                    if v[0] > 31 {
                        (year, month, day) = (Some(v[0]), Some(v[1]), Some(v[2]));
                    } else {
                        (day, month, year) = (Some(v[0]), Some(v[1]), Some(v[2]));
                    }
                }
                Some(2) => {
                    if v[1] > 31 {
                        (day, year, month) = (Some(v[0]), Some(v[1]), Some(v[2]));
                    } else {
                        (year, day, month) = (Some(v[0]), Some(v[1]), Some(v[2]));
                    }
                }
                _ => {
                    if v[0] > 31 || self.y == Some(0) {
                        (year, month, day) = (Some(v[0]), Some(v[1]), Some(v[2]));
                    } else if v[0] > 12 {
                        (day, month, year) = (Some(v[0]), Some(v[1]), Some(v[2]));
                    } else {
                        (month, day, year) = (Some(v[0]), Some(v[1]), Some(v[2]));
                    }
                }
            }
        }
        Ok((year, month, day))
    }
}

#[derive(Default)]
struct Res {
    year: Option<i64>,
    month: Option<i64>,
    day: Option<i64>,
    weekday: Option<usize>,
    hour: Option<i64>,
    minute: Option<i64>,
    second: Option<i64>,
    microsecond: Option<i64>,
    ampm: Option<usize>,
    tzname: Option<String>,
    tzoffset: Option<i64>,
}

impl Res {
    fn any(&self) -> bool {
        self.year.is_some()
            || self.month.is_some()
            || self.day.is_some()
            || self.weekday.is_some()
            || self.hour.is_some()
            || self.minute.is_some()
            || self.second.is_some()
            || self.microsecond.is_some()
            || self.ampm.is_some()
            || self.tzname.is_some()
            || self.tzoffset.is_some()
    }
}

fn could_be_tzname(res: &Res, token: &str) -> bool {
    res.hour.is_some()
        && res.tzname.is_none()
        && res.tzoffset.is_none()
        && token.chars().count() <= 5
        && (token.chars().all(|c| c.is_ascii_uppercase()) || UTCZONE.contains(&token))
}

fn find_hms_idx(idx: usize, t: &[String]) -> Option<usize> {
    let n = t.len();
    if idx + 1 < n && hms(&t[idx + 1]).is_some() {
        Some(idx + 1)
    } else if idx + 2 < n && t[idx + 1] == " " && hms(&t[idx + 2]).is_some() {
        Some(idx + 2)
    } else if idx > 0 && hms(&t[idx - 1]).is_some() {
        Some(idx - 1)
    } else if idx > 1 && idx == n - 1 && t[idx - 1] == " " && hms(&t[idx - 2]).is_some() {
        Some(idx - 2)
    } else {
        None
    }
}

fn tok(t: &[String], i: usize) -> R<&str> {
    t.get(i).map(String::as_str).ok_or_else(bad)
}

/// `_parse_numeric_token`; returns the index of the last token consumed.
fn numeric(t: &[String], idx: usize, ymd: &mut Ymd, res: &mut Res) -> R<usize> {
    let repr = t[idx].as_str();
    let value = decimal(repr)?;
    let len_li = repr.chars().count();
    let n = t.len();
    let mut idx = idx;
    if ymd.vals.len() == 3
        && (len_li == 2 || len_li == 4)
        && res.hour.is_none()
        && (idx + 1 >= n || (t[idx + 1] != ":" && hms(&t[idx + 1]).is_none()))
    {
        res.hour = Some(int(repr.get(..2).ok_or_else(bad)?)?);
        if len_li == 4 {
            res.minute = Some(int(&repr[2..])?);
        }
    } else if len_li == 6 || (len_li > 6 && repr.find('.') == Some(6)) {
        if ymd.vals.is_empty() && !repr.contains('.') {
            ymd.append(YmdVal::Str(&repr[..2]), None)?;
            ymd.append(YmdVal::Str(&repr[2..4]), None)?;
            ymd.append(YmdVal::Str(&repr[4..]), None)?;
        } else {
            res.hour = Some(int(&repr[..2])?);
            res.minute = Some(int(&repr[2..4])?);
            let (s, us) = parsems(&repr[4..])?;
            res.second = Some(s);
            res.microsecond = Some(us);
        }
    } else if len_li == 8 || len_li == 12 || len_li == 14 {
        let part = |a: usize, b: usize| repr.get(a..b).ok_or_else(bad);
        ymd.append(YmdVal::Str(part(0, 4)?), Some('Y'))?;
        ymd.append(YmdVal::Str(part(4, 6)?), None)?;
        ymd.append(YmdVal::Str(part(6, 8)?), None)?;
        if len_li > 8 {
            res.hour = Some(int(part(8, 10)?)?);
            res.minute = Some(int(part(10, 12)?)?);
            if len_li > 12 {
                res.second = Some(int(&repr[12..])?);
            }
        }
    } else if let Some(hms_idx) = find_hms_idx(idx, t) {
        let unit;
        if hms_idx > idx {
            unit = hms(&t[hms_idx]).unwrap_or(0);
            idx = hms_idx;
        } else {
            unit = hms(&t[hms_idx]).unwrap_or(0) + 1;
        }
        match unit {
            0 => {
                let (h, m) = sixtieths(repr)?;
                res.hour = Some(h);
                if m.is_some() {
                    res.minute = m;
                }
            }
            1 => {
                let (m, s) = min_sec(repr)?;
                res.minute = Some(m);
                res.second = s;
            }
            2 => {
                let (s, us) = parsems(repr)?;
                res.second = Some(s);
                res.microsecond = Some(us);
            }
            // "12h04m05s3": a unit after seconds does not exist.
            _ => {}
        }
    } else if idx + 2 < n && t[idx + 1] == ":" {
        res.hour = Some(value.int());
        let (m, s) = min_sec(&t[idx + 2])?;
        res.minute = Some(m);
        res.second = s;
        if idx + 4 < n && t[idx + 3] == ":" {
            let (s, us) = parsems(&t[idx + 4])?;
            res.second = Some(s);
            res.microsecond = Some(us);
            idx += 2;
        }
        idx += 2;
    } else if idx + 1 < n && matches!(t[idx + 1].as_str(), "-" | "/" | ".") {
        let sep = t[idx + 1].clone();
        ymd.append(YmdVal::Str(repr), None)?;
        if idx + 2 < n && !jump(&t[idx + 2]) {
            let next = t[idx + 2].as_str();
            if next.chars().all(is_digit) {
                ymd.append(YmdVal::Str(next), None)?;
            } else if let Some(m) = month(next) {
                ymd.append(YmdVal::Num(Dec::of(m)), Some('M'))?;
            } else {
                return Err(bad());
            }
            if idx + 3 < n && t[idx + 3] == sep {
                let last = tok(t, idx + 4)?;
                if let Some(m) = month(last) {
                    ymd.append(YmdVal::Num(Dec::of(m)), Some('M'))?;
                } else {
                    ymd.append(YmdVal::Str(last), None)?;
                }
                idx += 2;
            }
            idx += 1;
        }
        idx += 1;
    } else if idx + 1 >= n || jump(&t[idx + 1]) {
        if idx + 2 < n
            && let Some(a) = ampm(&t[idx + 2])
        {
            res.hour = Some(adjust_ampm(value.int(), a));
            idx += 1;
        } else {
            ymd.append(YmdVal::Num(value), None)?;
        }
        idx += 1;
    } else if let Some(a) = ampm(&t[idx + 1]).filter(|_| value.below(24)) {
        res.hour = Some(adjust_ampm(value.int(), a));
        idx += 1;
    } else if ymd.could_be_day(value)? {
        ymd.append(YmdVal::Num(value), None)?;
    } else {
        return Err(bad());
    }
    Ok(idx)
}

/// `_parse`: tokens → fields.
fn parse_fields(s: &str, this_year: i64) -> R<Res> {
    let mut l = split(s);
    let mut res = Res::default();
    let mut ymd = Ymd::default();
    let n = l.len();
    let mut i = 0;
    while i < n {
        let token = l[i].clone();
        if is_number(&token) {
            i = numeric(&l, i, &mut ymd, &mut res)?;
        } else if let Some(w) = weekday(&token) {
            res.weekday = Some(w);
        } else if let Some(m) = month(&token) {
            ymd.append(YmdVal::Num(Dec::of(m)), Some('M'))?;
            if i + 1 < n {
                if l[i + 1] == "-" || l[i + 1] == "/" {
                    let sep = l[i + 1].clone();
                    ymd.append(YmdVal::Str(tok(&l, i + 2)?), None)?;
                    if i + 3 < n && l[i + 3] == sep {
                        ymd.append(YmdVal::Str(tok(&l, i + 4)?), None)?;
                        i += 2;
                    }
                    i += 2;
                } else if i + 4 < n && l[i + 1] == " " && l[i + 3] == " " && pertain(&l[i + 2]) {
                    if l[i + 4].chars().all(is_digit) {
                        let y = convert_year(int(&l[i + 4])?, false, this_year);
                        // Appended as text, so a four-digit value also marks the century.
                        ymd.append(YmdVal::Str(&y.to_string()), Some('Y'))?;
                    }
                    i += 4;
                }
            }
        } else if let Some(a) = ampm(&token) {
            match res.hour {
                None => return Err("no hour specified with am or pm".into()),
                Some(h) if !(0..=12).contains(&h) => {
                    return Err("invalid hour for a 12-hour clock".into());
                }
                Some(h) => {
                    res.hour = Some(adjust_ampm(h, a));
                    res.ampm = Some(a);
                }
            }
        } else if could_be_tzname(&res, &token) {
            res.tzname = Some(token.clone());
            res.tzoffset = if UTCZONE.contains(&token.as_str()) {
                Some(0)
            } else {
                None
            };
            if i + 1 < n && (l[i + 1] == "+" || l[i + 1] == "-") {
                l[i + 1] = if l[i + 1] == "+" {
                    "-".into()
                } else {
                    "+".into()
                };
                res.tzoffset = None;
                if UTCZONE.contains(&token.as_str()) {
                    res.tzname = None;
                }
            }
        } else if res.hour.is_some() && (token == "+" || token == "-") {
            let sign = if token == "+" { 1 } else { -1 };
            let next = tok(&l, i + 1)?.to_string();
            let len = next.chars().count();
            let (h, m);
            if len == 4 {
                h = int(next.get(..2).ok_or_else(bad)?)?;
                m = int(next.get(2..).ok_or_else(bad)?)?;
            } else if i + 2 < n && l[i + 2] == ":" {
                h = int(&next)?;
                m = int(tok(&l, i + 3)?)?;
                i += 2;
            } else if len <= 2 {
                h = int(&next)?;
                m = 0;
            } else {
                return Err(bad());
            }
            res.tzoffset = Some(sign * (h * 3600 + m * 60));
            if i + 5 < n
                && jump(&l[i + 2])
                && l[i + 3] == "("
                && l[i + 5] == ")"
                && l[i + 4].chars().count() >= 3
                && could_be_tzname(
                    &Res {
                        hour: res.hour,
                        ..Res::default()
                    },
                    &l[i + 4],
                )
            {
                res.tzname = Some(l[i + 4].clone());
                i += 4;
            }
            i += 1;
        } else if !jump(&token) {
            return Err(bad());
        }
        i += 1;
    }
    let (y, m, d) = ymd.resolve()?;
    res.year = y;
    res.month = m;
    res.day = d;
    if let Some(y) = res.year {
        res.year = Some(convert_year(y, ymd.century_specified, this_year));
    }
    // parserinfo.validate: offset 0 without a name, or `Z`, is UTC; a UTC name (`GMT`) keeps
    // offset 0 whatever number followed it (`GMT -3`: the -3 is dropped).
    let tzname = res.tzname.as_deref();
    if (res.tzoffset == Some(0) && tzname.is_none()) || matches!(tzname, Some("Z" | "z")) {
        res.tzname = Some("UTC".to_string());
        res.tzoffset = Some(0);
    } else if res.tzoffset != Some(0) && tzname.is_some_and(|n| UTCZONE.contains(&n)) {
        res.tzoffset = Some(0);
    }
    Ok(res)
}

/// Two-digit years: within 50 years of the current one (dateutil uses the machine's year; we
/// use `today`'s).
fn convert_year(year: i64, century_specified: bool, this_year: i64) -> i64 {
    if year < 100 && !century_specified {
        let mut y = year + this_year / 100 * 100;
        if y >= this_year + 50 {
            y -= 100;
        } else if y < this_year - 50 {
            y += 100;
        }
        return y;
    }
    year
}

/// What dateutil's `parse(s)` makes of a text, before edX drops the zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The wall-clock date and time written (what edX keeps).
    pub naive: NaiveDateTime,
    /// Seconds east of UTC that dateutil attaches (`Z`, `UTC`, `GMT` are 0); None when it
    /// attaches no zone (none written, or a name it does not know, which it ignores).
    pub offset: Option<i64>,
    /// A zone name written but not understood (dateutil warns and ignores it).
    pub ignored_zone: Option<String>,
}

/// The largest value Python's `datetime.replace` takes for a field (a C int).
const C_INT_MAX: i64 = i32::MAX as i64;

/// What dateutil's `parse(s)` gives, with the offset discarded, filling missing parts from
/// `today` (midnight) as dateutil fills them from its default (today at midnight).
pub fn parse(s: &str, today: NaiveDate) -> Result<NaiveDateTime, Failure> {
    parse_full(s, today).map(|p| p.naive)
}

/// `dateutil.parser.parse(s)` with default settings on a server whose local zone is UTC:
/// `_parse`, `_build_naive` and `_build_tzaware`, including which failures are OverflowError.
pub fn parse_full(s: &str, today: NaiveDate) -> Result<Parsed, Failure> {
    let this_year = i64::from(today.year());
    let res = parse_fields(s, this_year)?;
    if !res.any() {
        return Err("String does not contain a date".into());
    }
    // _build_naive: a missing day is clamped to the month (monthrange), then default.replace().
    let year = res.year.unwrap_or(this_year);
    let month = res.month.unwrap_or(i64::from(today.month()));
    let day = match res.day {
        Some(d) => d,
        None => {
            let d = i64::from(today.day());
            let last = days_in_month(year, month)?;
            d.min(last)
        }
    };
    let hour = res.hour.unwrap_or(0);
    let minute = res.minute.unwrap_or(0);
    let second = res.second.unwrap_or(0);
    let micro = res.microsecond.unwrap_or(0);
    // replace() converts every field to a C int before checking any range.
    if [year, month, day, hour, minute, second, micro]
        .iter()
        .any(|v| *v > C_INT_MAX)
    {
        return Err(overflow("signed integer is greater than maximum"));
    }
    if !(1..=9999).contains(&year) {
        return Err(format!("year {year} is out of range").into());
    }
    if !(1..=12).contains(&month) {
        return Err("month must be in 1..12".into());
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month as u32, u32::try_from(day).unwrap_or(0))
        .ok_or_else(|| Failure::from("day is out of range for month"))?;
    if !(0..24).contains(&hour) {
        return Err("hour must be in 0..23".into());
    }
    if !(0..60).contains(&minute) {
        return Err("minute must be in 0..59".into());
    }
    if !(0..60).contains(&second) {
        return Err("second must be in 0..59".into());
    }
    if !(0..1_000_000).contains(&micro) {
        return Err("microsecond must be in 0..999999".into());
    }
    let time =
        NaiveTime::from_hms_micro_opt(hour as u32, minute as u32, second as u32, micro as u32)
            .ok_or_else(|| Failure::from("time is out of range"))?;
    let mut dt = date.and_time(time);
    if let Some(w) = res.weekday
        && res.day.is_none()
    {
        // relativedelta(weekday=w): the next such weekday, today included.
        let have = dt.weekday().num_days_from_monday() as i64;
        let ahead = (w as i64 - have).rem_euclid(7);
        dt = dt
            .checked_add_signed(chrono::Duration::days(ahead))
            .filter(|d| d.year() <= 9999)
            .ok_or_else(|| overflow("date value out of range"))?;
    }
    // _build_tzaware on a UTC server: `UTC` is the local zone name; offset 0 is UTC; another
    // offset becomes tzoffset (timedelta(seconds=offset), which overflows past 999999999 days);
    // a name without an offset is ignored.
    let mut out = Parsed {
        naive: dt,
        offset: None,
        ignored_zone: None,
    };
    if res.tzname.as_deref() == Some("UTC") || res.tzoffset == Some(0) {
        out.offset = Some(0);
    } else if let Some(off) = res.tzoffset {
        if off.unsigned_abs() / 86_400 > 999_999_999 {
            return Err(overflow("days must have magnitude <= 999999999"));
        }
        out.offset = Some(off);
    } else if let Some(name) = res.tzname {
        out.ignored_zone = Some(name);
    }
    Ok(out)
}

/// A date typed by a person, as it will be stored so that edX reads the same instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    /// The text to store: `YYYY-MM-DDTHH:MM:SS[.ffffff]`, in UTC.
    pub stored: String,
    /// The instant edX reads from `stored` (naive UTC).
    pub instant: NaiveDateTime,
    /// The offset (seconds east) the typed text had, converted away; None when none or zero.
    pub converted_from: Option<i64>,
    /// A zone name dateutil does not know and ignores.
    pub ignored_zone: Option<String>,
}

/// The normal form of a datetime, to the second: `YYYY-MM-DDTHH:MM:SS` (what wafflectl stores
/// typed dates in, and how it shows enrollment dates and windows).
pub const NORMAL_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// The normalised text of a naive UTC datetime, which dateutil reads back unchanged.
pub fn normal_text(t: &NaiveDateTime) -> String {
    if t.and_utc().timestamp_subsec_micros() == 0 {
        t.format(NORMAL_FORMAT).to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
    }
}

/// Reads a typed date exactly as dateutil reads it (missing parts from `today`), converts an
/// offset to UTC, and gives the text to store. Refuses what edX cannot read and what would make
/// the LMS overflow.
pub fn typed(s: &str, today: NaiveDate) -> Result<Typed, Failure> {
    let p = parse_full(s, today)?;
    let off = p.offset.unwrap_or(0);
    if off.abs() >= 86_400 {
        return Err(format!(
            "the UTC offset {} is not between -24:00 and +24:00",
            offset_text(off)
        )
        .into());
    }
    let instant = p
        .naive
        .checked_sub_signed(chrono::Duration::seconds(off))
        .filter(|d| (1..=9999).contains(&d.year()))
        .ok_or_else(|| Failure::from("the date is out of range once converted to UTC"))?;
    let stored = normal_text(&instant);
    Ok(Typed {
        stored,
        instant,
        converted_from: (off != 0).then_some(off),
        ignored_zone: p.ignored_zone,
    })
}

/// `+05:30` / `-04:00` for seconds east of UTC (seconds shown when there are any).
pub fn offset_text(off: i64) -> String {
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.unsigned_abs();
    let (h, m, s) = (a / 3600, a % 3600 / 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}:{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()
    }

    fn p(s: &str) -> String {
        match parse(s, today()) {
            Ok(d) => d.format("%Y-%m-%dT%H:%M:%S%.f").to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    /// Each input gives the expected text through `f`; a failure names the input.
    fn assert_each(f: fn(&str) -> String, cases: &[(&str, &str)]) {
        for &(input, want) in cases {
            assert_eq!(f(input), want, "{input:?}");
        }
    }

    #[test]
    fn tokens_like_dateutil() {
        assert_eq!(split("2012-01-06"), ["2012", "-", "01", "-", "06"]);
        assert_eq!(split("06.01.2012"), ["06", ".", "01", ".", "2012"]);
        assert_eq!(split("Jan. 6"), ["Jan", ".", " ", "6"]);
        assert_eq!(split("10:30:00.25Z"), ["10", ":", "30", ":", "00.25", "Z"]);
        assert_eq!(split("2012-01-06Z"), ["2012", "-", "01", "-", "06", "Z"]);
    }

    /// spec/edx.md §1.3: the dateutil 2.9 table.
    #[test]
    fn the_spec_table() {
        assert_each(
            p,
            &[
                ("2012-01-06", "2012-01-06T00:00:00"),
                ("Jan 6 2012", "2012-01-06T00:00:00"),
                ("06/01/2012", "2012-06-01T00:00:00"),
                // Missing parts come from today (2026-01-02).
                ("2012", "2012-01-02T00:00:00"),
                ("10:30", "2026-01-02T10:30:00"),
            ],
        );
        for bad in ["not-a-date", "2012-01-06Z", "2012-13-01", "99999-01-01"] {
            assert!(p(bad).starts_with("error"), "{bad:?} → {}", p(bad));
        }
    }

    #[test]
    fn offsets_and_zones_are_discarded() {
        assert_each(
            p,
            &[
                ("2020-01-01T12:00:00-05:00", "2020-01-01T12:00:00"),
                ("2020-01-01T12:00:00+0530", "2020-01-01T12:00:00"),
                ("2020-01-01T12:00:00Z", "2020-01-01T12:00:00"),
                ("2020-01-01 12:00:00 UTC", "2020-01-01T12:00:00"),
                ("2020-01-01 12:00 EST", "2020-01-01T12:00:00"),
                ("2020-01-01 12:00:00+00:00", "2020-01-01T12:00:00"),
                ("2020-01-01 12:00 GMT+3", "2020-01-01T12:00:00"),
            ],
        );
    }

    #[test]
    fn iso_forms() {
        assert_each(
            p,
            &[
                ("2012-01-06T10:30", "2012-01-06T10:30:00"),
                ("2012-01-06 10:30:15.123456", "2012-01-06T10:30:15.123456"),
                ("2012-01-06T10:30:15.5", "2012-01-06T10:30:15.500"),
                ("20120106", "2012-01-06T00:00:00"),
                ("20120106T103000", "2012-01-06T10:30:00"),
                ("2012/01/06", "2012-01-06T00:00:00"),
                ("  2012-01-06  ", "2012-01-06T00:00:00"),
                ("2012-01-06 10", "2012-01-06T10:00:00"),
            ],
        );
    }

    #[test]
    fn human_forms() {
        assert_each(
            p,
            &[
                ("January 6, 2012", "2012-01-06T00:00:00"),
                ("6 Jan 2012", "2012-01-06T00:00:00"),
                ("Jan 6th, 2012 10pm", "2012-01-06T22:00:00"),
                ("Friday, January 6, 2012 at 10:00 am", "2012-01-06T10:00:00"),
                ("12 am Jan 6 2012", "2012-01-06T00:00:00"),
                ("Jan-06-2012", "2012-01-06T00:00:00"),
                ("06-Jan-2012", "2012-01-06T00:00:00"),
                ("Jan 2012", "2012-01-02T00:00:00"),
                ("June of 2012", "2012-06-02T00:00:00"),
                ("06.01.2012", "2012-06-01T00:00:00"),
                ("13/01/2012", "2012-01-13T00:00:00"),
                ("10h30m", "2026-01-02T10:30:00"),
                // A weekday alone: the next one, today included (2026-01-02 is a Friday).
                ("Friday", "2026-01-02T00:00:00"),
                ("Monday", "2026-01-05T00:00:00"),
            ],
        );
    }

    /// Every line of tests/data/dateutil_cases.tsv, produced by the real python-dateutil 2.9
    /// (tests/data/gen_dateutil_cases.py) with today = 2026-01-02.
    #[test]
    fn agrees_with_real_dateutil() {
        let data = include_str!("../../tests/data/dateutil_cases.tsv");
        let mut failures = Vec::new();
        let mut n = 0;
        for line in data.lines() {
            let Some((input, want)) = line.rsplit_once('\t') else {
                continue;
            };
            n += 1;
            let got = match parse(input, today()) {
                Ok(d) => d.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
                Err(_) => "ERROR".to_string(),
            };
            if got != want {
                failures.push(format!("{input:?}: dateutil {want}, we {got}"));
            }
        }
        assert!(n > 80, "only {n} cases");
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn days_beyond_the_month_are_clamped_when_missing() {
        let jan31 = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        assert_eq!(
            parse("Feb 2012", jan31).unwrap().to_string(),
            "2012-02-29 00:00:00"
        );
    }

    #[test]
    fn refusals() {
        for bad in [
            "",
            " ",
            "garbage",
            "2012-02-30",
            "2012-01-06 25:00",
            "2012-01-06 10:60",
            "pm",
            "2012 2013",
            "0000-01-01",
            "Jan 6 2012 Z",
            "tomorrow",
        ] {
            assert!(p(bad).starts_with("error"), "{bad:?} → {}", p(bad));
        }
    }

    fn stored(s: &str) -> String {
        match typed(s, today()) {
            Ok(t) => t.stored,
            Err(Failure::Overflow(_)) => "overflow".into(),
            Err(Failure::Unreadable(_)) => "refused".into(),
        }
    }

    /// Issue 11: typed dates are stored as the instant edX's dateutil 2.9.0 makes of them
    /// (checked against python-dateutil with default = today = 2026-01-02).
    #[test]
    fn typed_dates_mean_what_edx_reads() {
        assert_eq!(stored("12/31/99"), "1999-12-31T00:00:00");
        assert_eq!(stored("March 2020"), "2020-03-02T00:00:00");
        assert_eq!(stored("April 2000"), "2000-04-02T00:00:00");
        assert_eq!(stored("10:00 p.m."), "2026-01-02T22:00:00");
        assert_eq!(stored("2020-03-05T10"), "2020-03-05T10:00:00");
        assert_eq!(stored("Thu Sep 25 10:36:28 2003"), "2003-09-25T10:36:28");
        assert_eq!(stored("20070928T121924Z"), "2007-09-28T12:19:24");
        assert_eq!(stored("28/02/2027"), "2027-02-28T00:00:00");
        assert_eq!(stored("Sun, 19 Oct 2025 02:51:00"), "2025-10-19T02:51:00");
        assert_eq!(stored("11 AM"), "2026-01-02T11:00:00");
        assert_eq!(stored("10:00:30.25"), "2026-01-02T10:00:30.250000");
        assert_eq!(stored("２０２０-０３-０５"), "2020-03-05T00:00:00");
        assert_eq!(stored("٢٠٢٠/٠٣/٠٥"), "2020-03-05T00:00:00");
    }

    #[test]
    fn offsets_are_converted_and_unknown_zones_ignored() {
        let t = typed("2020-03-05T10:00:00-05:00", today()).unwrap();
        assert_eq!(t.stored, "2020-03-05T15:00:00");
        assert_eq!(t.converted_from, Some(-5 * 3600));
        assert_eq!(offset_text(-5 * 3600), "-05:00");
        let t = typed("2020-03-05 10:00 GMT+3", today()).unwrap();
        // dateutil reads GMT+3 as "GMT is 3 hours ahead of this zone": UTC-03:00.
        assert_eq!(t.stored, "2020-03-05T13:00:00");
        let t = typed("2020-03-05 10:00 XYZT", today()).unwrap();
        assert_eq!(t.stored, "2020-03-05T10:00:00");
        assert_eq!(t.converted_from, None);
        assert_eq!(t.ignored_zone.as_deref(), Some("XYZT"));
        let t = typed("2020-03-05T10:00:00Z", today()).unwrap();
        assert_eq!(
            (t.stored.as_str(), t.converted_from),
            ("2020-03-05T10:00:00", None)
        );
        // Past ±24 hours there is no UTC instant.
        assert_eq!(stored("2020-03-05 10:00 +25:00"), "refused");
    }

    /// In the LMS these raise OverflowError (not caught): refused when typed, a server error
    /// when stored.
    #[test]
    fn overflow_is_told_from_unreadable() {
        for s in [
            "12345678901",
            "April 2147483648",
            "2147483648-01-01",
            "1111111111111111111111111111111h",
            "10:00 +99999999999:00",
        ] {
            assert_eq!(stored(s), "overflow", "{s}");
            assert!(parse(s, today()).unwrap_err().is_overflow(), "{s}");
        }
        for s in ["2147483647-01-01", "2020-13-45", "not-a-date", "0000-01-01"] {
            assert_eq!(stored(s), "refused", "{s}");
        }
    }

    #[test]
    fn fractions_use_decimal_arithmetic() {
        // 32.05 as a float gives 2 seconds; dateutil's Decimal gives 3.
        assert_eq!(p("Feb 08 2026 03:32,050"), "2026-02-08T03:32:03");
        assert_eq!(p("2026-01-02 10.5h"), "2026-01-02T10:30:00");
    }

    #[test]
    fn a_number_is_its_decimal_not_the_nearest_float() {
        // 999.999999999999999 is 1000.0 as a float; dateutil's Decimal truncates it to 999.
        // (Values from python-dateutil 2.9.0 with default 2026-01-02.)
        for (s, want) in [
            ("Jan \t999.999999999999999", "0999-01-02T00:00:00"),
            ("Jan 100.00000000000000001", "0100-01-02T00:00:00"),
            ("Jan 100.0000000000000000", "0100-01-02T00:00:00"),
            ("2020 Jan 1.99999999999999999", "2020-01-01T00:00:00"),
            ("1999.99999999999999999 Feb 3", "1999-02-03T00:00:00"),
            ("Jan 12.99999999999999999 2020", "2020-01-12T00:00:00"),
        ] {
            assert_eq!(p(s), want, "{s:?}");
        }
    }

    #[test]
    fn digits_are_what_python_calls_digits() {
        // isdigit() joins `①` and `²` to a number token, which int() then refuses (or _parsems
        // cuts off after six places); decimal digits of other scripts read as their values.
        // (Values from python-dateutil 2.9.0 with default 2026-01-02.)
        for (s, want) in [
            ("1997-04-13 13:36:00.157419①", "1997-04-13T13:36:00.157419"),
            ("13:36:00.1574191²", "2026-01-02T13:36:00.157419"),
            ("2020-01-0٣", "2020-01-03T00:00:00"),
            ("٢٠٢٠-01-03 10:00", "2020-01-03T10:00:00"),
        ] {
            assert_eq!(p(s), want, "{s:?}");
        }
        for s in ["Jan ²2020", "2020-01-03 1①:00", "2020 ①", "20²0-01-01"] {
            assert!(p(s).starts_with("error"), "{s:?}: {}", p(s));
        }
    }

    #[test]
    fn a_utc_name_keeps_offset_zero_whatever_number_follows() {
        // parserinfo.validate (python-dateutil 2.9.0): `GMT -3` is UTC, `GMT-3` is +03:00.
        for (s, want) in [
            ("2020-01-01 10:00 GMT -3", Some(0)),
            ("2020-01-01 10:00 UTC -3", Some(0)),
            ("993-9-10T08 GMT\u{1c}-3", Some(0)),
            ("2020-01-01 10:00 GMT-3", Some(10800)),
        ] {
            assert_eq!(parse_full(s, today()).unwrap().offset, want, "{s:?}");
        }
    }
}
