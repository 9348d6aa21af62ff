//! DuckDB: ANSI literals (backslashes are plain characters), `md5` and `translate` built in, bit strings.

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
}
