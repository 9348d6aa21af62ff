//! The objects of a [`State`] that a promotion names, with what travels with them.

use super::state::State;
use crate::error::{Error, Result};

/// The objects of `source` named by `patterns` (flag, switch, sample and experiment names), as
/// a state to plan against a target without `--prune`: each section holds only the selected
/// objects. A pattern that selects nothing is an error (exit 2).
#[allow(dead_code)] // used by promote and plan (issue 21) landing next
pub fn select(source: &State, patterns: &[String]) -> Result<State> {
    let hit = |name: &str| patterns.iter().any(|p| p == name);
    fn pick<T: Clone>(rows: &Option<Vec<T>>, keep: impl Fn(&T) -> bool) -> Option<Vec<T>> {
        Some(rows.iter().flatten().filter(|r| keep(r)).cloned().collect())
    }
    let picked = State {
        flags: pick(&source.flags, |f| hit(&f.name)),
        switches: pick(&source.switches, |s| hit(&s.name)),
        samples: pick(&source.samples, |s| hit(&s.name)),
        experiments: pick(&source.experiments, |e| hit(&e.name)),
        baseplate: pick(&source.baseplate, |b| hit(&b.key)),
        precision: source.precision,
        ..State::default()
    };
    if let Some(p) = patterns.iter().find(|p| {
        let named = |n: &str| n == p.as_str();
        !(picked.flags.iter().flatten().any(|f| named(&f.name))
            || picked.switches.iter().flatten().any(|s| named(&s.name))
            || picked.samples.iter().flatten().any(|s| named(&s.name))
            || picked.experiments.iter().flatten().any(|e| named(&e.name))
            || picked.baseplate.iter().flatten().any(|b| named(&b.key)))
    }) {
        return Err(Error::usage(format!(
            "'{}' names no flag, switch, sample or experiment of the source",
            crate::error::cut(p)
        )));
    }
    Ok(picked)
}
