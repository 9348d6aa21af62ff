//! The site's django-waffle cache: after a committed write, delete exactly the keys
//! django-waffle 5.0.0 deletes when the changed objects are saved or deleted, so a running site
//! sees the change at once instead of after its cache TIMEOUT (spec django-waffle §2.5).
//!
//! Which objects changed comes from the store's record of the transaction
//! ([`crate::store::admin_log::Committed`]), never from SQL, so this works the same for every
//! store backend. A cache that cannot be reached is a warning listing the keys left stale: the
//! change is committed and stays so.

pub mod doctor;
pub mod keys;
pub mod memcached;
pub mod pickle;
pub mod redis;

use std::fmt;
use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::context::Ctx;
use crate::store::admin_log::Committed;
pub use keys::KeySettings;

/// How long to wait for the cache server to accept, answer or take a request.
const TIMEOUT: Duration = Duration::from_secs(2);

/// A reply the server should not have sent.
pub(crate) fn bad(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// One line of the server's answer, without its `\r\n` (both protocols are line-based).
pub(crate) fn read_line(reader: &mut impl io::BufRead) -> io::Result<String> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the server closed the connection",
        ));
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Which kind of server, as `--cache` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Redis,
    Memcached,
}

/// A parsed `--cache` URL.
#[derive(Clone, PartialEq, Eq)]
pub struct Server {
    pub protocol: Protocol,
    /// Without the brackets of an IPv6 address.
    pub host: String,
    pub port: u16,
    /// Redis database number (`redis://HOST:PORT/N`).
    pub db: u32,
    /// An ACL user (Redis 6+), else Redis' `default` user.
    pub user: Option<String>,
    pub password: Option<String>,
    /// `rediss://`: TLS, the server's certificate checked.
    pub tls: bool,
    /// `?sslrootcert=CA.pem` (with `rediss://`): the authorities that certificate is checked
    /// against, instead of the public web roots.
    pub sslrootcert: Option<String>,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Server({self})")
    }
}

/// The URL with the password masked.
impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let address = crate::server_url::address(&self.host, self.port);
        let auth = match (&self.user, &self.password) {
            (None, None) => String::new(),
            (u, Some(_)) => format!("{}:***@", u.as_deref().unwrap_or("")),
            (Some(u), None) => format!("{u}@"),
        };
        match self.protocol {
            Protocol::Redis => {
                let scheme = if self.tls { "rediss" } else { "redis" };
                write!(f, "{scheme}://{auth}{address}/{}", self.db)?;
                if let Some(ca) = &self.sslrootcert {
                    write!(f, "?sslrootcert={ca}")?;
                }
                Ok(())
            }
            Protocol::Memcached => write!(f, "memcached://{address}"),
        }
    }
}

const CACHE_URL_FORMS: &str = "use redis://[[USER]:PASSWORD@]HOST[:PORT][/N], \
     rediss://…[?sslrootcert=CA.pem] (TLS) or memcached://HOST[:PORT] (a '/', '@' or ':' in the \
     password written as %2F, %40, %3A)";

/// Reads `redis://[[USER]:PASSWORD@]HOST[:PORT][/N]`, the same with `rediss://` (TLS, with an
/// optional `?sslrootcert=PATH`), or `memcached://HOST[:PORT]`: what is wrong, in words that
/// never repeat the password.
pub fn parse(text: &str) -> Result<Server, String> {
    let default_port = |scheme: &str| match scheme {
        "memcached" | "memcache" => 11211,
        _ => 6379,
    };
    let url = match crate::server_url::ServerUrl::parse(text, default_port) {
        None => return Err("not a cache URL (it has no scheme://)".into()),
        Some(url) => url?,
    };
    let (protocol, tls) = match url.scheme.as_str() {
        "redis" => (Protocol::Redis, false),
        "rediss" => (Protocol::Redis, true),
        "memcached" | "memcache" => (Protocol::Memcached, false),
        other => {
            return Err(format!(
                "unknown cache scheme '{}'",
                crate::output::escape_control(other)
            ));
        }
    };
    let mut sslrootcert = None;
    for (key, value) in &url.query {
        match key.as_str() {
            "sslrootcert" if tls && !value.is_empty() => sslrootcert = Some(value.clone()),
            "sslrootcert" if !tls => {
                return Err("sslrootcert is for TLS: use rediss://…?sslrootcert=CA.pem".into());
            }
            _ => {
                return Err(format!(
                    "unknown cache URL option '{}'",
                    crate::output::escape_control(key)
                ));
            }
        }
    }
    let path = url.path.as_deref().unwrap_or("");
    let db = match protocol {
        Protocol::Redis if path.is_empty() => 0,
        Protocol::Redis => path.parse::<u32>().map_err(|_| {
            format!(
                "'{}' is not a Redis database number (redis://HOST:PORT/N)",
                crate::output::escape_control(path)
            )
        })?,
        Protocol::Memcached => {
            if url.user.is_some() || url.password.is_some() {
                return Err("memcached has no password: use memcached://HOST:PORT".into());
            }
            if !path.is_empty() {
                return Err("memcached has no databases (memcached://HOST:PORT)".into());
            }
            0
        }
    };
    Ok(Server {
        protocol,
        host: url.host,
        port: url.port,
        db,
        user: url.user,
        password: url.password,
        tls,
        sslrootcert,
    })
}

/// The `--cache` value parser: a bad URL is a usage error naming the option.
pub fn parse_url(text: &str) -> crate::error::Result<Server> {
    parse(text).map_err(|why| {
        crate::error::Error::usage(format!("--cache: {why}")).with_hint(CACHE_URL_FORMS)
    })
}

/// `--cache` with the settings that shape keys.
#[derive(Debug, Clone)]
pub struct Cache {
    pub server: Server,
    pub keys: KeySettings,
}

/// An open connection to the cache server.
pub enum Conn {
    Redis(redis::Redis),
    Memcached(memcached::Memcached),
}

impl Server {
    /// Connects with [`TIMEOUT`] on connecting, reading and writing.
    pub fn connect(&self) -> io::Result<Conn> {
        Ok(match self.protocol {
            Protocol::Redis => Conn::Redis(redis::Redis::connect(self, TIMEOUT)?),
            Protocol::Memcached => Conn::Memcached(memcached::Memcached::new(self.tcp()?)),
        })
    }

    /// A TCP connection to the first of the host's addresses that accepts one.
    fn tcp(&self) -> io::Result<TcpStream> {
        let addrs: Vec<_> = (self.host.as_str(), self.port).to_socket_addrs()?.collect();
        let mut last = io::Error::new(io::ErrorKind::NotFound, "the host has no address");
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, TIMEOUT) {
                Ok(s) => {
                    s.set_read_timeout(Some(TIMEOUT))?;
                    s.set_write_timeout(Some(TIMEOUT))?;
                    s.set_nodelay(true)?;
                    return Ok(s);
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }
}

impl Conn {
    /// Deletes the keys; how many were cached.
    pub fn delete(&mut self, keys: &[String]) -> io::Result<usize> {
        match self {
            Conn::Redis(r) => r.delete(keys),
            Conn::Memcached(m) => m.delete(keys),
        }
    }
}

impl Cache {
    /// The full keys (Django's `KEY_PREFIX:VERSION:key`) a committed write made stale, in a
    /// stable order without repeats.
    pub fn stale_keys(&self, done: &Committed) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut push = |k: String| {
            let k = self.keys.django_key(&k);
            if seen.insert(k.clone()) {
                out.push(k);
            }
        };
        for t in &done.touched {
            for k in self.keys.waffle_keys(&t.kind, &t.name) {
                push(k);
            }
        }
        for f in &done.member_flags {
            for k in self.keys.member_keys(f) {
                push(k);
            }
        }
        out
    }
}

/// Runs after a write committed (never after a dry run): says why no admin history was written
/// when that is so, then deletes the stale keys from `--cache`. A cache that cannot be reached
/// is a warning that lists the keys left stale; the command still succeeds.
pub fn after_commit(ctx: &Ctx, done: &Committed) {
    if let Some(note) = &done.admin_note {
        ctx.status(format!("note: {note}"));
    }
    let Some(cache) = &ctx.cache else { return };
    let keys = cache.stale_keys(done);
    if keys.is_empty() {
        return;
    }
    match cache.server.connect().and_then(|mut c| c.delete(&keys)) {
        Ok(cached) => ctx.status(format!(
            "cache: deleted {} key{} at {} ({cached} {} cached)",
            keys.len(),
            if keys.len() == 1 { "" } else { "s" },
            cache.server,
            if cached == 1 { "was" } else { "were" }
        )),
        Err(e) => {
            ctx.warn(format!(
                "the change is committed, but the cache at {} could not be updated ({e}); \
                 until they expire, these {} keys may be stale:",
                cache.server,
                keys.len()
            ));
            for k in &keys {
                ctx.status(format!("  {k}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cache_urls() {
        let s = parse("redis://127.0.0.1:6390/2").unwrap();
        assert_eq!(
            (s.protocol, s.host.as_str(), s.port, s.db, s.tls),
            (Protocol::Redis, "127.0.0.1", 6390, 2, false)
        );
        let s = parse("memcached://cache.internal").unwrap();
        assert_eq!((s.protocol, s.port), (Protocol::Memcached, 11211));
        let s = parse("redis://:secret@[::1]:7000/0").unwrap();
        assert_eq!(s.host, "::1");
        assert_eq!(s.to_string(), "redis://:***@[::1]:7000/0");
        // an ACL user, a password with '/' and '@' written as %2F and %40
        let s = parse("redis://app:pa%2Fss%40w@h/1").unwrap();
        assert_eq!(
            (s.user.as_deref(), s.password.as_deref()),
            (Some("app"), Some("pa/ss@w"))
        );
        assert_eq!(s.to_string(), "redis://app:***@h:6379/1");
        let s = parse("rediss://h:6380/3?sslrootcert=%2Fetc%2Fca.pem").unwrap();
        assert_eq!(
            (s.tls, s.port, s.db, s.sslrootcert.as_deref()),
            (true, 6380, 3, Some("/etc/ca.pem"))
        );
        assert_eq!(s.to_string(), "rediss://h:6380/3?sslrootcert=/etc/ca.pem");
        assert_eq!(parse("rediss://h").unwrap().port, 6379);
        for (bad, says) in [
            ("127.0.0.1:6379", "no scheme"),
            ("http://x", "unknown cache scheme 'http'"),
            ("redis://", "names no host"),
            ("redis://h:0", "port"),
            ("redis://h:99999", "port"),
            ("redis://h/x", "'x' is not a Redis database number"),
            ("memcached://h/1", "memcached has no databases"),
            ("memcached://:pw@h", "memcached has no password"),
            ("redis://h/0?sslrootcert=/ca.pem", "sslrootcert is for TLS"),
            (
                "rediss://h/0?timeout=3",
                "unknown cache URL option 'timeout'",
            ),
            ("redis://h/0#x", "'#'"),
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
