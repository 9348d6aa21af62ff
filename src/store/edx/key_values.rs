//! Per-experiment key-values (`experiments_experimentkeyvalue`): the enrollment window's
//! dates and any other key.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::error::Result;
use crate::store::columns::{read_row, ser_time};
use crate::store::{ColumnResult, Reader, Row, Tx, params};

/// A row of `experiments_experimentkeyvalue`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyValue {
    #[serde(skip)]
    pub id: i64,
    pub experiment_id: i64,
    pub key: String,
    pub value: String,
    #[serde(serialize_with = "ser_time")]
    pub created: String,
    #[serde(serialize_with = "ser_time")]
    pub modified: String,
}

impl KeyValue {
    pub fn audit(&self) -> Value {
        json!({ "experiment_id": self.experiment_id, "key": self.key, "value": self.value })
    }
}

const KV_COLS: &str = "id, experiment_id, key, value, created, modified";

/// Every key-value row in row-id order (export).
pub fn key_values_by_id(conn: &Reader) -> Result<Vec<KeyValue>> {
    conn.rows(
        &format!("SELECT {KV_COLS} FROM experiments_experimentkeyvalue ORDER BY id"),
        (),
        kv_from_row,
    )
}

fn kv_from_row(r: &Row<'_>) -> ColumnResult<KeyValue> {
    Ok(read_row!(r => KeyValue {
        get: id, experiment_id;
        text: key, value, created, modified;
    }))
}

/// The key-value rows of an experiment ID, sorted by key.
pub fn key_value_rows(conn: &Reader, id: i64) -> Result<Vec<KeyValue>> {
    conn.rows(&format!(
        "SELECT {KV_COLS} FROM experiments_experimentkeyvalue WHERE experiment_id = ?1 ORDER BY key"
    ), [id], kv_from_row)
}

/// The key-values of an experiment ID as a map (what edX loads for the enrollment window).
pub fn key_values(conn: &Reader, id: i64) -> Result<BTreeMap<String, String>> {
    Ok(key_value_rows(conn, id)?
        .into_iter()
        .map(|kv| (kv.key, kv.value))
        .collect())
}

pub fn get_key_value(conn: &Reader, id: i64, key: &str) -> Result<Option<KeyValue>> {
    conn.row(&format!(
            "SELECT {KV_COLS} FROM experiments_experimentkeyvalue WHERE experiment_id = ?1 AND key = ?2"
        ), params![id, key], kv_from_row)
}

/// Inserts or updates (keeping `created`) the value of (id, key).
pub(crate) fn set_key_value(tx: &Tx<'_>, id: i64, key: &str, value: &str) -> Result<()> {
    let row = match get_key_value(tx, id, key)? {
        Some(cur) => KeyValue {
            value: value.to_string(),
            modified: tx.now_db.clone(),
            ..cur
        },
        None => KeyValue {
            id: 0,
            experiment_id: id,
            key: key.to_string(),
            value: value.to_string(),
            created: tx.now_db.clone(),
            modified: tx.now_db.clone(),
        },
    };
    write_key_value(tx, &row)?;
    Ok(())
}

/// Inserts (`id == 0`) or updates every column but `created` of a key-value row by id. The one
/// writer of `experiments_experimentkeyvalue`.
pub(crate) fn write_key_value(tx: &Tx<'_>, k: &KeyValue) -> Result<i64> {
    tx.write_row(
        "experiments_experimentkeyvalue",
        k.id,
        &["created", "modified", "experiment_id", "key", "value"],
        params![k.created, k.modified, k.experiment_id, k.key, k.value],
        &["created"],
    )
}

/// Deletes one key-value row by id.
pub(crate) fn delete_key_value(tx: &Tx<'_>, row_id: i64) -> Result<()> {
    tx.delete_row("experiments_experimentkeyvalue", row_id)
}
