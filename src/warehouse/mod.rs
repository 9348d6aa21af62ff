//! The engine's assignment as SQL for the engine that already holds the ids (`wafflectl sql`):
//! an expression that gives, row by row, the bucket `bucket --users-file` prints or the variant
//! `variant --users-file` prints. A rendering of definitions already loaded (no I/O): the shared
//! expression builder is here, what differs per database in one file per dialect family, the edX
//! decision in [`edx`] and baseplate's in [`baseplate`].

pub mod baseplate;
mod duckdb;
pub mod edx;
mod mysql;
mod postgres;

use serde::Serialize;

/// The databases whose SQL is checked against the engine (conformance/warehouse).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    DuckDb,
    Postgres,
    MySql,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Postgres => "postgres",
            Dialect::MySql => "mysql",
        }
    }

    fn family(self) -> &'static dyn Family {
        match self {
            Dialect::DuckDb => &duckdb::DuckDb,
            Dialect::Postgres => &postgres::Postgres,
            Dialect::MySql => &mysql::MySql,
        }
    }
}

/// What a dialect family writes its own way. Every text the expression hashes or compares is
/// UTF-8 bytes, compared byte for byte, whatever the database's collation.
trait Family {
    /// A text literal that reads back as exactly `s` (Err: the dialect cannot hold it).
    fn literal(&self, s: &str) -> Result<String, String>;
    /// One part of a column name, quoted (ANSI double quotes unless the dialect says otherwise).
    fn ident(&self, part: &str) -> String {
        format!("\"{}\"", part.replace('"', "\"\""))
    }
    /// A column as the text it compares and hashes.
    fn text(&self, column: &str) -> String;
    /// Text made comparable byte for byte with literals of [`Family::literal`].
    fn exact(&self, text: &str) -> String {
        text.to_string()
    }
    /// Texts joined.
    fn concat(&self, parts: &[String]) -> String {
        format!("({})", parts.join(" || "))
    }
    /// The lowercase hex MD5 of a text.
    fn md5_hex(&self, text: &str) -> String {
        format!("md5({text})")
    }
    /// A text of 32 `0`/`1` digits read as a base-2 number (0 to 2^32 - 1).
    fn binary_number(&self, bits: &str) -> String;
    /// The lowercase hex SHA-1 of a text's UTF-8 bytes.
    fn sha1_hex(&self, text: &str) -> String;
    /// A text of 1 to 8 lowercase hex digits as a number (a 64-bit signed or unsigned integer).
    fn hex_number(&self, hex: &str) -> String;
    /// A text value (a variant) that reads back as exactly `s`, of the dialect's text type.
    fn text_literal(&self, s: &str) -> Result<String, String> {
        self.literal(s)
    }
    /// NULL of the text type the variants have.
    fn null_text(&self) -> String;
    /// `body` over `value`: `body` is given the name to read it by where the dialect binds it
    /// once per row (a scalar subquery, DuckDB), else the value itself, repeated where `body`
    /// repeats it (a scalar subquery per row costs PostgreSQL more than repeating the value, and
    /// MariaDB's derived tables cannot read outer columns).
    fn with_value(
        &self,
        value: &str,
        _name: &str,
        body: &dyn Fn(&str) -> Result<String, String>,
    ) -> Result<String, String> {
        body(value)
    }
    /// The value of the segment holding `number`: `segments` are (end, value) in order, the
    /// last one's end past every number.
    fn choose(&self, number: &str, segments: &[(u64, String)]) -> String {
        match segments {
            [] => self.null_text(),
            [(_, only)] => only.clone(),
            [init @ .., _] => {
                let ends: Vec<String> = init.iter().map(|(e, _)| e.to_string()).collect();
                let values: Vec<&str> = segments.iter().map(|(_, v)| v.as_str()).collect();
                self.pick(number, &ends, &values)
            }
        }
    }
    /// [`Family::choose`] of two or more segments: `values[i]` holds the numbers below
    /// `ends[i]` (and at or above the end before it), the last value the rest.
    fn pick(&self, number: &str, ends: &[String], values: &[&str]) -> String {
        let mut s = String::from("CASE");
        for (end, v) in ends.iter().zip(values) {
            s.push_str(&format!(" WHEN {number} < {end} THEN {v}"));
        }
        match values.last() {
            Some(last) => s.push_str(&format!(" ELSE {last} END")),
            None => return self.null_text(),
        }
        s
    }
    /// edX's `n` of a lowercase hex MD5 digest: the top bit of each hex digit (8 to f), first
    /// digit most significant.
    fn nibble_bits(&self, hex: &str) -> String {
        self.binary_number(&format!(
            "translate({hex}, '0123456789abcdef', '0000000011111111')"
        ))
    }
}

/// What `sql bucket` / `sql variant` print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sql {
    pub dialect: &'static str,
    /// One value per row: the bucket (integer) or the variant (text, NULL for none).
    pub expression: String,
    /// Statements to run once before the expression, in order (none for edX buckets).
    pub setup: Vec<String>,
    /// The columns the expression reads.
    pub columns: Vec<String>,
}

/// A column name as typed (`t.username`), each dotted part quoted.
pub fn column(d: Dialect, typed: &str) -> Result<String, String> {
    if typed.is_empty() || typed.split('.').any(str::is_empty) {
        return Err(format!(
            "column name {typed:?} is empty or has an empty part"
        ));
    }
    if typed.contains('\0') {
        return Err(format!("column name {typed:?} contains a NUL character"));
    }
    Ok(typed
        .split('.')
        .map(|p| d.family().ident(p))
        .collect::<Vec<_>>()
        .join("."))
}

/// `expr IN (literal, ...)` over texts compared byte for byte.
fn is_in(f: &dyn Family, text: &str, values: &[String]) -> Result<String, String> {
    let lits = values
        .iter()
        .map(|v| f.literal(v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(format!("{} IN ({})", f.exact(text), lits.join(", ")))
}

/// `CASE WHEN … THEN … ELSE … END` from (condition, value) pairs.
fn case(arms: &[(String, String)], otherwise: &str) -> String {
    if arms.is_empty() {
        return otherwise.to_string();
    }
    let mut s = String::from("CASE");
    for (when, then) in arms {
        s.push_str(&format!("\n  WHEN {when} THEN {then}"));
    }
    s.push_str(&format!("\n  ELSE {otherwise}\nEND"));
    s
}

/// Quotes a text the ANSI way, `'` doubled (DuckDB, and the part PostgreSQL shares); `db`'s
/// text cannot hold a NUL character.
fn ansi_quoted(s: &str, db: &str) -> Result<String, String> {
    if s.contains('\0') {
        return Err(format!("{db} text cannot hold a NUL character"));
    }
    Ok(format!("'{}'", s.replace('\'', "''")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_are_quoted_per_part() {
        assert_eq!(column(Dialect::DuckDb, "t.user").unwrap(), "\"t\".\"user\"");
        assert_eq!(column(Dialect::Postgres, "a\"b").unwrap(), "\"a\"\"b\"");
        assert_eq!(column(Dialect::MySql, "u`x").unwrap(), "`u``x`");
        assert!(column(Dialect::MySql, "t.").is_err());
        assert!(column(Dialect::MySql, "").is_err());
    }

    #[test]
    fn literals_escape_quotes_and_backslashes() {
        assert_eq!(
            Dialect::DuckDb.family().literal("o'b\\é").unwrap(),
            "'o''b\\é'"
        );
        assert_eq!(
            Dialect::Postgres.family().literal("o'b\\é").unwrap(),
            "E'o''b\\\\é'"
        );
        // MariaDB: the bytes in hex, which no sql_mode reads differently.
        assert_eq!(
            Dialect::MySql.family().literal("o'\\é").unwrap(),
            "X'6f275cc3a9'"
        );
        assert!(Dialect::Postgres.family().literal("a\0b").is_err());
        assert_eq!(Dialect::MySql.family().literal("").unwrap(), "X''");
    }
}
