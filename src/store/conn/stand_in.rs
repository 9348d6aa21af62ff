//! Tables a server's database lacks, read as empty: each statement that names one reads an
//! empty row set with the table's columns in its place (see [`Reader::stand_in_empty`]).

use std::collections::HashMap;

use super::{Backend, Reader};

/// The name and the columns (name, declared type) of the table a SQLite `CREATE TABLE`
/// statement makes (columns listed one per comma at the top level, constraints after them).
pub(in crate::store) fn table_columns(create: &str) -> Option<(String, Vec<(String, String)>)> {
    let name = create.split('"').nth(1)?.to_string();
    let body = &create[create.find('(')? + 1..create.rfind(')')?];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in body.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&body[start..]);
    let cols = parts
        .iter()
        .filter_map(|p| {
            let p = p.trim().strip_prefix('"')?;
            let (col, rest) = p.split_once('"')?;
            let ty = rest.split_whitespace().next().unwrap_or("text");
            Some((col.to_string(), ty.to_ascii_lowercase()))
        })
        .collect();
    Some((name, cols))
}

/// An empty row set with `cols`, each typed on `backend` as the table's column would be (so
/// that expressions on them, such as `COALESCE(MAX(id), 0)`, type-check as on the table).
fn empty_rows(cols: &[(String, String)], backend: Backend) -> String {
    let typed: Vec<String> = cols
        .iter()
        .map(|(col, ty)| {
            let ty = match (backend, ty.as_str()) {
                (Backend::Postgres, "integer" | "smallint" | "bigint") => "bigint",
                (Backend::Postgres, "bool") => "boolean",
                (Backend::Postgres, "datetime") => "timestamp with time zone",
                (Backend::Postgres, "decimal") => "numeric",
                (Backend::Postgres, _) => "text",
                (_, "integer" | "smallint" | "bigint" | "bool") => "SIGNED",
                (_, "datetime") => "DATETIME(6)",
                (_, "decimal") => "DECIMAL(4,1)",
                // in byte order, as wafflectl's own text columns there: compared with a Django
                // table's text, it wins as theirs does (no "illegal mix of collations")
                (_, _) => "CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_bin",
            };
            let cast = if ty.ends_with("utf8mb4_bin") {
                format!("CAST(NULL AS {ty}")
            } else {
                format!("CAST(NULL AS {ty})")
            };
            format!("{cast} AS \"{col}\"")
        })
        .collect();
    let from = if backend == Backend::MySql {
        " FROM DUAL"
    } else {
        ""
    };
    format!("(SELECT {}{from} WHERE 1 = 0)", typed.join(", "))
}

/// Words that may follow a table in `FROM` without being its alias.
const NOT_ALIAS: &[&str] = &[
    "WHERE",
    "ORDER",
    "GROUP",
    "LIMIT",
    "JOIN",
    "LEFT",
    "RIGHT",
    "INNER",
    "CROSS",
    "ON",
    "UNION",
    "HAVING",
    "AS",
    "USING",
    "NATURAL",
    "FULL",
    "OFFSET",
    "FOR",
    "WINDOW",
    "EXCEPT",
    "INTERSECT",
];

/// `sql` with every table of `absent` named after `FROM` or `JOIN` replaced by its empty row
/// set, under the table's name unless the statement gives it an alias.
pub(super) fn with_stand_ins(sql: &str, absent: &HashMap<String, String>) -> String {
    // tokens: (start, end, word without quotes or None for anything else)
    let bytes = sql.as_bytes();
    let mut tokens: Vec<(usize, usize, Option<String>)> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' {
            let s = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'$')
            {
                i += 1;
            }
            tokens.push((s, i, Some(sql[s..i].to_string())));
        } else if c == b'"' || c == b'\'' || c == b'`' {
            let s = i;
            i += 1;
            while i < bytes.len() && bytes[i] != c {
                i += 1;
            }
            i = (i + 1).min(bytes.len());
            let word = (c == b'"').then(|| sql[s + 1..i - 1].to_string());
            tokens.push((s, i, word));
        } else if c.is_ascii_whitespace() {
            i += 1;
        } else {
            tokens.push((i, i + 1, None));
            i += 1;
        }
    }
    let mut out = String::with_capacity(sql.len());
    let mut copied = 0;
    for (k, (s, e, word)) in tokens.iter().enumerate() {
        let Some(rows) = word.as_deref().and_then(|w| absent.get(w)) else {
            continue;
        };
        let after_from = k > 0
            && tokens[k - 1]
                .2
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case("FROM") || p.eq_ignore_ascii_case("JOIN"));
        if !after_from {
            continue;
        }
        let aliased = tokens.get(k + 1).is_some_and(|(s2, _, w)| {
            w.as_deref().is_some_and(|w| {
                bytes[*s2] != b'\'' && !NOT_ALIAS.iter().any(|n| n.eq_ignore_ascii_case(w))
            }) || tokens[k + 1]
                .2
                .as_deref()
                .is_some_and(|w| w.eq_ignore_ascii_case("AS"))
        });
        out.push_str(&sql[copied..*s]);
        out.push_str(rows);
        if !aliased {
            out.push_str(&format!(" AS \"{}\"", word.as_deref().unwrap_or_default()));
        }
        copied = *e;
    }
    out.push_str(&sql[copied..]);
    out
}

impl Reader {
    /// On a server: reads see each table `create` (SQLite DDL, as [`super::schema`] keeps it)
    /// would make as an empty table with its columns, typed, while the database lacks it. The
    /// statements read from an empty row set in its place (`FROM (SELECT ... WHERE 1 = 0)`),
    /// which needs no privilege and writes nothing, so a read-only user and a hot standby read
    /// it too. Returns the names stood in for.
    pub(in crate::store) fn stand_in_empty(&self, creates: &[&str]) -> Vec<String> {
        let backend = self.backend();
        let mut absent = self.absent.borrow_mut();
        let mut names = Vec::new();
        for create in creates {
            if let Some((name, cols)) = table_columns(create) {
                absent.insert(name.clone(), empty_rows(&cols, backend));
                names.push(name);
            }
        }
        self.translations.borrow_mut().clear();
        names
    }

    /// After the absent tables were created (a write migrated the store): reads read them.
    pub(in crate::store) fn clear_stand_ins(&self) {
        self.absent.borrow_mut().clear();
        self.translations.borrow_mut().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absent_table_reads_as_an_empty_row_set_under_its_name_or_its_alias() {
        let (name, cols) = table_columns(
            r#"CREATE TABLE "t" ("id" integer NOT NULL PRIMARY KEY, "n" text NOT NULL UNIQUE, "k" integer NULL CHECK ("k" BETWEEN 0 AND 9), "at" datetime NOT NULL)"#,
        )
        .unwrap();
        assert_eq!(name, "t");
        let names: Vec<&str> = cols.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(names, ["id", "n", "k", "at"]);
        let mut absent = HashMap::new();
        absent.insert("t".to_string(), "(E)".to_string());
        let cases = [
            (
                "SELECT n FROM t WHERE id = ?1",
                "SELECT n FROM (E) AS \"t\" WHERE id = ?1",
            ),
            ("SELECT n FROM t e WHERE 1", "SELECT n FROM (E) e WHERE 1"),
            ("SELECT n FROM \"t\"", "SELECT n FROM (E) AS \"t\""),
            ("SELECT max(id) FROM t", "SELECT max(id) FROM (E) AS \"t\""),
            (
                "INSERT INTO t (n) VALUES ('FROM t')",
                "INSERT INTO t (n) VALUES ('FROM t')",
            ),
            ("SELECT x FROM tt", "SELECT x FROM tt"),
        ];
        for (sql, want) in cases {
            assert_eq!(with_stand_ins(sql, &absent), want, "{sql}");
        }
        let pg = empty_rows(&cols, Backend::Postgres);
        assert_eq!(
            pg,
            "(SELECT CAST(NULL AS bigint) AS \"id\", CAST(NULL AS text) AS \"n\", CAST(NULL AS bigint) AS \"k\", CAST(NULL AS timestamp with time zone) AS \"at\" WHERE 1 = 0)"
        );
        assert!(empty_rows(&cols, Backend::MySql).ends_with(" FROM DUAL WHERE 1 = 0)"));
    }
}
