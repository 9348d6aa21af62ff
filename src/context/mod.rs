//! The resolved global options every command receives; how it writes status lines and
//! warnings (`printer`) and asks before a destructive change (`prompt`).

mod printer;
mod prompt;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::output::Format;
use crate::store::{Location, Store};
use crate::types::ColorChoice;
use crate::types::FileFormat;
use crate::types::FormatArg;

/// Where the store's path or URL came from, so hints name what the user set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbSource {
    /// `--db`.
    Flag,
    /// `$WAFFLECTL_DB`.
    Env,
    /// Neither: `./waffle.db`.
    Default,
    /// An environment of the config file (`--env`, `$WAFFLECTL_ENV`, or a name given where a
    /// command takes a store).
    Environment,
}

/// The environment of the config file a context works on.
#[derive(Debug, Clone)]
pub struct EnvName {
    pub name: String,
    /// A write there needs the name typed, or `--yes --confirm-env NAME`.
    pub protected: bool,
    /// The config file that names it.
    pub file: PathBuf,
}

/// A password that `Debug` never prints.
#[derive(Clone)]
struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// Global options after resolution (flags > environment > defaults).
#[derive(Debug, Clone)]
pub struct Ctx {
    pub db: PathBuf,
    pub db_source: DbSource,
    pub format: Format,
    /// `--format native|django|baseplate`: the file format of export/import/diff, which
    /// `--json` (the output of import and diff) does not replace.
    pub file_format: Option<FileFormat>,
    pub actor: String,
    pub yes: bool,
    /// Colour on stdout.
    pub color: bool,
    /// Colour on stderr.
    pub color_err: bool,
    pub quiet: bool,
    /// May we prompt? (stdin and stderr are terminals and `--no-input` was not given.)
    pub interactive: bool,
    /// `--no-input` was given (prompts turned off, whatever the terminal).
    pub no_input: bool,
    /// How long a write waits for another writer (`$WAFFLECTL_BUSY_TIMEOUT_MS`).
    pub busy_timeout: Duration,
    /// Issue 10: `--cache` (else `$WAFFLECTL_CACHE`) with the key settings: the site's cache
    /// whose django-waffle keys writes delete after commit.
    pub cache: Option<crate::cache::Cache>,
    /// Issue 10: write Django admin history entries (not `--no-admin-log`).
    pub admin_log: bool,
    /// The command's one reading of the clock (`$WAFFLECTL_NOW` when set): every "now" and
    /// "today" of the command, written rows and relative dates alike, is this instant.
    pub now: chrono::DateTime<chrono::Utc>,
    /// `--config`: the config file naming environments, when given.
    pub config: Option<PathBuf>,
    /// The environment of the config file this context works on, if any.
    pub environment: Option<EnvName>,
    /// `--confirm-env`: the name a script confirms a protected environment's write with.
    pub confirm_env: Option<String>,
    /// The environment's password (from its variable, command or private file).
    password: Option<Secret>,
    /// A write to the protected environment was confirmed once: the command's other writes
    /// need not ask again.
    confirmed: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The command line as typed (set by `run`): what `--at` schedules.
    pub argv: Vec<std::ffi::OsString>,
    /// The scheduled change this command applies (`schedule run`): its writes claim it and
    /// check its objects before committing.
    pub scheduled: Option<crate::store::schedule::Claim>,
}

impl Ctx {
    pub fn from_cli(cli: &Cli) -> Ctx {
        let env_db = || {
            std::env::var_os("WAFFLECTL_DB")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let (db, db_source) = match (cli.db.clone(), env_db()) {
            (Some(db), _) => (db, DbSource::Flag),
            (None, Some(db)) => (db, DbSource::Env),
            (None, None) => (PathBuf::from("waffle.db"), DbSource::Default),
        };
        let file_format = match cli.format {
            Some(FormatArg::File(f)) => Some(f),
            _ => None,
        };
        let format = match cli.format {
            _ if cli.json => Format::Json,
            Some(FormatArg::Output(f)) => f,
            // A file format asked of a read command prints its table.
            Some(FormatArg::File(_)) | None => Format::Table,
        };
        let actor = cli
            .actor
            .clone()
            .or_else(|| {
                std::env::var("WAFFLECTL_ACTOR")
                    .ok()
                    .filter(|v| !v.is_empty())
            })
            .or_else(|| std::env::var("USER").ok().filter(|v| !v.is_empty()))
            .or_else(|| std::env::var("LOGNAME").ok().filter(|v| !v.is_empty()))
            .or_else(os_user)
            .unwrap_or_else(|| "unknown".into());
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
            || std::env::var("TERM").is_ok_and(|t| t == "dumb");
        let decide = |is_tty: bool| match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_tty && !no_color_env,
        };
        Ctx {
            // A bad `$WAFFLECTL_NOW` was refused before the command ran (`env::check`).
            now: crate::time::read_clock(crate::env::now().ok().flatten()),
            db,
            db_source,
            format,
            file_format,
            actor,
            yes: cli.yes,
            color: decide(std::io::stdout().is_terminal()),
            color_err: decide(std::io::stderr().is_terminal()),
            quiet: cli.quiet,
            interactive: !cli.no_input
                && std::io::stdin().is_terminal()
                && std::io::stderr().is_terminal(),
            no_input: cli.no_input,
            // A bad value was refused before the command ran (`env::check`).
            busy_timeout: Duration::from_millis(
                crate::env::busy_timeout_ms()
                    .ok()
                    .flatten()
                    .unwrap_or(crate::store::DEFAULT_BUSY_TIMEOUT_MS),
            ),
            // Issue 10: a bad $WAFFLECTL_CACHE was refused before the command ran (`env::check`).
            cache: cli
                .cache
                .clone()
                .or_else(|| crate::env::cache().ok().flatten())
                .map(|server| crate::cache::Cache {
                    server,
                    keys: crate::cache::KeySettings {
                        key_prefix: cli.cache_key_prefix.clone(),
                        version: cli.cache_version,
                        waffle_prefix: cli.waffle_cache_prefix.clone(),
                    },
                }),
            admin_log: !cli.no_admin_log,
            config: cli.config.clone(),
            environment: None,
            confirm_env: cli.confirm_env.clone(),
            password: None,
            confirmed: Default::default(),
            argv: Vec::new(),
            scheduled: None,
        }
    }

    /// The context of the environment `--env` (else `$WAFFLECTL_ENV`) names, or this one when
    /// neither is set. `--db` or `--cache` given with it is refused rather than mixed.
    pub fn select_environment(self, cli: &Cli) -> Result<Ctx> {
        let (name, from) = match &cli.env {
            Some(n) => (n.clone(), "--env"),
            None => match crate::env::env_name()? {
                Some(n) => (n, "$WAFFLECTL_ENV"),
                None => return Ok(self),
            },
        };
        let given = match (&cli.db, &cli.cache) {
            (Some(_), _) => Some("--db"),
            (None, Some(_)) => Some("--cache"),
            (None, None) => None,
        };
        if let Some(flag) = given {
            let unset = if from == "--env" {
                format!("drop {flag} or --env")
            } else {
                format!("drop {flag}, or unset WAFFLECTL_ENV")
            };
            return Err(Error::usage(format!(
                "{flag} and {from} both name the store: an environment brings its own store and \
                 cache"
            ))
            .with_hint(unset));
        }
        let config = crate::config::load(self.config.as_deref())?.ok_or_else(|| {
            Error::usage(format!(
                "{from} {}: no config file names environments",
                crate::error::cut(&name)
            ))
            .with_hint("write ./wafflectl.toml (or pass --config PATH); see docs/environments.md")
        })?;
        let env = config.get(&name)?;
        self.on_environment(&config.path, env)
    }

    /// This context on the environment `env` of the config file `file`: its store (with its
    /// password), its cache and its protection.
    pub fn on_environment(
        &self,
        file: &std::path::Path,
        env: &crate::config::Environment,
    ) -> Result<Ctx> {
        let password = env.password()?.map(Secret);
        Ok(Ctx {
            db: env.db.clone(),
            db_source: DbSource::Environment,
            cache: env.cache.clone().map(|server| crate::cache::Cache {
                server,
                keys: crate::cache::KeySettings {
                    key_prefix: env.cache_key_prefix.clone(),
                    version: env.cache_version,
                    waffle_prefix: env.waffle_cache_prefix.clone(),
                },
            }),
            environment: Some(EnvName {
                name: env.name.clone(),
                protected: env.protected,
                file: file.to_path_buf(),
            }),
            password,
            confirmed: Default::default(),
            ..self.clone()
        })
    }

    pub fn json(&self) -> bool {
        self.format == Format::Json
    }

    /// The context of a command on another store than the global one, named on the command
    /// line as `compare A B`, `promote --from A --to B` or `plan SOURCE` name them: an
    /// environment of the config file (with its password, cache and protection), else a path
    /// or a URL. Everything else stays as it is.
    pub fn with_store(&self, spec: &str) -> Result<Ctx> {
        if crate::config::is_name(spec)
            && let Some(config) = crate::config::load(self.config.as_deref())?
        {
            if config.has(spec) {
                return self.on_environment(&config.path, config.get(spec)?);
            }
            // no file of that name, but close to an environment's: a mistyped environment
            let names = config.environments.iter().map(|e| e.name.as_str());
            if !std::path::Path::new(spec).exists()
                && !crate::suggest::closest(spec, names).is_empty()
            {
                // (the file lacks it: this is the error naming the closest)
                config.get(spec)?;
            }
        }
        Ok(Ctx {
            db: PathBuf::from(spec),
            db_source: DbSource::Flag,
            // a path or URL is no environment: no cache, password or protection of one (the
            // global --cache stays, as it does for a --db)
            cache: if self.environment.is_some() {
                None
            } else {
                self.cache.clone()
            },
            environment: None,
            password: None,
            confirmed: Default::default(),
            ..self.clone()
        })
    }

    /// Opens the existing store (never creates one).
    pub fn store(&self) -> Result<Store> {
        Store::open(&self.location()?, self.busy_timeout)
    }

    /// An error's hint as the user should read it, given where the store came from (applied to
    /// every error before it is printed): a missing store or a file that is not SQLite names
    /// what set the path (`--db`, `$WAFFLECTL_DB`, or either for the default), and when the
    /// store came from `--db`, every command the hint suggests carries the same `--db`, so it
    /// runs on the same store.
    pub fn name_db(&self, mut e: Error) -> Error {
        if let Some(env) = &self.environment {
            return self.name_environment(e, env);
        }
        let set = match self.db_source {
            DbSource::Flag => "--db",
            DbSource::Env => "$WAFFLECTL_DB",
            DbSource::Default | DbSource::Environment => "--db or $WAFFLECTL_DB",
        };
        let init = match self.db_source {
            DbSource::Flag => format!("wafflectl --db {} init", self.db_word()),
            _ => "wafflectl init".to_string(),
        };
        match e.hint.as_deref() {
            Some(crate::store::HINT_NO_STORE) => {
                e.hint = Some(format!(
                    "create it with: {init} (or point {set} at an existing store)"
                ));
            }
            Some(crate::store::HINT_NOT_SQLITE) => {
                e.hint = Some(format!(
                    "check {set}: it must name a SQLite file, or a mysql:// or postgres:// URL"
                ));
            }
            Some(hint) if self.db_source == DbSource::Flag => {
                e.hint = Some(with_option(hint, "--db", &self.db_word()));
            }
            _ => {}
        }
        e
    }

    /// [`Ctx::name_db`] for a store an environment names: hints point at the environment's
    /// `db` in the config file, and suggested commands carry `--env NAME`.
    fn name_environment(&self, mut e: Error, env: &EnvName) -> Error {
        let name = crate::output::shell_word(&env.name);
        let file = env.file.display();
        match e.hint.as_deref() {
            Some(crate::store::HINT_NO_STORE) => {
                e.hint = Some(format!(
                    "create it with: wafflectl --env {name} init (or point environment \
                     {name}'s db in {file} at an existing store)"
                ));
            }
            Some(crate::store::HINT_NOT_SQLITE) => {
                e.hint = Some(format!(
                    "check environment {name}'s db in {file}: it must name a SQLite file, or a \
                     mysql:// or postgres:// URL"
                ));
            }
            Some(hint) => e.hint = Some(with_option(hint, "--env", &name)),
            None => {}
        }
        e
    }

    /// `--db`'s value as a shell word for a suggested command line. A server URL that holds a
    /// password is named without it (a hint never shows one, and a masked one would not work):
    /// the suggested command reaches the same database with the password in
    /// `$WAFFLECTL_DB_PASSWORD`.
    fn db_word(&self) -> String {
        let text = self.db.to_string_lossy();
        // read by the one URL reader (`types::DbUrl`), not split by hand
        if let Ok(Some(url)) = crate::types::DbUrl::parse(&text, None)
            && url.password.is_some()
        {
            return crate::output::shell_word(&url.without_password());
        }
        crate::output::shell_word(&text)
    }

    /// Where `--db` points: a SQLite path, or a MySQL or PostgreSQL URL (exit 2 when
    /// malformed). Messages show the URL with its password masked.
    pub fn location(&self) -> Result<Location> {
        let Some(db) = self.db.to_str() else {
            return Ok(Location::File(self.db.clone()));
        };
        let password = match &self.password {
            Some(p) => Some(p.0.clone()),
            None => crate::env::db_password()?,
        };
        Ok(match crate::types::DbUrl::parse(db, password)? {
            None => Location::File(self.db.clone()),
            Some(url) => Location::Server(url),
        })
    }
}

/// `hint` with `OPTION VALUE` (`--db DB`, `--env NAME`) after each `wafflectl` that starts a
/// command line (followed by one of its subcommands) and has no such option yet.
fn with_option(hint: &str, option: &str, value: &str) -> String {
    use clap::CommandFactory;
    let cmd = Cli::command();
    let is_command = |word: &str| {
        cmd.get_subcommands()
            .any(|c| c.get_name() == word || c.get_all_aliases().any(|a| a == word))
    };
    let mut out = String::with_capacity(hint.len() + option.len() + value.len() + 2);
    let mut rest = hint;
    while let Some(at) = rest.find("wafflectl ") {
        let starts_word = at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric());
        let after = &rest[at + "wafflectl ".len()..];
        let next = after
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        out.push_str(&rest[..at + "wafflectl ".len()]);
        if starts_word && is_command(next) {
            out.push_str(&format!("{option} {value} "));
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The login name of the process's user from the system's user database (cron, containers and
/// `env -i` leave `$USER` and `$LOGNAME` unset).
#[cfg(unix)]
fn os_user() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: getpwuid_r writes into `pwd` and `buf` (whose length we pass) and sets `result` to
    // null or to `&pwd`; `pw_name` then points into `buf`, which outlives the read below.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            libc::getuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        );
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(pwd.pw_name).to_str().ok()?;
        (!name.is_empty()).then(|| name.to_string())
    }
}

#[cfg(not(unix))]
fn os_user() -> Option<String> {
    std::env::var("USERNAME").ok().filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::with_option;

    fn with_db(hint: &str, db: &str) -> String {
        with_option(hint, "--db", db)
    }

    /// `with_store` (the seam of `compare A B`, `promote --from A --to B`, `plan SOURCE`)
    /// resolves an environment's name first, with its password, cache and protection; a path
    /// or URL is no environment.
    #[test]
    fn with_store_resolves_environments_first() {
        use clap::Parser;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("w.toml");
        std::fs::write(
            &file,
            "[environments.prod]\ndb = \"postgres://app@127.0.0.1/edx\"\n\
             password_command = [\"printf\", \"pw-1\"]\ncache = \"redis://127.0.0.1/2\"\n\
             protected = true\n\n[environments.staging]\ndb = \"s.db\"\n",
        )
        .unwrap();
        let path = file.to_str().unwrap();
        let cli =
            crate::cli::Cli::try_parse_from(["wafflectl", "--config", path, "doctor"]).unwrap();
        let ctx = super::Ctx::from_cli(&cli);
        let prod = ctx.with_store("prod").unwrap();
        let env = prod.environment.as_ref().unwrap();
        assert_eq!((env.name.as_str(), env.protected), ("prod", true));
        assert!(prod.cache.is_some());
        match prod.location().unwrap() {
            crate::store::Location::Server(url) => {
                assert_eq!(url.password.as_deref(), Some("pw-1"));
            }
            other => panic!("{other}"),
        }
        let staging = ctx.with_store("staging").unwrap();
        assert_eq!(staging.db, dir.path().join("s.db"));
        assert!(!staging.environment.as_ref().unwrap().protected);
        // not an environment: the path as given, and none of prod's settings carried over
        let other_path = dir.path().join("other.db");
        std::fs::write(&other_path, "").unwrap();
        let other = prod.with_store(other_path.to_str().unwrap()).unwrap();
        assert_eq!(other.db, other_path);
        assert!(other.environment.is_none() && other.cache.is_none());
        assert!(other.password.is_none());
        // a name the file lacks, close to one it has, with no such file here, is a mistyped
        // environment; one close to none is a path
        let e = ctx.with_store("prd").unwrap_err();
        assert!(e.message.contains("no environment 'prd'"), "{}", e.message);
        assert!(e.hint.unwrap().contains("did you mean prod?"));
        assert!(ctx.with_store("qa").unwrap().environment.is_none());
    }

    #[test]
    fn suggested_commands_get_the_env() {
        assert_eq!(
            with_option("list them with: wafflectl flag list", "--env", "prod"),
            "list them with: wafflectl --env prod flag list"
        );
    }

    #[test]
    fn suggested_commands_get_the_db() {
        assert_eq!(
            with_db("list them with: wafflectl flag list", "a.db"),
            "list them with: wafflectl --db a.db flag list"
        );
        assert_eq!(
            with_db("run: wafflectl --db a.db init; wafflectl's tables", "a.db"),
            "run: wafflectl --db a.db init; wafflectl's tables"
        );
        assert_eq!(
            with_db("wafflectl never writes; try wafflectl doctor", "'my db'"),
            "wafflectl never writes; try wafflectl --db 'my db' doctor"
        );
    }
}
