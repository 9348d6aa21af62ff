//! The PostgreSQL backend: connecting (TLS as the URL's `sslmode` asks), a UTC session, cached
//! prepared statements, parameters sent as text for the server to read as the column's type
//! (as a literal in the SQL would be), columns read as Django's ORM reads them, and the
//! server's errors mapped to the store's error kinds.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use postgres::config::SslMode;
use postgres::error::SqlState;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, Statement};

use super::conn::{NetRow, Value};
use crate::error::{Error, Kind, Result};
use crate::types::DbUrl;

pub(super) struct Pg {
    client: Client,
    /// Statements run before: prepared once they run a second time.
    statements: HashMap<String, Option<Statement>>,
}

impl Pg {
    pub(super) fn connect(url: &DbUrl) -> Result<Pg> {
        let mut config = postgres::Config::new();
        config
            .host(url.host.as_str())
            .port(url.port)
            .user(&url.user)
            .dbname(&url.database)
            .application_name("wafflectl")
            .connect_timeout(Duration::from_secs(10))
            .options("-c TimeZone=UTC");
        if let Some(p) = &url.password {
            config.password(p);
        }
        let mode = url.sslmode.as_deref().unwrap_or("prefer");
        config.ssl_mode(match mode {
            "disable" => SslMode::Disable,
            "allow" | "prefer" => SslMode::Prefer,
            _ => SslMode::Require,
        });
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(tls_config(
            mode,
            url.sslrootcert.as_deref(),
        )?);
        let client = config.connect(tls).map_err(|e| connect_error(e, url))?;
        Ok(Pg {
            client,
            statements: HashMap::new(),
        })
    }

    /// Runs statements without parameters (transaction control, DDL).
    pub(super) fn raw(&mut self, sql: &str) -> Result<()> {
        self.client.batch_execute(sql).map_err(error)
    }

    /// The prepared statement for `sql` once it runs a second time; the first run goes in one
    /// round trip without preparing (most statements of a command run once; an import's run
    /// thousands of times, and a prepared statement then saves the server parsing each).
    fn statement(&mut self, sql: &str) -> Result<Option<Statement>> {
        match self.statements.get(sql) {
            None => {
                self.statements.insert(sql.to_string(), None);
                Ok(None)
            }
            Some(Some(s)) => Ok(Some(s.clone())),
            Some(None) => {
                let s = self.client.prepare(sql).map_err(error)?;
                self.statements.insert(sql.to_string(), Some(s.clone()));
                Ok(Some(s))
            }
        }
    }

    pub(super) fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let args: Vec<Arg> = params.iter().map(Arg).collect();
        match self.statement(sql)? {
            Some(stmt) => {
                let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a as _).collect();
                self.client.execute(&stmt, &refs)
            }
            None => self.client.execute_typed(sql, &typed(&args)),
        }
        .map_err(error)
    }

    pub(super) fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<NetRow>> {
        let args: Vec<Arg> = params.iter().map(Arg).collect();
        let rows = match self.statement(sql)? {
            Some(stmt) => {
                let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a as _).collect();
                self.client.query(&stmt, &refs)
            }
            None => self.client.query_typed(sql, &typed(&args)),
        }
        .map_err(error)?;
        let Some(first) = rows.first() else {
            return Ok(Vec::new());
        };
        let cols: Rc<[String]> = first
            .columns()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        rows.iter()
            .map(|r| {
                let vals = (0..r.len())
                    .map(|i| r.try_get::<_, Cell>(i).map(|c| c.0).map_err(error))
                    .collect::<Result<Vec<Value>>>()?;
                Ok(NetRow::new(cols.clone(), vals))
            })
            .collect()
    }
}

/// Parameters of a statement that is not prepared: each of type `unknown`, for the server to
/// infer from the statement as it does when preparing.
fn typed<'a>(args: &'a [Arg<'a>]) -> Vec<(&'a (dyn ToSql + Sync), Type)> {
    args.iter()
        .map(|a| (a as &(dyn ToSql + Sync), Type::UNKNOWN))
        .collect()
}

/// A parameter, sent in text form for the server to read as whatever type the statement gives
/// it (`1` into a boolean column is true, `2026-11-28 06:00:00` into a `timestamp with time
/// zone` is UTC in wafflectl's session).
#[derive(Debug)]
struct Arg<'a>(&'a Value);

impl ToSql for Arg<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn StdError + Sync + Send>> {
        let text = match self.0 {
            Value::Null => return Ok(IsNull::Yes),
            Value::Integer(i) => i.to_string(),
            Value::Real(f) => f.to_string(),
            Value::Text(t) => t.clone(),
            Value::Blob(b) if *ty == Type::BYTEA => {
                let mut s = String::from("\\x");
                for byte in b {
                    s.push_str(&format!("{byte:02x}"));
                }
                s
            }
            Value::Blob(b) => String::from_utf8_lossy(b).into_owned(),
        };
        out.extend_from_slice(text.as_bytes());
        Ok(IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn encode_format(&self, _ty: &Type) -> postgres::types::Format {
        postgres::types::Format::Text
    }

    to_sql_checked!();
}

/// A column's value as the store reads it (see [`super::conn`]).
struct Cell(Value);

impl<'a> FromSql<'a> for Cell {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn StdError + Sync + Send>> {
        let be = |n: usize| -> std::result::Result<&[u8], Box<dyn StdError + Sync + Send>> {
            raw.get(..n).ok_or_else(|| "short value".into())
        };
        let v = match ty {
            t if *t == Type::BOOL => Value::Integer(i64::from(be(1)?[0] != 0)),
            t if *t == Type::INT2 => {
                Value::Integer(i64::from(i16::from_be_bytes(be(2)?.try_into()?)))
            }
            t if *t == Type::INT4 => {
                Value::Integer(i64::from(i32::from_be_bytes(be(4)?.try_into()?)))
            }
            t if *t == Type::INT8 => Value::Integer(i64::from_be_bytes(be(8)?.try_into()?)),
            t if *t == Type::OID => {
                Value::Integer(i64::from(u32::from_be_bytes(be(4)?.try_into()?)))
            }
            t if *t == Type::FLOAT4 => {
                Value::Real(f64::from(f32::from_be_bytes(be(4)?.try_into()?)))
            }
            t if *t == Type::FLOAT8 => Value::Real(f64::from_be_bytes(be(8)?.try_into()?)),
            t if *t == Type::NUMERIC => super::conn::decimal(&numeric(raw)?),
            t if *t == Type::TIMESTAMPTZ || *t == Type::TIMESTAMP => {
                Value::Text(timestamp(i64::from_be_bytes(be(8)?.try_into()?)))
            }
            t if *t == Type::DATE => {
                let days = i32::from_be_bytes(be(4)?.try_into()?);
                let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).ok_or("date")?;
                match epoch.checked_add_signed(chrono::Duration::days(i64::from(days))) {
                    Some(d) => Value::Text(d.format("%Y-%m-%d").to_string()),
                    None => Value::Text(if days < 0 { "-infinity" } else { "infinity" }.into()),
                }
            }
            t if *t == Type::BYTEA => Value::Blob(raw.to_vec()),
            t if *t == Type::JSONB => Value::Text(String::from_utf8(
                raw.get(1..).unwrap_or_default().to_vec(),
            )?),
            _ => Value::Text(String::from_utf8(raw.to_vec())?),
        };
        Ok(Cell(v))
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, Box<dyn StdError + Sync + Send>> {
        Ok(Cell(Value::Null))
    }

    fn accepts(ty: &Type) -> bool {
        use postgres::types::Kind as K;
        matches!(ty.kind(), K::Simple | K::Enum(_) | K::Domain(_))
    }
}

/// A timestamp (microseconds since 2000-01-01, UTC in a wafflectl session) in the store's text
/// form.
fn timestamp(us: i64) -> String {
    match us {
        i64::MAX => "infinity".into(),
        i64::MIN => "-infinity".into(),
        _ => {
            let epoch = DateTime::<Utc>::from_timestamp(946_684_800, 0).unwrap_or_default();
            match epoch.checked_add_signed(chrono::Duration::microseconds(us)) {
                Some(t) => crate::time::to_db(&t),
                None => us.to_string(),
            }
        }
    }
}

/// A `numeric` in its decimal text form, with its scale (`12.5`, `50.0`), as Python's Decimal
/// prints what psycopg reads.
fn numeric(raw: &[u8]) -> std::result::Result<String, Box<dyn StdError + Sync + Send>> {
    let word = |i: usize| -> std::result::Result<i32, Box<dyn StdError + Sync + Send>> {
        let b = raw.get(i * 2..i * 2 + 2).ok_or("short numeric")?;
        Ok(i32::from(i16::from_be_bytes([b[0], b[1]])))
    };
    let ndigits = word(0)? as usize;
    let weight = word(1)?;
    let sign = word(2)? as u16;
    let dscale = word(3)? as u16 as usize;
    match sign {
        0xC000 => return Ok("NaN".into()),
        0xD000 => return Ok("Infinity".into()),
        0xF000 => return Ok("-Infinity".into()),
        _ => {}
    }
    let digit = |k: i32| -> std::result::Result<i32, Box<dyn StdError + Sync + Send>> {
        if k < 0 || k as usize >= ndigits {
            Ok(0)
        } else {
            word(4 + k as usize)
        }
    };
    let mut out = String::new();
    if sign == 0x4000 {
        out.push('-');
    }
    if weight < 0 {
        out.push('0');
    } else {
        for k in 0..=weight {
            let d = digit(k)?;
            if k == 0 {
                out.push_str(&d.to_string());
            } else {
                out.push_str(&format!("{d:04}"));
            }
        }
    }
    if dscale > 0 {
        let mut frac = String::new();
        let groups = dscale.div_ceil(4) as i32;
        for j in 1..=groups {
            frac.push_str(&format!("{:04}", digit(weight + j)?));
        }
        frac.truncate(dscale);
        out.push('.');
        out.push_str(&frac);
    }
    Ok(out)
}

/// TLS: `verify-full` and `verify-ca` check the server's certificate against the authorities
/// of `sslrootcert` when given (as libpq does), else the public web roots, and its name;
/// `require` and `prefer` encrypt without checking, as libpq does.
fn tls_config(mode: &str, rootcert: Option<&str>) -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default protocol versions");
    if matches!(mode, "verify-ca" | "verify-full") {
        Ok(builder
            .with_root_certificates(crate::tls::roots(rootcert)?)
            .with_no_client_auth())
    } else {
        Ok(builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unverified(provider)))
            .with_no_client_auth())
    }
}

/// Accepts the server's certificate without checking it (`sslmode=require`); signatures are
/// still verified, so the session is encrypted with the key the certificate names.
#[derive(Debug)]
struct Unverified(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

fn io_cause(e: &postgres::Error) -> Option<String> {
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return Some(match io.kind() {
                std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
                std::io::ErrorKind::TimedOut => "timed out".into(),
                _ => io.to_string(),
            });
        }
        source = s.source();
    }
    None
}

/// The connection could not be made: what went wrong, naming the host and port (never the
/// password).
fn connect_error(e: postgres::Error, url: &DbUrl) -> Error {
    let code = e.code().cloned();
    if code == Some(SqlState::INVALID_PASSWORD)
        || code == Some(SqlState::INVALID_AUTHORIZATION_SPECIFICATION)
    {
        return Error::runtime(format!(
            "access denied for user '{}' (wrong password, or no such user)",
            url.user
        ))
        .with_hint("check the URL's user and password (or $WAFFLECTL_DB_PASSWORD)");
    }
    if code == Some(SqlState::INVALID_CATALOG_NAME) {
        return Error::runtime(format!(
            "there is no database '{}' on {}",
            url.database,
            url.address()
        ))
        .with_hint("create it and run the site's `manage.py migrate` first");
    }
    if let Some(db) = e.as_db_error() {
        return Error::runtime(format!(
            "cannot connect to {}: {}",
            url.address(),
            db.message()
        ));
    }
    let why = io_cause(&e).unwrap_or_else(|| e.to_string());
    if why.contains("certificate") {
        return super::conn::certificate_refused(url, &why);
    }
    Error::runtime(format!("cannot connect to {}: {why}", url.address()))
        .with_hint("check the host and port, and that the server is running")
}

/// Maps the server's errors to the store's error kinds.
fn error(e: postgres::Error) -> Error {
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        if *code == SqlState::INSUFFICIENT_PRIVILEGE || *code == SqlState::READ_ONLY_SQL_TRANSACTION
        {
            return Error {
                kind: Kind::StoreReadOnly,
                ..Error::runtime(format!("the database refused the write: {}", db.message()))
            }
            .with_hint(
                "the user needs the grants listed in docs/databases.md, on the primary server",
            );
        }
        if *code == SqlState::T_R_SERIALIZATION_FAILURE
            || *code == SqlState::T_R_DEADLOCK_DETECTED
            || *code == SqlState::LOCK_NOT_AVAILABLE
        {
            return Error {
                kind: Kind::StoreLocked,
                ..Error::runtime(format!(
                    "another client changed the same rows at the same time ({})",
                    db.message()
                ))
            }
            .with_hint("nothing was written; run the command again");
        }
        return Error::runtime(format!("store: {}", db.message()));
    }
    if e.is_closed() || io_cause(&e).is_some() {
        return Error::runtime(format!(
            "lost the connection to the database server: {}",
            io_cause(&e).unwrap_or_else(|| e.to_string())
        ))
        .with_hint(
            "nothing half-written is kept: the server rolls back an unfinished transaction",
        );
    }
    Error::runtime(format!("store: {e}"))
}
