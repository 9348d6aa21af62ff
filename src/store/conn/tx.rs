//! Transactions: a read snapshot, a write transaction (SQLite's `BEGIN IMMEDIATE`; on a
//! server the database's wafflectl advisory lock, then a serializable transaction), each rolled
//! back when dropped.

use std::time::Duration;

use super::Backend;
use super::{Conn, Reader};
use crate::error::{Error, Kind, Result};

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
pub(in crate::store) struct ServerTx<'a> {
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
pub(in crate::store) enum WriteTx<'a> {
    Lite(rusqlite::Transaction<'a>),
    Server(ServerTx<'a>),
}

impl WriteTx<'_> {
    pub(in crate::store) fn commit(self) -> Result<()> {
        match self {
            WriteTx::Lite(t) => Ok(t.commit()?),
            WriteTx::Server(t) => t.end("COMMIT"),
        }
    }
    pub(in crate::store) fn rollback(self) -> Result<()> {
        match self {
            WriteTx::Lite(t) => Ok(t.rollback()?),
            WriteTx::Server(t) => t.end("ROLLBACK"),
        }
    }
}

/// The key of PostgreSQL's advisory lock that wafflectl writers take (per database).
const WRITE_LOCK_KEY: i64 = 0x7761_6666_6c65; // "waffle"

impl Reader {
    /// A read transaction: one snapshot for every query through it.
    pub(in crate::store) fn snapshot(&self) -> Result<Snapshot<'_>> {
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
    pub(in crate::store) fn begin_write(&self, busy_timeout: Duration) -> Result<WriteTx<'_>> {
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
}
