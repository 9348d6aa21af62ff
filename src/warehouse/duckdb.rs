//! DuckDB: ANSI literals (backslashes are plain characters), `md5`, `sha1` and `translate` built
//! in, bit strings, `0x` hex casts.

use super::{Family, ansi_quoted};

pub(super) struct DuckDb;

impl Family for DuckDb {
    fn literal(&self, s: &str) -> Result<String, String> {
        ansi_quoted(s, "DuckDB")
    }
    fn text(&self, column: &str) -> String {
        format!("CAST({column} AS VARCHAR)")
    }
    fn binary_number(&self, bits: &str) -> String {
        format!("CAST(CAST({bits} AS BIT) AS UBIGINT)")
    }
    fn sha1_hex(&self, text: &str) -> String {
        format!("sha1({text})")
    }
    fn hex_number(&self, hex: &str) -> String {
        format!("CAST(('0x' || {hex}) AS BIGINT)")
    }
    fn null_text(&self) -> String {
        "CAST(NULL AS VARCHAR)".into()
    }
    /// A scalar subquery binds the value once per row.
    fn with_value(
        &self,
        value: &str,
        name: &str,
        body: &dyn Fn(&str) -> Result<String, String>,
    ) -> Result<String, String> {
        Ok(format!(
            "(SELECT {} FROM (SELECT {value} AS {name}) AS {name}_row)",
            body(name)?
        ))
    }
}
