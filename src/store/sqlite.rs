//! The SQLite backend: everything the store does that only SQLite does. Opening a file (flags,
//! pragmas, WAL), asking whether a table exists (`sqlite_master`), beginning transactions, the
//! SQL text of row writes and upserts (`?N` placeholders, `ON CONFLICT`), and mapping SQLite's
//! errors to error kinds. How column values are encoded and read is in [`super::columns`]; the
//! DDL in [`super::schema`]. The other store modules write portable SQL through [`Reader`].

use std::path::Path;
use std::time::Duration;

use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Params, Statement, Transaction, TransactionBehavior,
};

use crate::engine::overrides::StoredDate;
use crate::error::{Error, Kind, Result};

// The row, column and parameter types the store modules name: SQLite's. A second backend makes
// these the store's own (a row trait and a parameter value) in this file's place.
pub(super) use rusqlite::types::{Value, ValueRef};
pub(super) use rusqlite::{ToSql as Param, params, params_from_iter};
/// What reading one column of a row returns.
pub(super) type ColumnResult<T> = rusqlite::Result<T>;
/// A result row, read by column name or position.
pub(super) type Row<'stmt> = rusqlite::Row<'stmt>;

/// A handle the store reads through: the connection, or a snapshot or write transaction on it
/// (both deref to their connection's `Reader`, so every query through them sees the
/// transaction). Its SQL methods are the store's own: outside the store it is only passed on.
pub struct Reader {
    conn: Connection,
}

/// A read transaction (see [`super::Store::snapshot`]); rolled back when dropped.
pub struct Snapshot<'a> {
    _tx: Transaction<'a>,
    reader: &'a Reader,
}

impl std::ops::Deref for Snapshot<'_> {
    type Target = Reader;
    fn deref(&self) -> &Reader {
        self.reader
    }
}

/// An open write transaction on a [`Reader`]'s connection; rolled back when dropped.
pub(super) struct WriteTx<'a>(Transaction<'a>);

impl WriteTx<'_> {
    pub(super) fn commit(self) -> Result<()> {
        Ok(self.0.commit()?)
    }
    pub(super) fn rollback(self) -> Result<()> {
        Ok(self.0.rollback()?)
    }
}

fn configure(conn: &Connection, busy_timeout: Duration) -> Result<()> {
    conn.busy_timeout(busy_timeout)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // WAL with synchronous=NORMAL: commits survive a crash of wafflectl; only an OS crash or power
    // loss can lose the last commits, never corrupt the store (SQLite's recommended WAL setting).
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

impl Reader {
    /// Opens an existing store file (read-only when `read_only`).
    pub(super) fn open(path: &Path, read_only: bool, busy_timeout: Duration) -> Result<Reader> {
        let flags = if read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        configure(&conn, busy_timeout)?;
        Ok(Reader { conn })
    }

    /// Opens the store file, creating it when missing.
    pub(super) fn create(path: &Path, busy_timeout: Duration) -> Result<Reader> {
        let conn = Connection::open(path)?;
        configure(&conn, busy_timeout)?;
        Ok(Reader { conn })
    }

    /// Opens a store read-only, for best-effort reads (suggestions): no pragmas, no checks.
    pub(crate) fn open_read_only(path: &Path) -> Result<Reader> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        Ok(Reader { conn })
    }

    #[cfg(test)]
    pub(super) fn in_memory() -> Reader {
        Reader {
            conn: Connection::open_in_memory().unwrap(),
        }
    }

    /// Switches the store to write-ahead logging (done once, by `init`).
    pub(super) fn use_wal(&self) -> Result<()> {
        // the pragma answers with the new mode; WAL is what we asked for
        let _: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        Ok(())
    }

    /// The journal mode (doctor reports it).
    pub(super) fn journal_mode(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?)
    }

    /// The backend's own integrity check: `ok` or what is wrong.
    pub(super) fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))?)
    }

    /// Rows whose foreign keys point at nothing, as `TABLE row ID`.
    pub(super) fn broken_references(&self) -> Result<Vec<String>> {
        let mut fk = self.conn.prepare("PRAGMA foreign_key_check")?;
        let broken = fk
            .query_map([], |r| {
                Ok(format!(
                    "{} row {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or(0)
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(broken)
    }

    /// Before a transaction that touches many pages (a large import): keep them in memory until
    /// the commit instead of spilling half-written pages to the journal (a ceiling of 256 MiB,
    /// allocated only as needed).
    pub(super) fn prepare_large_write(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -256 * 1024)?;
        Ok(())
    }

    pub(super) fn table_exists(&self, name: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [name],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// A read transaction: one snapshot for every query through it.
    pub(super) fn snapshot(&self) -> Result<Snapshot<'_>> {
        Ok(Snapshot {
            _tx: Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)?,
            reader: self,
        })
    }

    /// A write transaction that holds the write lock from its start (`BEGIN IMMEDIATE`), so that
    /// what it reads cannot change before it writes.
    pub(super) fn begin_write(&self) -> Result<WriteTx<'_>> {
        Ok(WriteTx(Transaction::new_unchecked(
            &self.conn,
            TransactionBehavior::Immediate,
        )?))
    }

    /// Every row `sql` returns, each read by `f` (the statement is cached).
    pub(super) fn rows<T, P: Params, F: FnMut(&Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt
            .query_map(params, f)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The first row `sql` returns, read by `f`, or None (the statement is cached).
    pub(super) fn row<T, P: Params, F: FnOnce(&Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> Result<Option<T>> {
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_row(params, f)
            .optional()?)
    }

    /// The integer in the first column of the first row `sql` returns (an aggregate such as
    /// `count(*)`), 0 when it returns no row.
    pub(super) fn integer<P: Params>(&self, sql: &str, params: P) -> Result<i64> {
        Ok(self.row(sql, params, |r| r.get(0))?.unwrap_or(0))
    }

    /// Hands every row `sql` returns to `f` as it is read, without collecting them (the
    /// statement is cached).
    pub(super) fn each<P: Params, F: FnMut(&Row<'_>) -> Result<()>>(
        &self,
        sql: &str,
        params: P,
        mut f: F,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params)?;
        while let Some(r) = rows.next()? {
            f(r)?;
        }
        Ok(())
    }

    /// Runs a statement that returns no rows (the statement is cached).
    pub(super) fn run<P: Params>(&self, sql: &str, params: P) -> Result<()> {
        self.conn.prepare_cached(sql)?.execute(params)?;
        Ok(())
    }

    /// Runs an INSERT (the statement is cached) and returns the new row's id.
    pub(super) fn insert<P: Params>(&self, sql: &str, params: P) -> Result<i64> {
        self.conn.prepare_cached(sql)?.execute(params)?;
        Ok(self.conn.last_insert_rowid())
    }

    pub(super) fn prepare(&self, sql: &str) -> rusqlite::Result<Statement<'_>> {
        self.conn.prepare(sql)
    }

    pub(super) fn execute<P: Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.conn.execute(sql, params)
    }

    pub(super) fn execute_batch(&self, sql: &str) -> rusqlite::Result<()> {
        self.conn.execute_batch(sql)
    }
}

/// The `i`th (1-based) statement parameter.
pub(super) fn param(i: usize) -> String {
    format!("?{i}")
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

/// An insert that updates `update` (from the new row's values) when a row with the same
/// `key` exists.
pub(super) fn upsert_sql(table: &str, cols: &[&str], key: &[&str], update: &[&str]) -> String {
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

// Columns as Django left them: SQLite's dynamic types mean a boolean may come back as an
// integer, a real or text, and a text column as a number.

/// A text column; NULL reads as the empty string, numbers as their decimal form.
pub(crate) fn text(r: &Row<'_>, col: &str) -> rusqlite::Result<String> {
    Ok(match r.get_ref(col)? {
        ValueRef::Null => String::new(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
    })
}

/// A nullable text column.
pub(crate) fn opt_text(r: &Row<'_>, col: &str) -> rusqlite::Result<Option<String>> {
    Ok(match r.get_ref(col)? {
        ValueRef::Null => None,
        _ => Some(text(r, col)?),
    })
}

/// A column as it is stored, before any reading (an override's `change_date`: edX orders rows
/// by what the column holds, whatever its type).
pub(crate) fn stored_date(r: &Row<'_>, col: &str) -> rusqlite::Result<StoredDate> {
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
/// never renders as `1` (SQLite writes `1.0`).
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
pub(crate) fn boolean(r: &Row<'_>, col: &str) -> rusqlite::Result<bool> {
    Ok(django_bool(r.get_ref(col)?) == Some(true))
}

/// A nullable `bool` column (django-waffle's tri-state `everyone`), as Django reads it.
pub(crate) fn opt_boolean(r: &Row<'_>, col: &str) -> rusqlite::Result<Option<bool>> {
    Ok(django_bool(r.get_ref(col)?))
}

/// Maps SQLite's errors to the store's error kinds (locked, read-only, not a store…).
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::SqliteFailure(f, msg) = &e {
            match f.code {
                C::DatabaseBusy | C::DatabaseLocked => {
                    return Error {
                        kind: Kind::StoreLocked,
                        ..Error::runtime("the store is locked by another writer")
                    }
                    .with_hint("try again when the other command has finished");
                }
                C::NotADatabase => {
                    return Error::runtime("the file is not a SQLite database").with_hint(
                        "check --db / $WAFFLECTL_DB; create a store with: wafflectl init",
                    );
                }
                C::ReadOnly => {
                    return Error {
                        kind: Kind::StoreReadOnly,
                        ..Error::runtime("the store is read-only")
                    }
                    .with_hint("check the file's permissions, or work on a copy");
                }
                C::CannotOpen => {
                    return Error::runtime("cannot open the store");
                }
                C::DiskFull => return Error::runtime("the disk is full"),
                _ => {
                    let detail = msg.clone().unwrap_or_else(|| f.to_string());
                    return Error::runtime(format!("store: {detail}"));
                }
            }
        }
        Error::runtime(format!("store: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upsert_inserts_then_updates_only_the_named_columns() {
        let db = Reader::in_memory();
        db.execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY, a TEXT, b TEXT)")
            .unwrap();
        let sql = upsert_sql("t", &["k", "a", "b"], &["k"], &["b"]);
        db.execute(&sql, ["x", "a1", "b1"]).unwrap();
        db.execute(&sql, ["x", "a2", "b2"]).unwrap();
        let rows = db
            .rows("SELECT k, a, b FROM t", [], |r| {
                Ok((text(r, "k")?, text(r, "a")?, text(r, "b")?))
            })
            .unwrap();
        assert_eq!(rows, [("x".into(), "a1".into(), "b2".into())]);
    }

    #[test]
    fn row_is_none_without_a_match_and_reads_the_first_row_otherwise() {
        let db = Reader::in_memory();
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
        let db = Reader::in_memory();
        db.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, n TEXT)")
            .unwrap();
        let sql = insert_sql("t", &["n"]);
        let a = db.insert(&sql, ["a"]).unwrap();
        let b = db.insert(&sql, ["b"]).unwrap();
        assert_eq!(b, a + 1);
        db.run("UPDATE t SET n = ?1 WHERE id = ?2", params!["c", b])
            .unwrap();
        let mut seen = Vec::new();
        db.each("SELECT id, n FROM t ORDER BY id", [], |r| {
            seen.push((r.get::<_, i64>(0)?, text(r, "n")?));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [(a, "a".to_string()), (b, "c".to_string())]);
    }

    #[test]
    fn a_row_handlers_error_stops_each_and_is_returned() {
        let db = Reader::in_memory();
        db.execute_batch("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)")
            .unwrap();
        let mut seen = 0;
        let e = db
            .each("SELECT n FROM t ORDER BY n", [], |r| {
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
    fn sqlite_errors_map_to_store_kinds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("not-a-store");
        std::fs::write(&path, "this is not a database, just text long enough").unwrap();
        let e = Reader::open(&path, true, Duration::from_millis(10))
            .and_then(|r| r.table_exists("x"))
            .unwrap_err();
        assert_eq!(e.message, "the file is not a SQLite database");
        assert_eq!(e.kind, Kind::Runtime);
    }
}
