//! baseplate's variant as SQL (`spec/baseplate.md` §3–§4.1): no variant for a NULL bucketing
//! value, then the overrides in order, the targeting, and the variant set over the bucket —
//! `int(sha1(seed ++ value).hexdigest(), 16) % n` on the full 160 bits, computed by Horner's
//! rule over hex chunks small enough that every step stays below 2^63.

use super::{Dialect, Family, Sql, case, column, is_in};

/// A test over the row's columns (each a text or NULL); never NULL itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    Always(bool),
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    /// The column (None: NULL in every row) is one of `texts`, or NULL when `null` is set.
    OneOf {
        column: Option<String>,
        texts: Vec<String>,
        null: bool,
    },
    /// With `text`: the column is NULL or another text; without: the column is not NULL.
    Differs {
        column: Option<String>,
        text: Option<String>,
    },
}

/// The variant of each row.
#[derive(Debug, Clone, PartialEq)]
pub enum Variant {
    /// The same for every row (None: NULL).
    Fixed(Option<String>),
    Hashed {
        /// The bucketing value's column; NULL gives NULL.
        value_column: String,
        seed: String,
        /// The modulus (None: a targeted row gets NULL).
        buckets: Option<u64>,
        overrides: Vec<(String, Cond)>,
        targeting: Cond,
        /// `lo <= bucket < hi` gives the variant, the first that holds.
        picks: Vec<(u64, u64, Option<String>)>,
    },
}

/// Hex digits per chunk for `n` buckets: `n * 16^k <= 2^63`, so `r * 16^k + chunk` (with
/// `r < n`) stays below 2^63; k divides the 40 digits of a SHA-1. None beyond 2^59.
pub fn chunk_digits(n: u64) -> Option<usize> {
    [8usize, 4, 2, 1]
        .into_iter()
        .find(|&k| u128::from(n) << (4 * k) <= 1u128 << 63)
}

/// The buckets `0..n` cut where the answer changes, in order: each segment's end (exclusive)
/// with the first pick holding its buckets (None: no pick, no variant).
fn segments(picks: &[(u64, u64, Option<String>)], n: u64) -> Vec<(u64, Option<String>)> {
    let mut cuts: Vec<u64> = picks
        .iter()
        .flat_map(|&(lo, hi, _)| [lo.min(n), hi.min(n)])
        .chain([0, n])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<(u64, Option<String>)> = Vec::new();
    for w in cuts.windows(2) {
        let at = w[0];
        let v = picks
            .iter()
            .find(|(lo, hi, _)| *lo <= at && at < *hi)
            .and_then(|(_, _, v)| v.clone());
        match out.last_mut() {
            Some(last) if last.1 == v => last.0 = w[1],
            _ => out.push((w[1], v)),
        }
    }
    out
}

/// `int(hex, 16) % n` of the 40-digit lowercase hex `hex`, by chunks.
fn modulo(f: &dyn Family, hex: &str, n: u64) -> Result<String, String> {
    let k = chunk_digits(n).ok_or_else(|| format!("{n} buckets are too many to render"))?;
    let chunk = |i: usize| f.hex_number(&format!("substr({hex}, {}, {k})", 1 + i * k));
    let mut r = format!("{} % {n}", chunk(0));
    for i in 1..40 / k {
        r = format!("(({r}) * {} + {}) % {n}", 1u64 << (4 * k), chunk(i));
    }
    Ok(r)
}

fn cond(d: Dialect, c: &Cond) -> Result<String, String> {
    let f = d.family();
    let join = |kids: &[Cond], op: &str, empty: &str| -> Result<String, String> {
        if kids.is_empty() {
            return Ok(empty.to_string());
        }
        let parts = kids
            .iter()
            .map(|k| cond(d, k))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(format!("({})", parts.join(&format!(" {op} "))))
    };
    Ok(match c {
        Cond::Always(true) => "TRUE".into(),
        Cond::Always(false) => "FALSE".into(),
        Cond::All(kids) => join(kids, "AND", "TRUE")?,
        Cond::Any(kids) => join(kids, "OR", "FALSE")?,
        Cond::Not(k) => format!("(NOT {})", cond(d, k)?),
        Cond::OneOf {
            column: None, null, ..
        } => (if *null { "TRUE" } else { "FALSE" }).into(),
        Cond::OneOf {
            column: Some(c),
            texts,
            null,
        } => {
            let col = column(d, c)?;
            match (texts.is_empty(), *null) {
                (true, true) => format!("({col} IS NULL)"),
                (true, false) => "FALSE".into(),
                (false, true) => format!("({col} IS NULL OR {})", is_in(f, &f.text(&col), texts)?),
                (false, false) => format!(
                    "({col} IS NOT NULL AND {})",
                    is_in(f, &f.text(&col), texts)?
                ),
            }
        }
        Cond::Differs { column: None, text } => {
            (if text.is_some() { "TRUE" } else { "FALSE" }).into()
        }
        Cond::Differs {
            column: Some(c),
            text: None,
        } => format!("({} IS NOT NULL)", column(d, c)?),
        Cond::Differs {
            column: Some(c),
            text: Some(t),
        } => {
            let col = column(d, c)?;
            format!(
                "({col} IS NULL OR {} <> {})",
                f.exact(&f.text(&col)),
                f.literal(t)?
            )
        }
    })
}

/// The SQL of a variant rule in a dialect.
pub fn variant_sql(d: Dialect, v: &Variant, columns: Vec<String>) -> Result<Sql, String> {
    let f = d.family();
    let expression = match v {
        Variant::Fixed(None) => f.null_text(),
        Variant::Fixed(Some(t)) => f.text_literal(t)?,
        Variant::Hashed {
            value_column,
            seed,
            buckets,
            overrides,
            targeting,
            picks,
        } => {
            let col = column(d, value_column)?;
            let null = f.null_text();
            let mut arms = vec![(format!("{col} IS NULL"), null.clone())];
            for (name, c) in overrides {
                arms.push((cond(d, c)?, f.text_literal(name)?));
            }
            let t = cond(d, targeting)?;
            if t != "TRUE" {
                arms.push((format!("NOT {t}"), null.clone()));
            }
            let hashed = match buckets {
                Some(n) => {
                    let hex = f.sha1_hex(&f.concat(&[f.literal(seed)?, f.text(&col)]));
                    let mut values = Vec::new();
                    for (end, v) in segments(picks, *n) {
                        let v = match v {
                            Some(v) => f.text_literal(&v)?,
                            None => null.clone(),
                        };
                        values.push((end, v));
                    }
                    let b = f.with_value(&hex, "wafflectl_sha1", &|h| modulo(f, h, *n))?;
                    f.with_value(&b, "wafflectl_bucket", &|b| Ok(f.choose(b, &values)))?
                }
                None => null.clone(),
            };
            case(&arms, &hashed)
        }
    };
    let setup = match (d, v) {
        (
            Dialect::Postgres,
            Variant::Hashed {
                buckets: Some(_), ..
            },
        ) => {
            vec!["CREATE EXTENSION IF NOT EXISTS pgcrypto;".to_string()]
        }
        _ => Vec::new(),
    };
    Ok(Sql {
        dialect: d.name(),
        expression,
        setup,
        columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 160-bit number of a digest modulo n, bit by bit (the reference).
    fn reference(d: &[u8; 20], n: u128) -> u128 {
        let mut r = 0u128;
        for &byte in d {
            for i in (0..8).rev() {
                r = ((r << 1) | u128::from((byte >> i) & 1)) % n;
            }
        }
        r
    }

    /// The chunked computation the SQL does, in i64 arithmetic that panics on overflow.
    fn chunked(d: &[u8; 20], n: u64) -> u64 {
        let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
        let k = chunk_digits(n).unwrap();
        let n = i64::try_from(n).unwrap();
        let chunk = |i: usize| i64::from_str_radix(&hex[i * k..(i + 1) * k], 16).unwrap();
        let mut r = chunk(0) % n;
        for i in 1..40 / k {
            let step = r
                .checked_mul(1i64 << (4 * k))
                .and_then(|x| x.checked_add(chunk(i)))
                .expect("a step reaches 2^63");
            r = step % n;
        }
        r as u64
    }

    #[test]
    fn chunked_modulo_is_the_160_bit_modulo() {
        // A fixed pseudo-random sequence of digests (xorshift), extremes included.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut digests = vec![[0u8; 20], [0xff; 20]];
        for _ in 0..300 {
            let mut d = [0u8; 20];
            for b in &mut d {
                *b = next() as u8;
            }
            digests.push(d);
        }
        let mut moduli = vec![1u64, 2, 3, 7, 10, 1000, 65_537];
        for k in [31u32, 32, 47, 48, 55, 56, 59] {
            moduli.extend([(1u64 << k) - 1, 1u64 << k]);
        }
        for _ in 0..40 {
            moduli.push(next() % (1 << 59) + 1);
        }
        for &n in &moduli {
            for d in &digests {
                assert_eq!(
                    u128::from(chunked(d, n)),
                    reference(d, u128::from(n)),
                    "n = {n}"
                );
            }
        }
        assert_eq!(chunk_digits(1 << 31), Some(8));
        assert_eq!(chunk_digits((1 << 31) + 1), Some(4));
        assert_eq!(chunk_digits((1 << 59) + 1), None);
    }

    #[test]
    fn a_known_digest_modulo_1000() {
        // spec/baseplate.md §3.6 #3: sha1("1.test_experiment.Nonet2_1") mod 1000 = 867.
        let hex = "e1c5b315aa0049f0adb964f341df138773784d1b";
        let mut d = [0u8; 20];
        for (i, b) in d.iter_mut().enumerate() {
            *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
        }
        assert_eq!(chunked(&d, 1000), 867);
    }

    #[test]
    fn overlapping_picks_become_segments_the_first_pick_wins() {
        let picks = vec![
            (2, 5, Some("x".to_string())),
            (4, 8, Some("y".to_string())),
            (8, 9, Some("y".to_string())),
            (0, 1, None),
        ];
        assert_eq!(
            segments(&picks, 10),
            [
                (2, None),
                (5, Some("x".to_string())),
                (9, Some("y".to_string())),
                (10, None)
            ]
        );
        assert_eq!(segments(&[], 3), [(3, None)]);
    }

    #[test]
    fn null_values_and_overrides_come_first() {
        let v = Variant::Hashed {
            value_column: "user_id".into(),
            seed: "s".into(),
            buckets: Some(10),
            overrides: vec![(
                "forced".into(),
                Cond::OneOf {
                    column: Some("country".into()),
                    texts: vec!["DE".into()],
                    null: false,
                },
            )],
            targeting: Cond::Always(true),
            picks: vec![(0, 5, Some("a".into())), (5, 10, None)],
        };
        let s = variant_sql(Dialect::Postgres, &v, vec!["user_id".into()]).unwrap();
        assert!(
            s.expression.starts_with(
                "CASE\n  WHEN \"user_id\" IS NULL THEN CAST(NULL AS text)\n  WHEN (\"country\" IS NOT NULL AND CAST(\"country\" AS text) IN (E'DE')) THEN E'forced'"
            ),
            "{}",
            s.expression
        );
        assert!(
            s.expression.contains(
                "digest(convert_to((E's' || CAST(\"user_id\" AS text)), 'UTF8'), 'sha1')"
            ),
            "{}",
            s.expression
        );
        assert!(
            s.expression
                .contains("(ARRAY[E'a', CAST(NULL AS text)])[width_bucket("),
            "{}",
            s.expression
        );
        assert_eq!(s.setup, ["CREATE EXTENSION IF NOT EXISTS pgcrypto;"]);
        let fixed = variant_sql(Dialect::MySql, &Variant::Fixed(Some("é".into())), vec![]).unwrap();
        assert_eq!(fixed.expression, "CONVERT(X'c3a9' USING utf8mb4)");
        assert!(fixed.setup.is_empty());
    }
}
