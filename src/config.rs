//! The config file that names environments (`wafflectl.toml`): where it is looked up, what it
//! may hold (each environment's store, how to get its password, its cache, whether it is
//! protected), and getting an environment's password. Every problem of the file is one line
//! naming the file, the line and the key.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};
use crate::types::{CacheServer, DbUrl};

/// The longest environment name.
const NAME_MAX: usize = 64;

/// The most a `password_command` may print that is read (its first line is the password).
const COMMAND_OUTPUT_MAX: u64 = 64 * 1024;

/// A config file, read and checked.
#[derive(Debug)]
pub struct Config {
    /// The file, as it was found (`--config`, `$WAFFLECTL_CONFIG`, `./wafflectl.toml`, or the
    /// user's config directory).
    pub path: PathBuf,
    /// Its environments, in the file's order.
    pub environments: Vec<Environment>,
}

/// Where an environment's database password comes from.
#[derive(Clone, PartialEq, Eq)]
pub enum PasswordSource {
    /// None is given: a SQLite file, or a URL without one (then `$WAFFLECTL_DB_PASSWORD`).
    None,
    /// The `db` URL holds it (allowed only in a private file).
    InUrl,
    /// `password_env = "VAR"`.
    Variable(String),
    /// `password_command = [...]`: its first line of output.
    Command(Vec<String>),
    /// `password = "..."` (allowed only in a private file).
    InFile(String),
}

impl std::fmt::Debug for PasswordSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl PasswordSource {
    /// Where the password comes from, in words that never hold it.
    pub fn describe(&self) -> String {
        match self {
            PasswordSource::None => "-".into(),
            PasswordSource::InUrl => "in the URL (file)".into(),
            PasswordSource::Variable(v) => format!("${v}"),
            PasswordSource::Command(argv) => format!("command: {}", command_line(argv)),
            PasswordSource::InFile(_) => "in the config file".into(),
        }
    }
}

/// One named environment.
#[derive(Debug, Clone)]
pub struct Environment {
    pub name: String,
    /// The store: a SQLite path (relative ones read from the config file's folder) or a URL.
    pub db: PathBuf,
    pub password: PasswordSource,
    /// The site's cache, with the settings that shape its keys.
    pub cache: Option<CacheServer>,
    pub cache_key_prefix: String,
    pub cache_version: i64,
    pub waffle_cache_prefix: String,
    pub protected: bool,
}

impl Environment {
    /// The store's path or URL with any password masked, for lists and messages.
    pub fn db_masked(&self) -> String {
        let text = self.db.to_string_lossy();
        match DbUrl::parse(&text, None) {
            Ok(Some(url)) => url.to_string(),
            _ => text.into_owned(),
        }
    }

    /// The password the environment's source gives (`None` when it gives none: the URL's own,
    /// or `$WAFFLECTL_DB_PASSWORD`, applies). A command is run without a shell; what it prints
    /// is never shown, in an error or otherwise.
    pub fn password(&self) -> Result<Option<String>> {
        match &self.password {
            PasswordSource::None | PasswordSource::InUrl => Ok(None),
            PasswordSource::InFile(p) => Ok(Some(p.clone())),
            PasswordSource::Variable(var) => match crate::env::named(var)? {
                Some(p) => Ok(Some(p)),
                None => Err(Error::usage(format!(
                    "environment {}: password_env names ${var}, which is not set",
                    self.name
                ))
                .with_hint(format!("export {var}=... before running wafflectl"))),
            },
            PasswordSource::Command(argv) => run_password_command(&self.name, argv).map(Some),
        }
    }
}

/// Runs `argv` (no shell) and returns the first line it prints; its output is never repeated.
fn run_password_command(env: &str, argv: &[String]) -> Result<String> {
    use std::io::{BufRead, Read};
    use std::process::{Command, Stdio};
    let shown = command_line(argv);
    let fail = |why: String| {
        Error::runtime(format!(
            "environment {env}: password_command `{shown}` {why}"
        ))
    };
    let (program, args) = argv.split_first().ok_or_else(|| fail("is empty".into()))?;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| fail(format!("could not be started: {e}")))?;
    let mut first = String::new();
    let read = match child.stdout.take() {
        Some(out) => std::io::BufReader::new(out.take(COMMAND_OUTPUT_MAX))
            .read_line(&mut first)
            .map(|_| ()),
        None => Ok(()),
    };
    // the rest of its output is not read: it may stop on a closed pipe, which is no failure
    let status = child.wait().map_err(|e| fail(format!("failed: {e}")))?;
    if !status.success() {
        let how = match status.code() {
            Some(c) => format!("exited with status {c}"),
            None => "was killed by a signal".into(),
        };
        return Err(fail(format!("{how} (its output is not shown)")));
    }
    if read.is_err() {
        return Err(fail(
            "printed text that is not UTF-8 (its output is not shown)".into(),
        ));
    }
    let line = first.trim_end_matches(['\n', '\r']);
    if line.is_empty() {
        return Err(fail("printed no password (its first line is empty)".into()));
    }
    Ok(line.to_string())
}

/// A command for messages: its program only, as its arguments may hold the secret itself
/// (`["printf", "..."]`).
fn command_line(argv: &[String]) -> String {
    let program = argv
        .first()
        .map_or(String::new(), |p| crate::output::shell_word(p));
    if argv.len() > 1 {
        format!("{program} …")
    } else {
        program
    }
}

impl Config {
    /// The environment `name`; an unknown one is an error with the closest names and the list.
    pub fn get(&self, name: &str) -> Result<&Environment> {
        if let Some(e) = self.environments.iter().find(|e| e.name == name) {
            return Ok(e);
        }
        let names: Vec<&str> = self.environments.iter().map(|e| e.name.as_str()).collect();
        let err = Error::usage(format!(
            "no environment '{}' in {}",
            crate::error::cut(name),
            self.path.display()
        ));
        let close = crate::suggest::closest(name, names.iter().copied());
        let known = if names.is_empty() {
            "it names none".to_string()
        } else {
            format!("it has {}", names.join(", "))
        };
        Err(match close.first() {
            Some(c) => err.with_hint(format!("did you mean {c}? ({known})")),
            None => err.with_hint(known),
        })
    }

    /// Whether `name` is an environment of the file.
    pub fn has(&self, name: &str) -> bool {
        self.environments.iter().any(|e| e.name == name)
    }
}

/// Whether `text` can be an environment's name (letters, digits, `.`, `_`, `-`; a letter or
/// digit first): a path or URL never is.
pub fn is_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= NAME_MAX
        && text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Finds and reads the config file: `explicit` (`--config`), else `$WAFFLECTL_CONFIG` (either
/// must exist), else `./wafflectl.toml`, else `wafflectl/config.toml` in the user's config
/// directory. `None` when no file is there.
pub fn load(explicit: Option<&Path>) -> Result<Option<Config>> {
    let named = match explicit {
        Some(p) => Some((p.to_path_buf(), "--config")),
        None => crate::env::config_file()?.map(|p| (p, "$WAFFLECTL_CONFIG")),
    };
    if let Some((path, from)) = named {
        if !path.is_file() {
            return Err(
                Error::usage(format!("{from}: no config file at {}", path.display()))
                    .with_hint("see docs/environments.md for what the file holds"),
            );
        }
        return read(&path).map(Some);
    }
    let mut candidates = vec![PathBuf::from("wafflectl.toml")];
    if let Some(dir) = crate::env::user_config_dir() {
        candidates.push(dir.join("wafflectl").join("config.toml"));
    }
    for path in candidates {
        if path.is_file() {
            return read(&path).map(Some);
        }
    }
    Ok(None)
}

/// The file's whole text, read as TOML: the environments.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    environments: std::collections::BTreeMap<Spanned<String>, Spanned<RawEnv>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnv {
    db: Spanned<String>,
    password_env: Option<Spanned<String>>,
    password_command: Option<Spanned<Vec<String>>>,
    password: Option<Spanned<String>>,
    cache: Option<Spanned<String>>,
    cache_key_prefix: Option<String>,
    cache_version: Option<i64>,
    waffle_cache_prefix: Option<String>,
    #[serde(default)]
    protected: bool,
}

/// The config file's size limit: a config file is a few lines.
const FILE_MAX: u64 = 1024 * 1024;

/// Reads and checks the file at `path`.
pub fn read(path: &Path) -> Result<Config> {
    use std::io::Read;
    let shown = path.display().to_string();
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(FILE_MAX + 1).read_to_string(&mut text))
        .map_err(|e| Error::usage(format!("{shown}: cannot read the config file: {e}")))?;
    if text.len() as u64 > FILE_MAX {
        return Err(Error::usage(format!(
            "{shown}: the config file is larger than 1 MiB"
        )));
    }
    let at = |span: std::ops::Range<usize>| line_of(&text, span.start);
    let raw: RawFile = toml::from_str(&text).map_err(|e| {
        let line = e.span().map(&at).unwrap_or(1);
        let message = e.message().trim().replace('\n', " ");
        Error::usage(format!("{shown}:{line}: {message}"))
            .with_hint("see docs/environments.md for what the file holds")
    })?;
    let private = is_private(path)?;
    let folder = path.parent().unwrap_or(Path::new(""));
    let mut environments: Vec<(usize, Environment)> = Vec::new();
    for (name, env) in raw.environments {
        let line = at(name.span());
        let name = name.into_inner();
        let bad = |line: usize, key: &str, why: String| {
            Error::usage(format!(
                "{shown}:{line}: environments.{}.{key}: {why}",
                crate::error::cut(&name)
            ))
        };
        if !is_name(&name) {
            return Err(Error::usage(format!(
                "{shown}:{line}: environment name '{}' must be 1 to {NAME_MAX} letters, digits, \
                 '.', '_' or '-', starting with a letter or digit",
                crate::error::cut(&name)
            )));
        }
        let e = env.into_inner();
        let not_private = |what: &str| {
            format!(
                "{what}, but the file is {}; refusing to read a password from it",
                why_not_private(path)
            )
        };
        let private_hint = format!(
            "chmod 600 {} (and own it), or take the password from password_env or \
             password_command",
            crate::output::shell_word(&shown)
        );
        let db_line = at(e.db.span());
        let db_text = e.db.into_inner();
        if db_text.trim().is_empty() {
            return Err(bad(db_line, "db", "is empty".into()));
        }
        let url = DbUrl::parse(&db_text, None).map_err(|err| {
            let why = err.message.strip_prefix("--db: ").unwrap_or(&err.message);
            let mut out = bad(db_line, "db", why.to_string());
            out.hint = err.hint;
            out
        })?;
        let sources = [
            e.password_env
                .as_ref()
                .map(|s| ("password_env", at(s.span()))),
            e.password_command
                .as_ref()
                .map(|s| ("password_command", at(s.span()))),
            e.password.as_ref().map(|s| ("password", at(s.span()))),
        ];
        let given: Vec<(&str, usize)> = sources.into_iter().flatten().collect();
        if let [first, second, ..] = given[..] {
            return Err(bad(
                second.1,
                second.0,
                format!(
                    "give one of password_env, password_command and password, not {} and {}",
                    first.0, second.0
                ),
            ));
        }
        if let Some(&(key, line)) = given.first() {
            match &url {
                None => {
                    return Err(bad(
                        line,
                        key,
                        "db is a SQLite file, which has no password".into(),
                    ));
                }
                Some(u) if u.password.is_some() => {
                    return Err(bad(
                        line,
                        key,
                        "the db URL holds a password already: keep one of them".into(),
                    ));
                }
                Some(_) => {}
            }
        }
        let in_url = url.as_ref().is_some_and(|u| u.password.is_some());
        if in_url && !private {
            return Err(
                bad(db_line, "db", not_private("the URL holds a password")).with_hint(private_hint)
            );
        }
        let password = if let Some(v) = e.password_env {
            let line = at(v.span());
            let v = v.into_inner();
            if v.is_empty() || v.contains('=') || v.contains('\0') {
                return Err(bad(line, "password_env", "is not a variable name".into()));
            }
            PasswordSource::Variable(v)
        } else if let Some(c) = e.password_command {
            let line = at(c.span());
            let argv = c.into_inner();
            if argv.first().is_none_or(|p| p.is_empty()) {
                return Err(bad(
                    line,
                    "password_command",
                    "must list the program and its arguments, e.g. [\"pass\", \"show\", \"prod/db\"]"
                        .into(),
                ));
            }
            PasswordSource::Command(argv)
        } else if let Some(p) = e.password {
            let line = at(p.span());
            if !private {
                return Err(bad(line, "password", not_private("it holds a password"))
                    .with_hint(private_hint));
            }
            PasswordSource::InFile(p.into_inner())
        } else if in_url {
            PasswordSource::InUrl
        } else {
            PasswordSource::None
        };
        let cache = match e.cache {
            None => None,
            Some(c) => {
                let line = at(c.span());
                let server = crate::types::parse_cache_url(c.get_ref())
                    .map_err(|why| bad(line, "cache", why))?;
                if server.password.is_some() && !private {
                    return Err(bad(line, "cache", not_private("the URL holds a password"))
                        .with_hint(private_hint));
                }
                Some(server)
            }
        };
        let db = match url {
            Some(_) => PathBuf::from(&db_text),
            None => folder.join(&db_text),
        };
        environments.push((
            line,
            Environment {
                name,
                db,
                password,
                cache,
                cache_key_prefix: e.cache_key_prefix.unwrap_or_default(),
                cache_version: e.cache_version.unwrap_or(1),
                waffle_cache_prefix: e.waffle_cache_prefix.unwrap_or_else(|| "waffle:".into()),
                protected: e.protected,
            },
        ));
    }
    environments.sort_by_key(|(line, _)| *line);
    Ok(Config {
        path: path.to_path_buf(),
        environments: environments.into_iter().map(|(_, e)| e).collect(),
    })
}

/// The 1-based line of byte `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Whether only its owner, the user running wafflectl, can read the file.
#[cfg(unix)]
fn is_private(path: &Path) -> Result<bool> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).map_err(|e| {
        Error::usage(format!(
            "{}: cannot read the config file: {e}",
            path.display()
        ))
    })?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    Ok(m.uid() == me && m.mode() & 0o044 == 0)
}

#[cfg(not(unix))]
fn is_private(_: &Path) -> Result<bool> {
    Ok(false)
}

/// Why the file is not private, for the refusal: its mode, or its owner.
#[cfg(unix)]
fn why_not_private(path: &Path) -> String {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(path) {
        Ok(m) if m.mode() & 0o044 != 0 => format!(
            "readable by {} (mode {:o})",
            if m.mode() & 0o004 != 0 {
                "every user"
            } else {
                "its group"
            },
            m.mode() & 0o777
        ),
        _ => "not owned by the user running wafflectl".into(),
    }
}

#[cfg(not(unix))]
fn why_not_private(_: &Path) -> String {
    "not known to be private on this system".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["prod", "staging-eu", "qa_2", "a.b", "1"] {
            assert!(is_name(ok), "{ok}");
        }
        for bad in [
            "",
            "-x",
            "a/b",
            "./w.db",
            "mysql://x",
            "a b",
            &"x".repeat(65),
        ] {
            assert!(!is_name(bad), "{bad}");
        }
    }

    #[test]
    fn lines() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
