//! The SQLite store: opening, schema, transactions and the audit log. No printing happens here
//! except in [`Store::write`], which reports the changes a command made (or would make), and in
//! the after-commit hook of [`Store::write_quiet`] (`crate::cache::after_commit`: the site's
//! cache, and why no Django admin history was written).

pub mod admin_log;
pub mod audit;
pub mod baseplate;
pub mod bulk;
pub mod columns;
pub mod decision;
pub mod edx;
pub mod removal;
pub mod schema;
pub mod toggles;
pub mod users;
pub mod whitelist;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::cli::MutationArgs;
use crate::context::Ctx;
use crate::error::{Error, Result};
pub use audit::Change;

/// Default busy timeout; `WAFFLECTL_BUSY_TIMEOUT_MS` overrides it.
pub const DEFAULT_BUSY_TIMEOUT_MS: u64 = 5000;

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// What `init` did.
#[derive(Debug, serde::Serialize)]
pub struct InitReport {
    pub path: String,
    pub created_file: bool,
    pub tables_added: Vec<String>,
    pub schema_version: i64,
}

fn busy_timeout() -> Duration {
    // A bad value was refused before the command ran (`env::check`).
    let ms = crate::env::busy_timeout_ms()
        .ok()
        .flatten()
        .unwrap_or(DEFAULT_BUSY_TIMEOUT_MS);
    Duration::from_millis(ms)
}

fn with_path(e: Error, path: &Path) -> Error {
    Error {
        message: format!("{}: {}", path.display(), e.message),
        ..e
    }
}

/// Maps "database is busy" to a message that says how long we waited.
fn busy_message(e: Error) -> Error {
    if e.message == crate::error::STORE_LOCKED {
        let t = busy_timeout();
        Error {
            message: format!("{} (waited {:.1} s)", e.message, t.as_secs_f64()),
            ..e
        }
    } else {
        e
    }
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(busy_timeout())?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // WAL with synchronous=NORMAL: commits survive a crash of wafflectl; only an OS crash or power
    // loss can lose the last commits, never corrupt the store (SQLite's recommended WAL setting).
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

fn table_exists(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [name],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn schema_version(conn: &Connection) -> Result<Option<i64>> {
    if !table_exists(conn, "wafflectl_meta")? {
        return Ok(None);
    }
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM wafflectl_meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    match v {
        None => Ok(Some(0)),
        Some(v) => match v.trim().parse::<i64>() {
            Ok(n) => Ok(Some(n)),
            // Not 0 (which would migrate a store nobody knows): refused.
            Err(_) => Err(Error::runtime(format!(
                "the store's schema version in wafflectl_meta is '{}', not a number: refusing to open it",
                crate::output::escape_control(&v)
            ))),
        },
    }
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

/// Creates missing Django tables and applies pending own migrations, in the open transaction.
fn migrate(tx: &rusqlite::Transaction<'_>, from: i64) -> Result<Vec<String>> {
    let mut added = Vec::new();
    for t in schema::DJANGO_TABLES {
        if !table_exists(tx, t.name)? {
            for stmt in t.ddl {
                tx.execute(stmt, [])?;
            }
            added.push(t.name.to_string());
        }
    }
    for (i, m) in schema::MIGRATIONS.iter().enumerate() {
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
        }
    }
    tx.execute(
        "INSERT INTO wafflectl_meta (key, value) VALUES ('schema_version', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [schema::SCHEMA_VERSION.to_string()],
    )?;
    Ok(added)
}

impl Store {
    /// Opens an existing store. A missing file, a file that is not SQLite, a Django database
    /// without wafflectl's tables and a store newer than this binary are refused with a hint.
    pub fn open(path: &Path) -> Result<Store> {
        let meta = std::fs::metadata(path).map_err(|_| {
            Error::runtime(format!("no store at {}", path.display())).with_hint(
                "run wafflectl init (or point --db / $WAFFLECTL_DB at an existing store)",
            )
        })?;
        if meta.is_dir() {
            return Err(Error::runtime(format!(
                "{} is a directory, not a store",
                path.display()
            )));
        }
        let flags = if meta.permissions().readonly() {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let open = || -> Result<Store> {
            let conn = Connection::open_with_flags(path, flags)?;
            configure(&conn)?;
            let mut store = Store {
                conn,
                path: path.to_path_buf(),
            };
            match schema_version(&store.conn)? {
                None => {
                    let django = table_exists(&store.conn, "waffle_flag")?
                        || table_exists(&store.conn, "auth_user")?;
                    let what = if django {
                        "a Django database without wafflectl's tables"
                    } else {
                        "not a wafflectl store"
                    };
                    return Err(Error::runtime(what.to_string()).with_hint(format!(
                        "run: wafflectl --db {} init (adds only the missing tables)",
                        path.display()
                    )));
                }
                Some(v) => {
                    refuse_newer(v)?;
                    if v < schema::SCHEMA_VERSION {
                        let tx = store
                            .conn
                            .transaction_with_behavior(TransactionBehavior::Immediate)?;
                        migrate(&tx, v)?;
                        tx.commit()?;
                    }
                }
            }
            store.path = path.to_path_buf();
            Ok(store)
        };
        open().map_err(|e| with_path(busy_message(e), path))
    }

    /// Creates the store (or completes an existing SQLite/Django database) and returns what it did.
    pub fn init(path: &Path) -> Result<(Store, InitReport)> {
        let existed = path.exists();
        if existed && std::fs::metadata(path)?.is_dir() {
            return Err(Error::runtime(format!(
                "{} is a directory, not a store",
                path.display()
            )));
        }
        let run = || -> Result<(Store, InitReport)> {
            let conn = Connection::open(path)?;
            configure(&conn)?;
            let version = schema_version(&conn)?.unwrap_or(0);
            refuse_newer(version)?;
            // the pragma answers with the new mode; WAL is what we asked for
            let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            let mut conn = conn;
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let added = migrate(&tx, version)?;
            tx.commit()?;
            let report = InitReport {
                path: path.display().to_string(),
                created_file: !existed,
                tables_added: added,
                schema_version: schema::SCHEMA_VERSION,
            };
            Ok((
                Store {
                    conn,
                    path: path.to_path_buf(),
                },
                report,
            ))
        };
        run().map_err(|e| with_path(busy_message(e), path))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for reads of a single statement.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A read transaction: every query through it sees the same snapshot of the store, even when
    /// another process commits meanwhile. Use it for reads made of several queries.
    pub fn snapshot(&self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self.conn.unchecked_transaction()?)
    }

    pub fn table_exists(&self, name: &str) -> Result<bool> {
        table_exists(&self.conn, name)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction with the audit log attached, then reports:
    /// `unchanged` when `f` recorded no change; the planned changes (on stdout) and a rollback
    /// with `--dry-run`; a status line per change otherwise. Any error rolls everything back.
    pub fn write<T>(
        &mut self,
        ctx: &Ctx,
        m: &MutationArgs,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<T> {
        let (value, changes) = self.write_quiet(ctx, m, f)?;
        audit::report(ctx, m.dry_run, &changes)?;
        Ok(value)
    }

    /// Like [`Store::write`] but returns the changes instead of reporting them.
    pub fn write_quiet<T>(
        &mut self,
        ctx: &Ctx,
        m: &MutationArgs,
        f: impl FnOnce(&mut Tx<'_>) -> Result<T>,
    ) -> Result<(T, Vec<Change>)> {
        let path = self.path.clone();
        let run = || -> Result<(T, Vec<Change>)> {
            let sql = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Issue 10 hook: where this transaction's audit rows start (admin history, cache).
            let audit_mark = admin_log::mark(&sql)?;
            let now = crate::time::now();
            let mut tx = Tx {
                sql,
                now,
                now_db: crate::time::to_db(&now),
                actor: ctx.actor.clone(),
                reason: m.reason.clone().unwrap_or_default(),
                changes: Vec::new(),
            };
            let value = f(&mut tx)?;
            // Issue 10 hook: Django admin history of the changes, in this transaction.
            let committed = admin_log::before_commit(&tx, audit_mark, ctx.admin_log && !m.dry_run)?;
            let Tx { sql, changes, .. } = tx;
            if m.dry_run {
                sql.rollback()?;
            } else {
                sql.commit()?;
                // Issue 10 hook: delete the site's stale cache keys, once committed.
                crate::cache::after_commit(ctx, &committed);
            }
            Ok((value, changes))
        };
        run().map_err(|e| match e.kind {
            crate::error::Kind::Runtime if e.message.starts_with("the store is") => {
                with_path(busy_message(e), &path)
            }
            _ => e,
        })
    }
}

/// An open write transaction with the audit log attached. Derefs to the SQL transaction.
pub struct Tx<'c> {
    pub sql: rusqlite::Transaction<'c>,
    pub now: DateTime<Utc>,
    /// `now` in Django's SQLite text form.
    pub now_db: String,
    pub actor: String,
    pub reason: String,
    changes: Vec<Change>,
}

impl<'c> std::ops::Deref for Tx<'c> {
    type Target = rusqlite::Transaction<'c>;
    fn deref(&self) -> &Self::Target {
        &self.sql
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
        audit::insert(&self.sql, &self.now_db, &self.actor, &self.reason, &change)?;
        self.changes.push(change);
        Ok(true)
    }

    /// The changes recorded so far in this transaction.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }
}

/// Validates a toggle name the way wafflectl requires: non-empty, at most 100 characters (the
/// column's size), no whitespace or control characters.
pub fn validate_name(kind: &str, name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::usage(format!("{kind} name is empty")));
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(
            Error::usage(format!("{kind} name '{name}' contains whitespace"))
                .with_hint("names are single words such as course_experience.relative_dates"),
        );
    }
    if name.chars().count() > 100 {
        return Err(Error::usage(format!(
            "{kind} name is longer than 100 characters"
        )));
    }
    Ok(())
}
