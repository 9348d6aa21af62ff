//! A parsed experiment's answer to `variant --users-file` as a rule over text inputs, for
//! `sql variant`: every input a row gives is a text or missing (NULL), the bucketing input is the
//! row's value, and whatever the rule cannot say exactly is refused by name.
//!
//! The rule gives what `variant --users-file` prints: a variant's text, or nothing (`None`) for
//! no variant and for a call that raises (both print an empty variant).

use serde_json::Value;

use super::parse::{Arm, Key, Kind, Parsed};
use super::py::{self, Num};
use super::tree::Node;

/// Keyword names `Experiments.variant()` takes itself: never an input a row can give.
pub const RESERVED: [&str; 4] = [
    "experiment_name",
    "name",
    "user",
    "bucketing_event_override",
];

/// Buckets the SQL computes by chunks: the remainder times 16 to the chunk's digits stays below
/// 2^63 with chunks of one hex digit up to this many buckets.
const MAX_BUCKETS: u64 = 1 << 59;

/// What every row gets, or how a simple experiment decides it.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// The same for every row (a forced or disabled experiment, no bucketing input).
    Fixed(Option<String>),
    Hashed(Hashed),
}

/// A simple experiment inside its window (`spec/baseplate.md` §4.1).
#[derive(Debug, Clone, PartialEq)]
pub struct Hashed {
    /// The bucketing input; a row where it is missing gets no variant.
    pub field: String,
    /// SHA-1 of `seed ++ value`.
    pub seed: String,
    /// The modulus; None when computing the bucket raises (no variant for a bucketed row).
    pub buckets: Option<u64>,
    /// Tried in order: the first test that holds forces its variant.
    pub overrides: Vec<(String, Test)>,
    pub targeting: Test,
    /// Tried in order: the first range holding the bucket gives its variant.
    pub picks: Vec<Pick>,
}

/// `lo <= bucket < hi` gives `variant` (None: no variant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub lo: u64,
    pub hi: u64,
    pub variant: Option<String>,
}

/// A targeting test over text inputs; never raises.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Always(bool),
    All(Vec<Test>),
    Any(Vec<Test>),
    Not(Box<Test>),
    /// The input is one of `texts`, or missing when `missing` is set.
    OneOf {
        field: String,
        texts: Vec<String>,
        missing: bool,
    },
    /// `NE`: with `text`, the input is missing or another text; without, the input is present.
    Differs {
        field: String,
        text: Option<String>,
    },
}

/// The rule of `parsed` (parsed at the `now` the SQL decides at), or what cannot be rendered.
pub fn rule(parsed: &Parsed) -> Result<Rule, String> {
    let s = match &parsed.kind {
        Kind::Forced { value, .. } => return Ok(Rule::Fixed(text(value))),
        Kind::Legacy(l) => {
            return Err(format!(
                "type {} (legacy) is not rendered as SQL",
                if l.ff { "feature_flag" } else { "r2" }
            ));
        }
        Kind::Simple(s) => s,
    };
    if !s.live {
        return Ok(Rule::Fixed(None));
    }
    let field = match &s.bucket_val {
        // Looking it up raises, or never finds it: no variant.
        Key::Unhashable | Key::Other => return Ok(Rule::Fixed(None)),
        // Input names are compared lower-cased: a name with capitals is never found.
        Key::Str(b) if py::lower(b) != b.as_str() => return Ok(Rule::Fixed(None)),
        Key::Str(b) if RESERVED.contains(&b.as_str()) => {
            return Err(format!(
                "bucket_val {b:?} is an argument of variant() itself, not an input a row can give"
            ));
        }
        Key::Str(b) => b.clone(),
    };
    if !s.name.is_string() {
        return Err(
            "the experiment has no string name (bucketing ids then raise for some rows): not rendered"
                .into(),
        );
    }
    let buckets = match s.n {
        Err(_) | Ok(Num::I(0)) => None,
        Ok(Num::I(n)) if n > 0 && n as u128 <= u128::from(MAX_BUCKETS) => Some(n as u64),
        Ok(n) => {
            return Err(format!(
                "num_buckets {n} is not rendered (a whole number from 1 to 2^59)"
            ));
        }
    };
    let mut overrides = Vec::new();
    // A matching "" override forces nothing and stops the overrides: a later one decides only
    // where no earlier "" override matches.
    let mut unstopped: Vec<Test> = Vec::new();
    for (name, tree) in &s.overrides {
        let t = test(&tree.root)?;
        if name.is_empty() {
            unstopped.push(Test::Not(Box::new(t)));
            continue;
        }
        let t = if unstopped.is_empty() {
            t
        } else {
            Test::All(unstopped.iter().cloned().chain([t]).collect())
        };
        overrides.push((name.clone(), t));
    }
    let picks = match buckets {
        Some(n) => picks(&s.arms, n),
        None => Vec::new(),
    };
    Ok(Rule::Hashed(Hashed {
        field,
        seed: s.seed.clone(),
        buckets,
        overrides,
        targeting: test(&s.targeting.root)?,
        picks,
    }))
}

/// What `variant --users-file` prints for a value: strings as they are, None as nothing, any
/// other value as JSON.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        v => Some(v.to_string()),
    }
}

/// The first integer `>= x` within `0..=n` (None for NaN, which no bucket compares with).
fn ceil_in(x: Num, n: u64) -> Option<u64> {
    let v: i128 = match x {
        Num::I(i) => i,
        Num::F(f) if f.is_nan() => return None,
        Num::F(f) if f >= n as f64 => return Some(n),
        Num::F(f) if f <= 0.0 => return Some(0),
        Num::F(f) => f.ceil() as i128,
    };
    Some(v.clamp(0, i128::from(n)) as u64)
}

/// The variant set as bucket ranges in order (`eval::pick`).
fn picks(arms: &[Arm], n: u64) -> Vec<Pick> {
    let mut out = Vec::new();
    for arm in arms {
        let (lo, hi) = match (arm.lo.transpose(), arm.hi.transpose()) {
            (Ok(lo), Ok(hi)) => (lo, hi),
            // Reaching this arm raises, whatever the bucket: no variant from here on.
            _ => {
                out.push(Pick {
                    lo: 0,
                    hi: n,
                    variant: None,
                });
                break;
            }
        };
        let lo = match lo {
            None => Some(0),
            Some(x) => ceil_in(x, n),
        };
        let hi = match hi {
            None => Some(n),
            Some(x) => ceil_in(x, n),
        };
        let (Some(lo), Some(hi)) = (lo, hi) else {
            continue;
        };
        if lo >= hi {
            continue;
        }
        // An entry without a name raises KeyError or gives None: no variant either way.
        let variant = arm.name.as_ref().and_then(text);
        out.push(Pick { lo, hi, variant });
    }
    out
}

/// A targeting tree as a test over text inputs.
fn test(n: &Node) -> Result<Test, String> {
    Ok(match n {
        Node::Const(b) => Test::Always(*b),
        Node::All(kids) => Test::All(kids.iter().map(test).collect::<Result<_, _>>()?),
        Node::Any(kids) => Test::Any(kids.iter().map(test).collect::<Result<_, _>>()?),
        Node::Not(k) => Test::Not(Box::new(test(k)?)),
        Node::Eq {
            field,
            values,
            value,
        } => {
            let accepted: &[Value] = match values {
                None => std::slice::from_ref(value),
                Some(Value::Array(vs)) => vs,
                Some(_) => {
                    return Err(format!(
                        "targeting operator EQ on {field:?} with `values` that is not a list is not rendered"
                    ));
                }
            };
            let mut texts = Vec::new();
            let mut missing = false;
            for v in accepted {
                match v {
                    Value::String(s) => texts.push(s.clone()),
                    Value::Null => missing = true,
                    // A text or a missing input never equals a number, a bool, a list or an
                    // object.
                    _ => {}
                }
            }
            Test::OneOf {
                field: field.clone(),
                texts,
                missing,
            }
        }
        Node::Cmp {
            field,
            op: None,
            value,
        } => match value {
            Value::Null => Test::Differs {
                field: field.clone(),
                text: None,
            },
            Value::String(s) => Test::Differs {
                field: field.clone(),
                text: Some(s.clone()),
            },
            // A text or a missing input always differs from any other value.
            _ => Test::Always(true),
        },
        Node::Cmp {
            field,
            op: Some(op),
            ..
        } => {
            return Err(format!(
                "targeting operator {} on {field:?} is not rendered as SQL",
                match op.symbol() {
                    ">" => "GT",
                    ">=" => "GE",
                    "<" => "LT",
                    _ => "LE",
                }
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule_of(v: Value) -> Result<Rule, String> {
        rule(&super::super::parse(&v, 1_700_000_000.0).map_err(|e| e.message)?)
    }

    fn simple(kind: &str, exp: Value) -> Value {
        json!({"id": 3, "name": "e", "type": kind, "start_ts": 0, "stop_ts": 4_102_444_800u64,
               "experiment": exp})
    }

    #[test]
    fn variant_sets_become_bucket_ranges() {
        let r = rule_of(simple(
            "single_variant",
            json!({"experiment_version": 1, "num_buckets": 10,
                   "variants": [{"name": "a", "size": 0.2}, {"name": "b", "size": 0.3}]}),
        ))
        .unwrap();
        let Rule::Hashed(h) = r else { panic!() };
        assert_eq!(h.seed, "3.e.None");
        assert_eq!(h.field, "user_id");
        assert_eq!(h.buckets, Some(10));
        let ranges: Vec<(u64, u64)> = h.picks.iter().map(|p| (p.lo, p.hi)).collect();
        assert_eq!(ranges, [(0, 2), (7, 10)]);
        assert_eq!(h.picks[1].variant.as_deref(), Some("b"));
    }

    #[test]
    fn comparisons_and_legacy_types_are_refused_by_name() {
        let e = rule_of(simple(
            "feature_rollout",
            json!({"experiment_version": 1, "variants": [{"name": "on", "size": 0.5}],
                   "targeting": {"GE": {"field": "build", "value": 100}}}),
        ))
        .unwrap_err();
        assert!(e.contains("GE") && e.contains("build"), "{e}");
        let r2 = json!({"id": 1, "name": "r", "type": "r2", "start_ts": 0, "stop_ts": 4_102_444_800u64,
                        "experiment": {"variants": {"a": 10}, "targeting": {"logged_in": [true]}}});
        assert!(rule_of(r2).unwrap_err().contains("r2"));
    }

    #[test]
    fn an_empty_override_stops_later_ones_only_where_it_matches() {
        let r = rule_of(simple(
            "feature_rollout",
            json!({"experiment_version": 1, "variants": [{"name": "on", "size": 0.5}],
                   "overrides": [{"": {"EQ": {"field": "c", "value": "DE"}}},
                                 {"x": {"OVERRIDE": true}}]}),
        ))
        .unwrap();
        let Rule::Hashed(h) = r else { panic!() };
        let de = Test::OneOf {
            field: "c".into(),
            texts: vec!["DE".into()],
            missing: false,
        };
        assert_eq!(
            h.overrides,
            [(
                "x".to_string(),
                Test::All(vec![Test::Not(Box::new(de)), Test::Always(true)])
            )]
        );
    }

    #[test]
    fn outside_the_window_every_row_gets_nothing() {
        let mut v = simple(
            "feature_rollout",
            json!({"experiment_version": 1, "variants": [{"name": "on", "size": 0.5}]}),
        );
        v["stop_ts"] = json!(1_600_000_000u64);
        assert_eq!(rule_of(v).unwrap(), Rule::Fixed(None));
    }
}
