//! `--cache` against real servers: a write deletes exactly its keys from Redis and memcached,
//! and `doctor --cache` reports a cached value the store contradicts.
//!
//! The servers' HOST:PORT come from `WAFFLECTL_TEST_REDIS` and `WAFFLECTL_TEST_MEMCACHED`,
//! which `.ci/run` sets after starting both on loopback, with a TLS-only Redis
//! (`WAFFLECTL_TEST_REDIS_TLS`, its certificate from the authority `WAFFLECTL_TEST_TLS_CA`) and
//! an ACL user of the plain one whose password has a '/' (`WAFFLECTL_TEST_REDIS_ACL_URL`). These tests are `#[ignore]` so that a
//! plain `cargo test` needs no server; `.ci/run` runs them with `--ignored`, and there a missing
//! variable fails them: they never skip.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use common::{Env, assert_contains, assert_lacks, md5_hex};

fn server(var: &str) -> String {
    std::env::var(var)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| panic!("{var} is not set: the server's address (.ci/run sets it)"))
}

/// A unique name per test run: the servers may hold keys of earlier runs.
fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}_{}_{nanos}", std::process::id())
}

/// A connection to a server: plain TCP or TLS.
trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

/// Raw protocol access, independent of wafflectl's own clients.
enum Raw {
    Redis(BufReader<Box<dyn Stream>>),
    Memcached(BufReader<TcpStream>),
}

impl Raw {
    fn redis(addr: &str, db: u32) -> Raw {
        let tcp: Box<dyn Stream> = Box::new(TcpStream::connect(addr).unwrap());
        Raw::redis_over(tcp, db)
    }
    /// Over TLS (rustls, trusting only the authority in the PEM file `ca`).
    fn redis_tls(addr: &str, ca: &str, db: u32) -> Raw {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, ServerName};
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_file_iter(ca).unwrap() {
            roots.add(cert.unwrap()).unwrap();
        }
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        let host = addr.rsplit_once(':').unwrap().0.to_string();
        let tls =
            rustls::ClientConnection::new(Arc::new(config), ServerName::try_from(host).unwrap())
                .unwrap();
        let stream: Box<dyn Stream> = Box::new(rustls::StreamOwned::new(
            tls,
            TcpStream::connect(addr).unwrap(),
        ));
        Raw::redis_over(stream, db)
    }
    fn redis_over(stream: Box<dyn Stream>, db: u32) -> Raw {
        let mut r = Raw::Redis(BufReader::new(stream));
        assert_eq!(r.redis_cmd(&[b"SELECT", db.to_string().as_bytes()]), "+OK");
        r
    }
    fn memcached(addr: &str) -> Raw {
        Raw::Memcached(BufReader::new(TcpStream::connect(addr).unwrap()))
    }
    fn line(r: &mut impl BufRead) -> String {
        let mut l = String::new();
        r.read_line(&mut l).unwrap();
        l.trim_end().to_string()
    }
    fn redis_cmd(&mut self, args: &[&[u8]]) -> String {
        let Raw::Redis(r) = self else { unreachable!() };
        let mut req = format!("*{}\r\n", args.len()).into_bytes();
        for a in args {
            req.extend(format!("${}\r\n", a.len()).as_bytes());
            req.extend(*a);
            req.extend(b"\r\n");
        }
        r.get_mut().write_all(&req).unwrap();
        r.get_mut().flush().unwrap();
        Raw::line(r)
    }
    fn set(&mut self, key: &str, value: &[u8]) {
        match self {
            Raw::Redis(_) => {
                assert_eq!(self.redis_cmd(&[b"SET", key.as_bytes(), value]), "+OK");
            }
            Raw::Memcached(r) => {
                // flags 16: pymemcache's text, or 1: a pickle
                let flags = if value.first() == Some(&0x80) { 1 } else { 16 };
                let mut req = format!("set {key} {flags} 0 {}\r\n", value.len()).into_bytes();
                req.extend(value);
                req.extend(b"\r\n");
                r.get_mut().write_all(&req).unwrap();
                assert_eq!(Raw::line(r), "STORED");
            }
        }
    }
    fn exists(&mut self, key: &str) -> bool {
        match self {
            Raw::Redis(_) => self.redis_cmd(&[b"EXISTS", key.as_bytes()]) == ":1",
            Raw::Memcached(r) => {
                r.get_mut()
                    .write_all(format!("get {key}\r\n").as_bytes())
                    .unwrap();
                let first = Raw::line(r);
                if first == "END" {
                    return false;
                }
                let len: usize = first.split(' ').nth(3).unwrap().parse().unwrap();
                let mut buf = vec![0; len + 2];
                r.read_exact(&mut buf).unwrap();
                assert_eq!(Raw::line(r), "END");
                true
            }
        }
    }
}

/// `pickle.dumps('-', 5)`: django-waffle's CACHE_EMPTY as Django's RedisCache stores it.
const PICKLED_EMPTY: &[u8] = b"\x80\x05\x95\x05\x00\x00\x00\x00\x00\x00\x00\x8c\x01-\x94.";

fn check_write_deletes_exactly_its_keys(url: &str, mut raw: Raw) {
    let env = Env::new();
    let flag = unique("live_flag");
    let other = unique("live_other");
    env.ok(&["flag", "create", &flag]);
    let keys: Vec<String> = [
        format!("flag:{flag}"),
        format!("flag:{flag}:users"),
        format!("flag:{flag}:groups"),
    ]
    .iter()
    .map(|k| format!("site:2:waffle:5.0.0{}", md5_hex(k)))
    .chain([
        "site:2:flags:all".to_string(),
        format!("site:2:waffle:5.0.0{}", md5_hex(&format!("flag:{other}"))),
        format!(":1:waffle:5.0.0{}", md5_hex(&format!("flag:{flag}"))),
    ])
    .collect();
    for k in &keys {
        raw.set(k, PICKLED_EMPTY);
    }
    let out = env
        .cmd()
        .args([
            "--cache",
            url,
            "--cache-key-prefix",
            "site",
            "--cache-version",
            "2",
            "flag",
            "on",
            &flag,
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_contains(&stderr, "cache: deleted 4 keys");
    assert_contains(&stderr, "(4 were cached)");
    for k in &keys[..4] {
        assert!(!raw.exists(k), "{k} is still cached");
    }
    // another flag's key, and the same flag under another KEY_PREFIX/VERSION, are left alone
    for k in &keys[4..] {
        assert!(raw.exists(k), "{k} was deleted");
    }
}

fn check_doctor_reports_a_stale_value(url: &str, mut raw: Raw) {
    let env = Env::new();
    let flag = unique("live_doctor");
    env.ok(&["flag", "create", &flag]);
    let doctor = |env: &Env| {
        let out = env
            .cmd()
            .args(["--cache", url, "doctor", "--json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .find(|f| f["check"] == "cached values that disagree with the store")
            .cloned()
            .unwrap()
    };
    assert_eq!(doctor(&env)["level"], "ok");
    // cached as missing while the store has it: what a site shows until the key expires
    raw.set(
        &format!(":1:waffle:5.0.0{}", md5_hex(&format!("flag:{flag}"))),
        PICKLED_EMPTY,
    );
    let found = doctor(&env);
    assert_eq!(found["level"], "warning", "{found}");
    let detail = found["detail"].as_str().unwrap();
    assert_contains(
        detail,
        format!("flag {flag} (cached as missing, the store has it)"),
    );
}

#[test]
#[ignore = "needs a Redis server: .ci/run sets WAFFLECTL_TEST_REDIS and runs it"]
fn redis_write_deletes_exactly_its_keys() {
    let addr = server("WAFFLECTL_TEST_REDIS");
    check_write_deletes_exactly_its_keys(&format!("redis://{addr}/3"), Raw::redis(&addr, 3));
}

#[test]
#[ignore = "needs a memcached server: .ci/run sets WAFFLECTL_TEST_MEMCACHED and runs it"]
fn memcached_write_deletes_exactly_its_keys() {
    let addr = server("WAFFLECTL_TEST_MEMCACHED");
    check_write_deletes_exactly_its_keys(&format!("memcached://{addr}"), Raw::memcached(&addr));
}

#[test]
#[ignore = "needs a Redis server: .ci/run sets WAFFLECTL_TEST_REDIS and runs it"]
fn redis_doctor_reports_stale_values() {
    let addr = server("WAFFLECTL_TEST_REDIS");
    check_doctor_reports_a_stale_value(&format!("redis://{addr}/4"), Raw::redis(&addr, 4));
}

#[test]
#[ignore = "needs a memcached server: .ci/run sets WAFFLECTL_TEST_MEMCACHED and runs it"]
fn memcached_doctor_reports_stale_values() {
    let addr = server("WAFFLECTL_TEST_MEMCACHED");
    // pymemcache stores the text '-' as text (flags 16)
    let mut raw = Raw::memcached(&addr);
    let env = Env::new();
    let flag = unique("live_doctor_mc");
    env.ok(&["flag", "create", &flag]);
    raw.set(
        &format!(":1:waffle:5.0.0{}", md5_hex(&format!("flag:{flag}"))),
        b"-",
    );
    let out = env
        .cmd()
        .args(["--cache", &format!("memcached://{addr}"), "doctor"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_contains(
        &stdout,
        format!("flag {flag} (cached as missing, the store has it)"),
    );
    check_doctor_reports_a_stale_value(&format!("memcached://{addr}"), Raw::memcached(&addr));
}

#[test]
#[ignore = "needs a TLS-only Redis server: .ci/run sets WAFFLECTL_TEST_REDIS_TLS and runs it"]
fn rediss_with_sslrootcert_deletes_exactly_its_keys() {
    let addr = server("WAFFLECTL_TEST_REDIS_TLS");
    let ca = server("WAFFLECTL_TEST_TLS_CA");
    check_write_deletes_exactly_its_keys(
        &format!("rediss://{addr}/5?sslrootcert={ca}"),
        Raw::redis_tls(&addr, &ca, 5),
    );
}

/// The warning a write prints when the cache could not be updated: its first line.
fn cache_warning(env: &Env, url: &str) -> String {
    let flag = unique("live_refused");
    let out = env
        .cmd()
        .args(["--cache", url, "flag", "create", &flag])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    assert_eq!(env.json(&["flag", "show", &flag])["name"], flag.as_str());
    stderr
        .lines()
        .find(|l| l.starts_with("warning: "))
        .unwrap_or_else(|| panic!("no warning: {stderr}"))
        .to_string()
}

#[test]
#[ignore = "needs a TLS-only Redis server: .ci/run sets WAFFLECTL_TEST_REDIS_TLS and runs it"]
fn rediss_refuses_a_certificate_from_an_unknown_authority() {
    let addr = server("WAFFLECTL_TEST_REDIS_TLS");
    let env = Env::new();
    // the throwaway authority is not one of the public web roots
    let warning = cache_warning(&env, &format!("rediss://:s3cret@{addr}/5"));
    assert!(
        warning.starts_with(&format!(
            "warning: the change is committed, but the cache at rediss://:***@{addr}/5 could not be updated ("
        )),
        "{warning}"
    );
    assert_contains(&warning, "certificate");
    assert_lacks(&warning, "s3cret");
    // plain Redis to a TLS-only port fails too, and so does doctor (exit 1)
    let out = env
        .cmd()
        .args(["--cache", &format!("rediss://{addr}/5"), "doctor"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_contains(&stdout, format!("cannot read rediss://{addr}/5: "));
}

#[test]
#[ignore = "needs a Redis server: .ci/run sets WAFFLECTL_TEST_REDIS_ACL_URL and runs it"]
fn redis_acl_user_with_an_encoded_slash_in_its_password() {
    let url = server("WAFFLECTL_TEST_REDIS_ACL_URL");
    assert!(url.contains("%2F"), "the password should have a '/': {url}");
    let addr = server("WAFFLECTL_TEST_REDIS");
    check_write_deletes_exactly_its_keys(&format!("{url}/6"), Raw::redis(&addr, 6));
    // the same user with a wrong password: refused, one line, the password never shown
    let (head, _) = url.rsplit_once('@').unwrap();
    let user = head.rsplit_once(':').unwrap().0;
    let env = Env::new();
    let warning = cache_warning(&env, &format!("{user}:wr0ng%2Fpw@{addr}/6"));
    let shown = format!("{user}:***@{addr}/6");
    assert_contains(&warning, &shown);
    assert_lacks(&warning, "wr0ng");
}
