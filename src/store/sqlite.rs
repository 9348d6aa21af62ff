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
    /// Opened `immutable`: read as the file is on disk, without locks or WAL files.
    as_on_disk: bool,
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
    Reader::from_conn(Conn::Sqlite(Lite {
        conn,
        as_on_disk: false,
    }))
}

/// Whether this process may write the store file: the file and its directory are not marked
/// read-only (a chmod holds even for root, as SQLite honours it for the file) and the system lets
/// it write both (not another user's file, not a read-only mount). A write needs the directory
/// too: SQLite creates its journal files next to the store.
pub(super) fn writable(path: &Path) -> bool {
    let marked_read_only =
        |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.permissions().readonly());
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    !marked_read_only(path) && !marked_read_only(dir) && may_write(path) && may_write(dir)
}

#[cfg(unix)]
fn may_write(p: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(p.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated path; access(2) only reads it.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

#[cfg(not(unix))]
fn may_write(_: &Path) -> bool {
    true
}

/// Whether the file's header says write-ahead logging (bytes 18 and 19 are 2).
fn wal_header(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 20];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| header[18] == 2 && header[19] == 2)
}

/// `path` as an SQLite URI filename (`file:` and the path, percent-encoded) with `query`.
fn uri(path: &Path, query: &str) -> String {
    use std::fmt::Write;
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::from("file:");
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().into_owned().into_bytes();
    for b in bytes {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out.push('?');
    out.push_str(query);
    out
}

/// Opens an existing store file. When this process may not write it (see [`writable`]), the
/// file is opened read-only and leaves nothing behind: a store in WAL mode whose log is not
/// there (nobody is writing it) is read as the file it is, without creating the `-wal` and
/// `-shm` files that its owner could then not write. Returns the reader and whether it is
/// read-only.
pub(super) fn open(path: &Path, busy_timeout: Duration) -> Result<(Reader, bool)> {
    if writable(path) {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        configure(&conn, busy_timeout)?;
        return Ok((reader(conn), false));
    }
    let conn = open_unwritable(path)?;
    configure(&conn.conn, busy_timeout)?;
    Ok((Reader::from_conn(Conn::Sqlite(conn)), true))
}

/// Opens read-only a file this process may not write, creating nothing beside it.
fn open_unwritable(path: &Path) -> Result<Lite> {
    let mut wal_file = path.as_os_str().to_owned();
    wal_file.push("-wal");
    let as_on_disk = wal_header(path) && !Path::new(&wal_file).exists();
    let query = if as_on_disk {
        "mode=ro&immutable=1"
    } else {
        "mode=ro"
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(uri(path, query), flags)?;
    Ok(Lite { conn, as_on_disk })
}

/// Opens the store file, creating it when missing.
pub(super) fn create(path: &Path, busy_timeout: Duration) -> Result<Reader> {
    let conn = Connection::open(path)?;
    configure(&conn, busy_timeout)?;
    Ok(reader(conn))
}

/// Opens a store read-only, for best-effort reads (suggestions): no pragmas, no checks.
pub(crate) fn open_read_only(path: &Path) -> Result<Reader> {
    if !writable(path) {
        return Ok(Reader::from_conn(Conn::Sqlite(open_unwritable(path)?)));
    }
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

    /// The journal mode (doctor reports it). A file read as it is on disk (see [`open`]) says
    /// `delete` whatever its header holds: then the header answers.
    pub(super) fn journal_mode(&self) -> Result<String> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        // only a file whose header says WAL is read as it is on disk
        Ok(if self.as_on_disk { "wal".into() } else { mode })
    }

    /// Copies the whole database into a new in-memory one (for a dry run on a store this
    /// process may not write: the plan runs on the copy).
    pub(super) fn copy_to_memory(&self) -> Result<Reader> {
        let mut mem = Connection::open_in_memory()?;
        {
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut mem)?;
            backup.run_to_completion(i32::MAX, Duration::ZERO, None)?;
        }
        mem.pragma_update(None, "foreign_keys", "ON")?;
        Ok(reader(mem))
    }

    /// Creates an empty temporary table (in memory, seen only by this connection, in front of
    /// the file's tables) from a `CREATE TABLE` statement of the schema.
    pub(super) fn create_stand_in(&self, create_table: &str) -> Result<()> {
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        let sql = create_table.replacen("CREATE TABLE", "CREATE TEMP TABLE", 1);
        Ok(self.conn.execute_batch(&sql)?)
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
        let e = open(&path, Duration::from_millis(10))
            .and_then(|(r, _)| r.table_exists("x"))
            .unwrap_err();
        assert_eq!(e.message, "the file is not a SQLite database");
        assert_eq!(e.kind, Kind::Runtime);
    }
}
