//! The share of all buckets each variant holds: what `variant --summary` compares the hashed
//! values against.

use serde_json::Value;

use super::eval::pick;
use super::parse::{Kind, Parsed};
use super::py::Num;

/// Most buckets counted one by one.
const MAX_BUCKETS: u64 = 1_000_000;

/// A cell for `name` with no bucket yet, unless it has one.
fn zero(counts: &mut Vec<(String, u64)>, name: &str) {
    if !counts.iter().any(|(n, _)| n == name) {
        counts.push((name.to_string(), 0));
    }
}

/// Each variant's share of the buckets (0 for a variant of size 0), in the definition's order; `None` when there is no
/// variant set to compare with (a forced answer, numbers the real client raises on, or more
/// than a million buckets).
pub fn expected_shares(p: &Parsed) -> Option<Vec<(String, f64)>> {
    let mut counts: Vec<(String, u64)> = Vec::new();
    // Every named variant is a cell, a variant of size 0 too (its share is 0).
    match &p.kind {
        Kind::Forced { .. } => {}
        Kind::Legacy(l) => {
            for (name, _) in l.choose.iter().flatten() {
                zero(&mut counts, name);
            }
        }
        Kind::Simple(s) => {
            for arm in &s.arms {
                if let Some(Value::String(name)) = &arm.name {
                    zero(&mut counts, name);
                }
            }
        }
    }
    let mut add = |name: &str| match counts.iter_mut().find(|(n, _)| n == name) {
        Some(e) => e.1 += 1,
        None => counts.push((name.to_string(), 1)),
    };
    let total = match &p.kind {
        Kind::Forced { .. } => return None,
        Kind::Legacy(l) => {
            let names = l.choose.as_ref().ok()?;
            let k = names.len();
            if k == 0 {
                return None;
            }
            for b in 0..1000u64 {
                let (cand, limit) = &names[b as usize % k];
                if (b as f64) < *limit.as_ref().ok()? {
                    add(cand);
                }
            }
            1000
        }
        Kind::Simple(s) => {
            let n = match s.n.as_ref().ok()? {
                Num::I(i) if *i > 0 && *i as u64 <= MAX_BUCKETS => *i as u64,
                _ => return None,
            };
            for b in 0..n {
                if let Some((i, _, _)) = pick(s, Num::I(i128::from(b))).ok()?
                    && let Some(Value::String(name)) = &s.arms[i].name
                {
                    add(name);
                }
            }
            n
        }
    };
    Some(
        counts
            .into_iter()
            .map(|(n, c)| (n, c as f64 / total as f64))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn shares(experiment: Value, kind: &str) -> Vec<(String, f64)> {
        let c = json!({"id": 1, "name": "e", "type": kind, "start_ts": 0, "stop_ts": 4102444800u64,
                       "experiment": experiment});
        expected_shares(&super::super::parse(&c, 1.6e9).unwrap()).unwrap()
    }

    #[test]
    fn shares_follow_the_variant_sets_of_the_spec() {
        // Spec §6.1: r2 {remove_vote_counters: 15.6, control_1: 10, control_2: 20} → 156/100/200.
        let r2 = shares(
            json!({"variants": {"remove_vote_counters": 15.6, "control_1": 10, "control_2": 20},
                   "targeting": {"logged_in": [true]}}),
            "r2",
        );
        let get = |v: &[(String, f64)], n: &str| v.iter().find(|(k, _)| k == n).unwrap().1;
        assert_eq!(get(&r2, "remove_vote_counters"), 0.156);
        assert_eq!(get(&r2, "control_1"), 0.1);
        assert_eq!(get(&r2, "control_2"), 0.2);
        // range v1 [0,.25), v2 [.25,.5), v1 [.5,.75) → 500/250.
        let rv = shares(
            json!({"variants": [{"name": "v1", "range_start": 0, "range_end": 0.25},
                                {"name": "v2", "range_start": 0.25, "range_end": 0.5},
                                {"name": "v1", "range_start": 0.5, "range_end": 0.75}],
                   "experiment_version": 1}),
            "range_variant",
        );
        assert_eq!(rv, vec![("v1".to_string(), 0.5), ("v2".to_string(), 0.25)]);
        // n = 1037, 4 × 0.25 → 259 each.
        let mv = shares(
            json!({"variants": [{"name": "a", "size": 0.25}, {"name": "b", "size": 0.25},
                                {"name": "c", "size": 0.25}, {"name": "d", "size": 0.25}],
                   "experiment_version": 1, "num_buckets": 1037}),
            "multi_variant",
        );
        assert!(mv.iter().all(|(_, s)| *s == 259.0 / 1037.0), "{mv:?}");
    }
}
