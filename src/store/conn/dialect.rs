//! The SQL text each server reads: the store writes one text (numbered `?N` markers,
//! double-quoted identifiers, `||`); [`translate`] rewrites it for MySQL and PostgreSQL, and the
//! reader's [`Reader::starts_with`], [`Reader::positive`] and [`Reader::upsert_sql`] give what
//! differs beyond that. Also the texts of inserts and the statements of a DDL script.

use super::{Backend, Reader};

/// A store statement in a server's dialect: `?N` markers become `$N` (PostgreSQL) or `?` with
/// the parameters reordered (MySQL: the indexes, 0-based, of the parameters to send in order).
/// On MySQL the columns `key` and `before` (written in lower case; `KEY` is the keyword) are
/// quoted, as MySQL reserves the words. Quoted text and identifiers are left alone. `ORDER BY`
/// on a text column compares bytes on every backend (see [`order_by_bytes`]).
pub(in crate::store) fn translate(sql: &str, backend: Backend) -> (String, Vec<usize>) {
    let mut order = Vec::new();
    let mut next = 0usize;
    let out = rewrite(
        sql,
        |number| {
            let n = number.unwrap_or(next + 1);
            next = n;
            match backend {
                Backend::Postgres => format!("${n}"),
                Backend::MySql => {
                    order.push(n - 1);
                    "?".into()
                }
                Backend::Sqlite => format!("?{n}"),
            }
        },
        |word| {
            if backend == Backend::MySql && MYSQL_RESERVED.contains(&word) {
                format!("\"{word}\"")
            } else {
                word.to_string()
            }
        },
    );
    (order_by_bytes(&out, backend), order)
}

/// `sql` with each parameter marker (`?`, or `?N` with N ≥ 1) outside quoted text and
/// identifiers replaced by what `marker` makes of its number (None for a bare `?`), and each
/// word (letters, digits, `_`, `$`) outside quotes by what `word` makes of it.
pub(in crate::store) fn rewrite(
    sql: &str,
    mut marker: impl FnMut(Option<usize>) -> String,
    mut word: impl FnMut(&str) -> String,
) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quote: Option<char> = None;
    let mut current = String::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if quote.is_none() && (c.is_ascii_alphanumeric() || c == '_' || c == '$') {
            current.push(c);
            continue;
        }
        if !current.is_empty() {
            out.push_str(&word(&current));
            current.clear();
        }
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' || c == '`' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let number = digits.parse::<usize>().ok().filter(|&n| n > 0);
                out.push_str(&marker(number));
            }
            None => out.push(c),
        }
    }
    if !current.is_empty() {
        out.push_str(&word(&current));
    }
    out
}

/// Column names of the store's tables that MySQL reserves as words (in lower case: upper case
/// is the keyword).
const MYSQL_RESERVED: &[&str] = &["key", "before"];

/// The text columns the store sorts by. SQLite compares text as bytes; a server compares by the
/// column's collation (MySQL's `utf8mb4_unicode_ci` ignores case and weighs punctuation
/// differently, PostgreSQL's follows the database's locale), so listings would come out in
/// another order. On a server, `ORDER BY` items naming these columns compare bytes instead
/// (code-point order, as SQLite's UTF-8).
const TEXT_ORDER_COLUMNS: &[&str] = &[
    "name",
    "username",
    "key",
    "\"key\"",
    "object_name",
    "course_id",
    "waffle_flag",
    "org",
];

fn order_by_bytes(sql: &str, backend: Backend) -> String {
    if backend == Backend::Sqlite || !sql.contains("ORDER BY ") {
        return sql.to_string();
    }
    let mut out = String::with_capacity(sql.len() + 32);
    let mut rest = sql;
    while let Some(at) = rest.find("ORDER BY ") {
        let (head, tail) = rest.split_at(at + "ORDER BY ".len());
        out.push_str(head);
        // the list ends at LIMIT, a closing parenthesis or the end
        let end = [tail.find(" LIMIT"), tail.find(')')]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(tail.len());
        let (list, after) = tail.split_at(end);
        let items: Vec<String> = list
            .split(',')
            .map(|item| {
                let item = item.trim();
                let (expr, dir) = match item.rsplit_once(' ') {
                    Some((e, d)) if matches!(d, "ASC" | "DESC") => (e, Some(d)),
                    _ => (item, None),
                };
                let column = expr.rsplit('.').next().unwrap_or(expr);
                let expr = if TEXT_ORDER_COLUMNS.contains(&column) {
                    match backend {
                        Backend::MySql => format!("CAST({expr} AS BINARY)"),
                        _ => format!("{expr} COLLATE \"C\""),
                    }
                } else {
                    expr.to_string()
                };
                match dir {
                    Some(d) => format!("{expr} {d}"),
                    None => expr,
                }
            })
            .collect();
        out.push_str(&items.join(", "));
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The statements of a script (DDL separated by `;`, with no `;` inside a statement).
pub(in crate::store) fn statements(script: &str) -> impl Iterator<Item = &str> {
    script.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// The `i`th (1-based) statement parameter.
pub(in crate::store) fn param(i: usize) -> String {
    format!("?{i}")
}

/// `INSERT INTO table (cols) VALUES (...), (...)` for `rows` rows.
pub(in crate::store) fn insert_rows_sql(table: &str, cols: &[&str], rows: usize) -> String {
    let tuples: Vec<String> = (0..rows)
        .map(|r| {
            let marks: Vec<String> = (1..=cols.len())
                .map(|c| param(r * cols.len() + c))
                .collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO {table} ({}) VALUES {}",
        cols.join(", "),
        tuples.join(", ")
    )
}

/// `INSERT INTO table (cols) VALUES (params)`.
pub(in crate::store) fn insert_sql(table: &str, cols: &[&str]) -> String {
    let marks: Vec<String> = (1..=cols.len()).map(param).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        cols.join(", "),
        marks.join(", ")
    )
}

impl Reader {
    /// The SQL condition "`col` starts with parameter `n`", compared as bytes (code points).
    pub(in crate::store) fn starts_with(&self, col: &str, n: usize) -> String {
        match self.backend() {
            Backend::Sqlite => format!("substr({col}, 1, length(?{n})) = ?{n}"),
            Backend::MySql => {
                format!("CAST(LEFT({col}, CHAR_LENGTH(?{n})) AS BINARY) = CAST(?{n} AS BINARY)")
            }
            Backend::Postgres => format!("left({col}, char_length(?{n})) = ?{n}"),
        }
    }

    /// The SQL condition "the stored number in `col` is above zero" (SQLite may hold text).
    pub(in crate::store) fn positive(&self, col: &str) -> String {
        match self.backend() {
            Backend::Sqlite => format!("CAST({col} AS REAL) > 0"),
            _ => format!("{col} > 0"),
        }
    }

    /// An insert that updates `update` (from the new row's values) when a row with the same
    /// `key` exists.
    pub(in crate::store) fn upsert_sql(
        &self,
        table: &str,
        cols: &[&str],
        key: &[&str],
        update: &[&str],
    ) -> String {
        // the clause, and how it names a column's value in the new row
        let (clause, new_value): (String, fn(&str) -> String) = match self.backend() {
            Backend::MySql => ("ON DUPLICATE KEY UPDATE".into(), |c| format!("VALUES({c})")),
            _ => (
                format!("ON CONFLICT ({}) DO UPDATE SET", key.join(", ")),
                |c| format!("excluded.{c}"),
            ),
        };
        let sets: Vec<String> = update
            .iter()
            .map(|c| format!("{c} = {}", new_value(c)))
            .collect();
        format!("{} {clause} {}", insert_sql(table, cols), sets.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::columns::text;

    #[test]
    fn numbered_markers_become_each_dialects_and_quotes_are_left_alone() {
        let sql = "SELECT '?1', \"a?2\" FROM t WHERE a = ?2 AND b = ?1 OR c = ?2";
        let (pg, _) = translate(sql, Backend::Postgres);
        assert_eq!(
            pg,
            "SELECT '?1', \"a?2\" FROM t WHERE a = $2 AND b = $1 OR c = $2"
        );
        let (my, order) = translate(sql, Backend::MySql);
        assert_eq!(
            my,
            "SELECT '?1', \"a?2\" FROM t WHERE a = ? AND b = ? OR c = ?"
        );
        assert_eq!(order, [1, 0, 1]);
        let (my, order) = translate("VALUES (?, ?)", Backend::MySql);
        assert_eq!((my.as_str(), order), ("VALUES (?, ?)", vec![0, 1]));
    }

    #[test]
    fn mysql_quotes_the_key_column_but_not_the_keyword() {
        let (my, _) = translate(
            "INSERT INTO t (key, monkey) VALUES (?1, ?2) ON DUPLICATE KEY UPDATE key = VALUES(key)",
            Backend::MySql,
        );
        assert_eq!(
            my,
            "INSERT INTO t (\"key\", monkey) VALUES (?, ?) ON DUPLICATE KEY UPDATE \"key\" = VALUES(\"key\")"
        );
        let (pg, _) = translate("SELECT key FROM t", Backend::Postgres);
        assert_eq!(pg, "SELECT key FROM t");
    }

    #[test]
    fn servers_order_text_columns_by_bytes() {
        // (backend, SQL as the store writes it, as the backend reads it)
        for (backend, sql, want) in [
            (
                Backend::MySql,
                "SELECT a FROM t WHERE x IN (SELECT y FROM u ORDER BY name) ORDER BY d.experiment_id, u.username DESC, d.key LIMIT 5",
                "SELECT a FROM t WHERE x IN (SELECT y FROM u ORDER BY CAST(name AS BINARY)) ORDER BY d.experiment_id, CAST(u.username AS BINARY) DESC, CAST(d.\"key\" AS BINARY) LIMIT 5",
            ),
            (
                Backend::Postgres,
                "SELECT a FROM t ORDER BY id, name",
                "SELECT a FROM t ORDER BY id, name COLLATE \"C\"",
            ),
            (
                Backend::Sqlite,
                "SELECT a FROM t ORDER BY name",
                "SELECT a FROM t ORDER BY name",
            ),
        ] {
            assert_eq!(translate(sql, backend).0, want, "{backend:?}");
        }
    }

    #[test]
    fn an_upsert_inserts_then_updates_only_the_named_columns() {
        let db = crate::store::sqlite::in_memory();
        db.execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY, a TEXT, b TEXT)")
            .unwrap();
        let sql = db.upsert_sql("t", &["k", "a", "b"], &["k"], &["b"]);
        assert_eq!(
            sql,
            "INSERT INTO t (k, a, b) VALUES (?1, ?2, ?3) ON CONFLICT (k) DO UPDATE SET b = excluded.b"
        );
        db.run(&sql, ["x", "a1", "b1"]).unwrap();
        db.run(&sql, ["x", "a2", "b2"]).unwrap();
        let rows = db
            .rows("SELECT k, a, b FROM t", (), |r| {
                Ok((text(r, "k")?, text(r, "a")?, text(r, "b")?))
            })
            .unwrap();
        assert_eq!(rows, [("x".into(), "a1".into(), "b2".into())]);
    }
}
