//! `wafflectl stale [--days N] [--now T] [--refs PATH...] [--fail-on WHAT]`: settled toggles that
//! have not changed for N days, orphaned overrides and bucket flags, and (with `--refs`) a
//! removal plan. Definitions in `docs/removal.md`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::refs::{self, RefsReport};
use super::removal::{Inventory, bucket_parts, check_fail_on, now_arg};
use crate::cli::{FailOn, StaleArgs};
use crate::context::Ctx;
use crate::engine::baseplate::{self as bp, Settled};
use crate::engine::overrides::Choice;
use crate::engine::settled::{self, ExperimentWhy};
use crate::engine::stale::{self, OrphanBucket, Source};
use crate::error::Result;
use crate::output::{self, Format, Table};
use crate::scan::{Reference, ToggleKind};
use crate::store::edx::{self, OverrideRow, Scope};
use crate::store::load::rule_of;
use crate::store::toggles::Flag;
use crate::time;

/// When an object last changed, as `--json` shows it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Changed {
    #[serde(serialize_with = "ser_at")]
    pub(crate) at: DateTime<Utc>,
    /// `audit log`, `modified column` or `override change_date`.
    pub(crate) source: Source,
    /// What changed, when it is not the toggle's own row (`flag x.1`, `course override x@c`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) object: Option<String>,
}

impl From<stale::Changed> for Changed {
    fn from(c: stale::Changed) -> Self {
        Changed {
            at: c.at,
            source: c.source,
            object: c.object,
        }
    }
}

fn ser_at<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&time::to_json(t))
}

/// The newest change record, the stored text read as the store writes datetimes.
#[derive(Debug, Default, Clone)]
struct Newest(stale::Newest);

impl Newest {
    fn offer(&mut self, stored: &str, source: Source, object: Option<String>) {
        self.0.offer(time::parse_db(stored), source, object);
    }
    fn take(&mut self, other: &Newest) {
        self.0.take(&other.0);
    }
    fn since(&self) -> Option<Changed> {
        self.0.0.clone().map(Changed::from)
    }
}

/// One line of `stale`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StaleFinding {
    /// `stale` or `orphan`.
    pub(crate) finding: &'static str,
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) name: String,
    /// What it always decides: `on`, `off`, `bucket 2`, `variant "x"`, `no variant`...
    pub(crate) decides: String,
    /// Why.
    pub(crate) why: String,
    /// The value code should keep when the toggle goes.
    pub(crate) keep: String,
    /// Since when (the newest change), when known.
    pub(crate) since: Option<Changed>,
    /// The commands to run once the code no longer names it.
    pub(crate) next: Vec<String>,
    /// With `--refs`: the places in code to change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) references: Option<Vec<Reference>>,
    /// With `--refs`: why `next` offers no command (the code may still read it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) held_back: Option<Held>,
}

/// Why a removal plan offers no command yet.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Held {
    /// `code reads it`, `name built at run time`, `kind mismatch` or `documentation mismatch`.
    pub(crate) reason: &'static str,
    pub(crate) detail: String,
}

/// What `stale` found.
#[derive(Debug, Serialize)]
pub(crate) struct Report {
    #[serde(serialize_with = "ser_at")]
    pub(crate) now: DateTime<Utc>,
    pub(crate) days: u32,
    pub(crate) stale: Vec<StaleFinding>,
    pub(crate) orphans: Vec<StaleFinding>,
    /// Settled toggles that changed within the last `days` (not listed).
    pub(crate) settled_recently: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) refs: Option<RefsReport>,
}

fn override_flag(o: &OverrideRow) -> String {
    let opt = match o.scope {
        Scope::Course => "--course",
        Scope::Org => "--org",
    };
    format!("wafflectl override clear {} {opt} {}", o.flag, o.key)
}

fn on_off(v: bool) -> &'static str {
    if v { "on" } else { "off" }
}

/// Computes the report (without references).
pub(crate) fn report(inv: &Inventory, now: DateTime<Utc>, days: u32) -> Report {
    // newest change of each flag name: its audit rows, `modified`, its overrides (rows + audit)
    let mut flag_changed: HashMap<&str, Newest> = HashMap::new();
    for f in &inv.flags {
        let n = flag_changed.entry(f.name.as_str()).or_default();
        n.offer(&f.modified, Source::Modified, None);
    }
    for o in &inv.overrides {
        flag_changed.entry(o.flag.as_str()).or_default().offer(
            &o.change_date,
            Source::OverrideRow,
            Some(format!(
                "{} override {}@{}",
                o.scope.as_str(),
                o.flag,
                o.key
            )),
        );
    }
    for ((kind, name), at) in &inv.audit {
        match kind.as_str() {
            "flag" => {
                if let Some(n) = flag_changed.get_mut(name.as_str()) {
                    n.offer(at, Source::AuditLog, None);
                }
            }
            "course override" | "org override" => {
                if let Some((flag, _)) = name.rsplit_once('@')
                    && let Some(n) = flag_changed.get_mut(flag)
                {
                    n.offer(at, Source::AuditLog, Some(format!("{kind} {name}")));
                }
            }
            _ => {}
        }
    }
    let audit = |kind: &str, name: &str| inv.audit.get(&(kind.to_string(), name.to_string()));
    let current = inv.current_overrides();
    let mut in_force: HashMap<&str, Vec<&OverrideRow>> = HashMap::new();
    for o in &current {
        if o.effective().is_some() {
            in_force.entry(o.flag.as_str()).or_default().push(o);
        }
    }
    let choices = |flag: &str| -> Vec<Option<Choice>> {
        in_force
            .get(flag)
            .map(|v| v.iter().map(|o| o.effective()).collect())
            .unwrap_or_default()
    };
    let clears = |flag: &str| -> Vec<String> {
        in_force
            .get(flag)
            .map(|v| v.iter().map(|o| override_flag(o)).collect())
            .unwrap_or_default()
    };
    let flags: HashMap<&str, &Flag> = inv.flags.iter().map(|f| (f.name.as_str(), f)).collect();
    let experiments: HashMap<&str, &edx::ExperimentRow> = inv
        .experiments
        .iter()
        .map(|e| (e.name.as_str(), e))
        .collect();
    let course_flag = |name: &str| {
        let rule = flags.get(name).map(|f| rule_of(f));
        settled::course_flag(rule.as_ref(), &choices(name))
    };

    let mut stale = Vec::new();
    let mut orphans = Vec::new();
    let mut recent = 0usize;
    let mut push = |f: StaleFinding, stale: &mut Vec<StaleFinding>| {
        if stale::is_stale(f.since.as_ref().map(|c| c.at), now, days) {
            stale.push(f);
        } else {
            recent += 1;
        }
    };

    // flags (not the main or bucket flags of an experiment, nor orphaned bucket flags)
    for f in &inv.flags {
        if experiments.contains_key(f.name.as_str())
            || bucket_parts(&f.name).is_some_and(|(e, _)| {
                experiments.contains_key(e) || audit("experiment", e).is_some()
            })
        {
            continue;
        }
        let Some((v, why)) = course_flag(&f.name) else {
            continue;
        };
        let mut why = why.text(v).to_string();
        if in_force.contains_key(f.name.as_str()) {
            why.push_str(&format!("; its overrides are {} too", on_off(v)));
        }
        let mut next = clears(&f.name);
        next.push(format!("wafflectl flag delete {}", f.name));
        push(
            StaleFinding {
                finding: "stale",
                kind: "flag",
                name: f.name.clone(),
                decides: on_off(v).into(),
                why,
                keep: format!("the code path for {}", on_off(v)),
                since: flag_changed.get(f.name.as_str()).and_then(Newest::since),
                next,
                references: None,
                held_back: None,
            },
            &mut stale,
        );
    }

    // A switch or sample that always decides `v`: stale since it was last changed.
    let settled_toggle = |kind: &'static str, name: &str, modified: &str, v: bool, why: String| {
        let mut n = Newest::default();
        n.offer(modified, Source::Modified, None);
        if let Some(at) = audit(kind, name) {
            n.offer(at, Source::AuditLog, None);
        }
        StaleFinding {
            finding: "stale",
            kind,
            name: name.to_string(),
            decides: on_off(v).into(),
            why,
            keep: format!("the code path for {}", on_off(v)),
            since: n.since(),
            next: vec![format!("wafflectl {kind} delete {name}")],
            references: None,
            held_back: None,
        }
    };
    for s in &inv.switches {
        let why = format!("active = {}", if s.active { "true" } else { "false" });
        let f = settled_toggle("switch", &s.name, &s.modified, s.active, why);
        push(f, &mut stale);
    }

    for s in &inv.samples {
        let Some(v) = settled::sample(s.percent.0) else {
            continue;
        };
        let why = format!("percent = {}", s.percent);
        let f = settled_toggle("sample", &s.name, &s.modified, v, why);
        push(f, &mut stale);
    }

    // edX experiments
    for e in &inv.experiments {
        let num = u32::try_from(e.num_buckets.max(0)).unwrap_or(u32::MAX);
        let prefix = format!("{}.", e.name);
        let mut bucket_names: Vec<(u32, &str)> = inv
            .flags
            .iter()
            .map(|f| f.name.as_str())
            .chain(inv.overrides.iter().map(|o| o.flag.as_str()))
            .filter(|n| n.starts_with(&prefix))
            .filter_map(|n| {
                bucket_parts(n)
                    .filter(|(b, i)| *b == e.name && *i < num)
                    .map(|(_, i)| (i, n))
            })
            .collect();
        bucket_names.sort();
        bucket_names.dedup();
        let buckets: Vec<(u32, Option<bool>)> = bucket_names
            .iter()
            .map(|(i, n)| (*i, course_flag(n).map(|(v, _)| v)))
            .collect();
        let window = e.experiment_id.is_some_and(|id| {
            inv.key_values
                .iter()
                .any(|kv| kv.experiment_id == id && stale::sets_window(&kv.key, &kv.value))
        });
        let main = course_flag(&e.name);
        let Some((bucket, how)) = settled::experiment(main.map(|(v, _)| v), &buckets, num, window)
        else {
            continue;
        };
        let why = match how {
            ExperimentWhy::MainOff => format!(
                "main flag {} is off ({})",
                e.name,
                main.map(|(v, w)| w.text(v)).unwrap_or("")
            ),
            ExperimentWhy::Forced(i) => {
                format!(
                    "main flag on; bucket flag {}.{i} is on for everyone",
                    e.name
                )
            }
            ExperimentWhy::OneBucket => "main flag on; the experiment has one bucket".into(),
        };
        let mut n = Newest::default();
        n.offer(&e.modified, Source::Modified, None);
        if let Some(at) = audit("experiment", &e.name) {
            n.offer(at, Source::AuditLog, None);
        }
        let mut next = Vec::new();
        for f in std::iter::once(e.name.as_str()).chain(bucket_names.iter().map(|(_, n)| *n)) {
            if let Some(c) = flag_changed.get(f) {
                let mut c = c.clone();
                if f != e.name
                    && let Some(ch) = &mut c.0.0
                    && ch.object.is_none()
                {
                    ch.object = Some(format!("flag {f}"));
                }
                n.take(&c);
            }
            next.extend(clears(f));
        }
        if let Some(id) = e.experiment_id {
            for kv in inv.key_values.iter().filter(|kv| kv.experiment_id == id) {
                n.offer(
                    &kv.modified,
                    Source::Modified,
                    Some(format!("key-value {id}:{}", kv.key)),
                );
                if let Some(at) = audit("key-value", &format!("{id}:{}", kv.key)) {
                    n.offer(
                        at,
                        Source::AuditLog,
                        Some(format!("key-value {id}:{}", kv.key)),
                    );
                }
            }
        }
        next.push(format!(
            "wafflectl experiment delete {} --with-flags",
            e.name
        ));
        push(
            StaleFinding {
                finding: "stale",
                kind: "experiment",
                name: e.name.clone(),
                decides: format!("bucket {bucket}"),
                why,
                keep: match how {
                    ExperimentWhy::MainOff => "the code for bucket 0 (the experiment off)".into(),
                    _ => format!("the code for bucket {bucket}"),
                },
                since: n.since(),
                next,
                references: None,
                held_back: None,
            },
            &mut stale,
        );
    }

    // baseplate experiments
    let now_ts = now.timestamp() as f64 + f64::from(now.timestamp_subsec_micros()) / 1e6;
    for b in &inv.baseplate {
        // What the real client answers every caller: an invalid config answers None.
        let how = match bp::parse(&b.config, now_ts) {
            Err(inv) => Err(inv.message),
            Ok(p) => match bp::settled(&p) {
                Some(s) => Ok(s),
                None => continue,
            },
        };
        let decides = match how.as_ref().map_or(Value::Null, Settled::answer) {
            Value::Null => "no variant".to_string(),
            Value::String(s) => format!("variant {s:?}"),
            v => format!("variant {v}"),
        };
        let field = |key: &str| b.config.get(key).map(Value::to_string).unwrap_or_default();
        let why = match how {
            Err(message) => format!("baseplate treats it as invalid ({message})"),
            Ok(Settled::GlobalOverride(_)) => "global_override is set".to_string(),
            Ok(Settled::Disabled) => format!("enabled = {}", field("enabled")),
            Ok(Settled::Ended(stop)) => {
                let at = DateTime::<Utc>::from_timestamp(stop as i64, 0)
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                    .unwrap_or_else(|| stop.to_string());
                format!("stop_ts {at} has passed")
            }
            Ok(Settled::UnknownType) => {
                format!("type {} is not one baseplate knows", field("type"))
            }
        };
        let mut n = Newest::default();
        n.offer(&b.modified, Source::Modified, None);
        if let Some(at) = audit("experiment", &b.key) {
            n.offer(at, Source::AuditLog, None);
        }
        let why = match &b.name {
            Some(name) if name != &b.key => format!("{why}; name {name}"),
            _ => why,
        };
        push(
            StaleFinding {
                finding: "stale",
                kind: "baseplate experiment",
                name: b.key.clone(),
                keep: format!("the code for {decides}"),
                decides,
                why,
                since: n.since(),
                next: vec![format!("wafflectl experiment delete {}", b.key)],
                references: None,
                held_back: None,
            },
            &mut stale,
        );
    }

    // orphans: overrides in force of no flag, experiment or bucket flag
    for (flag, rows) in {
        let mut v: Vec<(&&str, &Vec<&OverrideRow>)> = in_force.iter().collect();
        v.sort_by_key(|(k, _)| **k);
        v
    } {
        let known = flags.contains_key(*flag)
            || experiments.contains_key(*flag)
            || inv.is_bucket_flag(flag);
        if known {
            continue;
        }
        for o in rows {
            let Some(c) = o.effective() else { continue };
            let mut n = Newest::default();
            n.offer(&o.change_date, Source::OverrideRow, None);
            if let Some(at) = audit(
                &format!("{} override", o.scope.as_str()),
                &format!("{}@{}", o.flag, o.key),
            ) {
                n.offer(at, Source::AuditLog, None);
            }
            orphans.push(StaleFinding {
                finding: "orphan",
                kind: if o.scope == Scope::Course {
                    "course override"
                } else {
                    "org override"
                },
                name: format!("{}@{}", o.flag, o.key),
                decides: c.as_str().to_string(),
                why: format!(
                    "forces {} {} in {} {}, but no flag, experiment or bucket has that name",
                    o.flag,
                    c.as_str(),
                    o.scope.as_str(),
                    o.key
                ),
                keep: "nothing: no code reads it".into(),
                since: n.since(),
                next: vec![override_flag(o)],
                references: None,
                held_back: None,
            });
        }
    }
    // orphans: bucket flags of deleted experiments, or beyond an experiment's buckets
    for f in &inv.flags {
        let Some((e, i)) = bucket_parts(&f.name) else {
            continue;
        };
        let num_buckets = experiments.get(e).map(|x| x.num_buckets);
        let why = match stale::orphan_bucket(i, num_buckets, audit("experiment", e).is_some()) {
            Some(OrphanBucket::Beyond(n)) => {
                format!("experiment {e} has {n} buckets, so edX never reads bucket {i}")
            }
            Some(OrphanBucket::Deleted) => format!("experiment {e} was deleted"),
            None => continue,
        };
        let decides = match course_flag(&f.name) {
            Some((v, _)) => on_off(v).to_string(),
            None => "depends on who asks".into(),
        };
        let mut next = clears(&f.name);
        next.push(format!("wafflectl flag delete {}", f.name));
        orphans.push(StaleFinding {
            finding: "orphan",
            kind: "bucket flag",
            name: f.name.clone(),
            decides,
            why,
            keep: "nothing: no code reads it".into(),
            since: flag_changed.get(f.name.as_str()).and_then(Newest::since),
            next,
            references: None,
            held_back: None,
        });
    }
    stale.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    Report {
        now,
        days,
        stale,
        orphans,
        settled_recently: recent,
        refs: None,
    }
}

fn since_text(c: &Option<Changed>) -> String {
    match c {
        Some(c) => {
            let at = c.at.format("%Y-%m-%d %H:%M:%S");
            match &c.object {
                Some(o) => format!("{at} ({}, {o})", c.source.text()),
                None => format!("{at} ({})", c.source.text()),
            }
        }
        None => "unknown".into(),
    }
}

/// The places code names `name`: the report's references of a store toggle, else (an override
/// of a name with no row) the code that reads it, resolved or through a pattern.
fn places(name: &str, refs: &RefsReport) -> Vec<Reference> {
    if let Some(t) = refs.toggles.iter().find(|t| t.name == name) {
        return t.references.clone();
    }
    refs.code_names
        .iter()
        .filter(|c| {
            c.found.toggle.is_some_and(ToggleKind::is_waffle)
                && match &c.found.pattern {
                    Some(p) => p.matches(name),
                    None => c.found.name == name,
                }
        })
        .map(|c| Reference {
            path: c.path.clone(),
            line: c.found.line,
            name: name.to_string(),
            kind: c.found.kind,
            via: Some(c.found.via.clone()),
            variable: c.found.variable.clone(),
            toggle: c.found.toggle,
            pattern: c.found.pattern.as_ref().map(|p| p.text()),
        })
        .collect()
}

/// The removal plan of one finding, from what the scan found: the places to change, and the
/// commands only when no scanned code can read the toggle any more. A name the code reads as
/// another kind, or may build at run time, or still reads, gets no command.
fn plan(f: &mut StaleFinding, refs: &RefsReport) {
    let base = f.name.split('@').next().unwrap_or(&f.name).to_string();
    let places = places(&base, refs);
    let mismatch = refs.kind_mismatch.iter().find(|m| m.name == base);
    let built = places
        .iter()
        .find(|r| r.pattern.is_some() && r.kind.reads());
    let reads = places.iter().any(|r| r.kind.reads());
    let misnamed = refs
        .documentation_mismatch
        .iter()
        .find(|m| m.written == base);
    f.held_back = if let Some(m) = mismatch {
        f.why = format!("{}; but {}", f.why, m.why);
        f.keep = format!(
            "the code path for off (what runs today: no {} row)",
            m.read_as[0]
        );
        Some(Held {
            reason: "kind mismatch",
            detail: format!(
                "{}; the stored {} is not what the code reads: make the kinds agree, then run wafflectl stale --refs again",
                m.why,
                m.stored.join(" and ")
            ),
        })
    } else if let Some(r) = built {
        Some(Held {
            reason: "name built at run time",
            detail: format!(
                "{}:{} builds {} at run time, so the code may read this toggle: keep its row while that code runs",
                r.path,
                r.line,
                r.pattern.as_deref().unwrap_or("")
            ),
        })
    } else if let Some(m) = misnamed.filter(|_| !reads) {
        Some(Held {
            reason: "documentation mismatch",
            detail: format!(
                "the annotation at {}:{} gives this name to the declaration of {}, which the code reads: correct the annotation, then run wafflectl stale --refs again",
                m.path, m.line, m.declared
            ),
        })
    } else if reads {
        Some(Held {
            reason: "code reads it",
            detail: "the code above still reads it; once it is changed and deployed, run wafflectl stale --refs again for the commands".into(),
        })
    } else {
        None
    };
    if f.held_back.is_some() {
        f.next.clear();
        if f.finding == "orphan" && mismatch.is_none() {
            // an override of a name with no flag row: the code that reads the name sees it
            f.keep = "the override: code reads this flag, so the override is in force".into();
        }
    }
    f.references = Some(places);
}

/// The NEXT STEP cell: the commands, or why there are none yet.
fn next_text(f: &StaleFinding) -> String {
    match &f.held_back {
        Some(h) => format!("none yet: {} (see the plan)", h.reason),
        None => f.next.join(" && "),
    }
}

pub(crate) fn run(ctx: &Ctx, a: StaleArgs) -> Result<()> {
    let now = now_arg(ctx, a.now);
    check_fail_on(&a.fail_on, !a.refs.is_empty(), "stale")?;
    let store = ctx.store()?;
    let inv = {
        let snap = store.snapshot()?;
        Inventory::load(&snap)?
    };
    let mut rep = report(&inv, now, a.days);
    if !a.refs.is_empty() {
        let refs = refs::build(&inv, &a.refs, now)?;
        for f in rep.stale.iter_mut().chain(rep.orphans.iter_mut()) {
            plan(f, &refs);
        }
        rep.refs = Some(refs);
    }
    print(ctx, &rep)?;
    let mut failures = Vec::new();
    for f in &a.fail_on {
        match f {
            FailOn::Stale if !rep.stale.is_empty() || !rep.orphans.is_empty() => failures.push(
                format!("{} stale, {} orphaned", rep.stale.len(), rep.orphans.len()),
            ),
            FailOn::Unreferenced | FailOn::Overdue => {
                if let Some(r) = &rep.refs {
                    failures.extend(r.failure(*f));
                }
            }
            _ => {}
        }
    }
    refs::fail_on(&failures)
}

fn print(ctx: &Ctx, rep: &Report) -> Result<()> {
    if ctx.json() {
        return output::json(rep);
    }
    let all: Vec<&StaleFinding> = rep.stale.iter().chain(rep.orphans.iter()).collect();
    if ctx.format == Format::Plain {
        let mut t = Table::new(["FINDING", "TYPE", "TOGGLE", "DECIDES", "SINCE", "NEXT STEP"]);
        for f in &all {
            t.row([
                f.finding.to_string(),
                f.kind.to_string(),
                f.name.clone(),
                f.decides.clone(),
                f.since
                    .as_ref()
                    .map(|c| time::to_json(&c.at))
                    .unwrap_or_default(),
                next_text(f),
            ]);
        }
        return t.print(ctx.format, ctx.color);
    }
    if all.is_empty() {
        ctx.status(format!(
            "no stale toggles and no orphans (settled and unchanged for {} days)",
            rep.days
        ));
    } else {
        let mut t = Table::new(["TOGGLE", "TYPE", "ALWAYS", "WHY", "SINCE", "NEXT STEP"]);
        for f in &all {
            t.row([
                f.name.clone(),
                if f.finding == "orphan" {
                    format!("orphaned {}", f.kind)
                } else {
                    f.kind.to_string()
                },
                f.decides.clone(),
                f.why.clone(),
                since_text(&f.since),
                next_text(f),
            ]);
        }
        t.print(ctx.format, ctx.color)?;
    }
    if rep.refs.is_some() && !all.is_empty() {
        let mut s = String::from("\nRemoval plan\n");
        for f in &all {
            s.push_str(&format!(
                "\n{} {} — always {} ({})\n",
                f.kind, f.name, f.decides, f.why
            ));
            s.push_str(&format!("  keep:   {}\n", f.keep));
            match f.references.as_deref() {
                Some([]) | None => {
                    s.push_str("  code:   no references in the scanned trees\n");
                }
                Some(refs) => {
                    s.push_str("  change:\n");
                    for r in refs {
                        let mut how = refs::describe(&Reference {
                            variable: None,
                            ..r.clone()
                        });
                        if let Some(v) = &r.variable {
                            how.push_str(&format!("; also the uses of {v}"));
                        }
                        s.push_str(&format!("    {}:{}  {how}\n", r.path, r.line));
                    }
                }
            }
            match &f.held_back {
                Some(h) => s.push_str(&format!("  then:   nothing yet: {}\n", h.detail)),
                None => {
                    s.push_str("  then:\n");
                    for c in &f.next {
                        s.push_str(&format!("    {c}\n"));
                    }
                }
            }
        }
        output::out(&s)?;
    }
    if rep.settled_recently > 0 {
        ctx.status(format!(
            "{} settled toggle(s) changed within the last {} days are not listed",
            rep.settled_recently, rep.days
        ));
    }
    if let Some(r) = &rep.refs {
        r.status(ctx);
    }
    Ok(())
}
