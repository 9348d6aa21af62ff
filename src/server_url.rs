//! A server URL as `--db` and `--cache` take it (`SCHEME://[USER[:PASSWORD]@]HOST[:PORT][/PATH][?K=V&...]`),
//! read by the `url` crate: the one place that knows percent-encoding, IPv6 brackets and ports.
//! `types::DbUrl` and `cache::Server` each read their own scheme's parts from it.
//!
//! Every part is `%XX`-decoded (so a password may hold `/`, `@`, `:` or `?` written as `%2F`,
//! `%40`, `%3A`, `%3F`); a `+` stays a `+` (this is not a form). An IPv6 host is written in
//! brackets (`[::1]:6379`) and kept without them. Errors are one line and never repeat the
//! URL, so never its password: the caller names the option.

use std::fmt;

use percent_encoding::percent_decode_str;

/// The parts of a server URL, decoded.
#[derive(Clone, PartialEq, Eq)]
pub struct ServerUrl {
    /// Lower case (`MySQL://` is `mysql`).
    pub scheme: String,
    /// `None` when the URL has no user, or an empty one (`redis://:PASSWORD@HOST`).
    pub user: Option<String>,
    /// `None` when the URL has no password, or an empty one.
    pub password: Option<String>,
    /// Without the brackets of an IPv6 address.
    pub host: String,
    /// The port the URL names, else the scheme's default.
    pub port: u16,
    /// What follows the `/` after the host, decoded; `None` when there is no `/`.
    pub path: Option<String>,
    /// The `?` options, decoded, in order.
    pub query: Vec<(String, String)>,
}

/// Debug never shows the password.
impl fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ServerUrl({}://{}{}{})",
            self.scheme,
            self.user.as_deref().unwrap_or(""),
            if self.password.is_some() {
                ":***@"
            } else {
                "@"
            },
            self.address()
        )
    }
}

/// `HOST:PORT` as a person (and a URL) writes it: an IPv6 host in brackets.
pub fn address(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

impl ServerUrl {
    /// `None` when `text` is not a URL at all (no `://`). `default_port` gives the port of a
    /// URL that names none, by its scheme. The error says what is wrong, without the URL.
    pub fn parse(
        text: &str,
        default_port: impl Fn(&str) -> u16,
    ) -> Option<Result<ServerUrl, String>> {
        text.contains("://").then(|| parse(text, default_port))
    }

    /// `HOST:PORT`, an IPv6 host in brackets.
    pub fn address(&self) -> String {
        address(&self.host, self.port)
    }
}

fn parse(text: &str, default_port: impl Fn(&str) -> u16) -> Result<ServerUrl, String> {
    use url::ParseError as P;
    let url = url::Url::parse(text).map_err(|e| match e {
        P::EmptyHost => "the URL names no host".to_string(),
        P::InvalidPort => "the URL's port is not a number from 1 to 65535".to_string(),
        P::InvalidIpv6Address => {
            "the URL's host is not an IPv6 address (write one in brackets: [::1]:6379)".to_string()
        }
        P::RelativeUrlWithoutBase => "the URL has no scheme (SCHEME://HOST...)".to_string(),
        other => format!("the URL cannot be read: {other}"),
    })?;
    if url.fragment().is_some() {
        return Err("the URL has a '#' (write a '#' in a password as %23)".into());
    }
    let host = match url.host() {
        Some(url::Host::Ipv6(a)) => a.to_string(),
        Some(url::Host::Ipv4(a)) => a.to_string(),
        Some(url::Host::Domain(d)) if !d.is_empty() => d.to_string(),
        _ => return Err("the URL names no host".into()),
    };
    if host.contains('%') {
        return Err(
            "the URL's host has a '%' (only the user, password, path and options are decoded)"
                .into(),
        );
    }
    let port = match url.port() {
        None => default_port(url.scheme()),
        Some(0) => return Err("the URL's port is not a number from 1 to 65535".into()),
        Some(p) => p,
    };
    let user = Some(decode(url.username(), "user")?).filter(|u| !u.is_empty());
    let password = url
        .password()
        .map(|p| decode(p, "password"))
        .transpose()?
        .filter(|p| !p.is_empty());
    // `url` keeps an opaque path as written: "" (no '/'), "/" or "/REST"
    let path = match url.path() {
        "" => None,
        p => Some(decode(&p[1..], "path")?),
    };
    let mut query = Vec::new();
    for pair in url
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        query.push((decode(k, "option")?, decode(v, "option")?));
    }
    Ok(ServerUrl {
        scheme: url.scheme().to_string(),
        user,
        password,
        host,
        port,
        path,
        query,
    })
}

/// `%XX`-decodes a part of the URL; the result must be UTF-8.
pub fn decode(raw: &str, part: &str) -> Result<String, String> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| format!("the URL's {part} is not UTF-8 once its %XX are decoded"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(scheme: &str) -> u16 {
        match scheme {
            "redis" => 6379,
            _ => 1,
        }
    }

    fn ok(text: &str) -> ServerUrl {
        ServerUrl::parse(text, port).unwrap().unwrap()
    }

    fn err(text: &str) -> String {
        ServerUrl::parse(text, port).unwrap().unwrap_err()
    }

    #[test]
    fn not_a_url() {
        assert!(ServerUrl::parse("./waffle.db", port).is_none());
        assert!(ServerUrl::parse("/srv/db.sqlite3", port).is_none());
    }

    #[test]
    fn defaults_and_case() {
        let u = ok("REDIS://Cache.Internal");
        assert_eq!(u.scheme, "redis");
        assert_eq!(u.port, 6379);
        assert_eq!((u.user, u.password, u.path), (None, None, None));
        assert!(u.query.is_empty());
        let u = ok("redis://h:6390/");
        assert_eq!((u.port, u.path.as_deref()), (6390, Some("")));
        assert_eq!(ok("mysql://u@h/edx%5Fapp").path.as_deref(), Some("edx_app"));
    }

    #[test]
    fn ipv6_hosts_are_kept_without_brackets() {
        let u = ok("redis://[::1]:7000/2");
        assert_eq!((u.host.as_str(), u.port), ("::1", 7000));
        assert_eq!(u.address(), "[::1]:7000");
        let u = ok("redis://[::1]");
        assert_eq!((u.host.as_str(), u.port), ("::1", 6379));
        assert_eq!(ok("redis://127.0.0.1:1").address(), "127.0.0.1:1");
        assert!(err("redis://[::1:6379").contains("IPv6"));
        assert!(err("redis://[not-v6]:6379").contains("IPv6"));
    }

    #[test]
    fn parts_are_percent_decoded() {
        let u =
            ok("redis://app%2Duser:p%2Fa%40ss%3Aw%3Fd@h/0?sslrootcert=%2Fetc%2Fca+1.pem&x=a%26b");
        assert_eq!(u.user.as_deref(), Some("app-user"));
        assert_eq!(u.password.as_deref(), Some("p/a@ss:w?d"));
        assert_eq!(
            u.query,
            [
                ("sslrootcert".to_string(), "/etc/ca+1.pem".to_string()),
                ("x".to_string(), "a&b".to_string())
            ]
        );
        // an '@' in the password may also be written as it is: the last '@' ends the user info
        assert_eq!(ok("redis://:p@ss@h").password.as_deref(), Some("p@ss"));
        assert_eq!(ok("redis://:@h").password, None);
        assert_eq!(ok("redis://u%C3%A9@h").user.as_deref(), Some("ué"));
        assert!(err("redis://:%FF@h").contains("not UTF-8"));
    }

    #[test]
    fn bad_urls_say_why_in_one_line_without_the_password() {
        for (text, says) in [
            ("redis://", "names no host"),
            ("redis://:s3cret@:6379", "names no host"),
            ("redis://h:0", "port is not a number from 1 to 65535"),
            ("redis://h:99999", "port is not a number"),
            ("redis://:s3cret@h:port/0", "port is not a number"),
            ("redis://:s3cret@h/0#frag", "'#'"),
            ("1redis://h", "no scheme"),
            ("redis://h%41/0", "host has a '%'"),
        ] {
            let e = err(text);
            assert!(e.contains(says), "{text}: {e}");
            assert!(!e.contains('\n') && !e.contains("s3cret"), "{text}: {e}");
        }
    }
}
