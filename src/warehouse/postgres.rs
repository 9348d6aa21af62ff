//! PostgreSQL: `E'…'` literals (read the same whatever `standard_conforming_strings` says),
//! `md5` built in, SHA-1 from the pgcrypto extension, bit strings.

use super::{Family, ansi_quoted};

pub(super) struct Postgres;

impl Family for Postgres {
    fn literal(&self, s: &str) -> Result<String, String> {
        if s.contains('\0') {
            return Err("PostgreSQL text cannot hold a NUL character".into());
        }
        Ok(format!("E{}", ansi_quoted(&s.replace('\\', "\\\\"))))
    }
    fn ident(&self, part: &str) -> String {
        format!("\"{}\"", part.replace('"', "\"\""))
    }
    fn text(&self, column: &str) -> String {
        format!("CAST({column} AS text)")
    }
    fn sha1_hex(&self, text: &str) -> String {
        format!("encode(digest(convert_to({text}, 'UTF8'), 'sha1'), 'hex')")
    }
    fn binary_number(&self, bits: &str) -> String {
        format!("CAST(CAST({bits} AS bit(32)) AS bigint)")
    }
    fn needs(&self, sha1: bool) -> Vec<String> {
        if sha1 {
            vec!["CREATE EXTENSION IF NOT EXISTS pgcrypto;".into()]
        } else {
            Vec::new()
        }
    }
}
