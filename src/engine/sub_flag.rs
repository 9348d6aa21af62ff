//! The name of an edX experiment's bucket sub-flag: `NAME.N` is bucket N's whitelist of
//! experiment `NAME` (edX's `ExperimentWaffleFlag` formats N with `'{}.{}'.format`: no sign, no
//! leading zeros). The one home of the name, built and read back.

/// The name of bucket `n`'s flag of experiment `experiment`: `experiment.n`.
pub fn name(experiment: &str, n: impl std::fmt::Display) -> String {
    format!("{experiment}.{n}")
}

/// `NAME.N` → (NAME, N) when N is a bucket index as edX formats it (decimal digits, no sign,
/// no leading zero but in `0`, within `u64`); None for any other name (`NAME.x`, `NAME.`,
/// `NAME.-1`, `NAME.01`, a number beyond `u64`). The experiment is everything before the last
/// `.`; callers take the range of N they can use.
pub fn parse(flag: &str) -> Option<(&str, u64)> {
    let (experiment, n) = flag.rsplit_once('.')?;
    let canonical =
        !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && (n == "0" || !n.starts_with('0'));
    if canonical {
        n.parse().ok().map(|i| (experiment, i))
    } else {
        None
    }
}

/// N when `flag` is `experiment.N` (see [`parse`]).
pub fn index(experiment: &str, flag: &str) -> Option<u64> {
    parse(flag)
        .filter(|(e, _)| *e == experiment)
        .map(|(_, i)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_name_reads_back() {
        for (e, n) in [
            ("a", 0u64),
            ("a.b", 17),
            ("x.y.z", u64::from(u32::MAX)),
            ("e", u64::MAX),
        ] {
            let flag = name(e, n);
            assert_eq!(parse(&flag), Some((e, n)), "{flag}");
            assert_eq!(index(e, &flag), Some(n), "{flag}");
        }
        assert_eq!(name("a.b", 2), "a.b.2");
    }

    #[test]
    fn only_indexes_as_edx_formats_them_are_read() {
        for flag in [
            "a.b.x", "a.b.", "a.b.-1", "a.b.+1", "a.b.01", "a.b.00", "a.b. 1", "a.b.1 ", "a.b.１",
            "ab",
        ] {
            assert_eq!(parse(flag), None, "{flag}");
        }
        // one past u64::MAX, and far beyond
        assert_eq!(parse("a.18446744073709551616"), None);
        assert_eq!(parse(&format!("a.{}", "9".repeat(99))), None);
        assert_eq!(parse("a.b.1.2"), Some(("a.b.1", 2)));
        assert_eq!(index("a.b", "a.b.1.2"), None);
        assert_eq!(index("a.b", "a.bc.1"), None);
        assert_eq!(index("a.b", "a.b.0"), Some(0));
    }
}
