//! Authoring checks for one experiment config (`wafflectl lint`): what baseplate would reject,
//! what is switched off, and what it accepts but that silently does nothing or surprises.

use serde_json::{Map, Value};

use super::hash::Seed;
use super::parse::{self, Key, Ty, VType};
use super::py::{self, Num, Op, V};
use super::tree::{self, Node, Tree};
use super::{Invalid, PyError};

/// How a finding affects the experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// `parse_experiment` raises: `variant()` is always None.
    Invalid,
    /// Switched off (enabled falsy, window not started or over).
    Disabled,
    /// Missing or unknown `type` (including `dynamic_config`): always None.
    UnknownType,
    /// Valid but targets no one.
    NoTargeting,
    /// Accepted but silently useless or surprising.
    Trap,
}

/// One finding.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Finding {
    pub level: Level,
    /// A short stable id, e.g. `"bucket_val-capitals"`.
    pub rule: &'static str,
    /// One line.
    pub message: String,
}

struct Out(Vec<Finding>);

impl Out {
    fn add(&mut self, level: Level, rule: &'static str, message: String) {
        self.0.push(Finding {
            level,
            rule,
            message,
        });
    }
    fn invalid(&mut self, i: Invalid) {
        self.add(
            Level::Invalid,
            i.rule,
            format!("{}: {}", i.error.name(), i.message),
        );
    }
    fn trap(&mut self, rule: &'static str, message: String) {
        self.add(Level::Trap, rule, message);
    }
}

fn when(v: &Value) -> String {
    let s = py::pystr(V::of(v));
    match Num::of(V::of(v)) {
        Some(n) => {
            let secs = n.to_f64();
            if secs.is_finite() && secs.abs() < 1e13 {
                chrono::DateTime::from_timestamp(secs.floor() as i64, 0).map_or(s.clone(), |d| {
                    format!("{} ({s})", d.format("%Y-%m-%d %H:%M:%SZ"))
                })
            } else {
                s
            }
        }
        None => s,
    }
}

/// The experiments of one file that hold an experiment ID an earlier one holds (`ids`: each
/// key with its ID, in file order): one finding for each. Baseplate accepts both, but their
/// events carry the same ID, and wafflectl keeps one ID space (an import refuses the file).
pub fn shared_ids<'a>(ids: impl IntoIterator<Item = (&'a str, i64)>) -> Vec<(&'a str, Finding)> {
    let mut first: std::collections::HashMap<i64, &str> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for (key, id) in ids {
        match first.get(&id) {
            Some(earlier) => out.push((
                key,
                Finding {
                    level: Level::Trap,
                    rule: "id-shared",
                    message: format!(
                        "experiment ID {id} is also held by '{earlier}': their bucketing events carry the same ID (wafflectl import refuses the file)"
                    ),
                },
            )),
            None => {
                first.insert(id, key);
            }
        }
    }
    out
}

/// Lints the experiment config `config` stored under top-level `key`, at `time.time() == now`.
pub fn lint(key: &str, config: &Value, now: f64) -> Vec<Finding> {
    let mut o = Out(Vec::new());
    let Value::Object(c) = config else {
        o.invalid(Invalid {
            error: PyError::AttributeError,
            rule: "config-not-object",
            message: format!(
                "the experiment config must be an object, got {} (§2.1)",
                V::of(config).type_name()
            ),
        });
        return o.0;
    };
    let ty = parse::parse_type(c.get("type"))
        .map_err(|i| o.invalid(i))
        .ok();
    if let Err(i) = parse::check_id(c.get("id")) {
        o.invalid(i);
    }
    names(&mut o, key, c);

    // Window and enabled (§2.2, §4.3).
    let legacy = matches!(ty, Some(Ty::Legacy { .. }));
    let mut enabled = c.get("enabled").is_none_or(|v| py::truthy(V::of(v)));
    if !enabled {
        o.add(
            Level::Disabled,
            "disabled",
            format!(
                "enabled is {}: variant() is always None{}",
                c.get("enabled")
                    .map_or(String::new(), |v| py::pystr(V::of(v))),
                if !legacy && c.contains_key("global_override") {
                    " (but global_override is still returned)"
                } else {
                    ""
                }
            ),
        );
    }
    match parse::window(c, now) {
        Err(i) => o.invalid(i),
        Ok((start, stop)) => {
            if c.get("start_ts").is_none() || c.get("stop_ts").is_none() {
                o.trap(
                    "expires-deprecated",
                    "expires is used: start_ts becomes the parse time and stop_ts midnight UTC of expires".into(),
                );
            }
            // `now OP bound`, or None with the finding that `field` is not a number.
            let past = |o: &mut Out, field: &str, bound: &Value, op| {
                py::compare(V::Float(now), V::of(bound), op)
                    .map_err(|_| {
                        o.invalid(Invalid {
                            error: PyError::TypeError,
                            rule: "ts-not-number",
                            message: format!(
                                "{field} must be a number, got {} (§2.2)",
                                V::of(bound).type_name()
                            ),
                        })
                    })
                    .ok()
            };
            let over = if legacy { Op::Gt } else { Op::Ge };
            // Not started, or ended: disabled, saying when.
            let outside = match past(&mut o, "start_ts", &start, Op::Lt) {
                Some(true) => Some(("not-started", "starts at", &start)),
                Some(false) if past(&mut o, "stop_ts", &stop, over) == Some(true) => {
                    Some(("ended", "ended at", &stop))
                }
                _ => None,
            };
            if let Some((rule, at, bound)) = outside {
                enabled = false;
                o.add(
                    Level::Disabled,
                    rule,
                    format!("{at} {}; now is {}", when(bound), when(&float(now))),
                );
            }
        }
    }
    let Some(ty) = ty else { return o.0 };
    if !enabled && legacy {
        if c.contains_key("global_override") {
            o.trap(
                "global_override-ignored",
                "global_override is ignored while a legacy (r2/feature_flag) experiment is disabled: always None".into(),
            );
        }
        return o.0;
    }
    let Some(exp) = c.get("experiment") else {
        o.invalid(Invalid {
            error: PyError::KeyError,
            rule: "experiment-missing",
            message: "experiment is missing (§2.3)".into(),
        });
        return o.0;
    };
    let forced = c.contains_key("global_override");
    match ty {
        Ty::Unhashable => o.invalid(Invalid {
            error: PyError::TypeError,
            rule: "type-unhashable",
            message: "type is an empty list/object (§2.3)".into(),
        }),
        Ty::Unknown(t) => {
            let extra = if t == "\"dynamic_config\"" {
                " (a reddit-experiments/decider type; baseplate returns None)"
            } else {
                ""
            };
            let ret = match c.get("global_override") {
                Some(g) => format!("always global_override {}", py::pystr(V::of(g))),
                None => "always None".into(),
            };
            o.add(
                Level::UnknownType,
                if t == "missing" {
                    "type-missing"
                } else {
                    "type-unknown"
                },
                format!("type {t} is not one baseplate knows{extra}: {ret}"),
            );
        }
        Ty::Legacy { ff } if !forced => legacy_checks(&mut o, ff, c, exp),
        Ty::Simple(vt) if !forced => simple_checks(&mut o, vt, exp),
        _ => {}
    }
    o.0
}

fn float(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
}

fn names(o: &mut Out, key: &str, c: &Map<String, Value>) {
    match c.get("name") {
        Some(Value::String(n)) if n != key => o.trap(
            "key-name-mismatch",
            format!(
                "key {key:?} differs from name {n:?}: baseplate looks up the key but seeds and logs with the name; the Rust decider looks up the name"
            ),
        ),
        Some(Value::String(_)) => {}
        _ => o.trap(
            "name-missing",
            "name is missing or not a string: seeds contain \"None\" and every call with a truthy bucket value raises TypeError".into(),
        ),
    }
    if matches!(c.get("id"), Some(Value::Bool(_))) {
        o.trap(
            "id-bool",
            "id is a boolean: accepted as an int, and the seed contains True/False".into(),
        );
    }
}

fn bucket_val_trap(o: &mut Out, k: &Key) {
    match k {
        Key::Str(b) if py::lower(b) != b.as_str() => o.trap(
            "bucket_val-capitals",
            format!(
                "bucket_val {b:?} has capitals but is compared with lower-cased input names: never matches, always None"
            ),
        ),
        Key::Str(_) => {}
        _ => o.trap(
            "bucket_val-not-string",
            "bucket_val is not a string: never matches (a list/object raises TypeError)".into(),
        ),
    }
}

fn legacy_checks(o: &mut Out, ff: bool, c: &Map<String, Value>, exp: &Value) {
    let name = c.get("name").cloned().unwrap_or(Value::Null);
    let l = match parse_legacy(ff, name, exp) {
        Ok(l) => l,
        Err(i) => return o.invalid(i),
    };
    let what = if ff { "feature_flag" } else { "r2" };
    bucket_val_trap(o, &l.bucket_val);
    if l.targeting.is_empty() {
        o.add(
            Level::NoTargeting,
            "no-targeting",
            format!("{what} has no targeting: nobody is bucketed, only overrides return a variant"),
        );
    } else if l.targeting.iter().all(|(_, _, a)| a.is_empty()) {
        o.add(
            Level::NoTargeting,
            "targeting-empty",
            format!("every {what} targeting list is empty: nobody is bucketed"),
        );
    }
    let Value::Object(vars) = &l.variants else {
        o.trap(
            "variants-not-object",
            "variants is not an object: choosing a variant raises".into(),
        );
        return;
    };
    let k = vars.len();
    if k == 0 {
        o.trap(
            "variants-empty",
            "variants is empty: every bucketed call raises ZeroDivisionError".into(),
        );
    }
    for (n, p) in vars {
        match Num::of(V::of(p)) {
            None => o.trap(
                "variant-percentage-not-number",
                format!(
                    "variant {n:?} has percentage {}: choosing it raises TypeError",
                    py::pystr(V::of(p))
                ),
            ),
            Some(pct) if k > 0 && pct.to_f64() / 100.0 > 1.0 / k as f64 => o.trap(
                "r2-capped",
                format!(
                    "variant {n:?} is {pct}% but each of {k} variants is capped at {:.1}%",
                    100.0 / k as f64
                ),
            ),
            _ => {}
        }
    }
    let all_zero =
        matches!(&l.choose, Ok(ch) if ch.iter().all(|(_, lim)| matches!(lim, Ok(x) if *x <= 0.0)));
    if k > 0 && all_zero {
        if ff && l.overrides.is_empty() {
            o.trap(
                "feature_flag-active-zero",
                "feature_flag with active 0 and no overrides: never active".into(),
            );
        } else if !ff {
            o.trap(
                "variants-sum-zero",
                "every variant percentage is 0: nobody is bucketed into a variant".into(),
            );
        }
    }
    for (param, _, map) in &l.overrides {
        for (val, v) in map {
            if v.is_null() {
                continue;
            }
            if !py::contains(V::of(&l.variants), V::of(v)).unwrap_or(false) {
                o.trap(
                    "override-unknown-variant",
                    format!(
                        "override {param}={val:?} -> {} is not one of the variants: ignored",
                        py::pystr(V::of(v))
                    ),
                );
            }
        }
    }
    if py::truthy(V::of(&l.newer_than)) && !l.targeting.iter().any(|(p, _, _)| p == "logged_in") {
        o.trap(
            "newer_than-without-logged_in",
            "newer_than only applies to the logged_in targeting parameter, which is absent: it has no effect".into(),
        );
    }
}

fn parse_legacy(ff: bool, name: Value, exp: &Value) -> Result<super::parse::Legacy, Invalid> {
    let cfg = serde_json::json!({
        "id": 1, "name": name, "type": if ff { "feature_flag" } else { "r2" },
        "start_ts": 0, "stop_ts": 1, "experiment": exp,
    });
    match parse::parse(&cfg, 0.0)?.kind {
        super::parse::Kind::Legacy(l) => Ok(*l),
        _ => Err(Invalid {
            error: PyError::TypeError,
            rule: "internal",
            message: "not a legacy experiment".into(),
        }),
    }
}

fn simple_checks(o: &mut Out, vt: VType, exp: &Value) {
    let Value::Object(e) = exp else {
        return o.invalid(Invalid {
            error: PyError::AttributeError,
            rule: "experiment-not-object",
            message: format!(
                "experiment must be an object, got {} (§2.5)",
                V::of(exp).type_name()
            ),
        });
    };
    // Each independent rule of SimpleExperiment.from_dict, so all of them are reported.
    match e.get("experiment_version") {
        None => o.invalid(Invalid {
            error: PyError::KeyError,
            rule: "experiment_version-missing",
            message: "experiment_version is missing; it must be a non-zero integer (§2.5)".into(),
        }),
        Some(v) if !py::truthy(V::of(v)) => o.invalid(Invalid {
            error: PyError::ValueError,
            rule: "experiment_version-zero",
            message: format!(
                "experiment_version must be a non-zero integer, got {} (§2.5)",
                py::pystr(V::of(v))
            ),
        }),
        _ => {}
    }
    let thousand = Value::from(1000);
    let n = e.get("num_buckets").unwrap_or(&thousand);
    let empty = Value::Array(Vec::new());
    let vs = e.get("variants").unwrap_or(&empty);
    match parse::variant_set(vt, vs, n) {
        Err(i) => o.invalid(i),
        Ok(arms) => {
            if arms.iter().any(|a| a.name.is_none() && a.name_required) {
                o.trap(
                    "variant-name-missing",
                    "a variant has no name: choosing it raises KeyError".into(),
                );
            }
            // Sum zero: scan the buckets when there are few enough.
            if let Some(nb) = Num::of(V::of(n))
                .and_then(Num::as_u64)
                .filter(|&x| (1..=1_000_000).contains(&x))
            {
                let s = probe(vt, arms, nb);
                let any = (0..nb).any(|b| {
                    matches!(
                        super::eval::pick(&s, Num::I(i128::from(b))),
                        Ok(Some(_)) | Err(_)
                    )
                });
                if !any {
                    o.trap(
                        "variants-sum-zero",
                        "variant sizes leave every bucket unassigned: nobody gets a variant".into(),
                    );
                }
            }
        }
    }
    if e.get("num_buckets").is_some_and(|v| *v != thousand) {
        o.trap(
            "num_buckets-nonstandard",
            format!(
                "num_buckets is {}: the Go port and the Rust decider always use 1000",
                py::pystr(V::of(n))
            ),
        );
    }
    bucket_val_trap(o, &Key::of(e.get("bucket_val")));
    let seed = e.get("bucket_seed");
    if seed.is_some_and(|s| !py::truthy(V::of(s))) {
        o.trap(
            "bucket_seed-empty",
            "bucket_seed is empty: the default seed id.name.shuffle_version is used".into(),
        );
    }
    if seed.is_some_and(|s| py::truthy(V::of(s))) {
        o.trap(
            "bucket_seed-ignored-by-decider",
            "bucket_seed is set: the Rust decider ignores it and buckets differently".into(),
        );
    } else if !e.contains_key("shuffle_version") {
        o.trap(
            "shuffle_version-missing",
            "shuffle_version is missing: the seed ends in \"None\" here but \"0\" in the Go port and the Rust decider (different buckets)".into(),
        );
    }
    match e.get("targeting") {
        None | Some(Value::Null) => {}
        Some(t) => {
            let tr = Tree::from_config(Some(t));
            match &tr.error {
                Some(err) => o.add(
                    Level::NoTargeting,
                    "targeting-invalid",
                    format!("targeting tree is invalid ({err}): targets no one"),
                ),
                None => tree_traps(o, "targeting", &tr),
            }
            if matches!(&tr.root, Node::Const(false)) && tr.error.is_none() {
                o.add(
                    Level::NoTargeting,
                    "targeting-false",
                    "targeting is OVERRIDE false: targets no one".into(),
                );
            }
        }
    }
    overrides_checks(o, e, vs);
}

/// A stand-in simple experiment with just the arms, for scanning buckets.
fn probe(vt: VType, arms: Vec<super::parse::Arm>, _n: u64) -> super::parse::Simple {
    super::parse::Simple {
        vtype: vt,
        name: Value::Null,
        enabled: true,
        start: Num::I(0),
        stop: Num::I(0),
        live: true,
        bucket_val: Key::Other,
        seed: String::new(),
        hasher: Seed::new(""),
        n: Ok(Num::I(1000)),
        arms,
        log_bucketing: true,
        targeting: Tree::from_config(None),
        overrides: Vec::new(),
    }
}

fn tree_traps(o: &mut Out, what: &str, t: &Tree) {
    for (op, field) in tree::unguarded_comparisons(&t.root) {
        o.trap(
            "comparison-may-raise",
            format!(
                "{what}: `{field} {}` raises TypeError out of variant() when {field} is missing or not comparable; guard it with NE null first",
                op.symbol()
            ),
        );
    }
    tree::visit(&t.root, &mut |n| {
        match n {
        Node::Eq {
            field,
            values: Some(Value::String(s)),
            ..
        } => o.trap(
            "eq-values-string",
            format!("{what}: EQ {field} has values {s:?} (a string): it is a substring test"),
        ),
        Node::Cmp {
            field,
            op: Some(op),
            value: Value::Null,
        } => o.trap(
            "comparison-null-value",
            format!(
                "{what}: `{field} {} null` is false when {field} is null and raises TypeError otherwise",
                op.symbol()
            ),
        ),
        _ => {}
    }
    });
}

fn overrides_checks(o: &mut Out, e: &Map<String, Value>, vs: &Value) {
    let Some(ov) = e.get("overrides") else { return };
    let items = match ov {
        Value::Array(items) if items.is_empty() => {
            return o.trap(
                "overrides-empty",
                "overrides is an empty list: no overrides".into(),
            );
        }
        Value::Array(items) => items,
        Value::Null => return,
        v => {
            return o.trap(
                "overrides-not-list",
                format!("overrides is {} not a list: ignored", V::of(v).type_name()),
            );
        }
    };
    let names: Vec<&Value> = match vs {
        Value::Array(a) => a.iter().filter_map(|x| x.get("name")).collect(),
        _ => Vec::new(),
    };
    for (i, it) in items.iter().enumerate() {
        let Value::Object(m) = it else {
            o.trap(
                "override-entry-skipped",
                format!("overrides[{i}] is not an object: skipped"),
            );
            continue;
        };
        if m.len() > 1 {
            o.trap(
                "override-entry-skipped",
                format!(
                    "overrides[{i}] has {} keys (one variant per entry): skipped",
                    m.len()
                ),
            );
            continue;
        }
        for (name, t) in m {
            if name.is_empty() {
                o.trap(
                    "override-empty-name",
                    format!("overrides[{i}] forces \"\": when it matches, no variant is forced and later overrides are skipped"),
                );
            } else if !names.iter().any(|n| n.as_str() == Some(name)) {
                o.trap(
                    "override-unknown-variant",
                    format!("overrides[{i}] forces {name:?}, which is not a variant: returned anyway (the Rust decider ignores it)"),
                );
            }
            let tr = Tree::from_config(Some(t));
            match &tr.error {
                Some(err) => o.trap(
                    "override-tree-invalid",
                    format!("overrides[{i}] ({name:?}) has an invalid tree ({err}): never matches"),
                ),
                None => tree_traps(o, &format!("overrides[{i}]"), &tr),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: f64 = 1_600_000_000.0;

    fn base() -> Value {
        json!({"id": 1, "name": "e", "type": "single_variant", "start_ts": 0, "stop_ts": 4102444800u64,
               "enabled": true, "version": "1",
               "experiment": {"variants": [{"name": "a", "size": 0.5}, {"name": "b", "size": 0.5}],
                              "experiment_version": 1, "shuffle_version": 0, "bucket_val": "user_id"}})
    }

    fn r2() -> Value {
        json!({"id": 1, "name": "e", "type": "r2", "start_ts": 0, "stop_ts": 4102444800u64,
               "experiment": {"variants": {"a": 10, "b": 10}, "targeting": {"logged_in": [true]}}})
    }

    fn rules(cfg: &Value) -> Vec<(Level, &'static str)> {
        lint("e", cfg, NOW)
            .into_iter()
            .map(|f| (f.level, f.rule))
            .collect()
    }

    fn has(cfg: &Value, level: Level, rule: &str) -> bool {
        rules(cfg).iter().any(|(l, r)| *l == level && *r == rule)
    }

    fn with(mut v: Value, path: &[&str], x: Value) -> Value {
        let mut cur = &mut v;
        for p in &path[..path.len() - 1] {
            cur = &mut cur[*p];
        }
        match x {
            Value::String(s) if s == "<del>" => {
                if let Some(m) = cur.as_object_mut() {
                    m.remove(path[path.len() - 1]);
                }
            }
            x => cur[path[path.len() - 1]] = x,
        }
        v
    }

    #[test]
    fn clean_config_has_no_findings() {
        assert_eq!(rules(&base()), vec![]);
        assert_eq!(rules(&r2()), vec![]);
    }

    #[test]
    fn every_invalid_rule() {
        let i = Level::Invalid;
        assert!(has(&json!([1]), i, "config-not-object"));
        assert!(has(
            &with(base(), &["type"], json!(5)),
            i,
            "type-not-string"
        ));
        assert!(has(&with(base(), &["id"], json!("14")), i, "id-not-int"));
        assert!(has(&with(base(), &["id"], json!(1.0)), i, "id-not-int"));
        assert!(has(&with(base(), &["id"], json!("<del>")), i, "id-not-int"));
        assert!(has(
            &with(base(), &["stop_ts"], json!("<del>")),
            i,
            "window-missing"
        ));
        let exp = with(
            with(base(), &["stop_ts"], json!("<del>")),
            &["expires"],
            json!("2020-13-01"),
        );
        assert!(has(&exp, i, "expires-invalid"));
        assert!(has(
            &with(base(), &["start_ts"], json!("0")),
            i,
            "ts-not-number"
        ));
        assert!(has(
            &with(base(), &["experiment"], json!("<del>")),
            i,
            "experiment-missing"
        ));
        assert!(has(
            &with(base(), &["type"], json!([])),
            i,
            "type-unhashable"
        ));
        assert!(has(
            &with(base(), &["experiment"], json!([])),
            i,
            "experiment-not-object"
        ));
        // Both simple rules at once.
        let two = with(
            with(base(), &["experiment", "experiment_version"], json!(0)),
            &["experiment", "variants"],
            json!([]),
        );
        assert!(has(&two, i, "experiment_version-zero"));
        assert!(has(&two, i, "variants-invalid"));
        assert!(has(
            &with(
                base(),
                &["experiment", "experiment_version"],
                json!("<del>")
            ),
            i,
            "experiment_version-missing"
        ));
        assert!(has(
            &with(
                base(),
                &["experiment", "variants"],
                json!([{"name": "a", "size": 0.75}, {"name": "b", "size": 0.75}])
            ),
            i,
            "variants-invalid"
        ));
        assert!(has(
            &with(r2(), &["experiment", "variants"], json!("<del>")),
            i,
            "variants-missing"
        ));
        assert!(has(
            &with(r2(), &["experiment", "targeting"], json!({"a": true})),
            i,
            "targeting-invalid"
        ));
        assert!(has(
            &with(r2(), &["experiment", "overrides"], json!({"a": ["x"]})),
            i,
            "overrides-invalid"
        ));
        let ff = with(
            with(r2(), &["type"], json!("feature_flag")),
            &["experiment", "variants"],
            json!({"on": 1}),
        );
        assert!(has(&ff, i, "feature_flag-variants"));
        // The message carries the Python exception.
        let f = lint("e", &with(base(), &["id"], json!("14")), NOW);
        assert!(f[0].message.starts_with("TypeError: "), "{}", f[0].message);
    }

    #[test]
    fn disabled_and_unknown() {
        assert!(has(
            &with(base(), &["enabled"], json!(false)),
            Level::Disabled,
            "disabled"
        ));
        assert!(has(
            &with(base(), &["start_ts"], json!(NOW + 10.0)),
            Level::Disabled,
            "not-started"
        ));
        assert!(has(
            &with(base(), &["stop_ts"], json!(NOW)),
            Level::Disabled,
            "ended"
        ));
        assert!(!has(
            &with(r2(), &["stop_ts"], json!(NOW)),
            Level::Disabled,
            "ended"
        ));
        let f = lint("e", &with(base(), &["stop_ts"], json!(1000)), NOW);
        assert!(
            f[0].message.contains("1970-01-01 00:16:40Z"),
            "{}",
            f[0].message
        );
        assert!(has(
            &with(base(), &["type"], json!("dynamic_config")),
            Level::UnknownType,
            "type-unknown"
        ));
        assert!(has(
            &with(base(), &["type"], json!("<del>")),
            Level::UnknownType,
            "type-missing"
        ));
    }

    #[test]
    fn no_targeting() {
        assert!(has(
            &with(r2(), &["experiment", "targeting"], json!("<del>")),
            Level::NoTargeting,
            "no-targeting"
        ));
        assert!(has(
            &with(r2(), &["experiment", "targeting"], json!({})),
            Level::NoTargeting,
            "no-targeting"
        ));
        assert!(has(
            &with(base(), &["experiment", "targeting"], json!({})),
            Level::NoTargeting,
            "targeting-invalid"
        ));
        assert!(has(
            &with(
                base(),
                &["experiment", "targeting"],
                json!({"EQ": {"field": "a"}})
            ),
            Level::NoTargeting,
            "targeting-invalid"
        ));
    }

    #[test]
    fn traps() {
        let t = Level::Trap;
        assert!(has(
            &with(base(), &["experiment", "bucket_val"], json!("User_Id")),
            t,
            "bucket_val-capitals"
        ));
        assert!(has(
            &with(r2(), &["experiment", "bucket_val"], json!("Content_Id")),
            t,
            "bucket_val-capitals"
        ));
        assert!(has(
            &with(base(), &["experiment", "shuffle_version"], json!("<del>")),
            t,
            "shuffle_version-missing"
        ));
        assert!(rules(&base()).is_empty());
        assert!(
            lint("other", &base(), NOW)
                .iter()
                .any(|f| f.rule == "key-name-mismatch")
        );
        assert!(has(
            &with(base(), &["name"], json!("<del>")),
            t,
            "name-missing"
        ));
        assert!(has(
            &with(base(), &["experiment", "bucket_seed"], json!("")),
            t,
            "bucket_seed-empty"
        ));
        assert!(has(
            &with(r2(), &["experiment", "variants"], json!({"a": 60, "b": 10})),
            t,
            "r2-capped"
        ));
        let ov = with(
            r2(),
            &["experiment", "overrides"],
            json!({"user_name": {"gary": "zzz"}}),
        );
        assert!(has(&ov, t, "override-unknown-variant"));
        let sov = with(
            base(),
            &["experiment", "overrides"],
            json!([{"zz": {"OVERRIDE": true}}]),
        );
        assert!(has(&sov, t, "override-unknown-variant"));
        assert!(has(
            &with(
                base(),
                &["experiment", "overrides"],
                json!({"a": {"OVERRIDE": true}})
            ),
            t,
            "overrides-not-list"
        ));
        assert!(has(
            &with(base(), &["experiment", "overrides"], json!([])),
            t,
            "overrides-empty"
        ));
        let two = with(
            base(),
            &["experiment", "overrides"],
            json!([{"a": {"OVERRIDE": true}, "b": {"OVERRIDE": true}}]),
        );
        assert!(has(&two, t, "override-entry-skipped"));
        let badt = with(
            base(),
            &["experiment", "overrides"],
            json!([{"a": {"XOR": []}}]),
        );
        assert!(has(&badt, t, "override-tree-invalid"));
        let zero = with(
            base(),
            &["experiment", "variants"],
            json!([{"name": "a", "size": 0}, {"name": "b", "size": 0}]),
        );
        assert!(has(&zero, t, "variants-sum-zero"));
        let ff0 = with(
            with(r2(), &["type"], json!("feature_flag")),
            &["experiment", "variants"],
            json!({"active": 0}),
        );
        assert!(has(&ff0, t, "feature_flag-active-zero"));
        let nt = with(
            with(r2(), &["experiment", "newer_than"], json!(1000)),
            &["experiment", "targeting"],
            json!({"country": ["us"]}),
        );
        assert!(has(&nt, t, "newer_than-without-logged_in"));
        let gt = with(
            base(),
            &["experiment", "targeting"],
            json!({"GT": {"field": "build", "value": 100}}),
        );
        assert!(has(&gt, t, "comparison-may-raise"));
        let guarded = with(
            base(),
            &["experiment", "targeting"],
            json!({"ALL": [{"NE": {"field": "build", "value": null}}, {"GT": {"field": "build", "value": 100}}]}),
        );
        assert!(!has(&guarded, t, "comparison-may-raise"));
        let s = with(
            base(),
            &["experiment", "targeting"],
            json!({"EQ": {"field": "country", "values": "USA"}}),
        );
        assert!(has(&s, t, "eq-values-string"));
        let off = with(
            with(r2(), &["enabled"], json!(false)),
            &["global_override"],
            json!("a"),
        );
        assert!(has(&off, t, "global_override-ignored"));
        let unnamed = with(
            base(),
            &["experiment", "variants"],
            json!([{"size": 0.5}, {"name": "b", "size": 0.5}]),
        );
        assert!(has(&unnamed, t, "variant-name-missing"));
    }
}
