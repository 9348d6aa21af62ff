//! The store's connection to its database, whichever the backend: [`Reader`] (a SQLite file, a
//! MySQL/MariaDB or a PostgreSQL server), the rows it returns ([`Row`]), the parameters it takes
//! ([`Args`]) and its transactions. The store modules write one SQL text for every backend, with
//! numbered `?N` parameters, double-quoted identifiers and `||`; [`translate`] turns it into each
//! server's dialect (MySQL sessions run with `ANSI_QUOTES,PIPES_AS_CONCAT`). What differs beyond
//! that is asked of the reader by name ([`Reader::starts_with`], [`Reader::upsert_sql`]...).
//!
//! Values travel as SQLite's value type: a server's column is read into the value SQLite would
//! hold for what Django wrote (booleans as 0/1, decimals as numbers, datetimes in
//! [`crate::time::to_db`]'s UTC form), so the readers in [`super::columns`] serve every backend.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

use rusqlite::types::{FromSql, ToSqlOutput};

use super::sqlite::Lite;
use super::{mysql::My, postgres::Pg};
use crate::engine::overrides::StoredDate;
use crate::error::{Error, Kind, Result};
use crate::types::DbUrl;

/// A statement parameter (any value the store binds).
pub(super) use rusqlite::ToSql as Param;
pub(super) use rusqlite::params;
pub(super) use rusqlite::types::{Value, ValueRef};
/// What reading one column of a row returns.
pub(super) type ColumnResult<T> = rusqlite::Result<T>;

/// Which database a [`Reader`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Backend {
    Sqlite,
    MySql,
    Postgres,
}

/// A handle the store reads through: the connection, or a snapshot or write transaction on it
/// (both deref to their connection's `Reader`, so every query through them sees the
/// transaction). Its SQL methods are the store's own: outside the store it is only passed on.
pub struct Reader {
    conn: Conn,
    /// Statements already translated into this server's dialect.
    translations: RefCell<HashMap<String, Translation>>,
    /// On a server, the tables the database lacks that reads see as empty: each name with the
    /// empty row set that stands in for it ([`Reader::stand_in_empty`]).
    absent: RefCell<HashMap<String, String>>,
}

pub(super) enum Conn {
    Sqlite(Lite),
    MySql(Box<RefCell<My>>),
    Postgres(Box<RefCell<Pg>>),
}

/// A decimal column's value as SQLite keeps what Django writes there (NUMERIC affinity: an
/// integer when the number is whole, else a real), so that one reader serves every backend;
/// Django reads the same number from both (`decimal(3,1)` and `decimal(4,1)` fit a double).
pub(super) fn decimal(text: &str) -> Value {
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15 => Value::Integer(f as i64),
        Ok(f) if f.is_finite() => Value::Real(f),
        _ => Value::Text(text.to_string()),
    }
}

/// A connection refused because the server's TLS certificate did not verify (`sslmode=verify-*`).
pub(super) fn certificate_refused(url: &DbUrl, detail: &str) -> Error {
    Error::runtime(format!(
        "the TLS certificate of {} was refused: {detail}",
        url.address()
    ))
    .with_hint(
        "sslmode=verify-ca and verify-full accept certificates from the public web roots, or from \
         the authorities in sslrootcert=CA.pem; sslmode=require encrypts without checking the \
         certificate",
    )
}

/// A server's result row: the column names (shared by every row of a result) and the values.
pub(super) struct NetRow {
    cols: Rc<[String]>,
    vals: Vec<Value>,
}

impl NetRow {
    pub(super) fn new(cols: Rc<[String]>, vals: Vec<Value>) -> NetRow {
        NetRow { cols, vals }
    }
}

/// A result row, read by column name or position.
pub(super) enum Row<'a> {
    Lite(&'a rusqlite::Row<'a>),
    Net(&'a NetRow),
}

/// A column of a [`Row`]: its position or its name.
pub(super) trait Col: Copy {
    fn lite_get<T: FromSql>(self, r: &rusqlite::Row<'_>) -> rusqlite::Result<T>;
    fn lite_ref<'a>(self, r: &'a rusqlite::Row<'_>) -> rusqlite::Result<ValueRef<'a>>;
    fn position(self, cols: &[String]) -> rusqlite::Result<usize>;
}

impl Col for usize {
    fn lite_get<T: FromSql>(self, r: &rusqlite::Row<'_>) -> rusqlite::Result<T> {
        r.get(self)
    }
    fn lite_ref<'a>(self, r: &'a rusqlite::Row<'_>) -> rusqlite::Result<ValueRef<'a>> {
        r.get_ref(self)
    }
    fn position(self, cols: &[String]) -> rusqlite::Result<usize> {
        if self < cols.len() {
            Ok(self)
        } else {
            Err(rusqlite::Error::InvalidColumnIndex(self))
        }
    }
}

impl Col for &str {
    fn lite_get<T: FromSql>(self, r: &rusqlite::Row<'_>) -> rusqlite::Result<T> {
        r.get(self)
    }
    fn lite_ref<'a>(self, r: &'a rusqlite::Row<'_>) -> rusqlite::Result<ValueRef<'a>> {
        r.get_ref(self)
    }
    fn position(self, cols: &[String]) -> rusqlite::Result<usize> {
        cols.iter()
            .position(|c| c.eq_ignore_ascii_case(self))
            .ok_or_else(|| rusqlite::Error::InvalidColumnName(self.to_string()))
    }
}

impl Row<'_> {
    /// The column's value as stored (read as the backend's Django reads it).
    pub(super) fn get_ref<C: Col>(&self, col: C) -> rusqlite::Result<ValueRef<'_>> {
        match self {
            Row::Lite(r) => col.lite_ref(r),
            Row::Net(r) => Ok(ValueRef::from(&r.vals[col.position(&r.cols)?])),
        }
    }

    /// The column converted to `T`.
    pub(super) fn get<C: Col, T: FromSql>(&self, col: C) -> rusqlite::Result<T> {
        match self {
            Row::Lite(r) => col.lite_get(r),
            Row::Net(r) => {
                let i = col.position(&r.cols)?;
                T::column_result(ValueRef::from(&r.vals[i])).map_err(|e| match e {
                    rusqlite::types::FromSqlError::InvalidType => {
                        rusqlite::Error::InvalidColumnType(
                            i,
                            r.cols[i].clone(),
                            ValueRef::from(&r.vals[i]).data_type(),
                        )
                    }
                    other => rusqlite::Error::FromSqlConversionFailure(
                        i,
                        ValueRef::from(&r.vals[i]).data_type(),
                        Box::new(other),
                    ),
                })
            }
        }
    }
}

/// A statement's parameters: `()`, an array of values, `params![...]`, or [`params_from_iter`].
pub(super) trait Args {
    fn list(&self) -> Vec<&dyn Param>;
}

impl Args for () {
    fn list(&self) -> Vec<&dyn Param> {
        Vec::new()
    }
}

impl<T: Param, const N: usize> Args for [T; N] {
    fn list(&self) -> Vec<&dyn Param> {
        self.iter().map(|v| v as &dyn Param).collect()
    }
}

impl Args for &[&dyn Param] {
    fn list(&self) -> Vec<&dyn Param> {
        self.to_vec()
    }
}

impl Args for Vec<Value> {
    fn list(&self) -> Vec<&dyn Param> {
        self.iter().map(|v| v as &dyn Param).collect()
    }
}

/// Parameters from an iterator of values.
pub(super) fn params_from_iter<I>(iter: I) -> Vec<Value>
where
    I: IntoIterator,
    I::Item: Param,
{
    iter.into_iter()
        .map(|p| match p.to_sql() {
            Ok(out) => owned(out),
            Err(_) => Value::Null,
        })
        .collect()
}

/// A parameter's value, owned.
pub(super) fn owned(out: ToSqlOutput<'_>) -> Value {
    match out {
        ToSqlOutput::Borrowed(v) => match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        },
        ToSqlOutput::Owned(v) => v,
        _ => Value::Null,
    }
}

/// The parameters as values, for a server.
pub(super) fn values(args: &dyn Args) -> Result<Vec<Value>> {
    args.list()
        .into_iter()
        .map(|p| {
            p.to_sql()
                .map(owned)
                .map_err(|e| Error::runtime(format!("store: {e}")))
        })
        .collect()
}

/// A store statement in a server's dialect: `?N` markers become `$N` (PostgreSQL) or `?` with
/// the parameters reordered (MySQL: the indexes, 0-based, of the parameters to send in order).
/// On MySQL the columns `key` and `before` (written in lower case; `KEY` is the keyword) are
/// quoted, as MySQL reserves the words. Quoted text and identifiers are left alone. `ORDER BY`
/// on a text column compares bytes on every backend (see [`order_by_bytes`]).
pub(super) fn translate(sql: &str, backend: Backend) -> (String, Vec<usize>) {
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
pub(super) fn rewrite(
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

/// The name and the columns (name, declared type) of the table a SQLite `CREATE TABLE`
/// statement makes (columns listed one per comma at the top level, constraints after them).
pub(super) fn table_columns(create: &str) -> Option<(String, Vec<(String, String)>)> {
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
fn with_stand_ins(sql: &str, absent: &HashMap<String, String>) -> String {
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

/// The statements of a script (DDL separated by `;`, with no `;` inside a statement).
pub(super) fn statements(script: &str) -> impl Iterator<Item = &str> {
    script.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// A read transaction (see [`super::Store::snapshot`]); rolled back when dropped (each kind
/// of transaction rolls itself back).
pub struct Snapshot<'a> {
    _lite: Option<rusqlite::Transaction<'a>>,
    _server: Option<ServerTx<'a>>,
    reader: &'a Reader,
}

impl std::ops::Deref for Snapshot<'_> {
    type Target = Reader;
    fn deref(&self) -> &Reader {
        self.reader
    }
}

/// An open transaction on a server connection: rolled back (and the write lock released) when
/// dropped without a commit; a dropped connection rolls it back on the server's side.
pub(super) struct ServerTx<'a> {
    reader: &'a Reader,
    done: bool,
    locked: bool,
}

impl ServerTx<'_> {
    fn end(mut self, how: &str) -> Result<()> {
        self.done = true;
        let r = self.reader.raw(how);
        if self.locked {
            self.locked = false;
            let unlocked = self.reader.unlock();
            r?;
            return unlocked;
        }
        r
    }
}

impl Drop for ServerTx<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.reader.raw("ROLLBACK");
        }
        if self.locked {
            let _ = self.reader.unlock();
        }
    }
}

/// An open write transaction on a [`Reader`]'s connection; rolled back when dropped.
pub(super) enum WriteTx<'a> {
    Lite(rusqlite::Transaction<'a>),
    Server(ServerTx<'a>),
}

impl WriteTx<'_> {
    pub(super) fn commit(self) -> Result<()> {
        match self {
            WriteTx::Lite(t) => Ok(t.commit()?),
            WriteTx::Server(t) => t.end("COMMIT"),
        }
    }
    pub(super) fn rollback(self) -> Result<()> {
        match self {
            WriteTx::Lite(t) => Ok(t.rollback()?),
            WriteTx::Server(t) => t.end("ROLLBACK"),
        }
    }
}

impl Reader {
    pub(super) fn from_conn(conn: Conn) -> Reader {
        Reader {
            conn,
            translations: RefCell::default(),
            absent: RefCell::default(),
        }
    }

    /// Connects to a MySQL/MariaDB or PostgreSQL server.
    pub(super) fn connect(url: &DbUrl) -> Result<Reader> {
        if let Some(path) = &url.sslrootcert {
            // checked here, to say what is wrong with it (a client only says "cannot connect")
            crate::tls::authorities(path)?;
        }
        let conn = match url.server {
            crate::types::DbServer::MySql => Conn::MySql(Box::new(RefCell::new(My::connect(url)?))),
            crate::types::DbServer::Postgres => {
                Conn::Postgres(Box::new(RefCell::new(Pg::connect(url)?)))
            }
        };
        Ok(Reader::from_conn(conn))
    }

    pub(crate) fn backend(&self) -> Backend {
        match self.conn {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::MySql(_) => Backend::MySql,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }

    pub(super) fn lite(&self) -> Option<&Lite> {
        match &self.conn {
            Conn::Sqlite(l) => Some(l),
            _ => None,
        }
    }

    /// Runs a statement without parameters and without caching it (transaction control).
    fn raw(&self, sql: &str) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(l) => l.execute_batch(sql),
            Conn::MySql(m) => m.borrow_mut().raw(sql),
            Conn::Postgres(p) => p.borrow_mut().raw(sql),
        }
    }

    /// Runs a script of statements separated by `;` (DDL).
    pub(super) fn execute_batch(&self, script: &str) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(l) => l.execute_batch(script),
            _ => statements(script).try_for_each(|s| self.raw(s)),
        }
    }

    /// Before a transaction that touches many pages (a large import): on SQLite, keep them in
    /// memory until the commit; nothing to do on a server.
    pub(super) fn prepare_large_write(&self) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(l) => l.prepare_large_write(),
            _ => Ok(()),
        }
    }

    pub(super) fn table_exists(&self, name: &str) -> Result<bool> {
        self.tables_exist(&[name])
    }

    /// Whether every one of `names` is a table of the store's database (one query).
    pub(super) fn tables_exist(&self, names: &[&str]) -> Result<bool> {
        let marks: Vec<String> = (1..=names.len()).map(param).collect();
        let from = match &self.conn {
            Conn::Sqlite(_) => "sqlite_master WHERE type = 'table' AND name",
            Conn::MySql(_) => {
                "information_schema.tables WHERE table_schema = DATABASE() AND table_name"
            }
            // pg_tables lists every table, whatever the role may do with it
            Conn::Postgres(_) => {
                "pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename"
            }
        };
        let found = self.integer(
            &format!("SELECT count(*) FROM {from} IN ({})", marks.join(", ")),
            params_from_iter(names),
        )?;
        Ok(found == names.len() as i64)
    }

    /// The backend's integrity check: `ok` or what is wrong (a server checks itself: `ok`).
    pub(super) fn integrity_check(&self) -> Result<String> {
        match &self.conn {
            Conn::Sqlite(l) => l.integrity_check(),
            _ => Ok("ok".into()),
        }
    }

    /// The journal mode on SQLite; a server's storage engine or write-ahead log.
    pub(super) fn journal_mode(&self) -> Result<String> {
        match &self.conn {
            Conn::Sqlite(l) => l.journal_mode(),
            Conn::MySql(_) => Ok(self
                .row(
                    "SELECT engine FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'waffle_flag'",
                    (),
                    |r| r.get::<_, String>(0),
                )?
                .unwrap_or_default()
                .to_ascii_lowercase()),
            Conn::Postgres(_) => Ok("wal".into()),
        }
    }

    /// Rows whose foreign keys point at nothing, as `TABLE row ID` (a server enforces its
    /// foreign keys: none).
    pub(super) fn broken_references(&self) -> Result<Vec<String>> {
        match &self.conn {
            Conn::Sqlite(l) => l.broken_references(),
            _ => Ok(Vec::new()),
        }
    }

    /// A read transaction: one snapshot for every query through it.
    pub(super) fn snapshot(&self) -> Result<Snapshot<'_>> {
        match &self.conn {
            Conn::Sqlite(l) => Ok(Snapshot {
                _lite: Some(l.snapshot()?),
                _server: None,
                reader: self,
            }),
            Conn::MySql(_) | Conn::Postgres(_) => {
                let begin = if self.backend() == Backend::MySql {
                    "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY"
                } else {
                    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                };
                self.raw(begin)?;
                Ok(Snapshot {
                    _lite: None,
                    _server: Some(ServerTx {
                        reader: self,
                        done: false,
                        locked: false,
                    }),
                    reader: self,
                })
            }
        }
    }

    /// A write transaction that no other wafflectl writer can interleave with: SQLite's
    /// `BEGIN IMMEDIATE`; on a server, the database's wafflectl write lock (an advisory lock,
    /// waited for up to `busy_timeout`), then a serializable transaction, so that the rows it
    /// reads cannot change before it writes (another client's write waits, or fails the
    /// transaction, which then changes nothing).
    pub(super) fn begin_write(&self, busy_timeout: Duration) -> Result<WriteTx<'_>> {
        match &self.conn {
            Conn::Sqlite(l) => Ok(WriteTx::Lite(l.begin_write()?)),
            Conn::MySql(_) | Conn::Postgres(_) => {
                self.lock(busy_timeout)?;
                let mut tx = ServerTx {
                    reader: self,
                    done: true,
                    locked: true,
                };
                let begin = if self.backend() == Backend::MySql {
                    self.raw("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")?;
                    "START TRANSACTION"
                } else {
                    "BEGIN ISOLATION LEVEL SERIALIZABLE"
                };
                self.raw(begin)?;
                tx.done = false;
                Ok(WriteTx::Server(tx))
            }
        }
    }

    /// Takes the server's wafflectl write lock for this database, waiting up to `wait` in the
    /// server's queue (first come, first served).
    fn lock(&self, wait: Duration) -> Result<()> {
        let locked = || {
            Error {
                kind: Kind::StoreLocked,
                ..Error::runtime("the store is locked by another writer")
            }
            .with_hint("try again when the other command has finished")
        };
        match &self.conn {
            Conn::MySql(_) => {
                let got = self.integer(
                    "SELECT GET_LOCK(CONCAT('wafflectl:', DATABASE()), ?1)",
                    [wait.as_secs_f64()],
                )?;
                if got != 1 {
                    return Err(locked());
                }
            }
            Conn::Postgres(_) if wait.is_zero() => {
                let got = self.integer(
                    "SELECT CASE WHEN pg_try_advisory_lock(?1) THEN 1 ELSE 0 END",
                    [WRITE_LOCK_KEY],
                )?;
                if got != 1 {
                    return Err(locked());
                }
            }
            Conn::Postgres(_) => {
                // also bounds the waits for row locks inside the transaction
                self.raw(&format!("SET lock_timeout = {}", wait.as_millis().max(1)))?;
                self.integer("SELECT 1 FROM pg_advisory_lock(?1)", [WRITE_LOCK_KEY])
                    .map_err(|e| {
                        if e.kind == Kind::StoreLocked {
                            locked()
                        } else {
                            e
                        }
                    })?;
            }
            Conn::Sqlite(_) => {}
        }
        Ok(())
    }

    fn unlock(&self) -> Result<()> {
        match &self.conn {
            Conn::MySql(_) => {
                self.integer("SELECT RELEASE_LOCK(CONCAT('wafflectl:', DATABASE()))", ())?;
            }
            Conn::Postgres(_) => {
                self.integer(
                    "SELECT CASE WHEN pg_advisory_unlock(?1) THEN 1 ELSE 0 END",
                    [WRITE_LOCK_KEY],
                )?;
            }
            Conn::Sqlite(_) => {}
        }
        Ok(())
    }

    /// Every row `sql` returns, each read by `f` (the statement is cached).
    pub(super) fn rows<T, F: FnMut(&Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: impl Args,
        mut f: F,
    ) -> Result<Vec<T>> {
        match &self.conn {
            Conn::Sqlite(l) => l.rows(sql, &params.list(), |r| f(&Row::Lite(r))),
            _ => self
                .server_rows(sql, &params)?
                .iter()
                .map(|r| f(&Row::Net(r)).map_err(Error::from))
                .collect(),
        }
    }

    /// The first row `sql` returns, read by `f`, or None (the statement is cached).
    pub(super) fn row<T, F: FnOnce(&Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: impl Args,
        f: F,
    ) -> Result<Option<T>> {
        match &self.conn {
            Conn::Sqlite(l) => l.row(sql, &params.list(), |r| f(&Row::Lite(r))),
            _ => match self.server_rows(sql, &params)?.first() {
                Some(r) => Ok(Some(f(&Row::Net(r))?)),
                None => Ok(None),
            },
        }
    }

    /// The integer in the first column of the first row `sql` returns (an aggregate such as
    /// `count(*)`), 0 when it returns no row.
    pub(super) fn integer(&self, sql: &str, params: impl Args) -> Result<i64> {
        Ok(self.row(sql, params, |r| r.get(0))?.unwrap_or(0))
    }

    /// Hands every row `sql` returns to `f` as it is read (on a server, once the result has
    /// arrived), without collecting them into values (the statement is cached).
    pub(super) fn each<F: FnMut(&Row<'_>) -> Result<()>>(
        &self,
        sql: &str,
        params: impl Args,
        mut f: F,
    ) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(l) => l.each(sql, &params.list(), |r| f(&Row::Lite(r))),
            _ => self
                .server_rows(sql, &params)?
                .iter()
                .try_for_each(|r| f(&Row::Net(r))),
        }
    }

    /// Runs a statement that returns no rows (the statement is cached).
    pub(super) fn run(&self, sql: &str, params: impl Args) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(l) => l.run(sql, &params.list()),
            Conn::MySql(m) => {
                let t = self.translated(sql);
                let (sql, order) = (&t.0, &t.1);
                m.borrow_mut()
                    .exec(sql, ordered(values(&params)?, order), false)?;
                Ok(())
            }
            Conn::Postgres(p) => {
                let t = self.translated(sql);
                let sql = &t.0;
                p.borrow_mut().exec(sql, &values(&params)?)?;
                Ok(())
            }
        }
    }

    /// Runs an INSERT into a table with an `id` key (the statement is cached) and returns the
    /// new row's id.
    pub(super) fn insert(&self, sql: &str, params: impl Args) -> Result<i64> {
        match &self.conn {
            Conn::Sqlite(l) => l.insert(sql, &params.list()),
            Conn::MySql(m) => {
                let t = self.translated(sql);
                let (sql, order) = (&t.0, &t.1);
                m.borrow_mut()
                    .exec(sql, ordered(values(&params)?, order), true)
            }
            Conn::Postgres(_) => {
                let returning = format!("{sql} RETURNING id");
                Ok(self.row(&returning, params, |r| r.get(0))?.unwrap_or(0))
            }
        }
    }

    fn server_rows(&self, sql: &str, params: &dyn Args) -> Result<Vec<NetRow>> {
        let t = self.translated(sql);
        let (sql, order) = (&t.0, &t.1);
        match &self.conn {
            Conn::MySql(m) => m.borrow_mut().query(sql, ordered(values(params)?, order)),
            Conn::Postgres(p) => p.borrow_mut().query(sql, &values(params)?),
            Conn::Sqlite(_) => unreachable!("SQLite reads rows itself"),
        }
    }

    /// On a server: reads see each table `create` (SQLite DDL, as [`super::schema`] keeps it)
    /// would make as an empty table with its columns, typed, while the database lacks it. The
    /// statements read from an empty row set in its place (`FROM (SELECT ... WHERE 1 = 0)`),
    /// which needs no privilege and writes nothing, so a read-only user and a hot standby read
    /// it too. Returns the names stood in for.
    pub(super) fn stand_in_empty(&self, creates: &[&str]) -> Vec<String> {
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
    pub(super) fn clear_stand_ins(&self) {
        self.absent.borrow_mut().clear();
        self.translations.borrow_mut().clear();
    }

    /// `sql` in this server's dialect (translations are cached per connection).
    fn translated(&self, sql: &str) -> Translation {
        if let Some(t) = self.translations.borrow().get(sql) {
            return t.clone();
        }
        let absent = self.absent.borrow();
        let stood_in;
        let sql_in = if absent.is_empty() {
            sql
        } else {
            stood_in = with_stand_ins(sql, &absent);
            &stood_in
        };
        let t = Rc::new(translate(sql_in, self.backend()));
        self.translations
            .borrow_mut()
            .insert(sql.to_string(), t.clone());
        t
    }

    /// The ids of the rows of `table` whose `column` is one of `names`, by that column's value:
    /// one query per 500 names. A name the server matches only by its collation (MySQL's
    /// case-insensitive one) comes back under the stored spelling, so a caller that misses a
    /// name looks it up alone.
    pub(super) fn ids_by_names<S: AsRef<str>>(
        &self,
        table: &str,
        column: &str,
        names: &[S],
    ) -> Result<HashMap<String, i64>> {
        let mut found = HashMap::new();
        for chunk in names.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(param).collect();
            let rows: Vec<(String, i64)> = self.rows(
                &format!(
                    "SELECT {column}, id FROM {table} WHERE {column} IN ({})",
                    marks.join(", ")
                ),
                params_from_iter(chunk.iter().map(AsRef::as_ref)),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            found.extend(rows);
        }
        Ok(found)
    }

    /// The SQL condition "`col` starts with parameter `n`", compared as bytes (code points).
    pub(super) fn starts_with(&self, col: &str, n: usize) -> String {
        match self.backend() {
            Backend::Sqlite => format!("substr({col}, 1, length(?{n})) = ?{n}"),
            Backend::MySql => {
                format!("CAST(LEFT({col}, CHAR_LENGTH(?{n})) AS BINARY) = CAST(?{n} AS BINARY)")
            }
            Backend::Postgres => format!("left({col}, char_length(?{n})) = ?{n}"),
        }
    }

    /// The SQL condition "the stored number in `col` is above zero" (SQLite may hold text).
    pub(super) fn positive(&self, col: &str) -> String {
        match self.backend() {
            Backend::Sqlite => format!("CAST({col} AS REAL) > 0"),
            _ => format!("{col} > 0"),
        }
    }

    /// An insert that updates `update` (from the new row's values) when a row with the same
    /// `key` exists.
    pub(super) fn upsert_sql(
        &self,
        table: &str,
        cols: &[&str],
        key: &[&str],
        update: &[&str],
    ) -> String {
        match self.backend() {
            Backend::MySql => {
                let sets: Vec<String> = update
                    .iter()
                    .map(|c| format!("{c} = VALUES({c})"))
                    .collect();
                format!(
                    "{} ON DUPLICATE KEY UPDATE {}",
                    insert_sql(table, cols),
                    sets.join(", ")
                )
            }
            _ => {
                let sets: Vec<String> = update
                    .iter()
                    .map(|c| format!("{c} = excluded.{c}"))
                    .collect();
                format!(
                    "{} ON CONFLICT ({}) DO UPDATE SET {}",
                    insert_sql(table, cols),
                    key.join(", "),
                    sets.join(", ")
                )
            }
        }
    }
}

/// A statement in a server's dialect, and MySQL's parameter order (see [`translate`]).
type Translation = Rc<(String, Vec<usize>)>;

/// The key of PostgreSQL's advisory lock that wafflectl writers take (per database).
const WRITE_LOCK_KEY: i64 = 0x7761_6666_6c65; // "waffle"

/// Parameters in the order MySQL's `?` markers want them.
fn ordered(values: Vec<Value>, order: &[usize]) -> Vec<Value> {
    order
        .iter()
        .map(|&i| values.get(i).cloned().unwrap_or(Value::Null))
        .collect()
}

/// The `i`th (1-based) statement parameter.
pub(super) fn param(i: usize) -> String {
    format!("?{i}")
}

/// `INSERT INTO table (cols) VALUES (...), (...)` for `rows` rows.
pub(super) fn insert_rows_sql(table: &str, cols: &[&str], rows: usize) -> String {
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
pub(super) fn insert_sql(table: &str, cols: &[&str]) -> String {
    let marks: Vec<String> = (1..=cols.len()).map(param).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        cols.join(", "),
        marks.join(", ")
    )
}

// Columns as Django left them: SQLite's dynamic types mean a boolean may come back as an
// integer, a real or text, and a text column as a number.

/// A text column; NULL reads as the empty string, numbers as their decimal form.
pub(super) fn text(r: &Row<'_>, col: &str) -> rusqlite::Result<String> {
    Ok(match r.get_ref(col)? {
        ValueRef::Null => String::new(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
    })
}

/// A nullable text column.
pub(super) fn opt_text(r: &Row<'_>, col: &str) -> rusqlite::Result<Option<String>> {
    Ok(match r.get_ref(col)? {
        ValueRef::Null => None,
        _ => Some(text(r, col)?),
    })
}

/// A column as it is stored, before any reading (an override's `change_date`: edX orders rows
/// by what the column holds, whatever its type).
pub(super) fn stored_date(r: &Row<'_>, col: &str) -> rusqlite::Result<StoredDate> {
    Ok(match r.get_ref(col)? {
        ValueRef::Null => StoredDate::Null,
        ValueRef::Integer(i) => StoredDate::Integer(i),
        ValueRef::Real(f) => StoredDate::Real(f),
        ValueRef::Text(t) => StoredDate::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => StoredDate::Blob(b.to_vec()),
    })
}

/// A Django `bool` column as Django's SQLite backend hands it to Python: the sqlite3 module's
/// `bool` converter is `b"1".__eq__` on the value's text form, so only a 1 (integer, text `'1'`
/// or blob `x'31'`) is True; `2`, `-1`, `0.5`, `'true'`, `'t'` and `'yes'` are False; NULL and an
/// empty text or blob are None (observed with Django 5.2, see conformance/suite.py). A real
/// never renders as `1` (SQLite writes `1.0`). A server's boolean arrives as 0 or 1.
fn django_bool(v: ValueRef<'_>) -> Option<bool> {
    match v {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i == 1),
        ValueRef::Real(_) => Some(false),
        ValueRef::Text(t) | ValueRef::Blob(t) if t.is_empty() => None,
        ValueRef::Text(t) | ValueRef::Blob(t) => Some(t == b"1"),
    }
}

/// A NOT NULL `bool` column, true exactly when Django reads True (see [`django_bool`]); what
/// Django reads as None is falsy in every `if` edX and django-waffle write.
pub(super) fn boolean(r: &Row<'_>, col: &str) -> rusqlite::Result<bool> {
    Ok(django_bool(r.get_ref(col)?) == Some(true))
}

/// A nullable `bool` column (django-waffle's tri-state `everyone`), as Django reads it.
pub(super) fn opt_boolean(r: &Row<'_>, col: &str) -> rusqlite::Result<Option<bool>> {
    Ok(django_bool(r.get_ref(col)?))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let sql = "SELECT a FROM t WHERE x IN (SELECT y FROM u ORDER BY name) ORDER BY d.experiment_id, u.username DESC, d.key LIMIT 5";
        let (my, _) = translate(sql, Backend::MySql);
        assert_eq!(
            my,
            "SELECT a FROM t WHERE x IN (SELECT y FROM u ORDER BY CAST(name AS BINARY)) ORDER BY d.experiment_id, CAST(u.username AS BINARY) DESC, CAST(d.\"key\" AS BINARY) LIMIT 5"
        );
        let (pg, _) = translate("SELECT a FROM t ORDER BY id, name", Backend::Postgres);
        assert_eq!(pg, "SELECT a FROM t ORDER BY id, name COLLATE \"C\"");
        let (lite, _) = translate("SELECT a FROM t ORDER BY name", Backend::Sqlite);
        assert_eq!(lite, "SELECT a FROM t ORDER BY name");
    }

    #[test]
    fn mysql_parameters_are_sent_in_marker_order() {
        let v = ordered(vec![Value::Integer(1), Value::Text("a".into())], &[1, 0, 1]);
        assert_eq!(
            v,
            [
                Value::Text("a".into()),
                Value::Integer(1),
                Value::Text("a".into())
            ]
        );
    }

    #[test]
    fn an_upsert_inserts_then_updates_only_the_named_columns() {
        let db = super::super::sqlite::in_memory();
        db.execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY, a TEXT, b TEXT)")
            .unwrap();
        let sql = db.upsert_sql("t", &["k", "a", "b"], &["k"], &["b"]);
        db.run(&sql, ["x", "a1", "b1"]).unwrap();
        db.run(&sql, ["x", "a2", "b2"]).unwrap();
        let rows = db
            .rows("SELECT k, a, b FROM t", (), |r| {
                Ok((text(r, "k")?, text(r, "a")?, text(r, "b")?))
            })
            .unwrap();
        assert_eq!(rows, [("x".into(), "a1".into(), "b2".into())]);
    }

    #[test]
    fn row_is_none_without_a_match_and_reads_the_first_row_otherwise() {
        let db = super::super::sqlite::in_memory();
        db.execute_batch("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2)")
            .unwrap();
        let first = |sql: &str, p: i64| db.row(sql, [p], |r| r.get::<_, i64>(0)).unwrap();
        assert_eq!(
            first("SELECT n FROM t WHERE n >= ?1 ORDER BY n", 1),
            Some(1)
        );
        assert_eq!(first("SELECT n FROM t WHERE n > ?1", 5), None);
    }

    #[test]
    fn insert_returns_each_new_rows_id_and_each_hands_rows_over_in_order() {
        let db = super::super::sqlite::in_memory();
        db.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, n TEXT)")
            .unwrap();
        let sql = insert_sql("t", &["n"]);
        let a = db.insert(&sql, ["a"]).unwrap();
        let b = db.insert(&sql, ["b"]).unwrap();
        assert_eq!(b, a + 1);
        db.run("UPDATE t SET n = ?1 WHERE id = ?2", params!["c", b])
            .unwrap();
        let mut seen = Vec::new();
        db.each("SELECT id, n FROM t ORDER BY id", (), |r| {
            seen.push((r.get::<_, i64>(0)?, text(r, "n")?));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [(a, "a".to_string()), (b, "c".to_string())]);
    }

    #[test]
    fn a_row_handlers_error_stops_each_and_is_returned() {
        let db = super::super::sqlite::in_memory();
        db.execute_batch("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)")
            .unwrap();
        let mut seen = 0;
        let e = db
            .each("SELECT n FROM t ORDER BY n", (), |r| {
                seen += 1;
                match r.get::<_, i64>(0)? {
                    2 => Err(Error::runtime("stop at 2")),
                    _ => Ok(()),
                }
            })
            .unwrap_err();
        assert_eq!(e.message, "stop at 2");
        assert_eq!(seen, 2);
    }

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
