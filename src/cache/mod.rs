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
    pub host: String,
    pub port: u16,
    /// Redis database number (`redis://HOST:PORT/N`).
    pub db: u32,
    pub user: Option<String>,
    pub password: Option<String>,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Server({self})")
    }
}

/// The URL with the password masked.
impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let auth = match (&self.user, &self.password) {
            (None, None) => String::new(),
            (u, Some(_)) => format!("{}:***@", u.as_deref().unwrap_or("")),
            (Some(u), None) => format!("{u}@"),
        };
        match self.protocol {
            Protocol::Redis => write!(f, "redis://{auth}{host}:{}/{}", self.port, self.db),
            Protocol::Memcached => write!(f, "memcached://{host}:{}", self.port),
        }
    }
}

/// Parses `redis://[[USER]:PASSWORD@]HOST[:PORT][/N]` or `memcached://HOST[:PORT]` (the
/// `--cache` value parser; an error is a usage error).
pub fn parse_url(url: &str) -> Result<Server, String> {
    let usage = "expected redis://HOST:PORT/N or memcached://HOST:PORT";
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("'{url}' is not a cache URL ({usage})"))?;
    let protocol = match scheme.to_ascii_lowercase().as_str() {
        "redis" => Protocol::Redis,
        "memcached" | "memcache" => Protocol::Memcached,
        "rediss" => return Err("TLS to Redis (rediss://) is not supported yet".into()),
        _ => return Err(format!("unknown cache scheme '{scheme}' ({usage})")),
    };
    if rest.contains(['?', '#']) {
        return Err(format!(
            "'{url}': options in the cache URL are not supported ({usage})"
        ));
    }
    let (authority, path) = match rest.split_once('/') {
        Some((a, p)) => (a, p),
        None => (rest, ""),
    };
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    if userinfo.is_some() && protocol == Protocol::Memcached {
        return Err("memcached has no password: use memcached://HOST:PORT".into());
    }
    let (user, password) = match userinfo {
        None => (None, None),
        Some(u) => match u.split_once(':') {
            Some((user, pass)) => (
                (!user.is_empty()).then(|| user.to_string()),
                Some(pass.to_string()),
            ),
            None => (Some(u.to_string()), None),
        },
    };
    let default_port = match protocol {
        Protocol::Redis => 6379,
        Protocol::Memcached => 11211,
    };
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or_else(|| format!("'{url}': unclosed '[' in the host"))?;
        match after.strip_prefix(':') {
            Some(p) => (h, Some(p)),
            None if after.is_empty() => (h, None),
            None => return Err(format!("'{url}': bad host")),
        }
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    if host.is_empty() {
        return Err(format!("'{url}' names no host ({usage})"));
    }
    let port = match port {
        None => default_port,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p != 0)
            .ok_or_else(|| format!("'{p}' is not a port number (1-65535)"))?,
    };
    let db = match (protocol, path) {
        (_, "") => 0,
        (Protocol::Redis, n) => n
            .parse::<u32>()
            .map_err(|_| format!("'{n}' is not a Redis database number (redis://HOST:PORT/N)"))?,
        (Protocol::Memcached, _) => {
            return Err(format!(
                "'{url}': memcached has no databases (memcached://HOST:PORT)"
            ));
        }
    };
    Ok(Server {
        protocol,
        host: host.to_string(),
        port,
        db,
        user,
        password,
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
        let addrs: Vec<_> = (self.host.as_str(), self.port).to_socket_addrs()?.collect();
        let mut last = io::Error::new(io::ErrorKind::NotFound, "the host has no address");
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, TIMEOUT) {
                Ok(s) => {
                    s.set_read_timeout(Some(TIMEOUT))?;
                    s.set_write_timeout(Some(TIMEOUT))?;
                    s.set_nodelay(true)?;
                    return Ok(match self.protocol {
                        Protocol::Redis => Conn::Redis(redis::Redis::connect(
                            s,
                            self.user.as_deref(),
                            self.password.as_deref(),
                            self.db,
                        )?),
                        Protocol::Memcached => Conn::Memcached(memcached::Memcached::new(s)),
                    });
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
        let s = parse_url("redis://127.0.0.1:6390/2").unwrap();
        assert_eq!(
            (s.protocol, s.host.as_str(), s.port, s.db),
            (Protocol::Redis, "127.0.0.1", 6390, 2)
        );
        let s = parse_url("memcached://cache.internal").unwrap();
        assert_eq!((s.protocol, s.port), (Protocol::Memcached, 11211));
        let s = parse_url("redis://:secret@[::1]:7000/0").unwrap();
        assert_eq!(s.host, "::1");
        assert_eq!(s.to_string(), "redis://:***@[::1]:7000/0");
        for bad in [
            "127.0.0.1:6379",
            "http://x",
            "redis://",
            "redis://h:0",
            "redis://h:99999",
            "redis://h/x",
            "memcached://h/1",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }
}
