//! DuckDB: ANSI literals (backslashes are plain characters), `md5` and `translate` built in, bit strings.

use super::{Family, ansi_quoted};

pub(super) struct DuckDb;

impl Family for DuckDb {
    fn literal(&self, s: &str) -> Result<String, String> {
        if s.contains('\0') {
            return Err("DuckDB text cannot hold a NUL character".into());
        }
        Ok(ansi_quoted(s))
    }
    fn ident(&self, part: &str) -> String {
        format!("\"{}\"", part.replace('"', "\"\""))
    }
    fn text(&self, column: &str) -> String {
        format!("CAST({column} AS VARCHAR)")
    }
    fn binary_number(&self, bits: &str) -> String {
        format!("CAST(CAST({bits} AS BIT) AS UBIGINT)")
    }
}
