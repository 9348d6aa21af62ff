//! The site's django-waffle cache: after a committed write, delete exactly the keys
//! django-waffle 5.0.0 deletes when the changed objects are saved or deleted, so a running site
//! sees the change at once instead of after its cache TIMEOUT (spec django-waffle §2.5).
//!
//! Which objects changed comes from the store's record of the transaction
//! ([`crate::store::admin_log::ChangeRecord`]), never from SQL, so this works the same for every
//! store backend. A cache that cannot be reached is a warning listing the keys left stale: the
//! change is committed and stays so.

pub mod doctor;
pub mod keys;
pub mod memcached;
pub mod pickle;
pub mod redis;

use std::io;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::store::admin_log::ChangeRecord;
use crate::types::{CacheProtocol, CacheServer};
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

/// `--cache` with the settings that shape keys.
#[derive(Debug, Clone)]
pub struct Cache {
    pub server: CacheServer,
    pub keys: KeySettings,
}

/// An open connection to the cache server.
pub enum Conn {
    Redis(redis::Redis),
    Memcached(memcached::Memcached),
}

impl CacheServer {
    /// Connects with [`TIMEOUT`] on connecting, reading and writing.
    pub fn connect(&self) -> io::Result<Conn> {
        Ok(match self.protocol {
            CacheProtocol::Redis => Conn::Redis(redis::Redis::connect(self, TIMEOUT)?),
            CacheProtocol::Memcached => Conn::Memcached(memcached::Memcached::new(self.tcp()?)),
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
    pub fn stale_keys(&self, done: &ChangeRecord) -> Vec<String> {
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

/// What deleting a committed write's stale keys did, for the command to report.
pub enum Deleted {
    /// The write made no key stale.
    Nothing,
    /// `keys` deleted; `cached` of them were in the cache.
    Keys { keys: usize, cached: usize },
    /// The cache could not be reached or refused: these keys may be stale.
    Failed { error: io::Error, keys: Vec<String> },
}

/// Deletes the keys the committed write `done` made stale (see [`Cache::stale_keys`]).
pub fn after_commit(cache: &Cache, done: &ChangeRecord) -> Deleted {
    let keys = cache.stale_keys(done);
    if keys.is_empty() {
        return Deleted::Nothing;
    }
    match cache.server.connect().and_then(|mut c| c.delete(&keys)) {
        Ok(cached) => Deleted::Keys {
            keys: keys.len(),
            cached,
        },
        Err(error) => Deleted::Failed { error, keys },
    }
}
