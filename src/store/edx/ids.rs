//! The experiment ID space: which IDs the edX and baseplate definitions, key-values and data
//! use, and the next free one.

use std::collections::BTreeMap;

use serde::Serialize;

use super::*;
use crate::error::Result;
use crate::store::Reader;

/// Where one experiment ID is used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdUse {
    pub id: i64,
    /// Definitions holding the ID (at most one in a wafflectl store).
    pub experiments: Vec<String>,
    /// Baseplate experiments (top-level keys) whose config holds the ID.
    pub baseplate: Vec<String>,
    pub key_values: i64,
    pub data_rows: i64,
}

impl IdUse {
    /// An ID nothing uses yet.
    pub fn unused(id: i64) -> IdUse {
        IdUse {
            id,
            experiments: Vec::new(),
            baseplate: Vec::new(),
            key_values: 0,
            data_rows: 0,
        }
    }
}

/// Whether an experiment may take an ID: the one rule of the shared ID space, for
/// `experiment create|set --id` and for an import alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim<'a> {
    /// Nothing else uses it.
    Free,
    /// Another experiment holds it: refused.
    Taken {
        /// The other experiment's name (edX) or key (baseplate).
        by: &'a str,
        /// `experiment` or `baseplate experiment`.
        system: &'static str,
    },
    /// Only key-values or per-user rows that no definition claims use it: allowed, with a
    /// warning.
    Unclaimed { key_values: i64, data_rows: i64 },
}

impl IdUse {
    pub fn is_free(&self) -> bool {
        self.experiments.is_empty()
            && self.baseplate.is_empty()
            && self.key_values == 0
            && self.data_rows == 0
    }

    /// Whether the experiment `for_name` may hold this ID.
    pub fn claim(&self, for_name: &str) -> Claim<'_> {
        let other = self
            .experiments
            .iter()
            .map(|n| (n, "experiment"))
            .chain(self.baseplate.iter().map(|k| (k, "baseplate experiment")))
            .find(|(n, _)| *n != for_name);
        match other {
            Some((by, system)) => Claim::Taken { by, system },
            None if self.key_values > 0 || self.data_rows > 0 => Claim::Unclaimed {
                key_values: self.key_values,
                data_rows: self.data_rows,
            },
            None => Claim::Free,
        }
    }
}

/// `experiment_id -> count` of a table; one GROUP BY that the `experiment_id` index serves.
fn counts_by_id(conn: &Reader, table: &str) -> Result<Vec<(i64, i64)>> {
    conn.rows(
        &format!("SELECT experiment_id, count(*) FROM {table} GROUP BY experiment_id"),
        (),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Every experiment ID in use anywhere in the store, sorted by ID.
pub fn ids_in_use(conn: &Reader) -> Result<Vec<IdUse>> {
    let mut by_id: BTreeMap<i64, IdUse> = BTreeMap::new();
    let defs = conn.rows("SELECT experiment_id, name FROM wafflectl_experiment WHERE experiment_id IS NOT NULL ORDER BY name", (), |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for (id, name) in defs {
        by_id
            .entry(id)
            .or_insert_with(|| IdUse::unused(id))
            .experiments
            .push(name);
    }
    for (id, key) in crate::store::baseplate::ids(conn)? {
        by_id
            .entry(id)
            .or_insert_with(|| IdUse::unused(id))
            .baseplate
            .push(key);
    }
    for (id, n) in counts_by_id(conn, "experiments_experimentkeyvalue")? {
        by_id
            .entry(id)
            .or_insert_with(|| IdUse::unused(id))
            .key_values = n;
    }
    for (id, n) in counts_by_id(conn, "experiments_experimentdata")? {
        by_id
            .entry(id)
            .or_insert_with(|| IdUse::unused(id))
            .data_rows = n;
    }
    Ok(by_id.into_values().collect())
}

/// Where one ID is used (index lookups only).
pub fn id_use(conn: &Reader, id: i64) -> Result<IdUse> {
    let experiments = conn.rows(
        "SELECT name FROM wafflectl_experiment WHERE experiment_id = ?1 ORDER BY name",
        [id],
        |r| r.get(0),
    )?;
    let count = |table: &str| -> Result<i64> {
        conn.integer(
            &format!("SELECT count(*) FROM {table} WHERE experiment_id = ?1"),
            [id],
        )
    };
    Ok(IdUse {
        id,
        experiments,
        baseplate: crate::store::baseplate::keys_with_id(conn, id)?,
        key_values: count("experiments_experimentkeyvalue")?,
        data_rows: count("experiments_experimentdata")?,
    })
}

/// The smallest ID in 0..=32767 that nothing uses, or None when all are taken.
pub fn next_free_id(conn: &Reader) -> Result<Option<i64>> {
    let used: std::collections::HashSet<i64> =
        ids_in_use(conn)?.into_iter().map(|u| u.id).collect();
    Ok((0..=MAX_EXPERIMENT_ID).find(|i| !used.contains(i)))
}
