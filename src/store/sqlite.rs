//! The SQLite backend: opening a file (flags, pragmas, WAL), the file's own checks (integrity,
//! foreign keys, journal mode), `BEGIN IMMEDIATE`, running statements (cached), and mapping
//! SQLite's errors to error kinds. The store modules reach it through [`Reader`], which
//! serves the servers too; how column values are read is in [`super::columns`], the DDL in
//! [`super::schema`].

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, ToSql, Transaction, TransactionBehavior};

use super::conn::{Conn, Reader};
use crate::error::{Error, Kind, Result};

/// Parameters as SQLite binds them.
type Params<'a> = &'a [&'a dyn ToSql];

/// A SQLite connection (see [`Reader`], which wraps it).
pub(super) struct Lite {
    conn: Connection,
}

fn configure(conn: &Connection, busy_timeout: Duration) -> Result<()> {
    conn.busy_timeout(busy_timeout)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // WAL with synchronous=NORMAL: commits survive a crash of wafflectl; only an OS crash or power
    // loss can lose the last commits, never corrupt the store (SQLite's recommended WAL setting).
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

fn reader(conn: Connection) -> Reader {
    Reader::from_conn(Conn::Sqlite(Lite { conn }))
}

/// Opens an existing store file (read-only when `read_only`).
pub(super) fn open(path: &Path, read_only: bool, busy_timeout: Duration) -> Result<Reader> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    configure(&conn, busy_timeout)?;
    Ok(reader(conn))
}

/// Opens the store file, creating it when missing.
pub(super) fn create(path: &Path, busy_timeout: Duration) -> Result<Reader> {
    let conn = Connection::open(path)?;
    configure(&conn, busy_timeout)?;
    Ok(reader(conn))
}

/// Opens a store read-only, for best-effort reads (suggestions): no pragmas, no checks.
pub(crate) fn open_read_only(path: &Path) -> Result<Reader> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    Ok(reader(conn))
}

#[cfg(test)]
pub(super) fn in_memory() -> Reader {
    reader(Connection::open_in_memory().unwrap())
}

impl Lite {
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

    /// SQLite's integrity check: `ok` or what is wrong.
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

    /// Keep a large transaction's pages in memory until the commit instead of spilling
    /// half-written pages to the journal (a ceiling of 256 MiB, allocated only as needed).
    pub(super) fn prepare_large_write(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -256 * 1024)?;
        Ok(())
    }

    /// A read transaction: one snapshot for every query through it.
    pub(super) fn snapshot(&self) -> Result<Transaction<'_>> {
        Ok(Transaction::new_unchecked(
            &self.conn,
            TransactionBehavior::Deferred,
        )?)
    }

    /// A write transaction that holds the write lock from its start (`BEGIN IMMEDIATE`), so that
    /// what it reads cannot change before it writes.
    pub(super) fn begin_write(&self) -> Result<Transaction<'_>> {
        Ok(Transaction::new_unchecked(
            &self.conn,
            TransactionBehavior::Immediate,
        )?)
    }

    pub(super) fn rows<T, F: FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: Params<'_>,
        f: F,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt
            .query_map(params, f)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    pub(super) fn row<T, F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: Params<'_>,
        f: F,
    ) -> Result<Option<T>> {
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_row(params, f)
            .optional()?)
    }

    pub(super) fn each<F: FnMut(&rusqlite::Row<'_>) -> Result<()>>(
        &self,
        sql: &str,
        params: Params<'_>,
        mut f: F,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params)?;
        while let Some(r) = rows.next()? {
            f(r)?;
        }
        Ok(())
    }

    pub(super) fn run(&self, sql: &str, params: Params<'_>) -> Result<()> {
        self.conn.prepare_cached(sql)?.execute(params)?;
        Ok(())
    }

    pub(super) fn insert(&self, sql: &str, params: Params<'_>) -> Result<i64> {
        self.conn.prepare_cached(sql)?.execute(params)?;
        Ok(self.conn.last_insert_rowid())
    }

    pub(super) fn execute_batch(&self, sql: &str) -> Result<()> {
        Ok(self.conn.execute_batch(sql)?)
    }
}

/// Maps SQLite's errors to the store's error kinds (locked, read-only, not a store…).
/// The hint of a file that is not SQLite (no `init`: init cannot use that file either); `Ctx`
/// rewords it to name where the path came from.
pub(crate) const HINT_NOT_SQLITE: &str =
    "check --db / $WAFFLECTL_DB: it must name a SQLite file, or a mysql:// or postgres:// URL";

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
                    return Error::runtime("the file is not a SQLite database")
                        .with_hint(HINT_NOT_SQLITE);
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
    fn sqlite_errors_map_to_store_kinds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("not-a-store");
        std::fs::write(&path, "this is not a database, just text long enough").unwrap();
        let e = open(&path, true, Duration::from_millis(10))
            .and_then(|r| r.table_exists("x"))
            .unwrap_err();
        assert_eq!(e.message, "the file is not a SQLite database");
        assert_eq!(e.kind, Kind::Runtime);
    }
}
