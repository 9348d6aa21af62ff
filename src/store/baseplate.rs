//! Baseplate experiments (`wafflectl_baseplate`): each config object kept verbatim under its
//! top-level key, in file order. The engine (`engine::baseplate`) decides what a config means;
//! this module only keeps rows.

use super::{ColumnResult, Reader, Row, params};
use serde_json::{Map, Value};

use super::Tx;
use crate::error::{Error, Result};

/// One stored baseplate experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseplateExperiment {
    /// The top-level key of experiments.json (what `variant()` looks up).
    pub key: String,
    /// Place in the exported file (ascending).
    pub position: i64,
    /// The config object, exactly as authored or imported.
    pub config: Value,
    pub created: String,
    pub modified: String,
}

impl BaseplateExperiment {
    pub fn new(key: &str, config: Value, position: i64, now_db: &str) -> Self {
        BaseplateExperiment {
            key: key.to_string(),
            position,
            config,
            created: now_db.to_string(),
            modified: now_db.to_string(),
        }
    }

    /// The config's `name` when it is a string.
    pub fn name(&self) -> Option<&str> {
        self.config.get("name").and_then(Value::as_str)
    }

    /// The config's `id` when it is a JSON integer (the ID it holds in the shared ID space).
    pub fn exp_id(&self) -> Option<i64> {
        config_id(&self.config)
    }

    /// The config's `type` as written.
    pub fn kind(&self) -> Option<&str> {
        self.config.get("type").and_then(Value::as_str)
    }

    /// The audit object: the key and the config's fields, those of its `experiment` object as
    /// `experiment.FIELD`, so that a change line names the fields that changed.
    pub fn audit(&self) -> Value {
        let mut m = Map::new();
        m.insert("key".into(), Value::String(self.key.clone()));
        match &self.config {
            Value::Object(c) => {
                for (k, v) in c {
                    match (k.as_str(), v) {
                        ("experiment", Value::Object(e)) => {
                            for (ek, ev) in e {
                                m.insert(format!("experiment.{ek}"), ev.clone());
                            }
                        }
                        _ => {
                            m.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            other => {
                m.insert("config".into(), other.clone());
            }
        }
        Value::Object(m)
    }
}

/// The experiment ID a config holds in the shared ID space: its `id` when that is a JSON
/// integer.
pub fn config_id(config: &Value) -> Option<i64> {
    match config.get("id") {
        Some(Value::Number(n)) if !n.is_f64() => n.as_i64(),
        _ => None,
    }
}

const SELECT: &str = "SELECT key, position, config, created, modified FROM wafflectl_baseplate";

fn from_row(r: &Row<'_>) -> ColumnResult<(String, i64, String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn decode(row: (String, i64, String, String, String)) -> Result<BaseplateExperiment> {
    let (key, position, config, created, modified) = row;
    let config: Value = serde_json::from_str(&config).map_err(|e| {
        Error::runtime(format!(
            "stored baseplate experiment '{key}' is not valid JSON: {e}"
        ))
        .with_hint("run: wafflectl doctor")
    })?;
    Ok(BaseplateExperiment {
        key,
        position,
        config,
        created,
        modified,
    })
}

/// Every stored baseplate experiment, in file order.
pub fn list(conn: &Reader) -> Result<Vec<BaseplateExperiment>> {
    let rows = conn.rows(&format!("{SELECT} ORDER BY position, key"), (), from_row)?;
    rows.into_iter().map(decode).collect()
}

/// The experiment stored under `key`.
pub fn get(conn: &Reader, key: &str) -> Result<Option<BaseplateExperiment>> {
    let row = conn.row(&format!("{SELECT} WHERE key = ?1"), [key], from_row)?;
    row.map(decode).transpose()
}

/// Every key, in file order (for hints).
pub fn keys(conn: &Reader) -> Result<Vec<String>> {
    conn.rows(
        "SELECT key FROM wafflectl_baseplate ORDER BY position, key",
        (),
        |r| r.get(0),
    )
}

/// Keys of the experiments whose config holds experiment ID `id`.
pub fn keys_with_id(conn: &Reader, id: i64) -> Result<Vec<String>> {
    conn.rows(
        "SELECT key FROM wafflectl_baseplate WHERE exp_id = ?1 ORDER BY key",
        [id],
        |r| r.get(0),
    )
}

/// `(id, key)` of every experiment holding an ID.
pub fn ids(conn: &Reader) -> Result<Vec<(i64, String)>> {
    conn.rows(
        "SELECT exp_id, key FROM wafflectl_baseplate WHERE exp_id IS NOT NULL ORDER BY key",
        (),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// The position after the last one (new experiments go to the end of the file).
pub fn next_position(conn: &Reader) -> Result<i64> {
    conn.integer(
        "SELECT coalesce(max(position), -1) + 1 FROM wafflectl_baseplate",
        (),
    )
}

/// Inserts or replaces the row of `e.key`; the config is written as compact JSON in its own
/// key order.
pub fn save(tx: &Tx<'_>, e: &BaseplateExperiment) -> Result<()> {
    let config = serde_json::to_string(&e.config)?;
    let cols = [
        "key", "position", "name", "exp_id", "type", "config", "created", "modified",
    ];
    let update = ["position", "name", "exp_id", "type", "config", "modified"];
    tx.run(
        &tx.upsert_sql("wafflectl_baseplate", &cols, &["key"], &update),
        params![
            e.key,
            e.position,
            e.name(),
            e.exp_id(),
            e.kind(),
            config,
            e.created,
            e.modified
        ],
    )?;
    Ok(())
}

/// Deletes the row of `key`.
pub fn delete(tx: &Tx<'_>, key: &str) -> Result<()> {
    tx.run("DELETE FROM wafflectl_baseplate WHERE key = ?1", [key])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn derived_fields_follow_python_types() {
        let e = |v: Value| BaseplateExperiment::new("k", v, 0, "2026-01-01 00:00:00");
        assert_eq!(e(json!({"id": 7})).exp_id(), Some(7));
        assert_eq!(e(json!({"id": 7.0})).exp_id(), None);
        assert_eq!(e(json!({"id": "7"})).exp_id(), None);
        assert_eq!(e(json!({"id": true})).exp_id(), None);
        assert_eq!(e(json!({"name": "n", "type": "R2"})).kind(), Some("R2"));
        assert_eq!(e(json!({"name": 5})).name(), None);
    }
}
