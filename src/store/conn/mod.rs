//! The store's connection to its database, whichever the backend: [`Reader`] (a SQLite file, a
//! MySQL/MariaDB or a PostgreSQL server), the rows it returns ([`Row`]), the parameters it takes
//! ([`Args`]) and its transactions. The store modules write one SQL text for every backend, with
//! numbered `?N` parameters, double-quoted identifiers and `||`; [`translate`] turns it into each
//! server's dialect (MySQL sessions run with `ANSI_QUOTES,PIPES_AS_CONCAT`). What differs beyond
//! that is asked of the reader by name ([`Reader::starts_with`], [`Reader::upsert_sql`]...).
//!
//! One job per file: this one connects and asks the backend about itself; [`row`] holds the
//! rows a query returns and the parameters it takes; [`dialect`] the SQL text each server reads
//! (markers, reserved words, byte-order sorting, upserts, inserts); [`stand_in`] lets reads see
//! a table the server lacks as empty; [`tx`] the transactions and the server's write lock;
//! [`query`] the query API the store modules call (`rows`, `row`, `each`, `run`, `insert`).
//!
//! Values travel as SQLite's value type: a server's column is read into the value SQLite would
//! hold for what Django wrote (booleans as 0/1, decimals as numbers, datetimes in
//! [`crate::time::to_db`]'s UTC form), so the readers in [`super::columns`] serve every backend.

mod dialect;
mod query;
mod row;
mod stand_in;
mod tx;

use std::cell::RefCell;
use std::collections::HashMap;

use super::sqlite::Lite;
use super::{mysql::My, postgres::Pg};
use crate::error::{Error, Result};
use crate::types::DbUrl;

pub(in crate::store) use dialect::{insert_rows_sql, insert_sql, param, rewrite, statements};
use query::Translation;
pub(in crate::store) use row::{
    ColumnResult, NetRow, Param, Row, Value, ValueRef, decimal, params, params_from_iter,
};
pub use tx::Snapshot;
pub(in crate::store) use tx::WriteTx;

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

pub(in crate::store) enum Conn {
    Sqlite(Lite),
    MySql(Box<RefCell<My>>),
    Postgres(Box<RefCell<Pg>>),
}

/// A connection refused because the server's TLS certificate did not verify (`sslmode=verify-*`).
pub(in crate::store) fn certificate_refused(url: &DbUrl, detail: &str) -> Error {
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

impl Reader {
    pub(in crate::store) fn from_conn(conn: Conn) -> Reader {
        Reader {
            conn,
            translations: RefCell::default(),
            absent: RefCell::default(),
        }
    }

    /// Connects to a MySQL/MariaDB or PostgreSQL server.
    pub(in crate::store) fn connect(url: &DbUrl) -> Result<Reader> {
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

    pub(in crate::store) fn lite(&self) -> Option<&Lite> {
        match &self.conn {
            Conn::Sqlite(l) => Some(l),
            _ => None,
        }
    }

    /// Runs a statement without parameters and without caching it (transaction control).
    pub(in crate::store) fn raw(&self, sql: &str) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(l) => l.execute_batch(sql),
            Conn::MySql(m) => m.borrow_mut().raw(sql),
            Conn::Postgres(p) => p.borrow_mut().raw(sql),
        }
    }

    /// Runs a script of statements separated by `;` (DDL).
    pub(in crate::store) fn execute_batch(&self, script: &str) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(l) => l.execute_batch(script),
            _ => statements(script).try_for_each(|s| self.raw(s)),
        }
    }

    /// Before a transaction that touches many pages (a large import): on SQLite, keep them in
    /// memory until the commit; nothing to do on a server.
    pub(in crate::store) fn prepare_large_write(&self) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(l) => l.prepare_large_write(),
            _ => Ok(()),
        }
    }

    pub(in crate::store) fn table_exists(&self, name: &str) -> Result<bool> {
        self.tables_exist(&[name])
    }

    /// Whether every one of `names` is a table of the store's database (one query).
    pub(in crate::store) fn tables_exist(&self, names: &[&str]) -> Result<bool> {
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
    pub(in crate::store) fn integrity_check(&self) -> Result<String> {
        match &self.conn {
            Conn::Sqlite(l) => l.integrity_check(),
            _ => Ok("ok".into()),
        }
    }

    /// The journal mode on SQLite; a server's storage engine or write-ahead log.
    pub(in crate::store) fn journal_mode(&self) -> Result<String> {
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
    pub(in crate::store) fn broken_references(&self) -> Result<Vec<String>> {
        match &self.conn {
            Conn::Sqlite(l) => l.broken_references(),
            _ => Ok(Vec::new()),
        }
    }
}
