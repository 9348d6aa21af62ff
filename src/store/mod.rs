//! The store: opening, schema, transactions, the audit log and Django's admin history.
//! Nothing here prints or reads the environment: the caller passes what it needs
//! ([`WriteOptions`], the busy timeout), reports the changes a transaction returns and runs the
//! after-commit work ([`admin_log::ChangeRecord`]: the site's cache).
//!
//! Outside the store, reads take a [`Reader`] (`Store::conn`, a [`Snapshot`], or a [`Tx`], which
//! deref to it) and writes run in [`Store::transaction`]; no other module sees the database
//! client.
//!
//! # Backends
//!
//! A store is a SQLite file or a database on a MySQL/MariaDB or PostgreSQL server
//! ([`Location`]). The store modules write one SQL text for all three against [`Reader`]
//! (`conn/`): `rows`, `row` and `integer` read, `each` streams, `run` writes, `insert` writes
//! and returns the new row's id; parameters are numbered `?N`, identifiers double-quoted. The
//! reader translates that text into each server's dialect and asks each backend for the rest:
//! - `sqlite.rs`: opening a file (pragmas, WAL), `BEGIN IMMEDIATE`, SQLite's errors;
//! - `mysql.rs`, `postgres.rs`: connecting (TLS as the URL asks), the session (UTC; MySQL's
//!   `ANSI_QUOTES`), cached prepared statements, columns read as Django's ORM reads them on that
//!   backend, each server's errors mapped to [`crate::error::Kind`]s;
//! - `conn/`: `tx.rs` the transactions (on a server, a per-database advisory lock taken before a
//!   serializable transaction), `dialect.rs` the dialect's few differences (`starts_with`,
//!   `upsert_sql`, byte-order `ORDER BY` on text columns), `stand_in.rs` absent tables read as
//!   empty, `query.rs` the query API, and `row.rs` the row and parameter types the store modules
//!   name (`Row`, `ColumnResult`, `Param`, `Value`, `ValueRef`, `params!`).
//!
//! Django owns Django's tables on a server: `init` creates only wafflectl's own ([`schema`] has
//! each backend's DDL) and refuses when a Django table is missing. Nothing outside the store
//! sees a database client.

pub mod admin_log;
pub mod audit;
pub mod baseplate;
pub mod columns;
mod conn;
pub mod edx;
pub mod health;
pub mod load;
mod mysql;
pub(crate) mod names;
mod postgres;
pub mod removal;
pub mod schedule;
pub mod schema;
mod sqlite;
pub mod toggles;
pub mod users;
pub mod whitelist;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::error::{Error, Kind, Result};
use crate::types::DbUrl;
pub use audit::Change;
pub(crate) use conn::Backend;
use conn::{ColumnResult, Param, Row, Value, ValueRef, params, params_from_iter};
pub use conn::{Reader, Snapshot};
pub(crate) use sqlite::HINT_NOT_SQLITE;

/// Default busy timeout; `WAFFLECTL_BUSY_TIMEOUT_MS` overrides it.
pub const DEFAULT_BUSY_TIMEOUT_MS: u64 = 5000;

pub struct Store {
    conn: Reader,
    location: Location,
    busy_timeout: Duration,
    /// A SQLite file this process may not write: reads only (a dry run plans on a copy).
    read_only: bool,
    /// A Django database wafflectl was never initialised on: read with empty stand-ins for
    /// wafflectl's tables; writes are refused until `init`.
    uninitialised: bool,
    /// The tables the file lacks that reads see as empty (temporary, in memory, never written).
    stand_ins: Vec<String>,
    /// The schema version of the file (0 when uninitialised).
    version: i64,
}

/// Where a store lives: a SQLite file, or a database on a MySQL/MariaDB or PostgreSQL server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Server(DbUrl),
}

impl std::fmt::Display for Location {
    /// The path, or the URL with its password masked.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Server(u) => write!(f, "{u}"),
        }
    }
}

/// What a write transaction records and whether it keeps its changes.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// Who makes the change (the audit log's actor; the author of appended override rows).
    pub actor: String,
    /// Why, as the audit log records it (may be empty).
    pub reason: String,
    /// Roll back at the end: the changes are planned, not written.
    pub dry_run: bool,
    /// The transaction's clock.
    pub now: DateTime<Utc>,
    /// Write Django admin history entries for the changes.
    pub admin_log: bool,
    /// A scheduled change this transaction applies: claimed, and its recorded before-states
    /// checked, before the commit ([`schedule::claim`]).
    pub claim: Option<schedule::Claim>,
}

/// What a write transaction did.
#[derive(Debug)]
pub struct Written<T> {
    /// What the transaction's closure returned.
    pub value: T,
    /// The changes it recorded.
    pub changes: Vec<Change>,
    /// The audit row id of each of `changes`, in the same order (rolled back after a dry run).
    pub audit_ids: Vec<i64>,
    /// What it committed, for the after-commit work (None after a dry run).
    pub committed: Option<admin_log::ChangeRecord>,
}

/// What `init` did.
#[derive(Debug, serde::Serialize)]
pub struct InitReport {
    pub path: String,
    pub created_file: bool,
    pub tables_added: Vec<String>,
    pub schema_version: i64,
    /// The store's identity ([`identity`]), set by this `init` or an earlier one.
    pub store_id: Option<String>,
}

fn with_path(e: Error, location: &Location) -> Error {
    Error {
        message: format!("{location}: {}", e.message),
        ..e
    }
}

/// Adds to a "store is locked" error how long we waited.
fn busy_message(e: Error, t: Duration) -> Error {
    if e.kind == Kind::StoreLocked {
        Error {
            message: format!("{} (waited {:.1} s)", e.message, t.as_secs_f64()),
            ..e
        }
    } else {
        e
    }
}

fn schema_version(conn: &Reader) -> Result<Option<i64>> {
    if !conn.table_exists("wafflectl_meta")? {
        return Ok(None);
    }
    let v: Option<String> = conn.row(
        "SELECT value FROM wafflectl_meta WHERE key = 'schema_version'",
        (),
        |r| r.get(0),
    )?;
    match v {
        None => Ok(Some(0)),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) => Ok(Some(n)),
            // Not 0 (which would migrate a store nobody knows): refused.
            Err(_) => Err(Error::runtime(format!(
                "the store's schema version in wafflectl_meta is '{}', not a number: refusing to open it",
                // one line whatever the text holds; the store leaves output's escaping to output
                v.escape_debug()
            ))),
        },
    }
}

/// The tables of the database that hold rows, among those wafflectl reads and writes (users,
/// groups, toggles, the edX tables, wafflectl's own definitions): `init --example` goes only
/// where there are none. Django's bookkeeping (`django_migrations`, content types,
/// permissions), which every migrated database holds, does not count.
pub fn tables_with_rows(conn: &Reader) -> Result<Vec<String>> {
    let known = schema::DJANGO_TABLES
        .iter()
        .map(|t| t.name)
        .chain(["wafflectl_experiment", "wafflectl_baseplate"]);
    let mut found = Vec::new();
    for t in known {
        if conn.table_exists(t)?
            && conn.integer(
                &format!(r#"SELECT count(*) FROM (SELECT 1 FROM "{t}" LIMIT 1) x"#),
                (),
            )? > 0
        {
            found.push(t.to_string());
        }
    }
    Ok(found)
}

/// How many objects of each kind a store holds (`env check`).
#[derive(Debug, Default, serde::Serialize)]
pub struct Counts {
    pub flags: i64,
    pub switches: i64,
    pub samples: i64,
    /// Course and org override rows (their history included).
    pub overrides: i64,
    pub edx_experiments: i64,
    pub baseplate_experiments: i64,
    pub users: i64,
}

/// The objects of each kind in the store; a table the database lacks counts 0.
pub fn counts(conn: &Reader) -> Result<Counts> {
    let count = |t: &str| -> Result<i64> {
        if !conn.table_exists(t)? {
            return Ok(0);
        }
        conn.integer(&format!(r#"SELECT count(*) FROM "{t}""#), ())
    };
    Ok(Counts {
        flags: count("waffle_flag")?,
        switches: count("waffle_switch")?,
        samples: count("waffle_sample")?,
        overrides: count("waffle_utils_waffleflagcourseoverridemodel")?
            + count("waffle_utils_waffleflagorgoverridemodel")?,
        edx_experiments: count("wafflectl_experiment")?,
        baseplate_experiments: count("wafflectl_baseplate")?,
        users: count("auth_user")?,
    })
}

/// The refusal of a write (or an open) where wafflectl's tables are missing.
fn not_initialised(location: &Location, django: bool) -> Error {
    let what = if django {
        "a Django database without wafflectl's tables"
    } else {
        "not a wafflectl store"
    };
    let hint = match location {
        Location::File(_) => {
            format!("run: wafflectl --db {location} init (adds only the missing tables)")
        }
        Location::Server(_) => "run: wafflectl init (adds only wafflectl's own tables)".to_string(),
    };
    Error::runtime(what.to_string()).with_hint(hint)
}

fn refuse_newer(version: i64) -> Result<()> {
    if version > schema::SCHEMA_VERSION {
        return Err(Error::runtime(format!(
            "the store's schema version {version} is newer than this wafflectl understands ({})",
            schema::SCHEMA_VERSION
        ))
        .with_hint("upgrade wafflectl to work with this store"));
    }
    Ok(())
}

/// Creates the Django tables `django` (on SQLite, where `init` found them to add) and applies
/// pending own migrations, in the open transaction.
fn migrate(tx: &Reader, from: i64, django: &[&schema::DjangoTable]) -> Result<Vec<String>> {
    let mut added = Vec::new();
    for t in django {
        for stmt in t.ddl {
            tx.execute_batch(stmt)?;
        }
        added.push(t.name.to_string());
    }
    for (i, m) in schema::migrations(tx.backend()).iter().enumerate() {
        let version = i as i64 + 1;
        if version > from {
            tx.execute_batch(m)?;
            if version == 1 {
                added.extend(
                    ["wafflectl_meta", "wafflectl_audit", "wafflectl_experiment"].map(String::from),
                );
            }
            if version == 2 {
                added.push("wafflectl_baseplate".into());
            }
            if version == 3 {
                added.push("wafflectl_schedule".into());
            }
        }
    }
    tx.run(
        &tx.upsert_sql("wafflectl_meta", &["key", "value"], &["key"], &["value"]),
        ["schema_version", &schema::SCHEMA_VERSION.to_string()],
    )?;
    if identity(tx)?.is_none() {
        tx.run(
            "INSERT INTO wafflectl_meta (key, value) VALUES ('store_id', ?1)",
            [new_identity()?],
        )?;
    }
    Ok(added)
}

/// The store's identity (`wafflectl_meta`'s `store_id`): set once, when `init` (or the first
/// migration of an older store) runs, and never changed, so that a saved plan, a promotion or a
/// scheduled change can tell which store it is talking to (a copy of a file keeps it; a store
/// rebuilt by `init` gets a new one). `None` for a Django database wafflectl never initialised.
pub fn identity(conn: &Reader) -> Result<Option<String>> {
    if !conn.table_exists("wafflectl_meta")? {
        return Ok(None);
    }
    conn.row(
        "SELECT value FROM wafflectl_meta WHERE key = 'store_id'",
        (),
        |r| r.get(0),
    )
}

/// A fresh identity: `ws-` and 32 hex digits of the system's randomness.
fn new_identity() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)
        .map_err(|e| Error::runtime(format!("cannot read the system's randomness: {e}")))?;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!("ws-{hex}"))
}

/// The refusal when the tables a Django site's migrations create are missing (the same on
/// every backend).
fn lacks_django_tables(missing: &[&str]) -> Error {
    Error::runtime(format!(
        "the database lacks Django's tables: {}",
        missing.join(", ")
    ))
    .with_hint(
        "wafflectl never creates the tables of a Django site's migrations: run the site's \
         `manage.py migrate` (with django-waffle and the edX apps installed), then wafflectl init",
    )
}

/// On a server, Django owns Django's tables: the ones wafflectl reads and writes must be there
/// (created by the site's migrations), else a refusal that lists the missing ones.
fn require_django_tables(conn: &Reader) -> Result<()> {
    if conn.backend() == Backend::Sqlite {
        return Ok(());
    }
    let mut missing = Vec::new();
    for t in schema::DJANGO_TABLES {
        if !conn.table_exists(t.name)? {
            missing.push(t.name);
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(lacks_django_tables(&missing))
}

/// Whether the database belongs to a Django site: its migrations are recorded in it.
fn is_django_site(conn: &Reader) -> Result<bool> {
    conn.table_exists("django_migrations")
}

/// What `init` may do to a SQLite file: the Django tables to add, and whether the file is
/// wafflectl's to set up (WAL). A Django site's database gets only the Open edX apps' tables
/// the site never migrated (the rest missing is a refusal); a new or empty file, or
/// wafflectl's own store, gets what it lacks; any other database is refused.
fn plan_init(
    conn: &Reader,
    version: Option<i64>,
) -> Result<(Vec<&'static schema::DjangoTable>, bool)> {
    let mut missing = Vec::new();
    for t in schema::DJANGO_TABLES {
        if !conn.table_exists(t.name)? {
            missing.push(t);
        }
    }
    if is_django_site(conn)? {
        let mut refused = Vec::new();
        let mut add = Vec::new();
        for t in missing {
            let migrated = schema::EDX_APPS.contains(&t.app)
                && conn.integer(
                    "SELECT count(*) FROM django_migrations WHERE app = ?1",
                    [t.app],
                )? > 0;
            if schema::EDX_APPS.contains(&t.app) && !migrated {
                add.push(t);
            } else {
                refused.push(t.name);
            }
        }
        if !refused.is_empty() {
            return Err(lacks_django_tables(&refused));
        }
        return Ok((add, false));
    }
    let tables = conn.integer(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_'",
        (),
    )?;
    let django_shaped = conn.table_exists("waffle_flag")? || conn.table_exists("auth_user")?;
    if tables == 0 || version.is_some() {
        return Ok((missing, true));
    }
    if django_shaped {
        // Django's tables without Django's migrations (made by hand or by a script): completed,
        // its journal mode left as it is.
        return Ok((missing, false));
    }
    Err(Error::runtime(
        "the file is a SQLite database of something else (neither Django's nor wafflectl's): \
         refusing to add tables to it",
    )
    .with_hint(
        "point --db at a new file (wafflectl init creates it) or at the Django site's database",
    ))
}

/// The hint of a missing store file; `Ctx` rewords it to name where the path came from.
pub(crate) const HINT_NO_STORE: &str =
    "run wafflectl init (or point --db / $WAFFLECTL_DB at an existing store)";
/// Makes the tables the database lacks readable as empty: each missing Django table and each
/// of wafflectl's own tables after schema version `version`. On SQLite a temporary stand-in
/// (in memory, for this connection only); on a server an empty row set the reader reads in its
/// place ([`Reader::stand_in_empty`]), which needs no privilege, so a read-only user or a
/// replica reads the database too. Returns the tables stood in for.
fn make_stand_ins(conn: &Reader, version: i64) -> Result<Vec<String>> {
    let own = schema::MIGRATIONS
        .iter()
        .skip(version.max(0) as usize)
        .flat_map(|m| conn::statements(m))
        .filter(|s| s.starts_with("CREATE TABLE"));
    let django = schema::DJANGO_TABLES.iter().map(|t| t.ddl[0]);
    let mut missing = Vec::new();
    for create in django.chain(own) {
        let Some(name) = create.split('"').nth(1) else {
            continue;
        };
        if !conn.table_exists(name)? {
            missing.push(create);
        }
    }
    let Some(lite) = conn.lite() else {
        return Ok(conn.stand_in_empty(&missing));
    };
    let mut made = Vec::new();
    for create in missing {
        lite.create_stand_in(create)?;
        made.extend(create.split('"').nth(1).map(String::from));
    }
    Ok(made)
}

impl Store {
    /// Opens an existing store. A missing file, a file that is not SQLite or Django's, and a
    /// store newer than this binary are refused with a hint. Opening writes nothing a reader
    /// could not: a Django database wafflectl was never initialised on, and a store file this
    /// process may not write, are read as they are (what they lack reads as empty); an older
    /// schema is brought up to date on opening a SQLite file this process may write, and on a
    /// server by the first write ([`Store::transaction`]), never by a read.
    /// `busy_timeout` is how long a write waits for another writer before failing.
    pub fn open(location: &Location, busy_timeout: Duration) -> Result<Store> {
        let open = || -> Result<Store> {
            let (conn, read_only) = match location {
                Location::File(path) => {
                    let meta = std::fs::metadata(path).map_err(|_| {
                        Error::runtime(format!("no store at {}", path.display()))
                            .with_hint(HINT_NO_STORE)
                    })?;
                    if meta.is_dir() {
                        return Err(Error::runtime(format!(
                            "{} is a directory, not a store",
                            path.display()
                        )));
                    }
                    sqlite::open(path, busy_timeout).map_err(|e| with_path(e, location))?
                }
                Location::Server(url) => (
                    Reader::connect(url).map_err(|e| with_path(e, location))?,
                    false,
                ),
            };
            let mut store = Store {
                conn,
                location: location.clone(),
                busy_timeout,
                read_only,
                uninitialised: false,
                stand_ins: Vec::new(),
                version: schema::SCHEMA_VERSION,
            };
            let mut checked = || -> Result<()> {
                match schema_version(&store.conn)? {
                    None => {
                        let django = is_django_site(&store.conn)?
                            || store.conn.table_exists("waffle_flag")?
                            || store.conn.table_exists("auth_user")?;
                        if django {
                            store.uninitialised = true;
                            store.version = 0;
                            store.stand_ins = make_stand_ins(&store.conn, 0)?;
                            return Ok(());
                        }
                        Err(not_initialised(location, django))
                    }
                    Some(v) => {
                        refuse_newer(v)?;
                        store.version = v;
                        // a server's older schema is brought up to date by the first write
                        // (`Store::transaction`): a reader may lack the grants
                        let server = store.conn.backend() != Backend::Sqlite;
                        if v < schema::SCHEMA_VERSION && !read_only && !server {
                            require_django_tables(&store.conn)?;
                            let tx = store.conn.begin_write(busy_timeout)?;
                            migrate(&store.conn, v, &[])?;
                            tx.commit()?;
                            store.version = schema::SCHEMA_VERSION;
                        }
                        store.stand_ins = make_stand_ins(&store.conn, store.version)?;
                        Ok(())
                    }
                }
            };
            checked().map_err(|e| with_path(busy_message(e, busy_timeout), location))?;
            Ok(store)
        };
        open()
    }

    /// Creates the store (or completes an existing SQLite/Django database) and returns what it
    /// did. On a Django site's database it adds only wafflectl's own tables and the Open edX
    /// apps' tables the site never migrated, refuses when the site's own (auth, django-waffle)
    /// are missing, and leaves the journal mode as it is; only a new or empty file (or
    /// wafflectl's own store) is switched to WAL. On a server it adds only wafflectl's own
    /// tables, and refuses when Django's are missing.
    pub fn init(location: &Location, busy_timeout: Duration) -> Result<(Store, InitReport)> {
        let (conn, created_file) = match location {
            Location::File(path) => {
                let existed = path.exists();
                if existed && std::fs::metadata(path)?.is_dir() {
                    return Err(Error::runtime(format!(
                        "{} is a directory, not a store",
                        path.display()
                    )));
                }
                let conn =
                    sqlite::create(path, busy_timeout).map_err(|e| with_path(e, location))?;
                (conn, !existed)
            }
            Location::Server(url) => (
                Reader::connect(url).map_err(|e| with_path(e, location))?,
                false,
            ),
        };
        let run = || -> Result<InitReport> {
            let found = schema_version(&conn)?;
            let version = found.unwrap_or(0);
            refuse_newer(version)?;
            require_django_tables(&conn)?;
            let (django, wal) = match conn.lite() {
                Some(_) => plan_init(&conn, found)?,
                None => (Vec::new(), false),
            };
            if let Some(lite) = conn.lite()
                && wal
            {
                lite.use_wal()?;
            }
            let tx = conn.begin_write(busy_timeout)?;
            let added = migrate(&conn, version, &django)?;
            let store_id = identity(&conn)?;
            tx.commit()?;
            Ok(InitReport {
                path: location.to_string(),
                created_file,
                tables_added: added,
                schema_version: schema::SCHEMA_VERSION,
                store_id,
            })
        };
        let report = run().map_err(|e| {
            if let Location::File(path) = location
                && created_file
            {
                // nothing is left of a refused init on a file it created
                let _ = std::fs::remove_file(path);
            }
            with_path(busy_message(e, busy_timeout), location)
        })?;
        Ok((
            Store {
                conn,
                location: location.clone(),
                busy_timeout,
                read_only: false,
                uninitialised: false,
                stand_ins: Vec::new(),
                version: schema::SCHEMA_VERSION,
            },
            report,
        ))
    }

    /// The store's identity ([`identity`]).
    pub fn identity(&self) -> Result<Option<String>> {
        identity(&self.conn)
    }

    /// The schema version of wafflectl's tables (0 for a Django database never initialised).
    pub fn schema_version(&self) -> i64 {
        self.version
    }

    /// The database's kind: `sqlite`, `mysql` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self.conn.backend() {
            Backend::Sqlite => "sqlite",
            Backend::MySql => "mysql",
            Backend::Postgres => "postgres",
        }
    }

    /// Whether the store has wafflectl's audit log (not a Django database never initialised).
    pub fn has_audit_log(&self) -> bool {
        !self.uninitialised
    }

    /// Whether the store belongs to a Django site (its migrations are recorded in it): then its
    /// journal mode is the site's.
    pub fn is_django_site(&self) -> Result<bool> {
        is_django_site(&self.conn)
    }

    /// A reader on the store for best-effort reads (suggestions): a SQLite file opened read-only
    /// without pragmas or checks, or a new connection to the server.
    pub(crate) fn open_for_reading(location: &Location) -> Result<Reader> {
        match location {
            Location::File(p) => sqlite::open_read_only(p),
            Location::Server(url) => Reader::connect(url),
        }
    }

    /// The store's file, when it is a SQLite file.
    pub fn path(&self) -> Option<&Path> {
        match &self.location {
            Location::File(p) => Some(p),
            Location::Server(_) => None,
        }
    }

    /// The store's reader, for reads of a single statement.
    pub fn conn(&self) -> &Reader {
        &self.conn
    }

    /// A read transaction: every query through it sees the same snapshot of the store, even when
    /// another process commits meanwhile. Use it for reads made of several queries.
    pub fn snapshot(&self) -> Result<Snapshot<'_>> {
        self.conn.snapshot()
    }

    /// Before a transaction that touches many pages (a large import): keep them in memory until
    /// the commit instead of spilling half-written pages to the journal (a ceiling of 256 MiB,
    /// allocated only as needed).
    pub(crate) fn prepare_large_write(&self) -> Result<()> {
        self.conn.prepare_large_write()
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction with the audit log attached (and Django's
    /// admin history written from it, unless `opts.admin_log` is off) and returns what it did;
    /// with `dry_run` everything is rolled back. Any error rolls everything back. Reporting the
    /// changes and the after-commit work are the caller's business.
    pub(crate) fn transaction<T>(
        &mut self,
        opts: &WriteOptions,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<Written<T>> {
        let location = self.location.clone();
        let busy_timeout = self.busy_timeout;
        if self.uninitialised {
            return Err(with_path(not_initialised(&location, true), &location));
        }
        let own_missing = |t: &String| !schema::DJANGO_TABLES.iter().any(|d| d.name == *t);
        if self.conn.backend() != Backend::Sqlite
            && self.version < schema::SCHEMA_VERSION
            && self.stand_ins.iter().all(own_missing)
        {
            self.migrate_server(opts.dry_run)?;
        }
        // a dry run on a read-only store of an older schema may plan on its copy, migrated
        let plannable = self.read_only && self.stand_ins.iter().all(own_missing);
        if !self.stand_ins.is_empty() && !plannable {
            return Err(with_path(
                Error::runtime(format!(
                    "the store lacks tables: {}",
                    self.stand_ins.join(", ")
                ))
                .with_hint(format!("run: wafflectl --db {location} init")),
                &location,
            ));
        }
        if self.read_only && !opts.dry_run {
            return Err(with_path(
                Error {
                    kind: Kind::StoreReadOnly,
                    ..Error::runtime("the store is read-only")
                }
                .with_hint(
                    "check the file's and its directory's permissions, or work on a copy \
                     (--dry-run shows what the change would do)",
                ),
                &location,
            ));
        }
        let copy;
        let conn = match self.conn.lite() {
            // a dry run on a store this process may not write plans on a copy in memory
            Some(lite) if self.read_only => {
                copy = lite.copy_to_memory()?;
                if self.version < schema::SCHEMA_VERSION {
                    migrate(&copy, self.version, &[])?;
                }
                &copy
            }
            _ => &self.conn,
        };
        let run = || -> Result<Written<T>> {
            let sql = conn.begin_write(busy_timeout)?;
            // Issue 10 hook: where this transaction's audit rows start (admin history, cache).
            let audit_mark = admin_log::mark(conn)?;
            let mut tx = Tx {
                sql,
                reader: conn,
                now: opts.now,
                now_db: crate::time::to_db(&opts.now),
                actor: opts.actor.clone(),
                reason: opts.reason.clone(),
                changes: Vec::new(),
                change_ids: Vec::new(),
                last_audit_id: audit_mark,
                pending_audit: Vec::new(),
                deleted_ids: Default::default(),
            };
            let value = f(&mut tx)?;
            tx.flush_audit()?;
            if let Some(claim) = &opts.claim {
                schedule::claim(&tx, claim, &tx.changes, &tx.change_ids)?;
            }
            // Issue 10 hook: Django admin history of the changes, in this transaction.
            let committed =
                admin_log::before_commit(&tx, audit_mark, opts.admin_log && !opts.dry_run)?;
            let Tx {
                sql,
                changes,
                change_ids,
                ..
            } = tx;
            let committed = if opts.dry_run {
                sql.rollback()?;
                None
            } else {
                sql.commit()?;
                Some(committed)
            };
            Ok(Written {
                value,
                changes,
                audit_ids: change_ids,
                committed,
            })
        };
        let server = conn.backend() != Backend::Sqlite;
        run().map_err(|e| match e.kind {
            // a dry run on a server is the write rolled back: it needs the write's grants
            Kind::StoreReadOnly if server && opts.dry_run => with_path(
                Error {
                    message: format!(
                        "a dry run on a server database makes the change in a transaction and \
                         rolls it back, so it needs write permission: {}",
                        e.message
                    ),
                    ..e
                }
                .with_hint(
                    "dry-run as a user with the grants listed in docs/databases.md (nothing is \
                     written either way), or on a copy: wafflectl export, then import into a \
                     SQLite store",
                ),
                &location,
            ),
            Kind::StoreLocked | Kind::StoreReadOnly => {
                with_path(busy_message(e, busy_timeout), &location)
            }
            _ => e,
        })
    }

    /// Brings a server database's older schema of wafflectl's tables up to date, in its own
    /// transaction, before the first write (reads never migrate: a reader may lack the grants).
    /// A dry run does not: DDL is not rolled back on MySQL, and a dry run writes nothing.
    fn migrate_server(&mut self, dry_run: bool) -> Result<()> {
        let location = self.location.clone();
        if dry_run {
            return Err(with_path(
                Error::runtime(format!(
                    "the store's schema version {} is older than this wafflectl's ({}): a dry \
                     run cannot plan on it without adding the tables it lacks ({})",
                    self.version,
                    schema::SCHEMA_VERSION,
                    self.stand_ins.join(", ")
                ))
                .with_hint(
                    "run: wafflectl init (adds only wafflectl's own tables), then the dry run",
                ),
                &location,
            ));
        }
        let busy_timeout = self.busy_timeout;
        let run = || -> Result<()> {
            require_django_tables(&self.conn)?;
            let tx = self.conn.begin_write(busy_timeout)?;
            // another writer may have migrated it meanwhile
            let version = schema_version(&self.conn)?.unwrap_or(0);
            if version < schema::SCHEMA_VERSION {
                migrate(&self.conn, version, &[])?;
            }
            tx.commit()
        };
        run().map_err(|e| with_path(busy_message(e, busy_timeout), &location))?;
        self.conn.clear_stand_ins();
        self.stand_ins.clear();
        self.version = schema::SCHEMA_VERSION;
        Ok(())
    }
}

/// The columns of an audit row, as [`Tx::record_bulk`] writes them.
const AUDIT_COLS: &[&str] = &[
    "id",
    "at",
    "actor",
    "action",
    "object_kind",
    "object_name",
    "before",
    "after",
    "reason",
];

/// How many audit rows one statement writes.
const AUDIT_BATCH: usize = 200;

/// An open write transaction with the audit log attached. Derefs to the [`Reader`] it reads
/// through (which sees the transaction's writes).
pub struct Tx<'c> {
    sql: conn::WriteTx<'c>,
    reader: &'c Reader,
    pub now: DateTime<Utc>,
    /// `now` in Django's SQLite text form.
    pub now_db: String,
    pub actor: String,
    pub reason: String,
    changes: Vec<Change>,
    /// The audit row id of each of `changes`.
    change_ids: Vec<i64>,
    /// The id of the last audit row (this transaction's, or the store's before it).
    last_audit_id: i64,
    /// Audit rows recorded but not yet written: [`AUDIT_COLS`] values a row.
    pending_audit: Vec<Value>,
    /// The ids of the named rows this transaction deleted, by (table, name): Django admin's
    /// deletion entries carry them ([`admin_log::before_commit`]).
    deleted_ids: std::cell::RefCell<std::collections::HashMap<(String, String), i64>>,
}

impl std::ops::Deref for Tx<'_> {
    type Target = Reader;
    fn deref(&self) -> &Reader {
        self.reader
    }
}

impl Tx<'_> {
    /// Records a change of one object in the audit log. `before`/`after` are the object's audit
    /// JSON (None when it did not exist / no longer exists). Returns false, recording nothing,
    /// when they are equal.
    pub fn record(
        &mut self,
        kind: &str,
        name: &str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<bool> {
        let action = match (&before, &after) {
            (None, Some(_)) => "create",
            (Some(_), None) => "delete",
            _ => "update",
        };
        self.record_action(action, kind, name, before, after)
    }

    /// Like [`Tx::record`] with an explicit action name (e.g. `override`, `clear`).
    pub fn record_action(
        &mut self,
        action: &str,
        kind: &str,
        name: &str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<bool> {
        if before == after {
            return Ok(false);
        }
        // Audit objects keep their keys sorted: stored rows, `history` and change lines read the
        // same whatever order a caller built the object in.
        let before = before.map(audit::sorted);
        let after = after.map(audit::sorted);
        let change = Change {
            action: action.to_string(),
            kind: kind.to_string(),
            name: name.to_string(),
            before,
            after,
        };
        let text = |v: &Option<serde_json::Value>| v.as_ref().map(serde_json::Value::to_string);
        let (before, after) = (text(&change.before), text(&change.after));
        self.record_bulk(action, kind, name, before.as_deref(), after.as_deref())?;
        self.changes.push(change);
        self.change_ids.push(self.last_audit_id);
        Ok(true)
    }

    /// Like [`Tx::record`] for bulk work (before/after as JSON text): the change is not kept in
    /// memory for the caller's report (bulk callers report themselves). Every audit row is
    /// written here: they are buffered and written [`AUDIT_BATCH`] to a statement (an import's
    /// thousands of rows cost a few round trips to a server, not one each).
    pub(crate) fn record_bulk(
        &mut self,
        action: &str,
        kind: &str,
        name: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<()> {
        if before == after {
            return Ok(());
        }
        // Numbered here rather than by the database: a server's sequence is not transactional
        // (a rolled-back or dry-run write would leave a gap), and history numbers must read the
        // same on every backend. Writers are serialized, so the next number is this one's.
        self.last_audit_id += 1;
        let text = |s: Option<&str>| s.map_or(Value::Null, |s| Value::Text(s.to_string()));
        self.pending_audit.extend([
            Value::Integer(self.last_audit_id),
            Value::Text(self.now_db.clone()),
            Value::Text(self.actor.clone()),
            Value::Text(action.to_string()),
            Value::Text(kind.to_string()),
            Value::Text(name.to_string()),
            text(before),
            text(after),
            Value::Text(self.reason.clone()),
        ]);
        if self.pending_audit.len() >= AUDIT_BATCH * AUDIT_COLS.len() {
            self.flush_audit()?;
        }
        Ok(())
    }

    /// Writes the buffered audit rows (before anything reads the audit log in the transaction).
    pub(crate) fn flush_audit(&mut self) -> Result<()> {
        if self.pending_audit.is_empty() {
            return Ok(());
        }
        let values = std::mem::take(&mut self.pending_audit);
        let sql = conn::insert_rows_sql(
            "wafflectl_audit",
            AUDIT_COLS,
            values.len() / AUDIT_COLS.len(),
        );
        self.run(&sql, values)
    }

    /// Writes one row of `table`: inserts it when `id == 0` (returning the new id), else updates
    /// it by id. `cols` name the columns and `values` give theirs in the same order; an update
    /// leaves the columns in `keep` (such as `created`) as stored. Statements are cached, so a
    /// caller writing many rows pays for each SQL text once.
    pub(crate) fn write_row(
        &self,
        table: &str,
        id: i64,
        cols: &[&str],
        values: &[&dyn Param],
        keep: &[&str],
    ) -> Result<i64> {
        if id == 0 {
            return self.insert(&conn::insert_sql(table, cols), values);
        }
        // only the columns written are parameters (a server types every parameter it is sent)
        let (written, mut all): (Vec<&str>, Vec<&dyn Param>) = cols
            .iter()
            .zip(values)
            .filter(|(c, _)| !keep.contains(c))
            .map(|(c, v)| (*c, *v))
            .unzip();
        let sets: Vec<String> = written
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = {}", conn::param(i + 1)))
            .collect();
        let sql = format!(
            "UPDATE {table} SET {} WHERE id = {}",
            sets.join(", "),
            conn::param(written.len() + 1)
        );
        all.push(&id);
        self.run(&sql, &all[..])?;
        Ok(id)
    }

    /// Deletes one row of `table` by id (a row nothing else depends on, or whose dependants the
    /// caller has deleted).
    pub(crate) fn delete_row(&self, table: &str, id: i64) -> Result<()> {
        // A named row's id is noted while the row is still there (admin deletion entries).
        if let Some(column) = admin_log::name_column(table) {
            let name: Option<String> = self.row(
                &format!("SELECT {column} FROM {table} WHERE id = {}", conn::param(1)),
                [id],
                |r| r.get(0),
            )?;
            if let Some(name) = name {
                self.deleted_ids
                    .borrow_mut()
                    .insert((table.to_string(), name), id);
            }
        }
        self.run(
            &format!("DELETE FROM {table} WHERE id = {}", conn::param(1)),
            [id],
        )?;
        Ok(())
    }

    /// The id of the row named `name` that this transaction deleted from `table`.
    pub(crate) fn deleted_id(&self, table: &str, name: &str) -> Option<i64> {
        self.deleted_ids
            .borrow()
            .get(&(table.to_string(), name.to_string()))
            .copied()
    }

    /// Deletes one row of `table` by id after the rows of the `dependants` tables whose column
    /// (a foreign key) points at it.
    pub(crate) fn delete_row_with(
        &self,
        table: &str,
        id: i64,
        dependants: &[(&str, &str)],
    ) -> Result<()> {
        for (dependant, column) in dependants {
            let sql = format!(
                "DELETE FROM {dependant} WHERE {column} = {}",
                conn::param(1)
            );
            self.run(&sql, [id])?;
        }
        self.delete_row(table, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_gives_a_store_one_identity_that_stays() {
        let dir = tempfile::tempdir().unwrap();
        let at = Location::File(dir.path().join("w.db"));
        let (store, _) = Store::init(&at, Duration::ZERO).unwrap();
        let id = store.identity().unwrap().unwrap();
        assert!(id.starts_with("ws-") && id.len() == 35, "{id}");
        drop(store);
        let (again, _) = Store::init(&at, Duration::ZERO).unwrap();
        assert_eq!(again.identity().unwrap().as_deref(), Some(id.as_str()));
        let other = Location::File(dir.path().join("v.db"));
        let (other, _) = Store::init(&other, Duration::ZERO).unwrap();
        assert_ne!(other.identity().unwrap().unwrap(), id);
    }
}
