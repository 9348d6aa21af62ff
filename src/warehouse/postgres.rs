//! PostgreSQL: `E'…'` literals (read the same whatever `standard_conforming_strings` says),
//! `md5` of UTF-8 bytes and `translate` built in, bit strings; SHA-1 from the pgcrypto extension
//! (`digest`), which PostgreSQL does not build in.

use super::{Family, ansi_quoted};

pub(super) struct Postgres;

impl Family for Postgres {
    fn literal(&self, s: &str) -> Result<String, String> {
        Ok(format!(
            "E{}",
            ansi_quoted(&s.replace('\\', "\\\\"), "PostgreSQL")?
        ))
    }
    fn text(&self, column: &str) -> String {
        format!("CAST({column} AS text)")
    }
    /// The UTF-8 bytes, whatever the database's encoding.
    fn md5_hex(&self, text: &str) -> String {
        format!("md5(convert_to({text}, 'UTF8'))")
    }
    fn binary_number(&self, bits: &str) -> String {
        format!("CAST(CAST({bits} AS bit(32)) AS bigint)")
    }
    /// pgcrypto's `digest` of the UTF-8 bytes, whatever the database's encoding.
    fn sha1_hex(&self, text: &str) -> String {
        format!("encode(digest(convert_to({text}, 'UTF8'), 'sha1'), 'hex')")
    }
    fn hex_number(&self, hex: &str) -> String {
        format!("CAST(CAST(('x' || lpad({hex}, 16, '0')) AS bit(64)) AS bigint)")
    }
    fn null_text(&self) -> String {
        "CAST(NULL AS text)".into()
    }
    /// `width_bucket` counts the ends at or below the number, an array subscript picks by that
    /// count: the number is computed once.
    fn pick(&self, number: &str, ends: &[String], values: &[&str]) -> String {
        format!(
            "(ARRAY[{}])[width_bucket({number}, CAST(ARRAY[{}] AS bigint[])) + 1]",
            values.join(", "),
            ends.join(", ")
        )
    }
}
