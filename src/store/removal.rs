//! What `stale` reads: when each object last changed (audit log, `modified`, override
//! `change_date`), and baseplate experiment definitions when their table exists.

use std::collections::HashMap;

use super::Reader;
use serde_json::Value;

use super::columns::text;
use crate::error::Result;

/// The newest audit row of every (object kind, object name), as stored (`YYYY-MM-DD HH:MM:SS`).
pub fn last_audit(conn: &Reader) -> Result<HashMap<(String, String), String>> {
    let rows = conn.rows(
        "SELECT object_kind, object_name, MAX(at) AS at FROM wafflectl_audit GROUP BY object_kind, object_name",
        (),
        |r| {
            Ok((
                (text(r, "object_kind")?, text(r, "object_name")?),
                text(r, "at")?,
            ))
        },
    )?;
    Ok(rows.into_iter().collect())
}

/// A baseplate experiment as kept in `wafflectl_baseplate`.
#[derive(Debug, Clone)]
pub struct BaseplateRow {
    pub key: String,
    pub name: Option<String>,
    /// The experiment's JSON object (`Value::Null` when the column is not valid JSON).
    pub config: Value,
    pub modified: String,
}

/// Every baseplate experiment, by key; none when the store has no `wafflectl_baseplate` table.
pub fn baseplate(conn: &Reader) -> Result<Vec<BaseplateRow>> {
    if !conn.table_exists("wafflectl_baseplate")? {
        return Ok(Vec::new());
    }
    conn.rows(
        "SELECT key, name, config, modified FROM wafflectl_baseplate ORDER BY key",
        (),
        |r| {
            let config = text(r, "config")?;
            Ok(BaseplateRow {
                key: text(r, "key")?,
                name: super::columns::opt_text(r, "name")?,
                config: serde_json::from_str(&config).unwrap_or(Value::Null),
                modified: text(r, "modified")?,
            })
        },
    )
}
