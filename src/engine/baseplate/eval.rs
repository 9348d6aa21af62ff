//! `Experiment.variant(**inputs)` of each provider (§4) and the client's event rule (§5), as one
//! code path for `evaluate` (with steps) and bulk evaluation (without).

use serde_json::Value;

use super::args::Call;
use super::hash;
use super::parse::{Key, Kind, Legacy, Parsed, Simple};
use super::py::{self, Num, Op, V};
use super::{PyError, Step};

/// Collects steps and the reason, or nothing (bulk).
pub(crate) trait Trace {
    const ON: bool;
    fn push(&mut self, step: &'static str, detail: String);
    fn reason(&mut self, reason: String);
}

/// Formats a step only when the trace keeps it.
#[inline]
fn note<T: Trace>(t: &mut T, step: &'static str, detail: impl FnOnce() -> String) {
    if T::ON {
        t.push(step, detail());
    }
}

#[inline]
fn decide<T: Trace>(t: &mut T, reason: impl FnOnce() -> String) {
    if T::ON {
        t.reason(reason());
    }
}

pub(crate) struct NoTrace;

impl Trace for NoTrace {
    const ON: bool = false;
    fn push(&mut self, _: &'static str, _: String) {}
    fn reason(&mut self, _: String) {}
}

#[derive(Default)]
pub(crate) struct Steps {
    pub(crate) steps: Vec<Step>,
    pub(crate) reason: String,
}

impl Trace for Steps {
    const ON: bool = true;
    fn push(&mut self, step: &'static str, detail: String) {
        self.steps.push(Step { step, detail });
    }
    fn reason(&mut self, reason: String) {
        self.reason = reason;
    }
}

/// What `variant()` returned, borrowed from the parsed config.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Out<'p> {
    None,
    Name(&'p str),
    /// A non-string, non-null value (global_override, a variant `name` that is not a string).
    Raw(&'p Value),
}

impl<'p> Out<'p> {
    fn of(v: &'p Value) -> Out<'p> {
        match v {
            Value::Null => Out::None,
            Value::String(s) => Out::Name(s),
            v => Out::Raw(v),
        }
    }
    pub(crate) fn to_value(self) -> Value {
        match self {
            Out::None => Value::Null,
            Out::Name(s) => Value::String(s.to_string()),
            Out::Raw(v) => v.clone(),
        }
    }
    fn text(self) -> String {
        match self {
            Out::None => "None".into(),
            Out::Name(s) => format!("{s:?}"),
            Out::Raw(v) => py::pystr(V::of(v)),
        }
    }
}

/// One client call's result.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Res<'p> {
    pub(crate) out: Out<'p>,
    pub(crate) bucket: Option<Num>,
    pub(crate) event: bool,
    pub(crate) raises: Option<PyError>,
}

/// `Experiments.variant(key, **inputs)` on a fresh client for a parsed experiment (§5).
///
/// `pre`, when given, is the SHA-1 of the experiment's seed followed by `line`, hashed
/// beforehand with other lines ([`super::Bulk::hash_many`]); it stands for the hash when the
/// bucket value is the line itself.
pub(crate) fn call<'p, T: Trace>(
    p: &'p Parsed,
    c: &Call<'_>,
    line: &str,
    pre: Option<&[u8; 20]>,
    t: &mut T,
) -> Res<'p> {
    let mut r = Res {
        out: Out::None,
        bucket: None,
        event: false,
        raises: None,
    };
    if c.dup_name {
        note(t, "call", || "experiment_name given twice".into());
        decide(t, || {
            "TypeError: variant() got multiple values for experiment_name".into()
        });
        r.raises = Some(PyError::TypeError);
        return r;
    }
    if c.user_raises(line) {
        note(t, "call", || {
            "user= is not an edge-context User: user.event_fields() fails".into()
        });
        decide(t, || {
            "AttributeError: the user input has no event_fields()".into()
        });
        r.raises = Some(PyError::AttributeError);
        return r;
    }
    let log = match &p.kind {
        Kind::Forced { value, why, .. } => {
            r.out = Out::of(value);
            decide(t, || why.clone());
            false
        }
        Kind::Legacy(l) => {
            legacy(l, c, line, pre, t, &mut r);
            !l.ff
        }
        Kind::Simple(s) => {
            simple(s, c, line, pre, t, &mut r);
            s.log_bucketing
        }
    };
    if r.raises.is_some() {
        r.out = Out::None;
        return r;
    }
    // get_unique_id: name:bucket_val:str(value) when kwargs.get(bucket_val) is truthy.
    let (bucket_val, name) = match &p.kind {
        Kind::Forced { .. } => return r,
        Kind::Legacy(l) => (&l.bucket_val, &l.name),
        Kind::Simple(s) => (&s.bucket_val, &s.name),
    };
    let uid = match bucket_val {
        Key::Unhashable => {
            note(t, "event", || {
                "bucket_val is a list/object: kwargs.get() raises".into()
            });
            decide(t, || "TypeError: bucket_val is unhashable".into());
            r.raises = Some(PyError::TypeError);
            r.out = Out::None;
            return r;
        }
        Key::Other => false,
        Key::Str(b) => match c.args.get(b, line) {
            Some(v) if py::truthy(v) => {
                if !name.is_string() {
                    note(t, "event", || {
                        "the experiment has no string name: get_unique_id's join raises".into()
                    });
                    decide(t, || {
                        "TypeError: name is missing, so the bucketing id cannot be built".into()
                    });
                    r.raises = Some(PyError::TypeError);
                    r.out = Out::None;
                    return r;
                }
                true
            }
            _ => false,
        },
    };
    r.event = uid && !matches!(r.out, Out::None) && !c.no_log && log;
    note(t, "event", || {
        if r.event {
            "a bucketing event is logged".into()
        } else if matches!(r.out, Out::None) {
            "no event: no variant".into()
        } else if !uid {
            format!(
                "no event: input {} (as spelled in the config) is missing or falsy",
                match bucket_val {
                    Key::Str(b) => b.as_str(),
                    _ => "bucket_val",
                }
            )
        } else if c.no_log {
            "no event: bucketing_event_override is False".into()
        } else {
            "no event: this experiment does not log bucketing".into()
        }
    });
    r
}

/// The values of an r2 input: a list's elements, or the value itself.
enum Items<'s> {
    One(Option<V<'s>>),
    Many(std::slice::Iter<'s, Value>),
}

impl<'s> Items<'s> {
    fn of(v: V<'s>) -> Items<'s> {
        match v {
            V::List(xs) => Items::Many(xs.iter()),
            v => Items::One(Some(v)),
        }
    }
}

impl<'s> Iterator for Items<'s> {
    type Item = V<'s>;
    fn next(&mut self) -> Option<V<'s>> {
        match self {
            Items::One(o) => o.take(),
            Items::Many(it) => it.next().map(V::of),
        }
    }
}

/// The bucket value's text as `str()` gives it, without allocating for strings.
fn with_text<R>(v: V<'_>, f: impl FnOnce(&[u8]) -> R) -> R {
    match v {
        V::Str(s) => f(s.as_bytes()),
        v => f(py::pystr(v).as_bytes()),
    }
}

/// The bucket value's digest under `h`: `pre` when the value is the line itself, else hashed.
fn digest(h: &hash::Seed, bv: V<'_>, line: &str, pre: Option<&[u8; 20]>) -> [u8; 20] {
    match (bv, pre) {
        (V::Str(s), Some(d)) if std::ptr::eq(s, line) => *d,
        (bv, _) => with_text(bv, |b| h.digest(b)),
    }
}

fn legacy<'p, T: Trace>(
    l: &'p Legacy,
    c: &Call<'_>,
    line: &str,
    pre: Option<&[u8; 20]>,
    t: &mut T,
    r: &mut Res<'p>,
) {
    let a = &c.args;
    // Overrides, before the bucket value is required.
    let mut hit: Option<&'p Value> = None;
    'params: for (param, cs, map) in &l.overrides {
        let Some(v) = a.get_lower(param, line) else {
            continue;
        };
        for x in Items::of(v) {
            match x {
                V::Str(s) => {
                    let k = if *cs { s.into() } else { py::lower(s) };
                    if let Some(h) = map.get(k.as_ref()).filter(|h| !h.is_null()) {
                        note(t, "overrides", || {
                            format!("{param}={s:?} maps to {}", py::pystr(V::of(h)))
                        });
                        hit = Some(h);
                        break 'params;
                    }
                }
                V::List(_) | V::Dict(_) => {
                    note(t, "overrides", || {
                        format!("input {param} holds a list/object: dict lookup raises")
                    });
                    decide(t, || {
                        format!("TypeError: unhashable value in override input {param}")
                    });
                    r.raises = Some(PyError::TypeError);
                    return;
                }
                _ => {}
            }
        }
    }
    if let Some(h) = hit {
        match py::contains(V::of(&l.variants), V::of(h)) {
            Err(e) => {
                decide(t, || {
                    format!("{}: testing the override value against variants", e.name())
                });
                r.raises = Some(e);
                return;
            }
            Ok(true) => {
                r.out = Out::of(h);
                decide(t, || format!("override forces {}", r.out.text()));
                return;
            }
            Ok(false) => note(t, "overrides", || {
                format!(
                    "{} is not one of the variants: override ignored",
                    py::pystr(V::of(h))
                )
            }),
        }
    } else if T::ON && !l.overrides.is_empty() {
        t.push("overrides", "no override matches".into());
    }
    let Some(bv) = bucket_value(&l.bucket_val, c, line, t, r) else {
        return;
    };
    // Targeting: any param, any value.
    let mut on = false;
    'targets: for (param, cs, allowed) in &l.targeting {
        let Some(v) = a.get_lower(param, line) else {
            continue;
        };
        for x in Items::of(v) {
            let low;
            let fx = match x {
                V::Str(s) if !*cs => {
                    low = py::lower(s);
                    V::Str(&low)
                }
                x => x,
            };
            if allowed.iter().any(|a| py::eq(fx, V::of(a))) {
                if param == "logged_in" && py::truthy(V::of(&l.newer_than)) {
                    let uc = a.get_lower("user_created", line).unwrap_or(V::Null);
                    if py::truthy(uc) {
                        match py::compare(uc, V::of(&l.newer_than), Op::Gt) {
                            Err(e) => {
                                decide(t, || format!("{}: user_created > newer_than", e.name()));
                                r.raises = Some(e);
                                return;
                            }
                            Ok(true) => {
                                note(t, "targeting", || {
                                    format!(
                                        "{param} matches and user_created is newer than newer_than"
                                    )
                                });
                                on = true;
                                break 'targets;
                            }
                            Ok(false) => {}
                        }
                    }
                    note(t, "targeting", || {
                        format!("{param} matches but user_created is not newer than newer_than")
                    });
                } else {
                    note(t, "targeting", || {
                        format!("{param}={} is allowed", py::pystr(x))
                    });
                    on = true;
                    break 'targets;
                }
            }
        }
    }
    if !on {
        note(t, "targeting", || {
            if l.targeting.is_empty() {
                "no targeting: nobody is bucketed".into()
            } else {
                "no targeting parameter matches".into()
            }
        });
        decide(t, || "not targeted".into());
        return;
    }
    let d = digest(&l.hasher, bv, line, pre);
    let b = hash::mod_u64(&d, 1000);
    r.bucket = Some(Num::I(i128::from(b)));
    note(t, "bucket", || {
        format!("sha1({:?} ++ {:?}) mod 1000 = {b}", l.seed, py::pystr(bv))
    });
    match &l.choose {
        Err(e) => {
            decide(t, || {
                format!("{}: variants cannot be chosen from", e.name())
            });
            r.raises = Some(*e);
        }
        Ok(names) => {
            let k = names.len();
            let (cand, limit) = &names[b as usize % k];
            match limit {
                Err(e) => {
                    decide(t, || {
                        format!(
                            "{}: percentage of {cand:?} is not a usable number",
                            e.name()
                        )
                    });
                    r.raises = Some(*e);
                }
                Ok(lim) => {
                    let yes = (b as f64) < *lim;
                    note(t, "variant set", || {
                        format!(
                            "bucket {b} % {k} picks {cand:?}; limit int(pct*{k}*10) = {lim}: {}",
                            if yes { "in" } else { "out" }
                        )
                    });
                    if yes {
                        r.out = Out::Name(cand);
                        decide(t, || format!("bucket {b} -> {cand:?}"));
                    } else {
                        decide(t, || format!("bucket {b} is outside {cand:?}'s share"));
                    }
                }
            }
        }
    }
}

/// `lower_kwargs[bucket_val]`, or why there is none (then `variant()` returns None or raises).
fn bucket_value<'a, T: Trace>(
    key: &Key,
    c: &'a Call<'_>,
    line: &'a str,
    t: &mut T,
    r: &mut Res<'_>,
) -> Option<V<'a>> {
    match key {
        Key::Unhashable => {
            decide(t, || "TypeError: bucket_val is a list/object".into());
            r.raises = Some(PyError::TypeError);
            None
        }
        Key::Other => {
            note(t, "bucket value", || {
                "bucket_val is not a string: never among the inputs".into()
            });
            decide(t, || "no bucket value".into());
            None
        }
        Key::Str(b) => match c.args.get_lower(b, line) {
            None => {
                note(t, "bucket value", || {
                    format!("input {b} is missing (names compared lower-cased)")
                });
                decide(t, || format!("no {b} input"));
                None
            }
            Some(V::Null) => {
                note(t, "bucket value", || format!("input {b} is null"));
                decide(t, || format!("{b} is null"));
                None
            }
            Some(v) => {
                note(t, "bucket value", || format!("{b} = {}", py::pystr(v)));
                Some(v)
            }
        },
    }
}

fn simple<'p, T: Trace>(
    s: &'p Simple,
    c: &Call<'_>,
    line: &str,
    pre: Option<&[u8; 20]>,
    t: &mut T,
    r: &mut Res<'p>,
) {
    if !s.live {
        note(t, "enabled", || {
            if s.enabled {
                format!("now is outside [start_ts {}, stop_ts {})", s.start, s.stop)
            } else {
                "experiment disabled (enabled falsy or outside its window at parse)".into()
            }
        });
        decide(t, || "disabled: always None".into());
        return;
    }
    let Some(bv) = bucket_value(&s.bucket_val, c, line, t, r) else {
        return;
    };
    for (name, tree) in &s.overrides {
        match tree.eval(&c.args, line) {
            Err(e) => {
                decide(t, || {
                    format!(
                        "{}: override tree for {name:?} compares incomparable values",
                        e.name()
                    )
                });
                r.raises = Some(e);
                return;
            }
            Ok(true) if !name.is_empty() => {
                note(t, "overrides", || format!("override {name:?} matches"));
                r.out = Out::Name(name);
                decide(t, || format!("override forces {name:?}"));
                return;
            }
            Ok(true) => {
                note(t, "overrides", || {
                    "override \"\" matches: no variant forced, later overrides skipped".into()
                });
                break;
            }
            Ok(false) => {}
        }
    }
    match s.targeting.eval(&c.args, line) {
        Err(e) => {
            decide(t, || {
                format!("{}: targeting compares incomparable values", e.name())
            });
            r.raises = Some(e);
            return;
        }
        Ok(false) => {
            note(t, "targeting", || match &s.targeting.error {
                Some(err) => format!("invalid targeting tree ({err}): targets no one"),
                None => "targeting tree is false".into(),
            });
            decide(t, || "not targeted".into());
            return;
        }
        Ok(true) => note(t, "targeting", || "targeted".into()),
    }
    let d = digest(&s.hasher, bv, line, pre);
    let bucket = match s.n.and_then(|n| hash::mod_num(&d, n)) {
        Ok(b) => b,
        Err(e) => {
            decide(t, || format!("{}: hash mod num_buckets", e.name()));
            r.raises = Some(e);
            return;
        }
    };
    r.bucket = Some(bucket);
    note(t, "bucket", || {
        format!(
            "sha1({:?} ++ {:?}) mod {} = {bucket}",
            s.seed,
            py::pystr(bv),
            s.n.map_or_else(|_| "?".into(), |n| n.to_string())
        )
    });
    match pick(s, bucket) {
        Err(e) => {
            decide(t, || format!("{}: int(size * num_buckets)", e.name()));
            r.raises = Some(e);
        }
        Ok(Some((i, lo, hi))) => {
            let arm = &s.arms[i];
            note(t, "variant set", || {
                format!(
                    "{}: bucket {bucket} is in variant #{i} [{}, {})",
                    s.vtype.name(),
                    lo.map_or_else(|| "..".into(), |x| x.to_string()),
                    hi.map_or_else(|| "..".into(), |x| x.to_string())
                )
            });
            match &arm.name {
                Some(v) => {
                    r.out = Out::of(v);
                    decide(t, || format!("bucket {bucket} -> {}", r.out.text()));
                }
                None if arm.name_required => {
                    decide(t, || format!("KeyError: variant #{i} has no name"));
                    r.raises = Some(PyError::KeyError);
                }
                None => decide(t, || {
                    format!("bucket {bucket} -> variant without a name (None)")
                }),
            }
        }
        Ok(None) => {
            note(t, "variant set", || {
                format!("{}: bucket {bucket} is in no variant", s.vtype.name())
            });
            decide(t, || format!("bucket {bucket} is in no variant"));
        }
    }
}

/// An arm index with its bounds.
pub(crate) type Hit = (usize, Option<Num>, Option<Num>);

/// The variant set's choice for a bucket: the first arm containing it, with its bounds.
pub(crate) fn pick(s: &Simple, bucket: Num) -> Result<Option<Hit>, PyError> {
    use std::cmp::Ordering::*;
    for (i, arm) in s.arms.iter().enumerate() {
        let lo = arm.lo.transpose()?;
        let hi = arm.hi.transpose()?;
        let ok_lo = lo.is_none_or(|lo| py::cmp_num(lo, bucket).is_some_and(|o| o != Greater));
        let ok_hi = hi.is_none_or(|hi| py::cmp_num(bucket, hi) == Some(Less));
        if ok_lo && ok_hi {
            return Ok(Some((i, lo, hi)));
        }
    }
    Ok(None)
}
