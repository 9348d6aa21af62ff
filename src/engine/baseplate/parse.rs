//! `parse_experiment` (`spec/baseplate.md` §2.2–§2.7): one experiment config becomes a forced
//! variant, a legacy r2/feature_flag experiment or a simple experiment, or is invalid with the
//! exception Python would raise. The order of the checks is Python's, so the first failing rule
//! is the one reported.

use serde_json::{Map, Value};

use super::hash::Seed;
use super::py::{self, Num, Op, V};
use super::tree::Tree;
use super::{Invalid, PyError, Step};

/// A parsed experiment (the object `parse_experiment` returns), ready for many evaluations.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub(crate) kind: Kind,
    /// Why `enabled` is false after parsing: the config says so, or the window.
    pub(crate) off: Option<Off>,
    /// What parsing decided, as steps (type, window, enabled, global_override).
    pub(crate) notes: Vec<Step>,
    /// `time.time()` at parse; simple experiments also compare it on every call.
    pub(crate) now: f64,
}

/// Why a parsed experiment is not enabled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Off {
    /// `enabled` is falsy.
    Disabled,
    /// `now` is before `start_ts`.
    NotStarted,
    /// `now` is after `stop_ts` (the value, in seconds).
    Ended(f64),
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// `ForcedVariantExperiment`: always this value, never an event.
    Forced {
        value: Value,
        why: String,
        /// The value is the config's `global_override`.
        from_override: bool,
    },
    Legacy(Box<Legacy>),
    Simple(Box<Simple>),
}

/// The configured `bucket_val`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Key {
    Str(String),
    /// A list or dict: `bucket_val in kwargs` raises TypeError.
    Unhashable,
    /// Any other non-string (e.g. null): never found among input names.
    Other,
}

impl Key {
    pub(crate) fn of(v: Option<&Value>) -> Key {
        match v {
            None => Key::Str("user_id".into()),
            Some(Value::String(s)) => Key::Str(s.clone()),
            Some(Value::Array(_) | Value::Object(_)) => Key::Unhashable,
            Some(_) => Key::Other,
        }
    }
}

/// Sorted r2 variant names, each with `int(pct * k * 10.0)` or what computing it raises.
pub(crate) type R2Choice = Vec<(String, Result<f64, PyError>)>;

/// r2 / feature_flag (§2.4, §4.2).
#[derive(Debug, Clone)]
pub(crate) struct Legacy {
    pub(crate) ff: bool,
    pub(crate) name: Value,
    pub(crate) bucket_val: Key,
    pub(crate) seed: String,
    pub(crate) hasher: Seed,
    /// The raw `variants` value (override hits are tested with `in`).
    pub(crate) variants: Value,
    /// Sorted variant names and `int(pct * k * 10.0)` for each, or the exception choosing
    /// raises.
    pub(crate) choose: Result<R2Choice, PyError>,
    /// (param, allowed values) with case folding applied.
    pub(crate) targeting: Vec<(String, bool, Vec<Value>)>,
    pub(crate) overrides: Vec<(String, bool, Map<String, Value>)>,
    pub(crate) newer_than: Value,
}

/// The four simple types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VType {
    Single,
    Multi,
    Rollout,
    Range,
}

impl VType {
    pub(crate) fn name(self) -> &'static str {
        match self {
            VType::Single => "single_variant",
            VType::Multi => "multi_variant",
            VType::Rollout => "feature_rollout",
            VType::Range => "range_variant",
        }
    }
}

/// One way a bucket can be chosen: `lo <= bucket < hi` (absent bounds are open), tried in order.
#[derive(Debug, Clone)]
pub(crate) struct Arm {
    pub(crate) lo: Bound,
    pub(crate) hi: Bound,
    /// The entry's `name`; when absent, `variant["name"]` raises KeyError unless the set uses
    /// `.get("name")` (rollout).
    pub(crate) name: Option<Value>,
    pub(crate) name_required: bool,
}

/// single/multi/rollout/range (§2.5, §4.1).
#[derive(Debug, Clone)]
pub(crate) struct Simple {
    pub(crate) vtype: VType,
    pub(crate) name: Value,
    /// `enabled` after the parse-time window check.
    pub(crate) enabled: bool,
    /// Numeric whenever `enabled` (the parse-time comparisons succeeded).
    pub(crate) start: Num,
    pub(crate) stop: Num,
    /// `enabled` and `start_ts <= now < stop_ts` at the parse's `now`, the one every call of
    /// this parse is evaluated at (checked once here instead of on every call).
    pub(crate) live: bool,
    pub(crate) bucket_val: Key,
    pub(crate) seed: String,
    pub(crate) hasher: Seed,
    /// `num_buckets`; a non-number raises TypeError when a bucket is computed.
    pub(crate) n: Result<Num, PyError>,
    pub(crate) arms: Vec<Arm>,
    pub(crate) log_bucketing: bool,
    pub(crate) targeting: Tree,
    pub(crate) overrides: Vec<(String, Tree)>,
}

pub(crate) enum Ty {
    Legacy {
        ff: bool,
    },
    Simple(VType),
    /// Missing, falsy or unrecognised (the text, for messages).
    Unknown(String),
    /// A falsy list/dict: `type in {...}` raises TypeError.
    Unhashable,
}

fn inv(error: PyError, rule: &'static str, message: impl Into<String>) -> Invalid {
    Invalid {
        error,
        rule,
        message: message.into(),
    }
}

/// `type`, lower-cased (§2.2).
pub(crate) fn parse_type(v: Option<&Value>) -> Result<Ty, Invalid> {
    match v {
        None | Some(Value::Null) => Ok(Ty::Unknown("missing".into())),
        Some(Value::String(s)) => {
            let l = py::lower(s);
            Ok(match l.as_ref() {
                "r2" => Ty::Legacy { ff: false },
                "feature_flag" => Ty::Legacy { ff: true },
                "single_variant" => Ty::Simple(VType::Single),
                "multi_variant" => Ty::Simple(VType::Multi),
                "feature_rollout" => Ty::Simple(VType::Rollout),
                "range_variant" => Ty::Simple(VType::Range),
                _ => Ty::Unknown(format!("{s:?}")),
            })
        }
        Some(v @ (Value::Array(_) | Value::Object(_))) if !py::truthy(V::of(v)) => {
            Ok(Ty::Unhashable)
        }
        Some(v) if !py::truthy(V::of(v)) => Ok(Ty::Unknown(py::pystr(V::of(v)))),
        Some(v) => Err(inv(
            PyError::AttributeError,
            "type-not-string",
            format!("type must be a string, got {} (§2.2)", V::of(v).type_name()),
        )),
    }
}

/// `isinstance(id, int)` (bools pass).
pub(crate) fn check_id(v: Option<&Value>) -> Result<(), Invalid> {
    match v {
        Some(Value::Bool(_)) => Ok(()),
        Some(Value::Number(n)) if !n.is_f64() => Ok(()),
        Some(v) => Err(inv(
            PyError::TypeError,
            "id-not-int",
            format!(
                "id must be an integer, got {} {v} (§2.2)",
                V::of(v).type_name()
            ),
        )),
        None => Err(inv(
            PyError::TypeError,
            "id-not-int",
            "id is missing; it must be an integer (§2.2)",
        )),
    }
}

/// `start_ts`/`stop_ts`, or `now` and midnight UTC of `expires` when either is missing.
pub(crate) fn window(c: &Map<String, Value>, now: f64) -> Result<(Value, Value), Invalid> {
    let get = |k: &str| c.get(k).filter(|v| !v.is_null());
    match (get("start_ts"), get("stop_ts")) {
        (Some(a), Some(b)) => Ok((a.clone(), b.clone())),
        _ => match c.get("expires") {
            None => Err(inv(
                PyError::ValueError,
                "window-missing",
                "start_ts and/or stop_ts missing and no expires (§2.2)",
            )),
            Some(Value::String(s)) => match parse_date(s) {
                Some(days) => Ok((float(now), float(days as f64 * 86400.0))),
                None => Err(inv(
                    PyError::ValueError,
                    "expires-invalid",
                    format!("expires {s:?} does not match %Y-%m-%d (§2.2)"),
                )),
            },
            Some(v) => Err(inv(
                PyError::TypeError,
                "expires-invalid",
                format!(
                    "expires must be a string, got {} (§2.2)",
                    V::of(v).type_name()
                ),
            )),
        },
    }
}

fn float(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// `datetime.strptime(s, "%Y-%m-%d")` as days since 1970-01-01 (ASCII digits only; Python's
/// regex also takes other Unicode digits).
pub(crate) fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let dig = |i: usize| {
        b.get(i)
            .copied()
            .filter(u8::is_ascii_digit)
            .map(|c| i64::from(c - b'0'))
    };
    let year = (0..4).try_fold(0i64, |acc, i| dig(i).map(|d| acc * 10 + d))?;
    // The regex alternatives in order; the first that lets the whole pattern match wins, then
    // the rest of the string must be empty.
    let months = |at: usize| -> Vec<(i64, usize)> {
        let mut v = Vec::new();
        if let (Some(1), Some(d)) = (dig(at), dig(at + 1))
            && d <= 2
        {
            v.push((10 + d, at + 2));
        }
        if let (Some(0), Some(d)) = (dig(at), dig(at + 1))
            && d >= 1
        {
            v.push((d, at + 2));
        }
        if let Some(d) = dig(at)
            && d >= 1
        {
            v.push((d, at + 1));
        }
        v
    };
    let days = |at: usize| -> Option<(i64, usize)> {
        if let (Some(3), Some(d)) = (dig(at), dig(at + 1))
            && d <= 1
        {
            return Some((30 + d, at + 2));
        }
        if let (Some(t), Some(d)) = (dig(at), dig(at + 1))
            && (1..=2).contains(&t)
        {
            return Some((t * 10 + d, at + 2));
        }
        if let (Some(0), Some(d)) = (dig(at), dig(at + 1))
            && d >= 1
        {
            return Some((d, at + 2));
        }
        if let Some(d) = dig(at)
            && d >= 1
        {
            return Some((d, at + 1));
        }
        if b.get(at) == Some(&b' ')
            && let Some(d) = dig(at + 1)
            && d >= 1
        {
            return Some((d, at + 2));
        }
        None
    };
    if b.get(4) != Some(&b'-') {
        return None;
    }
    let (month, day, end) = months(5).into_iter().find_map(|(m, at)| {
        if b.get(at) != Some(&b'-') {
            return None;
        }
        days(at + 1).map(|(d, end)| (m, d, end))
    })?;
    if end != b.len() || year < 1 {
        return None;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let dim = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if day > dim[(month - 1) as usize] {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `parse_experiment(config)` with `time.time() == now` (§2.3).
pub fn parse(config: &Value, now: f64) -> Result<Parsed, Invalid> {
    let mut notes = Vec::new();
    let note = |notes: &mut Vec<Step>, step: &'static str, detail: String| {
        notes.push(Step { step, detail });
    };
    let Value::Object(c) = config else {
        return Err(inv(
            PyError::AttributeError,
            "config-not-object",
            format!(
                "the experiment config must be an object, got {} (§2.1)",
                V::of(config).type_name()
            ),
        ));
    };
    let ty = parse_type(c.get("type"))?;
    check_id(c.get("id"))?;
    let (start, stop) = window(c, now)?;
    let nowv = V::Float(now);
    let cmp_err = |which: &str, v: &Value| {
        inv(
            PyError::TypeError,
            "ts-not-number",
            format!(
                "{which} must be a number, got {} (§2.2)",
                V::of(v).type_name()
            ),
        )
    };
    let before =
        py::compare(nowv, V::of(&start), Op::Lt).map_err(|_| cmp_err("start_ts", &start))?;
    let after = !before
        && py::compare(nowv, V::of(&stop), Op::Gt).map_err(|_| cmp_err("stop_ts", &stop))?;
    let enabled_cfg = c.get("enabled").is_none_or(|v| py::truthy(V::of(v)));
    let mut enabled = enabled_cfg;
    if before {
        note(
            &mut notes,
            "window",
            format!(
                "now {} is before start_ts {}",
                py::float_repr(now),
                py::pystr(V::of(&start))
            ),
        );
        enabled = false;
    } else if after {
        note(
            &mut notes,
            "window",
            format!(
                "now {} is after stop_ts {}",
                py::float_repr(now),
                py::pystr(V::of(&stop))
            ),
        );
        enabled = false;
    } else {
        note(
            &mut notes,
            "window",
            format!(
                "start_ts {} <= now {} <= stop_ts {}",
                py::pystr(V::of(&start)),
                py::float_repr(now),
                py::pystr(V::of(&stop))
            ),
        );
    }
    let off = if !enabled_cfg {
        Some(Off::Disabled)
    } else if before {
        Some(Off::NotStarted)
    } else if after {
        Some(Off::Ended(
            Num::of(V::of(&stop)).map_or(f64::NAN, Num::to_f64),
        ))
    } else {
        None
    };
    if !enabled_cfg {
        note(
            &mut notes,
            "enabled",
            format!(
                "enabled is {} (falsy)",
                c.get("enabled")
                    .map_or_else(String::new, |v| py::pystr(V::of(v)))
            ),
        );
    }
    if !enabled {
        match ty {
            Ty::Legacy { ff } => {
                let why = format!(
                    "{} experiment is disabled: always None (global_override and overrides ignored)",
                    if ff { "feature_flag" } else { "r2" }
                );
                note(&mut notes, "enabled", why.clone());
                return Ok(Parsed {
                    kind: Kind::Forced {
                        value: Value::Null,
                        why,
                        from_override: false,
                    },
                    off,
                    notes,
                    now,
                });
            }
            Ty::Unhashable => {
                return Err(inv(
                    PyError::TypeError,
                    "type-unhashable",
                    "type is an empty list/object (unhashable) (§2.3)",
                ));
            }
            _ => {}
        }
    }
    let Some(exp) = c.get("experiment") else {
        return Err(inv(
            PyError::KeyError,
            "experiment-missing",
            "experiment is missing (§2.3)",
        ));
    };
    if let Some(g) = c.get("global_override") {
        let why = format!("global_override: always {}", py::pystr(V::of(g)));
        note(&mut notes, "global_override", why.clone());
        return Ok(Parsed {
            kind: Kind::Forced {
                value: g.clone(),
                why,
                from_override: true,
            },
            off,
            notes,
            now,
        });
    }
    let name = c.get("name").cloned().unwrap_or(Value::Null);
    let kind = match ty {
        Ty::Legacy { ff } => Kind::Legacy(Box::new(legacy(ff, name, exp)?)),
        Ty::Simple(vt) => {
            let id = c.get("id").cloned().unwrap_or(Value::Null);
            let (start, stop) = match (Num::of(V::of(&start)), Num::of(V::of(&stop))) {
                (Some(a), Some(b)) => (a, b),
                _ => (Num::I(0), Num::I(0)),
            };
            let mut s = simple(vt, &id, name, exp, enabled, start, stop)?;
            let nowv = Num::F(now);
            s.live = enabled
                && py::cmp_num(s.start, nowv).is_some_and(|o| o != std::cmp::Ordering::Greater)
                && py::cmp_num(nowv, s.stop) == Some(std::cmp::Ordering::Less);
            Kind::Simple(Box::new(s))
        }
        Ty::Unhashable => {
            return Err(inv(
                PyError::TypeError,
                "type-unhashable",
                "type is an empty list/object (unhashable) (§2.3)",
            ));
        }
        Ty::Unknown(t) => {
            let why = format!("unknown type {t}: always None");
            note(&mut notes, "type", why.clone());
            Kind::Forced {
                value: Value::Null,
                why,
                from_override: false,
            }
        }
    };
    Ok(Parsed {
        kind,
        off,
        notes,
        now,
    })
}

/// Python `dict(x or {})` of a JSON value, keys kept as values (later duplicates replace
/// earlier ones in place).
fn py_dict(v: Option<&Value>) -> Result<Vec<(Value, Value)>, PyError> {
    let Some(v) = v.filter(|v| py::truthy(V::of(v))) else {
        return Ok(Vec::new());
    };
    match v {
        Value::Object(m) => Ok(m
            .iter()
            .map(|(k, v)| (Value::String(k.clone()), v.clone()))
            .collect()),
        Value::Array(items) => {
            let mut out: Vec<(Value, Value)> = Vec::new();
            for it in items {
                let (k, v) = match it {
                    Value::Array(p) if p.len() == 2 => (p[0].clone(), p[1].clone()),
                    Value::String(s) if s.chars().count() == 2 => {
                        let mut cs = s.chars().map(|c| Value::String(c.to_string()));
                        (
                            cs.next().unwrap_or(Value::Null),
                            cs.next().unwrap_or(Value::Null),
                        )
                    }
                    Value::Object(m) if m.len() == 2 => {
                        let mut ks = m.keys().map(|k| Value::String(k.clone()));
                        (
                            ks.next().unwrap_or(Value::Null),
                            ks.next().unwrap_or(Value::Null),
                        )
                    }
                    Value::Array(_) | Value::String(_) | Value::Object(_) => {
                        return Err(PyError::ValueError);
                    }
                    _ => return Err(PyError::TypeError),
                };
                if !V::of(&k).hashable() {
                    return Err(PyError::TypeError);
                }
                match out.iter_mut().find(|(x, _)| py::eq(V::of(x), V::of(&k))) {
                    Some(e) => e.1 = v,
                    None => out.push((k, v)),
                }
            }
            Ok(out)
        }
        Value::String(_) => Err(PyError::ValueError),
        _ => Err(PyError::TypeError),
    }
}

/// `[p.lower() for p in d.pop("__case_sensitive__", [])]`.
fn pop_case_sensitive(d: &mut Vec<(Value, Value)>) -> Result<Vec<String>, PyError> {
    let Some(i) = d
        .iter()
        .position(|(k, _)| k.as_str() == Some("__case_sensitive__"))
    else {
        return Ok(Vec::new());
    };
    let (_, v) = d.remove(i);
    match v {
        Value::Array(items) => items
            .iter()
            .map(|x| match x {
                Value::String(s) => Ok(py::lower(s).into_owned()),
                _ => Err(PyError::AttributeError),
            })
            .collect(),
        Value::String(s) => Ok(s
            .chars()
            .map(|c| py::lower(&c.to_string()).into_owned())
            .collect()),
        Value::Object(m) => Ok(m.keys().map(|k| py::lower(k).into_owned()).collect()),
        _ => Err(PyError::TypeError),
    }
}

fn legacy(ff: bool, name: Value, exp: &Value) -> Result<Legacy, Invalid> {
    let what = if ff { "feature_flag" } else { "r2" };
    if ff {
        let Value::Object(e) = exp else {
            return Err(inv(
                PyError::AttributeError,
                "experiment-not-object",
                "experiment must be an object (§2.4)",
            ));
        };
        match e.get("variants") {
            None => {}
            Some(Value::Object(v)) => {
                if let Some(k) = v.keys().find(|k| *k != "active") {
                    return Err(inv(
                        PyError::AssertionError,
                        "feature_flag-variants",
                        format!("feature_flag variants may only be \"active\", got {k:?} (§2.4)"),
                    ));
                }
            }
            Some(v) => {
                return Err(inv(
                    PyError::AttributeError,
                    "feature_flag-variants",
                    format!(
                        "feature_flag variants must be an object, got {} (§2.4)",
                        V::of(v).type_name()
                    ),
                ));
            }
        }
    }
    let Value::Object(e) = exp else {
        return Err(inv(
            PyError::TypeError,
            "experiment-not-object",
            format!(
                "{what} experiment must be an object, got {} (§2.4)",
                V::of(exp).type_name()
            ),
        ));
    };
    let Some(variants) = e.get("variants") else {
        return Err(inv(
            PyError::KeyError,
            "variants-missing",
            format!("{what} experiment.variants is missing (§2.4)"),
        ));
    };
    let seed_v = e
        .get("seed")
        .filter(|s| py::truthy(V::of(s)))
        .unwrap_or(&name);
    let seed = py::pystr(V::of(seed_v));
    let bad = |e: PyError, rule: &'static str, what: &str| inv(e, rule, format!("{what} (§2.4)"));
    let dict = |field: &str, rule| {
        py_dict(e.get(field))
            .map_err(|x| bad(x, rule, &format!("{field} cannot be made into a dict")))
    };
    let case_sensitive = |d: &mut Vec<(Value, Value)>, field: &str, rule| {
        pop_case_sensitive(d).map_err(|x| {
            bad(
                x,
                rule,
                &format!("{field}.__case_sensitive__ must be a list of strings"),
            )
        })
    };
    // Python's order: both made into dicts, then overrides' case-sensitive list popped first.
    let mut t = dict("targeting", "targeting-invalid")?;
    let mut o = dict("overrides", "overrides-invalid")?;
    let cs_o = case_sensitive(&mut o, "overrides", "overrides-invalid")?;
    let cs_t = case_sensitive(&mut t, "targeting", "targeting-invalid")?;
    let targeting = legacy_params(t, &cs_t, &TARGETING, |value, cs| {
        let Value::Array(allowed) = value else {
            return None;
        };
        Some(
            allowed
                .into_iter()
                .map(|v| match v {
                    Value::String(s) if !cs => Value::String(py::lower(&s).into_owned()),
                    v => v,
                })
                .collect(),
        )
    })?;
    let overrides = legacy_params(o, &cs_o, &OVERRIDES, |value, cs| {
        let Value::Object(map) = value else {
            return None;
        };
        Some(
            map.into_iter()
                .map(|(k, v)| (if cs { k } else { py::lower(&k).into_owned() }, v))
                .collect(),
        )
    })?;
    Ok(Legacy {
        ff,
        hasher: Seed::new(&seed),
        seed,
        name,
        bucket_val: Key::of(e.get("bucket_val")),
        variants: variants.clone(),
        choose: r2_choose(variants),
        targeting,
        overrides,
        newer_than: e.get("newer_than").cloned().unwrap_or(Value::Null),
    })
}

/// What a legacy `targeting` or `overrides` parameter is called in its errors.
struct ParamsField {
    rule: &'static str,
    /// "targeting parameter names must be strings"
    unnamed: &'static str,
    /// `{field}.{param} must be {shape}`
    field: &'static str,
    shape: &'static str,
}

const TARGETING: ParamsField = ParamsField {
    rule: "targeting-invalid",
    unnamed: "targeting parameter names must be strings",
    field: "targeting",
    shape: "a list of allowed values",
};

const OVERRIDES: ParamsField = ParamsField {
    rule: "overrides-invalid",
    unnamed: "override parameter names must be strings",
    field: "overrides",
    shape: "an object of value -> variant",
};

/// The parameters of a legacy `targeting` or `overrides` dict (§2.4): each name lower-cased,
/// its value folded by `fold` (given whether the parameter is case sensitive; `None` when the
/// value has the wrong type); a parameter equal to an earlier one once lower-cased replaces it
/// in its place, as Python's dict assignment does.
fn legacy_params<T>(
    pairs: Vec<(Value, Value)>,
    case_sensitive: &[String],
    what: &ParamsField,
    fold: impl Fn(Value, bool) -> Option<T>,
) -> Result<Vec<(String, bool, T)>, Invalid> {
    let bad = |message: String| {
        inv(
            PyError::AssertionError,
            what.rule,
            format!("{message} (§2.4)"),
        )
    };
    let mut params: Vec<(String, bool, T)> = Vec::new();
    for (param, value) in pairs {
        let Value::String(p) = &param else {
            return Err(bad(what.unnamed.to_string()));
        };
        let key = py::lower(p).into_owned();
        let cs = case_sensitive.contains(&key);
        let Some(folded) = fold(value, cs) else {
            return Err(bad(format!("{}.{p} must be {}", what.field, what.shape)));
        };
        match params.iter_mut().find(|(k, _, _)| *k == key) {
            Some(x) => {
                x.1 = cs;
                x.2 = folded;
            }
            None => params.push((key, cs, folded)),
        }
    }
    Ok(params)
}

/// The r2 choice (§3.4) precomputed per sorted variant name: `int((pct * k) * 10.0)`.
fn r2_choose(variants: &Value) -> Result<R2Choice, PyError> {
    let k = V::of(variants).len()?;
    let Value::Object(m) = variants else {
        return Err(PyError::AttributeError);
    };
    if k == 0 {
        return Err(PyError::ZeroDivisionError);
    }
    let mut names: Vec<&String> = m.keys().collect();
    names.sort();
    Ok(names
        .into_iter()
        .map(|n| {
            let limit = match Num::of(V::of(&m[n])) {
                None => Err(PyError::TypeError),
                Some(Num::I(p)) => {
                    let pk = p.saturating_mul(k as i128) as f64;
                    py::int_of_float(pk * 10.0).map(|x| x as f64)
                }
                Some(Num::F(p)) => py::int_of_float(p * k as f64 * 10.0).map(|x| x as f64),
            };
            (n.clone(), limit)
        })
        .collect())
}

fn num_v(n: Num) -> Value {
    match n {
        Num::I(i) => i64::try_from(i).map_or_else(|_| float(i as f64), Value::from),
        Num::F(f) => float(f),
    }
}

/// `variants[i]` then `.get(...)`: list element; a dict has no key `i` (KeyError); a str
/// element has no `.get` (AttributeError).
fn entry(vs: &Value, i: usize) -> Result<&Map<String, Value>, PyError> {
    match vs {
        Value::Array(a) => match a.get(i) {
            Some(Value::Object(m)) => Ok(m),
            _ => Err(PyError::AttributeError),
        },
        Value::Object(_) => Err(PyError::KeyError),
        _ => Err(PyError::AttributeError),
    }
}

fn set_err(e: PyError, msg: &str) -> Invalid {
    inv(e, "variants-invalid", format!("{msg} (§2.5)"))
}

fn arm_name(m: &Map<String, Value>, required: bool) -> (Option<Value>, bool) {
    (m.get("name").cloned(), required)
}

/// A variant bound: `None` when open, else the bucket or the exception computing it raises.
type Bound = Option<Result<Num, PyError>>;
/// One variant object of a list (and the bucket total before it) to its bucket count and bounds.
type ListArm<'a> = dyn Fn(&Map<String, Value>, i128) -> Result<(i128, Bound, Bound), Invalid> + 'a;

/// The variant set of a simple experiment, validated as its constructor does (§2.5).
pub(crate) fn variant_set(vt: VType, vs: &Value, n: &Value) -> Result<Vec<Arm>, Invalid> {
    let nv = V::of(n);
    let te = |e: PyError| set_err(e, "variants are malformed");
    let sum_check = |total: i128| -> Result<(), Invalid> {
        match py::compare(V::Int(total), nv, Op::Gt) {
            Err(e) => Err(set_err(e, "num_buckets is not a number")),
            Ok(true) => Err(set_err(
                PyError::ValueError,
                &format!(
                    "variant sizes add up to {total} buckets, more than num_buckets {}",
                    py::pystr(nv)
                ),
            )),
            Ok(false) => Ok(()),
        }
    };
    let mul = |x: &Value| py::int_of_mul(V::of(x), nv).map(Num::I);
    // multi_variant and range_variant: a list of objects (else `not_list`), each adding its
    // buckets to a total that may not pass num_buckets. `arm` gives an object's bucket count
    // and its bounds, from the total before it.
    let list_arms = |not_list: PyError, arm: &ListArm| -> Result<Vec<Arm>, Invalid> {
        let not_list = || set_err(not_list, "variants must be a list of objects");
        let Value::Array(items) = vs else {
            return Err(not_list());
        };
        let mut total: i128 = 0;
        let mut arms = Vec::new();
        for it in items {
            let Value::Object(m) = it else {
                return Err(not_list());
            };
            let (b, lo, hi) = arm(m, total)?;
            total = total.saturating_add(b);
            let (name, name_required) = arm_name(m, true);
            arms.push(Arm {
                lo,
                hi,
                name,
                name_required,
            });
        }
        sum_check(total)?;
        Ok(arms)
    };
    match vt {
        VType::Single => {
            if vs.is_null() {
                return Err(set_err(PyError::ValueError, "No variants provided"));
            }
            let len = V::of(vs).len().map_err(te)?;
            if len != 2 {
                return Err(set_err(
                    PyError::ValueError,
                    &format!("single_variant needs exactly 2 variants, got {len}"),
                ));
            }
            let e0 = entry(vs, 0).map_err(te)?;
            let s0 = e0.get("size").filter(|v| !v.is_null());
            let e1 = if s0.is_some() {
                Some(entry(vs, 1).map_err(te)?)
            } else {
                None
            };
            let s1 = e1.and_then(|e| e.get("size")).filter(|v| !v.is_null());
            let (Some(s0), Some(s1), Some(e1)) = (s0, s1, e1) else {
                return Err(set_err(PyError::ValueError, "variant size not provided"));
            };
            let total = py::add_num(V::of(s0), V::of(s1))
                .map_err(|e| set_err(e, "variant sizes must be numbers"))?
                .ok_or_else(|| set_err(PyError::TypeError, "variant sizes must be numbers"))?;
            if py::cmp_num(total, Num::F(0.0)) == Some(std::cmp::Ordering::Less)
                || py::cmp_num(total, Num::F(1.0)) == Some(std::cmp::Ordering::Greater)
            {
                return Err(set_err(
                    PyError::ValueError,
                    &format!("single_variant sizes add up to {total}, not within 0..1"),
                ));
            }
            let (n0, r0) = arm_name(e0, true);
            let (n1, r1) = arm_name(e1, true);
            let lo1 = py::int_of_mul(V::of(s1), nv).and_then(|x| py::sub(nv, V::Int(x)));
            Ok(vec![
                Arm {
                    lo: None,
                    hi: Some(mul(s0)),
                    name: n0,
                    name_required: r0,
                },
                Arm {
                    lo: Some(lo1),
                    hi: None,
                    name: n1,
                    name_required: r1,
                },
            ])
        }
        VType::Multi => {
            if vs.is_null() {
                return Err(set_err(PyError::ValueError, "No variants provided"));
            }
            let len = V::of(vs).len().map_err(te)?;
            if len < 3 {
                return Err(set_err(
                    PyError::ValueError,
                    &format!("multi_variant needs at least 3 variants, got {len}"),
                ));
            }
            list_arms(PyError::AttributeError, &|m, total| {
                let Some(size) = m.get("size").filter(|v| !v.is_null()) else {
                    return Err(set_err(PyError::ValueError, "variant size not provided"));
                };
                let b = py::int_of_mul(V::of(size), nv)
                    .map_err(|e| set_err(e, "variant size times num_buckets is not a number"))?;
                Ok((b, None, Some(Ok(Num::I(total.saturating_add(b))))))
            })
        }
        VType::Rollout => {
            if vs.is_null() {
                return Err(set_err(PyError::ValueError, "No variants provided"));
            }
            let len = V::of(vs).len().map_err(te)?;
            if len != 1 {
                return Err(set_err(
                    PyError::ValueError,
                    &format!("feature_rollout needs exactly 1 variant, got {len}"),
                ));
            }
            let e0 = entry(vs, 0).map_err(te)?;
            let Some(size) = e0.get("size").filter(|v| !v.is_null()) else {
                return Err(set_err(
                    PyError::ValueError,
                    "variant size must be between 0 and 1 (missing)",
                ));
            };
            let sv = V::of(size);
            let lt = py::compare(sv, V::Float(0.0), Op::Lt)
                .map_err(|e| set_err(e, "variant size must be a number"))?;
            let gt = !lt
                && py::compare(sv, V::Float(1.0), Op::Gt)
                    .map_err(|e| set_err(e, "variant size must be a number"))?;
            if lt || gt {
                return Err(set_err(
                    PyError::ValueError,
                    &format!(
                        "variant size must be between 0 and 1, got {}",
                        py::pystr(sv)
                    ),
                ));
            }
            let (name, req) = arm_name(e0, false);
            Ok(vec![Arm {
                lo: None,
                hi: Some(mul(size)),
                name,
                name_required: req,
            }])
        }
        VType::Range => {
            if !py::truthy(V::of(vs)) {
                return Err(set_err(PyError::ValueError, "No variants provided"));
            }
            list_arms(PyError::TypeError, &|m, _| {
                let (Some(end), Some(start)) = (m.get("range_end"), m.get("range_start")) else {
                    return Err(set_err(
                        PyError::ValueError,
                        "variant range invalid (range_start/range_end missing)",
                    ));
                };
                let size = py::sub(V::of(end), V::of(start))
                    .map_err(|e| set_err(e, "range_start/range_end must be numbers"))?;
                let b = py::int_of_mul(V::of(&num_v(size)), nv)
                    .map_err(|e| set_err(e, "range size times num_buckets is not a number"))?;
                Ok((b, Some(mul(start)), Some(mul(end))))
            })
        }
    }
}

/// `_generate_overrides` (§2.7): a non-empty list of objects with at most one key.
pub(crate) fn overrides(cfg: Option<&Value>) -> Vec<(String, Tree)> {
    let Some(Value::Array(items)) = cfg else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for it in items {
        if let Value::Object(m) = it
            && m.len() <= 1
        {
            for (k, t) in m {
                out.push((k.clone(), Tree::from_config(Some(t))));
            }
        }
    }
    out
}

fn simple(
    vt: VType,
    id: &Value,
    name: Value,
    exp: &Value,
    enabled: bool,
    start: Num,
    stop: Num,
) -> Result<Simple, Invalid> {
    let Value::Object(e) = exp else {
        return Err(inv(
            PyError::AttributeError,
            "experiment-not-object",
            format!(
                "experiment must be an object, got {} (§2.5)",
                V::of(exp).type_name()
            ),
        ));
    };
    let bucket_val = Key::of(e.get("bucket_val"));
    let Some(version) = e.get("experiment_version") else {
        return Err(inv(
            PyError::KeyError,
            "experiment_version-missing",
            "experiment_version is missing; it must be a non-zero integer (§2.5)",
        ));
    };
    let shuffle = e.get("shuffle_version").unwrap_or(&Value::Null);
    let thousand = Value::from(1000);
    let n = e.get("num_buckets").unwrap_or(&thousand);
    let empty = Value::Array(Vec::new());
    let vs = e.get("variants").unwrap_or(&empty);
    let arms = variant_set(vt, vs, n)?;
    let log_bucketing = e.get("log_bucketing").is_none_or(|v| py::truthy(V::of(v)));
    let bucket_seed = e.get("bucket_seed").filter(|v| py::truthy(V::of(v)));
    let targeting = Tree::from_config(e.get("targeting"));
    let overrides = overrides(e.get("overrides").filter(|v| py::truthy(V::of(v))));
    if !py::truthy(V::of(version)) {
        return Err(inv(
            PyError::ValueError,
            "experiment_version-zero",
            format!(
                "experiment_version must be a non-zero integer, got {} (§2.5)",
                py::pystr(V::of(version))
            ),
        ));
    }
    let seed = match bucket_seed {
        Some(s) => py::pystr(V::of(s)),
        None => format!(
            "{}.{}.{}",
            py::pystr(V::of(id)),
            py::pystr(V::of(&name)),
            py::pystr(V::of(shuffle))
        ),
    };
    Ok(Simple {
        vtype: vt,
        name,
        enabled,
        start,
        stop,
        live: false,
        bucket_val,
        hasher: Seed::new(&seed),
        seed,
        n: Num::of(V::of(n)).ok_or(PyError::TypeError),
        arms,
        log_bucketing,
        targeting,
        overrides,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strptime_dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2100-01-01"), Some(47482));
        assert_eq!(parse_date("2019-01-01"), Some(17897));
        assert_eq!(parse_date("2020-1-5"), Some(18266));
        assert_eq!(parse_date("2020-02-29"), Some(18321));
        assert_eq!(parse_date("2019-02-29"), None);
        assert_eq!(parse_date("2020-01-011"), None);
        assert_eq!(parse_date("2020-13-01"), None);
        assert_eq!(parse_date("0000-01-01"), None);
        assert_eq!(parse_date("2020-01- 5"), Some(18266));
        assert_eq!(parse_date("20-01-01"), None);
    }
}
