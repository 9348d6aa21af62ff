//! "Did you mean": the closest existing names to a name that was not found. One home for the
//! rule: errors raised where a name is missing carry [`crate::error::Missing`] (see [`Error::missing`]), and
//! [`enrich`] adds the closest names from the store before the error is printed.

use crate::store::{Location, Reader};

use crate::error::{Error, NameKind, Result};

/// At most this many suggestions.
const MAX: usize = 3;

/// Names longer than this get no suggestion (no stored name is that long, and comparing costs
/// the product of the lengths): "did you mean" is for typos, not for a 50 MB blob.
pub const NAME_MAX: usize = 255;

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), by chars.
fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// The names closest to `target` (case-insensitive edit distance within about a third of its
/// length, or one contains the other), nearest first, at most three. A target or a name longer
/// than [`NAME_MAX`] characters is compared with nothing.
pub fn closest<'a>(target: &str, names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let sensible = |s: &str| s.chars().nth(NAME_MAX).is_none();
    if !sensible(target) {
        return Vec::new();
    }
    let t = target.to_lowercase();
    let limit = (t.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, String)> = names
        .into_iter()
        .filter(|n| *n != target && sensible(n))
        .filter_map(|n| {
            let l = n.to_lowercase();
            let d = distance(&t, &l);
            let contains = t.chars().count() >= 3 && (l.contains(&t) || t.contains(&l));
            (d <= limit || contains).then(|| (d, n.to_string()))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(MAX).map(|(_, n)| n).collect()
}

/// `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`.
pub fn or_list(names: &[String]) -> String {
    let quoted: Vec<String> = names
        .iter()
        .map(|n| format!("'{}'", crate::error::cut(n)))
        .collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Every existing name of `kind` in the store (empty when a table is missing).
pub fn names(conn: &Reader, kind: NameKind) -> Vec<String> {
    crate::store::names::of(conn, kind)
}

/// Adds "did you mean" to an error that names a missing name, from the store at `db` (opened
/// read-only; no store, no suggestion). A hint to create the missing name is replaced when
/// close names exist: a misspelling should be corrected, not created.
pub fn enrich(e: Error, location: impl FnOnce() -> Result<Location>) -> Error {
    let Some(m) = &e.missing else { return e };
    let Ok(conn) = location().and_then(|l| crate::store::Store::open_for_reading(&l)) else {
        return e;
    };
    match did_you_mean(&conn, m.kind, &m.name) {
        Some(hint) => e.with_hint(hint),
        None => e,
    }
}

/// `did you mean 'a' or 'b'?` from the names of `kind` in the store, or `None`.
pub fn did_you_mean(conn: &Reader, kind: NameKind, name: &str) -> Option<String> {
    let all = names(conn, kind);
    let close = closest(name, all.iter().map(String::as_str));
    (!close.is_empty()).then(|| format!("did you mean {}?", or_list(&close)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_first() {
        let names = ["new_dashboard", "new_dashbaord_v2", "checkout", "beta"];
        assert_eq!(
            closest("new_dashbord", names),
            ["new_dashboard", "new_dashbaord_v2"]
        );
        assert_eq!(closest("chekcout", names), ["checkout"]);
        assert!(closest("zzz", names).is_empty());
        assert!(closest("beta", names).is_empty());
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
    }

    #[test]
    fn no_suggestion_for_names_beyond_any_stored_length() {
        let long = "beta".repeat(NAME_MAX);
        assert!(closest(&long, ["beta"]).is_empty());
        assert!(closest("beta", [long.as_str()]).is_empty());
    }

    #[test]
    fn or_lists() {
        assert_eq!(or_list(&["a".into()]), "'a'");
        assert_eq!(
            or_list(&["a".into(), "b".into(), "c".into()]),
            "'a', 'b' or 'c'"
        );
    }
}
