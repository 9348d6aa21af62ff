//! `wafflectl compare A B`: every difference between two stores or files, as the plan that would
//! make B like A (with prune) shows it.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::cli::{CompareArgs, CompareKind};
use crate::context::Ctx;
use crate::engine::sub_flag;
use crate::error::{Error, Result};
use crate::interop::model::{self, Item, PlanOptions, State, plan_with};
use crate::output;

/// One side of a comparison (or a promotion's source): its content and how messages name it.
pub(crate) struct Side {
    pub(crate) state: State,
    /// The spec as typed, a URL without its password.
    pub(crate) label: String,
}

/// Reads one side: a file `export` writes when `spec` names an existing file that is not a
/// SQLite database, else the store `spec` names (through [`Ctx::with_store`], so environments and
/// their settings apply), read in one snapshot.
pub(crate) fn load_side(ctx: &Ctx, spec: &str) -> Result<Side> {
    let path = Path::new(spec);
    if path.is_file() && !crate::interop::is_sqlite_file(path) {
        let (state, label) = super::interop::read_as(ctx, path, None)?;
        return Ok(Side { state, label });
    }
    let side = ctx.with_store(spec)?;
    let store = side.store().map_err(|e| side.name_db(e))?;
    let state = State::load(&*store.snapshot()?)?;
    Ok(Side {
        state,
        label: super::store_label(spec),
    })
}

/// What of a side compares: toggles, current overrides, experiments with their key-values,
/// baseplate experiments, and the users and groups flags name (to resolve them, not to compare).
fn comparable(s: State) -> State {
    // Every user and group the flags name is known by name, even where a file has no users.
    let (users, groups) = model::missing_people(&s, &s);
    let (users, groups) = model::plain_people(&users, &groups, "");
    let mut s = s;
    s.users.get_or_insert_with(Vec::new).extend(users);
    s.groups.get_or_insert_with(Vec::new).extend(groups);
    State {
        overrides: s.overrides.as_ref().map(model::current_overrides),
        experiment_data: None,
        enrollments: None,
        ..s
    }
}

/// The kind `--kind` knows an item as, and the names its globs match (its own, and the
/// experiment's for the parts of one). None for what compare does not show (users, groups).
fn classify(
    item: &Item,
    experiments: &HashSet<&str>,
    by_id: &HashMap<i64, &str>,
) -> Option<(CompareKind, Vec<String>)> {
    use model::Op;
    let part_of = |flag: &str| {
        sub_flag::parse(flag)
            .map(|(e, _)| e)
            .filter(|e| experiments.contains(e))
            .map(str::to_string)
    };
    Some(match &item.op {
        Op::Flag(f) => match part_of(&f.name) {
            Some(e) => (CompareKind::Experiment, vec![f.name.clone(), e]),
            None => (CompareKind::Flag, vec![f.name.clone()]),
        },
        Op::Override(o) => match part_of(&o.flag) {
            Some(e) => (CompareKind::Experiment, vec![o.flag.clone(), e]),
            None => (CompareKind::Override, vec![o.flag.clone()]),
        },
        Op::Switch(s) => (CompareKind::Switch, vec![s.name.clone()]),
        Op::Sample(s) => (CompareKind::Sample, vec![s.name.clone()]),
        Op::Experiment(e) => (CompareKind::Experiment, vec![e.name.clone()]),
        Op::KeyValue(k) => {
            let owner = by_id.get(&k.experiment_id).map(|n| n.to_string());
            (CompareKind::Experiment, owner.into_iter().collect())
        }
        Op::Baseplate(b) => (CompareKind::Baseplate, vec![b.key.clone()]),
        Op::Group(_) | Op::User(_) | Op::Data(_) | Op::Enrollment(_) => return None,
    })
}

/// `1 difference`, `3 differences`.
fn differences(n: usize) -> String {
    format!("{n} difference{}", if n == 1 { "" } else { "s" })
}

#[derive(Serialize)]
struct Difference<'a> {
    kind: &'a str,
    name: &'a str,
    /// `only_in_a`, `only_in_b` or `differs`.
    status: &'static str,
    a: Option<Value>,
    b: Option<&'a Value>,
}

#[derive(Serialize)]
struct Comparison<'a> {
    a: &'a str,
    b: &'a str,
    equal: bool,
    differences: Vec<Difference<'a>>,
}

pub(crate) fn run(ctx: &Ctx, a: CompareArgs) -> Result<()> {
    let side_a = load_side(ctx, &a.a)?;
    let side_b = load_side(ctx, &a.b)?;
    let (want, cur) = (comparable(side_a.state), comparable(side_b.state));
    let mut experiments: HashSet<&str> = HashSet::new();
    let mut by_id: HashMap<i64, &str> = HashMap::new();
    for e in want.experiments.iter().chain(&cur.experiments).flatten() {
        experiments.insert(&e.name);
        if let Some(id) = e.experiment_id {
            by_id.entry(id).or_insert(&e.name);
        }
    }
    let opts = PlanOptions {
        prune: true,
        create_only: false,
    };
    let now = crate::time::to_db(&ctx.now);
    let plan = plan_with(&cur, &want, &opts, &now, &side_a.label)?;
    let shown: Vec<&Item> = plan
        .items
        .iter()
        .filter(|i| match classify(i, &experiments, &by_id) {
            None => false,
            Some((kind, names)) => {
                (a.kind.is_empty() || a.kind.contains(&kind))
                    && (a.names.is_empty()
                        || names
                            .iter()
                            .any(|n| a.names.iter().any(|p| model::glob(p, n))))
            }
        })
        .collect();
    let status = |i: &Item| match i.action {
        model::Action::Create => "only_in_a",
        model::Action::Delete => "only_in_b",
        model::Action::Update => "differs",
    };
    if ctx.json() {
        output::json(&Comparison {
            a: &side_a.label,
            b: &side_b.label,
            equal: shown.is_empty(),
            differences: shown
                .iter()
                .map(|i| Difference {
                    kind: i.kind,
                    name: &i.name,
                    status: status(i),
                    a: i.after(),
                    b: i.before.as_ref(),
                })
                .collect(),
        })?;
    } else {
        let mut s = String::new();
        for i in &shown {
            let line = i.line();
            // the plan's `+`/`-` read as which side has the object
            let line = match i.action {
                model::Action::Create => format!("<{}", &line[1..]),
                model::Action::Delete => format!(">{}", &line[1..]),
                model::Action::Update => line,
            };
            s.push_str(&line);
            s.push('\n');
        }
        output::out(&s)?;
        let count = |st: &str| shown.iter().filter(|i| status(i) == st).count();
        if shown.is_empty() {
            ctx.status(format!("{} and {} are equal", side_a.label, side_b.label));
        } else {
            ctx.status(format!(
                "{}: {} only in {}, {} only in {}, {} differ",
                differences(shown.len()),
                count("only_in_a"),
                side_a.label,
                count("only_in_b"),
                side_b.label,
                count("differs")
            ));
        }
    }
    if a.exit_code && !shown.is_empty() {
        return Err(Error::runtime(format!(
            "{} and {} differ: {} (--exit-code)",
            side_a.label,
            side_b.label,
            differences(shown.len())
        )));
    }
    Ok(())
}
