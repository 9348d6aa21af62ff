//! The MySQL / MariaDB backend: connecting (TLS when the URL asks), the session wafflectl's SQL
//! expects (`ANSI_QUOTES,PIPES_AS_CONCAT`, strict, UTC), running statements over the binary
//! protocol (the client caches the prepared statements), reading columns as Django's ORM does,
//! and mapping the server's errors to the store's error kinds.

use std::rc::Rc;
use std::time::Duration;

use mysql::consts::ColumnType;
use mysql::prelude::Queryable;
use mysql::{Conn, OptsBuilder, SslOpts};

use super::conn::{NetRow, Value};
use crate::error::{Error, Kind, Result};
use crate::types::DbUrl;

/// The session settings every connection starts with, in one statement: UTF-8, identifiers in
/// double quotes and `||` concatenation as in the store's SQL, strict writes (Django's
/// recommended mode), UTC (Django with `USE_TZ=True` stores UTC in `datetime(6)` columns).
const SESSION: &str = "SET NAMES utf8mb4, \
     SESSION sql_mode = 'ANSI_QUOTES,PIPES_AS_CONCAT,STRICT_TRANS_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION', \
     SESSION time_zone = '+00:00'";

pub(super) struct My {
    conn: Conn,
    /// Statements run before on this connection (see [`My::first_run`]).
    seen: std::collections::HashSet<String>,
}

impl My {
    pub(super) fn connect(url: &DbUrl) -> Result<My> {
        let mut opts = OptsBuilder::new()
            .ip_or_hostname(Some(url.host.as_str()))
            .tcp_port(url.port)
            .user(Some(url.user.clone()))
            .pass(url.password.clone())
            .db_name(Some(url.database.clone()))
            .prefer_socket(false)
            .tcp_connect_timeout(Some(Duration::from_secs(10)))
            .stmt_cache_size(256)
            .init(vec![SESSION]);
        let plain = opts.clone();
        let mode = url.sslmode.as_deref().unwrap_or("disable");
        if mode != "disable" {
            let verify = matches!(mode, "verify-ca" | "verify-full");
            opts = opts.ssl_opts(Some(
                SslOpts::default()
                    .with_danger_accept_invalid_certs(!verify)
                    .with_danger_skip_domain_validation(mode != "verify-full")
                    .with_root_cert_path(url.sslrootcert.clone().map(std::path::PathBuf::from)),
            ));
        }
        let conn = match Conn::new(opts) {
            // `allow` and `prefer` fall back to a plain connection when the server has no TLS,
            // as libpq's do
            Err(mysql::Error::DriverError(mysql::DriverError::TlsNotSupported))
                if matches!(mode, "allow" | "prefer") =>
            {
                Conn::new(plain)
            }
            other => other,
        }
        .map_err(|e| connect_error(e, url))?;
        Ok(My {
            conn,
            seen: Default::default(),
        })
    }

    /// Runs a statement without parameters over the text protocol (session and transaction
    /// control, DDL).
    pub(super) fn raw(&mut self, sql: &str) -> Result<()> {
        self.conn.query_drop(sql).map_err(error)
    }

    /// Whether `sql` runs for the first time on this connection: then it goes over the text
    /// protocol with its parameters written in as escaped literals, in one round trip; from its
    /// second run it is prepared (once) and executed, which an import's thousands of rows want.
    fn first_run(&mut self, sql: &str) -> bool {
        if self.seen.contains(sql) {
            return false;
        }
        self.seen.insert(sql.to_string());
        true
    }

    /// Runs a statement; returns the new row's id when `want_id`.
    pub(super) fn exec(&mut self, sql: &str, params: Vec<Value>, want_id: bool) -> Result<i64> {
        if self.first_run(sql) {
            self.conn
                .query_drop(interpolate(sql, params))
                .map_err(error)?;
        } else {
            self.conn.exec_drop(sql, args(params)).map_err(error)?;
        }
        Ok(if want_id {
            self.conn.last_insert_id() as i64
        } else {
            0
        })
    }

    pub(super) fn query(&mut self, sql: &str, params: Vec<Value>) -> Result<Vec<NetRow>> {
        let rows: Vec<mysql::Row> = if self.first_run(sql) {
            self.conn.query(interpolate(sql, params))
        } else {
            self.conn.exec(sql, args(params))
        }
        .map_err(error)?;
        let Some(first) = rows.first() else {
            return Ok(Vec::new());
        };
        let columns = first.columns();
        let cols: Rc<[String]> = columns.iter().map(|c| c.name_str().into_owned()).collect();
        Ok(rows
            .into_iter()
            .map(|r| {
                let vals = r
                    .unwrap()
                    .into_iter()
                    .zip(columns.iter())
                    .map(|(v, c)| value(v, c.column_type()))
                    .collect();
                NetRow::new(cols.clone(), vals)
            })
            .collect())
    }
}

/// `sql` with its `?` markers (outside quotes) replaced by the parameters as escaped SQL
/// literals (the session does not set NO_BACKSLASH_ESCAPES, so backslashes are escaped too).
fn interpolate(sql: &str, params: Vec<Value>) -> String {
    let mut literals = params.into_iter().map(|v| match v {
        Value::Real(f) if !f.is_finite() => "NULL".to_string(),
        v => mysql_value(v).as_sql(false),
    });
    super::conn::rewrite(
        sql,
        |_| literals.next().unwrap_or_else(|| "NULL".into()),
        str::to_string,
    )
}

fn args(params: Vec<Value>) -> mysql::Params {
    if params.is_empty() {
        return mysql::Params::Empty;
    }
    mysql::Params::Positional(params.into_iter().map(mysql_value).collect())
}

fn mysql_value(v: Value) -> mysql::Value {
    match v {
        Value::Null => mysql::Value::NULL,
        Value::Integer(i) => mysql::Value::Int(i),
        Value::Real(f) => mysql::Value::Double(f),
        Value::Text(t) => mysql::Value::Bytes(t.into_bytes()),
        Value::Blob(b) => mysql::Value::Bytes(b),
    }
}

/// A column as Django's MySQL backend reads it, from either protocol (the text protocol sends
/// every value as text): integers and `tinyint(1)` booleans as integers, decimals as SQLite
/// keeps them ([`super::conn::decimal`]), `datetime(6)` as UTC in the store's text form.
fn value(v: mysql::Value, column: ColumnType) -> Value {
    use ColumnType as T;
    let text = match v {
        mysql::Value::NULL => return Value::Null,
        mysql::Value::Bytes(b) => match String::from_utf8(b) {
            Ok(s) => s,
            Err(e) => return Value::Blob(e.into_bytes()),
        },
        mysql::Value::Int(i) => return Value::Integer(i),
        mysql::Value::UInt(u) => {
            return i64::try_from(u).map_or_else(|_| Value::Text(u.to_string()), Value::Integer);
        }
        mysql::Value::Float(f) => return Value::Real(f64::from(f)),
        mysql::Value::Double(f) => return Value::Real(f),
        mysql::Value::Date(y, mo, d, h, mi, s, us) => {
            let mut t = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}");
            if us != 0 {
                t.push_str(&format!(".{us:06}"));
            }
            return Value::Text(t);
        }
        mysql::Value::Time(neg, d, h, mi, s, us) => {
            let sign = if neg { "-" } else { "" };
            let h = u32::from(h) + d * 24;
            return Value::Text(format!("{sign}{h:02}:{mi:02}:{s:02}.{us:06}"));
        }
    };
    match column {
        T::MYSQL_TYPE_TINY
        | T::MYSQL_TYPE_SHORT
        | T::MYSQL_TYPE_LONG
        | T::MYSQL_TYPE_INT24
        | T::MYSQL_TYPE_LONGLONG
        | T::MYSQL_TYPE_YEAR => text
            .parse::<i64>()
            .map_or(Value::Text(text), Value::Integer),
        T::MYSQL_TYPE_FLOAT | T::MYSQL_TYPE_DOUBLE => {
            text.parse::<f64>().map_or(Value::Text(text), Value::Real)
        }
        T::MYSQL_TYPE_NEWDECIMAL | T::MYSQL_TYPE_DECIMAL => super::conn::decimal(&text),
        // the text protocol writes every fraction of a datetime(6); the binary one, none when
        // it is zero: one form, as to_db writes it
        T::MYSQL_TYPE_DATETIME
        | T::MYSQL_TYPE_TIMESTAMP
        | T::MYSQL_TYPE_DATETIME2
        | T::MYSQL_TYPE_TIMESTAMP2 => match text.strip_suffix(".000000") {
            Some(whole) => Value::Text(whole.to_string()),
            None => Value::Text(text),
        },
        _ => Value::Text(text),
    }
}

/// The connection could not be made: what went wrong, naming the host and port (never the
/// password).
fn connect_error(e: mysql::Error, url: &DbUrl) -> Error {
    let text = e.to_string();
    if text.contains("certificate") {
        let detail = text
            .split("IO error: `")
            .nth(1)
            .and_then(|d| d.split('\'').next())
            .unwrap_or(&text);
        return super::conn::certificate_refused(url, detail);
    }
    match &e {
        mysql::Error::MySqlError(m) if m.code == 1045 => Error::runtime(format!(
            "access denied for user '{}' (wrong password, or no such user for this host)",
            url.user
        ))
        .with_hint("check the URL's user and password (or $WAFFLECTL_DB_PASSWORD)"),
        mysql::Error::MySqlError(m) if m.code == 1049 => Error::runtime(format!(
            "there is no database '{}' on {}",
            url.database,
            url.address()
        ))
        .with_hint("create it and run the site's `manage.py migrate` first"),
        mysql::Error::MySqlError(m) if m.code == 1044 => Error::runtime(format!(
            "user '{}' may not use database '{}'",
            url.user, url.database
        ))
        .with_hint("grant the user access to the database (see docs/databases.md)"),
        mysql::Error::IoError(io) => Error::runtime(format!(
            "cannot connect to {}: {}",
            url.address(),
            io_message(io)
        ))
        .with_hint("check the host and port, and that the server is running"),
        mysql::Error::DriverError(mysql::DriverError::TlsNotSupported) => Error::runtime(format!(
            "{} does not offer TLS, which sslmode={} asks for",
            url.address(),
            url.sslmode.as_deref().unwrap_or("require")
        ))
        .with_hint("enable TLS on the server, or use sslmode=prefer (TLS when offered)"),
        mysql::Error::DriverError(d) => {
            let why = match d {
                mysql::DriverError::CouldNotConnect(Some((_, desc, kind))) => match kind {
                    std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
                    std::io::ErrorKind::TimedOut => "timed out".into(),
                    _ => desc.clone(),
                },
                mysql::DriverError::ConnectTimeout => "timed out".into(),
                other => other.to_string(),
            };
            Error::runtime(format!("cannot connect to {}: {why}", url.address()))
                .with_hint("check the host and port, and that the server is running")
        }
        _ => error(e),
    }
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
        std::io::ErrorKind::TimedOut => "timed out".into(),
        _ => e.to_string(),
    }
}

/// Maps the server's errors to the store's error kinds.
fn error(e: mysql::Error) -> Error {
    match e {
        mysql::Error::MySqlError(m) => match m.code {
            // denied (no grant), read-only server or transaction
            1142 | 1143 | 1044 | 1227 | 1290 | 1792 | 1836 => Error {
                kind: Kind::StoreReadOnly,
                ..Error::runtime(format!("the database refused the write: {}", m.message))
            }
            .with_hint(
                "the user needs the grants listed in docs/databases.md, on the primary server",
            ),
            // lock wait timeout, deadlock: another client holds the rows
            1205 | 1213 => Error {
                kind: Kind::StoreLocked,
                ..Error::runtime(format!(
                    "another client changed the same rows at the same time ({})",
                    m.message
                ))
            }
            .with_hint("nothing was written; run the command again"),
            _ => Error::runtime(format!("store: {}", m.message)),
        },
        mysql::Error::IoError(io) => Error::runtime(format!(
            "lost the connection to the database server: {}",
            io_message(&io)
        ))
        .with_hint("nothing half-written is kept: the server rolls back an unfinished transaction"),
        other => Error::runtime(format!("store: {other}")),
    }
}
