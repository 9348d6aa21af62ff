//! [`State`]: every kind of object as plain rows, from a file or the whole store.

use std::collections::{HashMap, HashSet};

use crate::store::Reader;

use super::rec::Identity;
use crate::error::{Error, Result};
use crate::store::baseplate::BaseplateExperiment;
use crate::store::edx::{self, DataRow, ExperimentRow, KeyValue, OverrideRow};
use crate::store::toggles::{self, Flag, Sample, Switch};
use crate::store::users::{self, Enrollment, GroupRow, UserRow};
use crate::time::text::Precision;

/// Every kind of object wafflectl moves between systems. A section is `None` when a file does
/// not speak of that kind at all (it is then left alone, even with `--prune`).
#[derive(Debug, Clone, Default)]
pub struct State {
    pub groups: Option<Vec<GroupRow>>,
    pub users: Option<Vec<UserRow>>,
    pub flags: Option<Vec<Flag>>,
    pub switches: Option<Vec<Switch>>,
    pub samples: Option<Vec<Sample>>,
    pub overrides: Option<Vec<OverrideRow>>,
    pub experiments: Option<Vec<ExperimentRow>>,
    pub key_values: Option<Vec<KeyValue>>,
    pub experiment_data: Option<Vec<DataRow>>,
    pub enrollments: Option<Vec<Enrollment>>,
    /// Baseplate experiments, in file order.
    pub baseplate: Option<Vec<BaseplateExperiment>>,
    /// How finely the source writes times (the store's own times are exact).
    pub precision: Precision,
}

impl State {
    /// The whole store, every section present, rows in id order.
    pub fn load(conn: &Reader) -> Result<State> {
        Ok(State {
            groups: Some(users::group_rows(conn)?),
            users: Some(users::user_rows(conn)?),
            flags: Some(toggles::flags_by_id(conn)?),
            switches: Some(toggles::switches_by_id(conn)?),
            samples: Some(toggles::samples_by_id(conn)?),
            overrides: Some(edx::override_rows_by_id(conn)?),
            experiments: Some(edx::experiments_by_id(conn)?),
            key_values: Some(edx::key_values_by_id(conn)?),
            experiment_data: Some(edx::data_rows_by_id(conn)?),
            enrollments: Some(users::enrollments_by_id(conn)?),
            baseplate: Some(crate::store::baseplate::list(conn)?),
            precision: Precision::Micros,
        })
    }

    /// Number of objects (override rows count one each).
    pub fn len(&self) -> usize {
        fn n<T>(v: &Option<Vec<T>>) -> usize {
            v.as_ref().map_or(0, Vec::len)
        }
        n(&self.groups)
            + n(&self.users)
            + n(&self.flags)
            + n(&self.switches)
            + n(&self.samples)
            + n(&self.overrides)
            + n(&self.experiments)
            + n(&self.key_values)
            + n(&self.experiment_data)
            + n(&self.enrollments)
            + n(&self.baseplate)
    }

    /// Refuses (exit 2) two objects with the same identity in one file.
    pub fn check_duplicates(&self, src: &str) -> Result<()> {
        fn dup<T>(
            src: &str,
            what: &str,
            rows: &Option<Vec<T>>,
            key: impl Fn(&T) -> String,
        ) -> Result<()> {
            let mut seen = HashSet::new();
            for r in rows.iter().flatten() {
                let k = key(r);
                if !seen.insert(k.clone()) {
                    return Err(Error::usage(format!(
                        "{src}: {what} '{}' appears twice",
                        crate::error::cut(&k)
                    ))
                    .with_hint("each object may appear only once in a file"));
                }
            }
            Ok(())
        }
        dup(src, "group", &self.groups, |g| g.name.clone())?;
        dup(src, "user", &self.users, |u| u.username.clone())?;
        dup(src, "flag", &self.flags, |f| f.name.clone())?;
        dup(src, "switch", &self.switches, |s| s.name.clone())?;
        dup(src, "sample", &self.samples, |s| s.name.clone())?;
        dup(src, "experiment", &self.experiments, |e| e.name.clone())?;
        // One ID space: edX definitions and baseplate experiments together.
        let mut ids: HashMap<i64, &str> = HashMap::new();
        let holders = self
            .experiments
            .iter()
            .flatten()
            .filter_map(|e| Some((e.experiment_id?, e.name.as_str())))
            .chain(
                self.baseplate
                    .iter()
                    .flatten()
                    .filter_map(|b| Some((b.exp_id()?, b.key.as_str()))),
            );
        for (id, name) in holders {
            if let Some(first) = ids.insert(id, name) {
                return Err(Error::usage(format!(
                    "{src}: experiments '{}' and '{}' share experiment ID {id}",
                    crate::error::cut(first),
                    crate::error::cut(name)
                ))
                .with_hint("each experiment needs its own ID; find a free one with: wafflectl experiment next-id"));
            }
        }
        dup(src, "key-value", &self.key_values, Identity::key)?;
        dup(src, "experiment data", &self.experiment_data, Identity::key)?;
        dup(src, "enrollment", &self.enrollments, Identity::key)?;
        dup(src, "baseplate experiment", &self.baseplate, Identity::key)?;
        Ok(())
    }
}
