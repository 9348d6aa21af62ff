//! Redis through the `redis` crate's blocking client: login (an ACL user or the `default` one),
//! SELECT, DEL and MGET, which is all that invalidating and inspecting django-waffle's keys
//! needs; over TLS for `rediss://`, the server's certificate checked against the public web
//! roots or the authorities of `?sslrootcert=` (read by [`crate::tls`], as for `--db`).

use std::io;
use std::time::Duration;

use redis::{ConnectionAddr, IntoConnectionInfo, RedisConnectionInfo};

use crate::types::CacheServer as Server;

pub struct Redis {
    conn: redis::Connection,
    tls: bool,
}

/// A Redis error as one line (the client's own words, which never hold the password), with
/// what to do about a refused certificate or a port that does not answer.
fn io_error(e: redis::RedisError, tls: bool) -> io::Error {
    let text = e.to_string();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.contains("certificate") {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "the TLS certificate was refused: {text}; trust a private authority with \
                 rediss://…?sslrootcert=CA.pem"
            ),
        )
    } else if e.is_timeout() {
        let why = if tls { " (is it a TLS port?)" } else { "" };
        io::Error::new(io::ErrorKind::TimedOut, format!("no answer in time{why}"))
    } else if e.is_connection_refusal() {
        io::Error::new(io::ErrorKind::ConnectionRefused, text)
    } else {
        io::Error::other(text)
    }
}

impl Redis {
    /// Connects (TLS for `rediss://`), logs in when the URL has a password, selects its
    /// database; `timeout` bounds connecting and each request.
    pub fn connect(server: &Server, timeout: Duration) -> io::Result<Redis> {
        let mut settings = RedisConnectionInfo::default().set_db(i64::from(server.db));
        if let Some(p) = &server.password {
            settings = settings.set_password(p);
            if let Some(u) = &server.user {
                settings = settings.set_username(u);
            }
        }
        let host = server.host.clone();
        let tls = server.tls;
        let client = if tls {
            let root_cert = match &server.sslrootcert {
                Some(path) => Some(
                    crate::tls::authorities(path)
                        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.message))?
                        .pem,
                ),
                None => None,
            };
            let addr = ConnectionAddr::TcpTls {
                host,
                port: server.port,
                insecure: false,
                tls_params: None,
            };
            let info = addr
                .into_connection_info()
                .map_err(|e| io_error(e, tls))?
                .set_redis_settings(settings);
            redis::Client::build_with_tls(
                info,
                redis::TlsCertificates {
                    client_tls: None,
                    root_cert,
                },
            )
        } else {
            let info = ConnectionAddr::Tcp(host, server.port)
                .into_connection_info()
                .map_err(|e| io_error(e, tls))?
                .set_redis_settings(settings);
            redis::Client::open(info)
        }
        .map_err(|e| io_error(e, tls))?;
        let conn = client
            .get_connection_with_timeout(timeout)
            .map_err(|e| io_error(e, tls))?;
        conn.set_read_timeout(Some(timeout))
            .map_err(|e| io_error(e, tls))?;
        conn.set_write_timeout(Some(timeout))
            .map_err(|e| io_error(e, tls))?;
        Ok(Redis { conn, tls })
    }

    /// `DEL key...`: how many keys existed.
    pub fn delete(&mut self, keys: &[String]) -> io::Result<usize> {
        if keys.is_empty() {
            return Ok(0);
        }
        redis::cmd("DEL")
            .arg(keys)
            .query::<usize>(&mut self.conn)
            .map_err(|e| io_error(e, self.tls))
    }

    /// `MGET key...`: each key's value, or None.
    pub fn get(&mut self, keys: &[String]) -> io::Result<Vec<Option<Vec<u8>>>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let values: Vec<Option<Vec<u8>>> = redis::cmd("MGET")
            .arg(keys)
            .query(&mut self.conn)
            .map_err(|e| io_error(e, self.tls))?;
        if values.len() != keys.len() {
            return Err(super::bad(format!(
                "MGET of {} keys answered {} values",
                keys.len(),
                values.len()
            )));
        }
        Ok(values)
    }
}
