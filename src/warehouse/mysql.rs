//! MySQL/MariaDB: every literal as the hex of its UTF-8 bytes (no `sql_mode` reads `X'…'`
//! differently, unlike backslashes in quotes), texts compared as binary strings (not by the
//! column's case- and pad-insensitive collation), `CONCAT`, `MD5`, `SHA1`, `REGEXP_REPLACE` and
//! `CONV`.

use super::Family;

pub(super) struct MySql;

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

impl Family for MySql {
    fn literal(&self, s: &str) -> Result<String, String> {
        Ok(format!("X'{}'", hex(s)))
    }
    fn ident(&self, part: &str) -> String {
        format!("`{}`", part.replace('`', "``"))
    }
    fn text(&self, column: &str) -> String {
        format!("CONVERT({column} USING utf8mb4)")
    }
    fn exact(&self, text: &str) -> String {
        format!("CAST({text} AS BINARY)")
    }
    fn concat(&self, parts: &[String]) -> String {
        format!("CONCAT({})", parts.join(", "))
    }
    fn md5_hex(&self, text: &str) -> String {
        format!("MD5({text})")
    }
    fn binary_number(&self, bits: &str) -> String {
        format!("CAST(CONV({bits}, 2, 10) AS UNSIGNED)")
    }
    /// No `translate`: two regular expressions.
    fn nibble_bits(&self, hex: &str) -> String {
        self.binary_number(&format!(
            "REGEXP_REPLACE(REGEXP_REPLACE({hex}, '[0-7]', '0'), '[89a-f]', '1')"
        ))
    }
    fn sha1_hex(&self, text: &str) -> String {
        format!("SHA1({text})")
    }
    fn hex_number(&self, hex: &str) -> String {
        format!("CAST(CONV({hex}, 16, 10) AS UNSIGNED)")
    }
    /// The bytes as utf8mb4 text (a bare `X'…'` is a binary string).
    fn text_literal(&self, s: &str) -> Result<String, String> {
        Ok(format!("CONVERT({} USING utf8mb4)", self.literal(s)?))
    }
    fn null_text(&self) -> String {
        "NULL".into()
    }
    /// `INTERVAL` counts the ends at or below the number, `ELT` picks by that count: the number
    /// is computed once.
    fn pick(&self, number: &str, ends: &[String], values: &[&str]) -> String {
        format!(
            "ELT(INTERVAL({number}, {}) + 1, {})",
            ends.join(", "),
            values.join(", ")
        )
    }
}
