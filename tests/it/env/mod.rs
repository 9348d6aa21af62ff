//! Issue 21 item 1, named environments: the config file and its lookup (`config`), passwords
//! (`passwords`), `--env` and protected environments (`protect`), `env list` and `env check`
//! (`list`). Commands here run without `--db` (`Env::run_bare`): the config file names the
//! stores.

mod config;
mod list;
mod passwords;
mod protect;

use crate::common;

use std::path::{Path, PathBuf};

use common::Env;

/// Writes `text` to `path` with the permission bits `mode` (0o600: private).
pub(crate) fn write_mode(path: &Path, text: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    path.to_path_buf()
}

/// `./wafflectl.toml` of the test's folder, private (0600).
pub(crate) fn config(env: &Env, text: &str) -> PathBuf {
    write_mode(&env.path("wafflectl.toml"), text, 0o600)
}

/// A test folder with two SQLite stores, `staging.db` and `prod.db`, and a `./wafflectl.toml`
/// naming them (`prod` protected).
pub(crate) fn two_stores() -> Env {
    let env = Env::empty();
    for db in ["staging.db", "prod.db"] {
        let r = env.run_bare(&["--db", db, "init", "-q"][..], &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    config(
        &env,
        r#"
[environments.staging]
db = "staging.db"

[environments.prod]
db = "prod.db"
protected = true
"#,
    );
    env
}

/// The `name` of each object of the JSON array a command printed (`env list --json`,
/// `flag list --json`).
pub(crate) fn names(run: &common::Run) -> Vec<String> {
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");
    v.as_array()
        .expect("a JSON array")
        .iter()
        .map(|e| e["name"].as_str().expect("a name").to_string())
        .collect()
}

/// A port on the loopback address where nothing listens.
pub(crate) fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// A stand-in PostgreSQL server on the loopback address that asks the client for its password
/// in clear text, keeps what it sent and refuses it: the password a command connected with.
pub(crate) struct FakePg {
    pub port: u16,
    got: std::sync::mpsc::Receiver<String>,
}

impl FakePg {
    pub fn start() -> FakePg {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, got) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let Ok((mut s, _)) = listener.accept() else {
                return;
            };
            s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
                .unwrap();
            let mut len = [0u8; 4];
            // the startup message: its length, then the rest
            if s.read_exact(&mut len).is_err() {
                return;
            }
            let mut rest = vec![0u8; (u32::from_be_bytes(len) as usize).saturating_sub(4)];
            if s.read_exact(&mut rest).is_err() {
                return;
            }
            // AuthenticationCleartextPassword
            let _ = s.write_all(&[b'R', 0, 0, 0, 8, 0, 0, 0, 3]);
            let mut head = [0u8; 5];
            if s.read_exact(&mut head).is_err() || head[0] != b'p' {
                return;
            }
            let n = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
            let mut body = vec![0u8; n.saturating_sub(4).min(4096)];
            if s.read_exact(&mut body).is_err() {
                return;
            }
            let password = String::from_utf8_lossy(body.strip_suffix(&[0]).unwrap_or(&body));
            let _ = tx.send(password.into_owned());
            let fields = b"SFATAL\0C28P01\0Mpassword authentication failed\0\0";
            let mut e = vec![b'E'];
            e.extend(((fields.len() + 4) as u32).to_be_bytes());
            e.extend(fields);
            let _ = s.write_all(&e);
        });
        FakePg { port, got }
    }

    /// `postgres://USER@127.0.0.1:PORT/db?sslmode=disable` of this server.
    pub fn url(&self) -> String {
        format!("postgres://app@127.0.0.1:{}/db?sslmode=disable", self.port)
    }

    /// The password the client sent, if one came.
    pub fn password(&self) -> Option<String> {
        self.got
            .recv_timeout(std::time::Duration::from_secs(20))
            .ok()
    }
}
