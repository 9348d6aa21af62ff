//! Validation of what a file says, before anything touches the store. Every failure is a usage
//! error (exit 2) that names the file and the object.

use crate::engine::CourseKey;
use crate::error::{Error, Result, cut};
use crate::store::edx::{ExperimentRow, OverrideRow, Scope};
use crate::types::Percent;
use crate::types::{
    BucketCount, ExperimentId, ExperimentKey, ExperimentName, Flaw, GROUP_NAME_MAX, KvKey,
    MAX_EXPERIMENT_ID, OrgName, TOGGLE_NAME_MAX, Username, check_name,
};

/// `FILE: malformed JSON at line L column C: ...`.
pub fn malformed(src: &str, e: &serde_json::Error) -> Error {
    malformed_at(src, e.line(), e)
}

/// Like [`malformed`] for JSON lines, where serde only knows the line within one line.
pub fn malformed_at(src: &str, line: usize, e: &serde_json::Error) -> Error {
    let msg = e.to_string();
    let msg = match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    Error::usage(format!(
        "{src}: malformed JSON at line {line} column {}: {msg}",
        e.column()
    ))
    .with_hint(super::FORMATS_HINT)
}

/// A flag, switch or sample name (100 characters) or a group name (150), as the command line
/// checks it.
pub fn name(src: &str, kind: &str, n: &str) -> Result<()> {
    let max = if kind == "group" {
        GROUP_NAME_MAX
    } else {
        TOGGLE_NAME_MAX
    };
    check_name(kind, n, max).map_err(|e| Error {
        message: format!("{src}: {}", e.message),
        ..e
    })
}

/// A value of `types` read by the command line's own rule (`T::from_str`), its refusal worded
/// for a file: `FILE: WHAT: MESSAGE`, the hint kept.
fn by_rule<T: std::str::FromStr<Err = Error>>(
    src: &str,
    what: impl FnOnce() -> String,
    s: &str,
) -> Result<T> {
    s.parse::<T>().map_err(|e| Error {
        message: format!("{src}: {}: {}", what(), e.message),
        ..e
    })
}

/// A key-value's or per-user datum's key, as `experiment kv set`/`data set` checks it.
pub fn kv_key(src: &str, what: impl FnOnce() -> String, key: &str) -> Result<()> {
    by_rule::<KvKey>(src, what, key).map(drop)
}

/// A baseplate experiment's key, as `experiment create --type` checks it.
pub fn experiment_key(src: &str, key: &str) -> Result<()> {
    by_rule::<ExperimentKey>(src, || "baseplate experiment".to_string(), key).map(drop)
}

/// The bucket flags `NAME.0` .. `NAME.{n-1}` must fit `waffle_flag.name` (100 characters);
/// `name` is a valid [`ExperimentName`] already (so at most 100 characters itself).
pub fn bucket_flags_fit(name: &str, n: i64) -> Result<()> {
    let longest = crate::store::edx::bucket_flag(name, n - 1);
    if longest.chars().nth(TOGGLE_NAME_MAX).is_some() {
        return Err(Error::usage(format!(
            "bucket flag name '{longest}' is longer than {TOGGLE_NAME_MAX} characters (waffle_flag.name)"
        ))
        .with_hint("use a shorter experiment name"));
    }
    Ok(())
}

pub fn username(src: &str, u: &str) -> Result<()> {
    match Username::flaw(u) {
        None => Ok(()),
        Some(Flaw::Empty) => Err(Error::usage(format!("{src}: a user has an empty username"))),
        Some(Flaw::Whitespace) => Err(Error::usage(format!(
            "{src}: username '{}' contains whitespace",
            cut(u)
        ))),
        Some(Flaw::TooLong(max)) => Err(Error::usage(format!(
            "{src}: username '{}' is longer than {max} characters",
            cut(u)
        ))),
    }
}

/// A decimal percent (text) with one decimal place in 0..=max tenths.
pub fn percent(src: &str, what: &str, text: &str, max_tenths: i32) -> Result<Percent> {
    // Django writes "25.0"; a JSON number 25 arrives as "25", 12.50 as "12.5". Text is read by
    // the command line's rule: "12.50" has two decimal places, refused by `--percent` too.
    Percent::parse(text, max_tenths, "percent").map_err(|e| {
        Error::usage(format!("{src}: {what}: {e}")).with_hint(
            "a flag's percent is 0–99.9, a sample's 0–100.0, with one decimal place at most",
        )
    })
}

/// A datetime as files give it (ISO 8601 / Django's text), returned in the store's text form.
/// `what` names the value in the error (built only then).
pub fn time(src: &str, what: impl FnOnce() -> String, s: &str) -> Result<String> {
    crate::time::text::to_db(s).ok_or_else(|| {
        Error::usage(format!(
            "{src}: {}: '{}' is not a date and time",
            what(),
            cut(s)
        ))
        .with_hint("use ISO 8601 in UTC, e.g. 2026-01-02T03:04:05.000000Z")
    })
}

/// An `enrollment_start`/`enrollment_end` value, validated exactly as `experiment kv set`
/// validates it: what edX's dateutil cannot read, or overflows on, is refused (exit 2). Returns
/// the text `kv set` would store (normalised to the instant edX reads, an offset converted to
/// UTC, parts left out filled from `today`, the command's); other keys unchanged.
pub fn key_value(
    src: &str,
    today: chrono::NaiveDate,
    experiment_id: i64,
    key: &str,
    value: &str,
) -> Result<String> {
    if crate::engine::window::DATE_KEYS.contains(&key) {
        let what = format!("key-value {experiment_id}:{key}");
        let t = crate::time::parse_typed_on(&what, value, today).map_err(|e| Error {
            message: format!("{src}: {}", e.message),
            ..e
        })?;
        return Ok(t.stored);
    }
    Ok(value.to_string())
}

/// A course key as edx-opaque-keys reads it; returns edX's canonical text `str(key)`, which is
/// what edX itself stores (a file from edX already has it).
pub fn course(src: &str, what: impl FnOnce() -> String, c: &str) -> Result<String> {
    CourseKey::parse(c)
        .map(|k| k.to_string())
        .map_err(|e| Error::usage(format!("{src}: {}: {e}", what())))
}

/// Languages as django-waffle reads them: split on commas, trimmed, empty items dropped.
///
/// Byte by byte into one buffer, with no call per item: 50 MB of commas (25 million empty
/// items) took 20 s in a debug build as a `split` per item, and the bad-input tests run debug
/// builds. Only an item that begins or ends outside ASCII is trimmed by `str::trim` (Unicode
/// whitespace), so the answer is the `split`/`trim`/`join` one.
pub fn languages(s: &str) -> String {
    let b = s.as_bytes();
    let n = b.len();
    let mut buf = vec![0u8; n];
    let o: &mut [u8] = &mut buf;
    let (mut i, mut w) = (0, 0);
    while i < n {
        let mut j = i;
        while j < n && b[j] != b',' {
            j += 1;
        }
        let (mut a, mut z) = (i, j);
        while a < z && matches!(b[a], b' ' | b'\t'..=b'\r') {
            a += 1;
        }
        while z > a && matches!(b[z - 1], b' ' | b'\t'..=b'\r') {
            z -= 1;
        }
        if a < z && (b[a] >= 0x80 || b[z - 1] >= 0x80) {
            let t = s[a..z].trim();
            a += s[a..z].len() - s[a..z].trim_start().len();
            z = a + t.len();
        }
        if a < z {
            // Each item after the first had a comma before it: the output never outgrows `s`.
            if w > 0 {
                o[w] = b',';
                w += 1;
            }
            while a < z {
                o[w] = b[a];
                w += 1;
                a += 1;
            }
        }
        i = j + 1;
    }
    buf.truncate(w);
    // Whole characters were copied (cuts only at ASCII bytes), so this is always Ok.
    String::from_utf8(buf).unwrap_or_default()
}

pub fn override_row(src: &str, o: &mut OverrideRow) -> Result<()> {
    let what = || {
        format!(
            "the override of flag '{}' for {}",
            cut(&o.flag),
            cut(&o.key)
        )
    };
    if o.flag.trim().is_empty() {
        return Err(Error::usage(format!("{src}: an override has no flag")));
    }
    if o.flag.chars().count() > 255 {
        return Err(Error::usage(format!(
            "{src}: {}: the flag name is longer than 255 characters",
            what()
        )));
    }
    let mut canonical = None;
    match o.scope {
        Scope::Course => canonical = Some(course(src, what, &o.key)?),
        Scope::Org => {
            by_rule::<OrgName>(src, what, &o.key)?;
        }
    }
    if !matches!(o.choice.as_str(), "on" | "off" | "unset") {
        return Err(Error::usage(format!(
            "{src}: {}: override choice '{}' is not on, off or unset",
            what(),
            cut(&o.choice)
        )));
    }
    if let Some(u) = &o.changed_by {
        username(src, u)?;
    }
    if let Some(k) = canonical {
        o.key = k;
    }
    Ok(())
}

pub fn experiment_id(src: &str, what: &str, id: i64) -> Result<()> {
    if !ExperimentId::in_range(id) {
        return Err(Error::usage(format!(
            "{src}: {what}: experiment ID {id} is not in 0–{MAX_EXPERIMENT_ID}"
        )));
    }
    Ok(())
}

pub fn experiment(src: &str, e: &ExperimentRow) -> Result<()> {
    let what = format!("experiment '{}'", cut(&e.name));
    e.name.parse::<ExperimentName>().map_err(|e| Error {
        message: format!("{src}: {what}: not a valid experiment name ({})", e.message),
        ..e
    })?;
    if e.kind.trim().is_empty() {
        return Err(Error::usage(format!("{src}: {what}: empty kind")));
    }
    if BucketCount::new(e.num_buckets).is_err() {
        let n = e.num_buckets;
        let limit = if n < 1 {
            "at least 1".to_string()
        } else {
            format!(
                "at most {} (edX's hash never reaches buckets beyond 2^32)",
                crate::engine::experiment::MAX_BUCKETS
            )
        };
        return Err(Error::usage(format!(
            "{src}: {what}: num_buckets must be {limit} (got {n})"
        )));
    }
    bucket_flags_fit(&e.name, e.num_buckets).map_err(|e| Error {
        message: format!("{src}: {what}: {}", e.message),
        ..e
    })?;
    if let Some(id) = e.experiment_id {
        experiment_id(src, &what, id)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The one-pass reader answers what split, trim and join answer, Unicode whitespace included.
    #[test]
    fn languages_as_split_trim_join() {
        let slow = |s: &str| {
            s.split(',')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(",")
        };
        for s in [
            "",
            ",",
            ",,,",
            "en",
            " en , de ,fr ",
            "en,,de",
            "\u{3000}de\u{a0},\u{85}, é ,\u{2028}",
            "\u{3000}\u{a0}",
            "zh-hans,\tsr-latn\r\n,\x0bpt-br\x0c",
            "é,ü ,  ñ",
            "a b,c\u{3000}d",
        ] {
            assert_eq!(super::languages(s), slow(s), "{s:?}");
        }
    }
}
