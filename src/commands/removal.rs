//! What `refs`, `stale` and `report` share: the store's toggles read in one snapshot, and their
//! `--now` and `--fail-on`. Definitions in `docs/removal.md`.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cli::FailOn;
use crate::error::{Error, Result};
use crate::store::Reader;
use crate::store::edx::{self, OverrideRow, Scope};
use crate::store::removal::{self, BaseplateRow};
use crate::store::toggles::{self, Flag, Sample, Switch};

/// Everything in the store that `stale` and `refs` look at, read in one snapshot.
pub(crate) struct Inventory {
    pub(crate) flags: Vec<Flag>,
    pub(crate) switches: Vec<Switch>,
    pub(crate) samples: Vec<Sample>,
    pub(crate) experiments: Vec<edx::ExperimentRow>,
    pub(crate) baseplate: Vec<BaseplateRow>,
    pub(crate) overrides: Vec<OverrideRow>,
    pub(crate) key_values: Vec<edx::KeyValue>,
    pub(crate) audit: HashMap<(String, String), String>,
}

/// `E.N` → (E, N) when N is a bucket index as edX formats it (and fits a bucket number).
pub(crate) fn bucket_parts(name: &str) -> Option<(&str, u32)> {
    let (e, n) = crate::engine::sub_flag::parse(name)?;
    Some((e, u32::try_from(n).ok()?))
}

/// A toggle of the store as `refs` searches for it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StoreToggle {
    pub(crate) name: String,
    /// `flag`, `switch`, `sample`, `experiment`, `baseplate experiment` (a name may be several).
    pub(crate) types: Vec<&'static str>,
}

impl Inventory {
    pub(crate) fn load(conn: &Reader) -> Result<Inventory> {
        let mut overrides = edx::override_rows(conn, Scope::Course, None)?;
        overrides.extend(edx::override_rows(conn, Scope::Org, None)?);
        Ok(Inventory {
            flags: toggles::list_flags(conn, None)?,
            switches: toggles::list_switches(conn)?,
            samples: toggles::list_samples(conn)?,
            experiments: edx::list_experiments(conn)?,
            baseplate: removal::baseplate(conn)?,
            overrides,
            key_values: edx::key_values_by_id(conn)?,
            audit: removal::last_audit(conn)?,
        })
    }

    pub(crate) fn experiment(&self, name: &str) -> Option<&edx::ExperimentRow> {
        self.experiments.iter().find(|e| e.name == name)
    }

    /// Whether `name` is bucket flag `E.i` of an existing experiment E with i < its buckets.
    pub(crate) fn is_bucket_flag(&self, name: &str) -> bool {
        bucket_parts(name)
            .and_then(|(e, i)| self.experiment(e).map(|x| i64::from(i) < x.num_buckets))
            .unwrap_or(false)
    }

    /// The store's toggles, by name, as code would name them (bucket flags of existing
    /// experiments are part of their experiment and not listed).
    pub(crate) fn toggles(&self) -> Vec<StoreToggle> {
        let mut by: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
        let experiments: HashSet<&str> = self.experiments.iter().map(|e| e.name.as_str()).collect();
        for f in &self.flags {
            if experiments.contains(f.name.as_str()) || self.is_bucket_flag(&f.name) {
                continue;
            }
            by.entry(f.name.clone()).or_default().push("flag");
        }
        for s in &self.switches {
            by.entry(s.name.clone()).or_default().push("switch");
        }
        for s in &self.samples {
            by.entry(s.name.clone()).or_default().push("sample");
        }
        for e in &self.experiments {
            by.entry(e.name.clone()).or_default().push("experiment");
        }
        for b in &self.baseplate {
            by.entry(b.key.clone())
                .or_default()
                .push("baseplate experiment");
        }
        by.into_iter()
            .map(|(name, types)| StoreToggle { name, types })
            .collect()
    }

    /// Every name the store holds a row or an override for (for "declared in code, no row").
    pub(crate) fn all_names(&self) -> HashSet<String> {
        let mut s: HashSet<String> = HashSet::new();
        s.extend(self.flags.iter().map(|f| f.name.clone()));
        s.extend(self.switches.iter().map(|f| f.name.clone()));
        s.extend(self.samples.iter().map(|f| f.name.clone()));
        s.extend(self.experiments.iter().map(|f| f.name.clone()));
        s.extend(self.baseplate.iter().map(|f| f.key.clone()));
        s.extend(self.overrides.iter().map(|o| o.flag.clone()));
        s
    }

    /// The current override of every (scope, flag, key): rows come from
    /// [`edx::override_rows`], oldest first in edX's order, so the last row of a key is current.
    pub(crate) fn current_overrides(&self) -> Vec<&OverrideRow> {
        let mut newest: HashMap<(Scope, &str, &str), &OverrideRow> = HashMap::new();
        for o in &self.overrides {
            newest.insert((o.scope, o.flag.as_str(), o.key.as_str()), o);
        }
        let mut v: Vec<&OverrideRow> = newest.into_values().collect();
        v.sort_by(|a, b| {
            (&a.flag, a.scope.as_str(), &a.key).cmp(&(&b.flag, b.scope.as_str(), &b.key))
        });
        v
    }
}

/// `--fail-on` values that need a scan, refused without one (exit 2).
pub(crate) fn check_fail_on(fail_on: &[FailOn], scanning: bool, command: &str) -> Result<()> {
    for f in fail_on {
        match (f, scanning, command) {
            (FailOn::Stale, _, "refs") => {
                return Err(Error::usage("--fail-on stale applies to wafflectl stale")
                    .with_hint("use: wafflectl stale --refs PATH --fail-on stale"));
            }
            (FailOn::Unreferenced | FailOn::Overdue, false, _) => {
                return Err(Error::usage(format!(
                    "--fail-on {} needs source trees to scan",
                    if *f == FailOn::Overdue {
                        "overdue"
                    } else {
                        "unreferenced"
                    }
                ))
                .with_hint("add --refs PATH (or use wafflectl refs PATH)"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// `--now T` of refs and stale, else the command's clock.
pub(crate) fn now_arg(ctx: &crate::context::Ctx, arg: Option<crate::types::When>) -> DateTime<Utc> {
    arg.map_or(ctx.now, |t| t.0)
}
