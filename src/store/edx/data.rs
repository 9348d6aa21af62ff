//! Per-user experiment data (`experiments_experimentdata`).

use serde::Serialize;
use serde_json::{Value, json};

use crate::error::Result;
use crate::store::columns::{read_row, ser_time};
use crate::store::{ColumnResult, Reader, Row, Tx, params, params_from_iter};

/// A row of `experiments_experimentdata`, with the username.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataRow {
    #[serde(skip)]
    pub id: i64,
    pub experiment_id: i64,
    pub user: String,
    pub key: String,
    pub value: String,
    #[serde(serialize_with = "ser_time")]
    pub created: String,
    #[serde(serialize_with = "ser_time")]
    pub modified: String,
}

impl DataRow {
    pub fn audit(&self) -> Value {
        json!({
            "experiment_id": self.experiment_id,
            "user": self.user,
            "key": self.key,
            "value": self.value,
        })
    }
}

fn data_from_row(r: &Row<'_>) -> ColumnResult<DataRow> {
    Ok(read_row!(r => DataRow {
        get: id, experiment_id;
        text: user = "username", key, value, created, modified;
    }))
}

const DATA_SELECT: &str =
    "SELECT d.id, d.experiment_id, u.username, d.key, d.value, d.created, d.modified
     FROM experiments_experimentdata d JOIN auth_user u ON u.id = d.user_id";

/// Per-user rows, optionally of one experiment ID and/or one user, ordered as edX's admin
/// orders them (experiment ID, user, key).
pub fn data_rows(conn: &Reader, id: Option<i64>, user_id: Option<i64>) -> Result<Vec<DataRow>> {
    // only the filters given become conditions (a server must know each parameter's type)
    let mut conditions = Vec::new();
    let mut values = Vec::new();
    for (column, value) in [("d.experiment_id", id), ("d.user_id", user_id)] {
        if let Some(v) = value {
            values.push(v);
            conditions.push(format!("{column} = ?{}", values.len()));
        }
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    conn.rows(
        &format!("{DATA_SELECT}{filter} ORDER BY d.experiment_id, u.username, d.key"),
        params_from_iter(values),
        data_from_row,
    )
}

/// Every per-user row in row-id order (export).
pub fn data_rows_by_id(conn: &Reader) -> Result<Vec<DataRow>> {
    conn.rows(&format!("{DATA_SELECT} ORDER BY d.id"), (), data_from_row)
}

pub fn get_data(conn: &Reader, id: i64, user_id: i64, key: &str) -> Result<Option<DataRow>> {
    conn.row(
        &format!("{DATA_SELECT} WHERE d.experiment_id = ?1 AND d.user_id = ?2 AND d.key = ?3"),
        params![id, user_id, key],
        data_from_row,
    )
}

/// Inserts or updates (keeping `created`) a user's value of (id, key).
pub(crate) fn set_data(tx: &Tx<'_>, id: i64, user_id: i64, key: &str, value: &str) -> Result<()> {
    let row = match get_data(tx, id, user_id, key)? {
        Some(cur) => DataRow {
            value: value.to_string(),
            modified: tx.now_db.clone(),
            ..cur
        },
        None => DataRow {
            id: 0,
            experiment_id: id,
            user: String::new(),
            key: key.to_string(),
            value: value.to_string(),
            created: tx.now_db.clone(),
            modified: tx.now_db.clone(),
        },
    };
    write_data(tx, &row, user_id)?;
    Ok(())
}

/// Inserts (`id == 0`) or updates every column but `created` of a per-user row by id (`user_id`
/// is the row's user). The one writer of `experiments_experimentdata`.
pub(crate) fn write_data(tx: &Tx<'_>, d: &DataRow, user_id: i64) -> Result<i64> {
    tx.write_row(
        "experiments_experimentdata",
        d.id,
        &[
            "created",
            "modified",
            "experiment_id",
            "key",
            "value",
            "user_id",
        ],
        params![
            d.created,
            d.modified,
            d.experiment_id,
            d.key,
            d.value,
            user_id
        ],
        &["created"],
    )
}

/// Deletes one per-user row by id.
pub(crate) fn delete_data(tx: &Tx<'_>, row_id: i64) -> Result<()> {
    tx.delete_row("experiments_experimentdata", row_id)
}
