//! Experiment definitions (`wafflectl_experiment`) and the bucket sub-flags `NAME.N` that
//! exist for one.

use serde::Serialize;
use serde_json::Value;

use super::*;
use crate::engine::sub_flag;
use crate::error::Result;
use crate::store::columns::{read_row, ser_time};
use crate::store::{ColumnResult, Reader, Row, Tx, params};

/// An experiment definition (what edX keeps in code as an `ExperimentWaffleFlag`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExperimentRow {
    #[serde(skip)]
    pub row_id: i64,
    pub name: String,
    pub kind: String,
    pub num_buckets: i64,
    pub experiment_id: Option<i64>,
    pub course_aware: bool,
    pub note: String,
    #[serde(serialize_with = "ser_time")]
    pub created: String,
    #[serde(serialize_with = "ser_time")]
    pub modified: String,
}

impl ExperimentRow {
    /// A new Open edX definition: 2 buckets, no ID, course-aware.
    pub fn new(name: &str, now_db: &str) -> ExperimentRow {
        ExperimentRow {
            row_id: 0,
            name: name.to_string(),
            kind: KIND_EDX.to_string(),
            num_buckets: 2,
            experiment_id: None,
            course_aware: true,
            note: String::new(),
            created: now_db.to_string(),
            modified: now_db.to_string(),
        }
    }

    /// The name of bucket `n`'s flag: `NAME.n`.
    pub fn bucket_flag(&self, n: i64) -> String {
        bucket_flag(&self.name, n)
    }

    pub fn audit(&self) -> Value {
        crate::store::toggles::audit_value(self)
    }
}

/// The name of bucket `n`'s flag of experiment `name`: `name.n`.
pub fn bucket_flag(name: &str, n: i64) -> String {
    sub_flag::name(name, n)
}

const EXP_COLS: &str =
    "id, name, kind, num_buckets, experiment_id, course_aware, note, created, modified";

fn experiment_from_row(r: &Row<'_>) -> ColumnResult<ExperimentRow> {
    Ok(read_row!(r => ExperimentRow {
        get: row_id = "id", num_buckets, experiment_id;
        text: name, kind, note, created, modified;
        boolean: course_aware;
    }))
}

pub fn get_experiment(conn: &Reader, name: &str) -> Result<Option<ExperimentRow>> {
    conn.row(
        &format!("SELECT {EXP_COLS} FROM wafflectl_experiment WHERE name = ?1"),
        [name],
        experiment_from_row,
    )
}

pub fn list_experiments(conn: &Reader) -> Result<Vec<ExperimentRow>> {
    experiments_ordered(conn, "name")
}

/// Every definition in row-id order (export).
pub fn experiments_by_id(conn: &Reader) -> Result<Vec<ExperimentRow>> {
    experiments_ordered(conn, "id")
}

fn experiments_ordered(conn: &Reader, order: &str) -> Result<Vec<ExperimentRow>> {
    conn.rows(
        &format!("SELECT {EXP_COLS} FROM wafflectl_experiment ORDER BY {order}"),
        (),
        experiment_from_row,
    )
}

/// Inserts (`row_id == 0`) or updates every column but `created` of a definition by row id;
/// returns its row id. The one writer of `wafflectl_experiment`.
pub(crate) fn save_experiment(tx: &Tx<'_>, e: &ExperimentRow) -> Result<i64> {
    tx.write_row(
        "wafflectl_experiment",
        e.row_id,
        &[
            "name",
            "kind",
            "num_buckets",
            "experiment_id",
            "course_aware",
            "note",
            "created",
            "modified",
        ],
        params![
            e.name,
            e.kind,
            e.num_buckets,
            e.experiment_id,
            e.course_aware,
            e.note,
            e.created,
            e.modified
        ],
        &["created"],
    )
}

pub(crate) fn delete_experiment(tx: &Tx<'_>, row_id: i64) -> Result<()> {
    tx.delete_row("wafflectl_experiment", row_id)
}

/// Names of the existing flags `NAME.N` (N a non-negative integer), with N, sorted by N.
pub fn bucket_flags(conn: &Reader, name: &str) -> Result<Vec<(i64, String)>> {
    let prefix = format!("{name}.");
    let names: Vec<String> = conn.rows(
        &format!(
            "SELECT name FROM waffle_flag WHERE {}",
            conn.starts_with("name", 1)
        ),
        [&prefix],
        |r| r.get(0),
    )?;
    let mut out: Vec<(i64, String)> = names
        .into_iter()
        .filter_map(|n| {
            let k = i64::try_from(sub_flag::index(name, &n)?).ok()?;
            Some((k, n))
        })
        .collect();
    out.sort();
    Ok(out)
}
